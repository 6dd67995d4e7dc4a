"""A big CSV file read by polars gives exactly what the exact (csv module) reader gives.

Big UTF-8 files go straight from their bytes to polars (io/csvdir.read_utf8_fast), and their
blank cells are made empty only in the columns that may hold one (load.build_table); the exact
reader is the reference. Whatever the cells hold (separators, quotes, line breaks, blanks,
Japanese, cp932), the table load builds must be the same: rows, line numbers, raw cells, typed
values and invalid-cell masks.
"""

from __future__ import annotations

import csv
import io

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from register import schema
from register.io import csvdir
from register.load import build_table
from register.model import ROW, InputError

HEADERS = ["event_id", "provision_id", "provided_on", "principal_ids"]

_cell = st.one_of(
    st.from_regex(r"[A-Z]{1,3}-[0-9]{1,4}", fullmatch=True),
    st.text(alphabet=list("ab,\"\n 　テスト\x1f\t;-="), max_size=6),
    st.just(""),
    st.sampled_from([" ", "\u3000", "\x1f", "\t ", "\x85"]),  # blank: read as empty
)
_row = st.lists(_cell, min_size=len(HEADERS), max_size=len(HEADERS))


def _csv(rows: list[list[str]], newline: str, blank_lines: bool,
         preamble: list[list[str]] = ()) -> str:
    buf = io.StringIO()
    w = csv.writer(buf, lineterminator=newline)
    w.writerows(preamble)  # a title and notes above the header (quoted cells may span lines)
    w.writerow(HEADERS)
    for k, r in enumerate(rows):
        w.writerow(r)
        if blank_lines and k % 3 == 1:
            buf.write(newline)
    return buf.getvalue()


def _table(sheet):
    """The table load builds from a sheet: raw cells (blank ones empty), typed values, masks."""
    spec = next(t for t in schema.tables() if t.name == "provision_log")
    return build_table(spec, sheet)


def _exact(data: bytes):
    text, _ = csvdir.decode(data, "x.csv")
    return _table(csvdir.read_csv_text(text, "provision_log", "x.csv", fast=False))


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(
    rows=st.lists(_row, min_size=0, max_size=25),
    encoding=st.sampled_from(["utf-8", "utf-8-sig", "cp932"]),
    newline=st.sampled_from(["\n", "\r\n"]),
    blank_lines=st.booleans(),
    head_bytes=st.sampled_from([40, 97, 4096]),
    preamble=st.lists(st.lists(_cell, min_size=1, max_size=3), max_size=3),
)
def test_fast_reader_matches_exact_reader(monkeypatch, rows, encoding, newline, blank_lines, head_bytes,
                                          preamble):
    if encoding == "cp932":
        rows, preamble = ([[c.replace("\x85", "") for c in r] for r in t] for t in (rows, preamble))
    _same(monkeypatch, _csv(rows, newline, blank_lines, preamble).encode(encoding), head_bytes)


def _same(monkeypatch, data: bytes, head_bytes: int = 4096) -> None:
    monkeypatch.setattr(csvdir, "FAST_PATH_BYTES", 0)  # every file takes the fast path
    monkeypatch.setattr(csvdir, "HEAD_BYTES", head_bytes)  # heads cut mid-line and mid-character
    fast = _table(csvdir.read_csv_bytes(data, "provision_log", "x.csv"))
    exact = _exact(data)
    assert fast.raw.columns == exact.raw.columns
    assert fast.raw.to_dicts() == exact.raw.to_dicts()
    assert fast.df.to_dicts() == exact.df.to_dicts()
    assert {k: v.to_list() for k, v in fast.bad.items()} == {
        k: v.to_list() for k, v in exact.bad.items()
    }


@pytest.mark.parametrize("preamble", [
    "顧客台帳\n",  # a title line: skipped as a line
    "顧客台帳,\n作成日,2024-04-01\n\n",  # notes and a blank line
    '"注記\n二行目"\n',  # a quoted note over two lines: one row, two lines
    '注記,"a,b"\n',  # a quoted cell on one line
])
@pytest.mark.parametrize("newline", ["\n", "\r\n"])
def test_rows_above_the_header_are_skipped_as_rows(monkeypatch, preamble, newline):
    body = _csv([["E-1", "PR-1", "2024-04-01", "C-1"], ["E-2", "PR-1", "", 'C-2;"x"']], newline, False)
    data = (preamble.replace("\n", newline) + body).encode()
    _same(monkeypatch, data)
    monkeypatch.setattr(csvdir, "FAST_PATH_BYTES", 0)
    assert csvdir.read_csv_bytes(data, "provision_log", "x.csv").frame["event_id"].to_list() == ["E-1", "E-2"]


@pytest.mark.parametrize("blank", [" ", "\u3000", "\x1f", "\t\x1c ", "\x85"])
def test_blank_cells_are_empty_on_the_fast_path(monkeypatch, blank):
    data = _csv([["E-1", "PR-1", blank, "C-1"], ["E-2", blank, "2024-04-01", "C-2"]], "\n", False)
    assert csvdir.read_utf8_fast(data.encode(), "provision_log", "x.csv") is not None  # taken
    _same(monkeypatch, data.encode())


def test_a_big_cp932_file_is_read_as_cp932(monkeypatch):
    rows = [[f"E-{k}", "PR-1", "令和5年4月1日", f"顧客{k}"] for k in range(2000)]
    data = _csv(rows, "\r\n", False).encode("cp932")
    assert len(data) > csvdir.FAST_PATH_BYTES
    frame = _table(csvdir.read_csv_bytes(data, "provision_log", "x.csv")).raw
    assert frame["principal_ids"][1999] == "顧客1999"
    assert frame[ROW].to_list()[:2] == [2, 3]


def test_a_big_file_bad_deep_inside_is_refused_clearly():
    good = _csv([[f"E-{k}", "PR-1", "2024-04-01", "C-1"] for k in range(3000)], "\n", False)
    data = good.encode("utf-8") + b"E-x,PR-1,2024-04-01,\xff\xfe\xfa\n"
    with pytest.raises(InputError, match="neither UTF-8 nor cp932"):
        csvdir.read_csv_bytes(data, "provision_log", "x.csv")


# Cells written raw, not by a CSV writer: quotes anywhere (stray, unclosed, mid-cell, after a
# closing quote), separators and line breaks, as a hand-edited or naively exported file has them.
_raw_cell = st.text(alphabet=list('ab",; \n'), max_size=5)
_raw_row = st.lists(_raw_cell, min_size=len(HEADERS), max_size=len(HEADERS))


def _outcome(read):
    """The table a reader builds, or the one line it refuses the file with."""
    try:
        t = _table(read())
    except InputError as exc:
        return str(exc)
    return (t.raw.columns, t.raw.to_dicts(), t.df.to_dicts())


@settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(
    rows=st.lists(_raw_row, min_size=0, max_size=20),
    newline=st.sampled_from(["\n", "\r\n"]),
    head_bytes=st.sampled_from([40, 97, 4096]),
)
def test_fast_reader_matches_exact_reader_on_any_quoting(monkeypatch, rows, newline, head_bytes):
    """Broken quoting is refused by both readers with the same line, or read the same."""
    data = (",".join(HEADERS) + newline + "".join(",".join(r) + newline for r in rows)).encode()
    monkeypatch.setattr(csvdir, "FAST_PATH_BYTES", 0)
    monkeypatch.setattr(csvdir, "HEAD_BYTES", head_bytes)
    fast = _outcome(lambda: csvdir.read_csv_bytes(data, "provision_log", "x.csv"))
    exact = _outcome(
        lambda: csvdir.read_csv_text(csvdir.decode(data, "x.csv")[0], "provision_log", "x.csv", fast=False)
    )
    assert fast == exact


@pytest.mark.parametrize(
    "line, problem",
    [
        ('E-9,"PR-1,2024-04-01,C-1', "line 5 opens a quoted cell"),  # never closed: to EOF
        ('E-9,"PR-1"x,2024-04-01,C-1', "line 5 has a quoted cell"),  # text after the close
    ],
)
@pytest.mark.parametrize("big", [False, True])
def test_a_stray_quote_is_refused_by_both_readers(line, problem, big):
    """One stray `"` would make a lax reader swallow every line after it into one cell."""
    rows = [f"E-{k},PR-1,2024-04-01,C-{k}" for k in range(3000 if big else 20)]
    data = "\n".join([",".join(HEADERS), *rows[:3], line, *rows[3:]]).encode() + b"\n"
    assert (len(data) > csvdir.FAST_PATH_BYTES) is big
    with pytest.raises(InputError, match=problem):
        csvdir.read_csv_bytes(data, "provision_log", "x.csv")


def test_a_quote_inside_an_unquoted_cell_is_a_character(monkeypatch):
    """`ab"c` is not quoting (Excel and every CSV reader keep the quote): read as written."""
    rows = [["E-1", 'PR"1', "2024-04-01", "C-1"], ["E-2", "PR-1", "2024-04-01", 'C"-2']]
    data = ("\n".join(",".join(r) for r in [HEADERS, *rows]) + "\n").encode()
    _same(monkeypatch, data)
    frame = _table(csvdir.read_csv_bytes(data, "provision_log", "x.csv")).raw
    assert frame["provision_id"].to_list() == ['PR"1', "PR-1"]


@pytest.mark.parametrize("at", [0, 5000, -3])
def test_a_nul_anywhere_is_refused_by_both_readers(at):
    rows = "".join(f"E-{k},PR-1,2024-04-01,C-{k}\n" for k in range(3000))
    data = bytearray((",".join(HEADERS) + "\n" + rows).encode())
    data[at] = 0
    line = bytes(data[: at % len(data)]).count(b"\n") + 1
    with pytest.raises(InputError, match=f"NUL bytes \\(the first on line {line:,}\\)"):
        csvdir.read_csv_bytes(bytes(data), "provision_log", "x.csv")
    with pytest.raises(InputError, match="NUL bytes"):
        csvdir.decode(bytes(data), "x.csv")
