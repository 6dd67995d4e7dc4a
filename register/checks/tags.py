"""EXT: web tags and the external-transmission rule, and flows that need no APPI route
(docs/web.md §4, §5, §7).

The rules on the Telecommunications Business Act (EXT-001…004) are warnings: its text was read
only in secondary sources (docs/web.md §12). EXT-005 is an error: a flow of personal data with basis
`none` has no route at all (APPI Art 27(1), 28(1), 30(1)). EXT-006 and EXT-007 warn where the
register cannot decide (two datasets readily collated; a tag that may carry data we hold).
"""

from __future__ import annotations

from collections.abc import Iterator

from ..facts import context, flows
from ..facts import tags as tag_facts
from ..findings import Finding, rule
from ..model import Register

EXT_001 = rule(
    "EXT-001", "warning", "TBA Art 27-12",
    title=("External transmission not announced in time", "外部送信の公表がない又は遅れている"),
    description=(
        "A tag that needs the notice (live, on a covered service, no exemption that holds) is "
        "on a covered service whose `notice_on` is empty, later than the as-of date, or — when "
        "`added_on` is given — later than `added_on` or 2023-06-16 (the day TBA Art 27-12 took "
        "effect), whichever is later. One finding per tag.",
        "通知又は公表が必要なタグ（設置中で、対象役務のサービスにあり、適用除外に当たらないもの）について、"
        "「提供サービス」の「外部送信の公表日」が空欄、基準日より後、又は「設置日」（2023-06-16より前の場合は"
        "同日）より後である。タグごとに1件。",
    ),
    message=(
        "tags {record} ({module}): the tag needs the external-transmission notice, but on service {service} {problem}.",
        "外部送信 {record}（{module}）：通知又は公表が必要なタグですが、「提供サービス」{service} の{problem}。",
    ),
    hint=(
        "Publish, per tag, the information sent, the recipient's name and both purposes on the service's notice page before the tag runs; enter notice_url and notice_on in services.",
        "タグごとに、送信される情報、送信先の名称、当社と送信先の利用目的を、タグを動かす前に公表し、「提供サービス」の「外部送信の公表ページ」と「外部送信の公表日」を記入してください。",
    ),
    cases={
        "not_published": (
            "notice_on is empty: the information sent, its recipient and the purposes are not published",
            "「外部送信の公表日」が空欄で、送信される情報・送信先・利用目的が公表されていません",
        ),
        "after_as_of": (
            "the notice is published only on {notice_on}, after the as-of date {as_of}",
            "「外部送信の公表日」{notice_on} が基準日 {as_of} より後です",
        ),
        "late": (
            "the notice was published on {notice_on}, after {due} (the tag's added_on, or 2023-06-16 if later)",
            "「外部送信の公表日」{notice_on} が期限 {due}（「設置日」と規律の施行日2023-06-16の遅い方）より後です",
        ),
    },
)
EXT_002 = rule(
    "EXT-002", "warning", "TBA Rules Art 22-2-29(iii)",
    title=("External transmission without both purposes", "外部送信の利用目的の記載がない"),
    description=(
        "A tag that needs the notice has an empty `purpose_ours` or `purpose_recipient`: the "
        "notice gives, per tag, both the organization's and the recipient's purposes.",
        "通知又は公表が必要なタグで「当社の利用目的」又は「送信先の利用目的」が空欄である。公表事項には"
        "タグごとに当社と送信先の双方の利用目的が必要。",
    ),
    message=(
        "tags {record} ({module}): the tag needs the external-transmission notice, but {problem}.",
        "外部送信 {record}（{module}）：通知又は公表が必要なタグですが、{problem}。",
    ),
    hint=(
        "Enter why the organization places the tag (purpose_ours) and what the recipient uses the information for (purpose_recipient), as the notice states them.",
        "公表する内容のとおり、当社がタグを設置する目的を「当社の利用目的」に、送信先が情報を利用する目的を「送信先の利用目的」に記入してください。",
    ),
    cases={
        "ours": ("purpose_ours (why we place the tag) is empty", "「当社の利用目的」が空欄です"),
        "recipient": (
            "purpose_recipient (what the recipient uses the information for) is empty",
            "「送信先の利用目的」が空欄です",
        ),
    },
)
EXT_003 = rule(
    "EXT-003", "warning", "TBA Art 27-12 proviso (ii),(iv)",
    title=("Exemption from the notice that cannot hold", "成り立たない外部送信の適用除外"),
    description=(
        "A live tag on a covered service claims an exemption that cannot hold: `first_party_id` "
        "with a `recipient_party_id` other than `self`, or `opt_out` with an empty `opt_out_url`.",
        "対象役務のサービスに設置中のタグで、送信先が当社自身でないのに「適用除外」が『当社が送信した識別符号』、"
        "又は「オプトアウト方法」が空欄なのに『オプトアウト措置』である。",
    ),
    message=("tags {record} ({module}): {problem}.", "外部送信 {record}（{module}）：{problem}。"),
    hint=(
        "Set exemption to none and publish the tag's matters.",
        "「適用除外」を『適用除外なし』にし、タグの事項を公表してください。",
    ),
    cases={
        "first_party_id": (
            "the exemption is first_party_id, but the tag sends to {recipient}, not to the organization itself: the exemption covers only our own identifier sent back to us",
            "「適用除外」が『当社が送信した識別符号』ですが、送信先は {recipient} で当社自身（『self』）ではありません。この適用除外は当社が送信した識別符号を当社に送信させる場合に限られます",
        ),
        "opt_out": (
            "the exemption is opt_out, but opt_out_url is empty: no opt-out method is published",
            "「適用除外」が『オプトアウト措置』ですが、「オプトアウト方法」が空欄で、オプトアウトの方法が公表されていません",
        ),
    },
    case_hints={
        "opt_out": (
            "Publish how users stop the transmission and enter it in opt_out_url, or set exemption to none.",
            "利用者が送信を停止する方法を公表して「オプトアウト方法」に記入するか、「適用除外」を『適用除外なし』にしてください。",
        ),
    },
)
EXT_004 = rule(
    "EXT-004", "info", "TBA Art 27-12",
    title=("Service not yet judged under the external-transmission rule", "外部送信規律の対象か未判定のサービス"),
    description=(
        "A service with `category` `unknown` carries at least one live tag.",
        "「対象役務の区分」が『未判定』のサービスに設置中のタグがある。",
    ),
    message=(
        "services {record}: the category is unknown, but live tags run on it ({tags}): whether the external-transmission rule applies is not decided.",
        "提供サービス {record}：「対象役務の区分」が『未判定』ですが、設置中のタグ（{tags}）があります。外部送信規律の対象かどうか判定されていません。",
    ),
    hint=(
        "Decide which service of TBA Rules Art 22-2-27 it is, or why it is outside the rule, and set category.",
        "電気通信事業法施行規則第22条の2の27のどの役務に当たるか、又は対象外である理由を判定し、「対象役務の区分」を記入してください。",
    ),
)
EXT_005 = rule(
    "EXT-005", "error", "APPI Art 27(1), 28(1), 30(1)",
    title=("Personal data with no route", "経路のない個人データの提供・受領"),
    description=(
        "Basis `none` on a provision that carries personal data and is not from a `pseudonymised` "
        "dataset (ANO-001 reports those), or on a receipt whose items are not all "
        "`person_related` in the context of its dataset and whose dataset is not `anonymised` or "
        "`statistics`.",
        "個人データを提供しているのに「提供の根拠」が『個人データの提供に当たらない』である（仮名加工情報を除く）、"
        "又は受入先のデータベースで個人データとなる項目を受領しているのに「受領の根拠」が"
        "『個人データの提供に当たらない』である。",
    ),
    message=("{table} {record}: {problem}.", "{table_ja} {record}：{problem}。"),
    hint=(
        "Give the flow its real route (consent, entrustment, joint use, …) in basis, or remove the personal items from it.",
        "実際の根拠（本人の同意、委託、共同利用など）を記入するか、個人データの項目を外してください。",
    ),
    cases={
        "provision": (
            "basis is none, but the provision carries personal data ({items}) in the context of its dataset: it needs a route of APPI Art 27",
            "「提供の根拠」が『個人データの提供に当たらない』ですが、提供元データベースでは個人データである項目（{items}）を提供しています",
        ),
        "receipt": (
            "basis is none, but the received items {items} are personal data in the dataset they went into",
            "「受領の根拠」が『個人データの提供に当たらない』ですが、受領した項目（{items}）は受入先のデータベースで個人データです",
        ),
    },
)
EXT_006 = rule(
    "EXT-006", "warning", "APPI Art 2(1)(i); PPC GL (General Rules) 2-1 ※4",
    title=("Person-related here, identifying elsewhere", "他のデータベースでは個人を識別できる項目"),
    description=(
        "A provision from a dataset with processing `none` carries an item that is "
        "`person_related` in that dataset, while another dataset with processing `none` or "
        "`pseudonymised` holds the same item together with a `personal`, `special_care` or "
        "`my_number` item. One finding per provision.",
        "「加工区分」が『加工なし』のデータベースから個人関連情報として提供している項目を、別のデータベース"
        "（『加工なし』又は『仮名加工情報』）が個人を識別できる項目とともに保有している。提供ごとに1件。",
    ),
    message=(
        "provisions {record}: {items} is person-related in dataset {dataset}, but {others} holds it with identifying items; if the datasets can be readily collated, this is a provision of personal data.",
        "データ提供 {record}：項目 {items} は提供元データベース {dataset} では個人関連情報ですが、{others} では個人を識別できる項目とともに保有しています。容易に照合できる場合は個人データの提供に当たります。",
    ),
    hint=(
        "Check whether the datasets can be readily collated (shared identifiers, access rights). If they can, give the provision a route for personal data (consent, entrustment, …); if not, record how they are kept apart.",
        "データベース同士を容易に照合できるか（共通の識別子、アクセス権限）を確認してください。照合できる場合は個人データの提供として本人の同意等の根拠を整え、できない場合は分離の方法を記録してください。",
    ),
)
EXT_007 = rule(
    "EXT-007", "warning", "APPI Art 27(1)",
    title=("Tag sending personal information with no provision", "個人情報を送信するのに提供の登録がないタグ"),
    description=(
        "A tag without `provision_id`, whose `recipient_party_id` is not `self`, sends an item "
        "whose own class is `personal`, `special_care` or `my_number`: if the organization "
        "sends data it holds through the tag, that is its provision.",
        "「対応するデータ提供」が空欄で送信先が当社自身でないタグが、それ自体が個人情報である項目を送信している。"
        "当社が保有する情報をタグで送信しているなら当社の提供に当たる。",
    ),
    message=(
        "tags {record} ({module}): it sends {items}, personal information on its own, to {recipient}, and no provision_id names our provision.",
        "外部送信 {record}（{module}）：それ自体が個人情報である項目 {items} を {recipient} に送信していますが、「対応するデータ提供」が空欄です。",
    ),
    hint=(
        "If the page hands data we hold (an e-mail address, a member ID) to the tag, enter that provision with dataset_id, basis and linkage_expected and name it in provision_id; if the vendor's code only reads what it collects itself, remove those items.",
        "当社が保有する情報（メールアドレス、会員IDなど）をタグに渡している場合は、その提供を「データ提供」に登録し（「提供元データベースID」「提供の根拠」「個人データとしての取得の想定」を記入）、「対応するデータ提供」に指定してください。送信先のコードが自ら取得するだけなら、その項目を「送信される情報」から外してください。",
    ),
)


def check(reg: Register, ctx) -> Iterator[Finding]:
    """Every EXT finding."""
    yield from _tags(reg, ctx)
    yield from _services(reg, ctx)
    yield from _no_route(reg)
    yield from _collatable(reg)


def _tags(reg: Register, ctx) -> Iterator[Finding]:
    t = reg["tags"]
    facts = tag_facts.tag_facts(reg, ctx.as_of)
    for f in facts.values():
        row = t.rows[f.row]
        module = row.get("module_name") or f.tag_id
        late = tag_facts.late_notice(reg, f, row, ctx.as_of)
        if late:
            sid, notice_on, due = late[0]
            case = ("not_published" if notice_on is None
                    else "after_as_of" if notice_on > ctx.as_of else "late")
            yield t.finding(EXT_001, f.row, "service_ids", module=module, service=sid,
                            case=case, notice_on=notice_on, as_of=ctx.as_of, due=due)
        if f.needs_notice:
            for column, case in (("purpose_ours", "ours"), ("purpose_recipient", "recipient")):
                if not row.get(column):
                    yield t.finding(EXT_002, f.row, column, module=module, case=case)
        failed = tag_facts.exemption_fails(f, row)
        if failed:
            yield t.finding(EXT_003, f.row, "exemption", module=module, case=failed,
                            recipient=row.get("recipient_party_id"))
        if f.direct_collection and not f.to_self:
            items = tag_facts.sends_own_personal_items(reg, row)
            if items:
                yield t.finding(EXT_007, f.row, "item_ids", module=module, items=items,
                                recipient=row.get("recipient_party_id"))


def _services(reg: Register, ctx) -> Iterator[Finding]:
    s = reg["services"]
    if not s.present or len(s) == 0:
        return
    live: dict[str, list[str]] = {}
    for f in tag_facts.tag_facts(reg, ctx.as_of).values():
        if f.live:
            for sid in dict.fromkeys(f.services):
                live.setdefault(sid, []).append(f.tag_id)
    for i, row in enumerate(s.rows):
        sid = row.get("service_id")
        # an invalid category is SCH-004's finding and is treated as unknown without EXT-004
        if sid is not None and row.get("category") == "unknown" and live.get(sid) \
                and s.index_of(sid) == i:
            yield s.finding(EXT_004, i, "category", tags=live[sid])


def _no_route(reg: Register) -> Iterator[Finding]:
    """EXT-005: basis `none` on a flow that carries personal data."""
    for table, key, case in (("provisions", "provision_id", "provision"),
                             ("receipts", "receipt_id", "receipt")):
        t = reg[table]
        for i, row in enumerate(t.rows):
            if row.get("basis") != "none" or row.get(key) is None:
                continue
            s = flows.item_set(reg, flows.items_of(row), row.get("dataset_id"))
            if s.not_personal_information or (case == "provision" and s.processing == "pseudonymised"):
                continue  # no personal information; or ANO-001's
            personal = _identifying(reg, s, row.get("dataset_id"))
            if personal:
                yield t.finding(EXT_005, i, "basis", table_ja=t.spec.label_ja, case=case,
                                items=personal)


def _identifying(reg: Register, s: flows.ItemSet, dataset_id: str | None) -> list[str]:
    """The items of a flow that are personal, special-care or My Number in its context."""
    ds = dataset_id if context.is_known_dataset(reg, dataset_id) else None
    return [i for i in s.items if context.class_in(reg, i, ds) in context.IDENTIFYING]


def _collatable(reg: Register) -> Iterator[Finding]:
    """EXT-006: person-related in the source dataset, identifying in another one."""
    t = reg["provisions"]
    for i, p in enumerate(t.rows):
        if p.get("provision_id") is None or t.index_of(p["provision_id"]) != i:
            continue
        shared = context.shared_elsewhere(reg, p)
        if shared:
            others = sorted({d for ds in shared.values() for d in ds})
            yield t.finding(EXT_006, i, "item_ids", items=list(shared), dataset=p["dataset_id"],
                            others=others)
