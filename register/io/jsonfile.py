"""Reading a register kept as one JSON document."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import orjson

from .. import schema
from ..checks.input_cells import INP_004
from ..findings import Finding, Location
from ..limits import check_table_size, current
from ..model import InputError, Sheet
from ..values import has_list_separator
from .cells import cell_text
from .sheets import check_sheet_limits, frame_from_rows


class _TooDeep(Exception):
    pass


def _text(value: Any, depth: int = 0) -> str | None:
    """A JSON value as cell text: lists joined by `;`, objects as compact JSON.

    An array entry is one value: when an entry itself holds a list separator (`;`, `、`),
    joining would split it into several (`["A1;B2"]` would name two principals), so such an
    array is kept as its compact JSON text, which the column parsers read entry by entry
    (values.array_entries) and report.
    """
    if isinstance(value, list):
        if depth >= _max_depth():
            raise _TooDeep
        texts = [_text(v, depth + 1) for v in value]
        if any(t is not None and has_list_separator(t) for t in texts):
            return orjson.dumps(texts).decode()
        parts = [t for t in texts if t is not None]
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
    _check_values(raw, display)
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
        notes: list[Finding] = []
        if isinstance(value, dict):
            records, pointers = [value], [f"/{_escape(key)}"]
        elif isinstance(value, list):
            records = value
            pointers = [f"/{_escape(key)}/{i}" for i in range(len(value))]
        else:
            records, pointers = [], []
            if schema.match_table(key) is not None:
                # a table given as a string, a number or null: nothing of it can be read
                notes.append(_not_a_record(display, key, f"/{_escape(key)}", value))
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
                # not a row: it cannot be read, and it must not vanish unsaid
                notes.append(_not_a_record(display, key, pointers[i], rec))
                body.append([None] * len(headers))
        sheets.append(
            check_sheet_limits(Sheet(
                name=key,
                file=display,
                form="json",
                frame=frame_from_rows(headers, body, [None] * len(body), pointers),
                headers=headers,
                notes=notes,
            ))
        )
    return sheets


def _check_values(raw: bytes, display: str) -> None:
    """Refuse, before parsing, a document with more commas and colons than half of
    --max-cells.

    Parsed, every JSON value is a Python object of its own: about 160 bytes a value in an
    object (the object's share included), some 15 times the JSON text, twice what a cell costs
    a CSV or a workbook. Each value but the first of an array follows a comma, and each value
    in an object follows a colon and (but the first) a comma, so commas and colons count the
    values (those inside strings too: an upper bound) without parsing.
    """
    limit = current().max_cells // 2
    marks = raw.count(b",") + raw.count(b":")
    if marks > limit:
        raise InputError(
            display,
            f"holds {marks:,} commas and colons (one for each value in an array, two in an "
            f"object), over the limit of {limit:,}, half of --max-cells (a parsed JSON value "
            f"takes twice a cell's memory); raise it with --max-cells {2 * marks}",
        )


def _not_a_record(display: str, key: str, pointer: str, value: Any) -> Finding:
    """INP-004 for a table entry (or a table) that is not an object."""
    try:
        shown = orjson.dumps(value).decode()
    except orjson.JSONEncodeError:  # nested past what orjson writes
        shown = type(value).__name__
    if len(shown) > 80:
        shown = shown[:77] + "..."
    return INP_004(
        table=schema.match_table(key) or key,
        location=Location(file=display, pointer=pointer),
        pointer=pointer,
        value=shown,
    )


def _escape(token: str) -> str:
    """JSON Pointer escaping (RFC 6901)."""
    return token.replace("~", "~0").replace("/", "~1")
