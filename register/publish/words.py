"""The words of the public document, in English and Japanese (docs/publish.md §2, §3).

The titles are fixed by the contract; labels of the codes the schemas declare (categories,
request and disclosure methods, exemptions, kinds) come from the schemas' `x-enum-labels-ja`
in Japanese, and from here in English. Citations are `law` strings, printed as `law_ja` in
Japanese (docs/japanese.md §3). Everything a reader sees that is not the register's own
text is here.
"""

from __future__ import annotations

from typing import Any

from .. import schema
from ..law_ja import law_ja

# key → (English, Japanese): the document's titles, fixed (docs/publish.md §2 "Titles").
TITLES: dict[str, tuple[str, str]] = {
    "document": ("Public notice on the handling of personal information",
                 "個人情報の取扱いに関する公表事項"),
    "operator": ("Name, address and representative", "事業者の名称、住所及び代表者の氏名"),
    "purposes": ("Purposes of use of retained personal data", "保有個人データの利用目的"),
    "pseudonymised_purposes": ("Purposes of use of pseudonymised information",
                               "仮名加工情報の利用目的"),
    "procedures": ("Procedures for requests", "開示等の請求等に応じる手続"),
    "security_measures": ("Security measures taken for retained personal data",
                          "保有個人データの安全管理のために講じた措置"),
    "complaints": ("Where to lodge complaints about retained personal data",
                   "保有個人データの取扱いに関する苦情の申出先"),
    "accredited_org": ("Accredited personal information protection organisation",
                       "認定個人情報保護団体"),
    "joint_uses": ("Joint use of personal data", "個人データの共同利用"),
    "external_transmission": ("External transmission of user information", "利用者情報の外部送信"),
    "anonymised": ("Anonymised information", "匿名加工情報に関する公表事項"),
    "gaps": ("Gaps (for internal review)", "公表内容の不備（社内確認用）"),
}

# The document's fixed words: key → (English, Japanese). `{…}` fields are filled in.
WORDS: dict[str, tuple[str, str]] = {
    "sep": (": ", "："),
    "list_sep": (", ", "、"),
    "name": ("Name", "名称"),
    "address": ("Address", "住所"),
    "representative": ("Representative", "代表者"),
    "country": ("Country", "所在国"),
    "third_party": (" (this includes provision to third parties)", "（第三者提供を含みます）"),
    "no_purposes": ("We hold no retained personal data.", "保有個人データはありません。"),
    "desk": ("Where to make a request", "請求の受付窓口"),
    "methods": ("How to make a request", "請求の方法"),
    "identity_check": ("How we confirm who you are", "本人確認の方法"),
    "agents": ("Requests by agents", "代理人による請求"),
    "agents_text": (
        "A legal representative of a minor or an adult ward, or an agent you have mandated to "
        "make the request, may also make it.",
        "未成年者又は成年被後見人の法定代理人、及び開示等の請求等をすることにつきご本人が委任した代理人も、"
        "請求をすることができます。",
    ),
    "requests": ("Requests and fees", "請求の種類と手数料"),
    "fee": ("fee {amount} yen", "手数料 {amount}円"),
    "free": ("free of charge", "無料"),
    "disclosure": ("How we disclose", "開示の方法"),
    "disclosure_text": ("We disclose by {methods}, as you choose.",
                        "{methods}のうち、ご本人が指示する方法により開示します。"),
    "disclosure_one": ("We disclose by {methods}.", "{methods}により開示します。"),
    "or": (" or ", "又は"),
    "records": ("Records of provision", "第三者提供記録"),
    "records_text": (
        "The records we made when we provided your personal data to a third party or received "
        "it from one may also be disclosed to you ({law}).",
        "当社がご本人の個人データを第三者に提供し、又は第三者から受領した際に作成した記録も、開示の請求の"
        "対象となります（{law}）。",
    ),
    "art35_5": ("Suspension where the data is no longer needed", "利用の停止等を請求できる場合"),
    "art35_5_text": (
        "You may also request that we stop using, erase or stop providing to third parties your "
        "retained personal data when we no longer need to use it, when a leak or other incident "
        "that must be reported to the Personal Information Protection Commission has occurred "
        "with it, or when its handling may otherwise harm your rights or legitimate interests "
        "({law}).",
        "当社が利用する必要がなくなった場合、個人情報保護委員会への報告を要する漏えい等が生じた場合、その他"
        "ご本人の権利又は正当な利益が害されるおそれがある場合にも、利用の停止等又は第三者への提供の停止を請求"
        "できます（{law}）。",
    ),
    "foreign": ("Foreign countries where we handle personal data",
                "個人データを取り扱っている外国"),
    "complaints_desk": ("Complaints desk", "苦情の申出先"),
    "joint_use_n": ("Joint use {n}", "共同利用（{n}）"),
    "ju_fact": ("Joint use", "共同利用する旨"),
    "ju_fact_text": ("We use the personal data below jointly with the persons below.",
                     "次のとおり、個人データを共同して利用します。"),
    "ju_items": ("Items of personal data used jointly", "共同して利用される個人データの項目"),
    "ju_users": ("Scope of the joint users", "共同して利用する者の範囲"),
    "ju_purposes": ("Purposes of use of the joint users", "利用する者の利用目的"),
    "ju_manager": (
        "Person responsible for the management of the personal data (name, address and "
        "representative)",
        "管理について責任を有する者の氏名又は名称及び住所並びに代表者の氏名",
    ),
    "ext_intro": (
        "Our websites and apps send information about their users to the recipients below.",
        "当社のウェブサイト及びアプリでは、次のとおり、利用者に関する情報を外部に送信しています。",
    ),
    "ext_module": ("Module", "モジュール名"),
    "ext_recipient": ("Recipient", "送信先"),
    "ext_items": ("Information sent", "送信される情報"),
    "ext_ours": ("Our purpose", "当社の利用目的"),
    "ext_theirs": ("The recipient's purpose", "送信先の利用目的"),
    "ext_opt_out": ("How to opt out", "オプトアウトの方法"),
    "ext_exemption": ("Exemption", "適用除外"),
    "ano_intro": ("We have created the anonymised information below.",
                  "当社は、次の匿名加工情報を作成しています。"),
    "ano_dataset": ("Anonymised information", "匿名加工情報"),
    "ano_items": ("Items of information about individuals it contains",
                  "含まれる個人に関する情報の項目"),
    # the review copy (html) only
    "review": ("Review copy — not for publication as it stands",
               "確認用（このままでは公表しないでください）"),
    "as_of": ("As of", "基準日"),
    "no_gaps": ("The register shows no gap in these texts.", "台帳上、公表内容の不備はありません。"),
    "gap_rule": ("Rule", "ルール"),
    "gap_severity": ("Severity", "重要度"),
    "gap_where": ("Table / record / field", "表／レコード／列"),
    "gap_message": ("Message and fix", "内容と対応"),
    "gap_law": ("Law", "根拠"),
    "colophon": ("About this copy", "この確認用文書について"),
    "inputs": ("Input", "入力"),
    "file": ("File", "ファイル"),
    "tool": ("Tool", "作成ツール"),
    "kind": ("Text", "公表の種類"),
    "hash": ("content_sha256", "SHA-256"),
    "latest": ("Latest publication", "最新の公表"),
    "matches": ("Matches", "一致"),
    "none": ("none", "なし"),
    "yes": ("yes", "○"),
    "no": ("no — publish the current text", "×（現在の内容を公表してください）"),
    "unknown": ("— (no SHA-256 recorded)", "—（SHA-256の記録なし）"),
    "colophon_note": (
        "After publishing a text, record a notice_versions row with its date and the SHA-256 "
        "above; the check then tells when the register no longer matches it (PUB-007).",
        "公表したら、その日付と上のSHA-256を「公表履歴」に記録してください。台帳が公表内容と一致しなくなると、"
        "チェックで知らせます（PUB-007）。",
    ),
    "severity_error": ("error", "エラー"),
    "severity_warning": ("warning", "警告"),
    "severity_info": ("info", "情報"),
}

# The requests of the procedure (facts.publication.REQUESTS): type → (English, Japanese).
REQUEST_NAMES: dict[str, tuple[str, str]] = {
    "purpose_notice": ("Notification of the purposes of use", "利用目的の通知の求め"),
    "disclosure": ("Disclosure of retained personal data", "保有個人データの開示の請求"),
    "record_disclosure": ("Disclosure of the records of provision to and receipt from third parties",
                          "第三者提供記録の開示の請求"),
    "correction": ("Correction, addition or deletion of the contents",
                   "内容の訂正、追加又は削除の請求"),
    "suspension_erasure": ("Suspension of use or erasure", "利用の停止又は消去の請求"),
    "stop_provision": ("Stopping provision to third parties", "第三者への提供の停止の請求"),
    "art35_5": ("Suspension of use or of provision in the cases stated below",
                "利用の停止等又は第三者への提供の停止の請求（後記の場合）"),
}

# English words of the codes the schemas declare (the Japanese are the schemas' labels).
CODE_WORDS_EN: dict[str, dict[str, str]] = {
    "category": {
        "basic_policy": "Basic policy",
        "handling_rules": "Rules on the handling of personal data",
        "organizational": "Organizational measures",
        "human": "Human measures",
        "physical": "Physical measures",
        "technical": "Technical measures",
        "external_environment": "Understanding the external environment",
    },
    "request_methods": {
        "post": "by post", "email": "by e-mail", "web": "through the form on our website",
        "counter": "in person at our desk", "phone": "by telephone", "fax": "by fax",
    },
    "disclosure_methods": {
        "electronic": "electronic record", "paper": "paper",
        "other": "another method we set",
    },
    "exemption": {
        "none": "none", "necessary": "necessary to provide the service",
        "first_party_id": "an identifier we gave you, sent back to us",
        "consent": "with your consent", "opt_out": "you may opt out",
    },
    "kind": {
        "public_matters": "matters about retained personal data",
        "joint_use": "joint-use notices",
        "external_transmission": "external transmission",
        "anonymised": "anonymised information",
    },
}
# Where each code group's Japanese labels are declared.
_CODE_COLUMNS = {
    "category": ("security_measures", "category"),
    "request_methods": ("organization", "request_methods"),
    "disclosure_methods": ("organization", "disclosure_methods"),
    "exemption": ("tags", "exemption"),
    "kind": ("notice_versions", "kind"),
}


def title(key: str, lang: str) -> str:
    return TITLES[key][lang == "ja"]


def titles(lang: str) -> dict[str, str]:
    """`titles` of the JSON document: every key of the titles table."""
    return {k: v[lang == "ja"] for k, v in TITLES.items()}


def word(key: str, lang: str, **fields: Any) -> str:
    text = WORDS[key][lang == "ja"]
    return text.format(**fields) if fields else text


def request_name(kind: str, lang: str) -> str:
    return REQUEST_NAMES[kind][lang == "ja"]


def code(group: str, value: str, lang: str) -> str:
    """A code value as a reader sees it: its Japanese label, or its English words."""
    if lang == "ja":
        table, column = _CODE_COLUMNS[group]
        return schema.table(table).column(column).enum_labels_ja.get(value, value)
    return CODE_WORDS_EN[group].get(value, value)


def cite(law: str, lang: str) -> str:
    """A citation in the output language (docs/japanese.md §3)."""
    return (law_ja(law) or law) if lang == "ja" else law


def join(values: list[str], lang: str) -> str:
    return word("list_sep", lang).join(values)


def join_or(values: list[str], lang: str) -> str:
    """`a, b or c` / `a、b又はc`."""
    if len(values) <= 1:
        return "".join(values)
    return join(values[:-1], lang) + word("or", lang) + values[-1]
