"""Reading a register from a database: a SQLite file or a PostgreSQL database given by URL
(on the command line, or in a `.url` file inside a register folder: read_url_file).

One table per register table, named as the register's tables are (`provision_log` or
`提供実績`), columns named by the canonical names or the Japanese labels, as in every other
form. A database has no sheet and no cell: a row is located by its table and its row key —
SQLite's `rowid`, or for PostgreSQL (and a SQLite view) the row's place in the table's order,
counted from 1 — and the finding names the record by its ID as always.

The drivers are ADBC's (Apache Arrow's database connectivity, maintained with Arrow): they
hand over Arrow batches, so a long table streams in bounded pieces, and the PostgreSQL driver
is libpq itself, which takes the password from the environment (`PGPASSWORD`, `PGPASSFILE`)
or `~/.pgpass` as every PostgreSQL tool does. A password written in the URL is refused: a
command line is visible to every user of the machine (`ps`). docs/performance.md says how
they were chosen (measured against connectorx and psycopg).

Order: a SQLite table is read in `rowid` order, a PostgreSQL table in its physical order
(`ctid`), a view as the database returns it. Records do not depend on the order of the rows
(they are sorted by their IDs); the row keys of findings and "the first row wins" do.
"""

from __future__ import annotations

import contextlib
import re
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from urllib.parse import parse_qsl, urlsplit

import polars as pl

from .. import schema
from ..limits import check_table_size, current, over_bytes
from ..model import POINTER, ROW, InputError, Sheet
from .sheets import check_sheet_limits, frame_from_rows
from .typed import first_line, text_bytes, text_columns

SQLITE_MAGIC = b"SQLite format 3\x00"
SQLITE_SUFFIXES = (".sqlite", ".sqlite3", ".db")
URL_SCHEMES = ("postgresql://", "postgres://")
# A `.url` file in a register folder names a PostgreSQL database (read_url_file): one line.
URL_FILE_BYTES = 64 * 1024
# A `.url` file holding one of these is a shortcut to a page, not a database.
WEB_SCHEMES = ("http://", "https://", "ftp://", "file:", "mailto:")
_URL_FILE_HOLDS = ("write in it one line, the PostgreSQL URL without a password "
                   "(postgresql://user@host/database); lines starting with # are comments")
# Rows a SQLite batch holds (the PostgreSQL driver cuts its batches by bytes itself).
SQLITE_BATCH_ROWS = 65_536
# The column that carries a row's key out of the query; never a register column.
_KEY = "__register_row_key"


def is_postgres_url(source: str) -> bool:
    """A PostgreSQL connection URL (postgresql:// or postgres://)."""
    return source.lower().startswith(URL_SCHEMES)


def is_sqlite(path: Path) -> bool:
    """A SQLite database file: by its suffix, or by the 16 bytes every SQLite file starts with."""
    if path.suffix.lower() in SQLITE_SUFFIXES:
        return True
    if not path.is_file():
        return False
    with contextlib.suppress(OSError), open(path, "rb") as fh:
        return fh.read(16) == SQLITE_MAGIC
    return False


def check_url(url: str, file: str | None = None) -> None:
    """Refuse a URL that carries a password (user:password@ or ?password=); `file`: the .url
    file it was read from (read_url_file), which the error then names."""
    parts = urlsplit(url)
    query = dict(parse_qsl(parts.query, keep_blank_values=True))
    if parts.password is None and "password" not in query:
        return
    fix = ("put the password in ~/.pgpass or the PGPASSWORD environment variable (libpq reads "
           "both)")
    if file is None:
        raise InputError(
            _without_password(url),
            f"holds a password; a command line is visible to every user of the machine. Give the "
            f"URL without it and {fix}",
        )
    raise InputError(
        file,
        f"holds a password ({_without_password(url)}); the file is copied and kept in git with "
        f"the register. Write the URL without it and {fix}",
    )


def _without_password(url: str) -> str:
    url = re.sub(r"(://[^/@:]*):[^/@]*@", r"\1:***@", url)
    return re.sub(r"(?i)(password=)[^&]*", r"\1***", url)


def read_url_file(path: Path, display: str) -> str | None:
    """The PostgreSQL URL a `.url` file in a register folder holds (io/csvdir.py); None for a
    link to a web page (an officer's shortcut to a guideline, say), which is not the
    register's and is reported as any other file is (SCH-005).

    One line, the URL; blank lines and lines starting with `#` are comments. On Windows a
    `.url` file is an Internet Shortcut, and one made or edited in Explorer is written as one
    (`[InternetShortcut]`, then `URL=...`), so that form is read too. Anything else is refused
    rather than guessed at: the file decides where tables come from. No line is echoed whole
    in an error (one may hold a password).
    """
    try:
        with open(path, "rb") as fh:
            data = fh.read(URL_FILE_BYTES + 1)
    except OSError as exc:
        raise InputError(display, f"cannot be read ({exc.strerror or exc})") from None
    if len(data) > URL_FILE_BYTES:
        raise InputError(display, f"is over {URL_FILE_BYTES // 1024} KiB; {_URL_FILE_HOLDS}")
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise InputError(display, f"is not UTF-8 text; {_URL_FILE_HOLDS}") from None
    if "\x00" in text:
        raise InputError(display, f"holds NUL bytes, so it is not text; {_URL_FILE_HOLDS}")
    lines = [s for s in (line.strip() for line in text.splitlines()) if s and not s.startswith("#")]
    what = "lines besides comments"
    if any(s.lower() == "[internetshortcut]" for s in lines):
        lines, what = _shortcut_urls(lines), "URL= lines in its [InternetShortcut] section"
    if not lines:
        raise InputError(display, f"holds no URL; {_URL_FILE_HOLDS}")
    if len(lines) > 1:
        raise InputError(display, f"holds {len(lines)} {what}, where it takes one; "
                                  f"{_URL_FILE_HOLDS}")
    url = lines[0]
    if url.lower().startswith(WEB_SCHEMES):
        return None
    if not is_postgres_url(url):
        scheme = url.split("://", 1)[0] if "://" in url else ""
        what = f"a URL of scheme {scheme!r}" if scheme else "a line that is not a URL"
        raise InputError(display, f"holds {what}, not a PostgreSQL one; {_URL_FILE_HOLDS}")
    try:
        check_url(url, display)
    except ValueError as exc:  # urlsplit's: `postgresql://[db/x` (an unclosed IPv6 host)
        raise InputError(display, f"holds a URL that cannot be parsed ({exc}); {_URL_FILE_HOLDS}"
                         ) from None
    return url


def _shortcut_urls(lines: list[str]) -> list[str]:
    """The URL= values of an Internet Shortcut's [InternetShortcut] section (its other keys
    and sections, icons and the like, are Windows' own)."""
    section, urls = "", []
    for s in lines:
        if s.startswith("[") and s.endswith("]"):
            section = s[1:-1].strip().lower()
            continue
        key, sep, value = s.partition("=")
        if section == "internetshortcut" and sep and key.strip().lower() == "url":
            urls.append(value.strip())
    return urls


@dataclass(frozen=True)
class DbTable:
    """A table (or view) of the database and how to read it in a stable order."""

    name: str  # as the database names it
    view: bool
    rowid: bool  # SQLite: a rowid table, whose rowid is the row key


class Database:
    """An open connection to one database, and what it holds."""

    def __init__(self, source: str, display: str):
        self.display = display
        self.kind = "postgresql" if is_postgres_url(source) else "sqlite"
        self.conn: Any = None
        try:
            if self.kind == "postgresql":
                check_url(source)
                import adbc_driver_postgresql.dbapi as driver

                self.conn = driver.connect(source)
            else:
                import adbc_driver_sqlite.dbapi as driver

                self.conn = driver.connect(f"file:{Path(source).resolve()}?mode=ro", autocommit=True)
        except InputError:
            raise
        except ImportError:
            raise InputError(
                display,
                f"reading a {'PostgreSQL' if self.kind == 'postgresql' else 'SQLite'} database needs "
                "the ADBC drivers: pip install 'register[sql]'",
            ) from None
        except Exception as exc:
            raise InputError(display, f"cannot be opened as a database ({first_line(exc)})") from None

    def close(self) -> None:
        with contextlib.suppress(Exception):
            self.conn.close()

    def _query(self, sql: str, params: tuple = ()) -> list[tuple]:
        cur = self.conn.cursor()
        try:
            cur.execute(sql, params)
            return list(cur.fetchall())
        except Exception as exc:
            raise InputError(self.display, f"cannot be read ({first_line(exc)})") from None
        finally:
            cur.close()

    def tables(self) -> list[DbTable]:
        """Every table and view, by name."""
        if self.kind == "sqlite":
            rows = self._query(
                "SELECT name, type, sql FROM sqlite_master WHERE type IN ('table', 'view') "
                "AND name NOT LIKE 'sqlite\\_%' ESCAPE '\\' ORDER BY name"
            )
            return [
                DbTable(name, kind == "view", kind == "table" and not _without_rowid(sql or ""))
                for name, kind, sql in rows
            ]
        rows = self._query(
            "SELECT table_name, table_type FROM information_schema.tables "
            "WHERE table_schema = current_schema() ORDER BY table_name"
        )
        return [DbTable(name, kind != "BASE TABLE", False) for name, kind in rows]

    def columns(self, t: DbTable) -> list[str]:
        """The table's columns, in order."""
        cur = self.conn.cursor()
        try:
            cur.execute(f"SELECT * FROM {quote(t.name)} WHERE 1 = 0")
            cur.fetchall()
            return [d[0] for d in cur.description]
        except Exception as exc:
            raise InputError(self.display, f"table {t.name!r} cannot be read ({first_line(exc)})") from None
        finally:
            cur.close()

    def count(self, t: DbTable) -> int:
        return int(self._query(f"SELECT count(*) FROM {quote(t.name)}")[0][0])

    def batches(self, t: DbTable, columns: list[str]) -> Iterator[pl.DataFrame]:
        """The table's rows as typed frames of bounded size, in a stable order, each with the
        row key (_KEY) where the table has one."""
        if self.kind == "sqlite":
            # SQLite's columns have no fixed type (a column may hold 5 and 'x'): every cell is
            # read as its text, as a CSV export would hold it
            cols = [f"CAST({quote(c)} AS TEXT) AS {quote(c)}" for c in columns]
            if t.rowid:
                cols.append(f"rowid AS {_KEY}")
            order = " ORDER BY rowid" if t.rowid else ""
        else:
            cols = [quote(c) for c in columns]
            order = "" if t.view else " ORDER BY ctid"
        sql = f"SELECT {', '.join(cols) or '1'} FROM {quote(t.name)}{order}"
        cur = self.conn.cursor()
        if self.kind == "sqlite":
            with contextlib.suppress(Exception):
                cur.adbc_statement.set_options(**{"adbc.sqlite.query.batch_rows": str(SQLITE_BATCH_ROWS)})
        try:
            cur.execute(sql)
            reader = cur.fetch_record_batch()
            for batch in reader:
                yield pl.from_arrow(batch, rechunk=False)
        except InputError:
            raise
        except Exception as exc:
            raise InputError(self.display, f"table {t.name!r} cannot be read ({first_line(exc)})") from None
        finally:
            with contextlib.suppress(Exception):
                cur.close()


def quote(name: str) -> str:
    """An identifier quoted for SQL (both databases take the standard double quotes)."""
    return '"' + name.replace('"', '""') + '"'


def _without_rowid(sql: str) -> bool:
    return bool(re.search(r"\)\s*WITHOUT\s+ROWID\s*;?\s*$", sql, re.IGNORECASE))


def read_database(source: str, display: str, stream: bool = False) -> tuple[list[Sheet], Any]:
    """Every register table of the database as a sheet, and (with `stream`) a long provision
    log left to be read in batches (io/stream.py), the connection open until it is closed. A
    table or view the register does not know becomes an unknown sheet without rows (SCH-005),
    unread."""
    from .stream import database_source, is_log

    db = Database(source, display)
    log = None
    try:
        sheets = []
        for t in db.tables():
            if schema.match_table(t.name) is None:
                sheets.append(Sheet(name=t.name, file=display, form=db.kind, sheet=t.name,
                                    frame=frame_from_rows([], [], []), headers=[]))
                continue
            if stream and log is None and is_log(t.name):
                log = database_source(db, t)
                if log is not None:
                    log.close = db.close
                    continue
            sheets.append(check_sheet_limits(read_table(db, t)))
        return sheets, log
    finally:
        if log is None:
            db.close()


def read_table(db: Database, t: DbTable) -> Sheet:
    """One database table as a sheet of text cells, its size measured against the limits
    before it is read (rows x columns from a count, text as the batches arrive)."""
    columns = db.columns(t)
    where = f"table {t.name!r}"
    check_table_size(db.display, where, db.count(t), len(columns))
    frames: list[pl.DataFrame] = []
    total = 0
    start = 1
    for batch in db.batches(t, columns):
        total += text_bytes(batch.select(columns))
        if total > current().max_bytes:
            raise over_bytes(db.display, total, f"{where} holds text of at least")
        frames.append(text_frame(batch, columns, start, db.display))
        start += batch.height
    if not frames:
        frames.append(text_frame(pl.DataFrame(schema=dict.fromkeys(columns, pl.Utf8)), columns, 1, db.display))
    frame = pl.concat(frames)
    return Sheet(name=t.name, file=db.display, form=db.kind, sheet=t.name, frame=frame, headers=columns)


def text_frame(batch: pl.DataFrame, columns: list[str], start: int, display: str) -> pl.DataFrame:
    """A batch as text cells with each row's origin: its row key, else its place from `start`."""
    texts = text_columns(batch.select(columns), display)
    row = (
        batch[_KEY].cast(pl.Int64) if _KEY in batch.columns
        else pl.int_range(start, start + batch.height, dtype=pl.Int64, eager=True)
    )
    return texts.with_columns(row.alias(ROW), pl.lit(None, dtype=pl.Utf8).alias(POINTER))
