"""How the streamed log's engine was chosen (docs/performance.md, "Choosing the engine").

Two jobs grow with the rows of the log and so decide whether memory stays bounded:

- **read**: the log CSV, a batch at a time, as text columns (what `load.build_table` parses);
- **sort**: the (record, principal) pairs, deduplicated, in record order then principal
  order: provision_principals, as long as the log.

Each candidate runs as a fresh process over the same input; wall seconds and peak resident
memory (the kernel's, via RUSAGE_CHILDREN) are printed. Candidates whose module is missing
are reported as skipped.

    python benchmarks/engines.py --csv benchmarks/.cache/n10000000-s5/register/provision_log.csv
    python benchmarks/engines.py --pairs 30000000
"""

from __future__ import annotations

import argparse
import importlib.util
import subprocess
import sys
import tempfile
import time
from pathlib import Path

HEADERS = ["event_id", "provision_id", "provided_on", "principal_ids", "item_ids", "recorded_on"]

# --------------------------------------------------------------------------------------------
# read: every row of the log, a batch at a time, nothing kept
# --------------------------------------------------------------------------------------------

READERS = {
    # what register does (io/stream.py): 16 MiB cut at line ends, polars.read_csv on each
    "chunks+polars": """
import io, sys, polars as pl
n = 0
with open(sys.argv[1], "rb") as fh:
    fh.readline(); carry = b""
    while True:
        data = fh.read(16 * 1024 * 1024)
        chunk = carry + data
        if data:
            cut = chunk.rfind(b"\\n") + 1
            chunk, carry = chunk[:cut], chunk[cut:]
        if chunk:
            n += pl.read_csv(io.BytesIO(chunk), has_header=False, infer_schema=False).height
        if not data:
            break
print(n)
""",
    # polars' streaming engine, batch by batch
    "polars-streaming": """
import sys, polars as pl
lf = pl.scan_csv(sys.argv[1], infer_schema=False)
print(sum(df.height for df in lf.collect_batches(chunk_size=400_000, lazy=True)))
""",
    # DuckDB's reader, as Arrow batches
    "duckdb": """
import sys, duckdb
con = duckdb.connect(config={"memory_limit": "256MB", "threads": 2})
rel = con.sql(f"SELECT * FROM read_csv('{sys.argv[1]}', all_varchar=true)")
n = 0
for b in rel.fetch_record_batch(400_000):
    n += b.num_rows
print(n)
""",
}
READER_MODULES = {"chunks+polars": "polars", "polars-streaming": "polars", "duckdb": "duckdb"}

# --------------------------------------------------------------------------------------------
# sort: N (place, rank) pairs from a file of two uint32 columns → sorted, unique, written
# --------------------------------------------------------------------------------------------

SORTERS = {
    # what register does (logstream.py): bucket by place into files of 8M keys, sort each
    "buckets+numpy": """
import sys, numpy as np
src, out, n = sys.argv[1], sys.argv[2], int(sys.argv[3])
BUCKET, BATCH = 8 * 1024**2, 1_000_000
places = int(np.fromfile(src, dtype=np.uint32, count=1)[0]) or 1
parts = max(1, -(-n // BUCKET))
bounds = np.array([(p * places // parts) << 32 for p in range(parts)], dtype=np.uint64)
names = [f"{out}.b{k}" for k in range(parts)]
for start in range(0, n, BATCH):
    a = np.fromfile(src, dtype=np.uint32, count=2 * min(BATCH, n - start), offset=4 + 8 * start).reshape(-1, 2)
    key = (a[:, 0].astype(np.uint64) << np.uint64(32)) | a[:, 1]
    which = (np.searchsorted(bounds, key, side="right") - 1).astype(np.uint16)
    idx = np.argsort(which, kind="stable"); key, which = key[idx], which[idx]
    cuts = np.concatenate([[0], np.flatnonzero(np.diff(which)) + 1, [key.size]])
    for s, e in zip(cuts[:-1], cuts[1:]):
        with open(names[which[s]], "ab") as fh:
            key[s:e].tofile(fh)
total = 0
with open(out, "wb") as fh:
    for name in names:
        k = np.fromfile(name, dtype=np.uint64); k.sort()
        k = k[np.concatenate([[True], k[1:] != k[:-1]])] if k.size else k
        k.tofile(fh); total += k.size
print(total)
""",
    # polars' streaming engine: sort + unique over the whole file, sunk to a file
    "polars-streaming": """
import sys, numpy as np, polars as pl
src, out, n = sys.argv[1], sys.argv[2], int(sys.argv[3])
a = np.memmap(src, dtype=np.uint32, mode="r", offset=4, shape=(n, 2))
pl.DataFrame({"place": a[:, 0], "rank": a[:, 1]}).write_ipc(out + ".ipc")
del a
lf = pl.scan_ipc(out + ".ipc").unique().sort("place", "rank")
lf.sink_ipc(out)
print(pl.scan_ipc(out).select(pl.len()).collect().item())
""",
    # DuckDB: an out-of-core sort within a memory limit
    "duckdb": """
import sys, numpy as np, duckdb, pyarrow as pa
src, out, n = sys.argv[1], sys.argv[2], int(sys.argv[3])
con = duckdb.connect(config={"memory_limit": "256MB", "threads": 2, "temp_directory": out + ".tmp"})
con.execute("CREATE TABLE pairs (place UINTEGER, rank UINTEGER)")
BATCH = 1_000_000
for start in range(0, n, BATCH):
    a = np.fromfile(src, dtype=np.uint32, count=2 * min(BATCH, n - start), offset=4 + 8 * start).reshape(-1, 2)
    t = pa.table({"place": a[:, 0].copy(), "rank": a[:, 1].copy()})
    con.execute("INSERT INTO pairs SELECT * FROM t")
con.execute(f"COPY (SELECT DISTINCT place, rank FROM pairs ORDER BY place, rank) TO '{out}' (FORMAT parquet)")
print(con.execute(f"SELECT count(*) FROM read_parquet('{out}')").fetchone()[0])
""",
}
SORTER_MODULES = {"buckets+numpy": "numpy", "polars-streaming": "polars", "duckdb": "duckdb"}


def run(code: str, *args: str) -> tuple[float, float, str]:
    """(seconds, peak MiB, last line of stdout) of `python -c code args` as a fresh process."""
    wrapper = (
        "import resource, subprocess, sys; "
        "p = subprocess.run(sys.argv[1:], capture_output=True, text=True); "
        "print(resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss); "
        "print((p.stdout.strip().splitlines() or [''])[-1] if p.returncode == 0 else 'failed: ' + ' '.join(p.stderr.split())[-200:])"
    )
    start = time.perf_counter()
    done = subprocess.run([sys.executable, "-S", "-c", wrapper, sys.executable, "-c", code, *args],
                          capture_output=True, text=True, check=True)
    seconds = time.perf_counter() - start
    kib, result = done.stdout.strip().splitlines()[-2:]
    return seconds, int(kib) / 1024, result


def pairs_file(n: int, folder: Path, seed: int = 5) -> Path:
    """N pairs shaped as the benchmark's: places (records) ascending-ish in runs, ranks
    random among 200,000 principals; a header word holds the number of places."""
    import numpy as np

    path = folder / f"pairs-{n}.u32"
    if path.exists():
        return path
    rng = np.random.default_rng(seed)
    places = max(1, n // 34)  # ~29,000 records a million rows, as the 1M benchmark has
    with open(path, "wb") as fh:
        np.array([places], dtype=np.uint32).tofile(fh)
        for start in range(0, n, 5_000_000):
            k = min(5_000_000, n - start)
            a = np.empty((k, 2), dtype=np.uint32)
            a[:, 0] = rng.integers(0, places, k)
            a[:, 1] = rng.integers(0, 200_000, k)
            a.tofile(fh)
    return path


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--csv", type=Path, help="a provision_log.csv to read")
    ap.add_argument("--pairs", type=int, help="sort this many pairs")
    args = ap.parse_args(argv)
    rows = []
    if args.csv:
        for name, code in READERS.items():
            if importlib.util.find_spec(READER_MODULES[name]) is None:
                rows.append(("read", name, None, None, "skipped: not installed"))
                continue
            s, mib, out = run(code, str(args.csv))
            rows.append(("read", name, s, mib, out))
    if args.pairs:
        with tempfile.TemporaryDirectory(prefix="register-engines-") as tmp:
            src = pairs_file(args.pairs, Path(tmp))
            for name, code in SORTERS.items():
                if importlib.util.find_spec(SORTER_MODULES[name]) is None:
                    rows.append(("sort", name, None, None, "skipped: not installed"))
                    continue
                s, mib, out = run(code, str(src), str(Path(tmp) / f"out-{name}"), str(args.pairs))
                rows.append(("sort", name, s, mib, out))
    print(f"{'job':5} {'engine':17} {'seconds':>8} {'peak MiB':>9}  result")
    for job, name, s, mib, out in rows:
        print(f"{job:5} {name:17} {'-' if s is None else f'{s:8.2f}'} "
              f"{'-' if mib is None else f'{mib:9.0f}'}  {out}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())


