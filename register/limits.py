"""Input limits: how much the tool reads before it refuses (docs/security.md).

The defaults fit a million-row provision log with room to spare; a user raises them with
--max-bytes, --max-rows and --max-cells.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Limits:
    max_bytes: int = 2 * 1024**3  # one input file, and the unpacked size of a workbook
    max_rows: int = 10_000_000  # rows in one table
    max_cells: int = 100_000_000  # cells in one sheet or table


DEFAULTS = Limits()
_current = DEFAULTS


def use(limits: Limits) -> None:
    """Set the limits for this process (the CLI's options)."""
    global _current
    _current = limits


def current() -> Limits:
    return _current
