#!/usr/bin/env python3
"""Build one minimal invalid register per rule of ``rules.md`` §1.

Each ``sample_data/invalid/<RULE-ID>/register.json`` is the small valid base register
(:func:`base`, also written to ``sample_data/invalid/base.json``) changed by one defect, so
that it triggers that rule and no other finding of severity ``error`` (warnings and info may
appear). Beside it, ``expected.json`` lists the findings of that rule the checker should
report: ``{"rule", "findings": [{"table", "record", "field"}], "as_of"}``.

The base holds one flow of each kind, every one of them complete: a consent provision, an
opt-out provision, an entrustment under a contract, a joint use, a person-related provision
with linkage expected, a My Number flow to the tax office and a consent receipt. Every party
has an address and (corporations) a representative, and every event names a principal, so a
defect that makes a route fail (rules.md §2 step 5) and turns a flow into one needing a
consent record does not also trigger PRV-008/PRV-009.

Deterministic, stdlib only. Run with ``.venv/bin/python sample_data/invalid/build_invalid.py``.
"""

from __future__ import annotations

import copy
import json
import shutil
from pathlib import Path

HERE = Path(__file__).resolve().parent
AS_OF = "2026-11-21"


def corporate_number(base12: str) -> str:
    total = sum(int(ch) * (1 if n % 2 else 2) for n, ch in enumerate(reversed(base12), start=1))
    return str(9 - total % 9) + base12


def base() -> dict:
    """A small register with no finding at all as of 2026-11-21."""
    return {
        "organization": {
            "name": "株式会社ミナモトシステムズ",
            "address": "東京都千代田区神田錦町三丁目21番5号",
            "representative": "松井 直人",
            "contact": "個人情報相談窓口 privacy@minamoto-systems.example",
            "corporate_number": corporate_number("010001330417"),
            "country": "JP",
        },
        "data_items": [
            {"item_id": "DI-NAME", "name": "氏名", "legal_class": "personal"},
            {"item_id": "DI-MAIL", "name": "メールアドレス", "legal_class": "personal"},
            {"item_id": "DI-HEALTH", "name": "健康診断結果", "legal_class": "special_care"},
            {"item_id": "DI-MYN", "name": "個人番号", "legal_class": "my_number"},
            {"item_id": "DI-COOKIE", "name": "Cookie ID", "legal_class": "person_related"},
        ],
        "purposes": [
            {"purpose_id": "PU-1", "description": "サービスの提供及び第三者への提供のため",
             "third_party_provision": True},
            {"purpose_id": "PU-2", "description": "雇用管理及び法令に基づく手続のため",
             "third_party_provision": False},
        ],
        "datasets": [
            {"dataset_id": "DS-CUST", "name": "顧客情報", "subjects": "顧客",
             "item_ids": ["DI-NAME", "DI-MAIL", "DI-HEALTH"], "purpose_ids": ["PU-1"],
             "source": "principal", "special_care_basis": "consent"},
            {"dataset_id": "DS-EMP", "name": "従業員情報", "subjects": "従業員",
             "item_ids": ["DI-NAME", "DI-HEALTH", "DI-MYN"], "purpose_ids": ["PU-2"],
             "source": "principal", "special_care_basis": "law"},
            {"dataset_id": "DS-WEB", "name": "ウェブ閲覧者情報", "subjects": "ウェブサイト閲覧者",
             "item_ids": ["DI-COOKIE"], "purpose_ids": ["PU-1"], "source": "generated"},
        ],
        "parties": [
            {"party_id": "PT-CON", "name": "株式会社カエデ企画", "kind": "corporation",
             "address": "東京都港区六本木一丁目4番1号", "representative": "石田 涼子", "country": "JP"},
            {"party_id": "PT-OPT", "name": "株式会社ツバキ出版", "kind": "corporation",
             "address": "東京都文京区本郷二丁目3番4号", "representative": "岡本 聡", "country": "JP"},
            {"party_id": "PT-ENT", "name": "株式会社ヤナギ配信", "kind": "corporation",
             "address": "東京都品川区東品川四丁目12番8号", "representative": "川口 翼", "country": "JP"},
            {"party_id": "PT-GRP", "name": "株式会社ミナモトラボ", "kind": "corporation",
             "address": "東京都千代田区神田錦町三丁目21番5号", "representative": "松井 直人",
             "country": "JP"},
            {"party_id": "PT-AD", "name": "株式会社ケヤキアド", "kind": "corporation",
             "address": "東京都渋谷区道玄坂一丁目10番2号", "representative": "原 美和", "country": "JP"},
            {"party_id": "PT-TAX", "name": "神田東税務署", "kind": "state_organ",
             "address": "東京都千代田区神田錦町一丁目1番1号", "country": "JP"},
            {"party_id": "PT-SRC", "name": "株式会社サクラ商事", "kind": "corporation",
             "address": "大阪府大阪市中央区本町二丁目1番6号", "representative": "西田 浩", "country": "JP"},
        ],
        "contractors": [
            {"contract_id": "CT-1", "party_id": "PT-ENT", "task": "メール配信業務",
             "item_ids": ["DI-NAME", "DI-MAIL"], "contract_on": "2022-01-11", "security_terms": True,
             "audit_interval_months": 12, "last_audit_on": "2026-06-01",
             "subcontracting": "with_approval"},
        ],
        "joint_uses": [
            {"joint_use_id": "JU-1", "notified_on": "2022-01-11", "item_ids": ["DI-NAME", "DI-MAIL"],
             "users_scope": "当社及び当社の子会社（株式会社ミナモトラボ）", "purpose_ids": ["PU-1"],
             "manager_party_id": "self", "user_party_ids": ["self", "PT-GRP"]},
        ],
        "provisions": [
            {"provision_id": "PV-CON", "party_id": "PT-CON", "basis": "consent",
             "item_ids": ["DI-NAME", "DI-MAIL"], "dataset_id": "DS-CUST", "consent": True,
             "consent_evidence": "申込書の同意欄", "record_method": "each"},
            {"provision_id": "PV-OPT", "party_id": "PT-OPT", "basis": "opt_out",
             "item_ids": ["DI-NAME", "DI-MAIL"], "dataset_id": "DS-CUST",
             "optout_notified_on": "2024-01-10", "record_method": "each"},
            {"provision_id": "PV-ENT", "party_id": "PT-ENT", "basis": "entrustment",
             "item_ids": ["DI-NAME", "DI-MAIL"], "dataset_id": "DS-CUST", "contract_id": "CT-1"},
            {"provision_id": "PV-JU", "party_id": "PT-GRP", "basis": "joint_use",
             "item_ids": ["DI-NAME", "DI-MAIL"], "dataset_id": "DS-CUST", "joint_use_id": "JU-1"},
            {"provision_id": "PV-PRI", "party_id": "PT-AD", "basis": "consent",
             "item_ids": ["DI-COOKIE"], "dataset_id": "DS-WEB", "consent": True,
             "linkage_expected": True, "consent_confirmed_on": "2025-01-10"},
            {"provision_id": "PV-MYN", "party_id": "PT-TAX", "basis": "law",
             "item_ids": ["DI-MYN"], "dataset_id": "DS-EMP"},
        ],
        "provision_log": [
            {"event_id": "EV-1", "provision_id": "PV-CON", "provided_on": "2025-06-02",
             "principal_ids": ["PR-1"]},
            {"event_id": "EV-2", "provision_id": "PV-OPT", "provided_on": "2025-06-03",
             "principal_ids": ["PR-1"]},
            {"event_id": "EV-3", "provision_id": "PV-ENT", "provided_on": "2025-06-04",
             "principal_ids": ["PR-1"]},
            {"event_id": "EV-4", "provision_id": "PV-JU", "provided_on": "2025-06-05",
             "principal_ids": ["PR-1"]},
            {"event_id": "EV-5", "provision_id": "PV-PRI", "provided_on": "2025-06-06"},
            {"event_id": "EV-6", "provision_id": "PV-MYN", "provided_on": "2026-01-30",
             "principal_ids": ["PR-2"]},
        ],
        "principals": [
            {"principal_id": "PR-1", "name": "高木 優"},
            {"principal_id": "PR-2", "name": "村田 茜"},
            {"principal_id": "PR-3", "name": "大野 誠司"},
        ],
        "receipts": [
            {"receipt_id": "RC-1", "party_id": "PT-SRC", "basis": "consent",
             "received_on": "2025-04-01", "principal_ids": ["PR-3"],
             "item_ids": ["DI-NAME", "DI-MAIL"], "dataset_id": "DS-CUST",
             "acquisition": "提供元が本人から名刺交換により取得し、当社への提供について本人の同意を得たもの",
             "provider_confirmed": True, "consent": True, "record_method": "each"},
        ],
    }


# ------------------------------------------------------------------ row helpers
KEYS = {"data_items": "item_id", "purposes": "purpose_id", "datasets": "dataset_id",
        "parties": "party_id", "contractors": "contract_id", "joint_uses": "joint_use_id",
        "provisions": "provision_id", "provision_log": "event_id",
        "principals": "principal_id", "receipts": "receipt_id"}


def row(reg: dict, table: str, rid: str) -> dict:
    """The first row of `table` whose ID is `rid`."""
    for r in reg[table]:
        if r[KEYS[table]] == rid:
            return r
    raise KeyError((table, rid))


def F(table, record, field):
    return {"table": table, "record": record, "field": field}


# ------------------------------------------------------------------ one defect per rule
# Each entry: rule -> (mutate(reg) -> reg, [expected findings of that rule])
CASES = {}


def case(rule, *findings):
    def deco(fn):
        CASES[rule] = (fn, list(findings))
        return fn
    return deco


# SCH ------------------------------------------------------------------------------
@case("SCH-001", F("data_items", None, None))
def _(reg):
    # The required table data_items is absent. Only organization is kept, so that no
    # reference is left dangling (every other table may be absent).
    return {"organization": reg["organization"]}


@case("SCH-002", F("data_items", "DI-MAIL", "name"))
def _(reg):
    row(reg, "data_items", "DI-MAIL")["name"] = ""
    return reg


@case("SCH-003", F("provision_log", "EV-3", "recorded_on"))
def _(reg):
    # impossible date on the log row of an entrustment (a flow without a record),
    # so the bad value feeds no other check
    row(reg, "provision_log", "EV-3")["recorded_on"] = "2024-02-30"
    return reg


@case("SCH-004", F("contractors", "CT-1", "subcontracting"))
def _(reg):
    row(reg, "contractors", "CT-1")["subcontracting"] = "allowed"
    return reg


@case("SCH-005", F("parties", None, None))   # one finding per unknown column, not per row
def _(reg):
    row(reg, "parties", "PT-CON")["fax"] = "03-5555-0101"
    return reg


# REF ------------------------------------------------------------------------------
@case("REF-001", F("purposes", "PU-2", "purpose_id"))
def _(reg):
    reg["purposes"].append(copy.deepcopy(row(reg, "purposes", "PU-2")))
    return reg


@case("REF-002", F("datasets", "DS-CUST", "purpose_ids"))
def _(reg):
    row(reg, "datasets", "DS-CUST")["purpose_ids"] = ["PU-1", "PU-9"]
    return reg


@case("REF-003", F("data_items", "DI-PHONE", None))
def _(reg):
    reg["data_items"].append({"item_id": "DI-PHONE", "name": "電話番号", "legal_class": "personal"})
    return reg


@case("REF-004", F("receipts", "RC-1", "party_id"))
def _(reg):
    # `self` as a provider. PT-SRC is then referenced from nowhere: REF-003 (warning).
    row(reg, "receipts", "RC-1")["party_id"] = "self"
    return reg


@case("REF-005", F("provision_log", "EV-1", "provided_on"))
def _(reg):
    log = reg["provision_log"]
    i = next(k for k, r in enumerate(log) if r["event_id"] == "EV-1")
    log.insert(i + 1, {"event_id": "EV-1", "provision_id": "PV-CON", "provided_on": "2025-06-03",
                       "principal_ids": ["PR-3"]})
    return reg


# PRV ------------------------------------------------------------------------------
@case("PRV-001", F("provisions", "PV-CON", "consent"))
def _(reg):
    row(reg, "provisions", "PV-CON")["consent"] = False
    return reg


@case("PRV-002", F("provisions", "PV-OPT", "item_ids"))
def _(reg):
    # DI-HEALTH is held in DS-CUST (special_care_basis consent), so only the opt-out
    # of a special-care item is wrong (no PRV-006)
    row(reg, "provisions", "PV-OPT")["item_ids"] = ["DI-NAME", "DI-MAIL", "DI-HEALTH"]
    return reg


@case("PRV-003", F("provisions", "PV-OPT", "optout_notified_on"))
def _(reg):
    del row(reg, "provisions", "PV-OPT")["optout_notified_on"]
    return reg


@case("PRV-004", F("provisions", "PV-OPT", "dataset_id"))
def _(reg):
    # the source dataset was itself received under another business's opt-out
    row(reg, "datasets", "DS-CUST")["source"] = "opt_out"
    return reg


@case("PRV-005", F("provisions", "PV-OPT", "record_method"))
def _(reg):
    row(reg, "provisions", "PV-OPT")["record_method"] = "bulk"
    return reg


@case("PRV-006", F("provisions", "PV-CON", "item_ids"))
def _(reg):
    # DS-WEB holds only DI-COOKIE; PV-CON provides DI-NAME and DI-MAIL from it
    row(reg, "provisions", "PV-CON")["dataset_id"] = "DS-WEB"
    return reg


@case("PRV-007", F("provision_log", "EV-1", "provided_on"))
def _(reg):
    row(reg, "provisions", "PV-CON")["starts_on"] = "2025-07-01"   # EV-1 is 2025-06-02
    return reg


@case("PRV-008", F("provisions", "PV-CON", "party_id"))
def _(reg):
    # the consent record needs the recipient's address
    del row(reg, "parties", "PT-CON")["address"]
    return reg


@case("PRV-009", F("provision_log", "EV-1", "principal_ids"))
def _(reg):
    del row(reg, "provision_log", "EV-1")["principal_ids"]
    return reg


@case("PRV-010", F("provisions", "PV-OPT", "dataset_id"))
def _(reg):
    del row(reg, "provisions", "PV-OPT")["dataset_id"]
    return reg


# ENT ------------------------------------------------------------------------------
@case("ENT-001", F("provisions", "PV-ENT", "contract_id"))
def _(reg):
    # CT-1 is then referenced from nowhere: REF-003 (warning). The route still holds.
    del row(reg, "provisions", "PV-ENT")["contract_id"]
    return reg


@case("ENT-002", F("contractors", "CT-1", "security_terms"))
def _(reg):
    row(reg, "contractors", "CT-1")["security_terms"] = False
    return reg


@case("ENT-003", F("contractors", "CT-1", "last_audit_on"))
def _(reg):
    row(reg, "contractors", "CT-1")["last_audit_on"] = "2025-06-30"   # due 2026-06-30 < as-of
    return reg


@case("ENT-004", F("provisions", "PV-ENT", "item_ids"))
def _(reg):
    # the route fails -> PV-ENT needs a consent record; PT-ENT and EV-3 are complete
    row(reg, "contractors", "CT-1")["item_ids"] = ["DI-NAME"]
    return reg


@case("ENT-005", F("provision_log", "EV-3", "provided_on"))
def _(reg):
    row(reg, "contractors", "CT-1")["contract_on"] = "2025-07-01"   # EV-3 is 2025-06-04
    return reg


@case("ENT-006", F("contractors", "CT-1", "subcontracting"))
def _(reg):
    row(reg, "contractors", "CT-1")["subcontracting"] = "free"
    return reg


# JNT ------------------------------------------------------------------------------
@case("JNT-001", F("joint_uses", "JU-1", "users_scope"))
def _(reg):
    del row(reg, "joint_uses", "JU-1")["users_scope"]
    return reg


@case("JNT-002", F("provision_log", "EV-4", "provided_on"))
def _(reg):
    row(reg, "joint_uses", "JU-1")["notified_on"] = "2025-07-01"   # EV-4 is 2025-06-05
    return reg


@case("JNT-003", F("provisions", "PV-JU", "item_ids"))
def _(reg):
    row(reg, "joint_uses", "JU-1")["item_ids"] = ["DI-NAME"]   # PV-JU also carries DI-MAIL
    return reg


@case("JNT-004", F("joint_uses", "JU-1", "item_ids"))
def _(reg):
    row(reg, "joint_uses", "JU-1")["item_ids"] = ["DI-NAME", "DI-MAIL", "DI-MYN"]
    return reg


@case("JNT-005", F("provisions", "PV-JU", "joint_use_id"))
def _(reg):
    del row(reg, "provisions", "PV-JU")["joint_use_id"]
    return reg


# XB -------------------------------------------------------------------------------
@case("XB-001", F("provisions", "PV-ENT", "basis"))
def _(reg):
    # a US contractor without a Rule 16 system: entrustment unavailable, consent record needed
    row(reg, "parties", "PT-ENT")["country"] = "US"
    return reg


@case("XB-002", F("provisions", "PV-CON", "foreign_info_given"))
def _(reg):
    row(reg, "parties", "PT-CON")["country"] = "US"
    return reg


@case("XB-003", F("parties", "PT-ENT", "safeguard_checked_on"))
def _(reg):
    p = row(reg, "parties", "PT-ENT")
    p.update({"country": "US", "foreign_safeguard": "system",
              "safeguard_checked_on": "2025-06-30"})   # next check due 2026-06-30 < as-of
    return reg


@case("XB-004", F("provisions", "PV-OPT", "basis"))
def _(reg):
    row(reg, "parties", "PT-OPT")["country"] = "US"
    return reg


@case("XB-005", F("provisions", "PV-CON", "basis"))
def _(reg):
    # "based on laws" to a US recipient (foreign law does not count); no record (art27_1)
    row(reg, "parties", "PT-CON")["country"] = "US"
    pv = row(reg, "provisions", "PV-CON")
    pv["basis"] = "law"
    for k in ("consent", "consent_evidence", "record_method"):
        pv.pop(k, None)
    return reg


# PRI ------------------------------------------------------------------------------
@case("PRI-001", F("provisions", "PV-PRI", "consent_confirmed_on"))
def _(reg):
    row(reg, "provisions", "PV-PRI")["consent_confirmed_on"] = "2025-06-20"   # EV-5 is 2025-06-06
    return reg


@case("PRI-002", F("provisions", "PV-PRI", "foreign_info_given"))
def _(reg):
    row(reg, "parties", "PT-AD")["country"] = "US"
    return reg


# MYN ------------------------------------------------------------------------------
@case("MYN-001", F("provisions", "PV-MYN", "basis"))
def _(reg):
    # My Number Act Art 19 has no "cooperation with a public body" case
    row(reg, "provisions", "PV-MYN")["basis"] = "public_agency"
    return reg


@case("MYN-002", F("provisions", "PV-MYN", "basis"))
def _(reg):
    pv = row(reg, "provisions", "PV-MYN")
    pv["basis"] = "consent"
    pv["consent"] = True
    return reg


# SEN ------------------------------------------------------------------------------
@case("SEN-001", F("datasets", "DS-EMP", "special_care_basis"))
def _(reg):
    del row(reg, "datasets", "DS-EMP")["special_care_basis"]
    return reg


# RCV ------------------------------------------------------------------------------
@case("RCV-001", F("receipts", "RC-1", "acquisition"))
def _(reg):
    del row(reg, "receipts", "RC-1")["acquisition"]
    return reg


@case("RCV-002", F("receipts", "RC-1", "provider_confirmed"))
def _(reg):
    row(reg, "receipts", "RC-1")["provider_confirmed"] = False
    return reg


@case("RCV-003", F("receipts", "RC-1", "ppc_publication_checked"))
def _(reg):
    rc = row(reg, "receipts", "RC-1")
    rc["basis"] = "opt_out"
    rc.pop("consent")
    rc["acquisition"] = "提供元が公開情報から収集した情報（オプトアウト届出に基づく提供）"
    return reg


@case("RCV-004", F("receipts", "RC-1", "consent"))
def _(reg):
    del row(reg, "receipts", "RC-1")["consent"]
    return reg


@case("RCV-005", F("receipts", "RC-1", "record_method"))
def _(reg):
    rc = row(reg, "receipts", "RC-1")
    rc["basis"] = "opt_out"
    rc.pop("consent")
    rc["acquisition"] = "提供元が公開情報から収集した情報（オプトアウト届出に基づく提供）"
    rc["ppc_publication_checked"] = True
    rc["record_method"] = "bulk"
    return reg


@case("RCV-006", F("receipts", "RC-1", "basis"))
def _(reg):
    # "private" is for a provider who is a private person; PT-SRC is a corporation
    row(reg, "receipts", "RC-1")["basis"] = "private"
    return reg


# RET ------------------------------------------------------------------------------
@case("RET-001", F("provision_log", "EV-1", None))
def _(reg):
    # consent record made 2020-06-02, kept until 2023-06-02 < as-of 2026-11-21
    row(reg, "provision_log", "EV-1")["provided_on"] = "2020-06-02"
    return reg


# ------------------------------------------------------------------ main
def dump(path: Path, obj) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps(obj, ensure_ascii=False, indent=2) + "\n", encoding="utf-8")


def main() -> None:
    for old in HERE.iterdir():   # rebuild the rule folders from scratch
        if old.is_dir() and old.name[:3] in {"SCH", "REF", "PRV", "ENT", "JNT", "XB-", "PRI",
                                              "MYN", "SEN", "RCV", "RET"}:
            shutil.rmtree(old)
    dump(HERE / "base.json", base())
    for rule, (mutate, findings) in CASES.items():
        reg = mutate(base())
        dump(HERE / rule / "register.json", reg)
        dump(HERE / rule / "expected.json", {"rule": rule, "findings": findings, "as_of": AS_OF})
    print(f"wrote {len(CASES)} invalid registers and base.json under {HERE}")


if __name__ == "__main__":
    main()
