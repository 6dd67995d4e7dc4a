"""Build sample_data/invalid/INC-00x/ and RDY-00x/: one small register per leak rule.

    .venv/bin/python sample_data/build_inc.py

Each is the register of invalid/ENT-002 with its contract mended (no error of its own), plus the
one incident or dataset fact that triggers the rule, as of 2026-11-21 (incident.md §5). The
dates are counted by hand in the comments: the day of knowledge is day 1.
"""

from __future__ import annotations

import copy
import json
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent
BASE = HERE / "invalid" / "ENT-002" / "register.json"
AS_OF = "2026-11-21"


def base() -> dict[str, Any]:
    doc = json.loads(BASE.read_text(encoding="utf-8"))
    doc["contractors"][0]["security_terms"] = True
    return doc


def incident(**fields: Any) -> dict[str, Any]:
    row = {"incident_id": "INC-1", "event_types": ["leak"], "dataset_ids": ["DS-CUST"],
           "cause": "misdelivery", "principal_count": 1}
    row.update(fields)
    return row


def held_dataset(doc: dict[str, Any]) -> None:
    """A dataset we hold for PT-SRC as its trustee, for PT-SRC's work (joint-use.md §1.4: a
    client's data serves only the client's purposes, ENT-007)."""
    doc["purposes"].append({
        "purpose_id": "PU-SRC", "description": "株式会社サクラ商事から受託した顧客対応業務のため",
        "client_party_id": "PT-SRC",
    })
    doc["datasets"].append({
        "dataset_id": "DS-HELD", "name": "受託顧客データ", "subjects": "委託元の顧客",
        "item_ids": ["DI-NAME", "DI-MAIL"], "purpose_ids": ["PU-SRC"], "source": "third_party",
        "held_for_party_id": "PT-SRC",
    })


def cases() -> dict[str, tuple[dict[str, Any], list[tuple[str, str, str]]]]:
    out: dict[str, tuple[dict[str, Any], list[tuple[str, str, str]]]] = {}

    doc = base()
    # special care (DS-CUST holds 健康診断結果): 30 days; 2026-10-01 is day 1, 10-30 (Fri) day 30
    doc["incidents"] = [incident(known_on="2026-10-01", quick_report_on="2026-10-03",
                                 principals_notified_on="2026-10-05")]
    out["INC-001"] = (doc, [("incidents", "INC-1", "final_report_on")])

    doc = base()
    # quick report expected by the 5th day: 2026-11-10 + 4 = 11-14; nothing reported by 11-21
    doc["incidents"] = [incident(known_on="2026-11-10", principals_notified_on="2026-11-12")]
    out["INC-002"] = (doc, [("incidents", "INC-1", "quick_report_on")])

    doc = base()
    # 2026-09-01 is day 1, 09-30 (Wed) day 30: reported, principals never notified
    doc["incidents"] = [incident(known_on="2026-09-01", quick_report_on="2026-09-03",
                                 final_report_on="2026-09-25")]
    out["INC-003"] = (doc, [("incidents", "INC-1", "principals_notified_on")])

    doc = base()
    held_dataset(doc)
    # theft of data held for PT-SRC: the entrustor is told by 2026-11-01 + 4 = 11-05; it was not
    doc["incidents"] = [incident(known_on="2026-11-01", dataset_ids=["DS-HELD"], cause="theft",
                                 quick_report_on="2026-11-04")]
    out["INC-004"] = (doc, [("incidents", "INC-1", "entrustor_notified_on")])

    doc = base()
    # 2026-09-01 is day 1, 09-30 (Wed) day 30: the final report came on 10-05
    doc["incidents"] = [incident(known_on="2026-09-01", quick_report_on="2026-09-03",
                                 final_report_on="2026-10-05", principals_notified_on="2026-09-04")]
    out["INC-005"] = (doc, [("incidents", "INC-1", "final_report_on")])

    doc = base()
    # no special care item listed, cause other, no count, DS-CUST has no record_count
    doc["incidents"] = [incident(known_on="2026-11-10", item_ids=["DI-NAME", "DI-MAIL"],
                                 cause="other", principal_count=None)]
    out["INC-006"] = (doc, [("incidents", "INC-1", "cause")])

    doc = base()
    # a misdelivered name (not reportable) that occurred after it became known
    doc["incidents"] = [incident(known_on="2026-11-10", occurred_on="2026-11-12",
                                 item_ids=["DI-NAME"])]
    out["INC-007"] = (doc, [("incidents", "INC-1", "occurred_on")])

    doc = base()
    out["RDY-001"] = (doc, [("datasets", "DS-CUST", "item_ids")])

    doc = base()
    doc["datasets"][0]["record_count"] = 1001
    out["RDY-002"] = (doc, [("datasets", "DS-CUST", "record_count")])

    doc = base()
    doc["datasets"][1]["record_count"] = 101
    out["RDY-003"] = (doc, [("datasets", "DS-EMP", "record_count")])

    doc = base()
    doc["datasets"][0]["encryption"] = "advanced"
    doc["datasets"][0]["key_separated"] = False
    out["RDY-004"] = (doc, [("datasets", "DS-CUST", "key_separated")])
    return out


def build() -> None:
    for rule_id, (doc, findings) in cases().items():
        folder = HERE / "invalid" / rule_id
        folder.mkdir(parents=True, exist_ok=True)
        for row in doc.get("incidents", []):
            for k in [k for k, v in row.items() if v is None]:
                del row[k]
        (folder / "register.json").write_text(
            json.dumps(doc, ensure_ascii=False, indent=2) + "\n", encoding="utf-8")
        expected = {
            "rule": rule_id,
            "findings": [{"table": t, "record": r, "field": f} for t, r, f in findings],
            "as_of": AS_OF,
        }
        (folder / "expected.json").write_text(
            json.dumps(copy.deepcopy(expected), ensure_ascii=False, indent=2) + "\n", encoding="utf-8")
        print(folder)


if __name__ == "__main__":
    build()
