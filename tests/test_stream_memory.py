"""The shortcuts that keep a long log's memory down (docs/performance.md) give what the general
path gives: cut events found by sorted hashes, the events of a log with one provision an
event taken as its pairs, batches' kept rows copied out of the batch's buffers. Each is held
to the general computation for all inputs, and the general path is forced where a shortcut
applies (a hash shared by two keys) to show the outputs do not depend on which ran.
"""

from __future__ import annotations

import numpy as np
import orjson
import polars as pl
from hypothesis import given, settings
from hypothesis import strategies as st

import register.logstream as logstream
from register.facts import flows
from register.load import load

from .conftest import SAMPLE
from .test_log_streaming import _csv_folder, _prepare, _same, generated, streamed  # noqa: F401

_IDS = st.text(alphabet="ABCab01-", min_size=0, max_size=20)


@settings(max_examples=200, deadline=None)
@given(st.lists(st.integers(min_value=0, max_value=40), max_size=300))
def test_repeated_marks_exactly_the_values_that_occur_twice(values):
    hashes = np.array(values, dtype=np.uint64)
    got = logstream._repeated(hashes).to_list()
    assert got == pl.Series(values, dtype=pl.UInt64).is_duplicated().to_list()


@settings(max_examples=200, deadline=None)
@given(st.lists(st.one_of(st.none(), _IDS), max_size=200))
def test_repeats_is_true_whenever_an_id_occurs_twice(ids):
    s = pl.Series(ids, dtype=pl.Utf8)
    if bool(s.is_duplicated().any()):
        assert flows._repeats(s)
    elif s.len() < 2 or len(set(s.hash().to_list())) == s.len():
        assert not flows._repeats(s)  # (a shared hash alone may say True: the general path)


@settings(max_examples=100, deadline=None)
@given(st.lists(st.tuples(st.one_of(st.none(), _IDS),
                          st.one_of(st.none(), st.lists(st.one_of(st.none(), _IDS), max_size=4)),
                          st.integers(min_value=-5, max_value=5)), max_size=60))
def test_detached_keeps_every_value_null_and_empty_list(rows):
    df = pl.DataFrame(
        {"s": [r[0] for r in rows], "l": [r[1] for r in rows], "n": [r[2] for r in rows]},
        schema={"s": pl.Utf8, "l": pl.List(pl.Utf8), "n": pl.Int64},
    )
    got = logstream.detached(df.gather(list(range(0, df.height, 2))))
    assert got.equals(df.gather(list(range(0, df.height, 2))), null_equal=True)
    assert got.schema == df.schema


def test_every_event_taken_for_cut_gives_the_same_outputs(generated, tmp_path, streamed,  # noqa: F811
                                                          monkeypatch):
    """As if every (event, provision) key shared its hash with another: every partial event
    goes through _combine, which must regroup each into itself."""
    monkeypatch.setattr(logstream, "_repeated",
                        lambda hashes: pl.Series("cut", np.ones(hashes.size, dtype=bool)))
    _prepare(tmp_path)
    assert _same(generated, tmp_path) > 100


def _two_provisions_an_event(tmp_path):
    """The sample with one event's second row naming another provision (REF-005): that
    event's ID then repeats among the (event, provision) pairs."""
    doc = orjson.loads((SAMPLE / "register.json").read_bytes())
    log = doc["provision_log"]
    ids = [r["event_id"] for r in log]
    k = next(i for i in range(1, len(log)) if ids[i] == ids[i - 1])
    other = next(p["provision_id"] for p in doc["provisions"]
                 if p["provision_id"] != log[k]["provision_id"])
    log[k] = {**log[k], "provision_id": other}
    path = tmp_path / "register.json"
    path.write_bytes(orjson.dumps(doc))
    return path


def test_events_by_projection_equal_events_by_grouping(tmp_path, monkeypatch):
    """flows.events of a log with one provision an event is its pairs' projection; the
    grouping it skips gives the same frame (the sample), and a log whose events do repeat is
    grouped."""
    for source, repeats in ((SAMPLE / "register.json", False),
                            (_two_provisions_an_event(tmp_path), True)):
        reg = load(source)
        assert flows._repeats(flows.log_events(reg)["event_id"]) is repeats
        fast = flows.events(reg)
        monkeypatch.setattr(flows, "_repeats", lambda ids: True)
        general = flows.events(load(source))
        monkeypatch.undo()
        assert fast.height > 0
        assert fast.equals(general, null_equal=True), source
        assert fast.schema == general.schema
    assert int(fast["n_provision_ids"].max()) == 2  # (the repeated event: REF-005)


def test_a_sample_register_as_csv_streamed_gives_the_same_bytes(tmp_path, streamed):  # noqa: F811
    """The sample (each-time, bulk and contract records, person-related ones, a client's
    data) with the records built from the streamed events' places."""
    folder = _csv_folder(SAMPLE / "register.json", tmp_path / "sample")
    _prepare(tmp_path)
    assert _same(folder, tmp_path) > 10


def test_ret_001_lists_the_first_records_by_row_and_counts_the_rest(tmp_path):
    """RET-001 sorts only the records whose row can be among the hundred it lists: the same
    hundred (event, record) as sorting every expired record by its event's first row, and
    the rest counted (a generated log, long expired on the date asked)."""
    import datetime as dt

    from register import api
    from register.checks import retention
    from register.findings import MAX_PER_RULE, SUPPRESSED_COUNT

    from .test_log_streaming import generate

    generate.generate(tmp_path / "reg", 20_000)
    a = api.check(str(tmp_path / "reg"), dt.date(2100, 1, 1))
    listed = [f for f in a.report.findings if f.rule == "RET-001" and f.table == "provision_log"
              and f.record is not None]
    counted = sum(f.params.get(SUPPRESSED_COUNT, 0) for f in retention.check(a.register, _Ctx(a))
                  if f.rule == "RET-001")
    # every expired record made each time, sorted whole by its event's first row
    outline = a.records.provision_outline.filter(
        (pl.col("record_method") == "each") & (pl.col("retain_until") < dt.date(2100, 1, 1)))
    log = a.register["provision_log"]
    firsts = outline.select("record_id", pl.col("event_ids").list.first().alias("event_id")).join(
        flows.events(a.register).select("event_id", "i"), on="event_id", how="left")
    rows = log.raw["_row"].gather(firsts["i"])
    want = firsts.with_columns(rows.alias("row")).sort("row", "event_id", "record_id")
    assert outline.height > MAX_PER_RULE
    assert [(f.record, f.params["record_id"]) for f in listed] == list(
        want.head(MAX_PER_RULE).select("event_id", "record_id").iter_rows())
    assert counted == outline.height - MAX_PER_RULE


class _Ctx:
    def __init__(self, a):
        self.as_of = a.as_of
        self.records = a.records
