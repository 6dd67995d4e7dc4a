"""The report's view pieces: the rows the template lays out, display names and formatters.

Shared by the section builders (`flows_view`, `parties_view`, `records_view`) and `view.build`.
"""

from __future__ import annotations

import datetime as dt
import hashlib
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from ..countries import country_name, normalize_country
from ..findings import Finding, render
from ..model import Register
from .messages import (
    column_label,
    severity_label,
    table_label,
    text,
)

SEVERITY_COLOUR = {"error": "#c62828", "warning": "#b26a00", "info": "#1565c0"}


@dataclass
class FindingView:
    rule: str
    severity: str
    severity_label: str
    where: str
    record: str
    message: str
    hint: str
    law: str


@dataclass
class ProvisionView:
    id: str
    basis: str
    dataset: str
    items: str
    events: int
    route: str
    outcome: str  # record | no_record | violation | unknown
    outcome_label: str
    map_label: str
    findings: list[FindingView] = field(default_factory=list)


@dataclass
class RecipientView:
    id: str
    name: str
    kind: str
    country: str
    provisions: list[ProvisionView] = field(default_factory=list)
    findings: list[FindingView] = field(default_factory=list)
    outcome: str = "no_record"


def sha256(path: Path) -> str:
    """The file's SHA-256 (hex), read in chunks; '—' when it cannot be read."""
    h = hashlib.sha256()
    try:
        with open(path, "rb") as fh:
            for chunk in iter(lambda: fh.read(1 << 20), b""):
                h.update(chunk)
    except OSError:
        return "—"
    return h.hexdigest()


def fmt_date(v: Any) -> str:
    if v is None:
        return ""
    if isinstance(v, dt.date):
        return v.isoformat()
    return str(v)


def fmt_bool(v: Any, lang: str) -> str:
    if v is None:
        return text("missing", lang)
    return text("yes" if v else "no", lang)


def where(f: Finding) -> str:
    """The location as the user finds it: a JSON pointer, `sheet!D5`, or `file line 5`."""
    loc = f.location
    place = loc.sheet or (Path(loc.file).name if loc.file else "")
    if loc.pointer:
        return loc.pointer
    if loc.cell:
        return f"{place}!{loc.cell}" if place else loc.cell
    if loc.row is not None:
        return f"{place} {loc.row}".strip()
    return place or (f.table or "")


def finding_view(f: Finding, lang: str) -> FindingView:
    d = render(f, lang)
    rec = " / ".join(
        x
        for x in (
            table_label(f.table, lang),
            f.record or "",
            column_label(f.table, f.field, lang) if f.table and f.field else (f.field or ""),
        )
        if x
    )
    return FindingView(
        rule=f.rule,
        severity=f.severity.value,
        severity_label=severity_label(f.severity.value, lang),
        where=where(f),
        record=rec,
        message=d["message"],
        hint=d["hint"],
        # Japanese pages cite in Japanese (docs/japanese.md §3)
        law=(d["law_ja"] if lang == "ja" else d["law"]) or "",
    )


class Names:
    """ID → display name lookups for the small tables."""

    def __init__(self, reg: Register, lang: str):
        self.lang = lang
        org = reg.organization
        self.org_name = org.get("name") or ""
        self.parties = reg["parties"].by_key
        self.items = reg["data_items"].by_key
        self.purposes = reg["purposes"].by_key
        self.datasets = reg["datasets"].by_key

    def party(self, pid: str | None) -> str:
        if pid is None:
            return ""
        if pid == "self":
            return self.org_name
        p = self.parties.get(pid)
        return f"{p.get('name') or pid}" if p else pid

    def item(self, iid: str) -> str:
        i = self.items.get(iid)
        return (i.get("name") or iid) if i else iid

    def items_text(self, ids: Iterable[str] | None) -> str:
        return "、".join(self.item(i) for i in ids or ()) if self.lang == "ja" else ", ".join(
            self.item(i) for i in ids or ()
        )

    def purpose(self, pid: str) -> str:
        p = self.purposes.get(pid)
        return (p.get("description") or pid) if p else pid

    def dataset(self, did: str | None) -> str:
        if did is None:
            return ""
        d = self.datasets.get(did)
        return (d.get("name") or did) if d else did

    def country(self, code: str | None) -> str:
        if not code:
            return ""
        norm = normalize_country(code) or code
        return f"{country_name(norm, 'ja' if self.lang == 'ja' else 'en')} ({norm})"


def join(values: Iterable[str], lang: str) -> str:
    return ("、" if lang == "ja" else ", ").join(v for v in values if v)
