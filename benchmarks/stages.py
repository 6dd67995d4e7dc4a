"""Where one `register records --format csv` run spends its time, stage by stage.

    python benchmarks/stages.py --rows 1000000 --repeat 3

`run.py` times whole processes against the floor; this runs the same pipeline in one process
through the library API (read, parse, check, records, write), each stage timed on its own,
and prints the median of `--repeat` fresh processes per stage. Start-up is measured from the
interpreter's start. Registers come from the same cache as `run.py`.
"""

from __future__ import annotations

import argparse
import json
import statistics
import subprocess
import sys
import tempfile
from pathlib import Path

HERE = Path(__file__).resolve().parent
CACHE = HERE / ".cache"

STAGES = (
    "start-up and imports",
    "read CSV",
    "parse columns",
    "checks, routes, record outline",
    "records: principals, items, recipients",
    "write CSV",
)

# One run, in a fresh interpreter: prints {stage: seconds} as JSON.
_ONE_RUN = r"""
import time, sys, json
T0 = time.perf_counter()
import datetime as dt
from pathlib import Path
from register import api, schema
from register.export import write_records
from register.load import build_table, read_sheets
from register.model import Register
out = {}
t = time.perf_counter(); out["start-up and imports"] = t - T0
src, dest, as_of = sys.argv[1], Path(sys.argv[2]), dt.date.fromisoformat(sys.argv[3])
form, sheets, files = read_sheets(Path(src), src)
n = time.perf_counter(); out["read CSV"] = n - t; t = n
by = {schema.match_table(s.name): s for s in sheets}
tables = {spec.name: build_table(spec, by.get(spec.name)) for spec in schema.tables()}
reg = Register(source=src, form=form, tables=tables, files=files)
n = time.perf_counter(); out["parse columns"] = n - t; t = n
analysis = api.analyze(reg, as_of)
n = time.perf_counter(); out["checks, routes, record outline"] = n - t; t = n
analysis.records.provision_records
n = time.perf_counter(); out["records: principals, items, recipients"] = n - t; t = n
write_records(analysis, dest, "csv", "en")
n = time.perf_counter(); out["write CSV"] = n - t
print(json.dumps(out))
"""


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--rows", type=int, default=1_000_000)
    ap.add_argument("--repeat", type=int, default=3)
    args = ap.parse_args(argv)
    sys.path.insert(0, str(HERE))
    import generate
    import run

    run.byte_compile()
    folder, manifest = generate.ensure(CACHE, args.rows)
    runs = []
    for k in range(args.repeat):
        with tempfile.TemporaryDirectory() as tmp:
            done = subprocess.run(
                [sys.executable, "-c", _ONE_RUN, str(folder), str(Path(tmp) / f"out{k}"),
                 manifest.as_of],
                capture_output=True, text=True, check=True,
            )
        runs.append(json.loads(done.stdout))
    print(f"register records --format csv, {args.rows:,} log rows, median of {args.repeat}:")
    total = 0.0
    for stage in STAGES:
        ms = statistics.median(r[stage] for r in runs) * 1000
        total += ms
        print(f"  {stage:<42} {ms:8.0f} ms")
    print(f"  {'total':<42} {total:8.0f} ms")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
