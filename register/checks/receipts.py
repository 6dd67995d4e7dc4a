"""RCV: the recipient's confirmation duty (APPI Art 30; APPI Rules Art 22–24).

Phase 2: only receipts whose route needs a confirmation record (docs/routes-and-records.md §3) are
checked, and the record type of the route decides which matters must be confirmed.
"""

from __future__ import annotations

from collections.abc import Iterator

from ..facts import flows
from ..findings import Finding, rule
from ..model import Register

RCV_001 = rule(
    "RCV-001", "error", "APPI Art 30(1)(ii)",
    title=("How the provider acquired the data not confirmed", "取得の経緯の確認なし"),
    description=(
        "A receipt needing a confirmation record has no `acquisition` (how the provider acquired "
        "the data); not for person-related receipts.",
        "確認記録が必要な受領で、提供元の取得の経緯が記入されていない（個人関連情報の受領を除く）。",
    ),
    message=(
        "receipts {record}: how provider {provider} acquired the data (acquisition) is not recorded.",
        "受領 {record}：提供元 {provider} による個人データの取得の経緯が記入されていません。",
    ),
    hint=(
        "Confirm with the provider how it acquired the data and describe it in acquisition.",
        "提供元に個人データの取得の経緯を確認し、「取得の経緯」に記入してください。",
    ),
)
RCV_002 = rule(
    "RCV-002", "error", "APPI Art 30(1)(i)",
    title=("Provider's identity not confirmed", "提供元の氏名・住所等の確認なし"),
    description=(
        "`provider_confirmed` is not true, or the provider lacks `address`, or a `corporation` "
        "provider lacks `representative`.",
        "提供元の氏名・名称、住所、代表者の確認をしていない、または提供元の住所・（法人の）代表者の氏名がない。",
    ),
    message=("receipts {record}: {problem}.", "受領 {record}：{problem}。"),
    hint=(
        "Confirm the provider's name, address and (for a corporation) representative, enter them in parties and set provider_confirmed to true.",
        "提供元の氏名・名称、住所、（法人の場合）代表者の氏名を確認して「相手方」に記入し、「提供者の確認」を『○』にしてください。",
    ),
    cases={
        "not_confirmed": (
            "the provider's identity was not confirmed (provider_confirmed is {confirmed})",
            "提供元の氏名・名称、住所、代表者の確認がされていません",
        ),
        "no_address": (
            "provider {provider} has no address",
            "「相手方」の提供元 {provider} に「住所」がありません",
        ),
        "no_representative": (
            "provider {provider} has no representative's name",
            "「相手方」の提供元 {provider} に「代表者氏名」がありません",
        ),
        "no_address_and_no_representative": (
            "provider {provider} has no address and no representative's name",
            "「相手方」の提供元 {provider} に「住所」と「代表者氏名」がありません",
        ),
    },
)
RCV_003 = rule(
    "RCV-003", "error", "APPI Rules Art 24(1)(i)",
    title=("Opt-out receipt without checking the PPC publication", "オプトアウト受領で委員会の公表を確認していない"),
    description=(
        "An opt-out receipt without `ppc_publication_checked`: the recipient records that the "
        "PPC published the provider's opt-out notification.",
        "オプトアウトによる受領で、個人情報保護委員会による公表を確認していない（「委員会公表の確認」が『○』でない）。",
    ),
    message=(
        "receipts {record}: opt-out receipt from {provider} without ppc_publication_checked ({value}).",
        "受領 {record}：{provider} からのオプトアウトによる受領で「委員会公表の確認」が {value} です。",
    ),
    hint=(
        "Check that the PPC has published the provider's opt-out notification and set ppc_publication_checked to true.",
        "提供元のオプトアウト届出が個人情報保護委員会により公表されていることを確認し、「委員会公表の確認」を『○』にしてください。",
    ),
)
RCV_004 = rule(
    "RCV-004", "error", "APPI Rules Art 24(1)(ii),(iii)",
    title=("Consent not confirmed on receipt", "受領時に本人同意を確認していない"),
    description=(
        "A consent or person-related receipt without `consent`: the record states that the "
        "principal's consent was obtained.",
        "本人同意による受領または個人関連情報の受領で、本人の同意を確認していない。",
    ),
    message=(
        "receipts {record}: {record_type} receipt from {provider} without consent ({value}).",
        "受領 {record}：{provider} からの受領で「本人同意」が {value} です。",
    ),
    hint=(
        "Confirm that the principals consented and set consent to true.",
        "本人の同意があることを確認し、「本人同意」を『○』にしてください。",
    ),
)
RCV_005 = rule(
    "RCV-005", "error", "APPI Rules Art 23(2)",
    title=("Bulk record for an opt-out receipt", "オプトアウト受領の一括記録"),
    description=(
        "`record_method` `bulk` on an opt-out receipt; the records are made `each` instead.",
        "オプトアウトによる受領の「記録方法」が『一括記録』になっている（受領の都度の記録として作成する）。",
    ),
    message=(
        "receipts {record}: record_method {value} is not allowed for an opt-out receipt; records are made each time instead.",
        "受領 {record}：オプトアウトによる受領では「記録方法」を『一括記録』にできません。記録は受領の都度作成します。",
    ),
    hint=("Set record_method to each.", "「記録方法」を『都度記録』にしてください。"),
)
RCV_006 = rule(
    "RCV-006", "error", "APPI Rules Art 24(1)(iv)",
    title=("'Private person' basis from a business", "事業者からの『事業者でない個人からの受領』"),
    description=(
        "Basis `private` from a provider whose `kind` is not `individual`.",
        "「受領の根拠」が『事業者でない個人からの受領』なのに、提供元の「種別」が『個人（事業者以外）』でない。",
    ),
    message=(
        "receipts {record}: basis private, but provider {provider} is a {kind}, not a private individual.",
        "受領 {record}：「受領の根拠」は『事業者でない個人からの受領』ですが、提供元 {provider} の「種別」は『{kind_ja}』です。",
    ),
    hint=(
        "Record the real basis (consent, opt_out, …), or correct the provider's kind.",
        "実際の「受領の根拠」（『本人の同意』、『オプトアウト』など）を記入するか、「相手方」の提供元の「種別」を訂正してください。",
    ),
)

def check(reg: Register, ctx) -> Iterator[Finding]:
    """Every RCV finding, for the receipts that need a confirmation record."""
    routes = getattr(ctx, "routes", None)
    t = reg["receipts"]
    if routes is None or not t.present or len(t) == 0:
        return
    for rid, route in routes.receipts.items():
        if route.record_type is None:
            continue
        i = t.index_of(rid)
        r = t.rows[i]
        provider = flows.party(reg, r.get("party_id"))
        pname = r.get("party_id")
        rt = route.record_type
        if rt != "person_related" and not (r.get("acquisition") or "").strip():
            yield t.finding(RCV_001, i, "acquisition", provider=pname)
        if r.get("provider_confirmed") is not True and not flows.invalid(t, i, "provider_confirmed"):
            yield t.finding(
                RCV_002, i, "provider_confirmed", case="not_confirmed",
                confirmed=r.get("provider_confirmed"),
            )
        missing = [c for c in ("address", "representative")
                   if not provider.get(c) and (c == "address" or provider.get("kind") == "corporation")]
        if missing:
            yield t.finding(
                RCV_002, i, "party_id", case="_and_".join(f"no_{c}" for c in missing),
                provider=pname,
            )
        if rt == "opt_out" and r.get("ppc_publication_checked") is not True \
                and not flows.invalid(t, i, "ppc_publication_checked"):
            yield t.finding(RCV_003, i, "ppc_publication_checked", provider=pname)
        if rt in ("consent", "person_related") and r.get("consent") is not True \
                and not flows.invalid(t, i, "consent"):
            yield t.finding(RCV_004, i, "consent", provider=pname, record_type=rt.replace("_", "-"))
        if rt == "opt_out" and r.get("record_method") == "bulk":
            yield t.finding(RCV_005, i, "record_method")
        if r.get("basis") == "private" and provider.get("kind") != "individual":
            kind = provider.get("kind")
            labels = reg["parties"].spec.column("kind").enum_labels_ja
            yield t.finding(
                RCV_006, i, "basis", provider=pname, kind=kind, kind_ja=labels.get(kind, kind),
            )
