#!/usr/bin/env python3
"""Build the bundled sample register: ``sample_data/register.json``.

One fictional Tokyo software company, 株式会社ハルカゼソフトウェア, with the kinds of
personal data, purposes and flows that the privacy policies of Japanese SaaS and software
companies describe: customers, business partners' staff, shareholders, vulnerability
reporters, employees, seminar participants and website visitors; outsourcing (e-mail
delivery, billing, a US cloud, an Irish analytics processor, a share-transfer agent), group
joint use, consent provisions (a seminar co-host, a sales partner, a US conference organiser),
person-related information to advertising partners, one opt-out provision, statutory
provisions to public bodies, and receipts from other businesses and from a private person.
The group joint use has two dated changes (purposes widened with notice in advance, a
subsidiary renamed), and the company also holds a mail-order client's member inquiries as its
trustee (受託): returned to the client monthly and re-entrusted, with the client's approval, to
a call centre (joint-use.md).

Every name, address, representative and number here is invented. The register is meant to
have no finding of severity ``error`` under ``rules.md`` at ``--as-of 2026-11-21``; a few
records made before 2023-11-21 are past their retention (RET-001, info).

Deterministic: stdlib only, ``random.Random(2024)``, fixed dates. Run with
``.venv/bin/python sample_data/build_sample.py``.
"""

from __future__ import annotations

import datetime as dt
import json
import random
from pathlib import Path

OUT = Path(__file__).resolve().parent / "register.json"
RNG = random.Random(2024)


# --------------------------------------------------------------------------- helpers
def corporate_number(base12: str) -> str:
    """Prefix the check digit to a 12-digit corporate number body (NTA rule)."""
    assert len(base12) == 12 and base12.isdigit()
    total = 0
    for n, ch in enumerate(reversed(base12), start=1):
        total += int(ch) * (1 if n % 2 else 2)
    return str(9 - total % 9) + base12


def iso(d: dt.date) -> str:
    return d.isoformat()


def weekday_on_or_after(d: dt.date) -> dt.date:
    while d.weekday() >= 5:
        d += dt.timedelta(days=1)
    return d


def months(start: tuple[int, int], end: tuple[int, int], step: int = 1):
    y, m = start
    while (y, m) <= end:
        yield y, m
        m += step
        while m > 12:
            m -= 12
            y += 1


def day_in_month(y: int, m: int, lo: int = 1, hi: int = 24) -> dt.date:
    return weekday_on_or_after(dt.date(y, m, RNG.randint(lo, hi)))


def d(s: str) -> dt.date:
    return dt.date.fromisoformat(s)


# --------------------------------------------------------------------------- organization
ORG = {
    "name": "株式会社ハルカゼソフトウェア",
    "address": "東京都中央区日本橋浜町五丁目12番3号 ハルカゼビル8階",
    "representative": "青木 瑞穂",
    "contact": "個人情報お問い合わせ窓口（privacy@harukaze-software.example／03-5000-1180）",
    "corporate_number": corporate_number("010001208847"),
    "country": "JP",
    # what the public matters about retained personal data say (publish.md §1)
    "complaint_contact": "個人情報お問い合わせ窓口（privacy@harukaze-software.example／03-5000-1180、"
                         "受付時間 平日10時～17時）",
    "accredited_org": "一般社団法人ソフトウェア個人情報保護協議会",
    "accredited_org_contact": "同協議会 個人情報保護苦情相談室（03-5000-9900）",
    "request_desk": "〒103-0007 東京都中央区日本橋浜町五丁目12番3号 ハルカゼビル8階 "
                    "株式会社ハルカゼソフトウェア 個人情報お問い合わせ窓口（privacy@harukaze-software.example）",
    "request_methods": ["post", "email"],
    "identity_check": "運転免許証、マイナンバーカード（表面のみ）等の本人確認書類の写しを請求書に添付してください。"
                      "代理人による請求の場合は、委任状（法定代理人の場合は戸籍謄本等）及び代理人の本人確認書類の写しも添付してください。",
    "agent_allowed": True,
    "fee_purpose_notice": 500,
    "fee_disclosure": 1000,
    "fee_record_disclosure": 1000,
    "disclosure_methods": ["electronic", "paper"],
    "privacy_mark": True,
    "privacy_mark_number": "第10829999(03)号",
}

# --------------------------------------------------------------------------- data items
DATA_ITEMS = [
    ("DI-001", "氏名", "personal", "基本情報", "顧客・取引先担当者・従業員・株主等の氏名"),
    ("DI-002", "住所", "personal", "連絡先", "自宅住所または勤務先住所"),
    ("DI-003", "メールアドレス", "personal", "連絡先", None),
    ("DI-004", "電話番号", "personal", "連絡先", "固定電話・携帯電話・FAX番号"),
    ("DI-005", "勤務先会社名", "personal", "所属", None),
    ("DI-006", "部署名", "personal", "所属", None),
    ("DI-007", "役職", "personal", "所属", None),
    ("DI-008", "請求先情報", "personal", "取引・決済", "請求書送付先、請求金額、支払状況"),
    ("DI-009", "銀行口座情報", "personal", "取引・決済", "金融機関名、支店名、口座番号、口座名義"),
    ("DI-010", "クレジットカードトークン", "personal", "取引・決済",
     "決済代行会社が発行するトークン。カード番号そのものは保持しない"),
    ("DI-011", "Cookie ID", "person_related", "オンライン識別子",
     "当社ウェブサイトが発行するCookie識別子及び広告識別子"),
    ("DI-012", "ウェブサイト閲覧履歴", "person_related", "オンライン識別子",
     "閲覧ページ、参照元、日時、ブラウザ種別（Cookie IDに紐づくもの）"),
    ("DI-013", "健康診断結果", "special_care", "健康",
     "労働安全衛生法に基づく定期健康診断の結果（要配慮個人情報）"),
    ("DI-014", "個人番号", "my_number", "識別番号", "行政手続における特定の個人を識別するための番号（マイナンバー）"),
    ("DI-015", "株主番号", "personal", "株主情報", None),
    ("DI-016", "所有株式数", "personal", "株主情報", None),
    ("DI-017", "生年月日", "personal", "基本情報", None),
    ("DI-018", "顔写真", "personal", "基本情報", "社員証・入館証用の顔写真"),
    ("DI-019", "サービス利用履歴", "personal", "利用状況",
     "契約アカウントに紐づく製品・サービスの利用ログ及び問い合わせ履歴"),
    ("DI-020", "興味関心情報", "person_related", "オンライン識別子",
     "広告配信事業者が推定した興味関心セグメント"),
    ("DI-021", "ハンドルネーム", "personal", "基本情報", "脆弱性報告者が名乗る呼称"),
    ("DI-022", "注文・問い合わせ履歴", "personal", "利用状況",
     "委託元の通販会員の注文番号及び問い合わせ内容（受託データ）"),
]


def data_items():
    rows = []
    for item_id, name, cls, cat, desc in DATA_ITEMS:
        row = {"item_id": item_id, "name": name, "legal_class": cls, "category": cat}
        if desc:
            row["description"] = desc
        rows.append(row)
    return rows


# --------------------------------------------------------------------------- purposes
PURPOSES = [
    ("PU-01", "当社製品・サービスの提供、利用契約の締結・更新・解約等の顧客取引情報の管理のため", None),
    ("PU-02", "新製品・新機能・導入事例等の製品・サービス情報、セミナー・イベントのご案内のため", None),
    ("PU-03", "製品・サービス及び利用料金の見積・請求・決済のため", None),
    ("PU-04", "お問い合わせへの回答及びカスタマーサポートのため", None),
    ("PU-05", "取引先情報の管理、契約締結・取引遂行に必要な連絡及び支払業務のため", None),
    ("PU-06", "脆弱性報告者への連絡、バグバウンティ報奨金の支払及びプログラム運営のため", None),
    ("PU-07", "会社法に基づく権利行使・義務履行、IR施策の実施及び株主管理のため", None),
    ("PU-08", "雇用管理、給与計算、社会保険・税務手続、健康管理及び安全衛生管理のため", None),
    ("PU-09", "セミナー・イベントの運営、並びに共催企業への参加者情報の提供のため", True),
    ("PU-10", "ウェブサイトの利用状況分析、広告の配信及び広告効果の測定のため（広告配信事業者への提供を含む）", True),
    ("PU-11", "ユーザー会会員名簿を作成し、出版社を通じて第三者に提供するため", True),
    ("PU-12", "製品・サービスの改善及び新サービスの開発、マーケティング施策の効果測定のため", None),
    ("PU-13", "株式会社ミドリ通販から受託した会員問い合わせ対応業務の遂行のため", None),
    ("PU-14", "販売パートナーによる導入支援・保守サービスの提供のため（お客様の担当者情報を販売パートナーに提供します）", True),
]
# Purposes that are a client's entrusted work, not our own (joint-use.md §1.4).
# When our purposes were published (the rest with the policy of 2022-04-01).
PUBLISHED_ON = {"PU-14": "2024-03-15"}
CLIENT_PURPOSES = {"PU-13": "PT-CLIENT-MIDORI"}


def purposes():
    rows = []
    for pid, desc, tpp in PURPOSES:
        row = {"purpose_id": pid, "description": desc}
        row["third_party_provision"] = bool(tpp)
        if pid in CLIENT_PURPOSES:
            row["client_party_id"] = CLIENT_PURPOSES[pid]
        else:  # our own purposes, published (publish.md §1); the client publishes its own
            row["published_on"] = PUBLISHED_ON.get(pid, "2022-04-01")
        rows.append(row)
    return rows


# --------------------------------------------------------------------------- datasets
def datasets():
    return [
        {
            "dataset_id": "DS-CUST", "name": "顧客情報データベース",
            "subjects": "製品・サービスの利用企業の担当者及び購入検討者",
            "item_ids": ["DI-001", "DI-002", "DI-003", "DI-004", "DI-005", "DI-006", "DI-007",
                         "DI-008", "DI-010", "DI-011", "DI-019", "DI-020"],
            "purpose_ids": ["PU-01", "PU-02", "PU-03", "PU-04", "PU-12", "PU-14"],
            "source": "principal", "storage": "顧客管理システム（米国クラウド基盤上）",
            "storage_country": "US", "retention": "契約終了後5年",
            "owner": "カスタマーサクセス部", "record_count": 18420,
            "access": "営業本部、カスタマーサクセス部、経理部（請求情報のみ）",
        },
        {
            "dataset_id": "DS-BIZCARD", "name": "取引先担当者情報（名刺管理）",
            "subjects": "取引先・販売パートナー・見込み客企業の担当者",
            "item_ids": ["DI-001", "DI-002", "DI-003", "DI-004", "DI-005", "DI-006", "DI-007"],
            "purpose_ids": ["PU-05", "PU-02"], "source": "principal",
            "storage": "名刺管理サービス（国内）", "storage_country": "JP",
            "retention": "最終接触日から5年", "owner": "営業本部", "record_count": 6210,
            "access": "営業本部、マーケティング部",
        },
        {
            "dataset_id": "DS-SHARE", "name": "株主名簿",
            "subjects": "株主及び実質株主",
            "item_ids": ["DI-001", "DI-002", "DI-009", "DI-014", "DI-015", "DI-016"],
            "purpose_ids": ["PU-07"], "source": "third_party",
            "storage": "株主名簿管理人のシステム及び総務部施錠キャビネット",
            "storage_country": "JP", "retention": "株主でなくなった後10年",
            "owner": "総務部", "record_count": 3875, "access": "総務部（IR担当）",
        },
        {
            "dataset_id": "DS-VULN", "name": "脆弱性報告者情報",
            "subjects": "製品の脆弱性・セキュリティインシデントの報告者",
            "item_ids": ["DI-001", "DI-003", "DI-009", "DI-021"],
            "purpose_ids": ["PU-06"], "source": "principal",
            "storage": "脆弱性管理システム（国内）", "storage_country": "JP",
            "retention": "報奨金支払後7年", "owner": "プロダクトセキュリティ室",
            "record_count": 214, "access": "プロダクトセキュリティ室、経理部（口座情報のみ）",
        },
        {
            "dataset_id": "DS-EMP", "name": "従業員情報（人事・給与・健康管理）",
            "subjects": "役員、従業員（契約社員・アルバイトを含む）及び退職者",
            "item_ids": ["DI-001", "DI-002", "DI-003", "DI-004", "DI-009", "DI-013", "DI-014",
                         "DI-017", "DI-018"],
            "purpose_ids": ["PU-08"], "source": "principal", "special_care_basis": "law",
            "storage": "人事給与システム（国内）、健康診断結果は産業保健スタッフ専用フォルダ",
            "storage_country": "JP", "retention": "退職後7年（個人番号は法定保存期間経過後速やかに廃棄）",
            "owner": "人事部", "record_count": 412,
            "access": "人事部（個人番号は事務取扱担当者のみ、健康診断結果は産業保健スタッフのみ）",
        },
        {
            "dataset_id": "DS-SEMINAR", "name": "セミナー・イベント参加者情報",
            "subjects": "当社主催・共催セミナー及びイベントの申込者・参加者",
            "item_ids": ["DI-001", "DI-003", "DI-004", "DI-005", "DI-006", "DI-007"],
            "purpose_ids": ["PU-09", "PU-02"], "source": "principal",
            "storage": "イベント管理システム（国内）", "storage_country": "JP",
            "retention": "イベント終了後3年", "owner": "マーケティング部", "record_count": 9120,
            "access": "マーケティング部",
        },
        {
            "dataset_id": "DS-WEB", "name": "ウェブサイト閲覧者情報（Cookie）",
            "subjects": "当社ウェブサイトの閲覧者",
            "item_ids": ["DI-011", "DI-012"], "purpose_ids": ["PU-10"], "source": "generated",
            "storage": "アクセス解析基盤（国内）", "storage_country": "JP",
            "retention": "取得から13か月", "owner": "マーケティング部", "record_count": 1250000,
            "access": "マーケティング部（Webチーム）",
        },
        {
            "dataset_id": "DS-COMMUNITY", "name": "ユーザー会会員名簿",
            "subjects": "当社製品ユーザー会の会員（名簿掲載に申し込んだ者）",
            "item_ids": ["DI-001", "DI-003", "DI-005", "DI-006", "DI-007"],
            "purpose_ids": ["PU-11"], "source": "principal",
            "storage": "コミュニティ管理システム（国内）", "storage_country": "JP",
            "retention": "退会後1年", "owner": "コミュニティ推進室", "record_count": 640,
            "access": "コミュニティ推進室",
        },
        {
            "dataset_id": "DS-LEADS", "name": "見込み客リスト（購入名簿・紹介）",
            "subjects": "名簿販売事業者から購入した名簿及び紹介により取得した見込み客",
            "item_ids": ["DI-001", "DI-003", "DI-004", "DI-005", "DI-006", "DI-007"],
            "purpose_ids": ["PU-02"], "source": "opt_out",
            "storage": "営業支援システム（国内）", "storage_country": "JP",
            "retention": "取得から2年", "owner": "インサイドセールス部", "record_count": 2300,
            "access": "インサイドセールス部",
        },
        {
            "dataset_id": "DS-CLIENT-MIDORI", "name": "受託：ミドリ通販 会員問い合わせデータ",
            "subjects": "委託元（株式会社ミドリ通販）の通販会員",
            "item_ids": ["DI-001", "DI-003", "DI-004", "DI-022"], "purpose_ids": ["PU-13"],
            "source": "third_party", "held_for_party_id": "PT-CLIENT-MIDORI",
            "storage": "問い合わせ管理システム（国内、委託元専用テナント）", "storage_country": "JP",
            "retention": "委託契約の終了時に委託元へ返還し消去", "owner": "BPOサービス部",
            "record_count": 860, "access": "BPOサービス部（ミドリ通販担当チーム）",
        },
    ]


# --------------------------------------------------------------------------- parties
def parties():
    cn = corporate_number
    return [
        {"party_id": "PT-MAILER", "name": "株式会社メールリンクス", "kind": "corporation",
         "address": "東京都品川区大崎三丁目7番21号", "representative": "小野寺 健一",
         "country": "JP", "corporate_number": cn("010701052291")},
        {"party_id": "PT-BILLING", "name": "ペイブリッジ決済サービス株式会社", "kind": "corporation",
         "address": "東京都渋谷区恵比寿南二丁目4番8号", "representative": "森川 沙織",
         "country": "JP", "corporate_number": cn("011001143378")},
        {"party_id": "PT-CLOUDUS", "name": "Skyforge Cloud, Inc.", "kind": "corporation",
         "address": "1200 Harborline Avenue, Suite 400, Seattle, WA 98101, USA",
         "representative": "Daniel R. Whitaker", "country": "US",
         "foreign_safeguard": "system", "safeguard_checked_on": "2026-03-16"},
        {"party_id": "PT-ANALYTICS", "name": "Lumen Insight Ltd.", "kind": "corporation",
         "address": "18 Grand Canal Quay, Dublin 2, D02 XK71, Ireland",
         "representative": "Aoife Brennan", "country": "IE"},
        {"party_id": "PT-GRP-LABS", "name": "株式会社ハルカゼラボ", "kind": "corporation",
         "address": "東京都中央区日本橋浜町五丁目12番3号 ハルカゼビル6階",
         "representative": "青木 瑞穂", "country": "JP", "corporate_number": cn("010001208848")},
        {"party_id": "PT-GRP-CONNECT", "name": "株式会社ハルカゼコネクト", "kind": "corporation",
         "address": "大阪府大阪市北区梅田二丁目5番10号", "representative": "村瀬 拓海",
         "country": "JP", "corporate_number": cn("012001098812")},
        {"party_id": "PT-COHOST", "name": "株式会社ミライ経営研究所", "kind": "corporation",
         "address": "東京都千代田区神田小川町一丁目9番2号", "representative": "長谷部 真理",
         "country": "JP", "corporate_number": cn("010001176604")},
        {"party_id": "PT-RESELLER", "name": "東和システムパートナーズ株式会社", "kind": "corporation",
         "address": "愛知県名古屋市中区錦三丁目15番6号", "representative": "堀田 和也",
         "country": "JP", "corporate_number": cn("018001063357")},
        {"party_id": "PT-USEVENT", "name": "Pacific DevSummit LLC", "kind": "corporation",
         "address": "455 Market Street, 9th Floor, San Francisco, CA 94105, USA",
         "representative": "Megan L. Ortiz", "country": "US"},
        {"party_id": "PT-ADPARTNER", "name": "株式会社アドコネクト・データ", "kind": "corporation",
         "address": "東京都港区芝浦四丁目2番18号", "representative": "新井 翔太",
         "country": "JP", "corporate_number": cn("010401187720")},
        {"party_id": "PT-ADNET", "name": "Brightwave Ads, Inc.", "kind": "corporation",
         "address": "77 Lexington Row, New York, NY 10016, USA",
         "representative": "Jonathan P. Keane", "country": "US"},
        {"party_id": "PT-TAXOFFICE", "name": "日本橋東税務署", "kind": "state_organ",
         "address": "東京都中央区日本橋蛎殻町一丁目3番5号", "country": "JP"},
        {"party_id": "PT-LSO", "name": "中央湾岸労働基準監督署", "kind": "state_organ",
         "address": "東京都中央区晴海二丁目8番1号", "country": "JP"},
        {"party_id": "PT-POLICE", "name": "警視庁桜橋警察署", "kind": "state_organ",
         "address": "東京都中央区新川一丁目20番4号", "country": "JP"},
        {"party_id": "PT-KENPO", "name": "東京ソフトウェア産業健康保険組合", "kind": "corporation",
         "address": "東京都新宿区西新宿六丁目3番1号", "representative": "佐伯 隆之",
         "country": "JP"},
        {"party_id": "PT-TRANSFER", "name": "東邦信託銀行株式会社", "kind": "corporation",
         "address": "東京都千代田区丸の内二丁目11番1号", "representative": "高森 正人",
         "country": "JP", "corporate_number": cn("010001034481")},
        {"party_id": "PT-PUBLISHER", "name": "株式会社ITビジネス出版", "kind": "corporation",
         "address": "東京都文京区本郷三丁目26番4号", "representative": "片山 由紀",
         "country": "JP", "corporate_number": cn("010001129935")},
        {"party_id": "PT-MIGRATE", "name": "株式会社クラウドキャビネット", "kind": "corporation",
         "address": "福岡県福岡市中央区天神一丁目14番7号", "representative": "野口 亮介",
         "country": "JP", "corporate_number": cn("029001041166")},
        {"party_id": "PT-LISTBROKER", "name": "株式会社データリスト企画", "kind": "corporation",
         "address": "東京都台東区上野五丁目9番11号", "representative": "岩崎 誠",
         "country": "JP", "corporate_number": cn("010501077443")},
        {"party_id": "PT-REFERRER", "name": "中村 恵子", "kind": "individual",
         "address": "神奈川県横浜市港北区日吉本町三丁目5番14号", "country": "JP"},
        {"party_id": "PT-CLIENT-MIDORI", "name": "株式会社ミドリ通販", "kind": "corporation",
         "address": "埼玉県さいたま市大宮区桜木町二丁目3番8号", "representative": "緑川 早苗",
         "country": "JP", "corporate_number": cn("030001077264")},
        {"party_id": "PT-CALLCENTER", "name": "株式会社コールリンク沖縄", "kind": "corporation",
         "address": "沖縄県那覇市久茂地一丁目12番12号", "representative": "比嘉 大輔",
         "country": "JP", "corporate_number": cn("036001024415")},
    ]


# --------------------------------------------------------------------------- contractors
def contractors():
    return [
        {"contract_id": "CT-001", "party_id": "PT-MAILER", "task": "メールマガジン・製品案内メールの配信業務",
         "item_ids": ["DI-001", "DI-003", "DI-005"], "contract_on": "2022-04-01",
         "security_terms": True, "audit_interval_months": 12, "last_audit_on": "2026-05-20",
         "subcontracting": "with_approval"},
        {"contract_id": "CT-002", "party_id": "PT-BILLING", "task": "請求書発行、クレジットカード決済及び口座振替の代行業務",
         "item_ids": ["DI-001", "DI-002", "DI-003", "DI-005", "DI-006", "DI-008", "DI-010"],
         "contract_on": "2021-10-01", "security_terms": True, "audit_interval_months": 12,
         "last_audit_on": "2026-02-10", "subcontracting": "with_approval"},
        {"contract_id": "CT-003", "party_id": "PT-CLOUDUS", "task": "SaaS基盤（IaaS）の提供及び運用保守",
         "item_ids": ["DI-001", "DI-002", "DI-003", "DI-004", "DI-005", "DI-006", "DI-007",
                      "DI-008", "DI-010", "DI-019"],
         "contract_on": "2020-07-01", "security_terms": True, "audit_interval_months": 6,
         "last_audit_on": "2026-09-15", "subcontracting": "with_approval"},
        {"contract_id": "CT-004", "party_id": "PT-ANALYTICS", "task": "製品利用分析及びカスタマーサポート基盤の運用",
         "item_ids": ["DI-001", "DI-003", "DI-005", "DI-019"], "contract_on": "2023-09-01",
         "security_terms": True, "audit_interval_months": 12, "last_audit_on": "2026-01-28",
         "subcontracting": "with_approval", "ends_on": "2027-03-31"},
        {"contract_id": "CT-005", "party_id": "PT-TRANSFER", "task": "株主名簿管理人業務（株主名簿の作成・管理、配当金支払、個人番号の収集・管理）",
         "item_ids": ["DI-001", "DI-002", "DI-009", "DI-014", "DI-015", "DI-016"],
         "contract_on": "2019-06-20", "security_terms": True, "audit_interval_months": 12,
         "last_audit_on": "2025-12-05", "subcontracting": "none"},
        # a re-entrustment of data held for a client: the client approved the subcontractor
        {"contract_id": "CT-006", "party_id": "PT-CALLCENTER",
         "task": "ミドリ通販から受託した会員問い合わせ対応業務のうち電話受付業務（再委託）",
         "item_ids": ["DI-001", "DI-003", "DI-004", "DI-022"], "contract_on": "2024-04-01",
         "security_terms": True, "audit_interval_months": 12, "last_audit_on": "2026-03-18",
         "subcontracting": "none", "client_approved_on": "2024-03-15"},
    ]


def joint_uses():
    return [
        {"joint_use_id": "JU-GROUP", "notified_on": "2021-04-01",
         "item_ids": ["DI-001", "DI-003", "DI-004", "DI-005", "DI-006", "DI-007", "DI-019"],
         "users_scope": "当社及び当社の連結子会社（株式会社ハルカゼラボ、株式会社ハルカゼコネクト）",
         "purpose_ids": ["PU-01", "PU-02", "PU-04", "PU-12"], "manager_party_id": "self",
         "user_party_ids": ["self", "PT-GRP-LABS", "PT-GRP-CONNECT"],
         "notice_url": "https://harukaze-software.example/privacy#joint-use"},
    ]


def joint_use_changes():
    """The group joint use's history (joint-use.md §1.2): the row above is the notice as it now
    stands; each change keeps the value before it."""
    return [
        # purposes widened to product and seminar information, notified a month in advance
        {"change_id": "JC-001", "joint_use_id": "JU-GROUP", "matter": "purposes",
         "effective_on": "2024-04-01", "notified_on": "2024-03-01",
         "before_purpose_ids": ["PU-01", "PU-04", "PU-12"],
         "notice_url": "https://harukaze-software.example/privacy/news/2024-03-01"},
        # the western subsidiary was renamed; the jointly used items stayed the same
        {"change_id": "JC-002", "joint_use_id": "JU-GROUP", "matter": "users",
         "effective_on": "2025-07-01", "notified_on": "2025-07-01", "change_basis": "user_renamed",
         "before_user_party_ids": ["self", "PT-GRP-LABS", "PT-GRP-CONNECT"],
         "before_users_scope": "当社及び当社の連結子会社（株式会社ハルカゼラボ、株式会社ハルカゼ西日本）",
         "notice_url": "https://harukaze-software.example/privacy/news/2025-07-01"},
    ]


# --------------------------------------------------------------------------- provisions
PROVISIONS = [
    {"provision_id": "PV-MAIL", "party_id": "PT-MAILER", "basis": "entrustment",
     "item_ids": ["DI-001", "DI-003", "DI-005"], "dataset_id": "DS-CUST",
     "purpose": "製品案内メール・メールマガジンの配信委託", "contract_id": "CT-001"},
    {"provision_id": "PV-BILL", "party_id": "PT-BILLING", "basis": "entrustment",
     "item_ids": ["DI-001", "DI-002", "DI-003", "DI-005", "DI-006", "DI-008", "DI-010"],
     "dataset_id": "DS-CUST", "purpose": "利用料金の請求書発行及び決済代行の委託",
     "contract_id": "CT-002"},
    {"provision_id": "PV-CLOUD", "party_id": "PT-CLOUDUS", "basis": "entrustment",
     "item_ids": ["DI-001", "DI-003", "DI-004", "DI-005", "DI-006", "DI-007", "DI-019"],
     "dataset_id": "DS-CUST", "purpose": "米国クラウド基盤上での顧客データの保管・運用（基準適合体制を整備）",
     "contract_id": "CT-003"},
    {"provision_id": "PV-ANALYTICS", "party_id": "PT-ANALYTICS", "basis": "entrustment",
     "item_ids": ["DI-001", "DI-003", "DI-005", "DI-019"], "dataset_id": "DS-CUST",
     "purpose": "製品利用分析及びサポート基盤の運用委託（アイルランド）", "contract_id": "CT-004"},
    {"provision_id": "PV-GRP-LABS", "party_id": "PT-GRP-LABS", "basis": "joint_use",
     "item_ids": ["DI-001", "DI-003", "DI-019"], "dataset_id": "DS-CUST",
     "purpose": "グループ共同利用（新機能の研究開発・利用分析）", "joint_use_id": "JU-GROUP"},
    {"provision_id": "PV-GRP-CONNECT", "party_id": "PT-GRP-CONNECT", "basis": "joint_use",
     "item_ids": ["DI-001", "DI-003", "DI-004", "DI-005", "DI-006", "DI-007"],
     "dataset_id": "DS-CUST", "purpose": "グループ共同利用（西日本地区の営業・サポート）",
     "joint_use_id": "JU-GROUP"},
    {"provision_id": "PV-SEMINAR", "party_id": "PT-COHOST", "basis": "consent",
     "item_ids": ["DI-001", "DI-003", "DI-004", "DI-005", "DI-006", "DI-007"],
     "dataset_id": "DS-SEMINAR", "purpose": "共催セミナーの参加者情報を共催企業へ提供",
     "consent": True,
     "consent_evidence": "セミナー申込フォームの同意チェック（イベント管理システムに申込日時とともに保存）",
     "record_method": "each"},
    {"provision_id": "PV-USEVENT", "party_id": "PT-USEVENT", "basis": "consent",
     "item_ids": ["DI-001", "DI-003", "DI-005", "DI-007"], "dataset_id": "DS-SEMINAR",
     "purpose": "米国開発者カンファレンスの招待参加者の登録のための提供",
     "consent": True, "foreign_info_given": True,
     "consent_evidence": "招待申込フォームで米国の制度・提供先の措置を表示のうえ取得した同意（イベント管理システム）",
     "record_method": "each"},
    {"provision_id": "PV-RESELLER", "party_id": "PT-RESELLER", "basis": "consent",
     "item_ids": ["DI-001", "DI-003", "DI-004", "DI-005", "DI-006"], "dataset_id": "DS-CUST",
     "purpose": "販売パートナーによる導入支援・保守サービス提供のための顧客担当者情報の提供",
     "consent": True,
     "consent_evidence": "パートナー経由の利用申込書の同意欄（原本はパートナー、写しを営業本部で保管）",
     "record_method": "bulk", "starts_on": "2024-04-01", "ends_on": "2025-12-31"},
    {"provision_id": "PV-ADLINK", "party_id": "PT-ADPARTNER", "basis": "consent",
     "item_ids": ["DI-011", "DI-012"], "dataset_id": "DS-WEB",
     "purpose": "提携先DMPでの会員情報との突合による広告配信（提供先での個人データとしての取得を想定）",
     "consent": True, "linkage_expected": True, "consent_confirmed_on": "2024-01-09",
     "consent_evidence": "提供先の同意取得画面及び同意ログの提示を受けて確認（確認書面はマーケティング部で保管）",
     "record_method": "bulk", "starts_on": "2024-01-15"},
    {"provision_id": "PV-ADNET", "party_id": "PT-ADNET", "basis": "consent",
     "item_ids": ["DI-011", "DI-012"], "dataset_id": "DS-WEB",
     "purpose": "広告ネットワークによるリターゲティング広告の配信（個人データとの紐付けは契約で禁止）",
     "consent": True, "linkage_expected": False,
     "consent_evidence": "ウェブサイトのCookie同意バナー"},
    {"provision_id": "PV-TAX", "party_id": "PT-TAXOFFICE", "basis": "law",
     "item_ids": ["DI-014"], "dataset_id": "DS-EMP",
     "purpose": "法定調書（給与所得の源泉徴収票等）への個人番号の記載・提出（所得税法第226条）"},
    {"provision_id": "PV-LSO", "party_id": "PT-LSO", "basis": "law",
     "item_ids": ["DI-001", "DI-013"], "dataset_id": "DS-EMP",
     "purpose": "労働安全衛生法第100条に基づく労働基準監督署長の求めに応じた健康診断個人票の提出"},
    {"provision_id": "PV-KENPO", "party_id": "PT-KENPO", "basis": "law",
     "item_ids": ["DI-001", "DI-017", "DI-013"], "dataset_id": "DS-EMP",
     "purpose": "高齢者の医療の確保に関する法律第27条に基づく健康診断結果の健康保険組合への提供"},
    {"provision_id": "PV-SHARE", "party_id": "PT-TRANSFER", "basis": "entrustment",
     "item_ids": ["DI-001", "DI-002", "DI-009", "DI-014", "DI-015", "DI-016"],
     "dataset_id": "DS-SHARE", "purpose": "株主名簿管理人への株主名簿の管理及び配当金支払事務の委託",
     "contract_id": "CT-005"},
    {"provision_id": "PV-OPTOUT", "party_id": "PT-PUBLISHER", "basis": "opt_out",
     "item_ids": ["DI-001", "DI-005", "DI-006", "DI-007"], "dataset_id": "DS-COMMUNITY",
     "purpose": "ユーザー会会員名簿（書籍版）への掲載のための出版社への提供",
     "optout_notified_on": "2023-04-03", "record_method": "each", "starts_on": "2023-06-01"},
    {"provision_id": "PV-POLICE", "party_id": "PT-POLICE", "basis": "law",
     "item_ids": ["DI-001", "DI-003", "DI-004", "DI-019"], "dataset_id": "DS-CUST",
     "purpose": "捜査関係事項照会（刑事訴訟法第197条第2項）への回答"},
    {"provision_id": "PV-MIGRATE", "party_id": "PT-MIGRATE", "basis": "on_behalf",
     "item_ids": ["DI-001", "DI-003", "DI-005", "DI-019"], "dataset_id": "DS-CUST",
     "purpose": "本人の依頼に基づく移行先サービスへのアカウント情報の提供"},
    # data held for a client (受託): its return to the client and its re-entrustment
    {"provision_id": "PV-RETURN-MIDORI", "party_id": "PT-CLIENT-MIDORI", "basis": "entrustment",
     "item_ids": ["DI-001", "DI-003", "DI-004", "DI-022"], "dataset_id": "DS-CLIENT-MIDORI",
     "purpose": "受託業務の結果（問い合わせ対応記録）の委託元への月次返還"},
    {"provision_id": "PV-SUB-CALL", "party_id": "PT-CALLCENTER", "basis": "entrustment",
     "item_ids": ["DI-001", "DI-003", "DI-004", "DI-022"], "dataset_id": "DS-CLIENT-MIDORI",
     "purpose": "電話受付業務の再委託（委託元の承諾済み）", "contract_id": "CT-006"},
]


def held_events():
    """The log of the flows of data held for the client: monthly, from the contract's start.

    Separate IDs and no random draws, so that the other events keep their IDs and dates. No
    principal IDs: a return and a re-entrustment need no record (rules.md §2 step 0r, step 5),
    and the client's members are not in our principals table.
    """
    rows = []
    for n, (y, m) in enumerate(months((2024, 4), (2026, 10)), start=1):
        rows.append({"event_id": f"EV-H-{2 * n - 1:04d}", "provision_id": "PV-SUB-CALL",
                     "provided_on": iso(weekday_on_or_after(dt.date(y, m, 2)))})
        rows.append({"event_id": f"EV-H-{2 * n:04d}", "provision_id": "PV-RETURN-MIDORI",
                     "provided_on": iso(weekday_on_or_after(dt.date(y, m, 10)))})
    return rows



# --------------------------------------------------------------------------- principals
SURNAMES = ["佐藤", "鈴木", "高橋", "田中", "伊藤", "渡辺", "山本", "中村", "小林", "加藤",
            "吉田", "山田", "佐々木", "山口", "松本", "井上", "木村", "林", "斎藤", "清水",
            "山崎", "森", "池田", "橋本", "阿部", "石川", "山下", "中島", "石井", "小川",
            "前田", "岡田", "長谷川", "藤田", "後藤", "近藤", "村上", "遠藤", "青木", "坂本"]
GIVEN = ["翔太", "陽菜", "大輝", "美咲", "拓也", "結衣", "健太", "葵", "直樹", "さくら",
         "亮", "真由美", "誠", "彩", "悠斗", "千尋", "和也", "優子", "颯", "恵美",
         "隆", "舞", "涼介", "奈々", "修", "理沙", "蓮", "由美子", "大和", "沙耶",
         "浩二", "麻衣", "湊", "香織", "剛", "愛", "陸", "裕子", "慎也", "桃子"]

POOLS = {  # principal-ID ranges (inclusive) and the note written to `principals`
    "customer": (1, 120, "顧客企業担当者"),
    "seminar": (121, 230, "セミナー参加者"),
    "employee": (231, 272, "従業員"),
    "shareholder": (273, 302, "株主"),
    "community": (303, 342, "ユーザー会会員"),
    "lead": (343, 372, "見込み客"),
}


def pid(n: int) -> str:
    return f"PR-{n:05d}"


def pool(name: str) -> list[str]:
    lo, hi, _ = POOLS[name]
    return [pid(n) for n in range(lo, hi + 1)]


def principals(used: set[str]):
    rows = []
    seen_names: set[str] = set()
    for _pool, (lo, hi, note) in POOLS.items():
        for n in range(lo, hi + 1):
            while True:
                full = f"{RNG.choice(SURNAMES)} {RNG.choice(GIVEN)}"
                if full not in seen_names:
                    seen_names.add(full)
                    break
            if pid(n) in used:
                rows.append({"principal_id": pid(n), "name": full, "note": note})
    return rows


# --------------------------------------------------------------------------- events
def build_events():
    """Return a list of events: (provided_on, provision_id, style, principals, extra)."""
    ev = []  # dicts: date, pv, principals (list or None), per_row (bool), item_ids, recorded

    def add(date, pv, prs=None, per_row=False, item_ids=None, recorded_offset=0):
        ev.append({"date": date, "pv": pv, "prs": prs, "per_row": per_row,
                   "item_ids": item_ids, "recorded_offset": recorded_offset})

    cust, sem, emp = pool("customer"), pool("seminar"), pool("employee")
    share, comm = pool("shareholder"), pool("community")

    # e-mail delivery contractor: monthly campaign, recipients as one array
    for y, m in months((2024, 1), (2026, 10)):
        add(day_in_month(y, m), "PV-MAIL", sorted(RNG.sample(cust, RNG.randint(6, 14))))

    # billing contractor: monthly run; 2024 one row per principal, later arrays
    for y, m in months((2024, 1), (2026, 10)):
        date = weekday_on_or_after(dt.date(y, m, 25))
        prs = sorted(RNG.sample(cust, RNG.randint(3, 5) if y == 2024 else RNG.randint(5, 12)))
        items = None
        if m in (3, 9):  # card-only runs: no postal address printed
            items = ["DI-001", "DI-003", "DI-005", "DI-010"]
        add(date, "PV-BILL", prs, per_row=(y == 2024), item_ids=items)

    # US cloud (system, checked yearly): quarterly data-migration batches
    for y, m in months((2024, 2), (2026, 8), step=3):
        add(day_in_month(y, m), "PV-CLOUD", sorted(RNG.sample(cust, RNG.randint(20, 40))))

    # Irish analytics processor: every two months
    for y, m in months((2024, 1), (2026, 9), step=2):
        add(day_in_month(y, m), "PV-ANALYTICS", sorted(RNG.sample(cust, RNG.randint(8, 20))),
            item_ids=["DI-001", "DI-003", "DI-019"] if m == 5 else None)

    # group joint use
    for y, m in months((2024, 3), (2026, 9), step=3):
        add(day_in_month(y, m), "PV-GRP-LABS", sorted(RNG.sample(cust, RNG.randint(10, 25))))
    for y, m in months((2024, 2), (2026, 10), step=2):
        add(day_in_month(y, m), "PV-GRP-CONNECT", sorted(RNG.sample(cust, RNG.randint(2, 4))),
            per_row=True)

    # seminar co-host (consent, each): one row per participant, records made 0–2 days later
    seminar_dates = ["2023-09-14", "2023-11-09", "2024-03-12", "2024-07-10", "2024-11-13",
                     "2025-03-11", "2025-07-09", "2025-11-12", "2026-03-10", "2026-07-08"]
    for s in seminar_dates:
        add(d(s), "PV-SEMINAR", sorted(RNG.sample(sem, RNG.randint(8, 12))), per_row=True,
            recorded_offset=RNG.randint(0, 2))

    # US conference organiser (consent, foreign information given)
    for s in ["2024-10-08", "2025-10-07"]:
        add(d(s), "PV-USEVENT", sorted(RNG.sample(sem, RNG.randint(3, 4))))

    # sales partner (consent, bulk record)
    for y, m in months((2024, 4), (2025, 12)):
        add(day_in_month(y, m), "PV-RESELLER", sorted(RNG.sample(cust, RNG.randint(2, 5))))

    # person-related information: DMP partner (linkage expected) and ad network (no linkage)
    for y, m in months((2024, 1), (2026, 10)):
        add(day_in_month(y, m, lo=16, hi=26), "PV-ADLINK")
    for y, m in months((2024, 1), (2026, 7), step=3):
        add(day_in_month(y, m), "PV-ADNET")

    # statutory flows
    for s in ["2024-01-31", "2025-01-31", "2026-01-30"]:
        add(d(s), "PV-TAX", sorted(RNG.sample(emp, len(emp) - RNG.randint(0, 4))))
    for s in ["2024-08-20", "2025-09-10"]:
        add(d(s), "PV-LSO", [RNG.choice(emp)])
    for s in ["2024-06-14", "2025-06-13", "2026-06-12"]:
        add(d(s), "PV-KENPO", sorted(RNG.sample(emp, RNG.randint(30, 38))))
    for s in ["2024-04-05", "2024-10-04", "2025-04-04", "2025-10-03", "2026-04-03", "2026-10-02"]:
        add(d(s), "PV-SHARE", sorted(RNG.sample(share, RNG.randint(20, 30))))
    add(d("2025-03-12"), "PV-POLICE", [RNG.choice(cust)])
    for s in ["2024-11-05", "2026-02-17"]:
        add(d(s), "PV-MIGRATE", [RNG.choice(cust)])

    # opt-out provision (notified 2023-04-03): each, one row per member
    optout_dates = ["2023-07-10", "2023-10-16", "2024-02-13", "2024-08-06", "2025-02-12",
                    "2025-08-05", "2026-02-10", "2026-08-04"]
    for s in optout_dates:
        add(d(s), "PV-OPTOUT", sorted(RNG.sample(comm, RNG.randint(4, 7))), per_row=True)

    ev.sort(key=lambda e: (e["date"], e["pv"]))
    rows = []
    for i, e in enumerate(ev, start=1):
        eid = f"EV-{i:05d}"
        base = {"event_id": eid, "provision_id": e["pv"], "provided_on": iso(e["date"])}
        extra = {}
        if e["item_ids"]:
            extra["item_ids"] = e["item_ids"]
        if e["recorded_offset"]:
            extra["recorded_on"] = iso(e["date"] + dt.timedelta(days=e["recorded_offset"]))
        if e["prs"] is None:
            rows.append({**base, **extra})
        elif e["per_row"]:
            for p in e["prs"]:
                rows.append({**base, "principal_ids": [p], **extra})
        else:
            rows.append({**base, "principal_ids": e["prs"], **extra})
    return rows


# --------------------------------------------------------------------------- receipts
def receipts():
    lead = pool("lead")
    cust = pool("customer")
    cards = ["DI-001", "DI-003", "DI-004", "DI-005", "DI-006", "DI-007"]
    return [
        {"receipt_id": "RC-001", "party_id": "PT-RESELLER", "basis": "consent",
         "received_on": "2024-05-20", "principal_ids": lead[0:6], "item_ids": cards,
         "dataset_id": "DS-BIZCARD",
         "acquisition": "提供元が展示会で来場者本人と名刺交換して取得し、当社への提供について本人の同意を書面で得たもの",
         "provider_confirmed": True, "consent": True, "record_method": "each"},
        {"receipt_id": "RC-002", "party_id": "PT-RESELLER", "basis": "consent",
         "received_on": "2025-06-18", "principal_ids": lead[6:11], "item_ids": cards,
         "dataset_id": "DS-BIZCARD",
         "acquisition": "提供元主催の商談会で本人から名刺交換により取得し、当社への提供について本人の同意を得たもの",
         "provider_confirmed": True, "consent": True, "record_method": "each",
         "recorded_on": "2025-06-19"},
        {"receipt_id": "RC-003", "party_id": "PT-LISTBROKER", "basis": "opt_out",
         "received_on": "2024-09-02", "principal_ids": lead[11:23],
         "item_ids": ["DI-001", "DI-004", "DI-005", "DI-006", "DI-007"], "dataset_id": "DS-LEADS",
         "acquisition": "提供元が企業のウェブサイト及び公刊物から収集した情報（オプトアウト届出に基づく提供）",
         "provider_confirmed": True, "ppc_publication_checked": True, "record_method": "each"},
        {"receipt_id": "RC-004", "party_id": "PT-REFERRER", "basis": "private",
         "received_on": "2025-02-14", "principal_ids": lead[23:25],
         "item_ids": ["DI-001", "DI-003"], "dataset_id": "DS-LEADS",
         "acquisition": "紹介キャンペーンにおいて、紹介者が知人である本人から紹介の了承を得て聞き取ったもの",
         "provider_confirmed": True, "record_method": "each"},
        {"receipt_id": "RC-005", "party_id": "PT-ADPARTNER", "basis": "person_related",
         "received_on": "2025-08-01", "principal_ids": sorted(RNG.sample(cust, 8)),
         "item_ids": ["DI-011", "DI-020"], "dataset_id": "DS-CUST",
         "provider_confirmed": True, "consent": True, "record_method": "each"},
        {"receipt_id": "RC-006", "party_id": "PT-GRP-LABS", "basis": "joint_use",
         "received_on": "2025-03-03", "principal_ids": sorted(RNG.sample(cust, 5)),
         "item_ids": ["DI-001", "DI-003", "DI-019"], "dataset_id": "DS-CUST",
         "acquisition": "グループ共同利用の範囲内でハルカゼラボが本人から取得したもの"},
        {"receipt_id": "RC-007", "party_id": "PT-CLIENT-MIDORI", "basis": "entrustment",
         "received_on": "2024-04-01", "item_ids": ["DI-001", "DI-003", "DI-004", "DI-022"],
         "dataset_id": "DS-CLIENT-MIDORI",
         "acquisition": "委託元ミドリ通販が会員から取得した会員情報及び問い合わせ履歴の受託"},
    ]


# --------------------------------------------------------------------------- main
# --------------------------------------------------------------------------- incidents
def incidents():
    """One leak incident (incident.md): a credential-stuffing attack on the user-group site.

    Unauthorized access is an act with an improper purpose (APPI Rules Art 7(iii)): reportable,
    final report within 60 days. Known 2026-10-06 (day 1); 10-31 is day 26, 11-30 day 56,
    12-04 (Fri) day 60: due 2026-12-04. Reported quickly (10-08) and the members told (10-09);
    on 2026-11-21 only the final report is still open.
    """
    return [{
        "incident_id": "INC-2026-01",
        "known_on": "2026-10-06",
        "occurred_on": "2026-10-03",
        "event_types": ["leak"],
        "suspected": True,
        "dataset_ids": ["DS-COMMUNITY"],
        "principal_count": 212,
        "principal_count_max": 640,
        "cause": "unauthorized_access",
        "media": "ユーザー会会員サイト（会員マイページ）",
        "discovered_by": "コミュニティ推進室（不審なログインについての会員からの問い合わせ）",
        "summary": "2026年10月3日から5日にかけて、ユーザー会会員サイトに対し、他のサービスから流出したとみられる"
                   "IDとパスワードを用いたリスト型攻撃による不正ログインがあり、会員212名のマイページが"
                   "閲覧されたおそれがある。会員名簿全体（640名）への不正な操作は確認されていない。",
        "cause_detail": "会員サイトに多要素認証及びログイン試行回数の制限を導入していなかった。",
        "secondary_damage": "現時点で、閲覧されたおそれのある情報を用いたなりすましメール等の二次被害は確認されていない。",
        "principal_response": "対象の会員212名に電子メールで個別に通知し、パスワードの変更を依頼した。",
        "publication": "2026年10月9日、当社ウェブサイトのお知らせで公表した。",
        "prevention_done": "全会員のパスワードを無効化して再設定を求め、ログイン試行回数の制限を導入した。",
        "prevention_planned": "2026年12月までに会員サイトへ多要素認証を導入する。",
        "quick_report_on": "2026-10-08",
        "principals_notified_on": "2026-10-09",
    }]


# --------------------------------------------------------------------------- web (web.md)
# The company's website, cloud service and app, and the tags on them: an analytics tag whose
# vendor collects for itself (direct collection), the ad network and DMP tags through which we
# send our own web log (PV-ADNET, PV-ADLINK), a support-chat SDK the service needs, our own
# log-in session identifier, and a heat-map tag removed in 2024. Also usage statistics by
# industry for a publisher's market report: statistics are not personal information.
def web_items():
    return [{"item_id": "DI-031", "name": "端末情報", "legal_class": "person_related",
             "category": "オンライン識別子", "description": "端末の種類、OS、アプリのバージョン、IPアドレス"},
            {"item_id": "DI-032", "name": "ログインセッションID", "legal_class": "person_related",
             "category": "オンライン識別子", "description": "当社サービスが発行するログイン状態の識別子"}]


def web_datasets():
    return [{
        "dataset_id": "DS-STATS", "name": "業種別製品利用統計（統計情報）",
        "subjects": "製品・サービスの利用企業", "item_ids": ["DI-005", "DI-019"],
        "purpose_ids": ["PU-12"], "source": "generated", "processing": "statistics",
        "storage": "アクセス解析基盤（国内）", "storage_country": "JP", "retention": "作成から5年",
        "owner": "マーケティング部", "access": "マーケティング部",
    }]


WEB_PROVISIONS = [
    {"provision_id": "PV-STATS", "party_id": "PT-PUBLISHER", "basis": "none",
     "item_ids": ["DI-005", "DI-019"], "dataset_id": "DS-STATS",
     "purpose": "業界動向レポートへの業種別・規模別の製品利用統計の提供（特定の個人との対応関係を排除した集計値）"},
]


def services():
    notice = {"notice_url": "https://harukaze-software.example/privacy/external-transmission",
              "notice_on": "2023-06-12"}
    return [
        {"service_id": "SV-CORP", "name": "コーポレートサイト", "category": "self_need",
         "kind": "website", "url": "https://harukaze-software.example/"},
        {"service_id": "SV-CLOUD", "name": "ハルカゼ クラウド（チャット・ファイル共有）",
         "category": "messaging", "kind": "website", "url": "https://cloud.harukaze-software.example/",
         **notice},
        {"service_id": "SV-APP", "name": "ハルカゼ クラウド モバイルアプリ", "category": "messaging",
         "kind": "app", "url": "jp.example.harukaze.cloud", **notice},
    ]


def tags():
    return [
        {"tag_id": "TG-ANALYTICS", "service_ids": ["SV-CORP", "SV-CLOUD", "SV-APP"],
         "module_name": "Lumen Web Analytics", "recipient_party_id": "PT-ANALYTICS",
         "item_ids": ["DI-011", "DI-012", "DI-031"],
         "purpose_ours": "ウェブサイト・サービスの利用状況の分析及び改善",
         "purpose_recipient": "アクセス解析サービスの提供及び当該サービスの改善",
         "exemption": "none", "added_on": "2023-09-01"},
        {"tag_id": "TG-ADNET", "service_ids": ["SV-CORP"], "module_name": "Brightwave Ads タグ",
         "recipient_party_id": "PT-ADNET", "item_ids": ["DI-011", "DI-012"],
         "purpose_ours": "当社製品のリターゲティング広告の配信",
         "purpose_recipient": "広告の配信及び広告効果の測定", "exemption": "consent",
         "provision_id": "PV-ADNET", "added_on": "2023-04-01"},
        {"tag_id": "TG-DMP", "service_ids": ["SV-CORP", "SV-CLOUD"], "module_name": "アドコネクトDMP連携タグ",
         "recipient_party_id": "PT-ADPARTNER", "item_ids": ["DI-011", "DI-012"],
         "purpose_ours": "提携先DMPの会員情報と突合した広告配信",
         "purpose_recipient": "会員情報との突合による広告配信及びその効果測定", "exemption": "consent",
         "provision_id": "PV-ADLINK", "added_on": "2024-01-15"},
        {"tag_id": "TG-SUPPORT", "service_ids": ["SV-CLOUD", "SV-APP"],
         "module_name": "Lumen サポートチャットSDK", "recipient_party_id": "PT-ANALYTICS",
         "item_ids": ["DI-031"], "purpose_ours": "サービス内での問い合わせ受付",
         "purpose_recipient": "チャット機能の提供", "exemption": "necessary",
         "added_on": "2023-09-01"},
        {"tag_id": "TG-SESSION", "service_ids": ["SV-CLOUD", "SV-APP"], "module_name": "ログイン状態の維持",
         "recipient_party_id": "self", "item_ids": ["DI-032"], "purpose_ours": "ログイン状態の維持",
         "exemption": "first_party_id", "added_on": "2020-07-01"},
        {"tag_id": "TG-HEATMAP", "service_ids": ["SV-CORP"], "module_name": "Brightwave Heatmap",
         "recipient_party_id": "PT-ADNET", "item_ids": ["DI-011", "DI-012"],
         "purpose_ours": "ページ内の閲覧行動の分析", "purpose_recipient": "ヒートマップ分析サービスの提供",
         "exemption": "none", "added_on": "2022-10-03", "removed_on": "2024-03-29"},
    ]


# --------------------------------------------------------------------------- published texts
# What the company publishes about its retained personal data (publish.md): how each dataset is
# acquired and its purpose made known, the cloud that keeps the vulnerability reports (a
# Singapore provider, servers in Tokyo: no provision, but its country is named), the security
# measures by category — one withheld for security — and when each text went public.
ACQUISITION = {
    "DS-CUST": ("direct_written", "explicit"),  # the sign-up and order forms
    "DS-BIZCARD": ("direct_written", "obvious"),  # business cards exchanged
    "DS-SHARE": ("indirect", "published"),  # from the share-transfer agent
    "DS-VULN": ("direct_written", "explicit"),  # the reporting form
    "DS-EMP": ("direct_written", "explicit"),
    "DS-SEMINAR": ("direct_written", "explicit"),
    "DS-WEB": ("direct_other", "published"),  # cookies set by the website
    "DS-COMMUNITY": ("direct_written", "explicit"),
    "DS-LEADS": ("indirect", "published"),  # bought lists (opt-out)
}
CLOUD = {"DS-VULN": "PT-SGCLOUD"}
PUBLISH_AS_OF = dt.date(2026, 11, 21)
CURRENT = "current"  # a notice_versions sha256 filled by published_hashes()


def publication_columns(rows):
    for row in rows:
        form = ACQUISITION.get(row["dataset_id"])
        if form:
            row["acquisition_form"], row["purpose_notice"] = form
        if row["dataset_id"] in CLOUD:
            row["cloud_party_id"] = CLOUD[row["dataset_id"]]
    return rows


def publication_parties():
    return [
        {"party_id": "PT-SGCLOUD", "name": "Lionstack Cloud Pte. Ltd.", "kind": "corporation",
         "address": "8 Marina View, #30-01, Singapore 018960", "representative": "Tan Wei Ming",
         "country": "SG"},
    ]


def security_measures():
    rows = [
        ("SM-01", "basic_policy",
         "個人データの適正な取扱いの確保のため、関係法令・ガイドライン等の遵守、質問及び苦情処理の窓口等について「個人情報保護方針」を策定しています。",
         "To ensure the proper handling of personal data we have set a personal information protection policy covering compliance with the law and guidelines and our desk for questions and complaints."),
        ("SM-02", "handling_rules",
         "取得、利用、保存、提供、削除・廃棄等の段階ごとに、取扱方法、責任者・担当者及びその任務等について個人データ取扱規程を策定しています。",
         "We have set rules for each stage of handling personal data (acquisition, use, storage, provision, deletion and disposal), naming the methods, the persons responsible and their duties."),
        ("SM-03", "organizational",
         "個人情報保護管理者を設置するとともに、個人データを取り扱う従業者及びその取り扱う個人データの範囲を明確化し、法や取扱規程に違反している事実又は兆候を把握した場合の報告連絡体制を整備しています。",
         "We have appointed a personal information protection manager, defined which staff handle which personal data, and set up a line for reporting any breach or sign of a breach of the law or our rules."),
        ("SM-04", "organizational",
         "個人データの取扱状況について定期的に自己点検を実施するとともに、内部監査室による監査を実施しています。",
         "We regularly self-inspect how personal data is handled, and our internal audit office audits it."),
        ("SM-05", "human",
         "個人データの取扱いに関する留意事項について、従業者に毎年研修を実施しています。個人データについての秘密保持に関する事項を就業規則に記載しています。",
         "We train our staff every year on handling personal data, and our work rules bind them to confidentiality."),
        ("SM-06", "physical",
         "個人データを取り扱う区域において、入退室管理及び持ち込む機器等の制限を行うとともに、権限を有しない者による個人データの閲覧を防止する措置を講じています。",
         "In the areas where personal data is handled we control entry and the devices brought in, and prevent viewing by anyone not authorised."),
        ("SM-07", "physical",
         "個人データを取り扱う機器、電子媒体及び書類等の盗難又は紛失等を防止する措置を講じ、持ち運ぶ場合には暗号化等により容易に個人データが判明しないようにしています。",
         "We protect devices, media and documents holding personal data against theft and loss, and encrypt them when they are carried."),
        ("SM-08", "technical",
         "アクセス制御により担当者及び取り扱う個人情報データベース等の範囲を限定し、多要素認証を導入しています。個人データを取り扱う情報システムを外部からの不正アクセス又は不正ソフトウェアから保護する仕組みを導入しています。",
         "Access control limits who may use which databases, with multi-factor authentication, and our systems are protected against unauthorised access and malicious software."),
        ("SM-10", "external_environment",
         "顧客情報データベースを米国の事業者のクラウド基盤で保管・運用しています。米国の個人情報の保護に関する制度を把握したうえで、委託契約により安全管理措置を義務付け、定期的に監査しています。",
         "Our customer database is stored and run on the cloud platform of a US provider. Having learnt the US system for the protection of personal information, we bind the provider by contract to security measures and audit it regularly."),
        ("SM-11", "external_environment",
         "製品利用分析及びサポート基盤の運用をアイルランドの事業者に委託しています。アイルランドの個人情報の保護に関する制度（EU一般データ保護規則）を把握したうえで安全管理措置を講じています。",
         "We entrust product-usage analysis and our support platform to a provider in Ireland, having learnt the Irish system for the protection of personal information (the EU General Data Protection Regulation)."),
        ("SM-12", "external_environment",
         "脆弱性報告者情報を保管するクラウド基盤はシンガポールの事業者が提供しています（サーバは日本国内）。シンガポールの個人情報の保護に関する制度を把握したうえで安全管理措置を講じています。",
         "The cloud platform that keeps the reports of vulnerability reporters is provided by a Singapore company (its servers are in Japan). We have learnt the Singapore system for the protection of personal information and take measures accordingly."),
    ]
    countries = {"SM-10": "US", "SM-11": "IE", "SM-12": "SG"}
    out = []
    for mid, cat, text, text_en in rows:
        row = {"measure_id": mid, "category": cat, "text": text, "text_en": text_en}
        if mid in countries:
            row["country"] = countries[mid]
        out.append(row)
    # withheld: publishing it would hinder security (Cabinet Order Art 10(i); GL 3-8-1 ※9)
    out.insert(8, {"measure_id": "SM-09", "category": "technical",
                   "text": "ファイアウォール製品及び侵入検知システムの構成、ログの保存先", "publish": False})
    return out


def notice_versions():
    site = "https://harukaze-software.example/privacy"
    return [
        {"notice_id": "NV-2022", "kind": "public_matters", "published_on": "2022-04-01",
         "sha256": "5d0c8f1e2a7b9c3d4e6f8a0b1c2d3e4f5a6b7c8d9e0f1a2b3c4d5e6f7a8b9c0d",
         "version": "第5版（改正法対応）", "url": site},
        {"notice_id": "NV-2026", "kind": "public_matters", "published_on": "2026-10-01",
         "sha256": CURRENT, "version": "第6版", "url": site},
        {"notice_id": "NV-JU-2025", "kind": "joint_use", "published_on": "2025-07-01",
         "sha256": CURRENT, "url": site + "#joint-use"},
        {"notice_id": "NV-EXT-2024", "kind": "external_transmission", "published_on": "2024-04-01",
         "sha256": CURRENT, "url": site + "/external-transmission"},
    ]


def published_hashes(register: dict) -> bool:
    """Fill the sha256 of the texts published as they now stand: the content_sha256 that
    `register publish` prints for the written register (publish.md §3), so that the sample's
    publications match it. Needs the package (run with the venv's python); without it the
    sha256 stay empty (no PUB-007 either way)."""
    rows = [r for r in register["notice_versions"] if r.get("sha256") == CURRENT]
    try:
        from register.facts.publication import publication
        from register.load import load
    except ImportError:
        for r in rows:
            r.pop("sha256")
        return bool(rows)
    current = publication(load(OUT), PUBLISH_AS_OF).content_sha256
    for r in rows:
        r["sha256"] = current[r["kind"]]
    return bool(rows)


def build() -> dict:
    log = build_events() + held_events()
    recs = receipts()
    used = set()
    for r in log:
        used.update(r.get("principal_ids", []))
    for r in recs:
        used.update(r.get("principal_ids", []))
    return {
        "organization": ORG,
        "data_items": data_items() + web_items(),
        "purposes": purposes(),
        "datasets": publication_columns(datasets() + web_datasets()),
        "parties": parties() + publication_parties(),
        "contractors": contractors(),
        "joint_uses": joint_uses(),
        "joint_use_changes": joint_use_changes(),
        "provisions": PROVISIONS + WEB_PROVISIONS,
        "provision_log": log,
        "principals": principals(used),
        "receipts": recs,
        "incidents": incidents(),
        "services": services(),
        "tags": tags(),
        "security_measures": security_measures(),
        "notice_versions": notice_versions(),
    }


def main() -> None:
    register = build()
    OUT.write_text(json.dumps(register, ensure_ascii=False, indent=2) + "\n", encoding="utf-8")
    if published_hashes(register):
        OUT.write_text(json.dumps(register, ensure_ascii=False, indent=2) + "\n", encoding="utf-8")
    n_events = len({r["event_id"] for r in register["provision_log"]})
    print(f"wrote {OUT} ({len(register['provision_log'])} log rows, {n_events} events)")


if __name__ == "__main__":
    main()
