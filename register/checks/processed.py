"""ANO: pseudonymised and anonymised information (APPI Art 41–44; docs/web.md §6, §7).

A pseudonymised dataset is personal data with its own limits: it goes out only under laws and
regulations or by entrustment, succession or joint use (Art 41(6)). Anonymised information is
not personal information, but its items are published on creation (Art 43(3)) and before each
provision (Art 43(4), 44). Processing deletes individual identification codes — My Number is
one — and, for pseudonymised data, what may cause financial damage (APPI Rules Art 31, 34).
The Act is explicit and the register itself states the facts, so these are errors.
"""

from __future__ import annotations

from collections.abc import Iterator

from ..facts import context, flows
from ..findings import Finding, rule
from ..model import Register

ANO_001 = rule(
    "ANO-001", "error", "APPI Art 41(6), 42(1)",
    title=("Pseudonymised information provided outside its routes", "仮名加工情報の認められない提供"),
    description=(
        "A provision from a `pseudonymised` dataset with a basis other than `law`, "
        "`entrustment`, `succession` or `joint_use`: pseudonymised information may go to a third "
        "party only under laws and regulations. The flow still needs a record.",
        "「加工区分」が『仮名加工情報』のデータベースから、『法令に基づく場合』『委託』『事業の承継』『共同利用』"
        "以外の根拠で提供している。仮名加工情報は法令に基づく場合を除き第三者に提供できない。提供した分の記録は必要。",
    ),
    message=(
        "provisions {record}: dataset {dataset} holds pseudonymised information, which may go out only under laws and regulations or by entrustment, succession or joint use; basis {value} is not allowed.",
        "データ提供 {record}：提供元データベース {dataset} は仮名加工情報で、法令に基づく場合と委託・事業の承継・共同利用のほかは提供できませんが、「提供の根拠」が『{basis_ja}』です。",
    ),
    hint=(
        "Stop the provision, or make it under one of those routes (basis law, entrustment, succession or joint_use); what was already provided keeps its record.",
        "提供をやめるか、『法令に基づく場合』『委託』『事業の承継』『共同利用』のいずれかにより提供してください。すでに行った提供の記録は保存が必要です。",
    ),
)
ANO_002 = rule(
    "ANO-002", "error", "APPI Art 43(3); APPI Rules Art 36",
    title=("Anonymised information whose items are not published", "項目が公表されていない匿名加工情報"),
    description=(
        "An `anonymised` dataset without `anonymised_published_on`, unless its `source` is "
        "`third_party` (received: Art 44 has no creation duty) or `held_for_party_id` is set "
        "(created for a client, who publishes: APPI Rules Art 36(2)).",
        "「加工区分」が『匿名加工情報』のデータベースで「匿名加工情報の項目の公表日」が空欄である"
        "（「取得元」が『第三者から取得』のもの、委託を受けて作成したものを除く）。",
    ),
    message=(
        "datasets {record}: anonymised information, but its items were never published (anonymised_published_on is empty).",
        "個人情報データベース等 {record}：匿名加工情報ですが、「匿名加工情報の項目の公表日」が空欄です（作成時に項目を公表していません）。",
    ),
    hint=(
        "Publish without delay after creating it the items of information about individuals it holds (on the Internet or otherwise), and enter the date in anonymised_published_on.",
        "作成後遅滞なく、含まれる個人に関する情報の項目をインターネット等で公表し、その日付を「匿名加工情報の項目の公表日」に記入してください。",
    ),
)
ANO_003 = rule(
    "ANO-003", "error", "APPI Art 43(4), 44; APPI Rules Art 37, 38",
    title=("Anonymised information provided without the notice", "公表・明示のない匿名加工情報の提供"),
    description=(
        "A provision from an `anonymised` dataset whose `anonymised_notice` is not true, or that "
        "has log events while the dataset's `anonymised_published_on` is empty or later than the "
        "first event.",
        "『匿名加工情報』のデータベースからの提供で、「匿名加工情報の公表・明示」が『○』でない、又は提供実績が"
        "あるのに「匿名加工情報の項目の公表日」が空欄か最初の提供より後である。",
    ),
    message=("provisions {record}: {problem}.", "データ提供 {record}：{problem}。"),
    hint=(
        "Before each provision publish the items and the method of provision, tell the recipient explicitly that the data is anonymised information, and set anonymised_notice to true.",
        "提供の前に、提供する情報の項目と提供の方法を公表し、提供先に匿名加工情報である旨を明示したうえで、「匿名加工情報の公表・明示」を『○』にしてください。",
    ),
    cases={
        "no_notice": (
            "anonymised information from dataset {dataset} is provided, but anonymised_notice is {value}: the items and method must be published and the recipient told it is anonymised information",
            "提供元データベース {dataset} の匿名加工情報を提供していますが、「匿名加工情報の公表・明示」が {value} です",
        ),
        "not_published": (
            "anonymised information from dataset {dataset} was provided on {first}, but its items were never published (anonymised_published_on is empty)",
            "提供元データベース {dataset} の匿名加工情報を {first} に提供していますが、「匿名加工情報の項目の公表日」が空欄です",
        ),
        "published_late": (
            "anonymised information from dataset {dataset} was provided on {first}, before its items were published on {published}",
            "提供元データベース {dataset} の匿名加工情報を {first} に提供していますが、「匿名加工情報の項目の公表日」{published} より前です",
        ),
    },
    case_hints={
        "not_published": (
            "Publish the items of the anonymised information before providing it and enter the date in the dataset's anonymised_published_on.",
            "提供の前に匿名加工情報の項目を公表し、その日付を「匿名加工情報の項目の公表日」に記入してください。",
        ),
        "published_late": (
            "Publish the items before the first provision; if the dates are wrong, correct anonymised_published_on or the provision_log.",
            "最初の提供の前に項目を公表してください。日付の誤りなら「匿名加工情報の項目の公表日」又は「提供実績」を訂正してください。",
        ),
    },
)
ANO_004 = rule(
    "ANO-004", "error", "APPI Rules Art 31(ii),(iii), 34(ii); Cabinet Order Art 1",
    title=("Processed data keeping what processing must delete", "加工で削除すべき項目が残っている"),
    description=(
        "A `pseudonymised` or `anonymised` dataset holds a `my_number` item (an individual "
        "identification code), or a `pseudonymised` dataset holds an item with `financial_risk` "
        "true.",
        "『仮名加工情報』又は『匿名加工情報』のデータベースが特定個人情報（個人識別符号）の項目を含む、"
        "又は『仮名加工情報』のデータベースが「財産的被害のおそれ」が『○』の項目を含んでいる。",
    ),
    message=("datasets {record}: {problem}.", "個人情報データベース等 {record}：{problem}。"),
    hint=(
        "Delete those items when processing the data (or replace them by a method that cannot restore them), and remove them from item_ids.",
        "加工の際にその項目を削除し（又は復元できない方法で置き換え）、「項目ID」から外してください。",
    ),
    cases={
        "my_number": (
            "the {processing} dataset holds My Number items {items}: an individual number must be deleted when the data is processed",
            "『{processing_ja}』のデータベースが特定個人情報の項目 {items} を含んでいます。加工の際に個人番号は削除しなければなりません",
        ),
        "financial_risk": (
            "the pseudonymised dataset holds items whose misuse may cause financial damage ({items}): they must be deleted when the data is processed",
            "『仮名加工情報』のデータベースが財産的被害のおそれがある項目 {items} を含んでいます。加工の際に削除しなければなりません",
        ),
        "both": (
            "the pseudonymised dataset holds My Number items {items} and items whose misuse may cause financial damage ({financial}): both must be deleted when the data is processed",
            "『仮名加工情報』のデータベースが特定個人情報の項目 {items} と財産的被害のおそれがある項目 {financial} を含んでいます。加工の際に削除しなければなりません",
        ),
    },
)


def check(reg: Register, ctx=None) -> Iterator[Finding]:
    """Every ANO finding."""
    yield from _datasets(reg)
    yield from _provisions(reg)


def _datasets(reg: Register) -> Iterator[Finding]:
    t = reg["datasets"]
    if not t.present or len(t) == 0:
        return
    classes = flows.item_classes(reg)
    risky = {k for k, r in reg["data_items"].by_key.items() if r.get("financial_risk") is True}
    labels = t.spec.column("processing").enum_labels_ja
    for i, d in enumerate(t.rows):
        processing = d.get("processing")
        if processing not in ("pseudonymised", "anonymised"):
            continue
        if processing == "anonymised" and d.get("anonymised_published_on") is None \
                and not flows.invalid(t, i, "anonymised_published_on") \
                and d.get("source") != "third_party" and not flows.given(t, i, "held_for_party_id"):
            yield t.finding(ANO_002, i, "anonymised_published_on")
        items = flows.items_of(d)
        mn = [x for x in items if classes.get(x) == "my_number"]
        fin = [x for x in items if x in risky] if processing == "pseudonymised" else []
        if mn and fin:
            yield t.finding(ANO_004, i, "item_ids", case="both", items=mn, financial=fin)
        elif mn:
            yield t.finding(ANO_004, i, "item_ids", case="my_number", items=mn,
                            processing=processing, processing_ja=labels.get(processing))
        elif fin:
            yield t.finding(ANO_004, i, "item_ids", case="financial_risk", items=fin)


def _provisions(reg: Register) -> Iterator[Finding]:
    t = reg["provisions"]
    if not t.present or len(t) == 0:
        return
    datasets = reg["datasets"].by_key
    processing = context.processing(reg)
    first = flows.first_event_dates(reg)
    labels = t.spec.column("basis").enum_labels_ja
    for i, p in enumerate(t.rows):
        pid, did, basis = p.get("provision_id"), p.get("dataset_id"), p.get("basis")
        kind = processing.get(did) if did is not None else None
        if pid is None or kind is None:
            continue
        if kind == "pseudonymised" and basis is not None \
                and basis not in context.PSEUDONYMISED_BASES:
            yield t.finding(ANO_001, i, "basis", dataset=did, basis_ja=labels.get(basis, basis))
        if kind != "anonymised":
            continue
        if p.get("anonymised_notice") is not True and not flows.invalid(t, i, "anonymised_notice"):
            yield t.finding(ANO_003, i, "anonymised_notice", case="no_notice", dataset=did,
                            value=p.get("anonymised_notice"))
        if pid in first and t.index_of(pid) == i:
            ds = datasets[did]
            published = ds.get("anonymised_published_on")
            if published is None and not flows.invalid(reg["datasets"],
                                                      reg["datasets"].index_of(did),
                                                      "anonymised_published_on"):
                yield t.finding(ANO_003, i, "dataset_id", case="not_published", dataset=did,
                                first=first[pid])
            elif published is not None and published > first[pid]:
                yield t.finding(ANO_003, i, "dataset_id", case="published_late", dataset=did,
                                first=first[pid], published=published)
