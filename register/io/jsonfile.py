"""Reading a register kept as one JSON document."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import orjson

from ..model import InputError, Sheet
from .cells import cell_text
from .sheets import frame_from_rows


def _text(value: Any) -> str | None:
    if isinstance(value, list):
        parts = [t for t in (_text(v) for v in value) if t is not None]
        return ";".join(parts) if parts else None
    if isinstance(value, dict):
        return orjson.dumps(value, option=orjson.OPT_SORT_KEYS).decode()
    return cell_text(value)


def read_json(path: Path, display: str, data: bytes | None = None) -> list[Sheet]:
    """Each top-level key of the document as a sheet; rows keep their JSON pointer."""
    raw = path.read_bytes() if data is None else data
    try:
        doc = orjson.loads(raw)
    except orjson.JSONDecodeError as exc:
        raise InputError(display, f"not valid JSON ({str(exc).splitlines()[0][:160]})") from None
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
        body = []
        for rec in records:
            if isinstance(rec, dict):
                body.append([_text(rec.get(h)) for h in headers])
            else:
                body.append([None] * len(headers))
        sheets.append(
            Sheet(
                name=key,
                file=display,
                form="json",
                frame=frame_from_rows(headers, body, [None] * len(body), pointers),
                headers=headers,
            )
        )
    return sheets


def _escape(token: str) -> str:
    """JSON Pointer escaping (RFC 6901)."""
    return token.replace("~", "~0").replace("/", "~1")
