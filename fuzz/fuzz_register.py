"""atheris harness: the reading side against arbitrary bytes, for long runs (not run by the suite).

    pip install atheris            # needs clang; not a project dependency
    python fuzz/fuzz_register.py xlsx fuzz/corpus-xlsx -max_total_time=3600
    python fuzz/fuzz_register.py json fuzz/corpus-json -rss_limit_mb=4096
    python fuzz/fuzz_register.py csv  fuzz/corpus-csv

The property is the suite's (tests/test_fuzz.py): `register.load` either returns a register,
whose analysis completes, or raises InputError (the CLI's one line and exit 2). Any other
exception is a crash atheris reports with the input that caused it. Seed the corpus folders
with real registers (`register convert sample_data/register.json seed.xlsx`) for deeper runs.
"""

from __future__ import annotations

import datetime as dt
import os
import sys
import tempfile
from pathlib import Path

import atheris

with atheris.instrument_imports():
    from register import api
    from register.model import InputError

FORM = sys.argv.pop(1) if len(sys.argv) > 1 and sys.argv[1] in ("xlsx", "json", "csv") else "xlsx"
WORK = Path(tempfile.mkdtemp(prefix="register-fuzz-"))
AS_OF = dt.date(2026, 1, 1)


def _input(data: bytes) -> Path:
    if FORM == "csv":
        folder = WORK / "reg"
        folder.mkdir(exist_ok=True)
        for old in folder.iterdir():
            old.unlink()
        (folder / "organization.csv").write_bytes(b"name,address,representative,contact\nA,B,C,D\n")
        (folder / "data_items.csv").write_bytes(data)
        return folder
    p = WORK / f"input.{FORM}"
    p.write_bytes(data)
    return p


def test_one(data: bytes) -> None:
    """One input: InputError is the expected failure; anything else is a finding for us."""
    path = _input(data)
    try:
        reg = api.load(str(path))
    except InputError:
        return
    api.analyze(reg, AS_OF)


def main() -> None:
    os.environ.setdefault("REGISTER_DEBUG", "1")
    atheris.Setup(sys.argv, test_one)
    atheris.Fuzz()


if __name__ == "__main__":
    main()
