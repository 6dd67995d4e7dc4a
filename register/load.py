"""load(): any form of a register → the same typed tables, each row keeping its origin."""

from __future__ import annotations

import contextlib
import os
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import polars as pl

from . import progress, schema
from .io.sheets import blank_to_null
from .io.stream import StreamSource
from .model import LONG_TABLE_ROWS, POINTER, ROW, InputError, Register, Sheet, Table
from .normalize import empty_typed, fast_path, normalize_column

FORMS = {".xlsx": "xlsx", ".xlsm": "xlsx", ".json": "json"}


def detect_form(path: Path) -> str:
    """xlsx | json | csv (a folder) | sqlite, from the path as given."""
    from .io.sqlsource import is_sqlite

    if path.is_dir():
        return "csv"
    form = FORMS.get(path.suffix.lower())
    if form is None and is_sqlite(path):
        form = "sqlite"
    if form is None:
        raise InputError(
            path, "is not a register: give an .xlsx workbook, a .json document, a folder of CSV "
            "files, a SQLite database or a postgresql:// URL"
        )
    return form


def read_sheets(path: Path, display: str) -> tuple[str, list[Sheet], list[Path]]:
    """(form, sheets, files read) for the input as given on the command line."""
    form, sheets, files, _log = read_sources(path, display)
    return form, sheets, files


def read_sources(path: Path, display: str, stream: bool = False
                 ) -> tuple[str, list[Sheet], list[Path], StreamSource | None]:
    """(form, sheets, files read, a long log to stream) for the input as given on the command
    line; with `stream`, a provision log long enough (io/stream.py) is left to be read in
    batches by `load`.

    Every way an input can fail to be read ends here as an InputError naming it (exit 2):
    missing, not a regular file, unreadable, over a limit (docs/security.md), or malformed.
    """
    from .io.sqlsource import is_postgres_url, read_database
    from .limits import check_file_size

    with reading(display):
        if is_postgres_url(display):  # (a Path would fold the URL's //)
            sheets, log = read_database(display, display, stream)
            return "postgresql", sheets, [], log
        if not path.exists():
            raise InputError(display, "does not exist")
        form = detect_form(path)
        if form == "csv":
            from .io.csvdir import read_folder

            sheets, files, log = read_folder(path, display, stream)
            return form, sheets, files, log
        if not path.is_file():
            raise InputError(display, "is not a regular file")
        if form == "sqlite":  # read table by table, each against the limits (io/sqlsource.py)
            sheets, log = read_database(str(path), display, stream)
            return form, sheets, [path], log
        check_file_size(path, display)
        if form == "xlsx":
            from .io.excel import read_workbook

            return form, read_workbook(path, display), [path], None
        from .io.jsonfile import read_json

        return form, read_json(path, display), [path], None


@contextlib.contextmanager
def reading(display: str):
    """Every way reading an input can fail, as one InputError naming it."""
    try:
        yield
    except PermissionError:
        raise InputError(display, "cannot be read (permission denied)") from None
    except IsADirectoryError:
        raise InputError(display, "is a folder, not a file") from None
    except OSError as exc:
        raise InputError(display, f"cannot be read ({exc.strerror or exc})") from None
    except RecursionError:
        raise InputError(display, "is nested too deeply to read") from None
    except MemoryError:
        raise InputError(
            display, "does not fit in memory; lower --max-bytes / --max-cells or split it"
        ) from None


def build_table(spec: schema.TableSpec, sheet: Sheet | None) -> Table:
    """Match headers to the schema's columns and parse every column."""
    if sheet is None:
        raw = pl.DataFrame(
            {c.name: pl.Series(c.name, [], dtype=pl.Utf8) for c in spec.columns}
            | {ROW: pl.Series(ROW, [], dtype=pl.Int64), POINTER: pl.Series(POINTER, [], dtype=pl.Utf8)}
        )
        df = pl.DataFrame([empty_typed(c) for c in spec.columns]).with_columns(
            raw[ROW], raw[POINTER]
        )
        return Table(spec=spec, present=False, raw=raw, df=df, bad={})
    index = spec.header_index
    headers: dict[str, str] = {}
    col_index: dict[str, int] = {}
    rename: dict[str, str] = {}
    extra: list[str] = []
    names = set(sheet.headers)
    for j, h in enumerate(sheet.headers):
        canon = index.get(schema.fold(h))
        if canon is not None and canon not in headers:
            headers[canon] = h
            col_index[canon] = j
            rename[h] = canon
        else:
            extra.append(h)
            col_index[h] = j
    # A column named again (`提供ID` and `provision_id`, both the same column) is kept as an
    # extra column (SCH-005 says which it repeats); its name must not be the one the first
    # column takes, nor any other column's.
    taken = set(headers) | (names - set(rename))
    for k, h in enumerate(extra):
        if h in headers:
            j = col_index.pop(h)
            alias, n = f"{h} ({j + 1})", 1
            while alias in taken:
                n += 1
                alias = f"{h} ({j + 1}.{n})"
            taken.add(alias)
            rename[h] = alias
            extra[k] = alias
            col_index[alias] = j
    frame = sheet.frame.rename(rename)
    specs = {c.name: c for c in spec.columns if c.name in frame.columns}
    pending = {rename.get(h, h) for h in sheet.unblanked}
    names = [h for h in frame.columns if h in specs or h in pending]

    blanked: list[str] = []  # the pending columns that had to be scanned for blank cells

    def parse(name: str) -> tuple[pl.Series, tuple[pl.Series, pl.Series] | None]:
        """(the raw column, blank cells made empty; its typed values and invalid mask)."""
        s, col = frame[name], specs.get(name)
        if name in pending:
            # A column whose values are all canonical holds no blank cell: nothing to scan.
            fast = fast_path(col, s) if col is not None else None
            if fast is not None:
                return s, fast
            s = pl.select(blank_to_null(pl.lit(s))).to_series().alias(name)
            blanked.append(name)
        # (normalize_column tries fast_path again: with its blank cells emptied, a column
        # may now pass it)
        return s, (normalize_column(col, s) if col is not None else None)

    if frame.height >= LONG_TABLE_ROWS and len(names) > 1:
        # polars releases the GIL while it works: a long table's columns are parsed side by side
        with ThreadPoolExecutor(max_workers=min(len(names), os.cpu_count() or 1)) as pool:
            parsed = dict(zip(names, pool.map(parse, names), strict=True))
    else:
        parsed = {name: parse(name) for name in names}
    if blanked:
        frame = frame.with_columns([parsed[name][0] for name in blanked])
        cells = [h for h in frame.columns if h not in (ROW, POINTER)]
        keep = frame.select(pl.any_horizontal([pl.col(h).is_not_null() for h in cells])).to_series()
        if not bool(keep.all()):  # rows that were only blank cells carry nothing
            frame = frame.filter(keep)
            parsed = {
                k: (raw.filter(keep), None if r is None else (r[0].filter(keep), r[1].filter(keep)))
                for k, (raw, r) in parsed.items()
            }
    n = frame.height
    typed: list[pl.Series] = []
    bad: dict[str, pl.Series] = {}
    for c in spec.columns:
        result = parsed.get(c.name, (None, None))[1]
        if result is not None:
            t, b = result
            typed.append(t.alias(c.name))
            if bool(b.any()):
                bad[c.name] = b
        else:
            typed.append(empty_typed(c, n))
    # One chunk a column: a streamed batch comes in the chunks polars read it in, and every
    # whole-frame operation on columns chunked apart would copy them into line first (3 ms a
    # time for a batch of 390,000 rows); the columns that are not one chunk are copied once.
    df = pl.DataFrame([*typed, frame[ROW], frame[POINTER]]).rechunk() if typed else frame
    return Table(
        spec=spec,
        present=True,
        raw=frame,
        df=df,
        bad=bad,
        file=sheet.file,
        sheet=sheet.sheet,
        form=sheet.form,
        headers=headers,
        col_index=col_index,
        extra=extra,
        header_row=sheet.header_row,
        parts=sheet.parts,
    )


def load(source: str | Path, stream: bool = False, pairs: bool = True) -> Register:
    """Read a register in any form. Raises InputError when it cannot be read at all.

    `stream`: a long provision log is read in batches in bounded memory (logstream.py); the
    log table then holds only the rows a finding can concern, and `Register.log_digest` the
    rest. `pairs=False`: its principals will not be asked for (`check`), so none are kept.
    """
    display = str(source)
    path = Path(source)
    form, sheets, files, log = read_sources(path, display, stream)
    if log is not None:
        sheets = [*sheets, Sheet(name=log.name, file=log.file, form=log.form, frame=pl.DataFrame(),
                                 headers=[])]
    by_table: dict[str, Sheet] = {}
    extra_sheets: list[Sheet] = []
    duplicates: list[Sheet] = []
    for sh in sheets:
        name = schema.match_table(sh.name)
        if name is None:
            extra_sheets.append(sh)
        elif name in by_table:
            duplicates.append(sh)
        else:
            by_table[name] = sh
    if duplicates:
        d = duplicates[0]
        first = by_table[schema.match_table(d.name) or ""]
        raise InputError(
            d.file,
            f"table {schema.match_table(d.name)!r} is given twice "
            f"({first.name!r} and {d.name!r}); keep one",
        )
    tables = {}
    # A long table is parsed on a thread of its own while the others are parsed here (polars
    # releases the GIL while it parses): at a million log rows they take as long as it does.
    long = {name for name, sh in by_table.items() if sh.frame.height >= LONG_TABLE_ROWS}
    with progress.task("Parsing", total=sum(sh.frame.height for sh in by_table.values())) as bar, \
            ThreadPoolExecutor(max_workers=1, thread_name_prefix="register-parse") as pool:
        aside = {name: pool.submit(build_table, schema.table(name), by_table[name])
                 for name in sorted(long)}
        for spec in schema.tables():
            sheet = by_table.get(spec.name)
            if log is not None and spec.name == "provision_log":
                continue  # read last: its rows are checked against the tables read first
            if spec.name not in aside:
                tables[spec.name] = build_table(spec, sheet)
                bar.update(sheet.frame.height if sheet is not None else 0)
        for name, built in aside.items():
            tables[name] = built.result()
            bar.update(by_table[name].frame.height)
        tables = {s.name: tables[s.name] for s in schema.tables() if s.name in tables}
    digest = None
    if log is not None:
        from .logstream import stream_log

        spec = schema.table("provision_log")
        try:
            with reading(log.file), progress.task("Streaming the log", unit="rows") as bar:
                tables[spec.name], digest = stream_log(spec, log, tables, pairs, bar.update)
        finally:
            log.close()
        tables = {s.name: tables[s.name] for s in schema.tables()}
    return Register(
        source=display, form=form, tables=tables, files=files, extra_sheets=extra_sheets,
        load_findings=[note for sh in sheets for note in sh.notes], log_digest=digest,
    )
