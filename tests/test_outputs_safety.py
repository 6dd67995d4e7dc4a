"""Nothing lost, nothing destroyed: what the writers do when an outsider breaks things.

An existing folder full of someone's files, formulas in cells, a filled-in register where a
template is written, SIGTERM in the middle of a write, a full disk, an error that is not about
the output, file names with bytes that are not UTF-8 or with line breaks, a closed stdout, and
counts past the per-rule cap. Each test asserts the exit status, the exact files present and
absent, and the one line on stderr naming the file.
"""

from __future__ import annotations

import errno
import json
import os
import re
import signal
import subprocess
import sys
import time
from pathlib import Path

import polars as pl
import pytest
from click.testing import CliRunner
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from register import limits
from register.cli import main, one_line
from register.convert import write_register
from register.io import atomic
from register.io.atomic import OutputError, atomic_dir, atomic_file
from register.io.csvsafe import neutralise, restore
from register.io.writers import INT, TEXT, ColumnValues, _text_column
from register.load import load

from .cli_support import assert_refused as one_error_line
from .conftest import ROOT, base_register, write_json

SAMPLE_XLSX = ROOT / "sample_data" / "register.xlsx"


@pytest.fixture(autouse=True)
def _default_limits():
    yield
    limits.use(limits.DEFAULTS)


def run(*args: str):
    return CliRunner().invoke(main, list(args))




def listing(folder: Path) -> dict[str, bytes | None]:
    """Every entry under `folder` (hidden ones too): file → bytes, folder → None."""
    out: dict[str, bytes | None] = {}
    for p in sorted(folder.rglob("*")):
        out[str(p.relative_to(folder))] = None if p.is_dir() else p.read_bytes()
    return out


def csv_cells(folder: Path) -> list[str]:
    """Every cell of every CSV file in `folder`, headers included, as a spreadsheet gets it."""
    import csv

    cells: list[str] = []
    for p in sorted(folder.glob("*.csv")):
        with p.open(encoding="utf-8-sig", newline="") as fh:
            cells += [c for row in csv.reader(fh) for c in row]
    return cells


def no_formula_can_run(folder: Path) -> None:
    runnable = [c for c in csv_cells(folder) if c[:1] in ("=", "+", "-", "@", "\t", "\r")]
    assert runnable == [], runnable


def no_scratch_left(folder: Path) -> None:
    left = [p.name for p in folder.rglob(".*") if p.name.endswith(".tmp") or p.name.startswith(".register-")]
    assert left == [], left


# --- 1. an existing folder is never emptied --------------------------------------------------------


def test_convert_refuses_a_folder_holding_a_file_it_did_not_write(tmp_path):
    src = write_json(tmp_path, base_register())
    out = tmp_path / "out"
    out.mkdir()
    (out / "organization.csv").write_text("name\nold\n", encoding="utf-8")
    (out / "thesis.txt").write_text("four years of work", encoding="utf-8")
    before = listing(out)
    err = one_error_line(run("convert", str(src), str(out)), str(out), "'thesis.txt'", "not a register table")
    assert "choose a new or empty folder" in err
    assert listing(out) == before
    no_scratch_left(tmp_path)


def test_convert_refuses_a_folder_holding_a_sub_folder(tmp_path):
    src = write_json(tmp_path, base_register())
    out = tmp_path / "out"
    (out / "chapters").mkdir(parents=True)
    (out / "chapters" / "one.csv").write_text("x\n", encoding="utf-8")
    (out / "parties.csv").write_text("party_id\nP1\n", encoding="utf-8")
    before = listing(out)
    one_error_line(run("convert", str(src), str(out)), str(out), "the folder 'chapters'")
    assert listing(out) == before
    no_scratch_left(tmp_path)


def test_convert_refuses_a_folder_of_unrelated_csv_files(tmp_path):
    """CSV files none of which is a register table are someone else's data."""
    src = write_json(tmp_path, base_register())
    out = tmp_path / "exports"
    out.mkdir()
    (out / "sales.csv").write_text("month,total\n1,2\n", encoding="utf-8")
    before = listing(out)
    one_error_line(run("convert", str(src), str(out)), str(out), "'sales.csv'")
    assert listing(out) == before


def test_convert_replaces_a_folder_it_wrote_itself(tmp_path):
    reg = base_register()
    reg["notes"] = [{"note": "kept as an unknown sheet"}]
    src = write_json(tmp_path, reg)
    out = tmp_path / "csv"
    assert run("convert", str(src), str(out)).exit_code == 0
    first = sorted(p.name for p in out.iterdir())
    assert "notes.csv" in first and "organization.csv" in first
    (out / ".DS_Store").write_bytes(b"\0")  # a file browser looked at it
    reg["notes"] = [{"note": "changed"}]
    write_json(tmp_path, reg)
    result = run("convert", str(src), str(out))
    assert result.exit_code == 0, result.stderr
    assert sorted(p.name for p in out.iterdir()) == first
    assert "changed" in (out / "notes.csv").read_text(encoding="utf-8-sig")
    no_scratch_left(tmp_path)


def test_records_out_dir_keeps_every_other_file(tmp_path):
    src = write_json(tmp_path, base_register())
    out = tmp_path / "out"
    (out / "sub").mkdir(parents=True)
    (out / "sub" / "x.csv").write_text("x\n", encoding="utf-8")
    (out / "thesis.txt").write_text("four years of work", encoding="utf-8")
    for fmt in ("csv", "xlsx", "json"):
        result = run("records", str(src), "--out", str(out), "--format", fmt, "--as-of", "2026-11-21")
        assert result.exit_code == 0, result.stderr
    assert (out / "thesis.txt").read_text(encoding="utf-8") == "four years of work"
    assert (out / "sub" / "x.csv").read_text(encoding="utf-8") == "x\n"
    assert {p.name for p in out.iterdir()} == {
        "sub", "thesis.txt", "records.json", "records.xlsx", "provision_records.csv",
        "provision_principals.csv", "confirmation_records.csv", "confirmation_principals.csv",
        "exempt_flows.csv",
    }


def test_atomic_dir_checks_the_folder_again_just_before_replacing_it(tmp_path):
    out = tmp_path / "out"
    out.mkdir()
    (out / "parties.csv").write_text("party_id\n", encoding="utf-8")
    with pytest.raises(OutputError, match="'late.docx'"):
        with atomic_dir(out) as tmp:
            (tmp / "parties.csv").write_text("new", encoding="utf-8")
            (out / "late.docx").write_bytes(b"written meanwhile")
    assert sorted(p.name for p in out.iterdir()) == ["late.docx", "parties.csv"]
    assert (out / "parties.csv").read_text(encoding="utf-8") == "party_id\n"
    no_scratch_left(tmp_path)


# --- 2. formulas neutralised in every CSV, and undone on reading --------------------------------

EVIL = ["=HYPERLINK(\"http://x\",\"y\")", "+cmd|' /C calc'!A0", "@SUM(1)", "-2+3", "\tx", "\rx"]


def test_convert_csv_neutralises_every_formula_and_reads_back_exactly(tmp_path):
    reg = base_register()
    reg["purposes"] = [{"purpose_id": f"U{k}", "description": v} for k, v in enumerate(EVIL)]
    reg["purposes"].append({"purpose_id": "UQ", "description": "'=already quoted", "=memo": "@x"})
    reg["purposes"].append({"purpose_id": "UA", "description": "'plain apostrophe"})
    reg["datasets"][0]["record_count"] = 12000
    src = write_json(tmp_path, reg)
    out = tmp_path / "csv"
    assert run("convert", str(src), str(out)).exit_code == 0
    rows = pl.read_csv(out / "purposes.csv", infer_schema=False)
    assert rows.columns == ["purpose_id", "description", "'=memo"]
    assert rows["description"].to_list() == (
        ["'" + v for v in EVIL] + ["''=already quoted", "'plain apostrophe"]
    )
    assert rows["'=memo"].to_list()[-2] == "'@x"
    assert pl.read_csv(out / "datasets.csv", infer_schema=False)["record_count"].to_list() == ["12000"]
    # read back: the very same values as the JSON given
    assert run("convert", str(out), str(tmp_path / "back.json")).exit_code == 0
    assert run("convert", str(src), str(tmp_path / "direct.json")).exit_code == 0
    assert (tmp_path / "back.json").read_bytes() == (tmp_path / "direct.json").read_bytes()
    back = json.loads((tmp_path / "back.json").read_text(encoding="utf-8"))
    assert [p["description"] for p in back["purposes"]] == EVIL + ["'=already quoted", "'plain apostrophe"]


def test_a_long_csv_read_by_polars_is_restored_too(tmp_path):
    """Past 16 KiB the reader takes polars' fast path: the `'` comes off there as well."""
    reg = base_register()
    reg["purposes"] = [
        {"purpose_id": f"U{k}", "description": EVIL[k % len(EVIL)].replace("\r", "=") + f" {k}"}
        for k in range(2_000)
    ]
    src = write_json(tmp_path, reg)
    write_register(load(src), tmp_path / "csv")
    assert (tmp_path / "csv" / "purposes.csv").stat().st_size > 16 * 1024
    no_formula_can_run(tmp_path / "csv")
    write_register(load(tmp_path / "csv"), tmp_path / "back.json")
    write_register(load(src), tmp_path / "direct.json")
    assert (tmp_path / "back.json").read_bytes() == (tmp_path / "direct.json").read_bytes()


def test_int_columns_stay_numbers_only_their_text_is_neutralised():
    col = ColumnValues("n", INT, pl.Series([-5, 3, None], dtype=pl.Int64), pl.Series([None, None, "-x"]))
    assert _text_column(col).to_list() == ["-5", "3", "'-x"]
    text = ColumnValues("t", TEXT, pl.Series(["-5", "a", None]))
    assert _text_column(text).to_list() == ["'-5", "a", None]


def test_records_and_disclosure_csv_use_the_same_reversible_rule(tmp_path):
    reg = base_register()
    reg["parties"][0]["name"] = "'=already quoted"
    reg["parties"][0]["address"] = "=HYPERLINK(\"x\")"
    src = write_json(tmp_path, reg)
    out = tmp_path / "rec"
    assert run("records", str(src), "--out", str(out), "--format", "csv", "--as-of", "2026-11-21").exit_code == 0
    rec = pl.read_csv(out / "provision_records.csv", infer_schema=False).row(0, named=True)
    assert rec["recipient_name"] == "''=already quoted"
    assert rec["recipient_address"] == "'=HYPERLINK(\"x\")"
    assert restore(rec["recipient_name"]) == "'=already quoted"


prefixes = st.sampled_from(["", "'", "''", "'''"])
triggers = st.sampled_from(["", "=", "+", "-", "@", "\t", "\r"])
bodies = st.text(st.characters(exclude_categories=("Cs",), exclude_characters="\x00\r\n"), max_size=12)
cell_texts = st.builds(lambda p, t, b: p + t + b, prefixes, triggers, bodies).filter(lambda s: s.strip())


@given(st.text(max_size=20))
def test_neutralise_and_restore_are_exact_inverses(text):
    assert restore(neutralise(text)) == text
    written = neutralise(text)
    assert not written.startswith(tuple("=+-@\t\r"))


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(cell_texts, min_size=1, max_size=4), cell_texts)
def test_json_to_csv_folder_to_json_returns_every_text_exactly(tmp_path_factory, texts, note):
    tmp = tmp_path_factory.mktemp("rt")
    reg = base_register()
    reg["purposes"] = [
        {"purpose_id": f"U{k}", "description": t, "=memo": t} for k, t in enumerate(texts)
    ]
    reg["notes"] = [{"'=note": note}]
    src = write_json(tmp, reg)
    write_register(load(src), tmp / "csv")
    no_formula_can_run(tmp / "csv")
    write_register(load(tmp / "csv"), tmp / "back.json")
    write_register(load(src), tmp / "direct.json")
    back = json.loads((tmp / "back.json").read_text(encoding="utf-8"))
    direct = json.loads((tmp / "direct.json").read_text(encoding="utf-8"))
    assert back == direct
    assert [p["description"] for p in back["purposes"]] == [p["description"] for p in direct["purposes"]]


# --- 3. template never overwrites a register ------------------------------------------------------


def test_template_never_overwrites_an_existing_file(tmp_path):
    filled = tmp_path / "register.xlsx"
    filled.write_bytes(SAMPLE_XLSX.read_bytes())
    one_error_line(run("template", str(filled)), str(filled), "already exists", "--force")
    assert filled.read_bytes() == SAMPLE_XLSX.read_bytes()
    assert sorted(p.name for p in tmp_path.iterdir()) == ["register.xlsx"]


def test_template_force_replaces_it(tmp_path):
    filled = tmp_path / "register.xlsx"
    filled.write_bytes(b"old")
    result = run("template", str(filled), "--force")
    assert result.exit_code == 0, result.stderr
    assert result.stdout == f"{filled}\n"
    assert filled.read_bytes()[:2] == b"PK"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["register.xlsx"]


def test_no_overwrite_holds_even_when_the_file_appears_while_writing(tmp_path):
    target = tmp_path / "t.xlsx"
    with pytest.raises(OutputError, match="already exists"):
        with atomic_file(target, overwrite=False) as tmp:
            tmp.write_bytes(b"new")
            target.write_bytes(b"someone else's")
    assert target.read_bytes() == b"someone else's"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["t.xlsx"]


# --- 4. SIGTERM at any point: outputs as they were, no temporary file anywhere -------------------


@pytest.fixture(scope="module")
def big_register(tmp_path_factory) -> Path:
    sys.path.insert(0, str(ROOT / "benchmarks"))
    import generate

    out = tmp_path_factory.mktemp("big") / "register"
    generate.generate(out, 200_000, seed=5)
    return out


def _cli(*args: str | bytes, env: dict[str, str]) -> subprocess.Popen:
    return subprocess.Popen(
        [sys.executable, "-c", "from register.cli import main; main()", *args],
        stdout=subprocess.PIPE, stderr=subprocess.PIPE, env=env, cwd=str(ROOT),
    )


def _private_env(tmp: Path) -> dict[str, str]:
    tmp.mkdir(exist_ok=True)
    return {**os.environ, "TMPDIR": str(tmp), "REGISTER_DEBUG": ""}


def _terminate_at(args: list[str], delays: list[float], out_folder: Path, tmp: Path,
                  complete: dict | None = None) -> int:
    """Run the CLI once per delay and SIGTERM it then. Afterwards the outputs are exactly as
    before (or, when the run had already finished, exactly `complete`), nothing is left in
    the private TMPDIR, and an interrupted run said so in one line and exit 2. Returns how
    many runs the signal interrupted."""
    env = _private_env(tmp)
    before = listing(out_folder)
    interrupted = 0
    for delay in delays:
        proc = _cli(*args, "--quiet", env=env)
        time.sleep(delay)
        sent = time.monotonic()
        proc.send_signal(signal.SIGTERM)
        out, err = proc.communicate(timeout=60)
        stopped = time.monotonic() - sent
        now = listing(out_folder)
        assert list(tmp.iterdir()) == [], delay
        no_scratch_left(out_folder)
        if proc.returncode == 2:
            interrupted += 1
            assert err.decode() == "register: interrupted (SIGTERM); no output was written or changed\n", err
            assert out == b""
            assert stopped < 5, f"took {stopped:.1f} s to stop"
            assert now == before, delay
        else:
            # finished before the signal, or killed by it while Python was starting or ending
            # (no output open then): all or nothing
            assert proc.returncode in (0, -signal.SIGTERM), (delay, proc.returncode, err)
            assert now == before or (complete is not None and now == complete), delay
        if now != before:  # it finished: put the old outputs back for the next run
            for name in sorted(now, reverse=True):
                p = out_folder / name
                p.rmdir() if p.is_dir() else p.unlink()
            for name, data in sorted(before.items()):
                p = out_folder / name
                p.mkdir() if data is None else p.write_bytes(data)
    return interrupted


def _full_run(args: list[str], out_folder: Path, tmp: Path) -> tuple[float, dict]:
    """How long the command takes here, and what it writes (run on a copy of the folder)."""
    start = time.monotonic()
    proc = _cli(*args, "--quiet", env=_private_env(tmp))
    _, err = proc.communicate(timeout=300)
    assert proc.returncode == 0, err
    return time.monotonic() - start, listing(out_folder)


def test_sigterm_during_convert_to_xlsx(big_register, tmp_path):
    out = tmp_path / "out"
    out.mkdir()
    (out / "register.xlsx").write_bytes(b"the old register")
    # XlsxWriter takes many seconds over 200,000 rows: every point is inside the run
    n = _terminate_at(["convert", str(big_register), str(out / "register.xlsx")], [0.8, 2.5, 4.5],
                      out, tmp_path / "tmp")
    assert n >= 2


def test_sigterm_during_convert_to_a_csv_folder(big_register, tmp_path):
    ref = tmp_path / "ref"
    ref.mkdir()
    took, complete = _full_run(["convert", str(big_register), str(ref / "csv")], ref, tmp_path / "tmp")
    out = tmp_path / "out"
    (out / "csv").mkdir(parents=True)
    (out / "csv" / "organization.csv").write_text("name\nold\n", encoding="utf-8")
    delays = [took * f for f in (0.5, 0.65, 0.8, 0.95)]
    n = _terminate_at(["convert", str(big_register), str(out / "csv")], delays, out, tmp_path / "tmp",
                      complete)
    assert n >= 1


def test_sigterm_during_records_xlsx_written_in_rust(big_register, tmp_path):
    def args(out: Path) -> list[str]:
        return ["records", str(big_register), "--out", str(out), "--format", "xlsx", "--as-of", "2025-06-30"]

    ref = tmp_path / "ref"
    ref.mkdir()
    (ref / "records.xlsx").write_bytes(b"the old records")
    took, complete = _full_run(args(ref), ref, tmp_path / "tmp")
    out = tmp_path / "rec"
    out.mkdir()
    (out / "records.xlsx").write_bytes(b"the old records")
    delays = [took * f for f in (0.5, 0.65, 0.8, 0.95)]
    n = _terminate_at(args(out), delays, out, tmp_path / "tmp", complete)
    assert n >= 1


def test_writers_keep_their_temporary_files_in_the_scratch_folder(tmp_path, monkeypatch):
    """XlsxWriter (convert, template) and rust_xlsxwriter (records) never use the system temp
    folder: their files are removed with the scratch folder."""
    private = tmp_path / "systemp"
    private.mkdir()
    monkeypatch.setenv("TMPDIR", str(private))
    monkeypatch.setattr("tempfile.tempdir", str(private))
    seen: list[str] = []
    import tempfile

    real = tempfile.mkstemp

    def spy(*a, **k):
        fd, name = real(*a, **k)
        seen.append(name)
        return fd, name

    monkeypatch.setattr(tempfile, "mkstemp", spy)
    src = write_json(tmp_path, base_register())
    assert run("convert", str(src), str(tmp_path / "r.xlsx")).exit_code == 0
    assert run("template", str(tmp_path / "t.xlsx")).exit_code == 0
    assert seen and all("/.register-" in n and str(private) not in n for n in seen), seen
    assert list(private.iterdir()) == []


# --- 5. a full disk: one line, exit 2, nothing left ---------------------------------------------


@pytest.fixture
def tiny_disk(tmp_path):
    """A 64 KiB tmpfs (root only); skipped, saying why, where mounting is not allowed."""
    where = tmp_path / "tiny"
    where.mkdir()
    try:
        done = subprocess.run(["mount", "-t", "tmpfs", "-o", "size=64k", "tmpfs", str(where)],
                              capture_output=True, timeout=20)
    except (OSError, subprocess.TimeoutExpired) as exc:
        pytest.skip(f"cannot mount a small tmpfs here: {exc}")
    if done.returncode != 0:
        pytest.skip(f"cannot mount a small tmpfs here: {done.stderr.decode().strip()}")
    try:
        yield where
    finally:
        subprocess.run(["umount", str(where)], capture_output=True, timeout=20)


@pytest.mark.parametrize(
    "command",
    [
        ["convert", str(SAMPLE_XLSX), "{d}/out.xlsx"],
        ["convert", str(SAMPLE_XLSX), "{d}/csv"],
        ["template", "{d}/t.xlsx"],
        ["records", "{big}", "--out", "{d}/rec", "--format", "xlsx"],
        ["records", "{big}", "--out", "{d}/rec", "--format", "csv"],
    ],
    ids=["convert-xlsx", "convert-csv", "template", "records-xlsx", "records-csv"],
)
def test_disk_full_is_one_line_and_leaves_nothing(tiny_disk, big_register, command):
    env = {**_private_env(tiny_disk / "tmp"), "TMPDIR": str(tiny_disk / "tmp")}
    args = [a.format(d=tiny_disk, big=big_register) for a in command]
    target = next(a for a in args if a.startswith(str(tiny_disk)))
    proc = _cli(*args, "--quiet" if command[0] != "template" else "--lang=en", env=env)
    out, err = proc.communicate(timeout=120)
    text = err.decode()
    assert proc.returncode == 2, text
    assert out == b""
    assert text.count("\n") == 1 and text.startswith(f"register: error: {target}"), text
    assert text.endswith("cannot be written (No space left on device)\n"), text
    assert sorted(p.name for p in tiny_disk.iterdir()) == ["tmp"]
    assert list((tiny_disk / "tmp").iterdir()) == []


def test_enospc_inside_the_xlsx_writer_is_one_line(tmp_path, monkeypatch):
    import xlsxwriter.worksheet

    systemp = tmp_path / "systemp"
    systemp.mkdir()
    monkeypatch.setattr("tempfile.tempdir", str(systemp))

    def full(*a, **k):
        raise OSError(errno.ENOSPC, "No space left on device")

    monkeypatch.setattr(xlsxwriter.worksheet.Worksheet, "write_string", full)
    src = write_json(tmp_path, base_register())
    out = tmp_path / "out.xlsx"
    one_error_line(run("convert", str(src), str(out)), str(out), "cannot be written (No space left on device)")
    one_error_line(run("template", str(tmp_path / "t.xlsx")), str(tmp_path / "t.xlsx"), "No space left")
    assert sorted(p.name for p in tmp_path.iterdir()) == ["register.json", "systemp"]
    assert list(systemp.iterdir()) == []  # no XlsxWriter temp file left in the temp folder


def test_enospc_from_polars_is_one_line(tmp_path, monkeypatch):
    def full(self, *a, **k):
        raise OSError("No space left on device (os error 28)")  # as polars raises it: no errno

    monkeypatch.setattr(pl.DataFrame, "write_csv", full)
    src = write_json(tmp_path, base_register())
    out = tmp_path / "csv"
    one_error_line(run("convert", str(src), str(out)), str(out), "cannot be written (No space left on device)")
    assert sorted(p.name for p in tmp_path.iterdir()) == ["register.json"]


# --- 6. only failures of the output are "cannot be written" --------------------------------------


def test_an_error_that_is_not_about_the_output_surfaces_as_itself(tmp_path):
    target = tmp_path / "out.json"
    with pytest.raises(FileNotFoundError) as caught:
        with atomic_file(target) as tmp:
            tmp.write_text("{}", encoding="utf-8")
            open(tmp_path / "package" / "schema.json", encoding="utf-8")  # noqa: SIM115
    assert "schema.json" in str(caught.value)
    assert list(tmp_path.iterdir()) == []
    with pytest.raises(ZeroDivisionError):
        with atomic_dir(tmp_path / "csv"):
            1 / 0  # noqa: B018
    assert list(tmp_path.iterdir()) == []


def test_errors_about_the_output_are_cannot_be_written(tmp_path):
    target = tmp_path / "out.json"
    with pytest.raises(OutputError, match="cannot be written .No space left on device."):
        with atomic_file(target):
            raise OSError(errno.ENOSPC, "No space left on device")
    with pytest.raises(OutputError, match="cannot be written .Permission denied."):
        with atomic_file(target) as tmp:
            raise PermissionError(errno.EACCES, "Permission denied", str(tmp))
    assert list(tmp_path.iterdir()) == []


def test_template_reports_a_missing_package_file_not_an_unwritable_output(tmp_path, monkeypatch):
    from register import schema

    def missing():
        raise FileNotFoundError(errno.ENOENT, "No such file or directory", "/pkg/schemas/x.schema.json")

    monkeypatch.setattr(schema, "tables", missing)
    result = run("template", str(tmp_path / "t.xlsx"))
    assert result.exit_code == 2
    assert "cannot be written" not in result.stderr
    assert "x.schema.json" in result.stderr and result.stderr.count("\n") == 1
    assert list(tmp_path.iterdir()) == []


# --- 7. every failure is one line naming the file; odd names and closed pipes -----------------


def test_one_line_escapes_what_could_forge_or_hide_a_line():
    assert one_line("a\nregister: error: forged") == "a\\nregister: error: forged"
    assert one_line("x\r\x1b[31m\u2028\u202e") == "x\\r\\x1b[31m\\u2028\\u202e"
    assert one_line("c\udcff.csv") == "c\\xff.csv"
    assert one_line("記録/提供記録.csv") == "記録/提供記録.csv"


def test_a_file_name_with_a_line_break_gives_one_line(tmp_path):
    src = write_json(tmp_path, base_register())
    bad = tmp_path / "bad\nregister: error: forged" / "x.json"
    result = run("convert", str(src), str(bad))
    assert result.exit_code == 2
    assert result.stderr.count("\n") == 1
    assert "bad\\nregister: error: forged" in result.stderr


@pytest.mark.parametrize(
    "args",
    [
        ["convert", "{src}", b"{d}/c\xff"],
        ["convert", "{src}", b"{d}/x\xff.xlsx"],
        ["records", "{src}", "--out", b"{d}/r\xff", "--format", "csv"],
        ["records", "{src}", "--out", b"{d}/r\xff", "--format", "xlsx"],
        ["disclose", "{src}", "--principal", "A1", "--out", b"{d}/p\xff.csv"],
    ],
    ids=["convert-csv", "convert-xlsx", "records-csv", "records-xlsx", "disclose-csv"],
)
def test_output_names_that_are_not_utf8(tmp_path, args):
    src = write_json(tmp_path, base_register())
    d = os.fsencode(tmp_path)
    argv = [a.replace(b"{d}", d) if isinstance(a, bytes) else a.format(src=src) for a in args]
    proc = _cli(*argv, "--as-of", "2026-11-21", env=_private_env(tmp_path / "tmp")) if args[0] != "convert" \
        else _cli(*argv, env=_private_env(tmp_path / "tmp"))
    out, err = proc.communicate(timeout=120)
    assert proc.returncode == 0, err
    assert b"internal error" not in err and b"Traceback" not in err
    written = [os.fsencode(p) for p in tmp_path.iterdir()]
    assert any(b"\xff" in p for p in written), written
    assert b"\\xff" in out  # the name shown escaped, one line per output
    assert list((tmp_path / "tmp").iterdir()) == []


@pytest.mark.parametrize("entry", [["-c", "from register.cli import main; main()"],
                                   ["-m", "register"]], ids=["main", "console-script"])
def test_a_closed_stdout_pipe_ends_quietly(tmp_path, entry):
    for args in (["rules"], ["rules", "--format", "json"], ["check", str(SAMPLE_XLSX)]):
        proc = subprocess.Popen(
            [sys.executable, *entry, *args],
            stdout=subprocess.PIPE, stderr=subprocess.PIPE, cwd=str(ROOT),
        )
        proc.stdout.close()  # the reader went away, as `| head -c1` does
        err = proc.stderr.read()
        proc.wait(timeout=60)
        assert err == b"", err
        assert proc.returncode == 141, (args, proc.returncode)


def test_a_closed_stdout_descriptor_is_no_internal_error(tmp_path):
    for args in (["rules"], ["check", str(SAMPLE_XLSX)], ["convert", str(SAMPLE_XLSX), str(tmp_path / "r.json")]):
        proc = subprocess.run(
            [sys.executable, "-c", "from register.cli import main; main()", *args],
            stderr=subprocess.PIPE, cwd=str(ROOT), timeout=120,
            preexec_fn=lambda: os.close(1),  # as `>&-` does
        )
        assert b"internal error" not in proc.stderr and b"Traceback" not in proc.stderr, proc.stderr
        assert proc.returncode in (0, 1), (args, proc.returncode, proc.stderr)
    assert json.loads((tmp_path / "r.json").read_text(encoding="utf-8"))["organization"]


# --- 8. true totals past the cap; no unfilled message template --------------------------------


def _many_errors(tmp_path: Path, n: int = 150) -> Path:
    reg = base_register()
    reg["provision_log"] = [
        {"event_id": f"E{i}", "provision_id": "V9", "provided_on": "2026-04-01", "principal_ids": ["A1"]}
        for i in range(n)
    ]
    return write_json(tmp_path, reg)


def test_records_prints_the_true_number_of_errors(tmp_path):
    src = _many_errors(tmp_path)
    result = run("records", str(src), "--out", str(tmp_path / "rec"), "--format", "json", "--as-of", "2026-11-21")
    assert result.exit_code == 0
    assert result.stderr == "150 errors\n"


def test_convert_prints_the_true_totals_and_filled_messages(tmp_path):
    src = _many_errors(tmp_path)
    result = run("convert", str(src), str(tmp_path / "out.json"))
    assert result.exit_code == 0
    lines = result.stderr.splitlines()
    # the warnings are the base register's own (PUB-004 and the like: publish.md §6)
    assert re.match(r"150 errors, \d+ warnings?, 0 info in ", lines[0]), lines[0]
    assert len(lines) == 1 + 5
    assert all("{" not in line for line in lines), lines
    assert all("REF-002" in line and "V9" in line for line in lines[1:]), lines


def test_atomic_module_has_one_scratch_folder_per_write(tmp_path):
    """The scratch folder is the one place writers park anything, and it always goes."""
    with atomic_file(tmp_path / "a.txt") as tmp:
        assert tmp.parent.name.startswith(".register-") and tmp.parent.parent == tmp_path
        (tmp.parent / "xlsxwriter-temp").write_bytes(b"every principal's name")
        tmp.write_text("done", encoding="utf-8")
    assert sorted(p.name for p in tmp_path.iterdir()) == ["a.txt"]
    assert not atomic.abandoned_writer()


@pytest.mark.parametrize("command", ["convert", "records"])
def test_a_signal_during_the_renames_lets_the_command_finish(command, tmp_path, monkeypatch):
    """SIGTERM while the outputs are renamed into place waits for the renames; the outputs are
    then complete, so the command ends as it would have (exit 0), never with "no output was
    written or changed" beside outputs it wrote (seen once in CI for convert). The signal is
    dropped when the command ends: nothing is left pending for the caller."""
    real = os.replace
    sent = []

    def replace_and_signal(src, dst):
        if not sent:
            sent.append(dst)
            os.kill(os.getpid(), signal.SIGTERM)  # held back: the renames go on
        return real(src, dst)

    monkeypatch.setattr(atomic.os, "replace", replace_and_signal)
    out = tmp_path / "out"
    args = [command, str(SAMPLE_XLSX), str(out)] if command == "convert" else \
        [command, str(SAMPLE_XLSX), "--out", str(out), "--format", "csv"]
    r = run(*args, "--quiet")
    assert sent, "no rename happened"
    assert r.exit_code == 0, r.output
    assert "interrupted" not in r.output
    assert (out / "provision_log.csv" if command == "convert" else out / "provision_records.csv").exists()
    assert signal.pthread_sigmask(signal.SIG_BLOCK, []) & set(atomic.DEFERRED_SIGNALS) == set()


def test_the_console_script_ends_at_once_and_leaves_nothing_behind(big_register, tmp_path):
    """`run` (the console script) ends the process as soon as the outputs are in place: the
    same outputs and exit status as `main`, and the streamed log's scratch folder is gone."""
    folder = big_register  # (UTF-8: the streamed reader takes it)
    got = {}
    for name, entry in (("main", ["-c", "from register.cli import main; main()"]),
                        ("run", ["-m", "register"])):
        env = {**_private_env(tmp_path / f"tmp-{name}"),
               "REGISTER_STREAM_BYTES": "0", "REGISTER_STREAM_ROWS": "0"}  # the log streamed
        out = tmp_path / f"out-{name}"
        proc = subprocess.run([sys.executable, *entry, "records", str(folder), "--out", str(out),
                               "--format", "csv", "--as-of", "2026-11-21"],
                              capture_output=True, env=env, cwd=str(ROOT), timeout=120)
        got[name] = (proc.returncode, proc.stdout, proc.stderr,
                     {p.name: p.read_bytes() for p in sorted(out.iterdir())})
        assert list((tmp_path / f"tmp-{name}").iterdir()) == []
    assert got["run"][0] in (0, 1)
    assert got["run"][0] == got["main"][0]
    assert got["run"][2] == got["main"][2]
    assert got["run"][3] == got["main"][3] and len(got["run"][3]) == 5
    assert got["run"][1].replace(b"out-run", b"out-main") == got["main"][1]


def test_sigterm_while_the_principals_are_written_beside_the_records(big_register, tmp_path):
    """A streamed log's provision principals are written on a thread of their own while the
    other tables are written (export.write_csv_files). SIGTERM while that writer runs (held
    here by a slow writer, so the signal lands in it every time): exit 2 within seconds, the
    outputs as they were, and nothing left in TMPDIR, the log's scratch folder included."""
    folder = big_register
    out = tmp_path / "out"
    out.mkdir()
    (out / "memo.txt").write_text("kept", encoding="utf-8")
    marker = tmp_path / "writing"
    tmp = tmp_path / "tmp"
    env = {**_private_env(tmp), "REGISTER_STREAM_BYTES": "0", "REGISTER_STREAM_ROWS": "0"}
    slow = (
        "import pathlib, sys, time\n"
        "import register.export as export\n"
        "real = export.write_gathered_csv\n"
        "def slow(*a):\n"
        f"    pathlib.Path({str(marker)!r}).touch()\n"
        "    time.sleep(30)\n"
        "    return real(*a)\n"
        "export.write_gathered_csv = slow\n"
        "from register.cli import main\n"
        "main()\n"
    )
    proc = subprocess.Popen(
        [sys.executable, "-c", slow, "records", str(folder), "--out", str(out), "--format", "csv",
         "--as-of", "2026-11-21", "--quiet"],
        stdout=subprocess.PIPE, stderr=subprocess.PIPE, env=env, cwd=str(ROOT))
    deadline = time.monotonic() + 60
    while not marker.exists() and time.monotonic() < deadline and proc.poll() is None:
        time.sleep(0.02)
    assert marker.exists(), proc.communicate()
    assert [p.name[:13] for p in tmp.iterdir()] == ["register-log-"]  # the log was streamed
    time.sleep(0.2)
    sent = time.monotonic()
    proc.send_signal(signal.SIGTERM)
    _, err = proc.communicate(timeout=60)
    assert proc.returncode == 2, err
    assert err.decode() == "register: interrupted (SIGTERM); no output was written or changed\n"
    assert time.monotonic() - sent < 5
    assert sorted(p.name for p in out.iterdir()) == ["memo.txt"]
    assert list(tmp.iterdir()) == []
