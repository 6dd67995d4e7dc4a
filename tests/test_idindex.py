"""idindex.IdIndex: an ID's place in a list of distinct IDs, found by hash and confirmed by
its text, is the place a lookup by text gives, for any IDs."""

from __future__ import annotations

import polars as pl
from hypothesis import given, settings
from hypothesis import strategies as st

from register.idindex import IdIndex

_IDS = st.text(alphabet="AZaz09-_.佐", min_size=0, max_size=6)


@settings(max_examples=300, deadline=None)
@given(st.lists(_IDS, unique=True, max_size=30), st.lists(st.one_of(st.none(), _IDS), max_size=40),
       st.booleans())
def test_positions_are_the_places_a_text_lookup_gives(ids, values, by_text):
    index = IdIndex(pl.Series(ids, dtype=pl.Utf8))
    if by_text:  # the path taken when two listed IDs share a hash
        index._by_hash = None
    got = index.positions(pl.Series(values, dtype=pl.Utf8))
    place = {v: k for k, v in enumerate(ids)}
    assert got.dtype == pl.UInt32
    assert got.to_list() == [place.get(v) if v is not None else None for v in values]


def test_a_value_sharing_a_listed_ids_hash_is_not_that_id():
    """The text decides: a value whose hash were a listed ID's is not found as that ID."""
    index = IdIndex(pl.Series(["CU-1", "CU-2"]))
    real_hash = pl.Series.hash
    try:  # every value hashes as CU-1 does: only CU-1 itself is found
        pl.Series.hash = lambda s, *a, **k: real_hash(pl.Series(["CU-1"] * s.len()))
        got = index.positions(pl.Series(["CU-1", "CU-9", "CU-2"]))
    finally:
        pl.Series.hash = real_hash
    assert got.to_list() == [0, None, None]
