"""Input limits: how much the tool reads before it refuses (docs/security.md).

The defaults fit a million-row provision log with room to spare and keep the reading of any
input within about 1 GiB of memory; a user raises them with --max-bytes, --max-rows and
--max-cells. The other limits are fixed: no honest register comes near them, and each guards
against one kind of crafted file.
"""

from __future__ import annotations

from dataclasses import dataclass

from .model import InputError


@dataclass(frozen=True)
class Limits:
    # The three options bound memory too: with these defaults no input, honest or crafted,
    # takes more than about 1 GiB to read (docs/security.md, Memory).
    max_bytes: int = 128 * 1024**2  # one input file, the unpacked size of a workbook or Parquet
    max_rows: int = 10_000_000  # rows in one table
    max_cells: int = 10_000_000  # cells in one sheet or table; values in a JSON document
    # Fixed limits (no option): each one stops a crafted file, never an honest register.
    max_cell_chars: int = 1024 * 1024  # text in one cell (Excel itself stops at 32,767)
    max_depth: int = 64  # JSON nesting (a register needs 4: object, table, record, list)
    max_zip_entries: int = 10_000  # parts in one workbook (Excel writes a few dozen)
    max_ratio: int = 250  # unpacked/packed size of one part, checked above ZIP_RATIO_FLOOR
    max_columns: int = 16_384  # columns of one table: Excel's own (XFD); a register has ~20


# A workbook part smaller than this unpacked is never a bomb, whatever its ratio
# (an empty styled sheet compresses 500:1 but is a few kilobytes).
ZIP_RATIO_FLOOR = 16 * 1024 * 1024

DEFAULTS = Limits()
_current = DEFAULTS


def use(limits: Limits) -> None:
    """Set the limits for this process (the CLI's options)."""
    global _current
    _current = limits


def current() -> Limits:
    """The limits in force (DEFAULTS unless the CLI set others)."""
    return _current


def _n(value: int) -> str:
    return f"{value:,}"


def over_bytes(display: str, size: int, what: str = "is") -> InputError:
    """The error for an input (or its unpacked content) larger than --max-bytes."""
    limit = current().max_bytes
    return InputError(
        display,
        f"{what} {_n(size)} bytes, over the limit of {_n(limit)}; "
        f"raise it with --max-bytes {size}",
    )


def check_file_size(path, display: str) -> None:
    """Refuse a file larger than --max-bytes before reading a byte of it."""
    size = path.stat().st_size
    if size > current().max_bytes:
        raise over_bytes(display, size)


def check_columns(display: str, where: str, columns: int) -> None:
    """Refuse a table wider than any spreadsheet (each column costs memory, however empty:
    a CSV header of millions of commas would take gigabytes)."""
    limit = current().max_columns
    if columns > limit:
        raise InputError(
            display,
            f"{where} has {_n(columns)} columns, over the limit of {_n(limit)} (Excel's own); "
            "it is not a register table",
        )


def check_table_size(display: str, where: str, rows: int, columns: int) -> None:
    """Refuse a table with more columns than a spreadsheet holds, more rows than --max-rows
    or more cells than --max-cells."""
    check_columns(display, where, columns)
    lim = current()
    if rows > lim.max_rows:
        raise InputError(
            display,
            f"{where} has {_n(rows)} rows, over the limit of {_n(lim.max_rows)}; "
            f"raise it with --max-rows {rows}",
        )
    cells = rows * columns
    if cells > lim.max_cells:
        raise InputError(
            display,
            f"{where} has {_n(cells)} cells ({_n(rows)} rows x {_n(columns)} columns), over the "
            f"limit of {_n(lim.max_cells)}; raise it with --max-cells {cells}",
        )


def cell_too_long(display: str, where: str, length: int) -> InputError:
    """The error for one cell holding more text than any register needs."""
    return InputError(
        display,
        f"{where} holds {_n(length)} characters, over the limit of "
        f"{_n(current().max_cell_chars)} for one cell; shorten it",
    )
