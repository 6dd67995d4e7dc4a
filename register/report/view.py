"""The report's view model: everything the template shows, computed from an Analysis.

The template only lays out. Nothing here decides law: each section shows the facts layer's
facts (register/facts), the routes and the findings, in the report's language. Sections live in
`flows_view`, `parties_view` and `records_view`; the pieces they share in `views`.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from .. import __version__
from ..countries import country_name
from ..facts import context
from ..findings import RULES
from ..law_ja import law_ja
from ..model import Register
from . import charts, clients_view
from .flows_view import findings_by_record, flow_map, recipient_rows
from .messages import (
    SEVERITIES,
    enum_label,
    severity_label,
    text,
)
from .parties_view import contractor_rows, cross_border_rows, joint_change_rows, joint_use_rows
from .records_view import exempt_rows, receipt_rows, record_summary
from .tags_view import map_extra, tags_section
from .views import (
    SEVERITY_COLOUR,
    Names,
    finding_view,
    join,
    sha256,
)


def build(analysis: Any, lang: str) -> dict[str, Any]:
    """The whole view model of the report."""
    reg: Register = analysis.register
    names = Names(reg, lang)
    findings = list(analysis.report.findings)
    ctx = {
        "lang": lang,
        "t": lambda key, **kw: text(key, lang, **kw),
        "title": text("doc_title", lang),
        "version": __version__,
        "as_of": analysis.as_of.isoformat(),
    }
    ctx["organization"] = _organization(reg, lang)
    ctx["inputs"] = _inputs(reg)
    ctx["summary"] = _summary(analysis.report, lang)
    ctx["findings"] = [finding_view(f, lang) for f in findings]
    by_record = findings_by_record(reg, findings)
    recipients = recipient_rows(analysis, names, by_record, lang)
    ctx["recipients"] = recipients
    ctx["inventory"] = clients_view.mark_held(_inventory(reg, names, lang), reg, names, lang)
    ctx["flowmap"] = flow_map(reg, names, recipients, lang, map_extra(analysis, names, lang))
    ctx["contractors"] = contractor_rows(reg, names, analysis.as_of, lang)
    ctx["held_data"] = clients_view.held_rows(reg, names, recipients, by_record, lang)
    ctx["joint_uses"] = joint_use_rows(reg, names, lang, analysis.as_of)
    ctx["joint_changes"] = joint_change_rows(reg, names, by_record, analysis.as_of, lang)
    ctx["cross_border"] = cross_border_rows(reg, names, recipients, by_record, lang)
    ctx["tags"] = tags_section(analysis, names, by_record, recipients, lang)  # docs/web.md §9
    ctx["records"] = record_summary(analysis.records, analysis.as_of, lang)
    ctx["exempt"] = exempt_rows(analysis, names, lang)
    ctx["receipts"] = receipt_rows(analysis, names, by_record, lang)
    # readiness and incidents (docs/incident.md §6)
    from .incidents import sections as incident_sections

    ctx.update(incident_sections(analysis, names, lang))
    return ctx


def _organization(reg: Register, lang: str) -> list[tuple[str, str]]:
    org = reg.organization
    out = []
    for key in ("name", "address", "representative", "contact", "corporate_number", "country"):
        v = org.get(key)
        if key == "country" and v:
            v = f"{country_name(v, 'ja' if lang == 'ja' else 'en')} ({v})"
        out.append((text(f"org_{key}", lang), v or ""))
    return out


def _inputs(reg: Register) -> dict[str, Any]:
    return {
        "source": reg.source,
        "form": reg.form,
        "files": [(str(p), sha256(Path(p))) for p in reg.files],
    }


def _summary(report: Any, lang: str) -> dict[str, Any]:
    s = report.summary()
    counts: dict[str, int] = {}
    for f in report.findings:
        if f.params.get("_suppressed_note"):
            continue
        counts[f.rule] = counts.get(f.rule, 0) + 1
    from ..render import rule_order

    rules = []
    for rid in sorted(counts, key=rule_order):
        r = RULES[rid]
        rules.append(
            {
                "id": rid,
                "severity": r.severity.value,
                "severity_label": severity_label(r.severity.value, lang),
                "title": r.title[lang],
                "law": (law_ja(r.law) if lang == "ja" else r.law) or "",
                "count": counts[rid],
            }
        )
    chart = ""
    if rules:
        chart = charts.hbar(
            [(r["id"], r["count"]) for r in rules],
            title=text("chart_findings_by_rule", lang),
            colours=[SEVERITY_COLOUR[r["severity"]] for r in rules],
        )
    return {
        "severities": [(sev, severity_label(sev, lang), s.get(sev, 0)) for sev in SEVERITIES],
        "suppressed": s.get("suppressed", 0),
        "rules": rules,
        "chart": chart,
    }


def _inventory(reg: Register, names: Names, lang: str) -> dict[str, Any]:
    datasets = reg["datasets"].rows
    held = {i for d in datasets for i in (d.get("item_ids") or ())}
    items = [
        {"id": iid, "name": r.get("name") or iid, "cls": r.get("legal_class") or "personal"}
        for iid, r in names.items.items()
        if iid in held
    ]
    rows = []
    # an item's class in each dataset (docs/web.md §2): a person-related item held with identifying
    # items is personal information there, and is marked so
    in_context = context.dataset_classes(reg)
    for d in datasets:
        mine = set(d.get("item_ids") or ())
        classes = in_context.get(d.get("dataset_id") or "", {})
        rows.append(
            {
                "id": d.get("dataset_id"),
                "name": d.get("name") or d.get("dataset_id"),
                "cells": [
                    ("pr_personal" if it["cls"] == "person_related"
                     and classes.get(it["id"]) == "personal" else it["cls"])
                    if it["id"] in mine else ""
                    for it in items
                ],
                "subjects": d.get("subjects") or "",
                "source": enum_label("datasets", "source", d.get("source"), lang),
                "purposes": [names.purpose(p) for p in d.get("purpose_ids") or ()],
                "special_care_basis": enum_label("datasets", "special_care_basis", d.get("special_care_basis"), lang),
                "has_special": any(names.items.get(i, {}).get("legal_class") == "special_care" for i in mine),
                "storage": join(
                    [d.get("storage") or "", names.country(d.get("storage_country")) if d.get("storage_country") else ""],
                    lang,
                ),
                "record_count": d.get("record_count"),
            }
        )
    processed = [
        {
            "id": d.get("dataset_id"),
            "name": d.get("name") or d.get("dataset_id"),
            "code": d.get("processing"),
            "processing": enum_label("datasets", "processing", d.get("processing"), lang),
            "published_on": (d["anonymised_published_on"].isoformat()
                             if d.get("anonymised_published_on") else ""),
        }
        for d in datasets
        if d.get("processing") not in (None, "none")
    ]
    return {
        "items": items, "rows": rows, "processed": processed,
        "pr_personal": any("pr_personal" in r["cells"] for r in rows),
    }
