"""provision_principals written from its short tables (export.write_gathered_csv): the same
bytes as the general CSV writer for any text, in both languages."""

from __future__ import annotations

import io

import polars as pl
from hypothesis import given, settings
from hypothesis import strategies as st

from register.export import quoted, write_csv, write_gathered_csv
from register.outputs import output_table
from register.parts import GatheredFrame

# Text that a CSV writer treats specially (quotes, separators, line ends, emptiness) or that
# the formula guard does (=, +, -, @, tab, CR, leading apostrophes), among ordinary text.
_TEXT = st.one_of(
    st.none(),
    st.text(alphabet=st.sampled_from(list("\"',\r\n\t=+-@; aZ0佐藤　")), max_size=6),
    st.text(max_size=8),
)


def _polars_cells(values: list[str | None]) -> list[bytes]:
    """Each value as polars' own CSV writer writes it beside another column."""
    buf = io.BytesIO()
    pl.DataFrame({"v": values, "end": ["x"] * len(values)}, schema={"v": pl.Utf8, "end": pl.Utf8}
                 ).write_csv(buf, include_header=False)
    return [line.removesuffix(b",x") for line in buf.getvalue().split(b",x\n")[:-1]]


@settings(max_examples=300, deadline=None)
@given(st.lists(_TEXT, min_size=1, max_size=40))
def test_quoted_is_what_polars_writes(values: list[str | None]) -> None:
    mine = pl.DataFrame({"v": values}, schema={"v": pl.Utf8}).select(quoted(pl.col("v")).alias("v"))["v"]
    assert [m.encode("utf-8") for m in mine.to_list()] == _polars_cells(values)


def _gathered(records: list[str], people: list[tuple[str | None, str | None]],
              pairs: list[tuple[int, int]], chunk: int) -> GatheredFrame:
    order = pl.DataFrame({"record_id": records}, schema={"record_id": pl.Utf8})
    ranked = pl.DataFrame({"principal_id": [p[0] for p in people],
                           "principal_name": [p[1] for p in people]},
                          schema={"principal_id": pl.Utf8, "principal_name": pl.Utf8})
    place = pl.Series([p for p, _ in pairs], dtype=pl.UInt32)
    rank = pl.Series([r for _, r in pairs], dtype=pl.UInt32)

    def indices():
        for s in range(0, len(pairs), chunk):
            yield place.slice(s, chunk), rank.slice(s, chunk)

    return GatheredFrame(output_table("provision_principals").empty(), len(pairs),
                         (order, ranked), indices)


@settings(max_examples=150, deadline=None)
@given(
    records=st.lists(_TEXT.filter(lambda v: v is not None), min_size=1, max_size=5),
    people=st.lists(st.tuples(_TEXT, _TEXT), min_size=1, max_size=6),
    data=st.data(),
    lang=st.sampled_from(["en", "ja"]),
    chunk=st.integers(min_value=1, max_value=7),
)
def test_gathered_csv_is_the_general_writers_bytes(records, people, data, lang, chunk, tmp_path_factory):
    pairs = data.draw(st.lists(st.tuples(st.integers(0, len(records) - 1),
                                         st.integers(0, len(people) - 1)), max_size=25))
    table = _gathered(records, people, pairs, chunk)
    columns = output_table("provision_principals").columns
    folder = tmp_path_factory.mktemp("gathered")
    write_gathered_csv(folder / "fast.csv", table, columns, lang)
    write_csv(folder / "general.csv", table.collect(), columns, lang)
    assert (folder / "fast.csv").read_bytes() == (folder / "general.csv").read_bytes()


def test_gathered_rows_are_the_sources_side_by_side() -> None:
    table = _gathered(["P/1", "P/2"], [("CU-1", "佐藤"), ("CU-2", None)], [(0, 1), (1, 0), (1, 1)], 2)
    assert table.collect().rows() == [("P/1", "CU-2", None), ("P/2", "CU-1", "佐藤"),
                                      ("P/2", "CU-2", None)]
    assert table.height == 3


def test_a_formula_in_a_name_is_guarded_once_per_principal(tmp_path) -> None:
    table = _gathered(["P/1"], [("CU-1", "=HYPERLINK(1)"), ("CU-2", 'a,"b"')], [(0, 0), (0, 1)], 1)
    write_gathered_csv(tmp_path / "p.csv", table, output_table("provision_principals").columns, "en")
    lines = (tmp_path / "p.csv").read_bytes().decode("utf-8-sig").splitlines()
    assert lines == ["record_id,principal_id,principal_name", "P/1,CU-1,'=HYPERLINK(1)",
                     'P/1,CU-2,"a,""b"""']


@settings(max_examples=100, deadline=None)
@given(people=st.lists(st.tuples(_TEXT, _TEXT), max_size=12), lang=st.sampled_from(["en", "ja"]),
       size=st.integers(min_value=1, max_value=5))
def test_a_table_made_text_in_slices_is_written_as_made_whole(people, lang, size, tmp_path_factory):
    """write_csv makes a long table text CSV_SLICE rows at a time: the same bytes as at once
    (formula-like cells in some slices only, quotes, empty cells, no rows at all)."""
    import pytest

    import register.export as export

    df = pl.DataFrame({"record_id": [f"P/{k}" for k in range(len(people))],
                       "principal_id": [p[0] for p in people],
                       "principal_name": [p[1] for p in people]},
                      schema={"record_id": pl.Utf8, "principal_id": pl.Utf8, "principal_name": pl.Utf8})
    columns = output_table("provision_principals").columns
    folder = tmp_path_factory.mktemp("sliced")
    with pytest.MonkeyPatch.context() as mp:
        mp.setattr(export, "CSV_SLICE", size)
        write_csv(folder / "sliced.csv", df, columns, lang)
    write_csv(folder / "whole.csv", df, columns, lang)
    assert (folder / "sliced.csv").read_bytes() == (folder / "whole.csv").read_bytes()
