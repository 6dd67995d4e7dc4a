"""XB: provision to a third party in a foreign country (APPI Art 27(1)(i), 28; docs/rules.md XB).

A third party in a foreign country is a party outside Japan and outside the equivalent-system
countries without a safeguard (flows.is_foreign_third_party). XB-001/002/004/005 concern
provisions subject to Art 28 (personal data in context, not from a pseudonymised dataset:
docs/web.md §2); person-related provisions abroad are PRI-002. XB-001 breaks the Art 27(5)
route (docs/routes-and-records.md §2): Art 28(1) displaces Art 27, so only consent is left.
"""

from __future__ import annotations

from collections.abc import Iterator

from ..countries import country_name, is_equivalent
from ..facts import context, flows
from ..findings import Finding, rule
from ..model import Register, Table
from ..values import add_months

XB_001 = rule(
    "XB-001", "error", "APPI Art 28(1), 29(1)",
    title=("Entrustment, succession or joint use abroad", "外国にある第三者への委託・事業承継・共同利用"),
    description=(
        "`entrustment`, `succession` or `joint_use` to a third party in a foreign country: that "
        "route is not available there, the principals' consent is needed (and a record).",
        "外国にある第三者への委託・事業承継・共同利用。この場合その扱いは認められず、本人の同意（と記録）が必要になる。",
    ),
    message=(
        "provisions {record}: basis {value} to {party} in {country} (no equivalent system, no safeguard) is not available; it needs consent.",
        "データ提供 {record}：{country_ja}の {party} への『{basis_ja}』による提供は認められません（同等国でなく、基準適合体制もありません）。本人の同意が必要です。",
    ),
    hint=(
        "Obtain the principals' consent after informing them (basis consent, foreign_info_given), or have the recipient set up a system meeting the PPC standard (foreign_safeguard system or cbpr).",
        "必要な情報を提供したうえで本人の同意を得る（「提供の根拠」を『本人の同意』にし、「外国提供の情報提供」を『○』にする）か、提供先に基準適合体制を整備させてください（「相手方」の「越境移転の体制」を『基準適合体制』または『APEC CBPR認証』にする）。",
    ),
)
XB_002 = rule(
    "XB-002", "error", "APPI Art 28(2); APPI Rules Art 17",
    title=("Consent abroad without the required information", "外国にある第三者への同意取得時の情報提供なし"),
    description=(
        "`consent` to a third party in a foreign country without `foreign_info_given`: before "
        "consenting, the principal must be told the country, its system and the recipient's measures.",
        "外国にある第三者への本人同意による提供で、同意取得前に国名・制度・提供先の措置の情報を提供していない。",
    ),
    message=(
        "provisions {record}: consent to a recipient in {country} without foreign_info_given ({value}).",
        "データ提供 {record}：{country_ja}の提供先への同意取得で「外国提供の情報提供」が {value} です。",
    ),
    hint=(
        "Tell the principals the country, its data protection system and the recipient's measures before they consent, then set foreign_info_given to true.",
        "同意を得る前に、移転先の国名、その国の個人情報保護制度、提供先の措置を本人に提供し、「外国提供の情報提供」を『○』にしてください。",
    ),
)
XB_003 = rule(
    "XB-003", "warning", "APPI Art 28(3); APPI Rules Art 18",
    title=("Foreign safeguard not checked for a year", "外国の基準適合体制の定期確認切れ"),
    description=(
        "A foreign party outside the equivalent-system countries relies on a safeguard (`system` "
        "or `cbpr`), receives at least one provision of personal data subject to Art 28 or of "
        "person-related information with `linkage_expected` true, and its "
        "`safeguard_checked_on` is empty or more than 12 months old.",
        "同等国以外の外国の相手方で基準適合体制（『基準適合体制』／『APEC CBPR認証』）により個人データ"
        "（又は個人データとしての取得が想定される個人関連情報）の提供を受けるものについて、「体制の確認日」が"
        "空欄か12か月より前である。",
    ),
    message=("parties {record}: {problem}.", "相手方 {record}：{problem}。"),
    hint=(
        "Check the recipient's implementation of the safeguard (about once a year) and enter the date in safeguard_checked_on.",
        "提供先の体制の実施状況を定期的に（年1回程度）確認し、その日付を「体制の確認日」に記入してください。",
    ),
    cases={
        "never_checked": (
            "the {safeguard} safeguard of this recipient in {country} has never been checked (safeguard_checked_on is empty)",
            "{country_ja}の提供先の体制（『{safeguard_ja}』）を確認した記録がありません（「体制の確認日」が空欄）",
        ),
        "overdue": (
            "the safeguard was last checked on {checked}; the yearly check was due on {due}",
            "「体制の確認日」{checked} から1年の期限 {due} を過ぎています",
        ),
    },
)
XB_004 = rule(
    "XB-004", "error", "APPI Art 28(1)",
    title=("Opt-out abroad", "外国にある第三者へのオプトアウト提供"),
    description=(
        "`opt_out` to a third party in a foreign country: opt-out is not available there.",
        "外国にある第三者へのオプトアウトによる提供。外国にある第三者へはオプトアウトで提供できない。",
    ),
    message=(
        "provisions {record}: opt-out provision to {party} in {country}, where opt-out is not available.",
        "データ提供 {record}：{country_ja}の {party} へはオプトアウトによる提供はできません。",
    ),
    hint=(
        "Obtain the principals' consent (basis consent, with foreign_info_given) instead.",
        "本人の同意を得て提供してください（「提供の根拠」を『本人の同意』にし、「外国提供の情報提供」を『○』にする）。",
    ),
)
XB_005 = rule(
    "XB-005", "warning", "APPI Art 27(1)(i)",
    title=("'Based on law' to a recipient abroad", "外国の相手方への法令に基づく提供"),
    description=(
        "Basis `law` with a recipient outside Japan: \"laws and regulations\" means Japanese law; "
        "a foreign law does not count.",
        "「提供の根拠」が『法令に基づく場合』なのに提供先が日本国外にある。ここでいう法令は日本の法令であり、外国の法令は含まれない。",
    ),
    message=(
        "provisions {record}: basis law with recipient {party} in {country}; only Japanese law counts.",
        "データ提供 {record}：「提供の根拠」は『法令に基づく場合』ですが、提供先 {party} は{country_ja}にあります。法令は日本の法令に限られます。",
    ),
    hint=(
        "Confirm that a Japanese law requires the provision; if it is a foreign law, obtain consent instead.",
        "日本の法令に基づく提供であることを確認してください。外国の法令による場合は本人の同意が必要です。",
    ),
)


def _country(p: dict) -> dict[str, str]:
    code = p.get("country") or ""
    return {"country": f"{country_name(code, 'en')} ({code})", "country_ja": country_name(code, "ja")}


def _label(t: Table, column: str, code: str) -> str:
    """A code value as the officer's sheet shows it under --lang ja (the schema's label)."""
    return t.spec.column(column).enum_labels_ja.get(code, code)


def check(reg: Register, ctx) -> Iterator[Finding]:
    """Every XB finding; XB-001 also marks the provision's route as failed."""
    yield from _provisions(reg, ctx)
    yield from _safeguards(reg, ctx)


def _provisions(reg: Register, ctx) -> Iterator[Finding]:
    t = reg["provisions"]
    if not t.present or len(t) == 0:
        return
    for i, p in enumerate(t.rows):
        pid = p.get("provision_id")
        if pid is None:
            continue
        s = flows.item_set(reg, flows.items_of(p), p.get("dataset_id"))
        if not s.subject_to_art28:
            continue  # person-related: PRI-002; My Number only: Art 28 disapplied;
            # pseudonymised: Art 41(6) applies notwithstanding Art 28(1); anonymised: not PI
        recipient = flows.party(reg, p.get("party_id"))
        basis = p.get("basis")
        if flows.is_foreign_third_party(recipient):
            if basis in flows.ART27_5_BASES:
                ctx.fail_route(pid, XB_001.id)
                yield t.finding(XB_001, i, "basis", party=recipient["party_id"],
                                basis_ja=_label(t, "basis", basis), **_country(recipient))
            elif basis == "consent" and p.get("foreign_info_given") is not True \
                    and not flows.invalid(t, i, "foreign_info_given"):
                yield t.finding(XB_002, i, "foreign_info_given", value=p.get("foreign_info_given"),
                                **_country(recipient))
            elif basis == "opt_out":
                yield t.finding(XB_004, i, "basis", party=recipient["party_id"],
                                **_country(recipient))
        if basis == "law" and flows.is_outside_japan(recipient):
            yield t.finding(XB_005, i, "basis", party=recipient["party_id"], **_country(recipient))


def _safeguards(reg: Register, ctx) -> Iterator[Finding]:
    t = reg["parties"]
    if not t.present or len(t) == 0:
        return
    # a party receiving personal data under Art 28, or linked person-related information
    # (Art 31(2) applies Art 28(3)); unlinked person-related information is outside (docs/web.md §8)
    receiving = context.art28_recipients(reg)
    for i, p in enumerate(t.rows):
        country = p.get("country")
        if p.get("party_id") not in receiving or country in (None, "JP") or is_equivalent(country):
            continue
        if p.get("foreign_safeguard") not in ("system", "cbpr"):
            continue
        checked = p.get("safeguard_checked_on")
        if checked is None:
            if flows.invalid(t, i, "safeguard_checked_on"):
                continue
            yield t.finding(
                XB_003, i, "safeguard_checked_on", case="never_checked",
                safeguard=p["foreign_safeguard"],
                safeguard_ja=_label(t, "foreign_safeguard", p["foreign_safeguard"]),
                country=country, country_ja=country_name(country, "ja"),
            )
            continue
        due = add_months(checked, 12)
        if due < ctx.as_of:
            yield t.finding(
                XB_003, i, "safeguard_checked_on", case="overdue", checked=checked, due=due,
            )
