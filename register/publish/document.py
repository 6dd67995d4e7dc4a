"""The public document: its JSON form (docs/publish.md §3) and the view the md and html renderers
lay out (§2). Nothing here decides law: the sections, hashes and latest publications are
`facts.publication`'s, the gaps are the analysis' PUB and JNT-001 findings.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from ..countries import country_name
from ..facts.publication import EXTERNAL, KINDS, Publication, categories, publication
from ..findings import Finding, render
from . import words
from .words import code, word

SEVERITIES = ("error", "warning", "info")


def gaps(analysis: Any) -> list[Finding]:
    """The gap list: the findings of rules PUB-* and JNT-001 (a missing joint-use matter is a
    gap in a text the document prints), in check's order."""
    from ..checks.publication import is_gap

    return [f for f in analysis.report.findings
            if is_gap(f.rule) and not f.params.get("_suppressed_note")]


def of(analysis: Any) -> Publication:
    return publication(analysis.register, analysis.as_of)


def json_document(analysis: Any, lang: str) -> dict[str, Any]:
    """The JSON output: keys in the order of docs/publish.md §3."""
    pub = of(analysis)
    found = gaps(analysis)
    return {
        "lang": lang,
        "as_of": analysis.as_of.isoformat(),
        "titles": words.titles(lang),
        "sections": pub.sections,
        "content_sha256": dict(pub.content_sha256),
        "published": pub.published(),
        "gaps": [render(f, lang) for f in found],
        "summary": {sev: sum(1 for f in found if f.severity.value == sev) for sev in SEVERITIES},
    }


# --------------------------------------------------------------------------------------------
# The view: what md and html lay out, in the output language
# --------------------------------------------------------------------------------------------


@dataclass
class Line:
    """One list item: a label (our words) and a value (the register's text or ours), or a link.

    Every line is a list item, so the register's text never starts a line (docs/publish.md §3).
    """

    label: str | None = None
    text: str | None = None
    url: str | None = None  # a link target: only http:// or https://
    children: list[Line] = field(default_factory=list)


@dataclass
class Block:
    """Lines under an optional sub-heading (our words), after an optional sentence of ours."""

    lines: list[Line]
    heading: str | None = None
    intro: str | None = None


@dataclass
class Section:
    key: str
    title: str
    blocks: list[Block]


# ⑥, joint uses, external transmission, anonymised and pseudonymised purposes are left out of
# md and html when empty (docs/publish.md §2).
OPTIONAL = ("pseudonymised_purposes", "accredited_org", "joint_uses", "external_transmission",
            "anonymised")


def is_link(url: str | None) -> bool:
    return url is not None and url.startswith(("https://", "http://"))


def sections_view(pub: Publication, lang: str) -> list[Section]:
    """The public text, section by section, in `lang` (code values as labels under ja)."""
    s = pub.sections
    build = {
        "operator": _operator,
        "purposes": _purposes,
        "pseudonymised_purposes": _purposes,
        "procedures": _procedures,
        "security_measures": lambda v, lang: _measures(v, s["foreign_countries"], lang),
        "complaints": lambda v, lang: [Block(_lines(Line(word("complaints_desk", lang), v["desk"])))],
        "accredited_org": _accredited,
        "joint_uses": _joint_uses,
        "external_transmission": _external,
        "anonymised": _anonymised,
    }
    out = []
    for key, make in build.items():
        value = s[key]
        if key in OPTIONAL and not value:
            continue
        out.append(Section(key, words.title(key, lang), make(value, lang)))
    return out


def _lines(*lines: Line) -> list[Line]:
    """The lines that have something to say (an empty value prints nothing)."""
    return [ln for ln in lines if ln.text or ln.url or ln.children]


def _operator(v: dict[str, Any], lang: str) -> list[Block]:
    country = v.get("country")
    return [Block(_lines(
        Line(word("name", lang), v.get("name")),
        Line(word("address", lang), v.get("address")),
        Line(word("representative", lang), v.get("representative")),
        # an operator abroad names its country (PPC GL (General Rules) 3-8-1 ※2)
        Line(word("country", lang),
             country_name(country, lang) if country and country != "JP" else None),
    ))]


def _purposes(v: list[dict[str, Any]], lang: str) -> list[Block]:
    if not v:
        return [Block([Line(text=word("no_purposes", lang))])]
    return [Block(_lines(*(
        Line(text=(p.get("description") or "")
             + (word("third_party", lang) if p.get("third_party_provision") else ""))
        for p in v
    )))]


def _procedures(v: dict[str, Any], lang: str) -> list[Block]:
    methods = [code("request_methods", m, lang) for m in v["methods"]]
    requests = [
        Line(f"{words.request_name(r['type'], lang)}（{words.cite(r['law'], lang)}）"
             if lang == "ja" else f"{words.request_name(r['type'], lang)} ({r['law']})",
             word("fee", lang, amount=f"{r['fee']:,}") if r["fee"] else word("free", lang))
        for r in v["requests"]
    ]
    disclosure = [code("disclosure_methods", m, lang) for m in v["disclosure_methods"]]
    how = word("disclosure_text" if len(disclosure) > 1 else "disclosure_one", lang,
               methods=words.join_or(disclosure, lang))
    return [Block(_lines(
        Line(word("desk", lang), v.get("desk")),
        Line(word("methods", lang), words.join(methods, lang) if methods else None),
        Line(word("identity_check", lang), v.get("identity_check")),
        Line(word("agents", lang), word("agents_text", lang) if v.get("agents") else None),
        Line(word("requests", lang), children=requests),
        Line(word("disclosure", lang), how),
        Line(word("records", lang), word("records_text", lang,
                                         law=words.cite("APPI Art 33(5)", lang))),
        Line(word("art35_5", lang), word("art35_5_text", lang,
                                         law=words.cite("APPI Art 35(5)", lang))),
    ))]


def _measures(v: list[dict[str, Any]], foreign: list[str], lang: str) -> list[Block]:
    blocks = []
    for cat in categories():
        rows = [m for m in v if m["category"] == cat]
        lines = []
        if cat == EXTERNAL and foreign:
            # first every foreign country where the data is handled, by name (docs/publish.md §2)
            lines.append(Line(word("foreign", lang),
                              words.join([country_name(c, lang) for c in foreign], lang)))
        for m in rows:
            text = m["text"] if lang == "ja" else (m.get("text_en") or m["text"])
            country = m.get("country")
            label = country_name(country, lang) if cat == EXTERNAL and country else None
            lines.append(Line(label, text))
        if lines:
            blocks.append(Block(lines, heading=code("category", cat, lang)))
    return blocks


def _accredited(v: dict[str, Any], lang: str) -> list[Block]:
    return [Block(_lines(Line(word("name", lang), v.get("name")),
                         Line(word("complaints_desk", lang), v.get("contact"))))]


def _joint_uses(v: list[dict[str, Any]], lang: str) -> list[Block]:
    blocks = []
    for n, j in enumerate(v, start=1):
        manager = j.get("manager") or {}
        lines = _lines(
            Line(word("ju_fact", lang), word("ju_fact_text", lang)),
            Line(word("ju_items", lang), words.join(j["item_names"], lang) or None),
            Line(word("ju_users", lang), j.get("users_scope"),
                 children=[Line(text=u) for u in j["user_names"] if u]),
            Line(word("ju_purposes", lang), children=[Line(text=p) for p in j["purposes"]]),
            Line(word("ju_manager", lang), children=_lines(
                Line(word("name", lang), manager.get("name")),
                Line(word("address", lang), manager.get("address")),
                Line(word("representative", lang), manager.get("representative")),
            )),
        )
        heading = word("joint_use_n", lang, n=n) if len(v) > 1 else None
        blocks.append(Block(lines, heading=heading))
    return blocks


def _external(v: list[dict[str, Any]], lang: str) -> list[Block]:
    lines = []
    for t in v:
        exemption = t.get("exemption") or "none"
        url = t.get("opt_out_url")
        lines.append(Line(word("ext_module", lang), t.get("module_name"), children=_lines(
            Line(word("ext_recipient", lang), t.get("recipient_name")),
            Line(word("ext_items", lang), words.join(t["item_names"], lang) or None),
            Line(word("ext_ours", lang), t.get("purpose_ours")),
            Line(word("ext_theirs", lang), t.get("purpose_recipient")),
            Line(word("ext_opt_out", lang), None if is_link(url) else url,
                 url=url if is_link(url) else None),
            Line(word("ext_exemption", lang),
                 code("exemption", exemption, lang) if exemption != "none" else None),
        )))
    return [Block(lines, intro=word("ext_intro", lang))]


def _anonymised(v: list[dict[str, Any]], lang: str) -> list[Block]:
    lines = [
        Line(word("ano_dataset", lang), a.get("name"), children=_lines(
            Line(word("ano_items", lang), words.join(a["item_names"], lang) or None)))
        for a in v
    ]
    return [Block(lines, intro=word("ano_intro", lang))]


# --------------------------------------------------------------------------------------------
# The review copy's extras (html): the gaps and the colophon
# --------------------------------------------------------------------------------------------


def gap_rows(analysis: Any, lang: str) -> list[dict[str, Any]]:
    """The gap list as the review copy shows it (labels under ja, `law_ja`)."""
    from .. import schema

    tables = schema.table_map()
    out = []
    for f in gaps(analysis):
        d = render(f, lang)
        spec = tables.get(f.table) if f.table else None
        table = (spec.label(lang) if spec else f.table) or ""
        column = ""
        if f.field:
            column = spec.by_name[f.field].label(lang) if spec and f.field in spec.by_name \
                else f.field
        out.append({
            "rule": f.rule,
            "severity": f.severity.value,
            "severity_label": word(f"severity_{f.severity.value}", lang),
            "where": " / ".join(x for x in (table, f.record or "", column) if x),
            "cell": f.location.short(lang),
            "message": d["message"],
            "hint": d["hint"],
            "law": (d["law_ja"] if lang == "ja" else d["law"]) or "",
        })
    return out


def colophon(analysis: Any, lang: str) -> dict[str, Any]:
    """Inputs (as given, with their SHA-256), as-of, tool version, and per kind the hash, the
    latest publication and whether it matches."""
    from pathlib import Path

    from .. import __version__
    from ..report.views import sha256

    pub = of(analysis)
    reg = analysis.register
    kinds = []
    for kind in KINDS:
        e = pub.latest[kind]
        if e is None:
            latest, matches = word("none", lang), "—"
        else:
            latest = f"{e.notice_id or ''} ({e.published_on.isoformat()})".strip()
            matches = word({True: "yes", False: "no", None: "unknown"}[e.matches], lang)
        kinds.append({"kind": kind, "label": code("kind", kind, lang),
                      "hash": pub.content_sha256[kind], "latest": latest, "matches": matches,
                      "ok": e is None or e.matches is not False})
    return {
        "source": reg.source,
        "files": [(str(p), sha256(Path(p))) for p in reg.files],
        "as_of": analysis.as_of.isoformat(),
        "tool": f"register {__version__}",
        "kinds": kinds,
    }
