"""Progress on a terminal for long loads and exports: silent when piped or with --quiet.

A bar (tqdm) on stderr shows the rows done, the total where it is known, and the rate. It is
drawn only when stderr is a terminal, so pipes, files and CI logs never see it, and stdout
(what the commands print) is never touched. Small inputs finish before tqdm draws anything.
"""

from __future__ import annotations

import contextlib
import os
import sys
from collections.abc import Iterator
from typing import Any

_quiet = False


def set_quiet(quiet: bool) -> None:
    global _quiet
    _quiet = quiet


def enabled() -> bool:
    """Progress goes to stderr, only when stderr is a terminal (docs/usage.md, `--quiet`)."""
    return not _quiet and sys.stderr.isatty()


class _Silent:
    def update(self, n: int = 1) -> None:
        pass

    def set_postfix_str(self, s: str) -> None:
        pass


@contextlib.contextmanager
def task(desc: str, total: int | None = None, unit: str = "rows") -> Iterator[Any]:
    """A bar for one stage; `.update(n)` as n more units are done. No-op when not enabled."""
    if not enabled():
        yield _Silent()
        return
    from tqdm import tqdm

    columns, lines = _size()
    with tqdm(
        total=total, desc=desc, unit=f" {unit}", unit_scale=True, file=sys.stderr, leave=False,
        ncols=columns, nrows=lines, mininterval=0.2,
    ) as bar:
        yield bar


def _size() -> tuple[int, int]:
    """(columns, lines) of the terminal; 80 × 24 where it reports none (a pseudo-terminal
    nobody sized says 0 × 0, and tqdm then draws nothing at all)."""
    try:
        size = os.get_terminal_size(sys.stderr.fileno())
        columns, lines = size.columns, size.lines
    except (OSError, ValueError):
        columns = lines = 0
    return columns or 80, lines or 24
