"""The drafts of `register incident` (docs/incident.md §4.2, §4.3): the PPC report, the notice to
the principals and the notice to each entrustor, as JSON, Markdown or xlsx.

The items are those of APPI Rules Art 8(1) (PPC form 1; PPC GL (General Rules) 3-5-3-3). The
principal notice holds only items 1, 2, 4, 5 and 9 (Rules Art 10; GL 3-5-4-3), item 1 only
with its dates, event types and text: no count, no principal, no entrustor. An entrustor's
notice (Rules Art 9) holds only that entrustor's datasets and items.

JSON drafts keep codes (only `label` follows `--lang`); Markdown and xlsx show every code as
its label in the language chosen (`docs/japanese.md` §1–2). Dates are ISO in both languages.
"""

from __future__ import annotations

import datetime as dt
import re
from pathlib import Path
from typing import Any

from . import labels
from .decision import Dataset, Decision, Facts, Item

DRAFTS = ("ppc_report", "principal_notice", "entrustor_notice")
PRINCIPAL_ITEMS = (1, 2, 4, 5, 9)
PRINCIPAL_SUMMARY = ("occurred_on", "known_on", "event_types", "text")


# --------------------------------------------------------------------------------------------
# The items, as JSON (codes, ISO dates, IDs)
# --------------------------------------------------------------------------------------------


def _iso(v: Any) -> Any:
    return v.isoformat() if isinstance(v, dt.date) else v


def _subjects(datasets: list[Dataset]) -> list[str]:
    return list(dict.fromkeys(d.subjects for d in datasets if d.subjects))


def _item(no: int, key: str, known: bool, content: dict[str, Any] | None, lang: str) -> dict[str, Any]:
    return {
        "no": no,
        "key": key,
        "label": labels.item_label(key, lang),
        "status": "known" if known else "unknown",
        "content": content,
    }


def items(
    decision: Decision, lang: str, *, entrustor: str | None = None, principal: bool = False
) -> list[dict[str, Any]]:
    """The items of one draft: the PPC report (default), the principal notice, or the notice
    to one entrustor."""
    row, data = decision.row, decision.data
    datasets: list[Dataset] = decision.datasets
    affected: list[Item] = decision.items
    if entrustor is not None:
        datasets = [d for d in datasets if d.held_for == entrustor]
        held = {i for d in datasets for i in d.item_ids}
        affected = [it for it in affected if it.id in held]
    summary: dict[str, Any] = {
        "occurred_on": _iso(row.get("occurred_on")),
        "known_on": _iso(row.get("known_on")),
        "event_types": list(row.get("event_types") or ()),
        "suspected": row.get("suspected") is True,
        "discovered_by": row.get("discovered_by"),
        "criteria_met": list(data["criteria_met"]),
        "my_number_criteria_met": list(data["my_number"]["criteria_met"]),
        "entrustors": [entrustor] if entrustor is not None else list(data["entrustors"]),
        "trustee_party_id": data["trustee_party_id"],
        "text": row.get("summary"),
    }
    if principal:
        summary = {k: summary[k] for k in PRINCIPAL_SUMMARY}
    count_known = row.get("principal_count") is not None or row.get("principal_count_max") is not None
    count: dict[str, Any] | None = {
        "count": row.get("principal_count"), "max": row.get("principal_count_max"),
    }
    if entrustor is not None and not all(d.held_for == entrustor for d in decision.datasets):
        count_known, count = False, None  # the count covers other entrustors' principals too
    notified = (row.get("principals_notified_on"), row.get("substitute_measure_on"))
    out = [
        _item(1, "summary", row.get("summary") is not None, summary, lang),
        _item(2, "data_items", True, {
            "items": [it.name for it in affected],
            "media": row.get("media"),
            "subjects": _subjects(datasets),
        }, lang),
        _item(3, "principal_count", count_known, count, lang),
        _item(4, "cause", row.get("cause") is not None, {
            "cause": row.get("cause"),
            "detail": row.get("cause_detail"),
            "actor": "trustee" if row.get("contract_id") else "self",
            "trustee_party_id": data["trustee_party_id"],
        }, lang),
        _item(5, "secondary_damage", row.get("secondary_damage") is not None,
              {"text": row.get("secondary_damage")}, lang),
        _item(6, "principal_response",
              row.get("principal_response") is not None or any(d is not None for d in notified), {
                  "text": row.get("principal_response"),
                  "principals_notified_on": _iso(notified[0]),
                  "substitute_measure_on": _iso(notified[1]),
              }, lang),
        _item(7, "publication", row.get("publication") is not None,
              {"text": row.get("publication")}, lang),
        _item(8, "prevention",
              row.get("prevention_done") is not None or row.get("prevention_planned") is not None,
              {"done": row.get("prevention_done"), "planned": row.get("prevention_planned")}, lang),
        _item(9, "other", row.get("other") is not None, {"text": row.get("other")}, lang),
    ]
    if principal:
        out = [it for it in out if it["no"] in PRINCIPAL_ITEMS]
    return out


def _unknown(its: list[dict[str, Any]]) -> list[int]:
    return sorted(it["no"] for it in its if it["status"] == "unknown")


def regimes(decision: Decision) -> list[str]:
    """The regimes whose `reportable` is not false (as in `duties`)."""
    data = decision.data
    return [
        name for name, r in (("appi", data["reportable"]), ("my_number", data["my_number"]["reportable"]))
        if r is not False
    ]


def draft_json(decision: Decision, draft: str, lang: str) -> dict[str, Any]:
    """The JSON draft of §4.2 for `ppc_report` or `principal_notice`."""
    its = items(decision, lang, principal=draft == "principal_notice")
    return {
        "incident_id": decision.data["incident_id"],
        "draft": draft,
        "regimes": regimes(decision),
        "quick_report_by": decision.data["quick_report_by"],
        "final_report_due": decision.data["final_report_due"],
        "items": its,
        "unknown_items": _unknown(its),
    }


def entrustor_json(decision: Decision, facts: Facts, lang: str) -> dict[str, Any]:
    """entrustor_notice.json: one notice per entrustor, in `entrustors` order."""
    notices = []
    for party in decision.data["entrustors"]:
        its = items(decision, lang, entrustor=party)
        notices.append({
            "party_id": party,
            "party_name": facts.party_name(party),
            "dataset_ids": [d.id for d in decision.datasets if d.held_for == party],
            "due": decision.data["quick_report_by"],
            "items": its,
            "unknown_items": _unknown(its),
        })
    return {
        "incident_id": decision.data["incident_id"],
        "draft": "entrustor_notice",
        "notices": notices,
    }


# --------------------------------------------------------------------------------------------
# For people: every value in words (labels, names), one line per field
# --------------------------------------------------------------------------------------------


def _party(facts: Facts, party_id: str | None, with_id: bool, lang: str) -> str:
    if party_id is None:
        return ""
    name = facts.party_name(party_id) or party_id
    if not with_id or name == party_id:
        return name
    return f"{name}（{party_id}）" if lang == "ja" else f"{name} ({party_id})"


def _count(n: Any, lang: str) -> str:
    if n is None:
        return ""
    return f"{int(n):,}人" if lang == "ja" else f"{int(n):,}"


def field_lines(
    key: str, content: dict[str, Any] | None, facts: Facts, lang: str, public: bool
) -> list[tuple[str, str]]:
    """(label, value) for each given field of one item's content, in words."""
    if not content:
        return []
    out: list[tuple[str, str]] = []
    for name, value in content.items():
        if value is None or value == [] or value == "":
            continue
        if name in ("event_types",):
            shown = labels.codes("event_types", value, lang)
        elif name == "suspected":
            if key != "summary":
                continue
            shown = labels.text("suspected_yes" if value else "suspected_no", lang)
        elif name == "criteria_met":
            shown = labels.codes("criteria", value, lang)
        elif name == "my_number_criteria_met":
            shown = labels.codes("criteria", value, lang)
        elif name == "entrustors":
            shown = labels.joined([_party(facts, p, True, lang) for p in value], lang)
        elif name == "trustee_party_id":
            shown = _party(facts, value, not public, lang)
        elif name in ("items", "subjects"):
            shown = labels.joined([str(v) for v in value], lang)
        elif name in ("count", "max"):
            shown = _count(value, lang)
        elif name == "cause":
            shown = labels.code("cause", value, lang)
        elif name == "actor":
            shown = labels.code("actor", value, lang)
        else:
            shown = str(value)
        out.append((labels.field_label(name, lang), shown))
    return out


def _status(it: dict[str, Any], lang: str) -> str:
    return labels.code("item_status", it["status"], lang)


def _deadline_lines(decision: Decision, lang: str) -> list[tuple[str, str]]:
    d = decision.data
    out = []
    if d["quick_report_by"]:
        out.append((labels.text("quick_report_by", lang), d["quick_report_by"]))
    if d["final_report_due"]:
        why = labels.text("final_report_days", lang, days=d["final_report_days"])
        if d["final_report_day"] != d["final_report_due"]:
            why += ("、" if lang == "ja" else "; ") + labels.text(
                "moved", lang, days=d["final_report_days"], day=d["final_report_day"]
            )
        out.append((labels.text("final_report_due", lang), f"{d['final_report_due']}（{why}）"
                    if lang == "ja" else f"{d['final_report_due']} ({why})"))
    return out


def _regime_line(decision: Decision, lang: str) -> tuple[str, str]:
    rs = regimes(decision)
    value = labels.codes("regimes", rs, lang) or labels.text("none", lang)
    if decision.data["ppc_report_required"] is None:
        value += " " + labels.text("undecided", lang)
    return labels.text("regimes", lang), value


def _provisional(decision: Decision, lang: str) -> str | None:
    cal = decision.data["calendar"]
    if not cal["provisional"]:
        return None
    return labels.text("provisional", lang, through=cal["official_through"])


# --------------------------------------------------------------------------------------------
# Markdown
# --------------------------------------------------------------------------------------------


def _md_items(its: list[dict[str, Any]], facts: Facts, lang: str, public: bool, level: str) -> list[str]:
    out: list[str] = []
    sep = "：" if lang == "ja" else ": "
    for it in its:
        status = _status(it, lang)
        heading = f"{it['no']}. {it['label']}（{status}）" if lang == "ja" else f"{it['no']}. {it['label']} ({status})"
        out += [f"{level} {heading}", ""]
        lines = field_lines(it["key"], it["content"], facts, lang, public)
        if not lines:
            out.append(labels.text("nothing", lang))
        for label, value in lines:
            out.append(_md_line(label, value, sep))
        out.append("")
    return out


def _md_line(label: str, value: str, sep: str) -> str:
    value = _md_escape(value)
    if "\n" in value:
        body = "\n".join("  " + line for line in value.splitlines())
        return f"- {label}{sep}\n{body}"
    return f"- {label}{sep}{value}"


_MD_START = re.compile(r"^(\s*)([#*+\-=|`~]|\d+[.)])")


def _md_escape(text: str) -> str:
    """Text as Markdown shows it literally: no raw HTML, no markup where a line starts."""
    text = text.replace("\\", "\\\\").replace("<", "&lt;").replace(">", "&gt;")

    def escape(m: re.Match[str]) -> str:
        mark = m.group(2)
        return m.group(1) + (mark[:-1] + "\\" + mark[-1] if mark[0].isdigit() else "\\" + mark)

    return "\n".join(_MD_START.sub(escape, line) for line in text.split("\n"))


def _md_meta(lines: list[tuple[str, str]], lang: str) -> list[str]:
    sep = "：" if lang == "ja" else ": "
    return [f"- {label}{sep}{_md_escape(value)}" for label, value in lines]


def ppc_md(decision: Decision, facts: Facts, lang: str, draft: str) -> str:
    """ppc_report.md or principal_notice.md."""
    principal = draft == "principal_notice"
    its = items(decision, lang, principal=principal)
    out = [f"# {labels.text('title_' + draft, lang)}", ""]
    if not principal:
        meta = [(labels.text("incident_id", lang), decision.data["incident_id"]),
                _regime_line(decision, lang), *_deadline_lines(decision, lang)]
        unknown = _unknown(its)
        meta.append((labels.text("unknown_items", lang),
                     labels.joined([str(n) for n in unknown], lang) or labels.text("none", lang)))
        out += _md_meta(meta, lang)
        note = _provisional(decision, lang)
        if note:
            out += ["", f"> {note}"]
        out.append("")
    out += _md_items(its, facts, lang, public=principal, level="##")
    return "\n".join(out).rstrip("\n") + "\n"


def entrustor_md(decision: Decision, facts: Facts, lang: str) -> str:
    doc = entrustor_json(decision, facts, lang)
    out = [f"# {labels.text('title_entrustor_notice', lang)}", ""]
    out += _md_meta([(labels.text("incident_id", lang), decision.data["incident_id"])], lang)
    out.append("")
    for n in doc["notices"]:
        out += [f"## {labels.text('entrustor', lang)}{'：' if lang == 'ja' else ': '}"
                f"{_md_escape(_party(facts, n['party_id'], True, lang))}", ""]
        datasets = [facts.datasets[d].name for d in n["dataset_ids"]]
        meta = [
            (labels.text("entrustor_due", lang), n["due"] or ""),
            (labels.text("datasets", lang), labels.joined(datasets, lang)),
            (labels.text("unknown_items", lang),
             labels.joined([str(k) for k in n["unknown_items"]], lang) or labels.text("none", lang)),
        ]
        out += _md_meta(meta, lang)
        out.append("")
        out += _md_items(n["items"], facts, lang, public=False, level="###")
    return "\n".join(out).rstrip("\n") + "\n"


# --------------------------------------------------------------------------------------------
# xlsx: a sheet per draft (per notice for the entrustor draft): no, item, status, content
# --------------------------------------------------------------------------------------------

FIXED_CREATED = dt.datetime(2000, 1, 1, tzinfo=dt.UTC)
SHEET_NAME_MAX = 31


def _sheet_name(base: str, used: set[str]) -> str:
    name = re.sub(r"[\[\]:*?/\\]", "_", base).strip("'")[:SHEET_NAME_MAX] or "_"
    candidate, k = name, 1
    while candidate.casefold() in used:
        k += 1
        suffix = f" ({k})"
        candidate = name[: SHEET_NAME_MAX - len(suffix)] + suffix
    used.add(candidate.casefold())
    return candidate


def _content_text(it: dict[str, Any], facts: Facts, lang: str, public: bool) -> str:
    sep = "：" if lang == "ja" else ": "
    lines = field_lines(it["key"], it["content"], facts, lang, public)
    if not lines:
        return labels.text("nothing", lang)
    return "\n".join(f"{label}{sep}{value}" for label, value in lines)


def write_xlsx(
    path: Path, sheets: list[tuple[str, str, list[dict[str, Any]], bool]], facts: Facts, lang: str,
    note: str = "",
) -> None:
    """A workbook: one sheet per (sheet name, page title, items, public); `note` (the dates)
    goes in the page header's right part."""
    import xlsxwriter

    wb = xlsxwriter.Workbook(
        str(path),
        {"strings_to_formulas": False, "strings_to_urls": False, "strings_to_numbers": False},
    )
    wb.set_properties({"title": sheets[0][1] if sheets else "", "created": FIXED_CREATED, "author": ""})
    head = wb.add_format({"bold": True, "border": 1, "bg_color": "#DDEBF7", "valign": "top"})
    cell = wb.add_format({"text_wrap": True, "valign": "top", "border": 1})
    used: set[str] = set()
    headers = [labels.text(k, lang) for k in ("col_no", "col_item", "col_status", "col_content")]
    try:
        for name, title, its, public in sheets:
            ws = wb.add_worksheet(_sheet_name(name, used))
            for j, h in enumerate(headers):
                ws.write_string(0, j, h, head)
            for r, it in enumerate(its, start=1):
                content = _content_text(it, facts, lang, public)
                ws.write_number(r, 0, it["no"], cell)
                ws.write_string(r, 1, it["label"], cell)
                ws.write_string(r, 2, _status(it, lang), cell)
                ws.write_string(r, 3, content, cell)
                ws.set_row(r, 15 * max(1, content.count("\n") + 1, len(it["label"]) // 14 + 1) + 4)
            for j, w in enumerate((6, 32, 10, 80)):
                ws.set_column(j, j, w)
            ws.freeze_panes(1, 0)
            ws.set_paper(9)  # A4
            ws.set_landscape()
            ws.fit_to_pages(1, 0)
            ws.repeat_rows(0)
            header = "&C" + title.replace("&", "&&")[:120]
            if note:
                header += "&R" + note.replace("&", "&&")[:120]
            ws.set_header(header)
            ws.set_footer("&C&P / &N")
    finally:
        wb.close()


def xlsx_note(decision: Decision, draft: str, lang: str) -> str:
    """The dates an officer needs on every printed page of a draft (not on the notice to
    the principals)."""
    if draft == "principal_notice":
        return ""
    d = decision.data
    parts = []
    if d["quick_report_by"]:
        key = "entrustor_due" if draft == "entrustor_notice" else "quick_report_by_short"
        parts.append(f"{labels.text(key, lang)} {d['quick_report_by']}")
    if d["final_report_due"] and draft == "ppc_report":
        parts.append(f"{labels.text('final_report_due', lang)} {d['final_report_due']}")
    return ("／" if lang == "ja" else " / ").join(parts)


def xlsx_sheets(decision: Decision, facts: Facts, draft: str, lang: str) -> list[tuple[str, str, list[dict[str, Any]], bool]]:
    """The sheets of one draft's workbook."""
    title = labels.text("title_" + draft, lang)
    if draft != "entrustor_notice":
        principal = draft == "principal_notice"
        return [(labels.text("sheet_" + draft, lang), title,
                 items(decision, lang, principal=principal), principal)]
    out = []
    for party in decision.data["entrustors"]:
        name = f"{labels.text('sheet_entrustor_notice', lang)} {party}"
        out.append((name, f"{title} {_party(facts, party, True, lang)}",
                    items(decision, lang, entrustor=party), False))
    return out
