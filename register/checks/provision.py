"""PRV: provision of personal data to third parties (APPI Art 18, 27, 29; docs/rules.md PRV).

PRV-008 and PRV-009 need the routes and live in provision_records.py. A provision whose items
(without my_number items) are all person_related is not a provision of personal data: PRI
applies to it instead (docs/web.md §8). A provision of my_number items only is outside APPI
Arts 27–30 (My Number Act Art 30(2)): of PRV only the consistency rules PRV-006/007 apply.
"""

from __future__ import annotations

from collections.abc import Iterator

import polars as pl

from ..facts import clients, flows
from ..findings import Finding, rule
from ..model import Register

PRV_001 = rule(
    "PRV-001", "error", "APPI Art 27(1)",
    title=("Consent basis without consent", "本人同意がない同意提供"),
    description=(
        "The provision's basis is `consent`, but `consent` is not true.",
        "「提供の根拠」が『本人の同意』なのに、「本人同意」が『○』になっていない。",
    ),
    message=(
        "provisions {record}: the basis is consent, but consent is {value}.",
        "データ提供 {record}：「提供の根拠」は『本人の同意』ですが、「本人同意」が {value} です。",
    ),
    hint=(
        "Obtain the principals' consent and set consent to true (note where it is kept in consent_evidence), or record the real basis.",
        "本人の同意を取得して「本人同意」を『○』にし（「同意の証跡」に同意の記録の保管場所も記入）、または実際の「提供の根拠」を記入してください。",
    ),
)
PRV_002 = rule(
    "PRV-002", "error", "APPI Art 27(2)",
    title=("Special care-required data by opt-out", "要配慮個人情報のオプトアウト提供"),
    description=(
        "An `opt_out` provision includes a `special_care` item: special care-required personal "
        "information may not be provided by opt-out.",
        "オプトアウトによる提供に要配慮個人情報の項目が含まれている（オプトアウトでは提供できない）。",
    ),
    message=(
        "provisions {record}: the opt-out provision includes special care-required items {items}.",
        "データ提供 {record}：オプトアウトによる提供に要配慮個人情報の項目 {items} が含まれています。",
    ),
    hint=(
        "Remove those items from the provision, or obtain the principals' consent and change the basis to consent.",
        "その項目を提供から外すか、本人の同意を得て「提供の根拠」を『本人の同意』に変更してください。",
    ),
)
PRV_003 = rule(
    "PRV-003", "error", "APPI Art 27(2)",
    title=("Opt-out before notification to the PPC", "個人情報保護委員会への届出前のオプトアウト提供"),
    description=(
        "An `opt_out` provision without `optout_notified_on`, or a log event before that date.",
        "オプトアウトによる提供で「オプトアウト届出日」がない、または届出日より前に提供している。",
    ),
    message=(
        "{table} {record}: {problem}.",
        "{table_ja} {record}：{problem}。",
    ),
    hint=(
        "Notify the opt-out matters to the PPC before providing, and enter the date in optout_notified_on.",
        "提供の前にオプトアウトの届出を個人情報保護委員会に行い、その日付を「オプトアウト届出日」に記入してください。",
    ),
    per_event=True,
    cases={
        "not_notified": (
            "the opt-out provision has no optout_notified_on (date notified to the PPC)",
            "オプトアウトによる提供に「オプトアウト届出日」がありません",
        ),
        "before_notified": (
            "provided on {provided_on} under opt-out provision {provision}, before it was notified to the PPC on {notified_on}",
            "オプトアウトによる提供 {provision} の提供日 {provided_on} が「オプトアウト届出日」{notified_on} より前です",
        ),
    },
)
_PRV_004_CASES = {
    "opt_out_source": ("was itself received by opt-out", "オプトアウトにより取得したものです"),
    "no_purpose": (
        "has no purpose that includes provision to third parties",
        "第三者提供を含む利用目的（「第三者提供の明示」が『○』のもの）がありません",
    ),
}
PRV_004 = rule(
    "PRV-004", "error", "APPI Art 27(2)",
    title=("Opt-out from a dataset that does not allow it", "オプトアウトできないデータベースからの提供"),
    description=(
        "An `opt_out` provision from a dataset whose `source` is `opt_out`, or none of whose "
        "purposes has `third_party_provision`.",
        "オプトアウトによる提供の提供元データベースが、オプトアウトで取得したもの（「取得元」が"
        "『オプトアウトにより取得』）であるか、第三者提供を利用目的に含んでいない。",
    ),
    message=(
        "provisions {record}: dataset {value} {problem}.",
        "データ提供 {record}：提供元データベース {value} は{problem}。",
    ),
    hint=(
        "Do not provide this data by opt-out: obtain the principals' consent instead (or publish third-party provision as a purpose before collecting).",
        "このデータはオプトアウトでは提供できません。本人の同意を得て提供してください（または取得前に第三者提供を利用目的として公表してください）。",
    ),
    cases={
        **_PRV_004_CASES,
        "opt_out_source_and_no_purpose": (
            f"{_PRV_004_CASES['opt_out_source'][0]} and {_PRV_004_CASES['no_purpose'][0]}",
            f"{_PRV_004_CASES['opt_out_source'][1]}。また、{_PRV_004_CASES['no_purpose'][1]}",
        ),
    },
)
PRV_005 = rule(
    "PRV-005", "error", "APPI Rules Art 19(2),(3)",
    title=("Bulk or contract record for opt-out", "オプトアウトでの一括記録・契約書代替"),
    description=(
        "`record_method` `bulk` or `contract` on an `opt_out` provision; the records are made "
        "`each` instead.",
        "オプトアウトによる提供の「記録方法」が『一括記録』または『契約書等による代替』になっている（提供の都度の記録として作成する）。",
    ),
    message=(
        "provisions {record}: record_method {value} is not allowed for an opt-out provision; records are made each time instead.",
        "データ提供 {record}：オプトアウトによる提供では「記録方法」を『{method_ja}』にできません。記録は提供の都度作成します。",
    ),
    hint=("Set record_method to each.", "「記録方法」を『都度記録』にしてください。"),
)
PRV_006 = rule(
    "PRV-006", "error", "APPI Art 18(1)",
    title=("Provided items not held in the source dataset", "提供元データベースにない項目の提供"),
    description=(
        "The provision's items are not all held in its source dataset (skipped without `dataset_id`).",
        "提供する項目が提供元データベースの項目に含まれていない（提供元データベースの指定がない場合は確認しない）。",
    ),
    message=(
        "provisions {record}: items {items} are not held in dataset {dataset}.",
        "データ提供 {record}：項目 {items} は提供元データベース {dataset} にありません。",
    ),
    hint=(
        "Add the items to the dataset's item_ids if it holds them, or correct the provision's items or dataset.",
        "データベースがその項目を保有しているなら「個人情報データベース等」の「項目ID」に追加し、そうでなければ「提供項目ID」または「提供元データベースID」を訂正してください。",
    ),
)
# PRV-007 names the event's date against the provision's period (both bounds or one), its
# items outside the provision's, or both.
_PRV_007_DATE = {
    "period": (
        "provided on {provided_on}, outside the provision's period {starts_on} to {ends_on}",
        "「提供日」{provided_on} がデータ提供の期間（{starts_on}～{ends_on}）の外です",
    ),
    "period_from": (
        "provided on {provided_on}, outside the provision's period from {starts_on}",
        "「提供日」{provided_on} がデータ提供の期間（{starts_on}以降）の外です",
    ),
    "period_until": (
        "provided on {provided_on}, outside the provision's period until {ends_on}",
        "「提供日」{provided_on} がデータ提供の期間（{ends_on}まで）の外です",
    ),
}
_PRV_007_ITEMS = (
    "items {items} are not among the provision's items",
    "項目 {items} はデータ提供の項目にありません",
)
PRV_007 = rule(
    "PRV-007", "error", "APPI Art 29(1)",
    title=("Log event outside its provision", "提供の範囲外の提供実績"),
    description=(
        "A log event dated outside the provision's `starts_on`–`ends_on`, or with items outside "
        "the provision's items.",
        "「提供実績」の「提供日」がデータ提供の「提供開始日」～「提供終了日」の外にある、または提供項目にない項目を提供している。",
    ),
    message=(
        "provision_log event {record} (provision {provision}): {problem}.",
        "提供実績 {record}（データ提供 {provision}）：{problem}。",
    ),
    hint=(
        "Correct the event, or widen the provision's period or items if the provision really covers it.",
        "提供実績を訂正するか、実際にその提供が含まれるならデータ提供の期間または項目を修正してください。",
    ),
    per_event=True,
    cases={
        **_PRV_007_DATE,
        "items": _PRV_007_ITEMS,
        **{
            f"{k}_and_items": (f"{en}; {_PRV_007_ITEMS[0]}", f"{ja}。また、{_PRV_007_ITEMS[1]}")
            for k, (en, ja) in _PRV_007_DATE.items()
        },
    },
)
PRV_010 = rule(
    "PRV-010", "error", "APPI Art 27(2)",
    title=("Opt-out provision without a source dataset", "提供元データベースのないオプトアウト提供"),
    description=(
        "An `opt_out` provision without `dataset_id`: its source and purposes cannot be verified.",
        "オプトアウトによる提供に提供元データベースの指定がなく、取得元と利用目的を確認できない。",
    ),
    message=(
        "provisions {record}: the opt-out provision names no source dataset (dataset_id is empty).",
        "データ提供 {record}：オプトアウトによる提供に提供元データベースの指定がありません。",
    ),
    hint=("Enter the dataset the data comes from in dataset_id.", "提供するデータの提供元データベースを「提供元データベースID」に指定してください。"),
)


def check(reg: Register, ctx=None) -> Iterator[Finding]:
    """Every PRV finding that does not depend on the routes."""
    t = reg["provisions"]
    if not t.present or len(t) == 0:
        return
    datasets = reg["datasets"].by_key
    purposes = reg["purposes"].by_key
    known_items = reg["data_items"].by_key
    notified: dict[str, tuple] = {}  # opt-out provisions: (notified_on, None)
    windows: dict[str, tuple] = {}  # provisions with a period: (starts_on, ends_on)
    item_lists: dict[str, list[str]] = {}
    for i, p in enumerate(t.rows):
        pid = p.get("provision_id")
        if pid is None:
            continue
        s = flows.item_set(reg, flows.items_of(p), p.get("dataset_id"))
        if s.person_related or s.not_personal_information:
            continue  # PRI applies or no personal information; of PRV only PRV-008 (docs/web.md §8)
        ds = datasets.get(p.get("dataset_id")) if p.get("dataset_id") else None
        if not s.my_number_only:
            yield from _consent_and_opt_out(reg, t, i, p, s, ds, purposes, notified)
        if ds is not None:
            held = set(flows.items_of(ds))
            missing = [x for x in s.items if x not in held and x in known_items]
            if missing:
                yield t.finding(PRV_006, i, "item_ids", items=missing, dataset=ds["dataset_id"])
                if ctx is not None and clients.held_data(reg).is_return(pid):
                    # our own data added to a return: it is no return (docs/joint-use.md §3,
                    # Q&A 7-42)
                    ctx.fail_route(pid, PRV_006.id)
        if p.get("starts_on") is not None or p.get("ends_on") is not None:
            windows[pid] = (p.get("starts_on"), p.get("ends_on"))
        if s.items:
            item_lists[pid] = list(s.items)
    yield from _opt_out_events(reg, notified)
    yield from _events_outside(reg, windows, item_lists)


def _consent_and_opt_out(reg, t, i, p, s, ds, purposes, notified) -> Iterator[Finding]:
    basis = p.get("basis")
    if basis == "consent" and p.get("consent") is not True and not flows.invalid(t, i, "consent"):
        yield t.finding(PRV_001, i, "consent", value=p.get("consent"))
    if basis != "opt_out":
        return
    if s.special_care:
        yield t.finding(PRV_002, i, "item_ids", items=list(s.special_care))
    if p.get("optout_notified_on") is None:
        if not flows.invalid(t, i, "optout_notified_on"):
            yield t.finding(
                PRV_003, i, "optout_notified_on", table_ja=t.spec.label_ja, case="not_notified",
            )
    else:
        notified[p["provision_id"]] = (p["optout_notified_on"], None)
    if ds is not None:
        problems = []
        if ds.get("source") == "opt_out":
            problems.append("opt_out_source")
        if not any(
            (purposes.get(u) or {}).get("third_party_provision") is True
            for u in flows.items_of(ds, "purpose_ids")
        ):
            problems.append("no_purpose")
        if problems:
            yield t.finding(PRV_004, i, "dataset_id", case="_and_".join(problems))
    elif p.get("dataset_id") is None and not flows.invalid(t, i, "dataset_id"):
        yield t.finding(PRV_010, i, "dataset_id")
    method = p.get("record_method")
    if method in ("bulk", "contract"):
        yield t.finding(
            PRV_005, i, "record_method", value=method,
            method_ja=t.spec.column("record_method").enum_labels_ja.get(method, method),
        )


def _opt_out_events(reg: Register, notified: dict[str, tuple]) -> Iterator[Finding]:
    log = reg["provision_log"]
    bad = flows.events_where(reg, notified)
    for n, row in enumerate(bad.iter_rows(named=True)):
        yield flows.log_finding(
            PRV_003, n, log, row["i"], row["event_id"], "provided_on",
            lambda row=row: dict(
                table_ja=log.spec.label_ja, value=row["provided_on"], case="before_notified",
                provided_on=row["provided_on"], provision=row["provision_id"],
                notified_on=row["lo"],
            ),
        )


def _events_outside(reg: Register, windows: dict[str, tuple], item_lists: dict[str, list[str]]
                    ) -> Iterator[Finding]:
    log = reg["provision_log"]
    found: dict[str, dict] = {}
    for row in flows.events_where(reg, windows).iter_rows(named=True):
        lo, hi = row["lo"], row["hi"]
        found[row["event_id"]] = {
            "i": row["i"], "field": "provided_on", "provision": row["provision_id"],
            "value": row["provided_on"],
            "case": "period" if lo is not None and hi is not None
            else "period_from" if lo is not None else "period_until",
            "params": {"provided_on": row["provided_on"], "starts_on": lo, "ends_on": hi},
        }
    if item_lists:
        # (flat columns: a column of a thousand Python lists cost 30 ms to build)
        allowed = pl.DataFrame(
            {"provision_id": [p for p, items in item_lists.items() for _ in items],
             "item": [item for items in item_lists.values() for item in items]},
            schema={"provision_id": pl.Utf8, "item": pl.Utf8},
        )
        ev = flows.events(reg).select("event_id", "i", "provision_id")
        named = flows.event_items(reg).join(ev, on="event_id", how="inner")
        named = named.filter(pl.col("provision_id").is_in(list(item_lists)))
        outside = (
            named.join(allowed, on=["provision_id", "item"], how="anti")
            .group_by("event_id")
            .agg(pl.col("i").first(), pl.col("provision_id").first(), pl.col("item").unique().sort())
            .sort("i")
        )
        for eid, i, pid, extra in outside.iter_rows():
            f = found.get(eid)
            if f is None:
                found[eid] = {"i": i, "field": "item_ids", "provision": pid, "value": None,
                              "case": "items", "params": {"items": list(extra)}}
            else:
                f["case"] += "_and_items"
                f["params"]["items"] = list(extra)
    for n, (eid, f) in enumerate(sorted(found.items(), key=lambda kv: kv[1]["i"])):
        yield flows.log_finding(
            PRV_007, n, log, f["i"], eid, f["field"],
            lambda f=f: dict(
                provision=f["provision"], case=f["case"], **f["params"],
                **({"value": f["value"]} if f["value"] is not None else {}),
            ),
        )
