"""INC: leak incidents; RDY: readiness for one (docs/incident.md §5; APPI Art 26, Rules Art 7–10).

The decision of every incident is the one `register incident` writes: both call
`incident.decision.decide_row` with the same Facts (facts/incidents.py). An incident whose known_on, event_types
or dataset_ids is empty or gives a SCH or REF finding is not decided and gets no INC finding.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator

from ..facts.incidents import dataset_readiness, decisions, incident_facts
from ..findings import Finding, rule
from ..incident.decision import REPORT_DATES, Decision, Facts
from ..model import Register, Table

INC_001 = rule(
    "INC-001", "error", "APPI Rules Art 8(2); My Number Act Art 29-4(1)",
    title=("Final leak report overdue", "漏えい等報告（確報）の期限超過"),
    description=(
        "The PPC report is required, `final_report_on` is empty and the as-of date is after "
        "the final report's due date (30 days, or 60 for an improper purpose, from the day the incident "
        "became known, moved past days the government is closed).",
        "個人情報保護委員会への報告が必要で、「確報日」が空欄のまま、基準日が確報の期限（発覚日から30日、"
        "不正の目的によるおそれがある場合は60日。行政機関の休日に当たる場合は翌日以降）を過ぎている。",
    ),
    message=(
        "incidents {record}: the final report to the PPC was due on {due} ({days} days from {known_on}) and final_report_on is empty.",
        "漏えい等事案 {record}：個人情報保護委員会への確報の期限 {due}（発覚日 {known_on} から{days}日）を過ぎていますが、「確報日」が空欄です。",
    ),
    hint=(
        "Make the final report to the PPC now and enter its date in final_report_on.",
        "直ちに個人情報保護委員会へ確報を行い、その日付を「確報日」に記入してください。",
    ),
)
INC_002 = rule(
    "INC-002", "warning", "APPI Rules Art 8(1)",
    title=("No quick leak report", "漏えい等報告（速報）が未了"),
    description=(
        "The PPC report is required, `quick_report_on` and `final_report_on` are empty and the "
        "as-of date is after the quick report's date (the 5th day: the guideline's \"promptly, about "
        "3–5 days\").",
        "個人情報保護委員会への報告が必要で、「速報日」「確報日」が空欄のまま、基準日が速報の目安"
        "（発覚日から5日目。ガイドラインでは速やかに、概ね3～5日以内）を過ぎている。",
    ),
    message=(
        "incidents {record}: nothing has been reported to the PPC yet; the quick report was expected by {due} (the 5th day from {known_on}).",
        "漏えい等事案 {record}：個人情報保護委員会への報告がまだありません。速報の目安 {due}（発覚日 {known_on} から5日目）を過ぎています。",
    ),
    hint=(
        "Make the quick report to the PPC promptly and enter its date in quick_report_on.",
        "速やかに個人情報保護委員会へ速報し、その日付を「速報日」に記入してください。",
    ),
)
INC_003 = rule(
    "INC-003", "warning", "APPI Art 26(2); APPI Rules Art 10",
    title=("Principals not notified", "本人への通知が未了"),
    description=(
        "The principal notice is required, `principals_notified_on` and "
        "`substitute_measure_on` are empty and the as-of date is after the final report's due date.",
        "本人への通知が必要で、「本人通知日」「代替措置日」が空欄のまま、基準日が確報の期限を過ぎている。",
    ),
    message=(
        "incidents {record}: the principals have not been notified (principals_notified_on and substitute_measure_on are empty) and the final report deadline {due} has passed.",
        "漏えい等事案 {record}：本人への通知がされていません（「本人通知日」「代替措置日」が空欄）。確報の期限 {due} も過ぎています。",
    ),
    hint=(
        "Notify the principals (where that is difficult, publish the incident and open an inquiry desk instead) and enter the date.",
        "本人に通知し（通知が困難な場合は、公表や問合せ窓口の設置などの代替措置を講じ）、その日付を「本人通知日」又は「代替措置日」に記入してください。",
    ),
)
INC_004 = rule(
    "INC-004", "warning", "APPI Art 26(1); APPI Rules Art 9",
    title=("Entrustor not notified", "委託元への通知が未了"),
    description=(
        "We hold the data for a client, the notice to it is required, `entrustor_notified_on` "
        "is empty and the as-of date is after the quick report's date.",
        "委託を受けて取り扱うデータで、委託元への通知が必要なのに、「委託元通知日」が空欄のまま、"
        "基準日が通知の目安（発覚日から5日目）を過ぎている。",
    ),
    message=(
        "incidents {record}: the entrustor {parties} has not been notified; the notice was expected by {due}.",
        "漏えい等事案 {record}：委託元 {parties} への通知がされていません。通知の目安 {due} を過ぎています。",
    ),
    hint=(
        "Notify the entrustor promptly (a trustee that does so is released from its own report and notice) and enter the date in entrustor_notified_on.",
        "速やかに委託元へ通知し、その日付を「委託元通知日」に記入してください（委託元に通知すれば、当社自身の報告と本人への通知は不要になります）。",
    ),
)
INC_005 = rule(
    "INC-005", "warning", "APPI Rules Art 8(2)",
    title=("Final leak report filed late", "確報の期限後の提出"),
    description=(
        "The PPC report is required and `final_report_on` is after the final report's due date.",
        "個人情報保護委員会への報告が必要で、「確報日」が確報の期限より後である。",
    ),
    message=(
        "incidents {record}: the final report was made on {value}, after its deadline {due}.",
        "漏えい等事案 {record}：「確報日」{value} が確報の期限 {due} より後です。",
    ),
    hint=(
        "Check the date; if the report was late, say why in the report's other matters for reference.",
        "日付を確認してください。期限後の報告であれば、その理由を報告書のその他参考となる事項の欄に記載してください。",
    ),
)
# INC-006: the criteria that can be undecided, in words; a finding names every one of them
_UNDECIDED = {
    "improper_purpose": (
        "possible improper purpose (the cause is other or empty)",
        "不正の目的のおそれ（「原因区分」が『その他』又は空欄）",
    ),
    "over_1000": (
        "more than 1,000 principals (no count)", "本人の数が1,000人超か（本人の数が不明）",
    ),
    "over_100": (
        "more than 100 My Number principals (no count)",
        "個人番号に係る本人の数が100人超か（本人の数が不明）",
    ),
}


def _undecided_cases() -> dict[str, tuple[str, str]]:
    """One case per non-empty set of undecided criteria, in _UNDECIDED's order."""
    from itertools import combinations

    keys = list(_UNDECIDED)
    out = {}
    for n in range(1, len(keys) + 1):
        for combo in combinations(keys, n):
            out["+".join(combo)] = (
                "; ".join(_UNDECIDED[k][0] for k in combo),
                "、".join(_UNDECIDED[k][1] for k in combo),
            )
    return out


INC_006 = rule(
    "INC-006", "warning", "APPI Rules Art 7",
    title=("Whether to report cannot be decided", "報告要否を判定できない"),
    description=(
        "Whether the incident must be reported (to the PPC, or under the My Number leak rules) cannot be decided: no criterion is met and one cannot be "
        "decided (the cause is `other` or empty; there is no count).",
        "報告の要否を判定できない：満たす要件がなく、判断できない要件がある（「原因区分」が『その他』又は空欄、"
        "本人の数が不明）。",
    ),
    message=(
        "incidents {record}: whether the incident must be reported cannot be decided; unknown: {problem}.",
        "漏えい等事案 {record}：報告が必要か判定できません。判断できない要件：{problem}。",
    ),
    cases=_undecided_cases(),
    hint=(
        "Find out the cause (cause, improper_purpose) or the number of principals (principal_count, principal_count_max, mn_principal_count) and enter it; until then, prepare the report.",
        "原因（「原因区分」「不正の目的」）又は本人の数（「本人の数」「本人の数（最大）」「個人番号に係る本人の数」）を確認して記入してください。判明するまでは報告の準備を進めてください。",
    ),
)
INC_007 = rule(
    "INC-007", "warning", None,
    title=("Incident facts that do not fit together", "事案の記載の不整合"),
    description=(
        "An `item_ids` entry that no listed dataset holds; `occurred_on` after `known_on`; a "
        "report or notice date before `known_on`.",
        "「対象項目」に対象データベース等が保有しない項目がある、「発生日」が「発覚日」より後、"
        "又は報告・通知の日付が「発覚日」より前である。",
    ),
    message=("incidents {record}: {problem}.", "漏えい等事案 {record}：{problem}。"),
    cases={
        "items_elsewhere": (
            "item_ids {items} are held by none of its datasets",
            "「対象項目」の {items} は「対象データベース等」のいずれにも含まれていません",
        ),
        "occurred_after_known": (
            "occurred_on {value} is after known_on {known_on}",
            "「発生日」{value} が「発覚日」{known_on} より後です",
        ),
        "date_before_known": (
            "{field} {value} is before known_on {known_on}",
            "「{label}」{value} が「発覚日」{known_on} より前です",
        ),
    },
    hint=(
        "Check and correct {field}.",
        "「{label}」を確認して訂正してください。",
    ),
)
RDY_001 = rule(
    "RDY-001", "info", "APPI Rules Art 7(i),(ii)",
    title=("A leak would be reportable: special care or financial risk",
           "漏えい等すれば報告対象（要配慮個人情報・財産的被害）"),
    description=(
        "A covered dataset, not protected, holds a `special_care` item or an item with "
        "`financial_risk` true: any leak of it is reportable.",
        "高度な暗号化等で保護されていない個人情報データベース等が、要配慮個人情報又は財産的被害のおそれがある項目を含む。"
        "漏えい等が起きれば原因を問わず報告対象となる。",
    ),
    message=(
        "datasets {record}: it holds {problem} and is not protected by advanced encryption: any leak of it must be reported to the PPC and notified to the principals.",
        "個人情報データベース等 {record}：{problem}を含み、高度な暗号化等で保護されていないため、漏えい等が起きれば個人情報保護委員会への報告と本人への通知が必要です。",
    ),
    cases={
        "special_care": ("special care-required items", "要配慮個人情報"),
        "financial_risk": ("items whose misuse may cause financial damage", "財産的被害のおそれがある項目"),
        "both": (
            "special care-required items and items whose misuse may cause financial damage",
            "要配慮個人情報と財産的被害のおそれがある項目",
        ),
    },
    hint=(
        "Be ready: who reports within days, who notifies; consider advanced encryption with the key kept apart (encryption advanced, key_separated true).",
        "数日以内の報告と本人への通知の手順を準備し、高度な暗号化と復号鍵の分離管理（「暗号化」を『高度な暗号化』、「復号鍵の分離管理」を『○』）を検討してください。",
    ),
)
RDY_002 = rule(
    "RDY-002", "info", "APPI Rules Art 7(iv)",
    title=("A leak would be reportable: more than 1,000 principals",
           "漏えい等すれば報告対象（本人の数が1,000人超）"),
    description=(
        "A covered dataset, not protected, with `record_count` > 1000.",
        "高度な暗号化等で保護されていない個人情報データベース等で、「件数」が1,000を超える。",
    ),
    message=(
        "datasets {record}: {count} records, not protected by advanced encryption: a leak of the whole dataset would concern more than 1,000 principals and must be reported.",
        "個人情報データベース等 {record}：件数 {count} 件で、高度な暗号化等で保護されていないため、全件が漏えい等すれば本人の数が1,000人を超え、報告対象です。",
    ),
    hint=(
        "Be ready to count the principals concerned quickly; consider advanced encryption with the key kept apart.",
        "対象となる本人の数をすぐに特定できるよう準備し、高度な暗号化と復号鍵の分離管理を検討してください。",
    ),
)
RDY_003 = rule(
    "RDY-003", "info", "My Number Act Art 29-4(1)",
    title=("A leak would be reportable: My Number, more than 100",
           "漏えい等すれば報告対象（特定個人情報100人超）"),
    description=(
        "A covered dataset, not protected, holding a `my_number` item with `record_count` > 100.",
        "高度な暗号化等で保護されていない個人情報データベース等が特定個人情報を含み、「件数」が100を超える。",
    ),
    message=(
        "datasets {record}: it holds My Number data for {count} records, not protected by advanced encryption: a leak of more than 100 must be reported under the My Number Act.",
        "個人情報データベース等 {record}：特定個人情報を {count} 件保有し、高度な暗号化等で保護されていないため、100人を超える漏えい等は番号法に基づく報告対象です。",
    ),
    hint=(
        "Be ready to report under both Acts; consider advanced encryption with the key kept apart.",
        "個人情報保護法と番号法の両方の報告に備え、高度な暗号化と復号鍵の分離管理を検討してください。",
    ),
)
RDY_004 = rule(
    "RDY-004", "info", "APPI Rules Art 7(i)",
    title=("Advanced encryption, key not kept apart", "高度な暗号化だが復号鍵を分離管理していない"),
    description=(
        "A covered dataset with `encryption` `advanced` and `key_separated` not true: the "
        "encryption exemption is unavailable.",
        "個人情報データベース等の「暗号化」が『高度な暗号化』だが「復号鍵の分離管理」が『○』でないため、"
        "暗号化による報告の免除を受けられない。",
    ),
    message=(
        "datasets {record}: encryption is advanced but key_separated is not true: a leak would not be exempt as protected data.",
        "個人情報データベース等 {record}：「暗号化」は『高度な暗号化』ですが「復号鍵の分離管理」が『○』でないため、漏えい等の際に保護されたデータとして報告の対象外にはなりません。",
    ),
    hint=(
        "Keep the decryption key apart from the data and protect it (or make remote wipe available), then set key_separated to true.",
        "復号鍵をデータと分離して保護し（又は遠隔消去を可能にし）、「復号鍵の分離管理」を『○』にしてください。",
    ),
)

# INC-006: what an undecided criterion needs, in words
_UNDECIDED = {
    "improper_purpose": (
        "improper purpose (the cause is other or empty)", "不正の目的のおそれ（原因区分が『その他』又は空欄）",
        "cause or improper_purpose", "「原因区分」又は「不正の目的」",
    ),
    "over_1000": (
        "more than 1,000 principals (no count)", "本人の数が1,000人超（本人の数が不明）",
        "principal_count or principal_count_max", "「本人の数」又は「本人の数（最大）」",
    ),
    "over_100": (
        "more than 100 My Number principals (no count)", "個人番号に係る本人の数が100人超（本人の数が不明）",
        "mn_principal_count", "「個人番号に係る本人の数」",
    ),
}


def check(reg: Register, ctx) -> Iterator[Finding]:
    """Every INC and RDY finding."""
    t = reg["incidents"]
    if t.present and len(t):
        facts = incident_facts(reg)
        for i, dec in decisions(reg, ctx.as_of):
            if dec is None:
                continue
            yield from _duties(t, i, dec, ctx.as_of)
            yield from _undecided(t, i, dec)
            yield from _inconsistent(t, i, dec, facts)
    datasets = reg["datasets"]
    if datasets.present and len(datasets):
        yield from _readiness(datasets, reg)


def _duties(t: Table, i: int, dec: Decision, as_of: dt.date) -> Iterator[Finding]:
    d, row = dec.data, dec.row
    known_on = d["known_on"]
    quick = _date(d["quick_report_by"])
    due = _date(d["final_report_due"])
    if d["ppc_report_required"] is True:
        final = row.get("final_report_on")
        if final is None and due is not None and as_of > due and not _invalid(t, i, "final_report_on"):
            yield t.finding(INC_001, i, "final_report_on", due=due, days=d["final_report_days"],
                            known_on=known_on)
        if final is None and row.get("quick_report_on") is None and quick is not None \
                and as_of > quick and not _invalid(t, i, "quick_report_on", "final_report_on"):
            yield t.finding(INC_002, i, "quick_report_on", due=quick, known_on=known_on)
        if final is not None and due is not None and final > due:
            yield t.finding(INC_005, i, "final_report_on", value=final, due=due)
    if d["principal_notice_required"] is True and row.get("principals_notified_on") is None \
            and row.get("substitute_measure_on") is None and due is not None and as_of > due \
            and not _invalid(t, i, "principals_notified_on", "substitute_measure_on"):
        yield t.finding(INC_003, i, "principals_notified_on", due=due)
    if d["entrustor_notice_required"] is True and row.get("entrustor_notified_on") is None \
            and quick is not None and as_of > quick and not _invalid(t, i, "entrustor_notified_on"):
        yield t.finding(INC_004, i, "entrustor_notified_on", due=quick, parties=d["entrustors"])


def _undecided(t: Table, i: int, dec: Decision) -> Iterator[Finding]:
    d = dec.data
    if d["reportable"] is not None and d["my_number"]["reportable"] is not None:
        return
    nulls: list[str] = []
    if d["reportable"] is None:
        nulls += [k for k, v in d["criteria"].items() if v is None]
    if d["my_number"]["reportable"] is None:
        nulls += [k for k, v in d["my_number"]["criteria"].items() if v is None and k not in nulls]
    field = "cause" if "improper_purpose" in nulls else (
        "principal_count" if "over_1000" in nulls else "mn_principal_count")
    case = "+".join(k for k in _UNDECIDED if k in nulls)
    yield t.finding(INC_006, i, field, case=case)


def _inconsistent(t: Table, i: int, dec: Decision, facts: Facts) -> Iterator[Finding]:
    row = dec.row
    elsewhere = [x for x in dec.listed_elsewhere if x in facts.items]  # unknown: REF-002
    if elsewhere:
        yield t.finding(INC_007, i, "item_ids", case="items_elsewhere", items=elsewhere)
    known_on = row["known_on"]
    occurred = row.get("occurred_on")
    if occurred is not None and occurred > known_on:
        yield t.finding(INC_007, i, "occurred_on", case="occurred_after_known",
                        value=occurred, known_on=known_on)
    for col in REPORT_DATES:
        v = row.get(col)
        if v is not None and v < known_on:
            yield t.finding(INC_007, i, col, case="date_before_known", value=v, known_on=known_on,
                            label=t.spec.column(col).label_ja)


def _readiness(t: Table, reg: Register) -> Iterator[Finding]:
    for i, rd in dataset_readiness(reg):
        if not rd.covered:
            continue
        if not rd.protected and (rd.special_care or rd.financial_risk):
            case = "both" if rd.special_care and rd.financial_risk else (
                "special_care" if rd.special_care else "financial_risk")
            yield t.finding(RDY_001, i, "item_ids", case=case)
        if "over_1000" in rd.criteria:
            yield t.finding(RDY_002, i, "record_count", count=f"{rd.dataset.record_count:,}")
        if "mn_over_100" in rd.criteria:
            yield t.finding(RDY_003, i, "record_count", count=f"{rd.dataset.record_count:,}")
        if rd.key_exposed:
            yield t.finding(RDY_004, i, "key_separated")


def _date(iso: str | None) -> dt.date | None:
    return dt.date.fromisoformat(iso) if iso else None


def _invalid(t: Table, i: int, *columns: str) -> bool:
    """A given but invalid cell (SCH-003) is not read as "not done": one problem, one finding."""
    return any((b := t.bad.get(c)) is not None and bool(b[i]) for c in columns)

