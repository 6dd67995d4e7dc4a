"""Progress on a terminal for long loads and exports: silent when piped or with --quiet."""

from __future__ import annotations

import sys

_quiet = False


def set_quiet(quiet: bool) -> None:
    global _quiet
    _quiet = quiet


def enabled() -> bool:
    """Progress goes to stderr, only when stderr is a terminal (product.md)."""
    return not _quiet and sys.stderr.isatty()


def note(message: str) -> None:
    """A one-line progress message (overwritten by the next)."""
    if enabled():
        sys.stderr.write(f"\r\x1b[K{message}")
        sys.stderr.flush()


def done() -> None:
    if enabled():
        sys.stderr.write("\r\x1b[K")
        sys.stderr.flush()
