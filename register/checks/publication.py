"""PUB: the public matters about retained personal data (docs/publish.md §4; APPI
Art 17, 21, 23, 32, 33, 37; Cabinet Order Art 10, 13).

Each rule reads `facts.publication` — the same facts `register publish` prints — so the gap list
of the document and these findings cannot disagree. All start as warnings (docs/publish.md §4):
PUB-003 and PUB-009 are candidates for `error`, since the register itself proves the breach.
"""

from __future__ import annotations

from collections.abc import Iterator

from ..countries import country_name
from ..facts import flows
from ..facts.publication import (
    EXTERNAL,
    KINDS,
    REQUIRED_CATEGORIES,
    Publication,
    publication,
)
from ..findings import Finding, Location, rule
from ..model import Register
from .structure import SCH_003

PUB_001 = rule(
    "PUB-001", "warning", "APPI Art 17(1); PPC GL (General Rules) 3-1-1",
    title=("Consent provision the published purposes do not foresee",
           "利用目的に第三者提供が含まれていない同意による提供"),
    description=(
        "A provision of personal data with basis `consent` whose `dataset_id` names a dataset of "
        "our retained personal data none of whose purposes has `third_party_provision` true: "
        "where provision to third parties is foreseen, the purpose must say so.",
        "「提供の根拠」が『本人の同意』の個人データの提供で、提供元の個人情報データベース等（保有個人データ）の"
        "どの利用目的も「第三者提供の明示」が『○』でない。第三者への提供を想定している場合は、利用目的でその旨を"
        "特定しなければならない。",
    ),
    message=(
        "provisions {record}: personal data of dataset {dataset} is provided to a third party with consent, but none of its purposes ({purposes}) says that data is provided to third parties.",
        "データ提供 {record}：提供元データベース {dataset} の個人データを本人の同意により第三者に提供していますが、その利用目的（{purposes}）のいずれも「第三者提供の明示」が『○』ではありません。",
    ),
    hint=(
        "Specify in the dataset's purpose that data is provided to third parties, make the purpose known (published or notified) and set third_party_provision to true; otherwise stop the provision.",
        "利用目的に第三者への提供を含む旨を特定して公表又は本人に通知し、「第三者提供の明示」を『○』にしてください。そうでなければ提供をやめてください。",
    ),
)
PUB_002 = rule(
    "PUB-002", "warning", "APPI Art 21(3)",
    title=("Changed purpose not published", "変更した利用目的の公表日がない"),
    description=(
        "A purpose with `changed_from` given and `published_on` empty: a changed purpose must be "
        "notified to the principals or published.",
        "「変更前の利用目的ID」がある利用目的で「公表日」が空欄である。変更した利用目的は本人に通知し、"
        "又は公表しなければならない。",
    ),
    message=(
        "purposes {record}: the purpose replaced purpose {changed_from}, but published_on is empty.",
        "利用目的 {record}：利用目的 {changed_from} を変更したものですが、「公表日」が空欄です。",
    ),
    hint=(
        "Publish the changed purpose (or notify it to the principals) and enter the date in published_on.",
        "変更後の利用目的を公表し（又は本人に通知し）、その日付を「公表日」に記入してください。",
    ),
)
PUB_003 = rule(
    "PUB-003", "warning",
    "Cabinet Order Art 10(i); PPC GL (General Rules) 3-8-1 ※8, 10-7; PPC Q&A 10-24, 12-3",
    title=("Foreign country where data is handled, not named", "個人データを取り扱う外国を公表していない"),
    description=(
        "Retained personal data is handled in a foreign country — stored there, kept by a cloud "
        "provider there, handled by a contractor there under a contract in force, or the "
        "organization is there — and no published `security_measures` row of category "
        "`external_environment` names that country.",
        "保有個人データを外国で取り扱っている（その国で保管している、その国のクラウド事業者が保管している、"
        "有効な委託契約によりその国の委託先が取り扱っている、又は当社がその国にある）のに、「安全管理措置」の"
        "『外的環境の把握』でその国を公表していない。",
    ),
    message=("{problem}, but no published measure under external environment names {country_name}.",
             "{problem}が、「安全管理措置」の『外的環境の把握』で{country_ja}を公表していません。"),
    hint=(
        "Add a security_measures row with category external_environment and country {country}, stating the measures taken after learning that country's system for the protection of personal information.",
        "「安全管理措置」に「区分」が『外的環境の把握』、「国」が {country} の行を追加し、その国の個人情報の保護に関する制度を把握したうえで講じた措置を記入してください。",
    ),
    cases={
        "storage": (
            "datasets {record}: retained personal data is stored in {country_name} ({country})",
            "個人情報データベース等 {record}：保有個人データを{country_ja}で保管しています",
        ),
        "cloud": (
            "datasets {record}: retained personal data is kept by the cloud provider {party}, in {country_name} ({country})",
            "個人情報データベース等 {record}：保有個人データを{country_ja}のクラウド事業者 {party} が保管しています",
        ),
        "contractor": (
            "contractors {record}: contractor {party}, in {country_name} ({country}), handles personal data for us under a contract in force",
            "委託先 {record}：{country_ja}の委託先 {party} が、有効な委託契約により個人データを取り扱っています",
        ),
        "organization": (
            "organization: the organization itself is in {country_name} ({country})",
            "事業者：当社が{country_ja}にあります",
        ),
    },
)
PUB_004 = rule(
    "PUB-004", "warning", "APPI Art 32(1)(iv); Cabinet Order Art 10(i)",
    title=("No security measure published", "安全管理措置を公表していない"),
    description=(
        "The organization holds retained personal data and no security measure is published "
        "(no `security_measures` row is published with a category and a text).",
        "保有個人データを取り扱っているのに、公表する安全管理措置がない（「安全管理措置」に、「区分」と「内容」が"
        "あり公表する行がない）。",
    ),
    message=(
        "security_measures: the organization holds retained personal data (datasets {datasets}), but publishes no security measure.",
        "安全管理措置：保有個人データ（個人情報データベース等 {datasets}）を取り扱っていますが、公表する安全管理措置がありません。",
    ),
    hint=(
        "Enter in security_measures the measures taken, by category (handling rules, organizational, human, physical and technical measures, external environment); stating that the guidelines are followed is not enough.",
        "「安全管理措置」に、講じた措置を区分（『個人データの取扱いに係る規律の整備』『組織的安全管理措置』『人的安全管理措置』『物理的安全管理措置』『技術的安全管理措置』『外的環境の把握』）ごとに記入してください。ガイドラインに従っている旨の記載だけでは足りません。",
    ),
)
PUB_005 = rule(
    "PUB-005", "warning",
    "APPI Art 23; Cabinet Order Art 10(i); PPC GL (General Rules) 10-2 to 10-6",
    title=("Category of security measures not published", "公表していない安全管理措置の区分"),
    description=(
        "The organization holds retained personal data and publishes some measures, but none of "
        "one of the categories `handling_rules`, `organizational`, `human`, `physical`, "
        "`technical` (the basic policy is desirable only).",
        "保有個人データを取り扱い安全管理措置を公表しているが、『個人データの取扱いに係る規律の整備』"
        "『組織的安全管理措置』『人的安全管理措置』『物理的安全管理措置』『技術的安全管理措置』のいずれかの区分の"
        "措置を公表していない（『基本方針の策定』は望ましい措置）。",
    ),
    message=(
        "security_measures: no published measure of category {category}.",
        "安全管理措置：『{category_ja}』の措置を公表していません。",
    ),
    hint=(
        "Add the {category} measures taken to security_measures (PPC GL (General Rules) {section}); a measure withheld for security (publish false) does not count.",
        "講じている『{category_ja}』の措置を「安全管理措置」に追加してください（ガイドライン通則編{section}）。「公表」が『×』の措置は数えません。",
    ),
)
PUB_006 = rule(
    "PUB-006", "warning", "PPC GL (General Rules) 3-8-1 ※8",
    title=("External-environment measure naming no foreign country", "外国を指定していない外的環境の把握の措置"),
    description=(
        "A `security_measures` row of category `external_environment` whose `country` is empty "
        "or JP: the measure names no foreign country.",
        "「区分」が『外的環境の把握』の措置で、「国」が空欄又は日本である。",
    ),
    message=(
        "security_measures {record}: a measure under external environment, but its country is {value}: it names no foreign country.",
        "安全管理措置 {record}：『外的環境の把握』の措置ですが、「国」が{value_ja}で、外国を指定していません。",
    ),
    hint=(
        "Enter in country the foreign country whose system the measure concerns.",
        "「国」に、その措置が対象とする外国を記入してください。",
    ),
)
PUB_007 = rule(
    "PUB-007", "warning",
    "APPI Art 32(1), 27(5)(iii),(6), 43(3); TBA Art 27-12; PPC GL (General Rules) 3-8-1 ※1",
    title=("Published text no longer matches the register", "公表内容が台帳と一致しない"),
    description=(
        "For a kind of text, the latest `notice_versions` entry (by `published_on`, up to the "
        "as-of date) has a `sha256` that differs from the SHA-256 of the same content that "
        "`register publish` gives now: the published text is out of date (it must always be current).",
        "公表の種類ごとに、基準日までの最新の「公表履歴」の「SHA-256」が、現在の台帳から作成した公表事項の"
        "SHA-256と異なる。公表内容は常に最新でなければならない。",
    ),
    message=(
        "notice_versions {record}: the {kind} text published on {published_on} has SHA-256 {published}, but the register now gives {current}: the published text is out of date.",
        "公表履歴 {record}：{published_on}に公表した『{kind_ja}』のSHA-256は {published} ですが、現在の台帳からは {current} となり、公表内容が最新ではありません。",
    ),
    hint=(
        "Publish the current text (register publish prints it and its SHA-256), then add a notice_versions row with the date and that SHA-256.",
        "現在の台帳から公表事項を作成して公表し、その日付と表示されたSHA-256を「公表履歴」に1行追加してください。",
    ),
)
PUB_008 = rule(
    "PUB-008", "warning", "APPI Art 21(2),(4)(iv); PPC GL (General Rules) 3-3-4",
    title=("Purpose not stated explicitly when acquired in writing",
           "書面等による直接取得で利用目的を明示していない"),
    description=(
        "A dataset with `acquisition_form` `direct_written` whose `purpose_notice` is not "
        "`explicit` or `obvious` (empty included): data acquired directly from the principal "
        "in writing needs the purpose stated explicitly beforehand.",
        "「取得の形態」が『本人から直接書面等で取得』で、「利用目的の通知等」が『明示』又は"
        "『取得の状況から明らか』でない（空欄を含む）。本人から直接書面等で取得する場合は、あらかじめ利用目的を"
        "明示しなければならない。",
    ),
    message=(
        "datasets {record}: acquired directly from the principal in writing (a form, contract or input screen), but purpose_notice is {value}: the purpose must be stated explicitly beforehand.",
        "個人情報データベース等 {record}：本人から直接書面等で取得していますが、「利用目的の通知等」が{value_ja}です。あらかじめ利用目的を明示しなければなりません。",
    ),
    hint=(
        "State the purpose explicitly before acquiring (on the form or screen) and set purpose_notice to explicit; if it is obvious from the circumstances, set obvious.",
        "取得の前に申込書や入力画面で利用目的を明示し、「利用目的の通知等」を『明示』にしてください。取得の状況から利用目的が明らかな場合は『取得の状況から明らか』にしてください。",
    ),
)
PUB_009 = rule(
    "PUB-009", "warning", "APPI Art 37(3); Cabinet Order Art 13",
    title=("Requests by agents refused", "代理人による請求を受け付けていない"),
    description=(
        "`organization.agent_allowed` is false: a principal's legal representative (of a minor "
        "or an adult ward) and an agent the principal mandated may make requests.",
        "「事業者」の「代理人による請求」が『×』である。未成年者・成年被後見人の法定代理人や、本人が委任した"
        "代理人も開示等の請求等ができる。",
    ),
    message=(
        "organization: agent_allowed is false, but legal representatives and agents the principal mandated may make requests.",
        "事業者：「代理人による請求」が『×』ですが、法定代理人や本人が委任した代理人も開示等の請求等ができます。",
    ),
    hint=(
        "Accept requests by agents (state in identity_check how an agent is identified) and set agent_allowed to true.",
        "代理人による請求を受け付け（代理人の確認方法を「本人確認の方法」に記載し）、「代理人による請求」を『○』にしてください。",
    ),
)
PUB_010 = rule(
    "PUB-010", "warning", "APPI Art 33(1),(2); APPI Rules Art 30",
    title=("Disclosure method the principal cannot choose", "本人が選べない開示の方法"),
    description=(
        "`organization.disclosure_methods` is given and lacks `electronic` or `paper`: "
        "disclosure is by electronic record or on paper, as the principal chooses.",
        "「事業者」の「開示の方法」に『電磁的記録の提供』又は『書面の交付』が含まれていない。開示は、電磁的記録の"
        "提供又は書面の交付のうち本人が指示した方法による。",
    ),
    message=(
        "organization: disclosure_methods lacks {missing}: disclosure is by electronic record or on paper, as the principal chooses.",
        "事業者：「開示の方法」に{missing_ja}がありません。開示は、電磁的記録の提供又は書面の交付のうち本人が指示した方法によります。",
    ),
    hint=(
        "Offer both electronic and paper disclosure in disclosure_methods.",
        "「開示の方法」に『電磁的記録の提供』と『書面の交付』の両方を含めてください。",
    ),
)
PUB_011 = rule(
    "PUB-011", "warning", "Cabinet Order Art 10(iii)",
    title=("Accredited organisation stated in part", "認定個人情報保護団体の記載が不完全"),
    description=(
        "Exactly one of `accredited_org` and `accredited_org_contact` is given: the name of the "
        "accredited organisation and its complaint desk are published together.",
        "「認定個人情報保護団体」と「認定団体の苦情申出先」の一方だけが記入されている。名称と苦情の申出先を"
        "ともに公表する。",
    ),
    message=("organization: {problem}.", "事業者：{problem}。"),
    hint=(
        "Enter both the accredited organisation's name and its complaint desk, or neither if the organization is not its target business.",
        "認定個人情報保護団体の名称と苦情の申出先を両方記入してください。対象事業者でなければ両方とも空欄にしてください。",
    ),
    cases={
        "no_contact": (
            "accredited_org is {name}, but its complaint desk (accredited_org_contact) is empty",
            "「認定個人情報保護団体」が {name} ですが、「認定団体の苦情申出先」が空欄です",
        ),
        "no_name": (
            "accredited_org_contact is given, but the organisation's name (accredited_org) is empty",
            "「認定団体の苦情申出先」が記入されていますが、「認定個人情報保護団体」が空欄です",
        ),
    },
)
PUB_012 = rule(
    "PUB-012", "info", "Cabinet Order Art 10(iii)",
    title=("Privacy Mark holder naming no accredited organisation",
           "認定個人情報保護団体の記載がないプライバシーマーク取得事業者"),
    description=(
        "`privacy_mark` is true and `accredited_org` is empty: a Privacy Mark holder that "
        "consented to be a target business of JIPDEC's accredited organisation must publish it "
        "(membership is entered, never inferred).",
        "「プライバシーマーク」が『○』で「認定個人情報保護団体」が空欄である。JIPDECの認定個人情報保護団体の"
        "対象事業者となることに同意した事業者は、その名称と苦情の申出先を公表しなければならない。",
    ),
    message=(
        "organization: the organization holds the Privacy Mark and names no accredited organisation; if it is a target business of JIPDEC's accredited organisation, that organisation must be published.",
        "事業者：プライバシーマークを取得していますが、「認定個人情報保護団体」が空欄です。JIPDECの認定個人情報保護団体の対象事業者であれば、その団体を公表しなければなりません。",
    ),
    hint=(
        "If the organization is a target business of an accredited organisation, enter its name and complaint desk; otherwise nothing is needed.",
        "認定個人情報保護団体の対象事業者であれば、その名称と苦情の申出先を記入してください。そうでなければ対応は不要です。",
    ),
)

# Words of SCH-003 for a notice_versions.sha256 that is not a SHA-256 (docs/publish.md §5).
_SHA_EXPECTED = ("SHA-256 (64 hexadecimal digits, as register publish prints it)",
                 "SHA-256（公表事項の作成時に表示される16進数64桁）")
# The PPC guideline section of each required category (PUB-005's hint).
_GL_SECTION = {"handling_rules": "10-2", "organizational": "10-3", "human": "10-4",
               "physical": "10-5", "technical": "10-6"}
# The rules the `register publish` gap list holds besides PUB (docs/publish.md §3).
GAP_RULES = ("JNT-001",)


def is_gap(rule_id: str) -> bool:
    """A finding the public document's gap list shows (docs/publish.md §3)."""
    return rule_id.startswith("PUB-") or rule_id in GAP_RULES


def check(reg: Register, ctx) -> Iterator[Finding]:
    """Every PUB finding on the as-of date (and SCH-003 for a malformed notice hash)."""
    pub = publication(reg, ctx.as_of)
    yield from _consent_provisions(reg, pub)
    yield from _changed_purposes(reg)
    yield from _countries(reg, pub)
    yield from _measures(reg, pub)
    yield from _notices(reg, pub)
    yield from _acquisition(reg)
    yield from _organization(reg)


def _labels(table: str, column: str) -> dict[str, str]:
    from .. import schema

    return schema.table(table).column(column).enum_labels_ja


def _consent_provisions(reg: Register, pub: Publication) -> Iterator[Finding]:
    t = reg["provisions"]
    if not t.present or not pub.listed:
        return
    items = flows.provision_items(reg)
    for i, p in enumerate(t.rows):
        pid, did = p.get("provision_id"), p.get("dataset_id")
        if p.get("basis") != "consent" or did not in pub.listed or pub.foresees_provision[did]:
            continue
        s = items.get(pid) if pid is not None else None
        if s is None or not s.personal_data:  # as PRV scopes it (docs/web.md §2)
            continue
        purposes = flows.items_of(reg["datasets"].rows[pub.listed[did]], "purpose_ids")
        yield t.finding(PUB_001, i, "dataset_id", dataset=did, purposes=purposes)


def _changed_purposes(reg: Register) -> Iterator[Finding]:
    t = reg["purposes"]
    for i, u in enumerate(t.rows if t.present else ()):
        if not flows.given(t, i, "changed_from"):
            continue
        if u.get("published_on") is None and not flows.invalid(t, i, "published_on"):
            changed = u.get("changed_from") or t.raw["changed_from"][i]
            yield t.finding(PUB_002, i, "published_on", changed_from=changed)


def _countries(reg: Register, pub: Publication) -> Iterator[Finding]:
    for s in pub.sources:
        if s.country in pub.named:
            continue
        t = reg[s.table]
        case = {"storage_country": "storage", "cloud_party_id": "cloud", "party_id": "contractor",
                "country": "organization"}[s.field]
        party = flows.party(reg, s.party_id)
        yield t.finding(
            PUB_003, s.row, s.field, case=case, country=s.country,
            country_name=country_name(s.country, "en"), country_ja=country_name(s.country, "ja"),
            party=(party or {}).get("name") or s.party_id,
        )


def _measures(reg: Register, pub: Publication) -> Iterator[Finding]:
    t = reg["security_measures"]
    if pub.holds_retained and not pub.printed:
        datasets = [d for d in pub.listed]
        # the table may be absent: point at where it goes (the JSON member, or the file)
        where = t.location(None) if t.present else Location(
            file=reg.source, pointer=f"/{t.name}" if reg.form == "json" else None,
        )
        yield PUB_004(table=t.name, location=where, datasets=datasets)
    elif pub.holds_retained:
        labels = _labels("security_measures", "category")
        for cat in REQUIRED_CATEGORIES:
            if cat not in pub.printed_categories:
                yield t.finding(PUB_005, None, "category", category=cat,
                                category_ja=labels[cat], section=_GL_SECTION[cat])
    for i, m in enumerate(t.rows if t.present else ()):
        # a row with an invalid category or no text counts for no rule (docs/publish.md §5)
        if m.get("category") != EXTERNAL or not str(m.get("text") or "").strip():
            continue
        country = m.get("country")
        if flows.invalid(t, i, "country") or (country is not None and country != "JP"):
            continue
        yield t.finding(PUB_006, i, "country", value=country,
                        value_ja="空欄" if country is None else country_name(country, "ja"))


def _notices(reg: Register, pub: Publication) -> Iterator[Finding]:
    t = reg["notice_versions"]
    if not t.present:
        return
    for i in pub.bad_sha256:
        yield t.finding(SCH_003, i, "sha256", table_ja=t.spec.label_ja,
                        label=t.spec.column("sha256").label_ja,
                        expected=_SHA_EXPECTED[0], expected_ja=_SHA_EXPECTED[1],
                        fix=f"Write sha256 as the {_SHA_EXPECTED[0]}.",
                        fix_ja=f"「{t.spec.column('sha256').label_ja}」は{_SHA_EXPECTED[1]}で記入してください。")
    kinds = _labels("notice_versions", "kind")
    for kind in KINDS:
        e = pub.latest[kind]
        if e is None or e.matches is not False:
            continue
        yield t.finding(PUB_007, e.row, "sha256", kind=kind, kind_ja=kinds[kind],
                        published_on=e.published_on, published=e.sha256, current=e.current)


def _acquisition(reg: Register) -> Iterator[Finding]:
    t = reg["datasets"]
    labels = _labels("datasets", "purpose_notice")
    for i, d in enumerate(t.rows if t.present else ()):
        if d.get("acquisition_form") != "direct_written":
            continue
        notice = d.get("purpose_notice")
        if notice in ("explicit", "obvious") or flows.invalid(t, i, "purpose_notice"):
            continue
        yield t.finding(PUB_008, i, "purpose_notice", value=notice,
                        value_ja="空欄" if notice is None else f"『{labels[notice]}』")


def _organization(reg: Register) -> Iterator[Finding]:
    t = reg["organization"]
    if not t.present or len(t) != 1:
        return
    org = t.rows[0]
    if org.get("agent_allowed") is False:
        yield t.finding(PUB_009, 0, "agent_allowed")
    if flows.given(t, 0, "disclosure_methods"):
        methods = set(org.get("disclosure_methods") or ())
        missing = [m for m in ("electronic", "paper") if m not in methods]
        if missing:
            labels = _labels("organization", "disclosure_methods")
            yield t.finding(PUB_010, 0, "disclosure_methods", missing=missing,
                            missing_ja="・".join(f"『{labels[m]}』" for m in missing))
    name = str(org.get("accredited_org") or "").strip()
    contact = str(org.get("accredited_org_contact") or "").strip()
    if name and not contact:
        yield t.finding(PUB_011, 0, "accredited_org_contact", case="no_contact",
                        name=org.get("accredited_org"))
    elif contact and not name:
        yield t.finding(PUB_011, 0, "accredited_org", case="no_name")
    if org.get("privacy_mark") is True and not name:
        yield t.finding(PUB_012, 0, "accredited_org")
