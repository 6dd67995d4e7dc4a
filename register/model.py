"""A loaded register: its tables, each row's origin, and how to point a user at a cell."""

from __future__ import annotations

import bisect
import functools
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import polars as pl

from . import schema
from .findings import Location

ROW = "_row"  # the row as the user's spreadsheet shows it (CSV: the line), or null for JSON
POINTER = "_pointer"  # the JSON pointer of the row object, or null
ORIGIN_COLUMNS = (ROW, POINTER)


class InputError(Exception):
    """The input cannot be read at all: the CLI prints one line and exits 2."""

    def __init__(self, path: str | Path | None, problem: str):
        self.path = str(path) if path is not None else None
        self.problem = problem
        super().__init__(f"{self.path}: {problem}" if self.path else problem)


def column_letter(index: int) -> str:
    """0-based column index → Excel column letters (0 → A, 26 → AA)."""
    letters = ""
    index += 1
    while index:
        index, rem = divmod(index - 1, 26)
        letters = chr(65 + rem) + letters
    return letters


@dataclass
class Sheet:
    """A table as read from one sheet, CSV file or JSON array, before normalisation.

    `frame` holds every cell as text (null when empty), columns named by the header as written,
    plus `_row` / `_pointer` for each row's origin.
    """

    name: str  # sheet / file stem / JSON key as written
    file: str  # the path as the user gave it (or a file inside the given folder)
    form: str  # xlsx | csv | json | parquet
    frame: pl.DataFrame
    headers: list[str]  # as written, in column order
    header_row: int | None = None  # 1-based, for xlsx and CSV
    sheet: str | None = None  # the sheet name for xlsx, else None
    notes: list[Any] = field(default_factory=list)  # findings the reader made (e.g. formulas)
    # Columns whose whitespace-only cells are still to be made empty (load.build_table does it,
    # skipping columns whose values prove there is none): the big-CSV reader's shortcut.
    unblanked: tuple[str, ...] = ()
    # A table read from several files (a folder of Parquet parts): (file, index of its first
    # row in `frame`) for each, in order; each part numbers its rows from 2, as one file would.
    parts: tuple[tuple[str, int], ...] = ()


# Forms without a grid: a database table's rows are located by table and row key (SQLite's
# rowid, else the row's place in the table's order), never by an A1 cell.
DATABASE_FORMS = ("sqlite", "postgresql")

# A table of at least this many rows is long (a provision log, in practice): its columns are
# parsed side by side (load), its grouping is built on a second thread (api), and its cells
# are read one by one rather than listed (Table._cell). Below it, none of that pays.
LONG_TABLE_ROWS = 100_000


@dataclass
class Table:
    """One table of the register: raw text and normalised values, row for row."""

    spec: schema.TableSpec
    present: bool
    raw: pl.DataFrame  # canonical column names (+ unknown headers), text values
    df: pl.DataFrame  # canonical columns, typed (Date, Boolean, Int64, List(Utf8), Utf8)
    bad: dict[str, pl.Series] = field(default_factory=dict)  # given but invalid cells
    file: str | None = None
    sheet: str | None = None
    form: str | None = None
    headers: dict[str, str] = field(default_factory=dict)  # canonical → header as written
    col_index: dict[str, int] = field(default_factory=dict)  # canonical/extra → 0-based column
    extra: list[str] = field(default_factory=list)  # unknown columns, as written
    header_row: int | None = None
    parts: tuple[tuple[str, int], ...] = ()  # Sheet.parts: the files of a table in parts

    @property
    def name(self) -> str:
        return self.spec.name

    def __len__(self) -> int:
        return self.df.height

    @functools.cached_property
    def frame(self) -> pl.DataFrame:
        """`df` with the schema's defaults filled in: what the checks and records use."""
        exprs = []
        for c in self.spec.columns:
            if c.default is not None:
                exprs.append(pl.col(c.name).fill_null(pl.lit(c.default)).alias(c.name))
            elif c.default_from:
                exprs.append(pl.col(c.name).fill_null(pl.col(c.default_from)).alias(c.name))
        return self.df.with_columns(exprs) if exprs else self.df

    @functools.cached_property
    def rows(self) -> list[dict[str, Any]]:
        """Rows as dicts (defaults filled), for the small tables the law checks walk."""
        return self.frame.to_dicts()

    @functools.cached_property
    def by_key(self) -> dict[str, dict[str, Any]]:
        """Rows by their ID (first occurrence wins; duplicates are REF-001)."""
        key = self.spec.key
        out: dict[str, dict[str, Any]] = {}
        if key is None:
            return out
        for r in self.rows:
            k = r.get(key)
            if k is not None and k not in out:
                out[k] = r
        return out

    def record_id(self, i: int) -> str | None:
        """The ID a finding names for row i (the key as normalised, else as written)."""
        key = self.spec.key
        if key is None:
            return None
        v = self._cell(self.df, key, i)
        if v is None and key in self.raw.columns:
            v = self._cell(self.raw, key, i)
        return v

    def _cell(self, frame: pl.DataFrame, column: str, i: int) -> Any:
        """frame[column][i]. A short table's column is read into Python once (see
        _column_list); a long one (the log, whose findings are capped) cell by cell."""
        if frame.height >= LONG_TABLE_ROWS:
            return frame[column][i]
        return self._column_list(frame, column)[i]

    def _column_list(self, frame: pl.DataFrame, column: str) -> list:
        """frame[column] as a Python list, read once: locating thousands of findings would
        otherwise pay polars' per-cell access each time."""
        key = (id(frame), column)
        hit = self._listed.get(key)
        if hit is None or hit[0] is not frame:  # kept with its frame: an id is never reused
            hit = self._listed[key] = (frame, frame[column].to_list())
        return hit[1]

    @functools.cached_property
    def _listed(self) -> dict[tuple[int, str], tuple[pl.DataFrame, list]]:
        return {}

    def location(self, i: int | None, column: str | None = None) -> Location:
        """Where row i (0-based in the table) and a column are, as the user sees them."""
        header = self.headers.get(column, column) if column else None
        if i is None:
            return Location(file=self.file, sheet=self.sheet, column=header)
        row = self._cell(self.raw, ROW, i) if ROW in self.raw.columns else None
        pointer = self._cell(self.raw, POINTER, i) if POINTER in self.raw.columns else None
        cell = None
        if (row is not None and column is not None and column in self.col_index
                and self.form not in DATABASE_FORMS):
            cell = f"{column_letter(self.col_index[column])}{row}"
        if pointer is not None and column is not None:
            pointer = f"{pointer}/{column}"
        if column is not None and column not in self.headers and self.form == "json":
            header = column
        return Location(
            file=self._part_file(i) if self.parts else self.file,
            sheet=self.sheet,
            row=row,
            column=header if column in self.headers or self.form == "json" else None,
            cell=cell,
            pointer=pointer,
        )

    def _part_file(self, i: int) -> str | None:
        """The file of the part that holds row i."""
        starts = [start for _file, start in self.parts]
        return self.parts[max(0, bisect.bisect_right(starts, i) - 1)][0]

    def order_key(self, i: int | None) -> tuple[int, str]:
        """(row, pointer) of row i, as findings about it sort (findings.capped's `key`)."""
        if i is None:
            return (-1, "")
        if self.parts:  # the parts' files sort in order, and each numbers its rows from 2
            return (i, "")
        r = self._column_list(self.raw, ROW)[i] if ROW in self.raw.columns else None
        p = self._column_list(self.raw, POINTER)[i] if POINTER in self.raw.columns else None
        return (r if r is not None else -1, p or "")

    def finding(self, rule, i: int | None, column: str | None = None, **params: Any):
        """A finding about row i of this table (and a column), located for the user."""
        record = self.record_id(i) if i is not None else None
        value = params.pop("value", None)
        if value is None and i is not None and column is not None and column in self.raw.columns:
            value = self._cell(self.raw, column, i)
        return rule(
            table=self.name,
            record=record,
            field=column,
            location=self.location(i, column),
            value=value,
            **params,
        )

    def index_of(self, key_value: str) -> int | None:
        """Row index of the first row whose key is key_value."""
        return self._key_index.get(key_value)

    @functools.cached_property
    def _key_index(self) -> dict[str, int]:
        key = self.spec.key
        out: dict[str, int] = {}
        if key is None:
            return out
        for i, v in enumerate(self.df[key].to_list()):
            if v is not None and v not in out:
                out[v] = i
        return out


@dataclass
class Register:
    """Every table of one register, plus what was read and what could not be matched."""

    source: str  # the input as given on the command line
    form: str
    tables: dict[str, Table]
    files: list[Path]  # every file read, for the report's SHA-256 list
    extra_sheets: list[Sheet] = field(default_factory=list)
    load_findings: list[Any] = field(default_factory=list)
    # A provision log read in batches (logstream.LogDigest): its events and principals; the
    # log table then holds only the rows a finding can concern. None when read whole.
    log_digest: Any = None

    def __getitem__(self, name: str) -> Table:
        return self.tables[name]

    @property
    def organization(self) -> dict[str, Any]:
        rows = self.tables["organization"].rows
        return rows[0] if rows else {}
