"""Where a register lives: a CSV folder, a SQLite file, a PostgreSQL database, a folder with
the log as Parquet parts — the same register gives the same records, byte for byte.

PostgreSQL is a real server (Debian's `postgresql` package, which .ci/run installs) started on
a Unix socket in a temporary folder, with password authentication: the password comes from a
.pgpass file, as libpq finds it, never from the command line.
"""

from __future__ import annotations

import importlib.util
import os
import sqlite3
import sys
from collections import Counter
from pathlib import Path

import orjson
import polars as pl
import pytest

from .conftest import ROOT, SAMPLE, run_cli
from .source_support import postgres_bin, start_postgres, to_database, to_parts

sys.path.insert(0, str(ROOT / "benchmarks"))
import generate  # noqa: E402

AS_OF = "2026-11-21"
# The drivers are the `sql` extra, which the `test` extra includes (CI always runs these).
requires_sql = pytest.mark.skipif(
    importlib.util.find_spec("adbc_driver_postgresql") is None
    or importlib.util.find_spec("adbc_driver_sqlite") is None,
    reason="the ADBC drivers (pip install 'register[sql]') are not installed",
)


@pytest.fixture(scope="module")
def folders(tmp_path_factory):
    """Two registers as CSV folders: the sample (every table, messy values) and a generated
    one with a 5,000-row log."""
    base = tmp_path_factory.mktemp("sources")
    sample = base / "sample"
    r = run_cli("convert", str(SAMPLE / "register.json"), str(sample))
    assert r.exit_code == 0, r.output
    generated = base / "generated"
    manifest = generate.generate(generated, 5_000)
    return {"sample": sample, "generated": generated}, manifest.disclose_principal


@pytest.fixture(scope="module")
def postgres():
    if postgres_bin() is None:
        pytest.skip("PostgreSQL's server programs are not installed (Debian: apt-get install postgresql)")
    server = start_postgres()
    old = os.environ.get("PGPASSFILE")
    os.environ["PGPASSFILE"] = str(server.pgpass)
    try:
        yield server
    finally:
        server.stop()
        if old is None:
            os.environ.pop("PGPASSFILE", None)
        else:
            os.environ["PGPASSFILE"] = old


def _outputs(source: str, out: Path, principal: str | None) -> dict[str, bytes]:
    """Every output the sources must agree on: records as CSV and JSON, a disclosure."""
    got = {}
    for fmt in ("csv", "json"):
        r = run_cli("records", source, "--out", str(out / fmt), "--format", fmt, "--as-of", AS_OF)
        assert r.exit_code == 0, r.output
        for p in sorted((out / fmt).iterdir()):
            got[f"{fmt}/{p.name}"] = p.read_bytes()
    if principal is not None:
        r = run_cli("disclose", source, "--principal", principal, "--out", str(out / "d.json"),
                    "--as-of", AS_OF)
        assert r.exit_code == 0, r.output
        got["disclose"] = (out / "d.json").read_bytes()
    return got


def _findings(source: str) -> tuple[int, Counter]:
    r = run_cli("check", source, "--format", "json", "--as-of", AS_OF)
    doc = orjson.loads(r.output)
    return r.exit_code, Counter(
        (f["rule"], f["table"], f["record"], f["field"]) for f in doc["findings"]
        if f["rule"] != "SCH-005"
    )


def _sources(folders, tmp_path, server=None, typed_log=False):
    regs, _principal = folders
    out = {}
    for name, folder in regs.items():
        db = tmp_path / f"{name}.sqlite"
        to_database(folder, str(db))
        out[(name, "sqlite")] = str(db)
        out[(name, "parts")] = str(to_parts(folder, tmp_path / f"{name}-parts", 3))
        if server is not None:
            url = server.createdb(f"{name}_{'typed' if typed_log else 'text'}")
            to_database(folder, url, typed_log=typed_log)
            out[(name, "postgresql")] = url
    return out


@requires_sql
def test_sqlite_and_parquet_parts_give_the_csv_folders_records_byte_for_byte(folders, tmp_path):
    regs, principal = folders
    for (name, kind), source in _sources(folders, tmp_path).items():
        who = principal if name == "generated" else "CU-1001"
        want = _outputs(str(regs[name]), tmp_path / f"want-{name}-{kind}", who)
        got = _outputs(source, tmp_path / f"got-{name}-{kind}", who)
        assert got.keys() == want.keys()
        for k in want:
            assert got[k] == want[k], (name, kind, k)
        assert _findings(source) == _findings(str(regs[name])), (name, kind)


@requires_sql
@pytest.mark.parametrize("typed_log", [False, True], ids=["text", "typed"])
def test_postgresql_gives_the_csv_folders_records_byte_for_byte(folders, postgres, tmp_path, typed_log):
    regs, principal = folders
    sources = _sources(folders, tmp_path, postgres, typed_log)
    for name in regs:
        who = principal if name == "generated" else "CU-1001"
        want = _outputs(str(regs[name]), tmp_path / f"want-{name}", who)
        source = sources[(name, "postgresql")]
        got = _outputs(source, tmp_path / f"got-{name}", who)
        assert got == want, name
        assert _findings(source) == _findings(str(regs[name])), name
    records = orjson.loads(want["json/records.json"])
    assert len(records["provision_principals"]) > 1_000  # the long log really was read


@requires_sql
def test_a_password_in_the_url_is_refused_before_connecting(postgres):
    url = postgres.url().replace("register@", "register:hunter2@")
    r = run_cli("check", url)
    assert r.exit_code == 2
    assert "hunter2" not in r.output
    assert "~/.pgpass" in r.output and len(r.output.strip().splitlines()) == 1
    r = run_cli("check", postgres.url() + "&password=hunter2")
    assert r.exit_code == 2 and "hunter2" not in r.output


@requires_sql
def test_without_the_password_the_connection_fails_in_one_line(postgres, monkeypatch, tmp_path):
    empty = tmp_path / "pgpass"
    empty.write_text("")
    empty.chmod(0o600)
    monkeypatch.setenv("PGPASSFILE", str(empty))
    monkeypatch.delenv("PGPASSWORD", raising=False)
    r = run_cli("check", postgres.url())
    assert r.exit_code == 2
    assert r.output.startswith("register: error: postgresql://") and "cannot be opened" in r.output


@requires_sql
def test_a_database_finding_names_the_table_and_row_key(folders, tmp_path):
    regs, _ = folders
    db = tmp_path / "broken.sqlite"
    to_database(regs["generated"], str(db))
    with sqlite3.connect(db) as con:
        con.execute("UPDATE provision_log SET provision_id = 'NO-SUCH' WHERE rowid = 42")
    r = run_cli("check", str(db), "--format", "json", "--as-of", AS_OF)
    assert r.exit_code == 1
    hit = next(f for f in orjson.loads(r.output)["findings"] if f["rule"] == "REF-002")
    assert hit["location"] == {"file": str(db), "sheet": "provision_log", "row": 42,
                               "column": "provision_id", "cell": None, "pointer": None}


@requires_sql
def test_a_table_given_twice_in_a_database_is_refused(folders, tmp_path):
    regs, _ = folders
    db = tmp_path / "twice.sqlite"
    to_database(regs["sample"], str(db))
    with sqlite3.connect(db) as con:
        con.execute('CREATE TABLE "提供実績" AS SELECT * FROM provision_log')
    r = run_cli("check", str(db))
    assert r.exit_code == 2 and "given twice" in r.output


# --------------------------------------------------------------------------------------------
# The folder form: nothing in it is passed over in silence (issue 18: a folder of Parquet
# parts was ignored, and `records` wrote empty tables)
# --------------------------------------------------------------------------------------------


def test_a_log_folder_of_parquet_parts_is_read_and_its_findings_name_the_part(folders, tmp_path):
    regs, _ = folders
    parts = to_parts(regs["generated"], tmp_path / "parts", 4)
    victim = sorted((parts / "provision_log").iterdir())[2]
    df = pl.read_parquet(victim)
    df = df.with_columns(
        pl.when(pl.int_range(pl.len()) == 9).then(pl.lit("NO-SUCH")).otherwise(pl.col("provision_id"))
        .alias("provision_id")
    )
    df.write_parquet(victim)
    r = run_cli("check", str(parts), "--format", "json", "--as-of", AS_OF)
    hit = next(f for f in orjson.loads(r.output)["findings"] if f["rule"] == "REF-002")
    assert hit["location"]["file"] == f"{parts}/provision_log/{victim.name}"
    assert hit["location"]["row"] == 11  # the part's tenth row, after a header row


@pytest.mark.parametrize("entry", ["notes.txt", "archive/", "provision_log.xlsx"])
def test_an_unknown_file_or_folder_in_the_register_folder_is_a_warning(folders, tmp_path, entry):
    regs, _ = folders
    folder = tmp_path / "reg"
    to_parts(regs["sample"], folder, 1, table="receipts")
    if entry.endswith("/"):
        (folder / entry).mkdir()
        (folder / entry / "x.csv").write_text("a\n1\n")
    else:
        (folder / entry).write_bytes(b"x")
    r = run_cli("check", str(folder), "--format", "json", "--as-of", AS_OF)
    hits = [f for f in orjson.loads(r.output)["findings"] if f["rule"] == "SCH-005"
            and f["table"] is None]
    assert [h["location"]["file"] for h in hits] == [f"{folder}/{entry.rstrip('/')}"]


@pytest.mark.parametrize("other", ["provision_log.csv", "provision_log.parquet", "提供実績/"])
def test_a_table_as_parts_and_in_another_form_is_refused(folders, tmp_path, other):
    regs, _ = folders
    folder = to_parts(regs["sample"], tmp_path / "reg", 2)
    if other.endswith("/"):
        (folder / other).mkdir()
        pl.DataFrame({"event_id": ["E"]}).write_parquet(folder / other / "part-0.parquet")
    elif other.endswith(".csv"):
        (folder / other).write_text("event_id\nE\n")
    else:
        pl.DataFrame({"event_id": ["E"]}).write_parquet(folder / other)
    r = run_cli("records", str(folder), "--out", str(tmp_path / "out"), "--format", "csv")
    assert r.exit_code == 2 and "given twice" in r.output
    assert not (tmp_path / "out").exists()


def test_a_table_folder_holding_anything_but_parquet_parts_is_refused(folders, tmp_path):
    regs, _ = folders
    folder = to_parts(regs["sample"], tmp_path / "reg", 2)
    (folder / "provision_log" / "part-00002.csv").write_text("event_id\nE\n")
    r = run_cli("check", str(folder))
    assert r.exit_code == 2
    assert "part-00002.csv" in r.output and "only its Parquet parts" in r.output


@requires_sql
def test_the_log_in_a_sqlite_file_beside_the_csv_tables(folders, tmp_path):
    """Just the big table in a database: the officer's small tables stay CSV files."""
    regs, principal = folders
    folder = tmp_path / "reg"
    import shutil

    shutil.copytree(regs["generated"], folder)
    only_log = tmp_path / "only-log"
    only_log.mkdir()
    shutil.copy(folder / "provision_log.csv", only_log / "provision_log.csv")
    to_database(only_log, str(folder / "log.sqlite"))
    (folder / "provision_log.csv").unlink()
    (folder / "Thumbs.db").write_bytes(b"\xd0\xcf\x11\xe0 not a database")
    want = _outputs(str(regs["generated"]), tmp_path / "want", principal)
    got = _outputs(str(folder), tmp_path / "got", principal)
    assert got == want
    r = run_cli("check", str(folder), "--format", "json", "--as-of", AS_OF)
    unknown = [f["location"]["file"] for f in orjson.loads(r.output)["findings"]
               if f["rule"] == "SCH-005" and f["table"] is None]
    assert unknown == [f"{folder}/Thumbs.db"]
    shutil.copy(only_log / "provision_log.csv", folder / "provision_log.csv")
    r = run_cli("check", str(folder))
    assert r.exit_code == 2 and "given twice (provision_log.csv and log.sqlite)" in r.output
