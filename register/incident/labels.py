"""The words of the incident outputs, in English and Japanese (docs/incident.md §4.4).

Labels of the codes the schemas declare (`event_types`, `cause`, `encryption`) come from the
schemas' `x-enum-labels-ja`; the codes of the decision (criteria, duties, statuses, reasons)
and the drafts' own words are here, in one place.
"""

from __future__ import annotations

from .. import schema

# group → code → (English, Japanese)
CODES: dict[str, dict[str, tuple[str, str]]] = {
    "event_types": {
        "leak": ("leak", "漏えい"),
        "loss": ("loss", "滅失"),
        "damage": ("damage", "毀損"),
    },
    "encryption": {
        "none": ("none", "なし"),
        "standard": ("standard encryption", "通常の暗号化"),
        "advanced": ("advanced encryption", "高度な暗号化"),
    },
    "criteria": {
        "special_care": ("special care-required information", "要配慮個人情報"),
        "financial_damage": ("risk of financial damage", "財産的被害のおそれ"),
        "improper_purpose": ("possible improper purpose", "不正の目的のおそれ"),
        "over_1000": ("more than 1,000 principals", "本人の数が1,000人超"),
        "mn_system": ("My Number system", "番号制度システム"),
        "publicly_viewable": ("viewable by an unspecified number of people", "不特定多数による閲覧"),
        "over_100": ("more than 100 principals", "本人の数が100人超"),
        "mn_over_100": ("My Number, more than 100", "個人番号100人超"),
    },
    "duty": {
        "ppc_quick_report": ("quick report", "速報"),
        "ppc_final_report": ("final report", "確報"),
        "principal_notice": ("notice to the principals", "本人への通知"),
        "entrustor_notice": ("notice to the entrustor", "委託元への通知"),
    },
    "to": {
        "ppc": ("Personal Information Protection Commission", "個人情報保護委員会"),
        "principals": ("principals", "本人"),
        "entrustor": ("entrustor", "委託元"),
    },
    "status": {
        "open": ("open", "未了"),
        "done": ("done", "済"),
        "overdue": ("overdue", "期限超過"),
    },
    "item_status": {
        "known": ("known", "判明"),
        "unknown": ("unknown", "未判明"),
    },
    "actor": {
        "self": ("our organization", "当社"),
        "trustee": ("our contractor", "委託先"),
    },
    "not_incident_reasons": {
        "not_covered": ("outside APPI Art 26", "法第26条の対象外"),
        "recovered_unviewed": ("recovered before anyone saw it", "閲覧前に回収"),
        "copy_kept": ("the same data is kept", "同一データを保管"),
    },
    "regimes": {
        "appi": ("APPI Art 26", "個人情報保護法第26条"),
        "my_number": ("My Number Act Art 29-4", "番号法第29条の4"),
    },
    "cause": {
        "misdelivery": ("misdelivery", ""),
        "misconfiguration": ("misconfiguration", ""),
        "lost": ("lost or wrongly disposed of", ""),
        "theft": ("theft", ""),
        "unauthorized_access": ("unauthorized access", ""),
        "malware": ("malware or ransomware", ""),
        "insider": ("taken out by an insider", ""),
        "tampering": ("tampered input page", ""),
        "other": ("other", ""),
    },
}

# The Japanese labels the schemas declare win (one name, one place).
_SCHEMA_CODES = {
    "event_types": ("incidents", "event_types"),
    "cause": ("incidents", "cause"),
    "encryption": ("datasets", "encryption"),
}


def code(group: str, value: str | None, lang: str) -> str:
    """The label of a code in `lang` (the code itself when unknown)."""
    if value is None:
        return ""
    if lang == "ja" and group in _SCHEMA_CODES:
        t, c = _SCHEMA_CODES[group]
        label = schema.table(t).column(c).enum_labels_ja.get(value)
        if label:
            return label
    pair = CODES.get(group, {}).get(value)
    if pair is None:
        return value
    return pair[1] if lang == "ja" and pair[1] else pair[0]


def codes(group: str, values: list[str] | tuple[str, ...] | None, lang: str) -> str:
    return joined([code(group, v, lang) for v in values or ()], lang)


def joined(values: list[str], lang: str) -> str:
    return ("、" if lang == "ja" else ", ").join(v for v in values if v)


# The report items of APPI Rules Art 8(1) (PPC form 1; PPC GL (General Rules) 3-5-3-3)
ITEMS: dict[str, tuple[str, str]] = {
    "summary": ("Summary", "概要"),
    "data_items": (
        "Items of the personal data concerned",
        "漏えい等が発生し、又は発生したおそれがある個人データの項目",
    ),
    "principal_count": (
        "Number of principals concerned",
        "漏えい等が発生し、又は発生したおそれがある個人データに係る本人の数",
    ),
    "cause": ("Cause", "原因"),
    "secondary_damage": (
        "Secondary damage or its risk, and its nature",
        "二次被害又はそのおそれの有無及びその内容",
    ),
    "principal_response": ("Response to the principals", "本人への対応の実施状況"),
    "publication": ("Publication", "公表の実施状況"),
    "prevention": ("Measures to prevent recurrence", "再発防止のための措置"),
    "other": ("Other matters for reference", "その他参考となる事項"),
}

# Fields inside the items' content
FIELDS: dict[str, tuple[str, str]] = {
    "occurred_on": ("Occurred on", "発生日"),
    "known_on": ("Known on", "発覚日"),
    "event_types": ("What happened", "事態の種類"),
    "suspected": ("Certainty", "発生の確度"),
    "discovered_by": ("Discovered by", "発見者"),
    "criteria_met": ("Reportable because (APPI Rules Art 7)", "報告対象となる事態（個人情報保護法施行規則第7条）"),
    "my_number_criteria_met": (
        "Reportable because (My Number Leak Rules Art 2)",
        "報告対象となる事態（番号法の漏えい等報告規則第2条）",
    ),
    "entrustors": ("Entrustor (we hold the data as its trustee)", "委託元（当社が受託して取り扱うデータ）"),
    "trustee_party_id": ("Contractor where it happened", "発生した委託先"),
    "text": ("Details", "内容"),
    "items": ("Items", "項目"),
    "media": ("Medium", "媒体"),
    "subjects": ("Whose data", "本人の区分"),
    "count": ("Number of principals", "本人の数"),
    "max": ("Largest possible number", "本人の数（最大）"),
    "cause": ("Cause", "原因の区分"),
    "detail": ("Cause in detail", "原因の詳細"),
    "actor": ("Where it happened", "発生元"),
    "principals_notified_on": ("Principals notified on", "本人への通知日"),
    "substitute_measure_on": ("Alternative measure taken on", "代替措置を講じた日"),
    "done": ("Measures taken", "実施済みの措置"),
    "planned": ("Measures planned", "今後実施する措置"),
}

TEXT: dict[str, tuple[str, str]] = {
    "title_ppc_report": (
        "Report of a leak of personal data to the Personal Information Protection Commission (draft)",
        "個人データの漏えい等事案に関する報告（案）",
    ),
    "title_principal_notice": (
        "Notice about a leak of your personal data (draft)",
        "個人データの漏えい等に関するお知らせ（案）",
    ),
    "title_entrustor_notice": (
        "Notice to the entrustor of a leak of the data we hold for it (draft)",
        "委託元への漏えい等事案の通知（案）",
    ),
    "sheet_ppc_report": ("ppc_report", "個人情報保護委員会への報告"),
    "sheet_principal_notice": ("principal_notice", "本人への通知"),
    "sheet_entrustor_notice": ("entrustor_notice", "委託元への通知"),
    "incident_id": ("Incident", "事案ID"),
    "regimes": ("Reported under", "報告の根拠"),
    "undecided": ("(to be decided: a criterion is not known yet)", "（判定未了：判断できない要件があります）"),
    "quick_report_by": ("Quick report by (5th day, the guideline's \"about 3-5 days\")",
                        "速報の目安（発覚日から5日目。ガイドラインの「3～5日以内」）"),
    "final_report_due": ("Final report due", "確報の期限"),
    "quick_report_by_short": ("Quick report by", "速報の目安"),
    "final_report_days": ("{days} days from the day it became known, that day counted",
                          "発覚日を1日目として{days}日以内"),
    "moved": ("day {days} falls on {day}, a day the government is closed", "{days}日目の{day}は行政機関の休日"),
    "entrustor_due": ("Notify by", "通知の目安"),
    "entrustor": ("To", "宛先"),
    "datasets": ("Datasets we hold for you", "貴社から受託しているデータベース等"),
    "unknown_items": ("Not yet known", "未判明の事項"),
    "none": ("none", "なし"),
    "nothing": ("(nothing recorded yet)", "（未記入）"),
    "suspected_yes": ("suspected (not confirmed)", "発生したおそれ（未確定）"),
    "suspected_no": ("confirmed", "発生を確認"),
    "col_no": ("no", "番号"),
    "col_item": ("item", "項目"),
    "col_status": ("status", "状況"),
    "col_content": ("content", "内容"),
    "provisional": (
        "Holiday data reaches only {through}: check the deadline against the official calendar.",
        "祝日のデータは{through}までです。期限を公式の暦で確認してください。",
    ),
}


def text(key: str, lang: str, **kw: object) -> str:
    en, ja = TEXT[key]
    return (ja if lang == "ja" else en).format(**kw)


def item_label(key: str, lang: str) -> str:
    en, ja = ITEMS[key]
    return ja if lang == "ja" else en


def field_label(key: str, lang: str) -> str:
    en, ja = FIELDS[key]
    return ja if lang == "ja" else en
