"""The register and its records as pandas DataFrames, for notebook users.

An extra (`pip install 'register[pandas]'`): the tool itself works in polars and never needs
pandas; these two functions hand a notebook the same tables the commands read and write.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:  # pandas is optional: imported only when a frame is asked for
    import pandas as pd

__all__ = ["records_frames", "register_frames"]


def _require_pandas() -> None:
    try:
        import pandas  # noqa: F401
        import pyarrow  # noqa: F401  (polars hands frames to pandas through Arrow)
    except ImportError as exc:
        raise ImportError(
            "pandas frames need the extra: pip install 'register[pandas]'"
        ) from exc


def register_frames(source: str | Path, lang: str = "en") -> dict[str, pd.DataFrame]:
    """Every table of the register at `source`, typed and with defaults filled, by table name.

    With `lang="ja"` the columns are named by their Japanese labels, as on the template.
    """
    from .load import load

    _require_pandas()
    reg = load(source)
    out = {}
    for name, table in reg.tables.items():
        frame = table.frame
        if lang == "ja":
            frame = frame.rename({c.name: c.label_ja for c in table.spec.columns})
        out[name] = frame.to_pandas()
    return out


def records_frames(
    source: str | Path, as_of: dt.date | None = None, lang: str = "en"
) -> dict[str, pd.DataFrame]:
    """The five record tables of `register records`, by table name
    (docs/routes-and-records.md §4)."""
    from .api import check
    from .export import records_of
    from .outputs import output_table
    from .records import TABLES

    _require_pandas()
    records = records_of(check(source, as_of))
    out = {}
    for name in TABLES:
        frame = records.table(name, lang)
        if lang == "ja":
            frame = frame.rename({c.name: c.label_ja for c in output_table(name).columns})
        out[name] = frame.to_pandas()
    return out
