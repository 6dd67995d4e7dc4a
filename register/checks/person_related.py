"""PRI: person-related information provided to someone expected to link it (APPI Art 31).

Applies to provisions whose items, without my_number items, are all `person_related`
(docs/web.md §8): those are not provisions of personal data, so PRV and XB do not apply to them.
"""

from __future__ import annotations

from collections.abc import Iterator

from ..countries import country_name
from ..facts import flows
from ..findings import Finding, rule
from ..model import Register

PRI_001 = rule(
    "PRI-001", "error", "APPI Art 31(1)(i)",
    title=("Person-related information without confirmed consent", "個人関連情報の提供で同意の確認がない"),
    description=(
        "A person-related provision with `linkage_expected` has no `consent_confirmed_on`, or "
        "the consent was confirmed after the first event (not for bases `law`, `vital`, "
        "`public_health`, `public_agency`, `academic`).",
        "提供先が個人データとして取得することが想定される個人関連情報の提供で、本人の同意の確認日がない、"
        "または最初の提供より後に確認している（法令に基づく場合等を除く）。",
    ),
    message=("provisions {record}: {problem}.", "データ提供 {record}：{problem}。"),
    hint=(
        "Confirm with the recipient, before the first provision, that the principals consented to its acquiring the data as personal data, and enter the date in consent_confirmed_on.",
        "最初の提供の前に、提供先が本人から個人データとして取得することの同意を得ていることを確認し、その日付を「本人同意の確認日」に記入してください。",
    ),
    cases={
        "never_confirmed": (
            "the recipient is expected to link the data, but the principals' consent was never confirmed (consent_confirmed_on is empty)",
            "提供先での個人データとしての取得が想定されますが、本人の同意を確認していません（「本人同意の確認日」が空欄）",
        ),
        "confirmed_late": (
            "consent was confirmed on {confirmed}, after the first provision on {first}",
            "「本人同意の確認日」{confirmed} が最初の提供日 {first} より後です",
        ),
    },
)
PRI_002 = rule(
    "PRI-002", "error", "APPI Art 31(1)(ii)",
    title=("Person-related information abroad without the required information", "外国への個人関連情報の提供で情報提供の確認がない"),
    description=(
        "A person-related provision with `linkage_expected` to a third party in a foreign "
        "country without `foreign_info_given`.",
        "外国にある第三者への個人関連情報の提供（個人データとしての取得が想定されるもの）で、本人への外国の制度等の情報提供が確認されていない。",
    ),
    message=(
        "provisions {record}: person-related information to a recipient in {country} without foreign_info_given ({value}).",
        "データ提供 {record}：{country_ja}の提供先への個人関連情報の提供で「外国提供の情報提供」が {value} です。",
    ),
    hint=(
        "Confirm that the principals were told the country, its system and the recipient's measures before consenting, then set foreign_info_given to true.",
        "本人が同意する前に国名・制度・提供先の措置の情報を受けたことを確認し、「外国提供の情報提供」を『○』にしてください。",
    ),
)


def check(reg: Register, ctx=None) -> Iterator[Finding]:
    """Every PRI finding."""
    t = reg["provisions"]
    if not t.present or len(t) == 0:
        return
    first = flows.first_event_dates(reg)
    for i, p in enumerate(t.rows):
        pid = p.get("provision_id")
        if pid is None or p.get("linkage_expected") is not True:
            continue
        if not flows.item_set(reg, flows.items_of(p), p.get("dataset_id")).person_related:
            continue  # in the context of its dataset (docs/web.md §2)
        if p.get("basis") not in flows.ART27_1_BASES:
            confirmed = p.get("consent_confirmed_on")
            if confirmed is None and not flows.invalid(t, i, "consent_confirmed_on"):
                yield t.finding(PRI_001, i, "consent_confirmed_on", case="never_confirmed")
            elif confirmed is not None and pid in first and confirmed > first[pid]:
                yield t.finding(
                    PRI_001, i, "consent_confirmed_on", case="confirmed_late",
                    confirmed=confirmed, first=first[pid],
                )
        recipient = flows.party(reg, p.get("party_id"))
        if flows.is_foreign_third_party(recipient) and p.get("foreign_info_given") is not True \
                and not flows.invalid(t, i, "foreign_info_given"):
            code = recipient.get("country")
            yield t.finding(
                PRI_002, i, "foreign_info_given", value=p.get("foreign_info_given"),
                country=f"{country_name(code, 'en')} ({code})", country_ja=country_name(code, "ja"),
            )
