"""The report's breach readiness and incidents sections (docs/incident.md §6), as plain dicts.

Nothing is decided here: each dataset's readiness and each incident's decision come from
facts/incidents.py, the same facts the INC and RDY rules and `register incident` use.
"""

from __future__ import annotations

from typing import Any

from ..facts.incidents import dataset_readiness, decisions
from ..incident import labels
from ..incident.decision import Decision, Readiness

TEXT: dict[str, tuple[str, str]] = {
    "sec_readiness": ("Breach readiness", "漏えい等への備え"),
    "sec_incidents": ("Leak incidents and their deadlines", "漏えい等事案と報告期限"),
    "readiness_intro": (
        "What a leak of each whole dataset would require, whatever its cause (APPI Rules Art 7; "
        "My Number Act Art 29-4). A leak that meets none of these may still be reportable: an "
        "improper purpose, or the My Number criteria.",
        "各データベース等の全件が漏えい等した場合に、原因を問わず必要になること（個人情報保護法施行規則第7条、"
        "番号法第29条の4）。該当がなくても、不正の目的によるおそれがある場合などは報告対象になります。",
    ),
    "dataset": ("Dataset", "データベース等"),
    "record_count": ("Records", "件数"),
    "encryption": ("Encryption", "暗号化"),
    "key_separated": ("Key kept apart", "復号鍵の分離管理"),
    "entrustor": ("Held for (client)", "委託元（受託データ）"),
    "criteria": ("Reportable whatever the cause", "原因を問わず報告対象となる事由"),
    "tell": ("Whom a leak must be told", "漏えい等の際の報告・通知先"),
    "tell_not_covered": ("no one under Art 26 (not personal data, or processed)",
                         "法第26条の対象外（個人データでない、又は加工済み）"),
    "tell_protected": ("no one: protected by advanced encryption with the key kept apart",
                       "報告不要（高度な暗号化等により保護）"),
    "tell_ppc": ("the PPC and the principals", "個人情報保護委員会と本人"),
    "tell_my_number": ("under the APPI and the My Number Act", "個人情報保護法と番号法に基づく"),
    "tell_client": ("the client {client} (told promptly, it releases us from the report and notice)",
                    "委託元 {client}（速やかに通知すれば当社の報告・本人通知は不要）"),
    "tell_maybe": ("the PPC and the principals if the leak meets a criterion (e.g. an improper purpose)",
                   "事案が要件に該当する場合（不正の目的のおそれなど）は個人情報保護委員会と本人"),
    "no_datasets": ("No datasets.", "データベース等はありません。"),
    "incident": ("Incident", "事案"),
    "known_on": ("Known on", "発覚日"),
    "event_types": ("What happened", "事態の種類"),
    "decision": ("Decision", "判定"),
    "final_due": ("Final report due", "確報の期限"),
    "duties": ("Duties", "対応"),
    "reportable_true": ("must be reported", "報告対象"),
    "reportable_false": ("need not be reported", "報告対象外"),
    "reportable_undetermined": ("cannot be decided yet", "判定未了"),
    "released": ("the client was told: we are released", "委託元へ通知済み（当社の報告は不要）"),
    "blocked": ("cannot be decided: known_on, event_types or dataset_ids is missing or wrong",
                "判定できません（発覚日・事態の種類・対象データベース等の記載に誤り）"),
    "no_incidents": ("No incidents recorded.", "漏えい等事案の記録はありません。"),
    "no_duty": ("none", "なし"),
    "mark_yes": ("yes", "○"),
    "mark_no": ("no", "×"),
}


def _t(key: str, lang: str, **kw: Any) -> str:
    en, ja = TEXT[key]
    return (ja if lang == "ja" else en).format(**kw)


def _party(names: Any, party_id: str | None, lang: str) -> str:
    if not party_id:
        return ""
    name = names.party(party_id) if names is not None else party_id
    if name and name != party_id:
        return f"{name}（{party_id}）" if lang == "ja" else f"{name} ({party_id})"
    return party_id


def _tell(rd: Readiness, names: Any, lang: str) -> str:
    if not rd.covered:
        return _t("tell_not_covered", lang)
    if rd.protected:
        return _t("tell_protected", lang)
    if not rd.criteria:
        whom = _t("tell_maybe", lang)
    else:
        whom = _t("tell_ppc", lang)
        if "mn_over_100" in rd.criteria:
            whom = (f"{whom}（{_t('tell_my_number', lang)}）" if lang == "ja"
                    else f"{whom} ({_t('tell_my_number', lang)})")
    if rd.dataset.held_for:
        client = _t("tell_client", lang, client=_party(names, rd.dataset.held_for, lang))
        return f"{client}、{whom}" if lang == "ja" else f"{client}; {whom}"
    return whom


def readiness_rows(analysis: Any, names: Any, lang: str) -> list[dict[str, Any]]:
    """One row per dataset in input order (docs/incident.md §6 `#readiness`)."""
    out = []
    for _i, rd in dataset_readiness(analysis.register):
        d = rd.dataset
        out.append({
            "id": d.id,
            "name": d.name,
            "record_count": f"{d.record_count:,}" if d.record_count is not None else "",
            "encryption": labels.code("encryption", d.encryption, lang),
            "key_separated": _t("mark_yes" if d.key_separated else "mark_no", lang),
            "entrustor": _party(names, d.held_for, lang),
            "criteria": " ".join(rd.criteria),
            "criteria_labels": labels.codes("criteria", list(rd.criteria), lang),
            "protected": "true" if rd.protected else "false",
            "tell": _tell(rd, names, lang),
        })
    return out


def _reportable(dec: Decision | None) -> str:
    if dec is None:
        return "undetermined"
    values = (dec["reportable"], dec["my_number"]["reportable"])
    if True in values:
        return "true"
    if None in values:
        return "undetermined"
    return "false"


def incident_rows(analysis: Any, names: Any, lang: str) -> list[dict[str, Any]]:
    """One row per incident in input order (docs/incident.md §6 `#incidents`)."""
    reg = analysis.register
    t = reg["incidents"]
    out = []
    for i, dec in decisions(reg, analysis.as_of):
        row = t.rows[i]
        state = _reportable(dec)
        duties = []
        notes = []
        if dec is None:
            notes.append(_t("blocked", lang))
        else:
            for duty in dec["duties"]:
                who = labels.code("duty", duty["duty"], lang)
                if duty["party_id"]:
                    who += f" {_party(names, duty['party_id'], lang)}"
                duties.append({
                    "label": who,
                    "due": duty["due"] or "",
                    "done_on": duty["done_on"] or "",
                    "status": duty["status"],
                    "status_label": labels.code("status", duty["status"], lang),
                })
            if dec["released"]:
                notes.append(_t("released", lang))
            if not dec["incident"]:
                notes.append(labels.codes("not_incident_reasons", dec["not_incident_reasons"], lang))
        due = dec["final_report_due"] if dec is not None else None
        out.append({
            "id": row.get("incident_id") or t.record_id(i) or "",
            "known_on": row["known_on"].isoformat() if row.get("known_on") else "",
            "event_types": labels.codes("event_types", row.get("event_types"), lang),
            "reportable": state,
            "reportable_label": _t(f"reportable_{state}", lang),
            "criteria": labels.codes("criteria", (dec["criteria_met"] + [
                c for c in dec["my_number"]["criteria_met"] if c not in dec["criteria_met"]])
                if dec is not None else [], lang),
            "final_due": due or "",
            "duties": duties,
            "notes": notes,
        })
    return out


def sections(analysis: Any, names: Any, lang: str) -> dict[str, Any]:
    """The template's `readiness` and `incidents`, with their words."""
    return {
        "readiness": readiness_rows(analysis, names, lang),
        "incidents": incident_rows(analysis, names, lang),
        "ti": lambda key, **kw: _t(key, lang, **kw),
    }


def incident_data(analysis: Any) -> dict[str, Any]:
    """The same sections for `register report --format json`: codes, not words."""
    reg = analysis.register
    readiness = [
        {
            "dataset_id": rd.dataset.id,
            "covered": rd.covered,
            "protected": rd.protected,
            "criteria": list(rd.criteria),
            "record_count": rd.dataset.record_count,
            "encryption": rd.dataset.encryption,
            "key_separated": rd.dataset.key_separated,
            "held_for_party_id": rd.dataset.held_for,
        }
        for _i, rd in dataset_readiness(reg)
    ]
    t = reg["incidents"]
    incidents = [
        {
            "incident_id": t.rows[i].get("incident_id") or t.record_id(i),
            "reportable": _reportable(dec),
            "decision": dec.data if dec is not None else None,
        }
        for i, dec in decisions(reg, analysis.as_of)
    ]
    return {"readiness": readiness, "incidents": incidents}
