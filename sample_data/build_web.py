#!/usr/bin/env python3
"""Build the registers of web.md: one invalid register per EXT and ANO rule, and one register
per seed company's tag practice.

    .venv/bin/python sample_data/build_web.py

- ``sample_data/invalid/<RULE-ID>/``: the base register of ``invalid/base.json`` plus two web
  services and a tag that need nothing more (:func:`web_base`), changed by the one fact that
  triggers the rule, as of 2026-11-21; ``expected.json`` as ``build_invalid.py`` writes it.
- ``sample_data/seeds/<name>.json``: one register per privacy policy in the shared seeds, each
  company fictional, modelling what its policy says about cookies, tags, statistics and the
  other flows a tag touches. ``seeds/expected.json`` states, per seed, the findings of the web
  rules (EXT, ANO) and the routes web.md §8 gives (tests/test_web_seeds.py holds them).

Deterministic, stdlib only.
"""

from __future__ import annotations

import copy
import json
import shutil
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent
INVALID = HERE / "invalid"
SEEDS = HERE / "seeds"
AS_OF = "2026-11-21"


def dump(path: Path, obj: Any) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps(obj, ensure_ascii=False, indent=2) + "\n", encoding="utf-8")


def F(table: str, record: str | None, field: str | None) -> dict[str, Any]:
    return {"table": table, "record": record, "field": field}


def corporate_number(base12: str) -> str:
    total = sum(int(ch) * (1 if n % 2 else 2) for n, ch in enumerate(reversed(base12), start=1))
    return str(9 - total % 9) + base12


# ====================================================================== invalid registers
def web_base() -> dict[str, Any]:
    """invalid/base.json with a corporate site, a member portal (an information service the
    TBA covers, its notice published in time) and one analytics tag on it: no finding."""
    reg = json.loads((INVALID / "base.json").read_text(encoding="utf-8"))
    reg["parties"].append({
        "party_id": "PT-TAG", "name": "株式会社ハナミズキ解析", "kind": "corporation",
        "address": "東京都目黒区上目黒二丁目1番1号", "representative": "三浦 彩", "country": "JP",
    })
    reg["services"] = [
        {"service_id": "SV-SITE", "name": "コーポレートサイト", "category": "self_need",
         "kind": "website", "url": "https://minamoto-systems.example/"},
        {"service_id": "SV-PORTAL", "name": "会員向け情報ポータル", "category": "information",
         "kind": "website", "url": "https://portal.minamoto-systems.example/",
         "notice_url": "https://portal.minamoto-systems.example/external",
         "notice_on": "2023-06-01"},
    ]
    reg["tags"] = [
        {"tag_id": "TG-1", "service_ids": ["SV-SITE", "SV-PORTAL"], "module_name": "ハナミズキ解析タグ",
         "recipient_party_id": "PT-TAG", "item_ids": ["DI-COOKIE"],
         "purpose_ours": "ウェブサイトの利用状況の分析",
         "purpose_recipient": "解析サービスの提供及び改善", "exemption": "none",
         "added_on": "2022-04-01"},
    ]
    return reg


def _row(reg: dict[str, Any], table: str, key: str, value: str) -> dict[str, Any]:
    return next(r for r in reg[table] if r[key] == value)


def invalid_cases() -> dict[str, tuple[dict[str, Any], list[dict[str, Any]]]]:
    out: dict[str, tuple[dict[str, Any], list[dict[str, Any]]]] = {}

    reg = web_base()
    del _row(reg, "services", "service_id", "SV-PORTAL")["notice_on"]  # never published
    out["EXT-001"] = (reg, [F("tags", "TG-1", "service_ids")])

    reg = web_base()
    del _row(reg, "tags", "tag_id", "TG-1")["purpose_recipient"]
    out["EXT-002"] = (reg, [F("tags", "TG-1", "purpose_recipient")])

    reg = web_base()
    _row(reg, "tags", "tag_id", "TG-1")["exemption"] = "opt_out"  # but no opt-out method given
    out["EXT-003"] = (reg, [F("tags", "TG-1", "exemption")])

    reg = web_base()
    reg["services"].append({"service_id": "SV-APP", "name": "会員アプリ", "category": "unknown",
                            "kind": "app"})
    _row(reg, "tags", "tag_id", "TG-1")["service_ids"].append("SV-APP")
    out["EXT-004"] = (reg, [F("services", "SV-APP", "category")])

    reg = web_base()
    # names and e-mail addresses sent as if they were no personal data
    reg["provisions"].append({"provision_id": "PV-NONE", "party_id": "PT-CON", "basis": "none",
                              "item_ids": ["DI-NAME", "DI-MAIL"], "dataset_id": "DS-CUST"})
    out["EXT-005"] = (reg, [F("provisions", "PV-NONE", "basis")])

    reg = web_base()
    # the customer database also holds the cookie ID: the web log's cookie can be collated
    _row(reg, "datasets", "dataset_id", "DS-CUST")["item_ids"].append("DI-COOKIE")
    out["EXT-006"] = (reg, [F("provisions", "PV-PRI", "item_ids")])

    reg = web_base()
    _row(reg, "tags", "tag_id", "TG-1")["item_ids"].append("DI-MAIL")  # e-mail sent to the vendor
    out["EXT-007"] = (reg, [F("tags", "TG-1", "item_ids")])

    def pseudonymised(reg: dict[str, Any]) -> None:
        reg["data_items"].append({"item_id": "DI-HIST", "name": "購買履歴",
                                  "legal_class": "personal"})
        reg["datasets"].append({
            "dataset_id": "DS-PSEUDO", "name": "購買履歴（仮名加工情報）", "subjects": "顧客",
            "item_ids": ["DI-HIST", "DI-COOKIE"], "purpose_ids": ["PU-1"],
            "source": "generated", "processing": "pseudonymised"})

    reg = web_base()
    pseudonymised(reg)
    reg["provisions"].append({"provision_id": "PV-PSEUDO", "party_id": "PT-CON", "basis": "consent",
                              "consent": True, "item_ids": ["DI-HIST", "DI-COOKIE"],
                              "dataset_id": "DS-PSEUDO"})
    out["ANO-001"] = (reg, [F("provisions", "PV-PSEUDO", "basis")])

    def anonymised(reg: dict[str, Any], **extra: Any) -> None:
        reg["data_items"].append({"item_id": "DI-AGE", "name": "年代", "legal_class": "personal"})
        reg["datasets"].append({
            "dataset_id": "DS-ANON", "name": "利用傾向データ（匿名加工情報）", "subjects": "顧客",
            "item_ids": ["DI-AGE"], "purpose_ids": ["PU-1"], "source": "generated",
            "processing": "anonymised", **extra})

    reg = web_base()
    anonymised(reg)
    out["ANO-002"] = (reg, [F("datasets", "DS-ANON", "anonymised_published_on")])

    reg = web_base()
    anonymised(reg, anonymised_published_on="2025-01-06")
    reg["provisions"].append({"provision_id": "PV-ANON", "party_id": "PT-CON", "basis": "none",
                              "item_ids": ["DI-AGE"], "dataset_id": "DS-ANON"})
    out["ANO-003"] = (reg, [F("provisions", "PV-ANON", "anonymised_notice")])

    reg = web_base()
    pseudonymised(reg)
    _row(reg, "datasets", "dataset_id", "DS-PSEUDO")["item_ids"].append("DI-MYN")
    out["ANO-004"] = (reg, [F("datasets", "DS-PSEUDO", "item_ids")])
    return out


# ====================================================================== seed registers
# Shared pieces: the person-related items a web tag sends, and a register's skeleton.
WEB_ITEMS = [
    {"item_id": "DI-COOKIE", "name": "Cookie ID", "legal_class": "person_related",
     "category": "オンライン識別子"},
    {"item_id": "DI-BROWSE", "name": "閲覧履歴", "legal_class": "person_related",
     "category": "オンライン識別子", "description": "閲覧したページ、参照元、日時"},
    {"item_id": "DI-DEVICE", "name": "端末情報", "legal_class": "person_related",
     "category": "オンライン識別子", "description": "IPアドレス、ブラウザ・OSの種類、端末識別子"},
]


def _org(name: str, address: str, representative: str, contact: str, number: str) -> dict:
    return {"name": name, "address": address, "representative": representative,
            "contact": contact, "corporate_number": corporate_number(number), "country": "JP"}


def _party(pid: str, name: str, address: str, representative: str, country: str = "JP",
           **extra: Any) -> dict:
    return {"party_id": pid, "name": name, "kind": "corporation", "address": address,
            "representative": representative, "country": country, **extra}


def seed_000() -> dict[str, Any]:
    """A SaaS maker of collaboration tools (seed 000): an analytics tag and a product-analytics
    SDK, each with the vendor's opt-out page; the policy names neither vendor's own purposes.
    Its access log is kept on its own server and not combined; e-mail goes out through a
    delivery contractor."""
    return {
        "organization": _org("株式会社ナミキワークス", "福岡県福岡市中央区大名二丁目6番11号",
                             "並木 修一", "個人情報お問い合わせ窓口 privacy@namiki-works.example",
                             "029001200115"),
        "data_items": [
            {"item_id": "DI-NAME", "name": "氏名", "legal_class": "personal"},
            {"item_id": "DI-MAIL", "name": "メールアドレス", "legal_class": "personal"},
            *WEB_ITEMS,
        ],
        "purposes": [
            {"purpose_id": "PU-SVC", "description": "サービスの提供、本人確認及びサービスのご案内のため"},
            {"purpose_id": "PU-WEB", "description": "ウェブサイト及びサービスの利用状況の分析のため"},
        ],
        "datasets": [
            {"dataset_id": "DS-USERS", "name": "サービス利用者情報", "subjects": "サービスの利用者",
             "item_ids": ["DI-NAME", "DI-MAIL"], "purpose_ids": ["PU-SVC"], "source": "principal"},
            {"dataset_id": "DS-ACCESS", "name": "アクセスログ", "subjects": "ウェブサイトの閲覧者",
             "item_ids": ["DI-DEVICE", "DI-BROWSE"], "purpose_ids": ["PU-WEB"],
             "source": "generated", "retention": "一定期間（サーバー運用情報として利用）"},
        ],
        "parties": [
            _party("PT-STRATUS", "Stratus Metrics LLC",
                   "500 Bayview Parkway, Mountain View, CA 94043, USA", "Elena R. Park", "US"),
            _party("PT-FLOWPANEL", "Flowpanel, Inc.",
                   "88 Harrison Street, San Francisco, CA 94105, USA", "Marcus T. Lee", "US"),
            _party("PT-MAILER", "株式会社ツグミ配信", "東京都港区芝五丁目3番2号", "鶴田 恵"),
        ],
        "contractors": [
            {"contract_id": "CT-MAIL", "party_id": "PT-MAILER", "task": "お知らせメールの配信",
             "item_ids": ["DI-NAME", "DI-MAIL"], "contract_on": "2021-04-01",
             "security_terms": True, "last_audit_on": "2026-04-15",
             "subcontracting": "with_approval"},
        ],
        "provisions": [
            {"provision_id": "PV-MAIL", "party_id": "PT-MAILER", "basis": "entrustment",
             "item_ids": ["DI-NAME", "DI-MAIL"], "dataset_id": "DS-USERS",
             "contract_id": "CT-MAIL", "purpose": "プロモーションメールの配信の委託"},
        ],
        "services": [
            {"service_id": "SV-WEB", "name": "コーポレートサイト", "category": "self_need",
             "kind": "website", "url": "https://namiki-works.example/"},
            {"service_id": "SV-BOARD", "name": "ナミキボード（チームの共同編集・コメント）",
             "category": "messaging", "kind": "website", "url": "https://board.namiki-works.example/",
             "notice_url": "https://namiki-works.example/privacy#tracking",
             "notice_on": "2023-06-16"},
        ],
        "tags": [
            {"tag_id": "TG-STRATUS", "service_ids": ["SV-WEB", "SV-BOARD"],
             "module_name": "Stratus Analytics", "recipient_party_id": "PT-STRATUS",
             "item_ids": ["DI-COOKIE", "DI-BROWSE", "DI-DEVICE"],
             "purpose_ours": "ウェブサイト及びサービスでの行動の分析",
             "exemption": "opt_out", "opt_out_url": "https://stratus-metrics.example/optout",
             "added_on": "2016-01-07"},
            {"tag_id": "TG-FLOWPANEL", "service_ids": ["SV-BOARD"], "module_name": "Flowpanel",
             "recipient_party_id": "PT-FLOWPANEL", "item_ids": ["DI-COOKIE", "DI-BROWSE"],
             "purpose_ours": "サービス内の機能の利用状況の分析", "exemption": "opt_out",
             "opt_out_url": "https://flowpanel.example/optout", "added_on": "2016-11-29"},
        ],
    }


def seed_001() -> dict[str, Any]:
    """A wireless-equipment maker (seed 001): third parties' advertising tags on its corporate
    site collect cookies themselves (a self-need site: no TBA notice due); statistics that
    identify nobody are provided outside; prizes and advertisers' information by consent."""
    return {
        "organization": _org("株式会社ソラメッシュ", "東京都中央区八丁堀三丁目22番13号",
                             "空野 博", "お問い合わせフォーム／03-6000-2780", "010001211146"),
        "data_items": [
            {"item_id": "DI-NAME", "name": "氏名", "legal_class": "personal"},
            {"item_id": "DI-MAIL", "name": "メールアドレス", "legal_class": "personal"},
            {"item_id": "DI-ADDR", "name": "住所", "legal_class": "personal"},
            {"item_id": "DI-SURVEY", "name": "アンケート回答", "legal_class": "personal"},
            *WEB_ITEMS[:2],
        ],
        "purposes": [
            {"purpose_id": "PU-BIZ", "description": "サービス情報の提供、セミナー・キャンペーンの運営及び賞品の発送のため",
             "third_party_provision": True},
            {"purpose_id": "PU-STATS", "description": "個人を識別できない統計データの作成及び外部への提供のため"},
        ],
        "datasets": [
            {"dataset_id": "DS-CUST", "name": "顧客・キャンペーン応募者情報", "subjects": "顧客、キャンペーン応募者",
             "item_ids": ["DI-NAME", "DI-MAIL", "DI-ADDR", "DI-SURVEY"], "purpose_ids": ["PU-BIZ"],
             "source": "principal"},
            {"dataset_id": "DS-STATS", "name": "アンケート集計データ（統計情報）", "subjects": "アンケート回答者",
             "item_ids": ["DI-SURVEY"], "purpose_ids": ["PU-STATS"], "source": "generated",
             "processing": "statistics"},
        ],
        "parties": [
            _party("PT-ADNET", "株式会社アオゾラ広告ネットワーク", "東京都渋谷区渋谷二丁目24番12号", "青空 誠"),
            _party("PT-PRIZE", "株式会社ギフトハーバー", "神奈川県横浜市西区みなとみらい二丁目2番1号", "港 良子"),
            _party("PT-MARKET", "株式会社イチバ総研", "大阪府大阪市北区中之島三丁目3番23号", "市場 啓"),
        ],
        "provisions": [
            {"provision_id": "PV-PRIZE", "party_id": "PT-PRIZE", "basis": "consent", "consent": True,
             "item_ids": ["DI-NAME", "DI-ADDR"], "dataset_id": "DS-CUST",
             "purpose": "懸賞の賞品の発送のため提供元の賞品提供者へ提供",
             "consent_evidence": "応募フォームの同意欄"},
            {"provision_id": "PV-STATS", "party_id": "PT-MARKET", "basis": "none",
             "item_ids": ["DI-SURVEY"], "dataset_id": "DS-STATS",
             "purpose": "個人を識別できない統計データの市場調査会社への提供"},
        ],
        "provision_log": [
            {"event_id": "EV-PRIZE-1", "provision_id": "PV-PRIZE", "provided_on": "2026-03-02",
             "principal_ids": ["CU-0001", "CU-0002"]},
            {"event_id": "EV-STATS-1", "provision_id": "PV-STATS", "provided_on": "2026-04-10"},
        ],
        "services": [
            {"service_id": "SV-CORP", "name": "コーポレートサイト", "category": "self_need",
             "kind": "website", "url": "https://solamesh.example/"},
        ],
        "tags": [
            {"tag_id": "TG-ADS", "service_ids": ["SV-CORP"], "module_name": "アオゾラ広告タグ",
             "recipient_party_id": "PT-ADNET", "item_ids": ["DI-COOKIE", "DI-BROWSE"],
             "purpose_ours": "当社ウェブサイトへの広告配信",
             "purpose_recipient": "第三者の広告の配信（送信先のプライバシーポリシーによる）",
             "exemption": "opt_out", "opt_out_url": "https://aozora-ads.example/optout",
             "added_on": "2020-06-01"},
        ],
    }


def seed_002() -> dict[str, Any]:
    """A groupware company with subsidiaries (seed 002): cloud groupware that mediates users'
    communications, analytics set through a cookie-settings page (consent), a support chat
    needed to run the service, its own log-in identifier; joint use within the group; My
    Number of outside speakers to the tax office."""
    return {
        "organization": _org("ツバメソフト株式会社", "東京都中央区日本橋二丁目7番1号",
                             "燕 大輔", "個人情報お問い合わせ窓口（ツバメソフト株式会社）",
                             "010001209301"),
        "data_items": [
            {"item_id": "DI-NAME", "name": "氏名", "legal_class": "personal"},
            {"item_id": "DI-MAIL", "name": "メールアドレス", "legal_class": "personal"},
            {"item_id": "DI-COMPANY", "name": "勤務先・部署・役職", "legal_class": "personal"},
            {"item_id": "DI-MYN", "name": "個人番号", "legal_class": "my_number"},
            {"item_id": "DI-LOGIN", "name": "ログインセッションID", "legal_class": "person_related",
             "category": "オンライン識別子"},
            *WEB_ITEMS,
        ],
        "purposes": [
            {"purpose_id": "PU-CUST", "description": "製品・サービスの提供、情報提供及びサポートのため"},
            {"purpose_id": "PU-PAY", "description": "支払調書・源泉徴収票の作成のため"},
            {"purpose_id": "PU-WEB", "description": "ウェブサイトの利用状況の分析のため"},
        ],
        "datasets": [
            {"dataset_id": "DS-CUST", "name": "顧客情報", "subjects": "製品・サービスの利用者",
             "item_ids": ["DI-NAME", "DI-MAIL", "DI-COMPANY"], "purpose_ids": ["PU-CUST"],
             "source": "principal"},
            {"dataset_id": "DS-SPEAKER", "name": "講演者・個人事業主の支払情報", "subjects": "講演者、個人事業主",
             "item_ids": ["DI-NAME", "DI-MYN"], "purpose_ids": ["PU-PAY"], "source": "principal"},
            {"dataset_id": "DS-WEB", "name": "ウェブ解析データ", "subjects": "ウェブサイトの閲覧者",
             "item_ids": ["DI-COOKIE", "DI-BROWSE", "DI-DEVICE"], "purpose_ids": ["PU-WEB"],
             "source": "generated"},
        ],
        "parties": [
            _party("PT-LABS", "ツバメラボ株式会社", "東京都中央区日本橋二丁目7番1号", "燕 大輔"),
            _party("PT-CLOUDSTAT", "Cloudstat Analytics Inc.",
                   "200 Pine Street, Seattle, WA 98101, USA", "Nora J. Gibbs", "US"),
            _party("PT-CHAT", "株式会社ヒナタサポート", "東京都千代田区外神田四丁目14番1号", "日向 学"),
            {"party_id": "PT-TAX", "name": "日本橋税務署", "kind": "state_organ",
             "address": "東京都中央区日本橋兜町一丁目1番1号", "country": "JP"},
        ],
        "joint_uses": [
            {"joint_use_id": "JU-GROUP", "notified_on": "2017-02-12",
             "item_ids": ["DI-NAME", "DI-MAIL", "DI-COMPANY"],
             "users_scope": "当社及び当社の子会社（ツバメラボ株式会社）",
             "purpose_ids": ["PU-CUST"], "manager_party_id": "self",
             "user_party_ids": ["self", "PT-LABS"]},
        ],
        "provisions": [
            {"provision_id": "PV-GROUP", "party_id": "PT-LABS", "basis": "joint_use",
             "joint_use_id": "JU-GROUP", "item_ids": ["DI-NAME", "DI-MAIL", "DI-COMPANY"],
             "dataset_id": "DS-CUST", "purpose": "グループ内の製品・サービスの提供"},
            {"provision_id": "PV-TAX", "party_id": "PT-TAX", "basis": "law",
             "item_ids": ["DI-NAME", "DI-MYN"], "dataset_id": "DS-SPEAKER",
             "purpose": "支払調書の提出（所得税法第225条）"},
        ],
        "services": [
            {"service_id": "SV-SITE", "name": "製品紹介サイト", "category": "self_need",
             "kind": "website", "url": "https://tsubame-soft.example/"},
            {"service_id": "SV-GROUPWARE", "name": "ツバメ クラウド（グループウェア）",
             "category": "messaging", "kind": "website", "url": "https://cloud.tsubame-soft.example/",
             "notice_url": "https://tsubame-soft.example/cookie-settings", "notice_on": "2023-06-01"},
        ],
        "tags": [
            {"tag_id": "TG-CLOUDSTAT", "service_ids": ["SV-SITE", "SV-GROUPWARE"],
             "module_name": "Cloudstat", "recipient_party_id": "PT-CLOUDSTAT",
             "item_ids": ["DI-COOKIE", "DI-BROWSE", "DI-DEVICE"],
             "purpose_ours": "ウェブサイトへの到達経路と利用状況の分析",
             "purpose_recipient": "解析サービスの提供", "exemption": "consent",
             "added_on": "2022-08-24"},
            {"tag_id": "TG-CHAT", "service_ids": ["SV-GROUPWARE"], "module_name": "ヒナタ サポートチャット",
             "recipient_party_id": "PT-CHAT", "item_ids": ["DI-DEVICE"],
             "purpose_ours": "サービス内での問い合わせ対応",
             "purpose_recipient": "チャットサービスの提供", "exemption": "necessary",
             "added_on": "2022-08-24"},
            {"tag_id": "TG-LOGIN", "service_ids": ["SV-GROUPWARE"], "module_name": "ログイン状態の維持",
             "recipient_party_id": "self", "item_ids": ["DI-LOGIN"],
             "purpose_ours": "ログイン状態の維持", "exemption": "first_party_id",
             "added_on": "2017-02-12"},
            {"tag_id": "TG-HEATMAP", "service_ids": ["SV-GROUPWARE"], "module_name": "Cloudstat Heatmap",
             "recipient_party_id": "PT-CLOUDSTAT", "item_ids": ["DI-COOKIE", "DI-BROWSE"],
             "purpose_ours": "画面の使われ方の分析", "purpose_recipient": "解析サービスの提供",
             "exemption": "none", "added_on": "2023-04-03"},
        ],
    }


def seed_003() -> dict[str, Any]:
    """A web-media operator (seed 003): an information service whose policy (2018) names an
    analytics module and says user information 'may be provided' to its vendor; the officer
    cannot tell what the tag carries, so enters the log provision and names it (web.md §5).
    Members' records hold the same cookie as the anonymous web log; attribute statistics go to
    third parties; members' data goes to advertising partners by consent."""
    return {
        "organization": _org("株式会社ホシゾラネット", "東京都渋谷区神宮前五丁目52番2号",
                             "星空 翔", "admin@hoshizora-net.example", "011001205567"),
        "data_items": [
            {"item_id": "DI-NAME", "name": "氏名", "legal_class": "personal"},
            {"item_id": "DI-MAIL", "name": "メールアドレス", "legal_class": "personal"},
            {"item_id": "DI-ATTR", "name": "性別・生年・勤務先", "legal_class": "personal"},
            *WEB_ITEMS,
        ],
        "purposes": [
            {"purpose_id": "PU-SVC", "description": "サービスの提供、情報発信及び利用者の属性に応じたご提案のため",
             "third_party_provision": True},
            {"purpose_id": "PU-STATS", "description": "特定の個人を識別できない統計データの作成及び第三者への提供のため"},
            {"purpose_id": "PU-WEB", "description": "当サイトの閲覧状況及び広告効果の分析のため"},
        ],
        "datasets": [
            {"dataset_id": "DS-MEMBERS", "name": "会員情報", "subjects": "会員",
             "item_ids": ["DI-NAME", "DI-MAIL", "DI-ATTR", "DI-COOKIE"], "purpose_ids": ["PU-SVC"],
             "source": "principal"},
            {"dataset_id": "DS-WEBLOG", "name": "閲覧ログ", "subjects": "当サイトの閲覧者",
             "item_ids": ["DI-COOKIE", "DI-BROWSE", "DI-DEVICE"], "purpose_ids": ["PU-WEB"],
             "source": "generated"},
            {"dataset_id": "DS-STATS", "name": "属性別集計データ（統計情報）", "subjects": "会員",
             "item_ids": ["DI-ATTR", "DI-BROWSE"], "purpose_ids": ["PU-STATS"],
             "source": "generated", "processing": "statistics"},
        ],
        "parties": [
            _party("PT-STRATUS", "Stratus Metrics LLC",
                   "500 Bayview Parkway, Mountain View, CA 94043, USA", "Elena R. Park", "US"),
            _party("PT-ADPARTNER", "株式会社ミルキーウェイ広告", "東京都港区赤坂九丁目7番1号", "天野 織"),
            _party("PT-RESEARCH", "株式会社アンドロメダ調査", "東京都新宿区西新宿二丁目8番1号", "星野 透"),
        ],
        "provisions": [
            {"provision_id": "PV-ADS", "party_id": "PT-ADPARTNER", "basis": "consent",
             "consent": True, "item_ids": ["DI-NAME", "DI-MAIL", "DI-COOKIE"],
             "dataset_id": "DS-MEMBERS", "purpose": "利用者に合わせた広告の表示及び広告効果の分析",
             "consent_evidence": "会員登録時の同意画面", "record_method": "bulk"},
            {"provision_id": "PV-MODULE", "party_id": "PT-STRATUS", "basis": "none",
             "item_ids": ["DI-COOKIE", "DI-BROWSE", "DI-DEVICE"], "dataset_id": "DS-WEBLOG",
             "linkage_expected": False,
             "purpose": "情報収集モジュールの提供者への閲覧情報の送信（個人を識別する情報を含まない）"},
            {"provision_id": "PV-STATS", "party_id": "PT-RESEARCH", "basis": "none",
             "item_ids": ["DI-ATTR", "DI-BROWSE"], "dataset_id": "DS-STATS",
             "purpose": "属性別の統計データの提供（広告効果・市場分析）"},
        ],
        "provision_log": [
            {"event_id": "EV-ADS-1", "provision_id": "PV-ADS", "provided_on": "2026-02-02",
             "principal_ids": ["MB-0001", "MB-0002"]},
            {"event_id": "EV-ADS-2", "provision_id": "PV-ADS", "provided_on": "2026-03-02",
             "principal_ids": ["MB-0003"]},
        ],
        "services": [
            {"service_id": "SV-MEDIA", "name": "ホシゾラ（ウェブメディア・メールマガジン）",
             "category": "information", "kind": "website", "url": "https://hoshizora-net.example/"},
        ],
        "tags": [
            {"tag_id": "TG-STRATUS", "service_ids": ["SV-MEDIA"], "module_name": "Stratus Analytics",
             "recipient_party_id": "PT-STRATUS", "item_ids": ["DI-COOKIE", "DI-BROWSE", "DI-DEVICE"],
             "purpose_ours": "当サイトの閲覧状況及び広告効果の分析", "exemption": "none",
             "provision_id": "PV-MODULE", "added_on": "2018-10-05"},
        ],
    }


def seed_004() -> dict[str, Any]:
    """A software maker with the Privacy Mark (seed 004): a third party's web beacons record
    anonymous access logs on its sites; for registered users the access history is kept with
    their personal information (personal there) and analysed by a contractor; statistics of
    site use; a member service whose category nobody has decided yet."""
    return {
        "organization": _org("株式会社ヒバリシステム", "徳島県徳島市川内町平石若松108番地4",
                             "雲雀 一郎", "privacy@hibari-system.example", "048001003320"),
        "data_items": [
            {"item_id": "DI-NAME", "name": "氏名", "legal_class": "personal"},
            {"item_id": "DI-ADDR", "name": "住所", "legal_class": "personal"},
            {"item_id": "DI-TEL", "name": "電話番号", "legal_class": "personal"},
            {"item_id": "DI-HISTORY", "name": "アクセス履歴", "legal_class": "person_related",
             "category": "オンライン識別子", "description": "ウェブサイトの利用状況の記録"},
            *WEB_ITEMS[:1],
        ],
        "purposes": [
            {"purpose_id": "PU-SVC", "description": "サービスの利用に関するご連絡、お問い合わせへの対応及び登録情報の管理のため"},
            {"purpose_id": "PU-LOG", "description": "ウェブサイトの保守及び利用状況の統計分析のため"},
        ],
        "datasets": [
            {"dataset_id": "DS-MEMBERS", "name": "登録ユーザー情報（アクセス履歴を含む）",
             "subjects": "サービスの登録ユーザー",
             "item_ids": ["DI-NAME", "DI-ADDR", "DI-TEL", "DI-HISTORY"], "purpose_ids": ["PU-SVC"],
             "source": "principal"},
            {"dataset_id": "DS-ACCESSLOG", "name": "アクセスログ（匿名）", "subjects": "ウェブサイトの閲覧者",
             "item_ids": ["DI-HISTORY", "DI-COOKIE"], "purpose_ids": ["PU-LOG"], "source": "generated"},
        ],
        "parties": [
            _party("PT-BEACON", "株式会社カワセミ解析", "大阪府大阪市西区靱本町一丁目11番7号", "翡翠 真"),
            _party("PT-ANALYST", "株式会社ムクドリデータ", "東京都江東区豊洲三丁目3番3号", "椋 健"),
        ],
        "contractors": [
            {"contract_id": "CT-ANALYSIS", "party_id": "PT-ANALYST",
             "task": "登録ユーザーのアクセス履歴の分析", "item_ids": ["DI-NAME", "DI-HISTORY"],
             "contract_on": "2022-10-01", "security_terms": True, "last_audit_on": "2026-09-30",
             "subcontracting": "none"},
        ],
        "provisions": [
            {"provision_id": "PV-ANALYSIS", "party_id": "PT-ANALYST", "basis": "entrustment",
             "contract_id": "CT-ANALYSIS", "item_ids": ["DI-NAME", "DI-HISTORY"],
             "dataset_id": "DS-MEMBERS", "purpose": "登録ユーザーの利用状況の分析の委託"},
        ],
        "services": [
            {"service_id": "SV-CORP", "name": "コーポレートサイト", "category": "self_need",
             "kind": "website", "url": "https://hibari-system.example/"},
            {"service_id": "SV-MYPAGE", "name": "ヒバリ会員サービス", "category": "unknown",
             "kind": "website", "url": "https://my.hibari-system.example/"},
        ],
        "tags": [
            {"tag_id": "TG-BEACON", "service_ids": ["SV-CORP", "SV-MYPAGE"],
             "module_name": "カワセミ アクセス解析（ウェブビーコン）", "recipient_party_id": "PT-BEACON",
             "item_ids": ["DI-COOKIE", "DI-HISTORY"],
             "purpose_ours": "ウェブサイトの保守及び利用状況の統計分析",
             "purpose_recipient": "アクセスログの収集及び解析サービスの提供", "exemption": "none",
             "added_on": "2013-06-08"},
        ],
    }


SEED_BUILDERS = {
    "000_namiki_works": seed_000,
    "001_solamesh": seed_001,
    "002_tsubame_soft": seed_002,
    "003_hoshizora_net": seed_003,
    "004_hibari_system": seed_004,
}

# What each seed register must give (web.md §7, §8, §9): the web rules' findings, every
# provision's route, every exempt tag, and each tag's notice status. Stated by hand from the
# spec, not computed; tests/test_web_seeds.py compares.
SEED_EXPECTED = {
    "000_namiki_works": {
        "findings": [("EXT-002", "tags", "TG-STRATUS", "purpose_recipient"),
                     ("EXT-002", "tags", "TG-FLOWPANEL", "purpose_recipient")],
        "provisions": {"PV-MAIL": [None, "art27_5"]},
        "tags": {"TG-STRATUS": "direct_collection", "TG-FLOWPANEL": "direct_collection"},
        "notice": {"TG-STRATUS": "required", "TG-FLOWPANEL": "required"},
    },
    "001_solamesh": {
        "findings": [],
        "provisions": {"PV-PRIZE": ["consent", None], "PV-STATS": [None, "not_personal_information"]},
        "tags": {"TG-ADS": "direct_collection"},
        "notice": {"TG-ADS": "not_covered"},
    },
    "002_tsubame_soft": {
        "findings": [],
        "provisions": {"PV-GROUP": [None, "art27_5"], "PV-TAX": [None, "public_body"]},
        "tags": {"TG-CLOUDSTAT": "direct_collection", "TG-CHAT": "direct_collection",
                 "TG-LOGIN": "direct_collection", "TG-HEATMAP": "direct_collection"},
        "notice": {"TG-CLOUDSTAT": "exempt", "TG-CHAT": "exempt", "TG-LOGIN": "exempt",
                   "TG-HEATMAP": "required"},
    },
    "003_hoshizora_net": {
        "findings": [("EXT-001", "tags", "TG-STRATUS", "service_ids"),
                     ("EXT-002", "tags", "TG-STRATUS", "purpose_recipient"),
                     ("EXT-006", "provisions", "PV-MODULE", "item_ids")],
        "provisions": {"PV-ADS": ["consent", None], "PV-MODULE": [None, "not_personal_data"],
                       "PV-STATS": [None, "not_personal_information"]},
        "tags": {},
        "notice": {"TG-STRATUS": "required"},
    },
    "004_hibari_system": {
        "findings": [("EXT-004", "services", "SV-MYPAGE", "category")],
        "provisions": {"PV-ANALYSIS": [None, "art27_5"]},
        "tags": {"TG-BEACON": "direct_collection"},
        "notice": {"TG-BEACON": "unknown"},
    },
}


def main() -> None:
    for rule, (reg, findings) in invalid_cases().items():
        folder = INVALID / rule
        if folder.exists():
            shutil.rmtree(folder)
        dump(folder / "register.json", reg)
        dump(folder / "expected.json", {"rule": rule, "findings": findings, "as_of": AS_OF})
    for name, build in SEED_BUILDERS.items():
        dump(SEEDS / f"{name}.json", build())
    dump(SEEDS / "expected.json", {
        "as_of": AS_OF,
        "seeds": {name: {**e, "findings": [list(k) for k in e["findings"]]}
                  for name, e in copy.deepcopy(SEED_EXPECTED).items()},
    })
    print(f"wrote {len(invalid_cases())} invalid registers and {len(SEED_BUILDERS)} seed registers")


if __name__ == "__main__":
    main()
