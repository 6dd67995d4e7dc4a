"""SEN: special care-required personal information held without a basis (APPI Art 20(2))."""

from __future__ import annotations

from collections.abc import Iterator

from ..facts import context, flows
from ..findings import Finding, rule
from ..model import Register

SEN_001 = rule(
    "SEN-001", "error", "APPI Art 20(2)",
    title=("Special care-required data without a basis", "取得根拠のない要配慮個人情報"),
    description=(
        "A dataset holds `special_care` items and its `special_care_basis` is empty: acquiring "
        "such data needs the principal's consent or one of the Art 20(2) cases.",
        "データベースが要配慮個人情報の項目を保有しているのに「要配慮個人情報の取得根拠」が空欄（取得には本人同意か法第20条第2項各号の場合が必要）。",
    ),
    message=(
        "datasets {record}: it holds special care-required items {items} but special_care_basis is empty.",
        "個人情報データベース等 {record}：要配慮個人情報の項目 {items} を保有していますが、「要配慮個人情報の取得根拠」が空欄です。",
    ),
    hint=(
        "Enter why the data may be held (consent, law, published, …) in special_care_basis, or stop holding those items.",
        "「要配慮個人情報の取得根拠」（『本人の同意』、『法令に基づく場合』、『本人・報道機関等により公開』など）を記入するか、その項目を保有しないでください。",
    ),
)


def check(reg: Register, ctx=None) -> Iterator[Finding]:
    """Every SEN finding."""
    t = reg["datasets"]
    if not t.present or len(t) == 0:
        return
    classes = flows.item_classes(reg)
    for i, d in enumerate(t.rows):
        if d.get("processing") in context.NOT_PERSONAL_PROCESSING:
            continue  # anonymised or statistics: no personal information held (docs/web.md §8)
        sc = [x for x in flows.items_of(d) if classes.get(x) == "special_care"]
        if sc and d.get("special_care_basis") is None and not flows.invalid(t, i, "special_care_basis"):
            yield t.finding(SEN_001, i, "special_care_basis", items=sc)
