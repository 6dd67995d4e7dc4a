"""The principals tables against a plain restatement of rules.md §5, for any log.

records.shared.principal_rows orders and deduplicates a million (record, principal) pairs as
integers; whatever the log holds (repeats, principals no row of `principals` names, duplicate
principal rows, several events per bulk record), the table must be each record's distinct
principals sorted by ID, in record order, named by the first principals row of that ID.
"""

from __future__ import annotations

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from register.records import derive

from .records_support import Ctx, load_register, simple_routes

_pid = st.sampled_from(["CU-01", "CU-02", "CU-10", "CU-3", "X-9", "A-1"])
_event = st.tuples(
    st.sampled_from(["E1", "E2", "E3", "E4"]),
    st.sampled_from(["P1", "P2"]),
    st.lists(_pid, max_size=4),
)


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(
    log=st.lists(_event, min_size=1, max_size=12),
    known=st.lists(st.tuples(_pid, st.sampled_from(["佐藤", "鈴木", "高橋"])), max_size=6),
    bulk=st.booleans(),
)
def test_principals_are_each_records_distinct_principals_by_id(tmp_path_factory, log, known, bulk):
    tmp = tmp_path_factory.mktemp("reg")
    provisions = [
        {"provision_id": p, "party_id": "PT-A", "basis": "consent", "item_ids": ["I-NAME"],
         "consent": True, "record_method": "bulk" if bulk and p == "P2" else "each"}
        for p in ("P1", "P2")
    ]
    rows = [
        {"event_id": e, "provision_id": p, "provided_on": "2024-04-01", "principal_ids": ps}
        for e, p, ps in log
    ]
    principals = [{"principal_id": i, "name": n} for i, n in known]
    reg = load_register(tmp, provisions=provisions, provision_log=rows, principals=principals)
    records = derive(reg, Ctx(simple_routes(reg)))

    names: dict[str, str] = {}
    for i, n in known:
        names.setdefault(i, n)
    expected_sets: dict[str, set[str]] = {}
    for e, p, ps in log:
        rid = f"P/{p}" if bulk and p == "P2" else f"P/{p}/{e}"
        expected_sets.setdefault(rid, set()).update(ps)
    order = records.provision_records["record_id"].to_list()
    assert sorted(order) == sorted(expected_sets)
    expected = [
        {"record_id": rid, "principal_id": pid, "principal_name": names.get(pid)}
        for rid in order
        for pid in sorted(expected_sets[rid])
    ]
    assert records.provision_principals.to_dicts() == expected
    counts = dict(records.provision_records.select("record_id", "principal_count").iter_rows())
    assert counts == {rid: len(ps) for rid, ps in expected_sets.items()}


_ITEMS = {"I-NAME": "氏名", "I-MAIL": "メールアドレス", "I-MYN": "個人番号"}
_ORDER = list(_ITEMS)  # data_items order in records_support


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(
    log=st.lists(
        st.tuples(
            st.sampled_from(["E1", "E2", "E3"]),
            st.sampled_from(["P1", "P2"]),
            st.one_of(st.none(), st.lists(st.sampled_from(["I-NAME", "I-MAIL", "I-MYN"]), max_size=2)),
        ),
        min_size=1, max_size=10,
    ),
    bulk=st.booleans(),
    p2_items=st.lists(st.sampled_from(["I-NAME", "I-MAIL", "I-MYN"]), min_size=1, max_size=3,
                      unique=True),
)
def test_item_names_are_the_events_items_or_the_provisions(tmp_path_factory, log, bulk, p2_items):
    tmp = tmp_path_factory.mktemp("reg")
    prov_items = {"P1": ["I-MAIL", "I-NAME"], "P2": p2_items}
    provisions = [
        {"provision_id": p, "party_id": "PT-A", "basis": "consent", "item_ids": prov_items[p],
         "consent": True, "record_method": "bulk" if bulk and p == "P2" else "each"}
        for p in ("P1", "P2")
    ]
    rows = [
        {"event_id": e, "provision_id": p, "provided_on": "2024-04-01", "principal_ids": ["CU-1"]}
        | ({"item_ids": items} if items else {})
        for e, p, items in log
    ]
    reg = load_register(tmp, provisions=provisions, provision_log=rows)
    records = derive(reg, Ctx(simple_routes(reg)))
    expected: dict[str, set[str]] = {}
    for e, p, items in log:
        if set(prov_items[p]) == {"I-MYN"}:
            continue  # a My-Number-only provision has no APPI record (my_number_act)
        rid = f"P/{p}" if bulk and p == "P2" else f"P/{p}/{e}"
        expected.setdefault(rid, set()).update(items or prov_items[p])
    got = dict(records.provision_records.select("record_id", "item_names").iter_rows())
    assert got == {
        rid: [_ITEMS[i] for i in _ORDER if i in ids and i != "I-MYN"]  # never My Number
        for rid, ids in expected.items()
    }
