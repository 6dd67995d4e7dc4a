"""Reading a register kept as one JSON document."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import orjson

from ..limits import check_table_size, current
from ..model import InputError, Sheet
from .cells import cell_text
from .sheets import check_sheet_limits, frame_from_rows


class _TooDeep(Exception):
    pass


def _text(value: Any, depth: int = 0) -> str | None:
    """A JSON value as cell text: lists joined by `;`, objects as compact JSON."""
    if isinstance(value, list):
        if depth >= _max_depth():
            raise _TooDeep
        parts = [t for t in (_text(v, depth + 1) for v in value) if t is not None]
        return ";".join(parts) if parts else None
    if isinstance(value, dict):
        _check_depth(value, depth)
        return orjson.dumps(value, option=orjson.OPT_SORT_KEYS).decode()
    return cell_text(value)


def _check_depth(value: Any, depth: int) -> None:
    """Walk a nested value only as deep as the limit allows."""
    if depth >= _max_depth():
        raise _TooDeep
    children = value.values() if isinstance(value, dict) else value
    for v in children:
        if isinstance(v, dict | list):
            _check_depth(v, depth + 1)


def _max_depth() -> int:
    # The record sits 2 levels down (document, table array); its values start at depth 3.
    return current().max_depth - 3


def read_json(path: Path, display: str, data: bytes | None = None) -> list[Sheet]:
    """Each top-level key of the document as a sheet; rows keep their JSON pointer."""
    raw = path.read_bytes() if data is None else data
    try:
        doc = orjson.loads(raw)
    except orjson.JSONDecodeError as exc:
        reason = str(exc).splitlines()[0][:160]
        if "depth" in reason or "recursion" in reason:
            raise InputError(
                display,
                f"is nested more than {current().max_depth} levels deep (a register needs 4); "
                "refused",
            ) from None
        raise InputError(display, f"not valid JSON ({reason})") from None
    if not isinstance(doc, dict):
        raise InputError(display, "a register document must be a JSON object of tables")
    sheets = []
    for key, value in doc.items():
        if isinstance(value, dict):
            records, pointers = [value], [f"/{_escape(key)}"]
        elif isinstance(value, list):
            records = value
            pointers = [f"/{_escape(key)}/{i}" for i in range(len(value))]
        else:
            records, pointers = [], []
        headers: list[str] = []
        seen: set[str] = set()
        for rec in records:
            if isinstance(rec, dict):
                for k in rec:
                    if k not in seen:
                        seen.add(k)
                        headers.append(k)
        check_table_size(display, f"table {key!r}", len(records), len(headers))
        body = []
        for i, rec in enumerate(records):
            if isinstance(rec, dict):
                try:
                    body.append([_text(rec.get(h)) for h in headers])
                except _TooDeep:
                    raise InputError(
                        display,
                        f"{pointers[i]} is nested more than {current().max_depth} levels deep "
                        "(a register needs 4); refused",
                    ) from None
            else:
                body.append([None] * len(headers))
        sheets.append(
            check_sheet_limits(Sheet(
                name=key,
                file=display,
                form="json",
                frame=frame_from_rows(headers, body, [None] * len(body), pointers),
                headers=headers,
            ))
        )
    return sheets


def _escape(token: str) -> str:
    """JSON Pointer escaping (RFC 6901)."""
    return token.replace("~", "~0").replace("/", "~1")
