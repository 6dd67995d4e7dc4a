"""Small JSON registers for the report tests (written with json.dump into tmp_path)."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any


def base_register() -> dict[str, Any]:
    """A register with one flow of each outcome the report distinguishes.

    - PV-MAIL: entrustment under a signed contract → no record (art27_5)
    - PV-BAD: entrustment whose items exceed the contract (ENT-004) → route fails, in violation
    - PV-US: consent to a US company → consent record
    - PV-POLICE: law to a state organ → no record (public_body)
    - PV-OPT: opt-out with a special-care item (PRV-002) → in violation
    """
    return {
        "organization": {
            "name": "Example KK",
            "address": "1-1 Chiyoda, Tokyo",
            "representative": "Taro Yamada",
            "contact": "privacy@example.jp",
            "country": "JP",
        },
        "data_items": [
            {"item_id": "DI-NAME", "name": "Name", "legal_class": "personal"},
            {"item_id": "DI-MAIL", "name": "Email", "legal_class": "personal"},
            {"item_id": "DI-HEALTH", "name": "Health check", "legal_class": "special_care"},
            {"item_id": "DI-MYN", "name": "Individual number", "legal_class": "my_number"},
        ],
        "purposes": [
            {"purpose_id": "PU-1", "description": "Providing the service", "third_party_provision": True}
        ],
        "datasets": [
            {
                "dataset_id": "DS-CUST",
                "name": "Customers",
                "subjects": "customers",
                "item_ids": ["DI-NAME", "DI-MAIL", "DI-HEALTH"],
                "purpose_ids": ["PU-1"],
                "source": "principal",
                "special_care_basis": "consent",
            },
            {
                "dataset_id": "DS-EMP",
                "name": "Employees",
                "subjects": "employees",
                "item_ids": ["DI-NAME", "DI-MYN"],
                "purpose_ids": ["PU-1"],
                "source": "principal",
            },
        ],
        "parties": [
            {
                "party_id": "PT-MAIL",
                "name": "Mailer KK",
                "kind": "corporation",
                "address": "2-2 Minato, Tokyo",
                "representative": "Hanako Sato",
                "country": "JP",
            },
            {
                "party_id": "PT-US",
                "name": "Acme Inc.",
                "kind": "corporation",
                "address": "1 Main St, Springfield",
                "representative": "John Doe",
                "country": "US",
            },
            {"party_id": "PT-POLICE", "name": "Tokyo Police", "kind": "state_organ", "country": "JP"},
            {
                "party_id": "PT-LIST",
                "name": "List Broker KK",
                "kind": "corporation",
                "address": "3-3 Shibuya, Tokyo",
                "representative": "Jiro Ito",
                "country": "JP",
            },
        ],
        "contractors": [
            {
                "contract_id": "CT-1",
                "party_id": "PT-MAIL",
                "task": "Sending newsletters",
                "item_ids": ["DI-NAME"],
                "contract_on": "2023-04-01",
                "security_terms": True,
                "last_audit_on": "2024-01-10",
                "subcontracting": "with_approval",
            }
        ],
        "provisions": [
            {
                "provision_id": "PV-MAIL",
                "party_id": "PT-MAIL",
                "basis": "entrustment",
                "item_ids": ["DI-NAME"],
                "dataset_id": "DS-CUST",
                "contract_id": "CT-1",
            },
            {
                "provision_id": "PV-BAD",
                "party_id": "PT-MAIL",
                "basis": "entrustment",
                "item_ids": ["DI-NAME", "DI-MAIL"],
                "dataset_id": "DS-CUST",
                "contract_id": "CT-1",
            },
            {
                "provision_id": "PV-US",
                "party_id": "PT-US",
                "basis": "consent",
                "consent": True,
                "foreign_info_given": True,
                "item_ids": ["DI-NAME", "DI-MAIL"],
                "dataset_id": "DS-CUST",
            },
            {
                "provision_id": "PV-POLICE",
                "party_id": "PT-POLICE",
                "basis": "law",
                "item_ids": ["DI-NAME"],
                "dataset_id": "DS-EMP",
            },
            {
                "provision_id": "PV-OPT",
                "party_id": "PT-LIST",
                "basis": "opt_out",
                "optout_notified_on": "2023-01-01",
                "item_ids": ["DI-NAME", "DI-HEALTH"],
                "dataset_id": "DS-CUST",
            },
        ],
        "provision_log": [
            {"event_id": "E1", "provision_id": "PV-MAIL", "provided_on": "2024-05-01", "principal_ids": ["C1"]},
            {"event_id": "E2", "provision_id": "PV-BAD", "provided_on": "2024-05-02", "principal_ids": ["C1"]},
            {"event_id": "E3", "provision_id": "PV-US", "provided_on": "2024-06-01", "principal_ids": ["C1", "C2"]},
            {"event_id": "E4", "provision_id": "PV-US", "provided_on": "2024-07-01", "principal_ids": ["C2"]},
            {"event_id": "E5", "provision_id": "PV-POLICE", "provided_on": "2024-06-15", "principal_ids": ["C3"]},
            {"event_id": "E6", "provision_id": "PV-OPT", "provided_on": "2024-08-01", "principal_ids": ["C1"]},
        ],
        "principals": [
            {"principal_id": "C1", "name": "Ichiro Suzuki"},
            {"principal_id": "C2", "name": "Yoko Tanaka"},
        ],
    }


def many_parties(n_parties: int = 60, per_party: int = 2) -> dict[str, Any]:
    """The base register plus n_parties consent recipients, per_party provisions each."""
    reg = base_register()
    for i in range(n_parties):
        pid = f"PT-X{i:03d}"
        reg["parties"].append(
            {
                "party_id": pid,
                "name": f"Recipient number {i} KK",
                "kind": "corporation",
                "address": f"{i} Street, Osaka",
                "representative": "Rep",
                "country": "JP",
            }
        )
        for k in range(per_party):
            reg["provisions"].append(
                {
                    "provision_id": f"PV-X{i:03d}-{k}",
                    "party_id": pid,
                    "basis": "consent" if (i + k) % 3 else "law",
                    "consent": True,
                    "item_ids": ["DI-NAME"],
                    "dataset_id": "DS-CUST" if (i + k) % 2 else "DS-EMP",
                }
            )
    return reg


def write(tmp_path: Path, reg: dict[str, Any], name: str = "register.json") -> Path:
    path = tmp_path / name
    with open(path, "w", encoding="utf-8") as fh:
        json.dump(reg, fh, ensure_ascii=False, indent=1)
    return path
