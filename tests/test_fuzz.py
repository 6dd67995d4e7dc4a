"""Fuzzing in the suite: mutated workbooks, CSV and JSON never make a traceback.

For every mutant, `register check` exits 0, 1 or 2; on 2 it prints exactly one line naming the
input and nothing on stdout. Bounded (few examples, small inputs) so the suite stays fast; the
atheris harness in fuzz/ runs the same property for as long as one likes.
"""

from __future__ import annotations

import io
import json
import tempfile
import zipfile
from pathlib import Path

import orjson
import pytest
from click.testing import CliRunner
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from register import limits
from register.cli import main
from tests.conftest import base_register, workbook_bytes

FUZZ = settings(
    max_examples=25, deadline=None, suppress_health_check=[HealthCheck.too_slow], derandomize=True
)


@pytest.fixture(autouse=True)
def _default_limits():
    yield
    limits.use(limits.DEFAULTS)


def _workbook_bytes() -> bytes:
    return workbook_bytes()


WORKBOOK = _workbook_bytes()
JSON = orjson.dumps(base_register())


def _csv_files() -> dict[str, bytes]:
    out = {}
    for table, rows in base_register().items():
        rows = [rows] if isinstance(rows, dict) else rows
        headers = list(dict.fromkeys(k for r in rows for k in r))
        lines = [",".join(headers)]
        for r in rows:
            cells = [r.get(h) for h in headers]
            lines.append(",".join(
                ";".join(v) if isinstance(v, list) else ("" if v is None else str(v)) for v in cells
            ))
        out[f"{table}.csv"] = ("\n".join(lines) + "\n").encode("utf-8")
    return out


CSV = _csv_files()

# A mutation: (position as a fraction of the length, bytes removed, bytes inserted)
edits = st.lists(
    st.tuples(
        st.floats(0, 1, allow_nan=False),
        st.integers(0, 16),
        st.one_of(
            st.binary(max_size=16),
            st.sampled_from([b"<", b">", b"&", b'"', b",", b"\n", b"\x00", b"\xff", b"[", b"{",
                             b"<!DOCTYPE x>", b"\xe3\x81", b"\x82\xa0", b";", b"=", b"9" * 12]),
        ),
    ),
    min_size=1,
    max_size=4,
)


def mutate(data: bytes, ops) -> bytes:
    for frac, cut, insert in ops:
        i = int(frac * len(data))
        data = data[:i] + insert + data[i + cut :]
    return data


def assert_contract(args: list[str], shown: str) -> None:
    result = CliRunner().invoke(main, ["check", *args, "--as-of", "2026-01-01"])
    assert result.exit_code in (0, 1, 2), (result.exit_code, result.exception)
    assert "Traceback" not in result.stdout + result.stderr
    assert "internal error" not in result.stderr, result.stderr
    if result.exit_code == 2:
        assert result.stdout == ""
        assert result.stderr.count("\n") == 1 and result.stderr.startswith(
            f"register: error: {shown}"
        ), result.stderr


@FUZZ
@given(ops=edits)
def test_mutated_workbook_bytes(ops):
    with tempfile.TemporaryDirectory() as d:
        p = Path(d) / "register.xlsx"
        p.write_bytes(mutate(WORKBOOK, ops))
        assert_contract([str(p)], str(p))


@FUZZ
@given(part=st.integers(0, 100), ops=edits)
def test_mutated_workbook_xml(part, ops):
    """Mutate the XML inside one part and re-zip: the mutants reach the XML readers."""
    with zipfile.ZipFile(io.BytesIO(WORKBOOK)) as zf:
        names = [n for n in zf.namelist() if n.endswith(".xml")]
        parts = {n: zf.read(n) for n in zf.namelist()}
    name = names[part % len(names)]
    parts[name] = mutate(parts[name], ops)
    with tempfile.TemporaryDirectory() as d:
        p = Path(d) / "register.xlsx"
        with zipfile.ZipFile(p, "w", zipfile.ZIP_DEFLATED) as zf:
            for n, data in parts.items():
                zf.writestr(n, data)
        assert_contract([str(p)], str(p))


@FUZZ
@given(which=st.integers(0, 100), ops=edits)
def test_mutated_csv(which, ops):
    names = sorted(CSV)
    name = names[which % len(names)]
    with tempfile.TemporaryDirectory() as d:
        folder = Path(d) / "reg"
        folder.mkdir()
        for n, data in CSV.items():
            (folder / n).write_bytes(mutate(data, ops) if n == name else data)
        assert_contract([str(folder)], str(folder))


@FUZZ
@given(ops=edits)
def test_mutated_json_bytes(ops):
    with tempfile.TemporaryDirectory() as d:
        p = Path(d) / "register.json"
        p.write_bytes(mutate(JSON, ops))
        assert_contract([str(p)], str(p))


json_values = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False) | st.text(max_size=20),
    lambda inner: st.lists(inner, max_size=3) | st.dictionaries(st.text(max_size=8), inner, max_size=3),
    max_leaves=10,
)


@FUZZ
@given(table=st.integers(0, 100), field=st.text(max_size=12) | st.sampled_from(
    ["item_id", "party_id", "basis", "item_ids", "country", "provided_on", "consent", "kind"]
), value=json_values)
def test_json_with_odd_values(table, field, value):
    """Structured mutation: any JSON value in any field of a valid register."""
    reg = base_register()
    name = sorted(reg)[table % len(reg)]
    rows = reg[name] if isinstance(reg[name], list) else [reg[name]]
    rows[0][field] = value
    with tempfile.TemporaryDirectory() as d:
        p = Path(d) / "register.json"
        p.write_text(json.dumps(reg, ensure_ascii=False), encoding="utf-8")  # big ints too
        assert_contract([str(p)], str(p))
