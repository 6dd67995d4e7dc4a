"""Findings and the rule catalogue as text (grouped, coloured) and JSON (docs/usage.md §3)."""

from __future__ import annotations

import json
from itertools import groupby

import click

from .findings import RULES, Finding, Report, render
from .law_ja import law_ja
from .values import display_width

_COLOURS = {"error": "red", "warning": "yellow", "info": "cyan"}
_SEVERITY_JA = {"error": "エラー", "warning": "警告", "info": "情報"}


def render_json(report: Report, lang: str = "en") -> str:
    """The exact JSON shape of docs/usage.md §3."""
    return json.dumps(report.as_dict(lang), ensure_ascii=False, indent=2)


def _group_key(f: Finding) -> tuple[str, str]:
    return (f.location.file or "", f.location.sheet or "")


def render_text(report: Report, lang: str = "en", color: bool = False) -> str:
    """Findings grouped by file and sheet, each with its place, rule, message and fix."""
    lines: list[str] = []
    for (file, sheet), group in groupby(report.findings, key=_group_key):
        title = file if not sheet else f"{file} › {sheet}"
        lines.append(click.style(title or "(register)", bold=True) if color else (title or "(register)"))
        for f in group:
            d = render(f, lang)
            sev = d["severity"]
            where = f.location.short(lang) or "-"
            sev_text = _SEVERITY_JA[sev] if lang == "ja" else sev
            tag = f"{sev_text:<7}" if lang == "en" else sev_text
            if color:
                tag = click.style(tag, fg=_COLOURS[sev], bold=sev == "error")
            pad = " " * max(0, 12 - display_width(where))  # 5行目 is five columns wide
            lines.append(f"  {where}{pad} {tag} {d['rule']}  {d['message']}")
            lines.append(f"  {'':<12} {'':<7} {'→'} {d['hint']}")
        lines.append("")
    s = report.summary()
    if lang == "ja":
        summary = (
            f"エラー {s['error']}件、警告 {s['warning']}件、情報 {s['info']}件"
            + (f"（省略 {s['suppressed']}件）" if s["suppressed"] else "")
        )
    else:
        summary = (
            f"{s['error']} error{'s' if s['error'] != 1 else ''}, "
            f"{s['warning']} warning{'s' if s['warning'] != 1 else ''}, {s['info']} info"
            + (f" ({s['suppressed']} more not listed)" if s["suppressed"] else "")
        )
    if not report.findings:
        summary = ("問題は見つかりませんでした。" if lang == "ja" else "No findings. ") + summary
    if color:
        summary = click.style(summary, fg="red" if s["error"] else "green", bold=True)
    lines.append(summary)
    return "\n".join(lines) + "\n"


def catalogue(lang: str = "en") -> list[dict]:
    """`register rules --format json`: [{id, severity, law, law_ja, title, description}]."""
    from .checks import load_all

    load_all()
    return [
        {
            "id": r.id,
            "severity": r.severity.value,
            "law": r.law,
            "law_ja": law_ja(r.law),
            "title": r.title[lang],
            "description": r.description[lang],
        }
        for r in sorted(RULES.values(), key=lambda r: rule_order(r.id))
    ]


FAMILY_ORDER = ("SCH", "REF", "PRV", "ENT", "JNT", "XB", "PRI", "MYN", "SEN", "RCV", "RET")


def rule_order(rule_id: str) -> tuple[int, str]:
    """Catalogue order: by family as docs/rules.md lists them, then by ID."""
    fam = rule_id.split("-")[0]
    return (FAMILY_ORDER.index(fam) if fam in FAMILY_ORDER else 99, rule_id)


def render_rules(fmt: str = "text", lang: str = "en") -> str:
    rules = catalogue(lang)
    if fmt == "json":
        return json.dumps(rules, ensure_ascii=False, indent=2)
    lines = []
    for r in rules:
        if lang == "ja":  # Japanese text cites law_ja and says the severity in Japanese (§1, §3)
            law = f"（{r['law_ja']}）" if r["law_ja"] else ""
            sev = _SEVERITY_JA[r["severity"]]
            sev += " " * max(0, 6 - display_width(sev))  # エラー is six columns wide
            lines.append(f"{r['id']}  {sev}  {r['title']}{law}")
        else:
            law = f"  [{r['law']}]" if r["law"] else ""
            lines.append(f"{r['id']}  {r['severity']:<7}  {r['title']}{law}")
        lines.append(f"         {r['description']}")
    return "\n".join(lines) + "\n"
