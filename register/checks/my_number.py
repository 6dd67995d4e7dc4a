"""MYN: provision of My Number (specific personal information; My Number Act Art 19)."""

from __future__ import annotations

from collections.abc import Iterator

from ..facts import flows
from ..findings import Finding, rule
from ..model import Register

# My Number Act Art 19 cases a business can rely on, by basis (docs/rules.md MYN-001).
ALLOWED_BASES = frozenset({"law", "vital", "entrustment", "succession", "consent"})

MYN_001 = rule(
    "MYN-001", "error", "My Number Act Art 19",
    title=("My Number provided on a basis the Act does not allow", "番号法で認められない個人番号の提供"),
    description=(
        "`my_number` items provided on a basis other than `law`, `vital`, `entrustment`, "
        "`succession`, `consent`: the My Number Act Art 19 lists the only cases.",
        "個人番号の項目を、『法令に基づく場合』『生命・身体・財産の保護』『委託』『事業の承継』『本人の同意』以外の根拠で提供している（番号法第19条の場合に限られる）。",
    ),
    message=(
        "provisions {record}: My Number items {items} are provided on basis {value}, which the My Number Act does not allow.",
        "データ提供 {record}：個人番号の項目 {items} を『{basis_ja}』により提供していますが、番号法では認められません。",
    ),
    hint=(
        "Remove the My Number items from this provision; provide them only in a case of My Number Act Art 19.",
        "この提供から個人番号の項目を外し、番号法第19条に該当する場合にだけ提供してください。",
    ),
)
MYN_002 = rule(
    "MYN-002", "warning", "My Number Act Art 19",
    title=("My Number provided by consent", "本人同意による個人番号の提供"),
    description=(
        "`my_number` items provided by `consent`: lawful only for a transfer between employers "
        "(Art 19(iv)) or to protect life, body or property (Art 19(xvi)).",
        "個人番号の項目を『本人の同意』により提供している。適法なのは従業者の転籍時（第19条第4号）か、人の生命・身体・財産の保護のため（第16号）に限られる。",
    ),
    message=(
        "provisions {record}: My Number items {items} are provided by consent, lawful only in the cases of My Number Act Art 19(iv) or (xvi).",
        "データ提供 {record}：個人番号の項目 {items} を本人同意で提供しています。適法なのは番号法第19条第4号・第16号の場合に限られます。",
    ),
    hint=(
        "Confirm the provision is a transfer between employers or protects life, body or property; otherwise remove the My Number items.",
        "転籍に伴う提供または生命・身体・財産の保護のための提供であることを確認し、そうでなければ個人番号の項目を外してください。",
    ),
)


def check(reg: Register, ctx=None) -> Iterator[Finding]:
    """Every MYN finding."""
    t = reg["provisions"]
    if not t.present or len(t) == 0:
        return
    mn = flows.my_number_items(reg)
    if not mn:
        return
    for i, p in enumerate(t.rows):
        items = [x for x in flows.items_of(p) if x in mn]
        basis = p.get("basis")
        if p.get("provision_id") is None or not items or basis is None:
            continue
        if basis not in ALLOWED_BASES:
            yield t.finding(
                MYN_001, i, "basis", items=items,
                basis_ja=t.spec.column("basis").enum_labels_ja.get(basis, basis),
            )
        elif basis == "consent":
            yield t.finding(MYN_002, i, "basis", items=items)
