"""Laws over all inputs (hypothesis) for joint-use changes (joint-use.md §1.3, §3):

- a change that ends the joint use (JNT-010/011) fails exactly the provisions with a log event
  on or after its effective date, and a late notice (JNT-008) exactly those with an event in
  [effective_on, notified_on);
- the notice on a date is piecewise constant: the row's value from the last change on, each
  change's value before it until its effective date.
"""

from __future__ import annotations

import datetime as dt

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from register.facts import joint_uses as ju

from .joint_use_support import analyse, record_events
from .law_helpers import joint_use_register

START = dt.date(2021, 1, 1)
days = st.integers(min_value=0, max_value=5 * 365).map(lambda n: START + dt.timedelta(days=n))
SETTINGS = settings(max_examples=30, deadline=None,
                    suppress_health_check=[HealthCheck.function_scoped_fixture])


def _register(event_days: list[list[dt.date]]):
    """J1 with one provision per list of event dates (V0, V1, …), all to P1 with items I1 I2."""
    reg = joint_use_register()
    reg["provisions"] = [{"provision_id": f"V{n}", "party_id": "P1", "basis": "joint_use",
                          "joint_use_id": "J1", "item_ids": ["I1", "I2"], "dataset_id": "D1"}
                         for n in range(len(event_days))]
    reg["provision_log"] = [
        {"event_id": f"E{n}-{k}", "provision_id": f"V{n}", "provided_on": d.isoformat(),
         "principal_ids": [f"A{n}"]}
        for n, ds in enumerate(event_days) for k, d in enumerate(ds)
    ]
    return reg


@given(event_days=st.lists(st.lists(days, min_size=1, max_size=4), min_size=1, max_size=5),
       effective=days, kind=st.sampled_from(["items", "users"]))
@SETTINGS
def test_a_change_that_ends_the_joint_use_fails_exactly_the_later_flows(tmp_path, event_days, effective, kind):
    reg = _register(event_days)
    reg["parties"].append({**reg["parties"][0], "party_id": "P2"})
    reg["data_items"].append({"item_id": "I3", "name": "電話番号", "legal_class": "personal"})
    reg["datasets"][0]["item_ids"].append("I3")
    reg["joint_uses"][0].update(item_ids=["I1", "I2", "I3"], user_party_ids=["self", "P1", "P2"])
    before = {"before_item_ids": ["I1", "I2"]} if kind == "items" else {"before_user_party_ids": ["self", "P1"]}
    reg["joint_use_changes"] = [{"change_id": "JC1", "joint_use_id": "J1", "matter": kind,
                                 "effective_on": effective.isoformat(), **before}]
    a = analyse(tmp_path, reg, name=f"{kind}-{effective}.json")
    expected = {f"V{n}" for n, ds in enumerate(event_days) if any(d >= effective for d in ds)}
    rule = "JNT-010" if kind == "items" else "JNT-011"
    assert {pid for pid, r in a.routes.provisions.items() if rule in r.failed_by} == expected
    assert set(record_events(a)) == expected


@given(event_days=st.lists(st.lists(days, min_size=1, max_size=4), min_size=1, max_size=5),
       effective=days, delay=st.integers(min_value=0, max_value=200))
@SETTINGS
def test_a_late_notice_fails_exactly_the_flows_inside_its_window(tmp_path, event_days, effective, delay):
    notified = effective + dt.timedelta(days=delay)
    reg = _register(event_days)
    reg["joint_use_changes"] = [{"change_id": "JC1", "joint_use_id": "J1", "matter": "purposes",
                                 "effective_on": effective.isoformat(),
                                 "notified_on": notified.isoformat(), "before_purpose_ids": ["U1"]}]
    a = analyse(tmp_path, reg, name=f"late-{effective}-{delay}.json")
    expected = {f"V{n}" for n, ds in enumerate(event_days) if any(effective <= d < notified for d in ds)}
    assert {pid for pid, r in a.routes.provisions.items() if "JNT-008" in r.failed_by} == expected
    assert {f.record for f in a.report.findings if f.rule == "JNT-008"} == {"JC1"}


@given(changes=st.lists(st.tuples(days, st.sets(st.sampled_from(["I1", "I2", "I3"]), min_size=1)),
                        min_size=1, max_size=5, unique_by=lambda c: c[0]),
       probe=days)
@SETTINGS
def test_the_notice_on_a_date(tmp_path, changes, probe):
    reg = joint_use_register()
    reg["data_items"].append({"item_id": "I3", "name": "電話番号", "legal_class": "personal"})
    reg["joint_uses"][0]["item_ids"] = ["I1", "I2", "I3"]
    reg["joint_use_changes"] = [
        {"change_id": f"JC{n}", "joint_use_id": "J1", "matter": "items", "effective_on": d.isoformat(),
         "before_item_ids": sorted(items), "change_basis": "consent"}
        for n, (d, items) in enumerate(changes)
    ]
    a = analyse(tmp_path, reg, name=f"state-{probe}.json")
    h = ju.history(a.register)["J1"]
    ordered = sorted(changes)
    later = [items for d, items in ordered if d > probe]
    expected = tuple(sorted(later[0])) if later else ("I1", "I2", "I3")
    assert h.state_on(probe).items == expected
    # the value after each change is the next one's value before, the last one's the row's
    for c, nxt in zip(h.changes, [*h.changes[1:], None], strict=True):
        assert h.after(c) == (nxt.before if nxt else ("I1", "I2", "I3"))
