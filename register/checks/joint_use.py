"""JNT: joint use (APPI Art 27(5)(iii); My Number Act Art 19; rules.md §1 JNT).

JNT-001 (for the provision's joint use), JNT-002, JNT-003 and JNT-005 break the joint-use route
(rules.md §2 step 5): the flow is then an ordinary provision to a third party.
"""

from __future__ import annotations

from collections.abc import Iterator

from .. import schema
from ..facts import flows
from ..facts.joint_uses import joint_use_matters
from ..findings import Finding, rule
from ..model import Register

JNT_001 = rule(
    "JNT-001", "error", "APPI Art 27(5)(iii)",
    title=("Joint use without a required published matter", "共同利用の公表事項の不足"),
    description=(
        "A joint use lacks one of the five matters the law requires published in advance: the "
        "fact of joint use (`notified_on`), the items, the users' scope, the purposes, and the "
        "manager's name and address (for a corporation also its representative).",
        "共同利用について、あらかじめ本人に通知し又は容易に知り得る状態に置くべき5つの事項（共同利用する旨（通知日）、"
        "項目、共同利用者の範囲、利用目的、管理責任者の氏名・名称及び住所（法人は代表者の氏名））のいずれかが欠けている。",
    ),
    message=("joint_uses {record}: {problem}.", "共同利用 {record}：{problem}。"),
    cases={
        "notified_on": ("the fact of joint use was not notified (notified_on is empty)", "共同利用する旨の通知・公表日がありません"),
        "item_ids": ("the jointly used items are not given", "共同利用する項目がありません"),
        "users_scope": ("the scope of the joint users is not given", "共同利用者の範囲がありません"),
        "purpose_ids": ("the users' purposes are not given", "利用目的がありません"),
        "manager_party_id": ("no manager responsible for the data is named", "管理責任者の指定がありません"),
        "manager_identity": (
            "manager {manager} has no {missing}",
            "管理責任者 {manager} の{missing_ja}がありません",
        ),
    },
    hint=(
        "Publish or notify the missing matter before the joint use starts and enter it here; until then the flow is a provision to a third party.",
        "欠けている事項を共同利用の開始前に通知・公表し、ここに記入してください。それまでは第三者提供として扱われます。",
    ),
)
JNT_002 = rule(
    "JNT-002", "error", "APPI Art 27(5)(iii)",
    title=("Joint use before its notification", "通知・公表前の共同利用"),
    description=(
        "A log event under a joint use dated before the joint use's `notified_on`.",
        "共同利用の通知・公表日より前に、その共同利用として提供している。",
    ),
    message=(
        "provision_log event {record} (provision {provision}): provided on {value}, before joint use {joint_use} was notified on {notified_on}.",
        "提供実績 {record}（データ提供 {provision}）：提供日 {value} は共同利用 {joint_use} の通知・公表日 {notified_on} より前です。",
    ),
    hint=(
        "Correct the date, or the joint use's notified_on; data shared before the notice needs the principals' consent.",
        "日付または共同利用の通知・公表日を訂正してください。通知前の提供には本人の同意が必要です。",
    ),
    per_event=True,
)
JNT_003 = rule(
    "JNT-003", "error", "APPI Art 27(5)(iii)",
    title=("Provision outside its joint use", "共同利用の範囲外の提供"),
    description=(
        "A provision under a joint use carries items outside the joint use's items, or goes to a "
        "party outside `user_party_ids` (when listed).",
        "共同利用としての提供に、共同利用の項目にない項目が含まれている、または提供先が共同利用者（記載がある場合）に含まれない。",
    ),
    message=("provisions {record}: {problem}.", "データ提供 {record}：{problem}。"),
    cases={
        "items": ("items {items} are not among joint use {joint_use}'s items", "項目 {items} は共同利用 {joint_use} の項目にありません"),
        "recipient": ("recipient {recipient} is not among joint use {joint_use}'s users", "提供先 {recipient} は共同利用 {joint_use} の共同利用者に含まれていません"),
    },
    hint=(
        "Share only the published items with the listed users; anything else needs the principals' consent.",
        "公表した項目を公表した共同利用者とだけ共有してください。それ以外は本人の同意が必要です。",
    ),
)
JNT_004 = rule(
    "JNT-004", "error", "My Number Act Art 19",
    title=("My Number in a joint use", "個人番号の共同利用"),
    description=(
        "A joint use includes a `my_number` item: specific personal information cannot be jointly used.",
        "共同利用の項目に個人番号（特定個人情報）が含まれている。特定個人情報は共同利用できない。",
    ),
    message=(
        "joint_uses {record}: the joint use includes My Number items {items}.",
        "共同利用 {record}：共同利用の項目に個人番号の項目 {items} が含まれています。",
    ),
    hint=(
        "Remove the My Number items from the joint use; provide them only as the My Number Act Art 19 allows.",
        "個人番号の項目を共同利用から外し、番号法第19条で認められる場合にだけ提供してください。",
    ),
)
JNT_005 = rule(
    "JNT-005", "error", "APPI Art 27(5)(iii)",
    title=("Joint-use basis without a joint use", "共同利用の指定のない共同利用"),
    description=(
        "A provision with basis `joint_use` names no `joint_use_id`.",
        "提供根拠が共同利用なのに、共同利用の指定がない。",
    ),
    message=(
        "provisions {record}: the basis is joint_use but joint_use_id is empty.",
        "データ提供 {record}：提供根拠は共同利用ですが、共同利用の指定がありません。",
    ),
    hint=("Name the joint use in joint_use_id, or record the real basis.", "「共同利用」に該当する共同利用を指定するか、実際の提供根拠を記入してください。"),
)


def check(reg: Register, ctx) -> Iterator[Finding]:
    """Every JNT finding; JNT-001/002/003/005 also mark the provision's route as failed."""
    lacking = yield from _joint_uses(reg)
    yield from _provisions(reg, ctx, lacking)


def _joint_uses(reg: Register):
    """Findings about joint_uses rows; returns the IDs of joint uses lacking a matter."""
    lacking: set[str] = set()
    t = reg["joint_uses"]
    if not t.present or len(t) == 0:
        return lacking
    mn = flows.my_number_items(reg)
    facts = joint_use_matters(reg)
    for i, j in enumerate(t.rows):
        jid = j.get("joint_use_id")
        if jid is None:
            continue
        jf = facts.get(jid)
        if jf is not None and jf.row == i and not jf.complete:
            lacking.add(jid)
            yield from _missing_matters(t, jf)
        my_numbers = [x for x in flows.items_of(j) if x in mn]
        if my_numbers:
            yield t.finding(JNT_004, i, "item_ids", items=my_numbers)
    return lacking


def _missing_matters(t, jf) -> Iterator[Finding]:
    """JNT-001 for each matter the joint use lacks (facts.joint_uses decides which)."""
    parties = schema.table("parties")
    for m in jf.matters:
        if not m.given:
            yield t.finding(JNT_001, jf.row, m.column, case=m.column)
        elif m.missing:
            yield t.finding(
                JNT_001, jf.row, m.column, case="manager_identity",
                manager=t.rows[jf.row]["manager_party_id"],
                missing=" and ".join(m.missing),
                missing_ja="".join(f"「{parties.column(c).label_ja}」" for c in m.missing),
            )


def _provisions(reg: Register, ctx, lacking: set[str]) -> Iterator[Finding]:
    t = reg["provisions"]
    if not t.present or len(t) == 0:
        return
    uses = reg["joint_uses"].by_key
    known_items = reg["data_items"].by_key
    windows: dict[str, tuple] = {}
    use_of: dict[str, str] = {}
    for i, p in enumerate(t.rows):
        pid = p.get("provision_id")
        if pid is None or p.get("basis") != "joint_use":
            continue
        jid = p.get("joint_use_id")
        if jid is None:
            if not flows.invalid(t, i, "joint_use_id"):
                ctx.fail_route(pid, JNT_005.id)
                yield t.finding(JNT_005, i, "joint_use_id")
            continue
        j = uses.get(jid)
        if j is None:
            continue  # REF-002
        if jid in lacking:
            ctx.fail_route(pid, JNT_001.id)
        allowed = flows.items_of(j)
        if allowed:  # no items at all is JNT-001
            extra = [x for x in flows.items_of(p) if x not in allowed and x in known_items]
            if extra:
                ctx.fail_route(pid, JNT_003.id)
                yield t.finding(JNT_003, i, "item_ids", case="items", items=extra, joint_use=jid)
        users = flows.items_of(j, "user_party_ids")
        if users and p.get("party_id") is not None and p["party_id"] not in users:
            ctx.fail_route(pid, JNT_003.id)
            yield t.finding(
                JNT_003, i, "party_id", case="recipient", recipient=p["party_id"], joint_use=jid
            )
        if j.get("notified_on") is not None:
            windows[pid] = (j["notified_on"], None)
            use_of[pid] = jid
    bad = flows.events_where(reg, windows)
    if bad.height == 0:
        return
    for pid in bad["provision_id"].unique().to_list():
        ctx.fail_route(pid, JNT_002.id)
    log = reg["provision_log"]
    for n, row in enumerate(bad.iter_rows(named=True)):
        yield flows.log_finding(
            JNT_002, n, log, row["i"], row["event_id"], "provided_on",
            lambda row=row: dict(
                value=row["provided_on"], provision=row["provision_id"],
                joint_use=use_of[row["provision_id"]], notified_on=row["lo"],
            ),
        )
