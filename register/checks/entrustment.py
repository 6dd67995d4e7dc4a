"""ENT: outsourcing to contractors (APPI Art 25, Art 27(5)(i); docs/rules.md ENT).

ENT-004 and ENT-005 break the entrustment route (docs/routes-and-records.md §2): the flow is then an
ordinary provision to a third party. ENT-001/002/003/006 are supervision failures only.
ENT-007…ENT-009 concern data held for a client (docs/joint-use.md §1.4, §2; facts.clients decides
which data and flows those are): a return to the client needs no contract of ours, and the
client is never audited as our contractor; ENT-008 on a joint-use flow breaks its route.
"""

from __future__ import annotations

from collections.abc import Iterator

from ..facts import clients, context, flows
from ..facts.contracts import contract_facts
from ..findings import Finding, rule
from ..model import Register

ENT_001 = rule(
    "ENT-001", "error", "APPI Art 25",
    title=("Entrustment without a contract", "委託契約のない委託"),
    description=(
        "A provision with basis `entrustment` has no `contract_id`, or the contract has no "
        "`contract_on` (no contract was signed).",
        "提供根拠が委託なのに委託契約の指定がない、または委託契約に契約締結日がない。",
    ),
    message=("{table} {record}: {problem}.", "{table_ja} {record}：{problem}。"),
    cases={
        "unsigned": ("the contract has no contract_on: no outsourcing contract is recorded", "契約締結日がなく、委託契約が締結されていません"),
        "no_contract": ("the basis is entrustment but no contract_id names the outsourcing contract", "提供根拠が委託ですが、委託契約が指定されていません"),
    },
    hint=(
        "Conclude an outsourcing contract, enter it in contractors with its contract_on, and name it in the provision's contract_id.",
        "委託契約を締結して委託先の表に契約締結日とともに登録し、データ提供の「委託契約ID」に指定してください。",
    ),
)
ENT_002 = rule(
    "ENT-002", "warning", "APPI Art 25",
    title=("Contract without security terms", "安全管理条項のない委託契約"),
    description=(
        "The outsourcing contract does not bind the contractor to confidentiality and security "
        "measures (`security_terms` is not true).",
        "委託契約に秘密保持・安全管理措置の条項がない（「安全管理条項」が『○』でない）。",
    ),
    message=(
        "contractors {record}: security_terms is {value}; the contract does not bind the contractor to security measures.",
        "委託先 {record}：「安全管理条項」が {value} で、契約が安全管理措置を義務付けていません。",
    ),
    hint=(
        "Add confidentiality and security-control clauses to the contract and set security_terms to true.",
        "契約に秘密保持と安全管理措置の条項を加え、「安全管理条項」を『○』にしてください。",
    ),
)
ENT_003 = rule(
    "ENT-003", "warning", "APPI Art 25",
    title=("Contractor audit overdue", "委託先の監査の期限切れ"),
    description=(
        "A contract in force on the as-of date whose `last_audit_on` is empty or older than "
        "`audit_interval_months`.",
        "基準日に有効な委託契約で、最終監査日が空欄であるか、監査間隔（月）を過ぎている。",
    ),
    message=(
        "contractors {record}: {problem}.",
        "委託先 {record}：{problem}。",
    ),
    cases={
        "never_audited": (
            "the contract is in force but the contractor has never been audited (last_audit_on is empty)",
            "契約は有効ですが、委託先の監査の記録がありません（最終監査日が空欄）",
        ),
        "overdue": (
            "the last audit on {last} was due again on {due} (every {months} months), before {as_of}",
            "最終監査日 {last} から{months}か月の期限 {due} が基準日 {as_of} より前に過ぎています",
        ),
    },
    hint=(
        "Audit the contractor's handling of the data and enter the date in last_audit_on.",
        "委託先の取扱状況を確認（監査）し、その日付を「最終監査日」に記入してください。",
    ),
)
ENT_004 = rule(
    "ENT-004", "error", "APPI Art 27(5)(i)",
    title=("Provision beyond the outsourcing contract", "委託契約の範囲外の提供"),
    description=(
        "The provision's items exceed the contract's `item_ids`, or its recipient is not the "
        "contract's party (checked only when the contract has `contract_on`). The flow is not "
        "an entrustment: it needs consent and a record.",
        "提供項目が委託契約の項目を超えている、または提供先が委託契約の相手方でない（契約締結日がある場合のみ）。"
        "委託には当たらず、本人同意と記録が必要になる。",
    ),
    message=(
        "provisions {record}: {problem}.",
        "データ提供 {record}：{problem}。",
    ),
    cases={
        "items": ("items {items} are not covered by contract {contract}", "項目 {items} は委託契約 {contract} の範囲外です"),
        "recipient": (
            "recipient {recipient} is not the party of contract {contract} ({contract_party})",
            "提供先 {recipient} は委託契約 {contract} の相手方（{contract_party}）ではありません",
        ),
    },
    hint=(
        "Provide only what the contract covers to its contractor, or amend the contract; otherwise treat the flow as a provision needing consent.",
        "委託契約の範囲内で契約の相手方にだけ提供するか、契約を変更してください。そうでなければ本人同意が必要な第三者提供として扱ってください。",
    ),
)
ENT_005 = rule(
    "ENT-005", "error", "APPI Art 27(5)(i)",
    title=("Entrusted data provided outside the contract period", "委託契約期間外の提供"),
    description=(
        "A log event before the contract's `contract_on` or after its `ends_on` (checked only "
        "when the contract has `contract_on`). The flow is not an entrustment.",
        "委託契約の締結日より前、または終了日より後に提供している（契約締結日がある場合のみ）。委託には当たらない。",
    ),
    message=(
        "provision_log event {record} (provision {provision}): provided on {value}, outside contract {contract}'s period {period}.",
        "提供実績 {record}（データ提供 {provision}）：提供日 {value} が委託契約 {contract} の期間 {period} の外です。",
    ),
    hint=(
        "Correct the date, or the contract's contract_on / ends_on; data given outside a contract needs the principals' consent.",
        "日付または委託契約の締結日・終了日を訂正してください。契約期間外の提供には本人の同意が必要です。",
    ),
    per_event=True,
)
ENT_006 = rule(
    "ENT-006", "warning", "APPI Art 25",
    title=("Re-entrustment without approval", "承諾なしの再委託"),
    description=(
        "The contract lets the contractor subcontract freely (`subcontracting` `free`).",
        "委託契約が再委託を承諾なしに認めている（「再委託」が『制限なし』）。",
    ),
    message=(
        "contractors {record}: subcontracting is {value}; the contractor may re-entrust the data without approval.",
        "委託先 {record}：「再委託」が {value} で、委託先が承諾なしに再委託できます。",
    ),
    hint=(
        "Require prior approval of subcontractors in the contract (subcontracting: with_approval or none).",
        "再委託には事前の承諾を要するよう契約を改め、「再委託」を『承認を得て再委託可』または『再委託禁止』にしてください。",
    ),
)
ENT_007 = rule(
    "ENT-007", "error", "APPI Art 27(5)(i)",
    title=("Data used for another's purpose", "委託元と利用目的の不一致"),
    description=(
        "A dataset lists a purpose whose `client_party_id` differs from the dataset's "
        "`held_for_party_id` (an empty one counts as a value): a client's data used for our own "
        "or another client's purpose, or our own data used for a client's purpose. A trustee "
        "may handle entrusted data only for the entrusted work.",
        "「個人情報データベース等」が、その「委託元ID（受託データ）」と異なる「委託元ID（委託元の利用目的）」の利用目的を"
        "指定している（空欄も1つの値として比べる）：委託元のデータを自社又は別の委託元の目的に使う、又は自社のデータを委託元の目的に使う。"
        "受託者は委託された業務の範囲内でしか取り扱えない。",
    ),
    message=("datasets {record}: {problem}.", "個人情報データベース等 {record}：{problem}。"),
    cases={
        "client_data_own_purpose": (
            "the data is held for client {client}, but purpose {purpose} is our own",
            "委託元 {client} から受託したデータですが、利用目的 {purpose} は自社の利用目的です",
        ),
        "client_data_other_client": (
            "the data is held for client {client}, but purpose {purpose} is client {purpose_client}'s work",
            "委託元 {client} から受託したデータですが、利用目的 {purpose} は委託元 {purpose_client} の業務です",
        ),
        "own_data_client_purpose": (
            "the data is our own, but purpose {purpose} is client {purpose_client}'s work",
            "自社のデータですが、利用目的 {purpose} は委託元 {purpose_client} の業務です",
        ),
    },
    hint=(
        "Use a client's data only for that client's work: remove the purpose from the dataset, or correct held_for_party_id or the purpose's client_party_id. Using it for our own purposes needs the principals' consent or a provision from the client.",
        "委託元のデータはその委託元の業務にだけ使ってください。利用目的を外すか、「委託元ID（受託データ）」又は利用目的の「委託元ID（委託元の利用目的）」を訂正してください。自社の目的に使うには本人の同意又は委託元からの第三者提供が必要です。",
    ),
)
ENT_008 = rule(
    "ENT-008", "error", "APPI Art 27(5)(i)",
    title=("A client's data given out as ours", "受託データの自社としての提供"),
    description=(
        "A provision from a dataset held for a client (`held_for_party_id`) with basis "
        "`consent`, `opt_out` or `joint_use`: the client's data given out as if it were ours. "
        "A joint-use flow fails its route; the others keep their record.",
        "委託元から受託した「個人情報データベース等」からの提供で、「提供の根拠」が『本人の同意』『オプトアウト』"
        "『共同利用』のいずれか：委託元のデータを自社のデータとして提供している。共同利用の場合は共同利用に当たらず、"
        "ほかの場合も記録は必要。",
    ),
    message=(
        "provisions {record}: dataset {dataset} is held for client {client}, but the provision gives its data out by {value}.",
        "データ提供 {record}：データベース {dataset} は委託元 {client} から受託したデータですが、『{basis_ja}』として提供しています。",
    ),
    hint=(
        "Return the data to the client, or let the client provide it itself; a trustee may not give a client's data to others on its own account.",
        "データは委託元に返還するか、委託元自身から提供してもらってください。受託者が自らの判断で委託元のデータを第三者に提供することはできません。",
    ),
)
ENT_009 = rule(
    "ENT-009", "warning", "APPI Art 25",
    title=("Re-entrustment without the client's approval", "委託元の承諾のない再委託"),
    description=(
        "A provision of data held for a client to a subcontractor (a re-entrustment) whose "
        "contract has no `client_approved_on`, or that has a log event dated before it.",
        "委託元から受託したデータを再委託先に提供しているが、委託契約に「委託元の再委託承諾日」がない、"
        "又はその日より前に提供している。",
    ),
    message=("provisions {record}: {problem}.", "データ提供 {record}：{problem}。"),
    cases={
        "not_approved": (
            "client {client}'s data is re-entrusted under contract {contract}, which has no client_approved_on",
            "委託元 {client} のデータを委託契約 {contract} で再委託していますが、「委託元の再委託承諾日」がありません",
        ),
        "before_approval": (
            "client {client}'s data was re-entrusted on {first}, before the client approved the subcontractor on {approved}",
            "委託元 {client} のデータを {first} に再委託しており、委託元の承諾日 {approved} より前です",
        ),
    },
    hint=(
        "Obtain the client's approval of the subcontractor before re-entrusting its data, and enter the date in client_approved_on.",
        "再委託の前に委託元の承諾を得て、その日を委託契約の「委託元の再委託承諾日」に記入してください。",
    ),
)


def check(reg: Register, ctx) -> Iterator[Finding]:
    """Every ENT finding; ENT-004/005 (and ENT-008 on a joint use) also mark the provision's
    route as failed."""
    yield from _contracts(reg, ctx)
    yield from _provisions(reg, ctx)
    yield from _held_data(reg, ctx)


def _contracts(reg: Register, ctx) -> Iterator[Finding]:
    t = reg["contractors"]
    if not t.present or len(t) == 0:
        return
    audits = contract_facts(reg, ctx.as_of)
    return_only = clients.return_only_contracts(reg)
    # Art 25 concerns entrusted personal data only (docs/web.md §8, N1)
    covered = context.contracts_covering_personal_data(reg)
    for i, c in enumerate(t.rows):
        if c.get("contract_id") is None or c["contract_id"] not in covered:
            continue
        if c["contract_id"] in return_only:
            continue  # only returns name it: the client is no contractor (docs/joint-use.md §2)
        if c.get("contract_on") is None and not flows.invalid(t, i, "contract_on"):
            yield t.finding(ENT_001, i, "contract_on", table_ja=t.spec.label_ja, case="unsigned")
        if c.get("security_terms") is not True and not flows.invalid(t, i, "security_terms"):
            yield t.finding(ENT_002, i, "security_terms", value=c.get("security_terms"))
        fact = audits.get(c["contract_id"])
        if fact is not None and fact.row == i and fact.audit_overdue:
            yield _overdue(t, fact, ctx.as_of)
        if c.get("subcontracting") == "free":
            yield t.finding(ENT_006, i, "subcontracting")


def _overdue(t, fact, as_of) -> Finding:
    """ENT-003 for a contract whose audit facts.contracts found overdue."""
    if fact.never_audited:
        return t.finding(ENT_003, fact.row, "last_audit_on", case="never_audited")
    return t.finding(
        ENT_003, fact.row, "last_audit_on", case="overdue",
        last=fact.last_audit_on, due=fact.audit_due_on, months=fact.interval_months, as_of=as_of,
    )


def _provisions(reg: Register, ctx) -> Iterator[Finding]:
    t = reg["provisions"]
    if not t.present or len(t) == 0:
        return
    contracts = reg["contractors"].by_key
    known_items = reg["data_items"].by_key
    windows: dict[str, tuple] = {}
    contract_of: dict[str, str] = {}
    returned = clients.returns(reg)
    for i, p in enumerate(t.rows):
        pid = p.get("provision_id")
        if pid is None or p.get("basis") != "entrustment":
            continue
        if pid in returned:
            continue  # a return to the entrustor: its contract_id is ignored (docs/joint-use.md §2)
        if not flows.item_set(reg, flows.items_of(p), p.get("dataset_id")).carries_personal_data:
            continue  # no personal data entrusted: Art 25 does not apply (docs/web.md §8)
        cid = p.get("contract_id")
        if cid is None:
            if not flows.invalid(t, i, "contract_id"):
                yield t.finding(ENT_001, i, "contract_id", table_ja=t.spec.label_ja, case="no_contract")
            continue
        c = contracts.get(cid)
        if c is None or c.get("contract_on") is None:
            continue  # unknown contract: REF-002; no contract_on: ENT-001 (not ENT-004/005)
        allowed = set(flows.items_of(c))
        extra = [x for x in flows.items_of(p) if x not in allowed and x in known_items]
        if extra:
            ctx.fail_route(pid, ENT_004.id)
            yield t.finding(ENT_004, i, "item_ids", case="items", items=extra, contract=cid)
        if c.get("party_id") is not None and p.get("party_id") is not None \
                and c["party_id"] != p["party_id"]:
            ctx.fail_route(pid, ENT_004.id)
            yield t.finding(
                ENT_004, i, "party_id", case="recipient",
                recipient=p["party_id"], contract=cid, contract_party=c["party_id"],
            )
        windows[pid] = (c["contract_on"], c.get("ends_on"))
        contract_of[pid] = cid
    bad = flows.events_where(reg, windows)
    if bad.height == 0:
        return
    # Every offending event fails the route, even those the report will not list.
    for pid in bad["provision_id"].unique().to_list():
        ctx.fail_route(pid, ENT_005.id)
    log = reg["provision_log"]
    for n, row in enumerate(bad.iter_rows(named=True)):
        yield flows.log_finding(
            ENT_005, n, log, row["i"], row["event_id"], "provided_on",
            lambda row=row: dict(
                value=row["provided_on"], provision=row["provision_id"],
                contract=contract_of[row["provision_id"]],
                period=flows.period(row["lo"], row["hi"]),
            ),
        )


def _held_data(reg: Register, ctx) -> Iterator[Finding]:
    """ENT-007…ENT-009: data held for a client (facts.clients decides which data and flows)."""
    ds = reg["datasets"]
    for m in clients.purpose_mismatches(reg):
        case = (
            "own_data_client_purpose" if m.dataset_client is None
            else "client_data_own_purpose" if m.purpose_client is None
            else "client_data_other_client"
        )
        yield ds.finding(
            ENT_007, m.row, "purpose_ids", case=case, client=m.dataset_client, purpose=m.purpose_id,
            purpose_client=m.purpose_client,
        )
    t = reg["provisions"]
    held = clients.held_data(reg)
    labels = t.spec.column("basis").enum_labels_ja if t.present else {}
    for pid in clients.given_out_as_ours(reg):
        p = t.by_key[pid]
        if p.get("basis") == "joint_use":
            ctx.fail_route(pid, ENT_008.id)
        yield t.finding(
            ENT_008, t.index_of(pid), "basis", dataset=p.get("dataset_id"),
            client=held.clients[pid], basis_ja=labels.get(p.get("basis")),
        )
    for a in clients.unapproved_reentrustments(reg):
        yield t.finding(
            ENT_009, t.index_of(a.provision_id), "contract_id",
            case="not_approved" if a.approved_on is None else "before_approval",
            client=a.client, contract=a.contract_id, first=a.first_event, approved=a.approved_on,
        )
