"""Nothing lost, nothing destroyed: what an outsider broke in the readers.

Each test builds the broken input the way it was found (a stray quote, a late NUL, a row that
is not an object, an error cell, an absurd cell reference, a column named twice, a date at the
end of the calendar, a small file that asks for gigabytes) and holds the command to its
contract: a finding located at the cell or pointer that caused it, or exit 2 with one line
naming the file, and never an internal error.
"""

from __future__ import annotations

import io
import json
import zipfile
from pathlib import Path

import pytest
from click.testing import CliRunner

from register import limits
from register.cli import main
from tests.conftest import AS_OF, base_register, workbook_bytes

ASOF = AS_OF.isoformat()


@pytest.fixture(autouse=True)
def _default_limits():
    """The CLI sets process-wide limits; put the defaults back for the next test."""
    yield
    limits.use(limits.DEFAULTS)


def run(*args: str):
    return CliRunner().invoke(main, list(args))


def refused(result, shown: str, *phrases: str) -> str:
    """Exit 2, nothing on stdout, one line on stderr naming the file: no traceback."""
    assert result.exit_code == 2, (result.exit_code, result.stdout, result.stderr)
    assert result.stdout == ""
    err = result.stderr
    assert err.count("\n") == 1 and err.startswith(f"register: error: {shown}: "), err
    assert "internal error" not in err and "Traceback" not in err
    for p in phrases:
        assert p in err, err
    return err


def findings(path: Path, *extra: str) -> tuple[int, list[dict]]:
    """(exit code, findings) of `register check --format json`."""
    r = run("check", str(path), "--as-of", ASOF, "--format", "json", *extra)
    assert r.exit_code in (0, 1), (r.exit_code, r.stdout, r.stderr)
    return r.exit_code, json.loads(r.stdout)["findings"]


def of_rule(found: list[dict], rule: str) -> list[dict]:
    return [f for f in found if f["rule"] == rule]


def write_json(tmp_path: Path, reg: dict, name: str = "register.json") -> Path:
    p = tmp_path / name
    p.write_text(json.dumps(reg, ensure_ascii=False), encoding="utf-8")
    return p


def edit_part(data: bytes, part: str, edit) -> bytes:
    """The workbook with one part's bytes changed by `edit` (everything else as it was)."""
    src = zipfile.ZipFile(io.BytesIO(data))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as z:
        for name in src.namelist():
            body = src.read(name)
            z.writestr(name, edit(body) if name == part else body)
    return out.getvalue()


def sheet_part(data: bytes, sheet: str) -> str:
    """The part holding `sheet` in a workbook openpyxl wrote (sheets in order, sheetN.xml)."""
    import openpyxl

    names = openpyxl.load_workbook(io.BytesIO(data), read_only=True).sheetnames
    return f"xl/worksheets/sheet{names.index(sheet) + 1}.xml"


# --- 2. silent drops become findings -----------------------------------------------------------


def test_json_entries_that_are_not_records_are_findings_at_their_pointer(tmp_path):
    reg = base_register()
    reg["provision_log"] += ["E2,V1,2026-04-02,A2", None, [1, 2]]
    reg["purposes"] = "U1"  # a whole table that is not an array of records
    code, found = findings(write_json(tmp_path, reg))
    assert code == 1
    got = {(f["location"]["pointer"], f["table"], f["severity"]) for f in of_rule(found, "INP-004")}
    assert got == {
        ("/provision_log/1", "provision_log", "error"),
        ("/provision_log/2", "provision_log", "error"),
        ("/provision_log/3", "provision_log", "error"),
        ("/purposes", "purposes", "error"),
    }
    first = next(f for f in found if f["location"]["pointer"] == "/provision_log/1")
    assert '"E2,V1,2026-04-02,A2"' in first["message"]


def test_an_array_entry_holding_a_separator_is_one_invalid_id(tmp_path):
    """`["A1", "B2;C3"]` names A1 and one invalid ID, never B2 and C3."""
    reg = base_register()
    reg["principals"] = [{"principal_id": p, "name": p} for p in ("A1", "B2", "C3")]
    reg["provision_log"][0]["principal_ids"] = ["A1", "B2;C3"]
    p = write_json(tmp_path, reg)
    code, found = findings(p)
    assert code == 1
    [f] = of_rule(found, "SCH-003")
    assert f["location"]["pointer"] == "/provision_log/0/principal_ids/1"
    assert (f["table"], f["record"], f["field"]) == ("provision_log", "E1", "principal_ids")
    assert "B2;C3" in f["message"]
    for who, events in (("A1", ["E1"]), ("B2", []), ("C3", [])):
        out = tmp_path / f"{who}.json"
        r = run("disclose", str(p), "--principal", who, "--out", str(out), "--as-of", ASOF)
        assert r.exit_code == 0, r.stderr
        records = json.loads(out.read_text(encoding="utf-8"))["provision_records"]
        assert sorted(e for rec in records for e in rec["event_ids"]) == events


@pytest.mark.parametrize("sep", [";", "；", "、", "､"])
def test_a_separator_entry_survives_a_json_round_trip(tmp_path, sep):
    reg = base_register()
    reg["provision_log"][0]["principal_ids"] = ["A1", f"B2{sep}C3"]
    p = write_json(tmp_path, reg)
    out = tmp_path / "again.json"
    assert run("convert", str(p), str(out)).exit_code == 0
    _, found = findings(out)
    [f] = of_rule(found, "SCH-003")
    assert f["location"]["pointer"] == "/provision_log/0/principal_ids/1"
    assert f"B2{sep}C3" in f["message"]


def test_an_error_cell_is_a_finding_at_its_cell(tmp_path):
    data = workbook_bytes()
    part = sheet_part(data, "provision_log")
    p = tmp_path / "errors.xlsx"
    p.write_bytes(edit_part(data, part, lambda b: b.replace(
        b'<c r="D2" t="inlineStr"><is><t>A1</t></is></c>',
        b'<c r="D2" t="e"><f>VLOOKUP(X1,Y:Y,1,0)</f><v>#N/A</v></c>',
    ).replace(
        b'<c r="C2" t="inlineStr"><is><t>2026-04-01</t></is></c>',
        b'<c r="C2" t="e"><v>#REF!</v></c>',
    )))
    _, found = findings(p)
    got = {
        (f["location"]["sheet"], f["location"]["cell"], f["field"], f["record"])
        for f in of_rule(found, "INP-005")
    }
    assert got == {("provision_log", "C2", "provided_on", "E1"), ("provision_log", "D2", "principal_ids", "E1")}
    messages = " ".join(f["message"] for f in of_rule(found, "INP-005"))
    assert "#N/A" in messages and "#REF!" in messages
    # read as empty: the required date is missing, at the same cell
    assert any(f["location"]["cell"] == "C2" for f in of_rule(found, "SCH-002"))


# --- 4. a cell reference outside Excel's grid -------------------------------------------------


@pytest.mark.parametrize(
    "old, new, phrase",
    [
        (b'r="D2"', b'r="AAAAAAAA2"', "has a cell at 'AAAAAAAA2'"),
        (b'<dimension ref="A1:D2"', b'<dimension ref="A1:AAAAAAAA2"', "declares its extent as 'AAAAAAAA2'"),
        (b'<row r="2">', b'<row r="99999999999">', "row 99,999,999,999"),
    ],
)
def test_a_reference_outside_the_grid_is_refused_before_calamine(tmp_path, old, new, phrase):
    """calamine aborts the process (exit 134) on `AAAAAAAA1`: refused from the zip first."""
    data = workbook_bytes()
    part = sheet_part(data, "provision_log")
    p = tmp_path / "absurd.xlsx"
    p.write_bytes(edit_part(data, part, lambda b: b.replace(old, new)))
    assert p.read_bytes() != data
    refused(run("check", str(p)), str(p), "sheet 'provision_log'", phrase, "outside Excel's grid")


# --- 6. one column under both its names --------------------------------------------------------


@pytest.mark.parametrize("form", ["xlsx", "json"])
def test_a_column_under_both_its_names_is_a_finding_at_the_second(tmp_path, form):
    reg = base_register()
    reg["provisions"][0] = {"提供ID": "V1", **reg["provisions"][0]}
    if form == "xlsx":
        p = tmp_path / "twice.xlsx"
        p.write_bytes(workbook_bytes(reg))
    else:
        p = write_json(tmp_path, reg)
    _, found = findings(p)
    [f] = of_rule(found, "SCH-005")
    assert f["table"] == "provisions"
    assert "is the column provision_id again" in f["message"]
    if form == "xlsx":
        assert (f["location"]["sheet"], f["location"]["cell"]) == ("provisions", "B1")
    else:
        assert f["location"]["pointer"] == "/provisions/0/provision_id"
    # the first column is the one read: V1 is still the provision the log names
    assert not of_rule(found, "REF-002")


# --- 7. `_xHHHH_` text survives an xlsx round trip ---------------------------------------------

ESCAPE_LIKE = [
    "_x005F_x0041_", "_x0041_", "a_x000D_b", "_x005f_x005F_", "_X0041_", "x_x0041_x0041_", "_x005F_",
]


def test_escape_like_text_survives_an_xlsx_round_trip(tmp_path):
    """xlsx escapes `_xHHHH_`: written once escaped, read once unescaped, the text is kept."""
    reg = base_register()
    reg["purposes"] += [{"purpose_id": f"U{k + 2}", "description": v} for k, v in enumerate(ESCAPE_LIKE)]
    xlsx, back = tmp_path / "r.xlsx", tmp_path / "back.json"
    assert run("convert", str(write_json(tmp_path, reg)), str(xlsx)).exit_code == 0
    assert run("convert", str(xlsx), str(back)).exit_code == 0
    got = [p["description"] for p in json.loads(back.read_text(encoding="utf-8"))["purposes"]]
    assert got[1:] == ESCAPE_LIKE


def test_an_escaped_cell_is_unescaped_exactly_once(tmp_path):
    """What Excel writes: `_x005F_` is a literal `_`, `_x0041_` the letter A."""
    data = workbook_bytes()
    part = sheet_part(data, "purposes")
    p = tmp_path / "escaped.xlsx"
    p.write_bytes(edit_part(data, part, lambda b: b.replace(
        "<t>サービスの提供</t>".encode(), b"<t>_x005F_x0041_ and _x0041_</t>"
    )))
    back = tmp_path / "back.json"
    assert run("convert", str(p), str(back)).exit_code == 0
    assert json.loads(back.read_text(encoding="utf-8"))["purposes"][0]["description"] == "_x0041_ and A"


# --- 3. dates at the end of the calendar -------------------------------------------------------

SAMPLE = Path(__file__).resolve().parent.parent / "sample_data" / "register.json"


@pytest.fixture
def end_of_calendar(tmp_path) -> Path:
    """The sample register with 9999-12-31 ("no end") typed into dates that derive others, and
    an audit interval of 999,999 months."""
    reg = json.loads(SAMPLE.read_text(encoding="utf-8"))
    reg["provision_log"][0]["provided_on"] = "9999-12-31"  # EV-00001: retention from it
    reg["provision_log"][5]["recorded_on"] = "9999-12-31"  # EV-00002
    reg["receipts"][0]["received_on"] = "9999-12-31"  # RC-001
    reg["contractors"][0]["audit_interval_months"] = 999999  # CT-001
    reg["contractors"][1]["last_audit_on"] = "9999-12-31"  # CT-002
    party = next(p for p in reg["parties"] if p.get("safeguard_checked_on"))
    party["safeguard_checked_on"] = "9999-12-31"
    return write_json(tmp_path, reg, "end.json")


def test_a_derived_date_past_9999_is_a_finding_at_its_cell(end_of_calendar):
    code, found = findings(end_of_calendar)
    assert code == 1
    got = {(f["location"]["pointer"], f["record"]) for f in of_rule(found, "SCH-003")}
    assert got == {
        ("/provision_log/0/provided_on", "EV-00001"),
        ("/provision_log/5/recorded_on", "EV-00002"),
        ("/receipts/0/received_on", "RC-001"),
        ("/contractors/0/audit_interval_months", "CT-001"),
        ("/contractors/1/last_audit_on", "CT-002"),
        ("/parties/2/safeguard_checked_on", "PT-CLOUDUS"),
    }
    assert all("9999-12-31" in f["message"] for f in of_rule(found, "SCH-003"))


def test_every_command_runs_on_dates_at_the_end_of_the_calendar(end_of_calendar, tmp_path):
    """It used to be `internal error: year 10002 is out of range` for every command."""
    out = tmp_path / "out"
    for args in (
        ["records", "--out", str(out / "records"), "--format", "json"],
        ["report", "--out", str(out / "report.html")],
        ["disclose", "--principal", "PR-00312", "--out", str(out / "d.json")],
        ["convert", str(out / "register.xlsx")],
    ):
        cmd, rest = args[0], args[1:]
        r = run(cmd, str(end_of_calendar), *rest, *([] if cmd == "convert" else ["--as-of", ASOF]))
        assert r.exit_code == 0, (cmd, r.stderr)
        assert "internal error" not in r.stderr
    # the record kept from 9999-12-31 is kept until the calendar's end, not dropped
    records = json.loads((out / "records" / "records.json").read_text(encoding="utf-8"))
    kept = {r["record_id"]: r["retain_until"] for r in records["provision_records"]}
    assert kept["P/PV-OPTOUT/EV-00001"] == "9999-12-31"
    disclosed = json.loads((out / "d.json").read_text(encoding="utf-8"))
    assert "9999-12-31" in {r["retain_until"] for r in disclosed["provision_records"]}
    # the same cells in a workbook: found at their cells
    _, found = findings(out / "register.xlsx")
    cells = {(f["location"]["sheet"], f["field"]) for f in of_rule(found, "SCH-003")}
    assert ("provision_log", "provided_on") in cells and ("contractors", "audit_interval_months") in cells


# --- 5. small files inside the limits must not take gigabytes ---------------------------------

ROOT = Path(__file__).resolve().parent.parent
GIB = 1024**3

# Runs one command in a fresh process, under an address-space cap as a safety net (a
# regression fails here instead of taking the machine's memory), and prints the command's
# peak resident memory: measured from a small parent, so that the figure is the command's own.
_MEASURE = """
import resource, subprocess, sys
def cap():
    resource.setrlimit(resource.RLIMIT_AS, (6 << 30, 6 << 30))
r = subprocess.run([sys.executable, "-m", "register", *sys.argv[1:]], capture_output=True,
                   text=True, preexec_fn=cap)
peak = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
print(r.returncode, peak * (1 if sys.platform == "darwin" else 1024))
sys.stderr.write(r.stderr)
"""


def measured(*args: str) -> tuple[int, int, str]:
    """(exit code, peak resident bytes, stderr) of `register ARGS` in its own process (the
    checkout's code, whatever the environment has installed)."""
    import subprocess
    import sys

    r = subprocess.run(
        [sys.executable, "-c", _MEASURE, *args], capture_output=True, text=True, cwd=ROOT,
        timeout=300,
    )
    code, peak = (int(x) for x in r.stdout.split())
    return code, peak, r.stderr


def sparse_workbook(path: Path, corner: str) -> Path:
    """A valid small register plus one value far from A1: calamine allocates the rectangle."""
    row = "".join(ch for ch in corner if ch.isdigit())
    data = workbook_bytes()
    part = sheet_part(data, "provision_log")
    path.write_bytes(edit_part(data, part, lambda b: b.replace(
        b"</row></sheetData>",
        f'</row><row r="{row}"><c r="{corner}" t="inlineStr"><is><t>x</t></is></c></row></sheetData>'.encode(),
    )))
    return path


def test_a_sparse_workbook_at_the_cell_limit_reads_within_a_gib(tmp_path):
    """A value at XFD610: a rectangle of 9,994,240 cells, just inside --max-cells."""
    p = sparse_workbook(tmp_path / "sparse.xlsx", "XFD610")
    assert p.stat().st_size < 50_000
    code, peak, err = measured("check", str(p), "--as-of", ASOF)
    assert code in (0, 1), err
    assert peak < GIB, f"{peak / GIB:.2f} GiB"


def test_a_sparse_workbook_past_the_cell_limit_is_refused_unread(tmp_path):
    """The 43 KB workbook that took 5 GB: a value at XFD6000 (98 million cells)."""
    p = sparse_workbook(tmp_path / "sparse.xlsx", "XFD6000")
    code, peak, err = measured("check", str(p))
    assert code == 2 and err.count("\n") == 1, err
    assert "spans 98,304,000 cells" in err and "--max-cells" in err
    assert peak < GIB / 2


def csv_folder(tmp_path: Path) -> Path:
    d = tmp_path / "reg"
    d.mkdir()
    for name, rows in base_register().items():
        rows = [rows] if isinstance(rows, dict) else rows
        headers = list(dict.fromkeys(k for r in rows for k in r))
        lines = [",".join(headers)] + [
            ",".join(";".join(v) if isinstance(v, list) else str(v or "") for v in (r.get(h) for h in headers))
            for r in rows
        ]
        (d / f"{name}.csv").write_text("\n".join(lines) + "\n", encoding="utf-8")
    return d


def test_a_csv_header_of_millions_of_columns_is_refused(tmp_path):
    """The 8.9 MB CSV that took 7 GB: every empty header cell was a column of its own."""
    d = csv_folder(tmp_path)
    p = d / "purposes.csv"
    p.write_text("purpose_id,description" + "," * 4_000_000 + "\nU1,x\n", encoding="utf-8")
    code, peak, err = measured("check", str(d))
    assert code == 2 and err.count("\n") == 1, err
    assert f"{p}: table 'purposes' has 4,000,002 columns, over the limit of 16,384" in err
    assert peak < GIB


@pytest.mark.parametrize("encoding", ["dictionary", "prefix", "plain"])
def test_a_parquet_that_unpacks_to_gigabytes_is_refused(tmp_path, encoding):
    """The 79 KB Parquet that asked for 64 GB: copies of one 6 KB string, packed by a
    dictionary, by prefixes (each value repeats the one before) or by zstd alone."""
    import pyarrow as pa
    import pyarrow.parquet as pq

    d = csv_folder(tmp_path)
    (d / "provision_log.csv").unlink()
    value = pa.scalar("x" * 6000)
    if encoding == "dictionary":  # 60 GB of text in 24 KB
        indices = pa.repeat(pa.scalar(0, pa.int32()), 10_000_000)
        column = pa.DictionaryArray.from_arrays(indices, pa.array([value.as_py()]))
        options = {"use_dictionary": True, "store_schema": False}
    else:  # 150 MB (over --max-bytes), written and packed for real: a few KB
        column = pa.repeat(value, 25_000)
        enc = "DELTA_BYTE_ARRAY" if encoding == "prefix" else "PLAIN"
        options = {"use_dictionary": False, "column_encoding": {"event_id": enc}}
    p = d / "provision_log.parquet"
    pq.write_table(pa.table({"event_id": column}), p, compression="zstd", **options)
    assert p.stat().st_size < 1_000_000
    code, peak, err = measured("check", str(d))
    assert code == 2 and err.count("\n") == 1, err
    assert err.startswith(f"register: error: {p}: ") and "--max-bytes" in err
    assert {
        # ten million rows: a log that long is read in batches (io/stream.py), and the first
        # batch's text is over the limit
        "dictionary": "holds text of at least 3,145,728,000 bytes",
        "prefix": "holds text of at least",
        "plain": "unpacks to 150,",
    }[encoding] in err
    assert peak < GIB


def test_a_json_document_of_millions_of_values_is_refused_before_parsing(tmp_path):
    reg = base_register()
    reg["notes"] = [{"a": "xy", "b": "xy", "c": "xy"}] * 1_000_000
    p = write_json(tmp_path, reg)
    code, peak, err = measured("check", str(p))
    assert code == 2 and err.count("\n") == 1, err
    assert "commas and colons" in err and "--max-cells" in err
    assert peak < GIB / 2


def test_a_parquet_list_entry_holding_a_separator_is_one_invalid_id(tmp_path):
    import polars as pl

    d = csv_folder(tmp_path)
    (d / "provision_log.csv").unlink()
    pl.DataFrame({
        "event_id": ["E1"], "provision_id": ["V1"], "provided_on": ["2026-04-01"],
        "principal_ids": [["A1", "B2;C3"]],
    }).write_parquet(d / "provision_log.parquet")
    _, found = findings(d)
    [f] = of_rule(found, "SCH-003")
    assert (f["record"], f["field"], f["location"]["row"]) == ("E1", "principal_ids", 2)
    assert '["A1","B2;C3"]' in f["message"]


# --- 1. a stray quote in a CSV register --------------------------------------------------------


@pytest.mark.parametrize("big", [False, True])
def test_a_stray_quote_in_a_csv_register_is_refused_and_nothing_written(tmp_path, big):
    """One `"` made `check` say "No findings" and `records` write a fraction of the records."""
    d = csv_folder(tmp_path)
    rows = [f"E{k},V1,2026-04-01,A{k}" for k in range(2, 2000 if big else 40)]
    rows[7] = 'E9,"V1,2026-04-01,A9'  # line 10 of the file: the quote is never closed
    log = d / "provision_log.csv"
    log.write_text("event_id,provision_id,provided_on,principal_ids\nE1,V1,2026-04-01,A1\n"
                   + "\n".join(rows) + "\n", encoding="utf-8")
    refused(run("check", str(d)), str(log), "line 10 opens a quoted cell")
    out = tmp_path / "out"
    refused(run("records", str(d), "--out", str(out)), str(log), "line 10")
    assert not out.exists()


def test_derived_dates_stop_at_the_ends_of_the_calendar():
    import datetime as dt

    from register.values import add_days, add_months, add_years, past_calendar

    end = dt.date(9999, 12, 31)
    assert add_years(end, 3) == end and past_calendar(end, 36)
    assert add_months(dt.date(2024, 5, 20), 999_999) == end and past_calendar(dt.date(2024, 5, 20), 999_999)
    assert add_months(dt.date(2024, 5, 20), -999_999) == dt.date(1, 1, 1)
    assert add_days(dt.date(9999, 12, 30), 5) == end and add_days(dt.date(1, 1, 2), -5) == dt.date(1, 1, 1)
    # inside the calendar nothing changes (rules.md §4: 31 January + 1 month is 1 March)
    assert add_months(dt.date(2024, 1, 31), 1) == dt.date(2024, 3, 1)
    assert add_months(dt.date(9999, 11, 30), 1) == dt.date(9999, 12, 30)
    assert not past_calendar(dt.date(9996, 12, 31), 36) and past_calendar(dt.date(9997, 1, 1), 36)
