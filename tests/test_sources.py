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

from .cli_support import assert_refused
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


# --------------------------------------------------------------------------------------------
# The big tables in PostgreSQL, the small ones as CSV: a `.url` file in the folder names the
# database (issue 18 item 2)
# --------------------------------------------------------------------------------------------

SHORTCUT = "[{{000214A0-0000-0000-C000-000000000046}}]\r\nProp3=19,11\r\n[InternetShortcut]\r\n" \
           "IDList=\r\nURL={url}\r\nIconIndex=0\r\n"


def _tables_in_postgres(source: Path, server, db: str, folder: Path, tables: tuple[str, ...],
                        text: str = "# the provision log: the company's database\n\n{url}\n",
                        edit=None) -> tuple[Path, str]:
    """A copy of the CSV folder whose `tables` (those it has) live in a new PostgreSQL database
    named by `ledger.url` (its text: `text` with the URL), and that database's URL. `edit`
    changes the moved tables' folder before they go into the database."""
    import shutil

    shutil.copytree(source, folder)
    moved = folder.parent / f"{folder.name}-moved"
    moved.mkdir()
    for t in tables:
        if (folder / f"{t}.csv").exists():
            (folder / f"{t}.csv").rename(moved / f"{t}.csv")
    if edit is not None:
        edit(moved)
    url = server.createdb(db)
    to_database(moved, url)
    (folder / "ledger.url").write_text(text.format(url=url), encoding="utf-8")
    return folder, url


@requires_sql
@pytest.mark.parametrize("tables, text", [
    (("provision_log",), None),
    (("provision_log", "receipts", "principals"), SHORTCUT),
], ids=["log", "log-receipts-principals-shortcut"])
def test_tables_in_postgresql_named_by_a_url_file_beside_the_csv_tables(
        folders, postgres, tmp_path, tables, text):
    """The engineer's common case: the log in the company's PostgreSQL, the rest CSV in git.
    Also the Windows Internet Shortcut form of the .url file."""
    regs, principal = folders
    for name in regs:
        who = principal if name == "generated" else "CU-1001"
        folder, _url = _tables_in_postgres(
            regs[name], postgres, f"urlfile_{name}_{len(tables)}", tmp_path / name, tables,
            *([text] if text else []))
        assert not (folder / "provision_log.csv").exists()
        want = _outputs(str(regs[name]), tmp_path / f"want-{name}", who)
        got = _outputs(str(folder), tmp_path / f"got-{name}", who)
        assert got == want, name
        assert _findings(str(folder)) == _findings(str(regs[name])), name
        r = run_cli("check", str(folder), "--format", "json", "--as-of", AS_OF)
        assert [f for f in orjson.loads(r.output)["findings"]
                if f["rule"] == "SCH-005" and f["table"] is None] == []


@requires_sql
def test_a_finding_in_the_url_files_database_names_the_file_table_and_row(folders, postgres, tmp_path):
    regs, _ = folders

    def break_row_42(moved: Path) -> None:
        log = pl.read_csv(moved / "provision_log.csv", infer_schema=False)
        log = log.with_columns(pl.when(pl.int_range(pl.len()) == 41).then(pl.lit("NO-SUCH"))
                               .otherwise(pl.col("provision_id")).alias("provision_id"))
        log.write_csv(moved / "provision_log.csv")

    folder, _ = _tables_in_postgres(regs["generated"], postgres, "urlfile_located", tmp_path / "reg",
                                    ("provision_log",), edit=break_row_42)
    r = run_cli("check", str(folder), "--format", "json", "--as-of", AS_OF)
    assert r.exit_code == 1
    hit = next(f for f in orjson.loads(r.output)["findings"] if f["rule"] == "REF-002")
    assert hit["location"] == {"file": f"{folder}/ledger.url", "sheet": "provision_log", "row": 42,
                               "column": "provision_id", "cell": None, "pointer": None}
    # the report's checksums cover the .url file (what says where the log was read from)
    r = run_cli("report", str(folder), "--out", str(tmp_path / "report.json"), "--format", "json",
                "--as-of", AS_OF)
    assert r.exit_code == 0, r.output
    files = orjson.loads((tmp_path / "report.json").read_bytes())["inputs"]["files"]
    assert f"{folder}/ledger.url" in [f["path"] for f in files]


@requires_sql
def test_a_long_log_in_the_url_files_database_is_streamed(folders, postgres, tmp_path, monkeypatch):
    from register import limits
    from register.io import stream

    regs, principal = folders
    want = _outputs(str(regs["generated"]), tmp_path / "want", principal)
    folder, _ = _tables_in_postgres(regs["generated"], postgres, "urlfile_streamed", tmp_path / "reg",
                                    ("provision_log",))
    streamed = []
    real = stream.database_source

    def spy(db, t):
        src = real(db, t)
        streamed.append((db.display, t.name, src is not None))
        return src

    monkeypatch.setattr(limits, "_current", limits.DEFAULTS)
    monkeypatch.setattr(stream, "STREAM_ROWS", 0)  # as REGISTER_STREAM_ROWS=0 would
    monkeypatch.setattr(stream, "database_source", spy)
    got = _outputs(str(folder), tmp_path / "got", principal)
    assert got == want
    assert streamed == [(f"{folder}/ledger.url", "provision_log", True)] * 3  # csv, json, disclose


@requires_sql
@pytest.mark.parametrize("where", ["user", "query"])
def test_a_password_in_the_url_file_is_refused(folders, postgres, tmp_path, where):
    regs, _ = folders
    url = postgres.url("postgres")
    url = url.replace("register@", "register:hunter2@") if where == "user" else url + "&password=hunter2"
    folder = tmp_path / "reg"
    import shutil

    shutil.copytree(regs["sample"], folder)
    (folder / "provision_log.csv").unlink()
    (folder / "ledger.url").write_text(url + "\n")
    r = run_cli("records", str(folder), "--out", str(tmp_path / "out"), "--format", "csv")
    assert_refused(r, f"{folder}/ledger.url", "holds a password", "~/.pgpass", "PGPASSWORD", "***")
    assert "hunter2" not in r.output
    assert not (tmp_path / "out").exists()


@pytest.mark.parametrize("text, words", [
    ("postgresql://a@/x\npostgresql://a@/y\n", ["holds 2 lines besides comments"]),
    ("ftps://files.example.jp/ledger\n", ["scheme 'ftps', not a PostgreSQL one"]),
    ("# nothing yet\n\n", ["holds no URL"]),
    ("", ["holds no URL"]),
    ("[InternetShortcut]\r\nURL=mysql://db.example.jp/ledger\r\n", ["scheme 'mysql'"]),
    ("[InternetShortcut]\r\nIconIndex=0\r\n", ["holds no URL"]),
    ("[InternetShortcut]\r\nURL=postgresql://a@/x\r\nURL=postgresql://a@/y\r\n",
     ["holds 2 URL= lines in its [InternetShortcut] section"]),
    ("host=db.example.jp dbname=ledger\n", ["a line that is not a URL"]),
    ("sqlite:///ledger.db\n", ["scheme 'sqlite'"]),
    ("postgresql://a@[db/x\n", ["cannot be parsed (Invalid IPv6 URL)"]),
    (b"postgresql://a@/x\n" + b"#" * (64 * 1024), ["is over 64 KiB"]),
    (b"\x82\xa0postgresql://a@/x\n", ["is not UTF-8 text"]),
    (b"postgresql://a@/x\x00\n", ["holds NUL bytes"]),
], ids=["two-urls", "ftps", "comments-only", "empty", "shortcut-mysql", "shortcut-no-url", "shortcut-two-urls",
        "keywords", "sqlite-url", "bad-postgresql", "too-big", "cp932", "nul"])
def test_a_url_file_that_is_not_one_postgresql_url_is_refused(folders, tmp_path, text, words):
    """Refused before any driver is needed: these run without PostgreSQL or the drivers."""
    regs, _ = folders
    folder = tmp_path / "reg"
    import shutil

    shutil.copytree(regs["sample"], folder)
    shown = f"{folder}/ledger.url"
    (folder / "ledger.url").write_bytes(text if isinstance(text, bytes) else text.encode())
    r = run_cli("check", str(folder))
    assert_refused(r, shown, *words, "postgresql://user@host/database")


@pytest.mark.parametrize("text", [
    "[InternetShortcut]\r\nURL=https://www.ppc.go.jp/personalinfo/legal/\r\nIconIndex=0\r\n",
    "https://intranet.example.jp/privacy/ledger\n",
    "http://[intranet/ledger\n",
], ids=["shortcut-https", "https", "bad-http"])
def test_a_url_file_linking_a_web_page_is_reported_not_read(folders, tmp_path, text):
    """An officer's shortcut to a guideline beside the ledger is not a database: SCH-005
    says it is ignored, as for any other file, and the register is read as before."""
    regs, _ = folders
    folder = tmp_path / "reg"
    import shutil

    shutil.copytree(regs["sample"], folder)
    (folder / "PPCガイドライン.url").write_text(text, encoding="utf-8")
    r = run_cli("check", str(folder), "--format", "json", "--as-of", AS_OF)
    assert r.exit_code in (0, 1), r.output
    sch005 = [f for f in orjson.loads(r.stdout)["findings"] if f["rule"] == "SCH-005"]
    assert [f["location"]["file"] for f in sch005] == [f"{folder}/PPCガイドライン.url"]


def test_without_the_postgresql_driver_a_url_file_is_one_line(folders, tmp_path, monkeypatch):
    regs, _ = folders
    folder = tmp_path / "reg"
    import shutil

    shutil.copytree(regs["sample"], folder)
    (folder / "provision_log.csv").unlink()
    (folder / "ledger.url").write_text("postgresql:///ledger?host=/run/postgresql\n")
    monkeypatch.setitem(sys.modules, "adbc_driver_postgresql.dbapi", None)  # not installed
    r = run_cli("check", str(folder))
    assert_refused(r, f"{folder}/ledger.url", "needs the ADBC drivers: pip install 'register[sql]'")


@requires_sql
def test_a_table_in_the_folder_and_in_the_url_files_database_is_refused(folders, postgres, tmp_path):
    regs, _ = folders
    folder, url = _tables_in_postgres(regs["sample"], postgres, "urlfile_twice", tmp_path / "reg",
                                      ("provision_log",))
    (tmp_path / "reg-moved" / "provision_log.csv").rename(folder / "provision_log.csv")
    r = run_cli("check", str(folder))
    assert_refused(r, f"{folder}/ledger.url", "given twice (provision_log.csv and ledger.url)")
    # and in two databases of the folder: the SQLite file and the PostgreSQL one
    (folder / "provision_log.csv").rename(tmp_path / "reg-moved" / "provision_log.csv")
    to_database(tmp_path / "reg-moved", str(folder / "log.sqlite"))
    r = run_cli("check", str(folder))
    assert_refused(r, f"{folder}/log.sqlite", "given twice (ledger.url and log.sqlite)")
    # a database the server does not have: one line naming the file
    (folder / "log.sqlite").unlink()
    (folder / "ledger.url").write_text(url.replace("/urlfile_twice?", "/no_such_db?") + "\n")
    r = run_cli("check", str(folder))
    assert_refused(r, f"{folder}/ledger.url", "cannot be opened as a database", "no_such_db")
