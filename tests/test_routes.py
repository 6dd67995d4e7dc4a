"""The route classifier (rules.md §2) over every combination of basis, recipient and items.

The expected outcome is computed by `expected_route`, a plain restatement of rules.md §2 that
does not use the package, and compared with what `register.api.check` classifies.
"""

from __future__ import annotations

import itertools

import pytest

from .conftest import AS_OF, base_register, findings_of, keys, write_json
from .law_helpers import entrustment_register

BASES = ("consent", "opt_out", "law", "vital", "public_health", "public_agency", "academic",
         "entrustment", "succession", "joint_use", "on_behalf")
KINDS = ("state_organ", "corporation", "individual", "unspecified_public", "foreign_public_body")
COUNTRIES = ("JP", "DE", "US")  # Japan, an equivalent-system country, a third country
SAFEGUARDS = ("none", "system")
ITEM_CLASSES = ("personal", "special_care", "pr_linked", "pr_unlinked", "my_number",
                "personal+my_number")

ART16_2 = {"state_organ", "local_government", "independent_agency", "local_independent_agency"}
ART27_1 = {"law", "vital", "public_health", "public_agency", "academic"}
ART27_5 = {"entrustment", "succession", "joint_use"}


def expected_route(basis: str, kind: str, country: str, safeguard: str, items: str):
    """rules.md §2, written out: (record_type, reason, route failed by XB-001)."""
    # My Number items are dropped first; nothing left → exempt under the My Number Act.
    if items == "my_number":
        return None, "my_number_act", False
    # 1. Art 16(2) public bodies are not third parties.
    if kind in ART16_2:
        return None, "public_body", False
    # 2. Only person-related items left.
    if items in ("pr_linked", "pr_unlinked"):
        if items == "pr_unlinked":
            return None, "not_personal_data", False
        if basis in ART27_1:
            return None, "art27_1", False
        return "person_related", None, False
    # 3., 4.
    if basis in ART27_1:
        return None, "art27_1", False
    if basis == "on_behalf":
        return None, "on_behalf", False
    # 5. Entrustment, succession, joint use hold unless the recipient is a third party in a
    # foreign country (not JP, not equivalent, no safeguard): XB-001, then consent is needed.
    if basis in ART27_5:
        foreign_third_party = country not in ("JP", "DE") and safeguard == "none"
        if foreign_third_party:
            return "consent", None, True
        return None, "art27_5", False
    if basis == "consent":
        return "consent", None, False
    return "opt_out", None, False


def _party_id(kind: str, country: str, safeguard: str) -> str:
    return f"P-{kind}-{country}-{safeguard}"


def _combinations():
    return list(itertools.product(BASES, KINDS, COUNTRIES, SAFEGUARDS, ITEM_CLASSES))


def _provision_id(combo) -> str:
    return "V-" + "-".join(c.replace("+", "_") for c in combo)


def _register() -> dict:
    reg = base_register()
    reg["data_items"] = [
        {"item_id": "IP", "name": "氏名", "legal_class": "personal"},
        {"item_id": "IS", "name": "病歴", "legal_class": "special_care"},
        {"item_id": "IR", "name": "閲覧履歴", "legal_class": "person_related"},
        {"item_id": "IM", "name": "個人番号", "legal_class": "my_number"},
    ]
    all_items = ["IP", "IS", "IR", "IM"]
    reg["purposes"] = [{"purpose_id": "U1", "description": "提供", "third_party_provision": True}]
    # The person-related item sits in a web log of its own: in D1, beside a name, it would be
    # personal information (web.md §2), and its flows provisions of personal data.
    reg["datasets"] = [{
        "dataset_id": "D1", "name": "顧客DB", "subjects": "顧客", "item_ids": all_items,
        "purpose_ids": ["U1"], "source": "principal", "special_care_basis": "consent",
    }, {
        "dataset_id": "D2", "name": "閲覧ログ", "subjects": "閲覧者", "item_ids": ["IR"],
        "purpose_ids": ["U1"], "source": "generated",
    }]
    reg["parties"] = []
    reg["contractors"] = []
    for kind, country, safeguard in itertools.product(KINDS, COUNTRIES, SAFEGUARDS):
        pid = _party_id(kind, country, safeguard)
        reg["parties"].append({
            "party_id": pid, "name": pid, "kind": kind, "address": "住所", "representative": "代表",
            "country": country, "foreign_safeguard": safeguard,
            "safeguard_checked_on": "2026-06-01",
        })
        reg["contractors"].append({
            "contract_id": "C-" + pid, "party_id": pid, "task": "委託", "item_ids": all_items,
            "contract_on": "2020-01-01", "security_terms": True, "last_audit_on": "2026-06-01",
            "subcontracting": "with_approval",
        })
    reg["joint_uses"] = [{
        "joint_use_id": "J1", "notified_on": "2020-01-01", "item_ids": all_items,
        "users_scope": "グループ会社", "purpose_ids": ["U1"], "manager_party_id": "self",
    }]
    item_ids = {"personal": ["IP"], "special_care": ["IS"], "pr_linked": ["IR"],
                "pr_unlinked": ["IR"], "my_number": ["IM"], "personal+my_number": ["IP", "IM"]}
    reg["provisions"], reg["provision_log"] = [], []
    for combo in _combinations():
        basis, kind, country, safeguard, items = combo
        vid = _provision_id(combo)
        p = {
            "provision_id": vid, "party_id": _party_id(kind, country, safeguard), "basis": basis,
            "item_ids": item_ids[items], "dataset_id": "D2" if items.startswith("pr_") else "D1",
            "consent": True,
            "foreign_info_given": True, "optout_notified_on": "2020-01-01",
            "linkage_expected": items == "pr_linked", "consent_confirmed_on": "2020-01-01",
        }
        if basis == "entrustment":
            p["contract_id"] = "C-" + p["party_id"]
        if basis == "joint_use":
            p["joint_use_id"] = "J1"
        reg["provisions"].append(p)
        reg["provision_log"].append({"event_id": "E-" + vid, "provision_id": vid,
                                     "provided_on": "2025-01-01", "principal_ids": ["A1"]})
    return reg


@pytest.fixture(scope="module")
def analysis(tmp_path_factory):
    from register import api

    path = write_json(tmp_path_factory.mktemp("routes"), _register())
    return api.check(str(path), AS_OF)


def test_every_combination_is_classified_as_rules_md_says(analysis):
    wrong = []
    for combo in _combinations():
        record_type, reason, failed = expected_route(*combo)
        route = analysis.routes.provisions[_provision_id(combo)]
        # (An Art 16(2) body abroad is SCH-004; XB-001 may mark it, without effect.)
        got = (route.record_type, route.reason,
               "XB-001" in route.failed_by and route.reason != "public_body")
        if got != (record_type, reason, failed):
            wrong.append((combo, got, (record_type, reason, failed)))
    assert wrong == [], f"{len(wrong)} of {len(_combinations())} wrong, e.g. {wrong[:5]}"


def test_routes_drop_my_number_items(analysis):
    for combo in _combinations():
        route = analysis.routes.provisions[_provision_id(combo)]
        assert "IM" not in route.items
        assert route.flow == "provision" and route.basis == combo[0]


def test_xb001_is_reported_exactly_where_the_route_fails(analysis):
    xb = {f.record for f in analysis.report.findings if f.rule == "XB-001"}
    failing = {_provision_id(c) for c in _combinations() if expected_route(*c)[2]}
    # Art 16(2) bodies outside Japan are invalid (SCH-004) but still not third parties;
    # XB-001 is still reported for them, without any effect on the route.
    art16_abroad = {
        _provision_id(c) for c in _combinations()
        if c[1] in ART16_2 and c[2] == "US" and c[3] == "none" and c[0] in ART27_5
        and c[4] in ("personal", "special_care", "personal+my_number")
    }
    assert xb == failing | art16_abroad


# --- single flows -------------------------------------------------------------------------


def _route(tmp_path, reg, pid="V1"):
    from register import api

    return api.check(str(write_json(tmp_path, reg)), AS_OF).routes.provisions[pid]


def test_unknown_party_and_invalid_basis_are_unresolved(tmp_path):
    reg = base_register()
    reg["provisions"][0]["party_id"] = "NOPE"
    assert _route(tmp_path, reg).reason == "unresolved"
    reg = base_register()
    reg["provisions"][0]["basis"] = "whatever"
    assert _route(tmp_path, reg).reason == "unresolved"
    reg = base_register()
    reg["provisions"][0]["item_ids"] = ["I1", "UNKNOWN"]
    assert _route(tmp_path, reg).reason == "unresolved"


def test_opt_out_record_method_is_replaced_by_each(tmp_path):
    reg = base_register()
    reg["purposes"][0]["third_party_provision"] = True
    reg["provisions"][0].update(basis="opt_out", optout_notified_on="2020-01-01",
                                record_method="bulk")
    route = _route(tmp_path, reg)
    assert (route.record_type, route.record_method) == ("opt_out", "each")
    reg["provisions"][0]["basis"] = "consent"
    route = _route(tmp_path, reg)
    assert (route.record_type, route.record_method) == ("consent", "bulk")


def test_foreign_entrustment_with_system_safeguard_keeps_its_route(tmp_path):
    reg = _entrustment(country="US", foreign_safeguard="system", safeguard_checked_on="2026-06-01")
    route = _route(tmp_path, reg)
    assert (route.record_type, route.reason, route.failed_by) == (None, "art27_5", ())
    assert not {k for k in keys(findings_of(write_json(tmp_path, reg))) if k[0] == "XB-001"}


def test_entrustment_to_us_without_safeguard_needs_consent_record(tmp_path):
    reg = _entrustment(country="US")
    route = _route(tmp_path, reg)
    assert (route.record_type, route.reason, route.failed_by) == ("consent", None, ("XB-001",))
    assert ("XB-001", "provisions", "V1", "basis") in keys(findings_of(write_json(tmp_path, reg)))


def test_supervision_failures_keep_the_route(tmp_path):
    reg = _entrustment()
    reg["contractors"][0].update(security_terms=False, subcontracting="free", last_audit_on=None)
    route = _route(tmp_path, reg)
    assert (route.reason, route.failed_by) == ("art27_5", ())


def test_receipt_routes(tmp_path):
    from register import api

    reg = base_register()
    reg["parties"].append({"party_id": "P2", "name": "山田一郎", "kind": "individual",
                           "country": "JP", "address": "東京"})
    reg["parties"].append({"party_id": "P3", "name": "税務署", "kind": "state_organ",
                           "country": "JP"})
    common = {"received_on": "2026-01-01", "item_ids": ["I1"], "acquisition": "本人から",
              "provider_confirmed": True, "consent": True, "ppc_publication_checked": True}
    cases = {
        "R1": ("P1", "consent", "consent", None),
        "R2": ("P1", "opt_out", "opt_out", None),
        "R3": ("P1", "person_related", "person_related", None),
        "R4": ("P2", "private", "private", None),
        "R5": ("P2", "consent", "private", None),
        "R6": ("P3", "consent", None, "public_body"),
        "R7": ("P1", "law", None, "art27_1"),
        "R8": ("P1", "entrustment", None, "art27_5"),
        "R9": ("P1", "on_behalf", None, "on_behalf"),
        "R10": ("P1", "private", "consent", None),
    }
    reg["receipts"] = [
        {"receipt_id": rid, "party_id": party, "basis": basis, **common}
        for rid, (party, basis, _t, _r) in cases.items()
    ]
    routes = api.check(str(write_json(tmp_path, reg)), AS_OF).routes.receipts
    got = {rid: (r.record_type, r.reason) for rid, r in routes.items()}
    assert got == {rid: (t, r) for rid, (_p, _b, t, r) in cases.items()}


def _entrustment(**party) -> dict:
    reg = entrustment_register()
    reg["parties"][0].update(party)
    return reg
