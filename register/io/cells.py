"""Turning cells as readers return them into text, the one form every loader shares."""

from __future__ import annotations

import datetime as dt
import math
from typing import Any


def cell_text(value: Any) -> str | None:
    """A cell value as text: dates as ISO, whole numbers without `.0`, booleans as true/false.

    Empty strings and whitespace-only cells are "not given" (None).
    """
    if value is None:
        return None
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, dt.datetime):
        if value.time() == dt.time(0, 0):
            return value.date().isoformat()
        return value.isoformat(sep="T")
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, dt.time):
        return value.isoformat()
    if isinstance(value, dt.timedelta):
        return str(value)
    if isinstance(value, float):
        if math.isnan(value):
            return None
        if value.is_integer() and abs(value) < 1e15:
            return str(int(value))
        return repr(value)
    if isinstance(value, int):
        return str(value)
    text = str(value)
    if not text.strip():
        return None
    return text
