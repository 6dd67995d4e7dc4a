"""Build sample_data/invalid/JNT-006…JNT-013/ and ENT-007…ENT-009/: one register per rule;
and sample_data/seeds/joint-use/: registers written from the seeds' group and trustee practices.

    .venv/bin/python sample_data/build_ju.py

Each is the small valid base register (sample_data/invalid/base.json) with one joint-use change,
users' scope or piece of data held for a client that triggers the rule and no other error, as of
2026-11-21 (joint-use.md §2). The base's joint use JU-1 (notified 2022-01-11) is provided by
PV-JU to PT-GRP, with one log event EV-4 on 2025-06-05.
"""

from __future__ import annotations

import copy
import json
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent
BASE = HERE / "invalid" / "base.json"
AS_OF = "2026-11-21"


def base() -> dict[str, Any]:
    return json.loads(BASE.read_text(encoding="utf-8"))


def joint_use(doc: dict[str, Any]) -> dict[str, Any]:
    return next(j for j in doc["joint_uses"] if j["joint_use_id"] == "JU-1")


def change(doc: dict[str, Any], **fields: Any) -> None:
    row = {"change_id": "JC-1", "joint_use_id": "JU-1"}
    row.update(fields)
    doc.setdefault("joint_use_changes", []).append(row)


def held(doc: dict[str, Any], purposes: list[str] | None = None) -> None:
    """DS-HELD: PT-SRC's customers, which we hold as PT-SRC's trustee for its work (PU-SRC)."""
    doc["purposes"].append({
        "purpose_id": "PU-SRC", "description": "株式会社サクラ商事から受託した顧客対応業務のため",
        "client_party_id": "PT-SRC",
    })
    doc["datasets"].append({
        "dataset_id": "DS-HELD", "name": "受託顧客データ（サクラ商事）", "subjects": "委託元の顧客",
        "item_ids": ["DI-NAME", "DI-MAIL"], "purpose_ids": purposes or ["PU-SRC"],
        "source": "third_party", "held_for_party_id": "PT-SRC",
    })
    # the data came from the client under the entrustment (no confirmation record) and goes
    # back to it every month: a return, which needs no record (joint-use.md §3, step 0r)
    doc["receipts"].append({
        "receipt_id": "RC-HELD", "party_id": "PT-SRC", "basis": "entrustment",
        "received_on": "2025-04-01", "item_ids": ["DI-NAME", "DI-MAIL"], "dataset_id": "DS-HELD",
    })
    doc["provisions"].append({
        "provision_id": "PV-RETURN", "party_id": "PT-SRC", "basis": "entrustment",
        "item_ids": ["DI-NAME", "DI-MAIL"], "dataset_id": "DS-HELD",
        "purpose": "受託業務の結果の委託元への返還",
    })
    doc["provision_log"].append(
        {"event_id": "EV-R1", "provision_id": "PV-RETURN", "provided_on": "2025-07-01"})


def cases() -> dict[str, tuple[dict[str, Any], list[tuple[str, str, str]]]]:
    out: dict[str, tuple[dict[str, Any], list[tuple[str, str, str]]]] = {}

    doc = base()
    # the seed 003 practice: "affiliated business operators and other third parties"
    joint_use(doc)["users_scope"] = "当社の提携事業者その他の第三者"
    out["JNT-006"] = (doc, [("joint_uses", "JU-1", "users_scope")])

    doc = base()
    # an open list and no listed users: a warning, the route holds
    joint_use(doc)["users_scope"] = "当社及び当社の子会社等"
    del joint_use(doc)["user_party_ids"]
    out["JNT-007"] = (doc, [("joint_uses", "JU-1", "users_scope")])

    doc = base()
    # purposes changed on 2025-06-01, notified only on 2025-06-10: EV-4 (06-05) is in the window
    change(doc, matter="purposes", effective_on="2025-06-01", notified_on="2025-06-10",
           before_purpose_ids=["PU-2"])
    out["JNT-008"] = (doc, [("joint_use_changes", "JC-1", "notified_on")])

    doc = base()
    # the organization moved; the new address was never notified (a warning: Art 27(6) after)
    change(doc, matter="manager_details", effective_on="2026-01-05",
           before_manager_details="株式会社ミナモトシステムズ 東京都千代田区神田小川町一丁目2番3号 松井 直人")
    out["JNT-009"] = (doc, [("joint_use_changes", "JC-1", "notified_on")])

    doc = base()
    # DI-MAIL was added to the jointly used items without the principals' consent
    change(doc, matter="items", effective_on="2025-06-01", notified_on="2025-05-01",
           before_item_ids=["DI-NAME"])
    out["JNT-010"] = (doc, [("joint_use_changes", "JC-1", "before_item_ids")])

    doc = base()
    # PT-GRP was added to the listed users, with no basis
    change(doc, matter="users", effective_on="2025-06-01", notified_on="2025-05-01",
           before_user_party_ids=["self"])
    out["JNT-011"] = (doc, [("joint_use_changes", "JC-1", "before_user_party_ids")])

    doc = base()
    # only the scope text changed (no lists before): the check cannot compare the users
    change(doc, matter="users", effective_on="2025-06-01", notified_on="2025-05-01",
           before_users_scope="当社及び当社の子会社")
    out["JNT-012"] = (doc, [("joint_use_changes", "JC-1", "before_users_scope")])

    doc = base()
    # a purposes change that does not say what the purposes were
    change(doc, matter="purposes", effective_on="2025-06-01", notified_on="2025-05-01")
    out["JNT-013"] = (doc, [("joint_use_changes", "JC-1", "before_purpose_ids")])

    doc = base()
    # the client's data also listed for our own purpose PU-1
    held(doc, ["PU-SRC", "PU-1"])
    out["ENT-007"] = (doc, [("datasets", "DS-HELD", "purpose_ids")])

    doc = base()
    # the client's customers given to a partner "by consent": a consent record is still made
    held(doc)
    doc["provisions"].append({
        "provision_id": "PV-HELD-CON", "party_id": "PT-CON", "basis": "consent",
        "item_ids": ["DI-NAME", "DI-MAIL"], "dataset_id": "DS-HELD", "consent": True,
        "consent_evidence": "委託元の顧客の同意書",
    })
    doc["provision_log"].append({"event_id": "EV-H1", "provision_id": "PV-HELD-CON",
                                 "provided_on": "2025-08-01", "principal_ids": ["PR-1"]})
    out["ENT-008"] = (doc, [("provisions", "PV-HELD-CON", "basis")])

    doc = base()
    # re-entrusted to the mailing contractor under a contract the client never approved
    held(doc)
    doc["contractors"].append({
        "contract_id": "CT-2", "party_id": "PT-ENT", "task": "委託元の顧客へのメール配信（再委託）",
        "item_ids": ["DI-NAME", "DI-MAIL"], "contract_on": "2025-04-01", "security_terms": True,
        "audit_interval_months": 12, "last_audit_on": "2026-06-01", "subcontracting": "none",
    })
    doc["provisions"].append({
        "provision_id": "PV-SUB", "party_id": "PT-ENT", "basis": "entrustment",
        "item_ids": ["DI-NAME", "DI-MAIL"], "dataset_id": "DS-HELD", "contract_id": "CT-2",
    })
    doc["provision_log"].append(
        {"event_id": "EV-S1", "provision_id": "PV-SUB", "provided_on": "2025-05-01"})
    out["ENT-009"] = (doc, [("provisions", "PV-SUB", "contract_id")])
    return out


# --------------------------------------------------------------------------------------------
# Registers from the seeds' practices (sample_data/seeds/joint-use/): fictional companies
# --------------------------------------------------------------------------------------------

SEEDS = HERE / "seeds" / "joint-use"


def _org(name: str, address: str, representative: str) -> dict[str, Any]:
    return {"name": name, "address": address, "representative": representative,
            "contact": f"個人情報お問い合わせ窓口（{name}）", "country": "JP"}


def _corp(pid: str, name: str, address: str, representative: str) -> dict[str, Any]:
    return {"party_id": pid, "name": name, "kind": "corporation", "address": address,
            "representative": representative, "country": "JP"}


_ITEMS = [
    {"item_id": "DI-NAME", "name": "氏名", "legal_class": "personal"},
    {"item_id": "DI-MAIL", "name": "メールアドレス", "legal_class": "personal"},
    {"item_id": "DI-COMPANY", "name": "勤務先・部署・役職", "legal_class": "personal"},
]


def _events(pid: str, days: list[str], start: int) -> list[dict[str, Any]]:
    return [{"event_id": f"EV-{start + n:03d}", "provision_id": pid, "provided_on": day,
             "principal_ids": [f"CU-{start + n:03d}"]} for n, day in enumerate(days)]


def kobushi_group(mended: bool) -> dict[str, Any]:
    """Seed 002's practice: a software group jointly uses its customers' data with its
    subsidiaries ("the Group"), the notice naming the manager only by its name; a subsidiary
    joined the listed users in 2022 and the purposes were revised on the day they were posted.

    `mended`: the notice also publishes the manager's address and representative, so only the
    2022 change is wrong — and the group flows with events from 2022-03-31 need records, the
    earlier ones (split at that date) do not.
    """
    doc: dict[str, Any] = {
        "organization": _org("株式会社コブシソフト", "東京都中央区日本橋三丁目4番5号", "辛夷 一郎"),
        "data_items": copy.deepcopy(_ITEMS),
        "purposes": [
            {"purpose_id": "PU-CUST", "description": "製品・サービスの提供及び契約管理のため"},
            {"purpose_id": "PU-INFO", "description": "製品・サービス・セミナーのご案内のため"},
        ],
        "datasets": [{"dataset_id": "DS-CUST", "name": "顧客情報", "subjects": "製品の利用者・購入検討者",
                      "item_ids": ["DI-NAME", "DI-MAIL", "DI-COMPANY"],
                      "purpose_ids": ["PU-CUST", "PU-INFO"], "source": "principal"}],
        "parties": [
            _corp("PT-LABS", "コブシラボ株式会社", "東京都中央区日本橋三丁目4番5号", "辛夷 一郎"),
            _corp("PT-CONNECT", "コブシコネクト株式会社", "大阪府大阪市北区中之島二丁目3番18号", "北村 和也"),
            _corp("PT-BILLING", "株式会社ペイメントブリッジ", "東京都渋谷区恵比寿一丁目2番3号", "森 沙織"),
        ],
        "contractors": [{"contract_id": "CT-BILL", "party_id": "PT-BILLING", "task": "請求・決済代行",
                         "item_ids": ["DI-NAME", "DI-MAIL"], "contract_on": "2019-04-01",
                         "security_terms": True, "last_audit_on": "2026-05-10",
                         "subcontracting": "with_approval"}],
        "joint_uses": [{
            "joint_use_id": "JU-GROUP", "notified_on": "2017-02-12",
            "item_ids": ["DI-NAME", "DI-MAIL", "DI-COMPANY"],
            "users_scope": "当社及び当社の子会社（コブシラボ株式会社、コブシコネクト株式会社）",
            "purpose_ids": ["PU-CUST", "PU-INFO"], "manager_party_id": "self",
            "user_party_ids": ["self", "PT-LABS", "PT-CONNECT"],
            # the notice says only "Chief Administrator: <the company's name>"
            "manager_address_published": mended, "manager_representative_published": mended,
            "notice_url": "https://kobushi-soft.example/privacy#joint-use",
        }],
        "joint_use_changes": [
            # the western subsidiary joined the listed users with no basis: JNT-011
            {"change_id": "JC-2022", "joint_use_id": "JU-GROUP", "matter": "users",
             "effective_on": "2022-03-31", "notified_on": "2022-03-31",
             "before_user_party_ids": ["self", "PT-LABS"],
             "before_users_scope": "当社及び当社の子会社（コブシラボ株式会社）"},
            # the purposes were revised "effective as of the date posted": not in advance
            {"change_id": "JC-2023", "joint_use_id": "JU-GROUP", "matter": "purposes",
             "effective_on": "2023-07-03", "notified_on": "2023-07-03",
             "before_purpose_ids": ["PU-CUST"]},
        ],
        "provisions": [
            {"provision_id": "PV-LABS-2021", "party_id": "PT-LABS", "basis": "joint_use",
             "joint_use_id": "JU-GROUP", "item_ids": ["DI-NAME", "DI-MAIL"], "dataset_id": "DS-CUST",
             "ends_on": "2022-03-30", "purpose": "グループ内の研究開発（2022年3月30日まで）"},
            {"provision_id": "PV-LABS", "party_id": "PT-LABS", "basis": "joint_use",
             "joint_use_id": "JU-GROUP", "item_ids": ["DI-NAME", "DI-MAIL"], "dataset_id": "DS-CUST",
             "starts_on": "2022-03-31", "purpose": "グループ内の研究開発"},
            {"provision_id": "PV-CONNECT", "party_id": "PT-CONNECT", "basis": "joint_use",
             "joint_use_id": "JU-GROUP", "item_ids": ["DI-NAME", "DI-MAIL", "DI-COMPANY"],
             "dataset_id": "DS-CUST", "starts_on": "2022-03-31", "purpose": "西日本地区の営業・サポート"},
            {"provision_id": "PV-BILL", "party_id": "PT-BILLING", "basis": "entrustment",
             "contract_id": "CT-BILL", "item_ids": ["DI-NAME", "DI-MAIL"], "dataset_id": "DS-CUST"},
        ],
        "provision_log": (
            _events("PV-LABS-2021", ["2021-06-01", "2021-12-01"], 1)
            + _events("PV-LABS", ["2022-06-01", "2023-06-01", "2024-06-03"], 10)
            + _events("PV-CONNECT", ["2022-05-09", "2025-05-08"], 20)
            + _events("PV-BILL", ["2025-01-31"], 30)
        ),
    }
    return doc


def hinoki_net() -> dict[str, Any]:
    """Seed 003's practice: user information "jointly utilized with affiliated business operators
    and other third parties" (JNT-006: no joint use at all), and an affiliate program whose
    notice ends in "etc." without listing the affiliates (JNT-007: a warning)."""
    return {
        "organization": _org("株式会社ヒノキネット", "東京都渋谷区神南一丁目5番4号", "檜山 恵"),
        "data_items": copy.deepcopy(_ITEMS),
        "purposes": [{"purpose_id": "PU-SVC", "description": "当社サービス及び提携サービスの提供のため"}],
        "datasets": [{"dataset_id": "DS-USER", "name": "利用者情報", "subjects": "当社サービスの利用者",
                      "item_ids": ["DI-NAME", "DI-MAIL", "DI-COMPANY"], "purpose_ids": ["PU-SVC"],
                      "source": "principal"}],
        "parties": [
            _corp("PT-PARTNER", "株式会社マツバ広告", "東京都港区赤坂三丁目2番1号", "松葉 亮"),
            _corp("PT-AFFIL", "株式会社スギナ企画", "東京都目黒区目黒二丁目4番6号", "杉菜 陽子"),
        ],
        "joint_uses": [
            {"joint_use_id": "JU-PARTNER", "notified_on": "2018-10-05",
             "item_ids": ["DI-NAME", "DI-MAIL"], "users_scope": "当社の提携事業者その他の第三者",
             "purpose_ids": ["PU-SVC"], "manager_party_id": "self"},
            {"joint_use_id": "JU-AFFIL", "notified_on": "2020-04-01",
             "item_ids": ["DI-NAME", "DI-MAIL", "DI-COMPANY"],
             "users_scope": "当社及び提携サービスを運営する提携事業者等", "purpose_ids": ["PU-SVC"],
             "manager_party_id": "self"},
        ],
        "provisions": [
            {"provision_id": "PV-PARTNER", "party_id": "PT-PARTNER", "basis": "joint_use",
             "joint_use_id": "JU-PARTNER", "item_ids": ["DI-NAME", "DI-MAIL"], "dataset_id": "DS-USER"},
            {"provision_id": "PV-AFFIL", "party_id": "PT-AFFIL", "basis": "joint_use",
             "joint_use_id": "JU-AFFIL", "item_ids": ["DI-NAME", "DI-MAIL"], "dataset_id": "DS-USER"},
        ],
        "provision_log": (_events("PV-PARTNER", ["2024-02-01", "2025-02-03"], 1)
                          + _events("PV-AFFIL", ["2025-09-01"], 10)),
    }


def kaede_systems() -> dict[str, Any]:
    """Seed 004's practice: personal information received from a client (an outsourcer) is kept
    under strict control and used only within the contract — data held for a client, returned to
    it, and re-entrusted: printing with the client's approval, a call centre without it (ENT-009)."""
    return {
        "organization": _org("カエデシステムズ株式会社", "徳島県徳島市南末広町四丁目1番10号", "楓 正樹"),
        "data_items": copy.deepcopy(_ITEMS[:2]) + [
            {"item_id": "DI-ADDR", "name": "住所", "legal_class": "personal"},
            {"item_id": "DI-ORDER", "name": "購入履歴", "legal_class": "personal"},
        ],
        "purposes": [
            {"purpose_id": "PU-OWN", "description": "当社製品の提供及びサポートのため"},
            {"purpose_id": "PU-CLIENT", "description": "株式会社モミジ百貨店から受託したダイレクトメール発送業務のため",
             "client_party_id": "PT-CLIENT"},
        ],
        "datasets": [
            {"dataset_id": "DS-OWN", "name": "自社製品の顧客情報", "subjects": "当社製品の利用者",
             "item_ids": ["DI-NAME", "DI-MAIL"], "purpose_ids": ["PU-OWN"], "source": "principal"},
            {"dataset_id": "DS-CLIENT", "name": "受託：モミジ百貨店 会員データ", "subjects": "委託元の会員",
             "item_ids": ["DI-NAME", "DI-ADDR", "DI-ORDER"], "purpose_ids": ["PU-CLIENT"],
             "source": "third_party", "held_for_party_id": "PT-CLIENT"},
        ],
        "parties": [
            _corp("PT-CLIENT", "株式会社モミジ百貨店", "徳島県徳島市元町一丁目24番", "紅葉 美香"),
            _corp("PT-PRINT", "株式会社アオバ印刷", "徳島県鳴門市撫養町南浜字東浜24番", "青葉 誠"),
            _corp("PT-CALL", "株式会社ツツジコール", "香川県高松市番町一丁目6番1号", "躑躅 奈美"),
        ],
        "contractors": [
            {"contract_id": "CT-PRINT", "party_id": "PT-PRINT", "task": "DMの印刷・封入（再委託）",
             "item_ids": ["DI-NAME", "DI-ADDR"], "contract_on": "2024-04-01", "security_terms": True,
             "last_audit_on": "2026-04-15", "subcontracting": "none",
             "client_approved_on": "2024-03-21"},
            {"contract_id": "CT-CALL", "party_id": "PT-CALL", "task": "DMに関する問い合わせ受付（再委託）",
             "item_ids": ["DI-NAME", "DI-ORDER"], "contract_on": "2025-01-06", "security_terms": True,
             "last_audit_on": "2026-01-20", "subcontracting": "none"},
        ],
        "receipts": [{"receipt_id": "RC-CLIENT", "party_id": "PT-CLIENT", "basis": "entrustment",
                      "received_on": "2024-04-05", "item_ids": ["DI-NAME", "DI-ADDR", "DI-ORDER"],
                      "dataset_id": "DS-CLIENT"}],
        "provisions": [
            {"provision_id": "PV-RETURN", "party_id": "PT-CLIENT", "basis": "entrustment",
             "item_ids": ["DI-NAME", "DI-ADDR", "DI-ORDER"], "dataset_id": "DS-CLIENT",
             "purpose": "発送結果・宛先不明リストの委託元への返還"},
            {"provision_id": "PV-PRINT", "party_id": "PT-PRINT", "basis": "entrustment",
             "contract_id": "CT-PRINT", "item_ids": ["DI-NAME", "DI-ADDR"], "dataset_id": "DS-CLIENT"},
            {"provision_id": "PV-CALL", "party_id": "PT-CALL", "basis": "entrustment",
             "contract_id": "CT-CALL", "item_ids": ["DI-NAME", "DI-ORDER"], "dataset_id": "DS-CLIENT"},
        ],
        "provision_log": [
            {"event_id": f"EV-{n:03d}", "provision_id": pid, "provided_on": day}
            for n, (pid, day) in enumerate([
                ("PV-PRINT", "2024-05-10"), ("PV-RETURN", "2024-05-31"), ("PV-CALL", "2025-01-15"),
                ("PV-PRINT", "2025-05-09"), ("PV-RETURN", "2025-05-30"),
            ], start=1)
        ],
    }


# The findings (errors and warnings) and routes joint-use.md gives each seed register, stated
# from the spec by hand; tests/test_joint_use_seeds.py compares them with `check` and `records`.
SEED_EXPECTED: dict[str, dict[str, Any]] = {
    "002_kobushi_group": {
        "findings": [
            ("JNT-001", "joint_uses", "JU-GROUP", "manager_address_published"),
            ("JNT-001", "joint_uses", "JU-GROUP", "manager_representative_published"),
            ("JNT-011", "joint_use_changes", "JC-2022", "before_user_party_ids"),
            ("JNT-008", "joint_use_changes", "JC-2023", "notified_on"),
        ],
        "routes": {"PV-LABS-2021": ["consent", None], "PV-LABS": ["consent", None],
                   "PV-CONNECT": ["consent", None], "PV-BILL": [None, "art27_5"]},
    },
    "002_kobushi_group_mended": {
        "findings": [
            ("JNT-011", "joint_use_changes", "JC-2022", "before_user_party_ids"),
            ("JNT-008", "joint_use_changes", "JC-2023", "notified_on"),
        ],
        "routes": {"PV-LABS-2021": [None, "art27_5"], "PV-LABS": ["consent", None],
                   "PV-CONNECT": ["consent", None], "PV-BILL": [None, "art27_5"]},
    },
    "003_hinoki_net": {
        "findings": [
            ("JNT-006", "joint_uses", "JU-PARTNER", "users_scope"),
            ("JNT-007", "joint_uses", "JU-AFFIL", "users_scope"),
        ],
        "routes": {"PV-PARTNER": ["consent", None], "PV-AFFIL": [None, "art27_5"]},
    },
    "004_kaede_systems": {
        "findings": [("ENT-009", "provisions", "PV-CALL", "contract_id")],
        "routes": {"PV-RETURN": [None, "return_to_entrustor"], "PV-PRINT": [None, "art27_5"],
                   "PV-CALL": [None, "art27_5"]},
    },
}


def seeds() -> dict[str, dict[str, Any]]:
    return {
        "002_kobushi_group": kobushi_group(mended=False),
        "002_kobushi_group_mended": kobushi_group(mended=True),
        "003_hinoki_net": hinoki_net(),
        "004_kaede_systems": kaede_systems(),
    }


def write_seeds() -> None:
    SEEDS.mkdir(parents=True, exist_ok=True)
    for name, doc in seeds().items():
        (SEEDS / f"{name}.json").write_text(json.dumps(doc, ensure_ascii=False, indent=2) + "\n",
                                            encoding="utf-8")
    expected = {"as_of": AS_OF, "seeds": {
        name: {"findings": [list(k) for k in e["findings"]], "routes": e["routes"]}
        for name, e in SEED_EXPECTED.items()
    }}
    (SEEDS / "expected.json").write_text(json.dumps(expected, ensure_ascii=False, indent=2) + "\n",
                                         encoding="utf-8")
    print(SEEDS)


def main() -> None:
    write_seeds()
    for rule, (doc, findings) in cases().items():
        folder = HERE / "invalid" / rule
        folder.mkdir(parents=True, exist_ok=True)
        (folder / "register.json").write_text(
            json.dumps(copy.deepcopy(doc), ensure_ascii=False, indent=2) + "\n", encoding="utf-8")
        expected = {
            "rule": rule,
            "findings": [{"table": t, "record": r, "field": f} for t, r, f in findings],
            "as_of": AS_OF,
        }
        (folder / "expected.json").write_text(
            json.dumps(expected, ensure_ascii=False, indent=2) + "\n", encoding="utf-8")
        print(folder)


if __name__ == "__main__":
    main()
