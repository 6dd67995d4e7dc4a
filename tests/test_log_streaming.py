"""A long provision log is read in batches, in bounded memory (register/logstream.py): the
checks then see only the rows a finding can concern, and the principals are sorted on disk.

The streamed path must be indistinguishable from the whole-table one. Here every register of
sample_data (each rule's invalid register, the sample, a generated one) is read both ways, the
streamed one forced on a tiny log and cut into many small batches, and the findings, the
records (CSV and JSON) and the disclosures must be the same, byte for byte.
"""

from __future__ import annotations

import datetime as dt
import shutil
import sys
from pathlib import Path

import orjson
import polars as pl
import pytest

import register.io.sqlsource as sqlsource
import register.io.stream as stream
from register import api
from register.convert import write_register
from register.disclose import disclose
from register.export import write_records
from register.load import load
from register.render import render_json

from .conftest import ROOT, SAMPLE, run_cli

sys.path.insert(0, str(ROOT / "benchmarks"))
import generate  # noqa: E402

AS_OF = dt.date(2026, 11, 21)
INVALID = sorted(p for p in (SAMPLE / "invalid").glob("*/register.*"))


@pytest.fixture
def streamed(monkeypatch):
    """Every log is streamed, in batches of a few rows (and the limits are the defaults: a
    command run in this process before may have left others)."""
    from register import limits

    monkeypatch.setattr(limits, "_current", limits.DEFAULTS)
    monkeypatch.setattr(stream, "STREAM_BYTES", 0)
    monkeypatch.setattr(stream, "STREAM_ROWS", 0)
    monkeypatch.setattr(stream, "CSV_CHUNK_BYTES", 700)
    monkeypatch.setattr(stream, "BATCH_ROWS", 7)
    monkeypatch.setattr(sqlsource, "SQLITE_BATCH_ROWS", 7)


def _csv_folder(source: Path, out: Path) -> Path:
    write_register(load(source), out)
    return out


def _principals(folder: Path) -> list[str]:
    """A few principals the log names, one it does not, and one no table holds."""
    reg = load(folder)
    named = reg["provision_log"].df["principal_ids"].list.explode().drop_nulls().unique().sort()
    return [*named.head(2).to_list(), *named.tail(1).to_list(), "NOBODY-AT-ALL"]


def _everything(source: str, out: Path, principals: list[str], stream_log: bool) -> dict[str, bytes]:
    got: dict[str, bytes] = {}
    # as the commands do: what only the checks read is let go before the outputs
    a = api.check(source, AS_OF, stream=stream_log, outputs_only=stream_log)
    got["findings"] = render_json(a.report).encode()
    for fmt in ("json", "csv"):
        target = out / fmt
        shutil.rmtree(target, ignore_errors=True)
        for p in write_records(a, target, fmt):
            got[f"{fmt}/{p.name}"] = p.read_bytes()
    for pid in principals:
        d = disclose(a, pid, out / f"{pid}.json")
        got[f"disclose/{pid}"] = d.path.read_bytes()
    c = api.check(source, AS_OF, principals=False, stream=stream_log)
    got["check"] = render_json(c.report).encode()
    return got


def _same(folder: Path, tmp_path: Path, source: str | None = None) -> int:
    """Whole and streamed give the same bytes; returns the log's rows."""
    principals = _principals(folder)
    source = source or str(folder)
    whole = _everything(source, tmp_path / "whole", principals, stream_log=False)
    got = _everything(source, tmp_path / "streamed", principals, stream_log=True)
    assert got.keys() == whole.keys()
    for k in whole:
        assert got[k] == whole[k], k
    reg = load(source, stream=True)
    assert reg.log_digest is not None or not reg["provision_log"].present
    return reg.log_digest.rows if reg.log_digest is not None else 0


@pytest.mark.parametrize("path", INVALID, ids=[p.parent.name for p in INVALID])
def test_each_rules_register_streamed_gives_the_same_findings_and_records(path, tmp_path, streamed):
    folder = _csv_folder(path, tmp_path / "reg")
    if not (folder / "provision_log.csv").exists():
        pytest.skip("no provision log")
    (tmp_path / "whole").mkdir()
    (tmp_path / "streamed").mkdir()
    _same(folder, tmp_path)


@pytest.fixture(scope="module")
def generated(tmp_path_factory):
    folder = tmp_path_factory.mktemp("gen") / "reg"
    generate.generate(folder, 3_000)
    return folder


def _prepare(tmp_path):
    (tmp_path / "whole").mkdir()
    (tmp_path / "streamed").mkdir()


def test_the_sample_and_a_generated_register_streamed(generated, tmp_path, streamed):
    sample = _csv_folder(SAMPLE / "register.json", tmp_path / "sample")
    for name, folder in (("sample", sample), ("generated", generated)):
        out = tmp_path / f"out-{name}"
        out.mkdir()
        _prepare(out)
        assert _same(folder, out) > 100


def test_parquet_parts_and_sqlite_streamed(generated, tmp_path, streamed):
    from .source_support import to_database, to_parts

    parts = to_parts(generated, tmp_path / "parts", 5)
    out = tmp_path / "p"
    out.mkdir()
    _prepare(out)
    _same(generated, out, str(parts))
    pytest.importorskip("adbc_driver_sqlite", reason="the sql extra is not installed")
    db = tmp_path / "reg.sqlite"
    to_database(generated, str(db))
    out = tmp_path / "s"
    out.mkdir()
    _prepare(out)
    _same(generated, out, str(db))


def test_a_log_with_line_breaks_in_cells_and_blank_lines_keeps_its_line_numbers(
        generated, tmp_path, streamed):
    folder = tmp_path / "reg"
    shutil.copytree(generated, folder)
    log = folder / "provision_log.csv"
    lines = log.read_bytes().split(b"\n")
    lines[40] = lines[40] + b',"a note\nover two lines"'  # an extra column: SCH-005
    lines.insert(700, b"")
    lines[1500] = lines[1500].replace(b"PR-", b"XX-", 1)  # REF-002 far below the line break
    log.write_bytes(b"\n".join(lines))
    _prepare(tmp_path)
    _same(folder, tmp_path)


def test_quoted_cells_cut_by_a_chunk_end_stay_on_the_fast_reader(generated, tmp_path, streamed,
                                                                  monkeypatch):
    """A quoted cell on every fifth line (a comma and a doubled quote inside): chunks of 700
    bytes end inside many of them, and the line cut short is read again with the next chunk.
    Nothing sends the log to the exact reader, and it reads as the whole-table reader reads it."""
    folder = tmp_path / "reg"
    shutil.copytree(generated, folder)
    log = folder / "provision_log.csv"
    lines = log.read_bytes().split(b"\n")
    lines[0] += b",note"
    for k in range(1, len(lines) - 1):
        lines[k] += b',"a, ""quoted"" note"' if k % 5 == 0 else b","
    log.write_bytes(b"\n".join(lines))

    def refuse(*a, **k):
        raise AssertionError("sent to the exact reader")

    monkeypatch.setattr(stream, "_exact_batches", refuse)
    _prepare(tmp_path)
    _same(folder, tmp_path)


def test_a_streamed_log_needs_no_limit_raised(generated, tmp_path, streamed):
    """The limits bound what one batch can amplify, not the length of a streamed log."""
    # the log: 3,000 rows, 18,000 cells, 128 KB; the other tables fit
    small = ("--max-bytes", "60000", "--max-rows", "1000", "--max-cells", "5000")
    out = tmp_path / "out"
    r = run_cli("records", str(generated), "--out", str(out), "--format", "csv",
                "--as-of", str(AS_OF), *small)
    assert r.exit_code == 0, r.output
    assert (out / "provision_principals.csv").stat().st_size > 50_000
    # the same log read whole (convert reads every row) is refused by the same limits
    r = run_cli("convert", str(generated), str(tmp_path / "copy.json"), *small)
    assert r.exit_code == 2 and "provision_log" in r.output


def test_a_hostile_cell_in_a_streamed_log_is_refused(generated, tmp_path, streamed):
    folder = tmp_path / "reg"
    shutil.copytree(generated, folder)
    log = folder / "provision_log.csv"
    lines = log.read_bytes().split(b"\n")
    lines[2000] = lines[2000].replace(b"PR-", b"PR-" + b"x" * (1024 * 1024 + 1), 1)
    log.write_bytes(b"\n".join(lines))
    r = run_cli("check", str(folder))
    assert r.exit_code == 2
    assert "over the limit of 1,048,576 for one cell" in r.output
    assert len(r.output.strip().splitlines()) == 1


@pytest.mark.parametrize("broken, cell_limit, problem", [
    (b',"', None, "opens a quoted cell (\") that is never closed"),
    (b',"', 5_000, "opens a quoted cell (\") that is not closed within 5,000 characters, the limit"),
    (b',"a"b,', None, "has a quoted cell (\") followed by more text after its closing quote (line 1,201)"),
])
def test_broken_quoting_in_a_streamed_log_is_named_at_its_line(generated, tmp_path, streamed,
                                                               monkeypatch, broken, cell_limit, problem):
    """The line named is the quote's, as the whole-file reader names it; not the line the reader
    had reached when the open cell ran into the end of the file or past the cell limit."""
    import csv
    from dataclasses import replace

    from register import limits
    from register.model import InputError

    folder = tmp_path / "reg"
    shutil.copytree(generated, folder)
    log = folder / "provision_log.csv"
    lines = log.read_bytes().split(b"\n")
    lines[1200] = lines[1200].replace(b",", broken, 1)  # line 1,201
    log.write_bytes(b"\n".join(lines))
    if cell_limit is not None:  # the 1,800 lines after it are a cell over the limit
        monkeypatch.setattr(limits, "_current", replace(limits.DEFAULTS, max_cell_chars=cell_limit))
        before = csv.field_size_limit(4 * cell_limit)  # (the csv module's limit only grows)
    try:
        with pytest.raises(InputError) as streamed_error:
            load(str(folder), stream=True)
    finally:
        if cell_limit is not None:
            csv.field_size_limit(before)
    got = str(streamed_error.value)
    assert f"line 1,201 {problem}" in got
    if cell_limit is None:
        with pytest.raises(InputError) as whole:
            load(str(folder))
        assert got == str(whole.value)


def test_a_nul_byte_deep_in_a_streamed_log_is_refused(generated, tmp_path, streamed):
    folder = tmp_path / "reg"
    shutil.copytree(generated, folder)
    log = folder / "provision_log.csv"
    data = bytearray(log.read_bytes())
    at = data.index(b"\n", len(data) // 2) + 1
    data[at:at] = b"\x00"
    log.write_bytes(bytes(data))
    line = data[:at].count(b"\n") + 1
    r = run_cli("check", str(folder))
    assert r.exit_code == 2 and f"the first on line {line:,}" in r.output


def test_a_parquet_row_group_unpacking_past_max_bytes_is_refused(generated, tmp_path, streamed):
    folder = tmp_path / "reg"
    shutil.copytree(generated, folder)
    (folder / "provision_log.csv").unlink()
    log = pl.read_csv(generated / "provision_log.csv", infer_schema=False)
    # a note of distinct text on each row: 600 KB unpacked, a few KB packed
    log = log.with_columns(pl.format("note {} " + "abcdefghij" * 20, pl.int_range(pl.len()))
                           .alias("note"))
    log.write_parquet(folder / "provision_log.parquet", row_group_size=len(log))
    r = run_cli("check", str(folder), "--max-bytes", "100000")
    assert r.exit_code == 2 and "row group 0 unpacks to" in r.output, r.output


@pytest.mark.parametrize("sort", ["in_memory", "on_disk"])
def test_records_json_written_in_frames_is_the_documents_bytes(generated, tmp_path, streamed,
                                                                monkeypatch, sort):
    """provision_principals in many frames: the JSON is spliced exactly as orjson indents it;
    its pairs sorted in one array, or in buckets of 300 on disk."""
    import register.logstream as logstream

    monkeypatch.setattr(logstream, "OUTPUT_CHUNK", 97)
    monkeypatch.setattr(logstream, "SORT_BUCKET", 300)
    monkeypatch.setattr(logstream, "SORT_IN_MEMORY", 10**9 if sort == "in_memory" else 0)
    taken: list[str] = []
    for path in ("_sorted_in_memory", "_sorted_on_disk"):
        real = getattr(logstream.LogDigest, path)
        monkeypatch.setattr(logstream.LogDigest, path,
                            lambda self, *a, _r=real, _p=path: taken.append(_p) or _r(self, *a))
    _prepare(tmp_path)
    _same(generated, tmp_path)
    assert set(taken) == {f"_sorted_{sort}"}
    doc = orjson.loads((tmp_path / "streamed" / "json" / "records.json").read_bytes())
    assert len(doc["provision_principals"]) > 1_000


def test_a_log_whose_events_are_interleaved_streamed(generated, tmp_path, streamed):
    """Rows of one event far apart (a log sorted by principal): every batch holds part of
    many events, and their partial groups are combined."""
    folder = tmp_path / "reg"
    shutil.copytree(generated, folder)
    log = pl.read_csv(folder / "provision_log.csv", infer_schema=False)
    log.sort("principal_ids", "event_id").write_csv(folder / "provision_log.csv")
    _prepare(tmp_path)
    _same(folder, tmp_path)
