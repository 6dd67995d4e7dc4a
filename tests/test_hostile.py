"""Hostile and broken inputs: each ends with one clear line naming the file, and exit 2.

Every file is built here the way an attacker (raw zip entries, crafted XML) or an unlucky
colleague (a renamed CSV, a truncated download) would make it. Bombs are declared, never
inflated: no test unpacks more than a few megabytes.
"""

from __future__ import annotations

import io
import struct
import time
import zipfile
import zlib
from pathlib import Path

import orjson
import pytest
from click.testing import CliRunner

from register import limits
from register.cli import main
from tests.conftest import base_register, workbook_bytes

from .cli_support import assert_refused


@pytest.fixture(autouse=True)
def _default_limits():
    """The CLI sets process-wide limits; put the defaults back for the next test."""
    yield
    limits.use(limits.DEFAULTS)


def run(*args: str):
    return CliRunner().invoke(main, list(args))




def valid_workbook(path: Path) -> Path:
    """A small valid register as people write it (openpyxl, English headers)."""
    path.write_bytes(workbook_bytes())
    return path


def raw_zip(entries: list[tuple[str, bytes, int | None]]) -> bytes:
    """A zip written byte by byte: (name, content, declared unpacked size or None = true size).

    Lets a test declare sizes that lie, as a crafted file does; content is deflated for real.
    """
    out = io.BytesIO()
    central = []
    for name, data, declared in entries:
        comp = zlib.compressobj(9, zlib.DEFLATED, -15)
        packed = comp.compress(data) + comp.flush()
        crc = zlib.crc32(data)
        size = len(data) if declared is None else declared
        offset = out.tell()
        fname = name.encode()
        out.write(struct.pack("<IHHHHHIIIHH", 0x04034B50, 20, 0, 8, 0, 0, crc, len(packed), size, len(fname), 0))
        out.write(fname + packed)
        central.append(
            struct.pack("<IHHHHHHIIIHHHHHII", 0x02014B50, 20, 20, 0, 8, 0, 0, crc, len(packed), size,
                        len(fname), 0, 0, 0, 0, 0, offset) + fname
        )
    start = out.tell()
    cd = b"".join(central)
    out.write(cd)
    out.write(struct.pack("<IHHHHIIH", 0x06054B50, 0, 0, len(entries), len(entries), len(cd), start, 0))
    return out.getvalue()


def parts_of(path: Path) -> list[tuple[str, bytes, int | None]]:
    with zipfile.ZipFile(path) as zf:
        return [(i.filename, zf.read(i.filename), None) for i in zf.infolist()]


def replace_part(parts, name: str, data: bytes, declared: int | None = None):
    return [(n, data, declared) if n == name else (n, d, s) for n, d, s in parts]


def first_sheet(parts) -> str:
    return next(n for n, _, _ in parts if n.startswith("xl/worksheets/sheet"))


# --- the workbook is not what it says --------------------------------------------------------


def test_text_file_named_xlsx(tmp_path):
    p = tmp_path / "register.xlsx"
    p.write_text("item_id,name\nI1,氏名\n", encoding="utf-8")
    assert_refused(run("check", str(p)), str(p), "not a zip archive")


def test_empty_file_named_xlsx(tmp_path):
    p = tmp_path / "empty.xlsx"
    p.write_bytes(b"")
    assert_refused(run("check", str(p)), str(p), "is empty")


def test_old_xls_or_password_protected(tmp_path):
    p = tmp_path / "old.xlsx"
    p.write_bytes(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 504)
    assert_refused(run("check", str(p)), str(p), ".xls or a password-protected")


@pytest.mark.parametrize("keep", [0.5, 0.9])
def test_truncated_workbook(tmp_path, keep):
    good = valid_workbook(tmp_path / "good.xlsx").read_bytes()
    p = tmp_path / "cut.xlsx"
    p.write_bytes(good[: int(len(good) * keep)])
    assert_refused(run("check", str(p)), str(p), "damaged or truncated")


def test_missing_path(tmp_path):
    p = tmp_path / "nowhere.xlsx"
    assert_refused(run("check", str(p)), str(p), "does not exist")


def test_records_writes_nothing_for_a_refused_input(tmp_path):
    p = tmp_path / "register.xlsx"
    p.write_text("not a workbook", encoding="utf-8")
    out = tmp_path / "out"
    assert_refused(run("records", str(p), "--out", str(out)), str(p))
    assert not out.exists()


# --- zip bombs ---------------------------------------------------------------------------------


def test_zip_bomb_declared_huge(tmp_path):
    """A sheet declared to unpack to 3 GB (over the 2 GiB default) is refused unread."""
    parts = parts_of(valid_workbook(tmp_path / "good.xlsx"))
    sheet = first_sheet(parts)
    p = tmp_path / "bomb.xlsx"
    p.write_bytes(raw_zip(replace_part(parts, sheet, b"<x/>", declared=3_000_000_000)))
    t = time.monotonic()
    assert_refused(run("check", str(p)), str(p), "unpacks to", "--max-bytes")
    assert time.monotonic() - t < 5


def test_zip_bomb_by_ratio(tmp_path):
    """A 20 MB sheet of repeated bytes packs 1000:1; refused before any XML parser runs."""
    parts = parts_of(valid_workbook(tmp_path / "good.xlsx"))
    sheet = first_sheet(parts)
    p = tmp_path / "bomb.xlsx"
    body = b"<worksheet>" + b" " * (20 * 1024 * 1024) + b"</worksheet>"
    p.write_bytes(raw_zip(replace_part(parts, sheet, body)))
    assert p.stat().st_size < 200_000
    assert_refused(run("check", str(p)), str(p), "zip bomb")


def test_part_that_inflates_past_its_declared_size(tmp_path):
    """A part that lies small: zipfile stops at the declared size and the CRC fails."""
    parts = parts_of(valid_workbook(tmp_path / "good.xlsx"))
    sheet = first_sheet(parts)
    data = dict((n, d) for n, d, _ in parts)[sheet]
    p = tmp_path / "liar.xlsx"
    p.write_bytes(raw_zip(replace_part(parts, sheet, data + b" " * 100_000, declared=len(data))))
    assert_refused(run("check", str(p)), str(p), "damaged or truncated")


def test_too_many_parts(tmp_path):
    parts = parts_of(valid_workbook(tmp_path / "good.xlsx"))
    parts += [(f"x/{i}.bin", b"", None) for i in range(10_001)]
    p = tmp_path / "many.xlsx"
    p.write_bytes(raw_zip(parts))
    assert_refused(run("check", str(p)), str(p), "parts, over the limit")


@pytest.mark.parametrize("ref", [b'r="XFD1048576"', b"r = 'XFD1048576'", b'r="A99999999"'])
def test_far_corner_cell(tmp_path, ref):
    """Two cells, A1 and XFD1048576: calamine would allocate 512 GiB and abort the process."""
    parts = parts_of(valid_workbook(tmp_path / "good.xlsx"))
    sheet = first_sheet(parts)
    data = dict((n, d) for n, d, _ in parts)[sheet]
    corner = b'<row r="1048576"><c ' + ref + b' t="n"><v>1</v></c></row></sheetData>'
    p = tmp_path / "corner.xlsx"
    p.write_bytes(raw_zip(replace_part(parts, sheet, data.replace(b"</sheetData>", corner))))
    assert_refused(run("check", str(p)), str(p), "spans ", "cells", "--max-cells")


# --- XML entities -------------------------------------------------------------------------------


def test_external_entity_never_reads_a_local_file(tmp_path):
    secret = tmp_path / "secret.txt"
    secret.write_text("TOP-SECRET-7731", encoding="utf-8")
    parts = parts_of(valid_workbook(tmp_path / "good.xlsx"))
    sheet = first_sheet(parts)
    data = dict((n, d) for n, d, _ in parts)[sheet]
    decl = f'<!DOCTYPE worksheet [<!ENTITY xxe SYSTEM "file://{secret}">]>'.encode()
    head, rest = data.split(b"?>", 1) if data.startswith(b"<?xml") else (b"", data)
    crafted = (head + b"?>" if head else b"") + decl + rest.replace(
        b"<sheetData>", b'<sheetData><row r="50"><c r="A50" t="inlineStr"><is><t>&xxe;</t></is></c></row>', 1
    )
    p = tmp_path / "xxe.xlsx"
    p.write_bytes(raw_zip(replace_part(parts, sheet, crafted)))
    for cmd in (["check", str(p)], ["convert", str(p), str(tmp_path / "out.json")]):
        result = run(*cmd)
        err = assert_refused(result, str(p), "DOCTYPE or entities")
        assert "TOP-SECRET" not in err + result.stdout
    assert not (tmp_path / "out.json").exists()


def test_billion_laughs_in_shared_strings(tmp_path):
    laughs = b'<!DOCTYPE lolz [<!ENTITY lol "lol">' + b"".join(
        b'<!ENTITY lol%d "%s">' % (i, (b"&lol%d;" % (i - 1) if i > 1 else b"&lol;") * 10)
        for i in range(1, 10)
    ) + b"]>"
    sst = laughs + b'<sst xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><si><t>&lol9;</t></si></sst>'
    parts = parts_of(valid_workbook(tmp_path / "good.xlsx"))
    parts = [x for x in parts if x[0] != "xl/sharedStrings.xml"] + [("xl/sharedStrings.xml", sst, None)]
    p = tmp_path / "lol.xlsx"
    p.write_bytes(raw_zip(parts))
    t = time.monotonic()
    assert_refused(run("check", str(p)), str(p), "DOCTYPE or entities")
    assert time.monotonic() - t < 5


def test_utf16_xml_part_is_refused(tmp_path):
    """A UTF-16 part could hide a DOCTYPE from a byte search; Excel never writes one."""
    parts = parts_of(valid_workbook(tmp_path / "good.xlsx"))
    sheet = first_sheet(parts)
    data = dict((n, d) for n, d, _ in parts)[sheet]
    p = tmp_path / "utf16.xlsx"
    p.write_bytes(raw_zip(replace_part(parts, sheet, data.decode().encode("utf-16"))))
    assert_refused(run("check", str(p)), str(p), "UTF-16")


# --- limits and how to raise them --------------------------------------------------------------


def test_file_over_max_bytes_and_raising_it(tmp_path):
    p = valid_workbook(tmp_path / "register.xlsx")
    size = p.stat().st_size
    err = assert_refused(run("check", str(p), "--max-bytes", "1000"), str(p), f"raise it with --max-bytes {size}")
    # Following the hint gets further: next the unpacked size, then the workbook is read.
    for _ in range(2):
        result = run("check", str(p), "--max-bytes", err.rsplit(" ", 1)[1])
        if result.exit_code != 2:
            break
        err = assert_refused(result, str(p), "unpacks to")
    assert result.exit_code in (0, 1), result.stderr


def test_rows_over_max_rows_and_raising_it(tmp_path):
    reg = base_register()
    reg["data_items"] += [{"item_id": f"X{i}", "name": "n", "legal_class": "personal"} for i in range(8)]
    p = tmp_path / "r.json"
    p.write_bytes(orjson.dumps(reg))
    assert_refused(run("check", str(p), "--max-rows", "5"), str(p), "table 'data_items' has 10 rows", "--max-rows 10")
    assert run("check", str(p), "--max-rows", "10").exit_code in (0, 1)


def test_cells_over_max_cells_in_a_workbook(tmp_path):
    p = valid_workbook(tmp_path / "register.xlsx")
    assert_refused(run("check", str(p), "--max-cells", "5"), str(p), "cells", "--max-cells")


def test_unpacked_workbook_over_max_bytes(tmp_path):
    """The file is small, but its parts unpack to more than --max-bytes."""
    p = valid_workbook(tmp_path / "register.xlsx")
    size = p.stat().st_size
    assert_refused(run("check", str(p), "--max-bytes", str(size + 1)), str(p), "unpacks to")


# --- JSON --------------------------------------------------------------------------------------


def test_deeply_nested_json(tmp_path):
    p = tmp_path / "deep.json"
    p.write_bytes(b'{"data_items": ' + b"[" * 100_000 + b"]" * 100_000 + b"}")
    assert_refused(run("check", str(p)), str(p), "nested more than 64 levels")


def test_nested_value_inside_a_record(tmp_path):
    """Within orjson's 1024 levels but over ours: refused, not a Python RecursionError."""
    reg = base_register()
    reg["data_items"][0]["description"] = "DEEP"
    p = tmp_path / "deep.json"
    p.write_bytes(orjson.dumps(reg).replace(b'"DEEP"', b"[" * 900 + b"]" * 900))
    assert_refused(run("check", str(p)), str(p), "/data_items/0 is nested more than 64 levels")


def test_huge_cell_in_json(tmp_path):
    reg = base_register()
    reg["data_items"][1]["description"] = "あ" * (1024 * 1024 + 1)
    p = tmp_path / "huge.json"
    p.write_bytes(orjson.dumps(reg))
    assert_refused(run("check", str(p)), str(p), "/data_items/1/description holds 1,048,577 characters")


def test_json_not_an_object(tmp_path):
    p = tmp_path / "list.json"
    p.write_bytes(b"[1, 2, 3]")
    assert_refused(run("check", str(p)), str(p), "JSON object")


def test_invalid_json(tmp_path):
    p = tmp_path / "bad.json"
    p.write_bytes(b'{"organization": {"name": "x",}')
    assert_refused(run("check", str(p)), str(p), "not valid JSON")


# --- CSV and Parquet ---------------------------------------------------------------------------


def csv_folder(tmp_path: Path) -> Path:
    d = tmp_path / "reg"
    d.mkdir()
    (d / "organization.csv").write_text("name,address,representative,contact\nA,B,C,D\n", encoding="utf-8")
    return d


def test_csv_neither_utf8_nor_cp932(tmp_path):
    d = csv_folder(tmp_path)
    (d / "data_items.csv").write_bytes(b"item_id,name,legal_class\nI1,\x85\x40\x85\x40,personal\n")
    shown = f"{d}/data_items.csv"
    assert_refused(run("check", str(d)), shown, "neither UTF-8 nor cp932")


def test_csv_utf16(tmp_path):
    d = csv_folder(tmp_path)
    (d / "data_items.csv").write_bytes("item_id,name,legal_class\nI1,氏名,personal\n".encode("utf-16"))
    assert_refused(run("check", str(d)), f"{d}/data_items.csv", "UTF-16")


def test_csv_huge_cell(tmp_path):
    d = csv_folder(tmp_path)
    big = "x" * (1024 * 1024 + 10)
    (d / "data_items.csv").write_text(f"item_id,name,legal_class\nI1,{big},personal\n", encoding="utf-8")
    assert_refused(run("check", str(d)), f"{d}/data_items.csv", "line 2, column 'name' holds 1,048,586 characters")


def test_csv_binary_bytes(tmp_path):
    d = csv_folder(tmp_path)
    (d / "data_items.csv").write_bytes(b"\x00\x01\x02\x03" * 100)
    assert_refused(run("check", str(d)), f"{d}/data_items.csv", "NUL bytes")


def test_parquet_that_is_not_parquet(tmp_path):
    d = csv_folder(tmp_path)
    (d / "provision_log.parquet").write_bytes(b"PAR1 this is not parquet")
    assert_refused(run("check", str(d)), f"{d}/provision_log.parquet", "not a readable Parquet file")


def test_parquet_rows_over_limit_from_footer(tmp_path):
    import polars as pl

    d = csv_folder(tmp_path)
    pl.DataFrame({"event_id": [f"E{i}" for i in range(50)]}).write_parquet(d / "provision_log.parquet")
    assert_refused(
        run("check", str(d), "--max-rows", "10"), f"{d}/provision_log.parquet", "has 50 rows", "--max-rows 50"
    )
