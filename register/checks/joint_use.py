"""JNT: joint use (APPI Art 27(5)(iii), 27(6); My Number Act Art 19; docs/rules.md JNT).

JNT-001 and JNT-006 (for the provision's joint use), JNT-002, JNT-003 (as in force on each event
date), JNT-005, and a log event inside a JNT-008 window or on or after a JNT-010 / JNT-011
change break the joint-use route (docs/routes-and-records.md §2): the flow is then an ordinary
provision to a third party. JNT-007, JNT-009 and JNT-012 never do (docs/joint-use.md §3). What a
change means and what a scope says are facts of `facts.joint_uses`; this module only words them.
"""

from __future__ import annotations

from collections.abc import Iterator

from .. import schema
from ..facts import flows
from ..facts import joint_uses as ju
from ..facts.joint_uses import joint_use_matters
from ..findings import Finding, rule
from ..model import Register

JNT_001 = rule(
    "JNT-001", "error", "APPI Art 27(5)(iii)",
    title=("Joint use without a required published matter", "共同利用の公表事項の不足"),
    description=(
        "A joint use lacks one of the five matters the law requires published in advance: the "
        "fact of joint use (`notified_on`), the items, the users' scope, the purposes, and the "
        "manager's name and address (for a corporation also its representative) — for every "
        "manager in force on the as-of date or later. The manager's address (or a "
        "corporation's representative) also counts as missing when "
        "`manager_address_published` (`manager_representative_published`) is false.",
        "共同利用について、あらかじめ本人に通知し又は容易に知り得る状態に置くべき5つの事項（共同利用する旨（通知日）、"
        "項目、共同利用者の範囲、利用目的、管理責任者の氏名・名称及び住所（法人は代表者の氏名））のいずれかが欠けている"
        "（基準日以降に管理責任者である者のすべてについて判定）。「管理責任者の住所の公表」又は「管理責任者の代表者氏名の公表」"
        "が『×』の場合も欠けているものとする。",
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
        "earlier_manager_identity": (
            "manager {manager}, in force until change {change} on {until}, has no {missing}",
            "変更 {change}（{until}）まで管理責任者である {manager} の{missing_ja}がありません",
        ),
        "unpublished": (
            "the {detail} of manager {manager} is not published ({field} is false)",
            "管理責任者 {manager} の{detail_ja}が公表されていません（「{label}」が『×』）",
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
        "party outside `user_party_ids` (when listed), as in force on the date of each of its "
        "log events (on the as-of date for a provision without events).",
        "共同利用としての提供に、提供日時点の共同利用の項目にない項目が含まれている、または提供先が提供日時点の共同利用者"
        "（列挙がある場合）に含まれない（提供実績がない提供は基準日時点で判定）。",
    ),
    message=("provisions {record}: {problem}.", "データ提供 {record}：{problem}。"),
    cases={
        "items": ("items {items} are not among joint use {joint_use}'s items", "項目 {items} は共同利用 {joint_use} の項目にありません"),
        "recipient": ("recipient {recipient} is not among joint use {joint_use}'s users", "提供先 {recipient} は共同利用 {joint_use} の共同利用者に含まれていません"),
        "items_on": (
            "items {items} were not among joint use {joint_use}'s items on {date}",
            "項目 {items} は {date} 時点で共同利用 {joint_use} の項目にありません",
        ),
        "recipient_on": (
            "recipient {recipient} was not among joint use {joint_use}'s users on {date}",
            "提供先 {recipient} は {date} 時点で共同利用 {joint_use} の共同利用者に含まれていません",
        ),
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

JNT_006 = rule(
    "JNT-006", "error", "APPI Art 27(5)(iii)",
    title=("Joint users' scope names third parties", "第三者を含む共同利用者の範囲"),
    description=(
        "A joint use's `users_scope`, or the `before_users_scope` of one of its valid changes, "
        "names third parties (e.g. \"our affiliates and other third parties\"): principals "
        "cannot tell which businesses use the data, so the joint use never held and every "
        "provision under it needs consent and a record.",
        "「共同利用」の「共同利用者の範囲」又は「共同利用の変更」の「変更前の共同利用者の範囲」に、第三者を含む記載"
        "（例：当社の関連会社その他の第三者）がある。本人がどの事業者が利用するのか判断できず、共同利用に当たらないため、"
        "その共同利用としての提供はすべて本人の同意と記録が必要になる。",
    ),
    message=(
        "{table} {record}: the joint users' scope \"{value}\" names third parties, so principals cannot tell which businesses use the data; joint use {joint_use} is no joint use.",
        "{table_ja} {record}：「{label}」『{value}』は第三者を含み、本人がどの事業者が利用するのか判断できないため、共同利用 {joint_use} は共同利用に当たりません。",
    ),
    hint=(
        "Name the joint users, or a group whose members principals can tell (e.g. consolidated subsidiaries listed on the page the notice points to), and notify or publish it; until then provide the data only with the principals' consent.",
        "共同利用者を列挙するか、本人が判断できる範囲（通知・公表文から参照するページに列挙した連結子会社など）に改めて通知・公表してください。それまでは本人の同意を得て提供してください。",
    ),
)
JNT_007 = rule(
    "JNT-007", "warning", "APPI Art 27(5)(iii)",
    title=("Joint users' scope is an open list", "範囲を限定しない共同利用者の記載"),
    description=(
        "Not JNT-006; the joint use lists no users (`user_party_ids`), and its `users_scope`, or "
        "a valid change's `before_users_scope`, holds an open-list word (etc., others, 等, その他, "
        "など): principals may not be able to determine the joint users.",
        "第三者を含む記載ではないが、「共同利用者ID」の列挙がなく、「共同利用者の範囲」又は有効な変更の"
        "「変更前の共同利用者の範囲」に範囲を限定しない語（等、その他、など）がある。本人が共同利用者を判断できないおそれがある。",
    ),
    message=(
        "{table} {record}: the joint users' scope \"{value}\" is an open list and joint use {joint_use} lists no users; principals may not be able to tell which businesses use the data.",
        "{table_ja} {record}：「{label}」『{value}』は範囲を限定しない記載（等、その他など）で、共同利用 {joint_use} には共同利用者の列挙もないため、本人が共同利用者を判断できないおそれがあります。",
    ),
    hint=(
        "List the joint users in user_party_ids (and in the notice or a page it points to), or word the scope so that its members can be determined.",
        "共同利用者を「共同利用者ID」に列挙し（通知・公表文又はそこから参照するページにも掲載し）、又は範囲を特定できる記載に改めてください。",
    ),
)
JNT_008 = rule(
    "JNT-008", "error", "APPI Art 27(6)",
    title=("Joint-use change not notified in advance", "事前に通知・公表していない共同利用の変更"),
    description=(
        "A valid change of the joint users' purposes or of the manager whose `notified_on` is on "
        "or after its `effective_on`, or is empty while `effective_on` is on or before the as-of "
        "date. Provisions under the joint use with a log event from `effective_on` until "
        "`notified_on` fail their route.",
        "「共同利用の変更」の利用目的の変更又は管理責任者の交代で、「通知・公表日」が「変更日」以降であるか、"
        "「変更日」が基準日以前なのに「通知・公表日」が空欄。変更日から通知・公表日の前日までに提供実績がある共同利用としての提供は、"
        "共同利用に当たらない。",
    ),
    message=(
        "joint_use_changes {record} (joint use {joint_use}): {problem}.",
        "共同利用の変更 {record}（共同利用 {joint_use}）：{problem}。",
    ),
    cases={
        "late": (
            "the {matter} change effective {effective_on} was notified on {notified_on}, not before it",
            "{effective_on} に効力を生じる『{matter_ja}』の変更の通知・公表日が {notified_on} で、変更前ではありません",
        ),
        "missing": (
            "the {matter} change effective {effective_on} has not been notified (notified_on is empty)",
            "{effective_on} に効力を生じた『{matter_ja}』の変更が通知・公表されていません（「通知・公表日」が空欄）",
        ),
    },
    hint=(
        "Notify the change to the principals, or make it easily knowable, before it takes effect; flows between the change and its notice need the principals' consent.",
        "変更の効力が生じる前に本人に通知し又は容易に知り得る状態に置いてください。変更から通知・公表までの間の提供には本人の同意が必要です。",
    ),
)
JNT_009 = rule(
    "JNT-009", "warning", "APPI Art 27(6)",
    title=("Manager's details changed without notice", "通知・公表していない管理責任者の氏名・住所等の変更"),
    description=(
        "A valid change of the manager's name, address or representative (`manager_details`) "
        "with `notified_on` empty and `effective_on` before the as-of date.",
        "「共同利用の変更」の管理責任者の氏名・住所等の変更で、「変更日」が基準日より前なのに「通知・公表日」が空欄。",
    ),
    message=(
        "joint_use_changes {record} (joint use {joint_use}): the manager's name, address or representative changed on {effective_on} and has not been notified (notified_on is empty).",
        "共同利用の変更 {record}（共同利用 {joint_use}）：{effective_on} に管理責任者の氏名・住所等が変わりましたが、通知・公表されていません（「通知・公表日」が空欄）。",
    ),
    hint=(
        "Notify the principals of the new details without delay, or make them easily knowable, and enter the date in notified_on.",
        "遅滞なく本人に通知し又は容易に知り得る状態に置き、その日を「通知・公表日」に記入してください。",
    ),
)
JNT_010 = rule(
    "JNT-010", "error", "APPI Art 27(5)(iii)",
    title=("Jointly used items added without consent", "本人の同意のない共同利用する項目の追加"),
    description=(
        "A valid change of the jointly used items that adds items while its `change_basis` is "
        "not `consent`: the joint use does not continue, and provisions under it with a log "
        "event on or after `effective_on` fail their route.",
        "「共同利用の変更」の共同利用する項目の変更で項目を追加しているのに、「変更の根拠」が『本人の同意』でない。"
        "共同利用を継続できず、変更日以降に提供実績がある共同利用としての提供は共同利用に当たらない。",
    ),
    message=(
        "joint_use_changes {record} (joint use {joint_use}): items {items} were added on {effective_on} without the principals' consent; from that day the joint use does not hold.",
        "共同利用の変更 {record}（共同利用 {joint_use}）：{effective_on} に本人の同意なく項目 {items} を追加しており、同日以降は共同利用に当たりません。",
    ),
    hint=(
        "Obtain the principals' consent to the added items and set change_basis to consent, or notify a new joint use in advance; flows from the change need the principals' consent.",
        "追加する項目について本人の同意を得て「変更の根拠」を『本人の同意』にするか、新たな共同利用としてあらかじめ通知・公表してください。変更以降の提供には本人の同意が必要です。",
    ),
)
JNT_011 = rule(
    "JNT-011", "error", "APPI Art 27(5)(iii)",
    title=("Joint users added without a basis", "根拠のない共同利用者の追加"),
    description=(
        "A valid change of the joint users that adds listed users (both lists given) while its "
        "`change_basis` is empty: the joint use does not continue, and provisions under it with "
        "a log event on or after `effective_on` fail their route.",
        "「共同利用の変更」の共同利用者の範囲の変更で、変更前後の共同利用者を列挙しており共同利用者を追加しているのに、"
        "「変更の根拠」が空欄。共同利用を継続できず、変更日以降に提供実績がある共同利用としての提供は共同利用に当たらない。",
    ),
    message=(
        "joint_use_changes {record} (joint use {joint_use}): users {users} were added on {effective_on} with no change_basis; from that day the joint use does not hold.",
        "共同利用の変更 {record}（共同利用 {joint_use}）：{effective_on} に共同利用者 {users} を追加していますが、「変更の根拠」が空欄のため、同日以降は共同利用に当たりません。",
    ),
    hint=(
        "If the principals consented, or a joint user was only renamed or its business succeeded, enter that in change_basis; otherwise notify a new joint use in advance, and treat flows from the change as provisions needing consent.",
        "本人の同意を得た場合、又は共同利用者の名称変更・事業承継の場合は「変更の根拠」に記入してください。それ以外は新たな共同利用としてあらかじめ通知・公表し、変更以降の提供は本人の同意が必要な提供として扱ってください。",
    ),
)
JNT_012 = rule(
    "JNT-012", "warning", "APPI Art 27(5)(iii)",
    title=("Joint users' scope changed without a basis", "根拠のない共同利用者の範囲の変更"),
    description=(
        "A valid change of the joint users with `change_basis` empty that neither adds listed "
        "users (JNT-011) nor only removes them, e.g. a scope text changed without listing the "
        "users before and after: the check cannot tell whether businesses were added.",
        "「共同利用の変更」の共同利用者の範囲の変更で「変更の根拠」が空欄だが、列挙した共同利用者の追加でも、共同利用者を除くだけの"
        "変更でもない（変更前後の列挙がなく範囲の記載だけを変えた場合など）。事業者が増えたかどうか判断できない。",
    ),
    message=(
        "joint_use_changes {record} (joint use {joint_use}): the joint users changed on {effective_on} with no change_basis, and the change does not only remove users.",
        "共同利用の変更 {record}（共同利用 {joint_use}）：{effective_on} に共同利用者の範囲を変更していますが、「変更の根拠」が空欄で、共同利用者を除くだけの変更でもありません。",
    ),
    hint=(
        "Check that the new scope adds no business: if it does, the principals' consent or a new joint use is needed. List the users before and after so that the check can compare them.",
        "新しい範囲で事業者が増えていないか確認してください。増える場合は本人の同意又は新たな共同利用が必要です。変更前後の共同利用者を列挙すると照合できます。",
    ),
)
JNT_013 = rule(
    "JNT-013", "error", None,
    title=("Joint-use change that is not one readable change", "読み取れない共同利用の変更"),
    description=(
        "A `joint_use_changes` row that is not one readable change: the `before_*` column of its "
        "matter is empty, a `before_*` column of another matter is filled, `change_basis` is "
        "given for a matter it does not apply to, or `effective_on` is before the joint use's "
        "`notified_on`. The row takes no part in the checks of the joint use's history.",
        "「共同利用の変更」の行が1件の変更として読み取れない：変更事項に対応する変更前の列が空欄、ほかの変更事項の変更前の列に記入がある、"
        "「変更の根拠」を使えない変更事項に記入している、又は「変更日」が共同利用の「通知・公表日」より前。その行は共同利用の履歴の判定に使われない。",
    ),
    message=("joint_use_changes {record}: {problem}.", "共同利用の変更 {record}：{problem}。"),
    cases={
        "empty_before": (
            "{field} is empty: the value before the {matter} change is not given",
            "「{label}」が空欄で、『{matter_ja}』の変更前の値がありません",
        ),
        "other_matter": (
            "{field} is filled, but it belongs to another matter than {matter}",
            "「{label}」に記入がありますが、『{matter_ja}』の変更では記入しない列です",
        ),
        "basis": (
            "change_basis {basis} does not apply to a {matter} change",
            "「変更の根拠」の『{basis_ja}』は『{matter_ja}』の変更には使えません",
        ),
        "before_notice": (
            "the change takes effect on {effective_on}, before joint use {joint_use} was notified on {notified_on}",
            "「変更日」{effective_on} が共同利用 {joint_use} の「通知・公表日」{notified_on} より前です",
        ),
    },
    hint=(
        "Write one change of one matter per row: fill only the before_* column of its matter, use change_basis only for items and users changes, and date the change on or after the joint use's notified_on.",
        "1行に1つの事項の変更を記入し、その変更事項の変更前の列だけを埋め、「変更の根拠」は共同利用する項目と共同利用者の範囲の変更にだけ記入し、「変更日」は共同利用の「通知・公表日」以降にしてください。",
    ),
)



def check(reg: Register, ctx) -> Iterator[Finding]:
    """Every JNT finding; the route-breaking ones also mark the provision's route as failed."""
    lacking = yield from _joint_uses(reg, ctx.as_of)
    yield from _scopes(reg)
    yield from _changes(reg, ctx.as_of)
    yield from _defects(reg)
    yield from _provisions(reg, ctx, lacking)


def _joint_uses(reg: Register, as_of):
    """Findings about joint_uses rows; returns the IDs of joint uses lacking a matter."""
    lacking: set[str] = set()
    t = reg["joint_uses"]
    if not t.present or len(t) == 0:
        return lacking
    mn = flows.my_number_items(reg)
    facts = joint_use_matters(reg, as_of)
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
    """JNT-001 for each matter the joint use lacks (facts.joint_uses decides which), for every
    manager in force on the as-of date or later."""
    parties = schema.table("parties")

    def gaps(columns) -> dict[str, str]:
        return {
            "missing": " and ".join(columns),
            "missing_ja": "".join(f"「{parties.column(c).label_ja}」" for c in columns),
        }

    unpublished: dict[str, str] = {}  # detail → the first manager it concerns
    for m in jf.matters:
        if not m.given:
            yield t.finding(JNT_001, jf.row, m.column, case=m.column)
        elif m.missing:
            yield t.finding(
                JNT_001, jf.row, m.column, case="manager_identity",
                manager=t.rows[jf.row]["manager_party_id"], **gaps(m.missing),
            )
        for detail in m.unpublished:
            unpublished.setdefault(detail, t.rows[jf.row]["manager_party_id"])
    for em in jf.earlier_managers:
        if em.missing:
            yield t.finding(
                JNT_001, jf.row, "manager_party_id", case="earlier_manager_identity",
                manager=em.party_id, change=em.change_id, until=em.until, **gaps(em.missing),
            )
        for detail in em.unpublished:
            unpublished.setdefault(detail, em.party_id)
    for detail, manager in unpublished.items():
        flag = ju.PUBLISHED_FLAGS[detail]
        yield t.finding(
            JNT_001, jf.row, flag, case="unpublished", manager=manager, detail=detail,
            detail_ja=f"「{parties.column(detail).label_ja}」", label=t.spec.column(flag).label_ja,
        )


def _scope_finding(reg: Register, r, cell) -> Finding:
    t = reg[cell.table]
    return t.finding(
        r, cell.row, cell.column, table_ja=t.spec.label_ja,
        label=t.spec.column(cell.column).label_ja, value=cell.text, joint_use=cell.joint_use_id,
    )


def _scopes(reg: Register) -> Iterator[Finding]:
    """JNT-006 and JNT-007 on every users' scope a joint use has published."""
    third = ju.third_party_scopes(reg)
    uses = reg["joint_uses"].by_key
    for jid, cells in ju.scope_facts(reg).items():
        if jid in third:
            yield from (_scope_finding(reg, JNT_006, c) for c in cells if c.third_party)
        elif not flows.items_of(uses.get(jid) or {}, "user_party_ids"):
            yield from (_scope_finding(reg, JNT_007, c) for c in cells if c.open_list)


def _matter_ja(t, matter: str | None) -> str | None:
    return t.spec.column("matter").enum_labels_ja.get(matter) if matter else None


def _changes(reg: Register, as_of) -> Iterator[Finding]:
    """JNT-008…JNT-012: what each valid change means (facts.joint_uses decides it)."""
    t = reg["joint_use_changes"]
    if not t.present or len(t) == 0:
        return
    for jid, facts in ju.change_facts(reg, as_of).items():
        for f in facts:
            c = f.change
            common = dict(joint_use=jid, effective_on=c.effective_on)
            if f.rule == JNT_008.id:
                yield t.finding(
                    JNT_008, c.row, f.field, case="late" if c.notified_on else "missing",
                    matter=c.matter, matter_ja=_matter_ja(t, c.matter), notified_on=c.notified_on,
                    **common,
                )
            elif f.rule == JNT_009.id:
                yield t.finding(JNT_009, c.row, f.field, **common)
            elif f.rule == JNT_010.id:
                yield t.finding(JNT_010, c.row, f.field, items=list(f.added), **common)
            elif f.rule == JNT_011.id:
                yield t.finding(JNT_011, c.row, f.field, users=list(f.added), **common)
            elif f.rule == JNT_012.id:
                yield t.finding(JNT_012, c.row, f.field, **common)


def _defects(reg: Register) -> Iterator[Finding]:
    """JNT-013 at each column that keeps a change row from being one readable change."""
    t = reg["joint_use_changes"]
    uses = reg["joint_uses"].by_key
    basis_labels = t.spec.column("change_basis").enum_labels_ja if t.present else {}
    for d in ju.change_defects(reg):
        r = t.rows[d.row]
        jid = r.get("joint_use_id")
        yield t.finding(
            JNT_013, d.row, d.column, case=d.case, matter=r.get("matter"),
            matter_ja=_matter_ja(t, r.get("matter")), label=t.spec.column(d.column).label_ja,
            basis=r.get("change_basis"), basis_ja=basis_labels.get(r.get("change_basis")),
            effective_on=r.get("effective_on"), joint_use=jid,
            notified_on=(uses.get(jid) or {}).get("notified_on"),
        )


def _outside(t, i: int, p: dict, j: dict, states, known_items) -> Iterator[Finding]:
    """JNT-003: items or recipient outside the joint use as in force on each event date
    (facts.joint_uses.states_of_provision); one finding per field."""
    jid = p["joint_use_id"]
    extra: list[str] = []
    extra_on = recipient_on = None
    recipient_out = False
    party = p.get("party_id")
    for day, state in states:
        # a joint use without item or user changes is its row, exactly as today (day None)
        allowed = flows.items_of(j) if day is None else state.items
        users = flows.items_of(j, "user_party_ids") if day is None else state.users
        if allowed:  # no items at all is JNT-001
            new = [x for x in flows.items_of(p) if x not in allowed and x in known_items and x not in extra]
            if new and not extra:
                extra_on = day
            extra += new
        if users and party is not None and party not in users and not recipient_out:
            recipient_out, recipient_on = True, day
    if extra:
        dated = {} if extra_on is None else {"case": "items_on", "date": extra_on}
        yield t.finding(JNT_003, i, "item_ids", **{"case": "items", **dated}, items=extra, joint_use=jid)
    if recipient_out:
        dated = {} if recipient_on is None else {"case": "recipient_on", "date": recipient_on}
        yield t.finding(
            JNT_003, i, "party_id", **{"case": "recipient", **dated}, recipient=party, joint_use=jid,
        )


def _provisions(reg: Register, ctx, lacking: set[str]) -> Iterator[Finding]:
    t = reg["provisions"]
    if not t.present or len(t) == 0:
        return
    uses = reg["joint_uses"].by_key
    known_items = reg["data_items"].by_key
    third = ju.third_party_scopes(reg)
    states = ju.states_of_provision(reg, ctx.as_of)
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
        if jid in third:
            ctx.fail_route(pid, JNT_006.id)
        found = list(_outside(t, i, p, j, states.get(pid, ((None, None),)), known_items))
        if found:
            ctx.fail_route(pid, JNT_003.id)
            yield from found
        if j.get("notified_on") is not None:
            windows[pid] = (j["notified_on"], None)
            use_of[pid] = jid
    # log events inside a JNT-008 window, or on or after a JNT-010 / JNT-011 change
    for pid, rule_id in ju.window_failures(reg, ctx.as_of).iter_rows():
        ctx.fail_route(pid, rule_id)
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
