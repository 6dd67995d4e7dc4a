"""The report's message catalogue: every label in English and Japanese, in one place.

Column and enum labels in Japanese come from the schemas (`x-label-ja`, `x-enum-labels-ja`);
this module holds only the report's own words: section titles, headings, the route and
exemption explanations an auditor reads in plain language.
"""

from __future__ import annotations

from .. import schema

# key → (English, Japanese)
TEXT: dict[str, tuple[str, str]] = {
    "doc_title": ("Personal data register — auditor report", "個人データ台帳 監査報告書"),
    "toc": ("Contents", "目次"),
    # sections
    "sec_org": ("Organization and inputs", "事業者と入力"),
    "sec_summary": ("Summary of findings", "指摘の概要"),
    "sec_recipients": ("Recipients: route, record and findings", "提供先ごとの経路・記録・指摘"),
    "sec_findings": ("All findings", "指摘一覧"),
    "sec_inventory": ("Inventory of personal data", "個人データの管理台帳"),
    "sec_flowmap": ("Flow map", "データフロー図"),
    "sec_contractors": ("Outsourcing contractors", "委託先"),
    "sec_joint": ("Joint uses", "共同利用"),
    "sec_held_data": ("Data held for clients (受託)", "受託データ"),
    "sec_xb": ("Cross-border recipients", "外国にある第三者への提供"),
    "sec_records": ("Records and retention", "記録と保存期間"),
    "sec_exempt": ("Flows without a record", "記録を要しない提供・受領"),
    "sec_receipts": ("Receipts (confirmation duty)", "第三者からの受領（確認義務）"),
    # organization / inputs
    "org_name": ("Name", "名称"),
    "org_address": ("Address", "住所"),
    "org_representative": ("Representative", "代表者"),
    "org_contact": ("Inquiry desk", "問い合わせ窓口"),
    "org_corporate_number": ("Corporate number", "法人番号"),
    "org_country": ("Country", "国"),
    "input_source": ("Input (as given)", "入力（指定どおり）"),
    "input_form": ("Form", "形式"),
    "input_file": ("File", "ファイル"),
    "input_sha256": ("SHA-256", "SHA-256"),
    "as_of": ("As of", "基準日"),
    "tool_version": ("Tool version", "ツールのバージョン"),
    "tool": ("register", "register"),
    # summary
    "severity": ("Severity", "重大度"),
    "count": ("Count", "件数"),
    "rule": ("Rule", "ルール"),
    "title": ("Title", "内容"),
    "law": ("Law", "根拠法令"),
    "suppressed": ("Not listed (over 100 per rule)", "省略（1ルール100件超）"),
    "sev_error": ("error", "エラー"),
    "sev_warning": ("warning", "警告"),
    "sev_info": ("info", "情報"),
    "no_findings": ("No findings.", "指摘はありません。"),
    "chart_findings_by_rule": ("Findings by rule", "ルール別の指摘件数"),
    # findings
    "location": ("Location", "場所"),
    "record": ("Record", "レコード"),
    "message": ("Finding", "指摘"),
    "hint": ("How to fix", "修正方法"),
    "table": ("Table", "表"),
    "field": ("Column", "列"),
    # recipients
    "party": ("Party", "相手方"),
    "country": ("Country", "国"),
    "provisions": ("Provisions", "提供"),
    "basis": ("Basis", "根拠"),
    "route": ("Route and record", "経路と記録"),
    "findings_on": ("Findings (where to fix)", "指摘（修正箇所）"),
    "events": ("events logged: {n}", "提供実績 {n}件"),
    "no_events": ("no events logged: no record made yet", "提供実績なし（記録は未作成）"),
    "none": ("none", "なし"),
    "not_classified": ("not classified (route classifier did not run)", "未分類（経路判定が実行されていません）"),
    "record_needed": ("record needed", "記録が必要"),
    "no_record_needed": ("no record needed", "記録不要"),
    "in_violation": ("in violation", "法令違反のおそれ"),
    "route_failed": (
        "the {basis} route fails ({rules}): an ordinary provision to a third party",
        "{basis}の要件を満たさない（{rules}）ため、通常の第三者提供として扱われます",
    ),
    "record_of_type": ("{type}, {method}", "{type}（{method}）"),
    "items": ("Items", "項目"),
    # inventory
    "dataset": ("Dataset", "データベース等"),
    "subjects": ("Subjects", "本人の種類"),
    "source": ("Source", "取得元"),
    "purposes": ("Purposes", "利用目的"),
    "held": ("held", "保有"),
    "legend_special": ("special-care-required information (APPI Art 2(3))", "要配慮個人情報（法2条3項）"),
    "legend_my_number": ("My Number (specific personal information)", "特定個人情報（マイナンバー）"),
    "legend_person_related": ("person-related information (APPI Art 2(7))", "個人関連情報（法2条7項）"),
    "special_care_basis": ("Special-care basis", "要配慮個人情報の取得根拠"),
    "storage": ("Storage", "保管場所"),
    "tpp": ("third-party provision published", "第三者提供を明示"),
    "no_datasets": ("No datasets in the register.", "データベース等の登録がありません。"),
    # flow map
    "flowmap_intro": (
        "Each line is one provision, from its source dataset (left) to its recipient (right), "
        "coloured by outcome and labelled with its basis and route.",
        "各線が一つの提供です。提供元のデータベース等（左）から提供先（右）へ、結果で色分けし、"
        "根拠と経路を表示しています。",
    ),
    "legend": ("Legend", "凡例"),
    "no_dataset": ("(no source dataset)", "（提供元の記載なし）"),
    "no_provisions": ("No provisions in the register.", "提供の登録がありません。"),
    # contractors
    "contract": ("Contract", "契約"),
    "task": ("Task", "委託業務"),
    "contract_on": ("Signed", "契約締結日"),
    "security_terms": ("Security terms", "安全管理措置の規定"),
    "audit": ("Audit", "監査"),
    "audit_interval": ("every {n} months", "{n}か月ごと"),
    "last_audit_on": ("Last audit", "前回監査日"),
    "next_audit": ("Next audit due", "次回監査期限"),
    "subcontracting": ("Subcontracting", "再委託"),
    "ends_on": ("Ends", "終了日"),
    "status": ("Status", "状況"),
    "audit_ok": ("audit current", "監査実施済み"),
    "audit_overdue": ("audit overdue", "監査期限切れ"),
    "audit_never": ("never audited", "監査未実施"),
    "contract_ended": ("contract ended", "契約終了"),
    "contract_not_yet": ("not yet in force", "契約開始前"),
    "no_contract": ("no signed contract", "契約未締結"),
    "yes": ("yes", "あり"),
    "no": ("no", "なし"),
    "missing": ("missing", "未記載"),
    "no_contractors": ("No outsourcing contracts in the register.", "委託契約の登録がありません。"),
    # joint uses
    "joint_use": ("Joint use", "共同利用"),
    "matter1": ("(1) Fact of joint use — notified on", "①共同利用をする旨（通知・公表日）"),
    "matter2": ("(2) Items used jointly", "②共同利用される個人データの項目"),
    "matter3": ("(3) Scope of joint users", "③共同利用する者の範囲"),
    "matter4": ("(4) Purposes of use", "④利用する者の利用目的"),
    "matter5": ("(5) Person responsible (name, address, representative)", "⑤管理責任者の氏名・名称、住所、代表者"),
    "users_listed": ("Joint users listed", "共同利用者（列挙）"),
    "notice_url": ("Published at", "公表場所"),
    "no_joint_uses": ("No joint uses in the register.", "共同利用の登録がありません。"),
    "as_in_force": ("as in force on {date}", "{date}時点"),
    "not_published": ("not published", "公表なし"),
    "manager_address": ("address", "住所"),
    "manager_representative": ("representative", "代表者"),
    "joint_changes": ("Changes of the joint-use matters", "共同利用の事項の変更"),
    "change": ("Change", "変更"),
    "matter": ("Matter", "変更事項"),
    "effective_on": ("Effective", "変更日"),
    "notified_on": ("Notified or published", "通知・公表日"),
    "change_basis": ("Basis", "変更の根拠"),
    "before_after": ("Before → after", "変更前 → 変更後"),
    "before": ("before:", "変更前："),
    "after": ("after:", "変更後："),
    "not_notified": ("not notified", "未通知"),
    "change_pending": ("pending: after the as-of date", "予定（基準日より後）"),
    "change_invalid": ("not read: see the findings", "読み取れない変更（指摘を参照）"),
    "unchanged_text": ("(text unchanged)", "（記載の変更なし）"),
    "not_listed": ("not listed", "列挙なし"),
    "no_joint_changes": ("No changes of joint-use matters are recorded.", "共同利用の事項の変更の記録はありません。"),
    # data held for clients (受託)
    "held_for_client": ("held for client", "受託"),
    "client": ("Client", "委託元"),
    "client_purposes": ("Client's purposes", "委託元の利用目的"),
    "held_kind": ("Kind", "区分"),
    "held_kind_return": ("return to the client", "委託元への返還"),
    "held_kind_re_entrustment": ("re-entrustment", "再委託"),
    "held_kind_other": ("other", "その他"),
    "client_approved": ("approved by the client on {date}", "委託元の承諾日 {date}"),
    "client_not_approved": ("not approved by the client", "委託元の承諾なし"),
    "recipient": ("Recipient", "提供先"),
    "rules": ("Rules", "ルール"),
    "no_held_data": ("No data held for clients in the register.", "受託データの登録がありません。"),
    "carries_held_data": ("carries data held for", "受託データの委託元"),
    # cross-border
    "equivalent": ("Equivalent-system country", "同等水準国"),
    "safeguard": ("Safeguard", "体制整備"),
    "safeguard_checked_on": ("Safeguard last checked", "体制の定期確認日"),
    "foreign_third_party": ("Foreign third party (Art 28)", "外国にある第三者（法28条）"),
    "no_xb": ("No recipients outside Japan.", "外国にある提供先はありません。"),
    "xb_not_applicable": (
        "not applicable — no personal data provided", "該当なし（個人データの提供なし）"),
    # web tags and external transmission (docs/web.md §9)
    "sec_tags": ("Web tags and external transmission", "外部送信（電気通信事業法第27条の12）"),
    "tags_intro": (
        "A tag, SDK or module that makes the user's device send information to someone must be "
        "announced per tag — the information sent, who receives it and both purposes — on a "
        "service the Telecommunications Business Act covers, unless an exemption holds. What "
        "the vendor's code collects for the vendor is not our provision under the APPI; what we "
        "send through a tag from data we hold is, and is classified like any other provision.",
        "利用者の端末から情報を送信させるタグ・SDK・モジュールは、電気通信事業法の対象となるサービスでは、"
        "適用除外に当たる場合を除き、タグごとに送信される情報、送信先、当社と送信先の利用目的を通知又は公表"
        "しなければなりません。送信先のコードが送信先のために取得する情報は個人情報保護法上の当社の提供では"
        "なく、当社が保有する情報をタグで送信する場合は当社の提供として他の提供と同じく判定します。",
    ),
    "services": ("Services", "提供サービス"),
    "service": ("Service", "サービス"),
    "service_category": ("Category", "対象役務の区分"),
    "service_covered": ("Covered by the rule", "規律の対象"),
    "notice_page": ("Notice page", "公表ページ"),
    "notice_on": ("Published on", "公表日"),
    "tag": ("Tag", "タグ"),
    "tag_recipient": ("Recipient", "送信先"),
    "tag_items": ("Information sent", "送信される情報"),
    "tag_purposes": ("Purposes (ours / the recipient's)", "利用目的（当社／送信先）"),
    "tag_exemption": ("Exemption", "適用除外"),
    "tag_notice": ("Notice", "通知・公表"),
    "tag_appi": ("Under the APPI", "個人情報保護法上の扱い"),
    "tag_period": ("In place", "設置期間"),
    "tag_self": ("own server", "自社サーバー"),
    "tag_own_server": (
        "sent to our own server — our own acquisition, no provision (no APPI record)",
        "自社サーバーへの送信（当社自身の取得であり、第三者提供に当たらず記録は不要）",
    ),
    "covered": ("covered", "対象"),
    "not_covered": ("not covered", "対象外"),
    "tag_opt_out": ("opt-out", "オプトアウト"),
    "no_services": ("No web services in the register.", "提供サービスの登録がありません。"),
    "no_tags": ("No tags in the register.", "外部送信の登録がありません。"),
    "notice_required": ("notice required", "通知・公表が必要"),
    "notice_exempt": ("exempt", "適用除外"),
    "notice_not_covered": ("not covered (no service the rule covers)", "対象外（規律の対象のサービスにない）"),
    "notice_unknown": ("undecided (a service's category is not judged)", "未判定（サービスの区分が未判定）"),
    "notice_not_live": ("not in place on the as-of date", "基準日に設置されていない"),
    "notice_published": ("published in time", "期限内に公表済み"),
    "notice_late": ("not published in time (EXT-001)", "期限内の公表なし（EXT-001）"),
    "tag_direct_collection": (
        "collected directly by the vendor — not our provision (no APPI record)",
        "送信先による直接の取得（当社の提供に当たらず、記録は不要）",
    ),
    "tag_provision": ("our provision {provision} — {route}", "当社の提供 {provision}：{route}"),
    "tag_provision_unknown": (
        "provision {provision} does not exist: unresolved (REF-002)",
        "データ提供 {provision} が存在しないため判定できません（REF-002）",
    ),
    "tag_edge_direct": ("tag → direct collection", "タグ → 送信先の直接取得"),
    "basis_none_short": ("no route", "法の経路なし"),
    "tag_edge_provision": ("tag → {provision}", "タグ → {provision}"),
    "legend_tag": ("web tag (the vendor collects)", "外部送信タグ（送信先が取得）"),
    # processed data and the class of an item in its dataset (docs/web.md §2, §9)
    "processing": ("Processing", "加工区分"),
    "anonymised_published_on": ("Items published on", "項目の公表日"),
    "legend_pr_personal": (
        "personal (held with identifying items)", "個人情報（識別情報と同じ台帳）"),
    # records
    "record_type": ("Record type", "記録の種類"),
    "provision_records": ("Provision records (Art 29)", "提供記録（法29条）"),
    "confirmation_records": ("Confirmation records (Art 30)", "確認記録（法30条）"),
    "principal_rows": ("Principal entries", "本人の記載"),
    "retention_horizon": ("Retention horizon", "保存期間"),
    "horizon_text": (
        "The last record must be kept until {date}; after that day it may be disposed of.",
        "最後の記録は{date}まで保存が必要です。その翌日以降に廃棄できます。",
    ),
    "past_retention": (
        "{n} records are past their retention as of {as_of} and may be disposed of (RET-001).",
        "基準日{as_of}時点で{n}件の記録が保存期間を過ぎており、廃棄できます（RET-001）。",
    ),
    "no_records": ("No records are required.", "作成が必要な記録はありません。"),
    "records_missing": ("Records were not derived.", "記録は導出されていません。"),
    "chart_per_month": ("Records per month (first provision / receipt date)", "月別の記録件数（提供日・受領日）"),
    "chart_retention": ("Records by end of retention (year)", "保存期間満了年別の記録件数"),
    "kept_until": ("Kept until (latest)", "保存期限（最終）"),
    "total": ("Total", "合計"),
    # exempt
    "flow": ("Flow", "種別"),
    "flow_provision": ("provision", "提供"),
    "flow_receipt": ("receipt", "受領"),
    "flow_tag": ("tag", "外部送信"),
    "reason": ("Why no record", "記録不要の理由"),
    "no_exempt": ("Every flow has a record.", "記録を要しない提供・受領はありません。"),
    # receipts
    "provider": ("Provider", "提供元"),
    "received_on": ("Received", "受領日"),
    "no_receipts": ("No receipts in the register.", "受領の登録がありません。"),
    "footer": (
        "Generated by register {version} from the inputs above, as of {as_of}.",
        "register {version} により上記の入力から作成（基準日 {as_of}）。",
    ),
    "page": ("Page", "ページ"),
}

RECORD_TYPES: dict[str, tuple[str, str]] = {
    "opt_out": ("opt-out record", "オプトアウトによる提供の記録"),
    "consent": ("consent record", "本人の同意による提供の記録"),
    "person_related": ("person-related information record", "個人関連情報の提供の記録"),
    "private": ("record of receipt from a private person", "私人からの受領の記録"),
}

CONFIRMATION_TYPES: dict[str, tuple[str, str]] = {
    "opt_out": ("opt-out receipt record", "オプトアウトによる受領の確認記録"),
    "consent": ("consent receipt record", "本人の同意による受領の確認記録"),
    "person_related": ("person-related receipt record", "個人関連情報の受領の確認記録"),
    "private": ("receipt from a private person", "私人からの受領の確認記録"),
}

# Exemption reasons (docs/routes-and-records.md §4):
# (short label for the flow map, plain words for the table)
REASONS: dict[str, tuple[tuple[str, str], tuple[str, str]]] = {
    "public_body": (
        ("public body", "国の機関等"),
        (
            "The recipient is a Japanese public body (APPI Art 16(2)); it is not a third party "
            "for the record duty, so no record is made.",
            "相手方が国の機関・地方公共団体等（法16条2項）であり、記録義務の対象となる第三者に"
            "当たらないため、記録は不要です。",
        ),
    ),
    "my_number_act": (
        ("My Number only", "特定個人情報のみ"),
        (
            "Only My Number items are provided: the My Number Act governs this flow, not the APPI "
            "record duty.",
            "提供される項目が特定個人情報のみであり、個人情報保護法の記録義務ではなく番号法が"
            "適用されます。",
        ),
    ),
    "not_personal_data": (
        ("not personal data", "個人データに当たらない"),
        (
            "Only person-related information that the recipient is not expected to link to "
            "personal data: it is not personal data for the recipient, so no record is made.",
            "提供先で個人データとして取得されることが想定されない個人関連情報のみであり、"
            "記録は不要です。",
        ),
    ),
    "art27_1": (
        ("Art 27(1)", "法27条1項"),
        (
            "Provided under an exception of APPI Art 27(1) (laws and regulations, protection of "
            "life or property, public health, cooperation with a public agency, academic "
            "research): no record is required.",
            "法令に基づく場合など法27条1項各号の例外に該当する提供であり、記録は不要です。",
        ),
    ),
    "on_behalf": (
        ("on behalf", "本人に代わる提供"),
        (
            "Provided on the principal's behalf (or to someone one with the principal): under the "
            "PPC guidelines no record is required.",
            "本人に代わって提供するもの（本人と一体と評価できる者への提供）であり、ガイドライン"
            "上記録は不要です。",
        ),
    ),
    "art27_5": (
        ("Art 27(5)", "法27条5項"),
        (
            "Outsourcing, business succession or joint use whose conditions hold: the recipient "
            "is not a third party (APPI Art 27(5)), so no record is made.",
            "委託・事業承継・共同利用の要件を満たしており、相手方は第三者に当たらない（法27条"
            "5項）ため、記録は不要です。",
        ),
    ),
    "return_to_entrustor": (
        ("return to client", "委託元への返還"),
        (
            "Data held for a client is returned to that client (the entrustor) within the "
            "entrustment (APPI Art 27(5)(i)): no provision to a third party, so no record is made.",
            "委託元から受託したデータを委託の範囲内で委託元に返還するもの（法27条5項1号）であり、"
            "第三者への提供に当たらないため、記録は不要です。",
        ),
    ),
    "unresolved": (
        ("unresolved", "判定不能"),
        (
            "The flow could not be classified (an unknown party or an invalid basis): no record "
            "was produced. Fix the register so that it can be classified.",
            "相手方が不明または根拠が不正なため経路を判定できず、記録を作成できませんでした。"
            "台帳を修正してください。",
        ),
    ),
    "not_personal_information": (
        ("not personal information", "個人情報に該当しない"),
        (
            "The data comes from (or goes into) an anonymised or statistics dataset: it is not "
            "personal information, so the APPI's provision rules and records do not apply "
            "(anonymised information has its own publication duties).",
            "匿名加工情報又は統計情報のデータベースからの（又はへの）流れであり、個人情報に該当しないため、"
            "第三者提供の規律と記録は適用されません（匿名加工情報には別に公表等の義務があります）。",
        ),
    ),
    "direct_collection": (
        ("direct collection", "送信先による直接取得"),
        (
            "A web tag whose vendor collects the information itself: it is the vendor's own "
            "acquisition, not our provision, so no APPI record is made. The tag must still be "
            "announced under the Telecommunications Business Act where it applies.",
            "送信先が自ら情報を取得するタグであり、当社の提供ではなく送信先による取得に当たるため、"
            "個人情報保護法の記録は不要です。電気通信事業法の外部送信規律の対象であれば通知又は公表が必要です。",
        ),
    ),
}

# Art 27(5) in the words of the route actually taken (the reason code alone says "one of three").
ART27_5_BY_BASIS: dict[str, tuple[str, str]] = {
    "entrustment": (
        "Outsourcing under a contract (APPI Art 27(5)(i)) whose conditions hold: the contractor "
        "is not a third party, so no record is made.",
        "委託（法27条5項1号）の要件を満たしており、委託先は第三者に当たらないため、記録は不要です。",
    ),
    "succession": (
        "Business succession by merger or similar (APPI Art 27(5)(ii)): the successor is not a "
        "third party, so no record is made.",
        "合併等による事業の承継（法27条5項2号）であり、承継先は第三者に当たらないため、記録は"
        "不要です。",
    ),
    "joint_use": (
        "Joint use whose five matters were published in advance (APPI Art 27(5)(iii)): the joint "
        "users are not third parties, so no record is made.",
        "共同利用（法27条5項3号）の5項目があらかじめ公表等されており、共同利用者は第三者に当たら"
        "ないため、記録は不要です。",
    ),
}

# Art 27(1) in the words of the exception actually used.
ART27_1_BY_BASIS: dict[str, tuple[str, str]] = {
    "law": (
        "Provided under Japanese laws and regulations (APPI Art 27(1)(i)): no record is required.",
        "法令に基づく提供（法27条1項1号）であり、記録は不要です。",
    ),
    "vital": (
        "Provided to protect life, body or property where consent was hard to obtain (APPI "
        "Art 27(1)(ii)): no record is required.",
        "人の生命・身体・財産の保護のために必要で、本人の同意を得ることが困難な提供（法27条1項"
        "2号）であり、記録は不要です。",
    ),
    "public_health": (
        "Provided for public health or children's sound development where consent was hard to "
        "obtain (APPI Art 27(1)(iii)): no record is required.",
        "公衆衛生の向上・児童の健全な育成のために特に必要な提供（法27条1項3号）であり、記録は"
        "不要です。",
    ),
    "public_agency": (
        "Provided to cooperate with a state organ or local government performing its statutory "
        "duties (APPI Art 27(1)(iv)): no record is required.",
        "国の機関等が法令の定める事務を遂行することに協力する提供（法27条1項4号）であり、記録は"
        "不要です。",
    ),
    "academic": (
        "Provided for academic research (APPI Art 27(1)(v)-(vii)): no record is required.",
        "学術研究目的の提供（法27条1項5号～7号）であり、記録は不要です。",
    ),
}

RECORD_METHODS_EN: dict[str, str] = {
    "each": "recorded for each provision",
    "bulk": "recorded in bulk",
    "contract": "recorded by the contract",
}

# Record types as the flow map labels them (short: the label lane is narrow).
RECORD_TYPES_SHORT: dict[str, tuple[str, str]] = {
    "opt_out": ("opt-out record", "オプトアウト記録"),
    "consent": ("consent record", "同意の記録"),
    "person_related": ("person-related rec.", "個人関連情報の記録"),
    "private": ("private-person rec.", "私人からの受領記録"),
}

SEVERITIES = ("error", "warning", "info")


def idx(lang: str) -> int:
    return 1 if lang == "ja" else 0


def text(key: str, lang: str, **params: object) -> str:
    """The label `key` in `lang`, formatted with params."""
    s = TEXT[key][idx(lang)]
    return s.format(**params) if params else s


def enum_label(table: str, column: str, value: str | None, lang: str) -> str:
    """An enum value in words: the schema's Japanese label, or the code made readable."""
    if value is None:
        return ""
    if lang == "ja":
        try:
            labels = schema.table(table).column(column).enum_labels_ja
        except KeyError:
            labels = {}
        if value in labels:
            return labels[value]
    if table in ("provisions", "receipts") and column == "record_method" and value in RECORD_METHODS_EN:
        return RECORD_METHODS_EN[value]
    return str(value).replace("_", "-" if value == "opt_out" else " ")


def record_type_label(
    code: str | None, lang: str, confirmation: bool = False, short: bool = False
) -> str:
    """A record type in words (`short` for the flow map)."""
    if code is None:
        return ""
    table = RECORD_TYPES_SHORT if short else CONFIRMATION_TYPES if confirmation else RECORD_TYPES
    return table.get(code, (code, code))[idx(lang)]


def reason_short(code: str | None, lang: str) -> str:
    if code is None:
        return ""
    return REASONS[code][0][idx(lang)] if code in REASONS else code


def reason_plain(code: str | None, lang: str, basis: str | None = None) -> str:
    """Why a flow has no record, in plain words (Art 27(5) named for the basis used)."""
    if code is None:
        return ""
    if code == "art27_5" and basis in ART27_5_BY_BASIS:
        return ART27_5_BY_BASIS[basis][idx(lang)]
    if code == "art27_1" and basis in ART27_1_BY_BASIS:
        return ART27_1_BY_BASIS[basis][idx(lang)]
    return REASONS[code][1][idx(lang)] if code in REASONS else code


def severity_label(sev: str, lang: str) -> str:
    return text(f"sev_{sev}", lang)


def column_label(table: str, column: str, lang: str) -> str:
    """A column's name as the user's sheet would show it in `lang`."""
    if lang != "ja":
        return column
    try:
        return schema.table(table).column(column).label_ja
    except KeyError:
        return column


def table_label(table: str | None, lang: str) -> str:
    if table is None:
        return ""
    try:
        return schema.table(table).label(lang)
    except KeyError:
        return table
