"""Real components for the source tests: a PostgreSQL server of its own, SQLite files, Parquet
parts, each loaded with the same register as a CSV folder (tests/test_sources.py)."""

from __future__ import annotations

import contextlib
import glob
import os
import pwd
import shutil
import subprocess
import tempfile
from dataclasses import dataclass
from pathlib import Path

import polars as pl

USER = "register"
PASSWORD = "s3cret-for-tests"


def postgres_bin() -> Path | None:
    """The folder of Debian's PostgreSQL server programs (initdb, pg_ctl), or of those on PATH."""
    for found in sorted(glob.glob("/usr/lib/postgresql/*/bin/initdb"), reverse=True):
        return Path(found).parent
    initdb = shutil.which("initdb")
    return Path(initdb).parent if initdb else None


@dataclass
class Server:
    """A PostgreSQL server on a Unix socket in a folder of its own, password authentication
    on (libpq must find the password in the .pgpass file the tests point PGPASSFILE at)."""

    folder: Path
    bin: Path
    run_as: str | None
    pgpass: Path

    def url(self, db: str = "postgres") -> str:
        return f"postgresql://{USER}@/{db}?host={self.folder}"

    def _run(self, *args: str) -> None:
        subprocess.run([str(self.bin / args[0]), *args[1:]], check=True, capture_output=True,
                       user=self.run_as, cwd=self.folder)

    def createdb(self, name: str) -> str:
        """A new database (the password from PGPASSFILE, as the tool finds it)."""
        import adbc_driver_postgresql.dbapi as driver

        conn = driver.connect(self.url(), autocommit=True)
        try:
            cur = conn.cursor()
            cur.execute(f'CREATE DATABASE "{name}"')
            cur.close()
        finally:
            conn.close()
        return self.url(name)

    def stop(self) -> None:
        """Stop the server and remove its folder and the .pgpass file."""
        with contextlib.suppress(Exception):
            self._run("pg_ctl", "-D", str(self.folder / "data"), "-m", "immediate", "stop")
        shutil.rmtree(self.folder, ignore_errors=True)
        shutil.rmtree(self.pgpass.parent, ignore_errors=True)


def start_postgres() -> Server:
    """initdb + pg_ctl start in a new temporary folder. PostgreSQL refuses to run as root: as
    root the server runs as the `postgres` user Debian's package creates (else `nobody`)."""
    bin_dir = postgres_bin()
    if bin_dir is None:
        raise FileNotFoundError("PostgreSQL's server programs (initdb, pg_ctl) are not installed")
    folder = Path(tempfile.mkdtemp(prefix="register-pg-"))
    run_as = None
    if os.geteuid() == 0:
        run_as = "postgres" if _user_exists("postgres") else "nobody"
        os.chown(folder, pwd.getpwnam(run_as).pw_uid, -1)
    pwfile = folder / "pw"
    pwfile.write_text(PASSWORD + "\n")
    if run_as:
        os.chown(pwfile, pwd.getpwnam(run_as).pw_uid, -1)
    pgpass = Path(tempfile.mkdtemp(prefix="register-pgpass-")) / "pgpass"
    pgpass.write_text(f"*:*:*:{USER}:{PASSWORD}\n")
    pgpass.chmod(0o600)
    server = Server(folder, bin_dir, run_as, pgpass)
    server._run("initdb", "-D", str(folder / "data"), "-U", USER, "-A", "scram-sha-256",
                f"--pwfile={pwfile}", "--no-sync")
    server._run("pg_ctl", "-D", str(folder / "data"), "-w", "-l", str(folder / "log"), "-o",
                f"-k {folder} -c listen_addresses='' -c fsync=off", "start")
    return server


def _user_exists(name: str) -> bool:
    try:
        pwd.getpwnam(name)
    except KeyError:
        return False
    return True


def sheets_of(folder: Path):
    """The register's tables as read (text cells, headers as written), by the tool's reader."""
    from register.load import read_sheets

    return read_sheets(folder, str(folder))[1]


def to_database(folder: Path, target: str, typed_log: bool = False) -> None:
    """Every table of the CSV folder into a database (SQLite path or PostgreSQL URL), in row
    order; `typed_log`: the log's dates as dates and its principal IDs as an array."""
    if target.startswith("postgresql"):
        import adbc_driver_postgresql.dbapi as driver
    else:
        import adbc_driver_sqlite.dbapi as driver
    conn = driver.connect(target)
    try:
        cur = conn.cursor()
        for sh in sheets_of(folder):
            df = sh.frame.select(sh.headers)
            if typed_log and sh.name == "provision_log":
                df = df.with_columns(
                    pl.col("provided_on").str.to_date(),
                    pl.col("principal_ids").str.split(";"),
                )
            cur.adbc_ingest(sh.name, df.to_arrow(), mode="create")
        conn.commit()
    finally:
        conn.close()


def to_parts(folder: Path, out: Path, parts: int, table: str = "provision_log") -> Path:
    """A copy of the CSV folder with `table` as a folder of Parquet parts."""
    shutil.copytree(folder, out)
    sheet = next(sh for sh in sheets_of(folder) if sh.name == table)
    (out / f"{table}.csv").unlink()
    (out / table).mkdir()
    df = sheet.frame.select(sheet.headers)
    size = -(-df.height // parts)
    for k in range(parts):
        df.slice(k * size, size).write_parquet(out / table / f"part-{k:05d}.parquet")
    return out
