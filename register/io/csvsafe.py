"""CSV injection: every CSV the tool writes neutralises formulas, and reading undoes it exactly.

A spreadsheet opening a CSV runs a cell that starts with `=`, `+`, `-` or `@` as a formula
(and tab or carriage return first can smuggle one in): `=HYPERLINK(…)`, `+cmd|' /C calc'!A0`.
So every text cell the tool writes to CSV that starts with one of those characters gets a
leading apostrophe, which spreadsheets show as text (OWASP's advice).

The escaping is reversible, so a register written as a CSV folder reads back to the very same
values (docs/security.md):

- write: a text that matches `'*[=+\\-@\\t\\r]…` (any number of apostrophes, then a trigger)
  gets one more `'` in front;
- read: a cell that matches `'+[=+\\-@\\t\\r]…` loses its first `'`.

Every text either matches the first pattern (and then its written form matches the second)
or it does not (and then it is written as it is and cannot match the second), so the two are
exact inverses. `=SUM(A1)` is written `'=SUM(A1)`; `-5` in a text column `'-5`; a text that
already starts with an apostrophe before a trigger, `'=x`, is written `''=x`; `'abc` and `a=b`
are written as they are. Each reads back as it was.

Typed numbers (an `int` column's values) are written as numbers, never escaped: `-5` there is
a number in any spreadsheet, not a formula.
"""

from __future__ import annotations

import re

import polars as pl

TRIGGERS = "=+-@\t\r"
_WRITE = r"^'*[=+\-@\t\r]"  # needs escaping
_READ = r"^'+[=+\-@\t\r]"  # was escaped
_WRITE_RE = re.compile(_WRITE)
_READ_RE = re.compile(_READ)


def neutralise(text: str) -> str:
    """`text` as a CSV cell: one more leading `'` when a spreadsheet could run it."""
    return "'" + text if _WRITE_RE.match(text) else text


def restore(text: str) -> str:
    """A CSV cell as the text it holds: `neutralise` undone."""
    return text[1:] if text[:1] == "'" and _READ_RE.match(text) else text


def neutralise_expr(e: pl.Expr) -> pl.Expr:
    """`neutralise` for a text column (nulls stay null)."""
    return pl.when(e.str.contains(_WRITE)).then(pl.lit("'") + e).otherwise(e)


def neutralise_columns(df: pl.DataFrame, names: list[str]) -> pl.DataFrame:
    """`df` with `neutralise` done to its text columns `names`. Each column is searched once,
    and only one holding a cell to escape is rewritten: a guard on every column would compute
    the column's text three times over (for the test and for each branch)."""
    if not names or df.height == 0:
        return df
    hits = df.select(pl.col(n).str.contains(_WRITE).any() for n in names).row(0)
    need = [n for n, hit in zip(names, hits, strict=True) if hit]
    return df.with_columns(neutralise_expr(pl.col(n)).alias(n) for n in need) if need else df


def restore_expr(e: pl.Expr) -> pl.Expr:
    """`restore` for a text column (nulls stay null)."""
    return pl.when(e.str.contains(_READ)).then(e.str.slice(1)).otherwise(e)
