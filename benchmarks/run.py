"""`make bench`: time the commands as whole processes against the floor of this machine.

For each size N (provision_log rows) a synthetic register is generated (or reused from
`benchmarks/.cache/`), then each stage runs as a fresh process and is timed from spawn to exit,
with its peak resident memory taken from the kernel (`os.wait4` gives the child's own rusage,
so no `/usr/bin/time` output has to be parsed):

- floor: the fastest whole process this machine runs that reads the same log CSV and writes it
  back (polars `read_csv` + `write_csv`); the `register` stages are reported as ratios to it;
- register check / records --format csv|json|xlsx / disclose (one principal);
- xlsx candidates: the fastest xlsx writers on PyPI writing the same rows as `records`
  (`xlsx_writers.py`); `records --format xlsx` is reported as a ratio to the fastest of them.

Ratios, not seconds, are what to compare across runs: the machines are noisy (±15–30 %).
A stage whose command fails is reported as failed with its stderr's last line.

    python benchmarks/run.py [--sizes 10000,100000,1000000,10000000,30000000] [--repeat K] [--stages ...]
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import platform
import shutil
import statistics
import subprocess
import sys
import time
from dataclasses import asdict, dataclass, field
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

import generate  # noqa: E402  (the sibling module, found through the path set just above)
import xlsx_writers  # noqa: E402

CACHE = HERE / ".cache"
RESULTS = HERE / "results"
# 10M and 30M: a long log, read in batches (io/stream.py); generated on demand into .cache/
# (a 30M log is 1.3 GB of CSV and takes about half a minute to write). Not run in CI.
DEFAULT_SIZES = (10_000, 100_000, 1_000_000, 10_000_000, 30_000_000)
TARGET_AT = 1_000_000  # the targets are stated at a million log rows and above
# Peak memory: the stages that stream a long log stay under 1 GiB whatever its length
# (issue 18); an xlsx workbook is written whole (and holds 1,048,575 rows a sheet).
MEMORY_LIMIT_MIB = 1024
XLSX_MEMORY_LIMIT_MIB = 2048
DISCLOSE_LIMIT_S = 2.0
# Past this many rows the xlsx stages are not run: a workbook of tens of sheets is no
# bounded-memory output, and its baseline alone takes minutes.
XLSX_UP_TO = 1_000_000

TIME = "/usr/bin/time"
# Used only without /usr/bin/time: run argv[2:], write its peak RSS (KiB) to argv[1], pass on
# its exit code. -S keeps this wrapper small, so the child's inherited RSS stays small too.
RSS_WRAPPER = (
    "import resource, subprocess, sys; "
    "c = subprocess.call(sys.argv[2:]); "
    "open(sys.argv[1], 'w').write(str(resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss)); "
    "sys.exit(c)"
)
FLOOR_SCRIPT = (
    "import sys, polars as pl; "
    "pl.read_csv(sys.argv[1], infer_schema=False).write_csv(sys.argv[2], include_bom=True)"
)

# (stage, target ratio, what the ratio is taken against); None = reported, no target
TARGETS: dict[str, tuple[float | None, str | None]] = {
    "floor": (None, None),
    "check": (2.5, "floor"),
    "records-csv": (2.5, "floor"),
    "records-json": (None, "floor"),
    "records-xlsx": (1.5, "xlsx-best"),
    "disclose": (None, "floor"),  # its target is absolute: under 2 s at 1M rows
}
# Targets that change with the size: (from rows, ratio). records --format csv: 2.5 × the
# floor at 1M rows, 3 × at 10M (issue 18); check: 2.5 × at 1M, none stated above it.
TARGETS_BY_SIZE: dict[str, tuple[tuple[int, float | None], ...]] = {
    "records-csv": ((1_000_000, 2.5), (10_000_000, 3.0), (30_000_000, None)),
    "check": ((1_000_000, 2.5), (10_000_000, None)),
    "disclose": ((1_000_000, None),),
}
REGISTER_STAGES = ("check", "records-csv", "records-json", "records-xlsx", "disclose")
ALL_STAGES = ("floor", *REGISTER_STAGES, "xlsx")


@dataclass
class Run:
    """One timed process."""

    seconds: float
    peak_mib: float
    exit_code: int
    error: str | None = None


@dataclass
class Result:
    """One stage at one size: the median of its runs and how it compares."""

    stage: str
    rows: int
    seconds: float | None
    rows_per_s: float | None
    peak_mib: float | None
    ratio: float | None = None
    ratio_to: str | None = None
    target: str | None = None
    passed: bool | None = None
    target_applies: bool = False
    error: str | None = None
    runs: list[float] = field(default_factory=list)


def timed(cmd: list[str], *, stdout: Path | None = None, ok: tuple[int, ...] = (0,)) -> Run:
    """Run cmd as a fresh process; wall seconds and its peak RSS.

    Peak RSS comes from `/usr/bin/time` where present, else from a minimal Python wrapper's
    RUSAGE_CHILDREN. Not from this process's own os.wait4: on Linux a child's ru_maxrss
    starts at the RSS of the process that forked it, and this one holds polars and numpy.
    """
    err_path = CACHE / "last-stderr.txt"
    rss_path = CACHE / "last-rss.txt"
    rss_path.unlink(missing_ok=True)
    if Path(TIME).exists():
        wrapped = [TIME, "-f", "%M", "-o", str(rss_path), *cmd]
    else:
        wrapped = [sys.executable, "-S", "-c", RSS_WRAPPER, str(rss_path), *cmd]
    with open(err_path, "wb") as err, open(stdout or os.devnull, "wb") as out:
        start = time.perf_counter()
        code = subprocess.call(wrapped, stdout=out, stderr=err, stdin=subprocess.DEVNULL)
        seconds = time.perf_counter() - start
    try:  # the last line is the figure; GNU time writes "Command exited with ..." above it
        kib = int(rss_path.read_text(encoding="utf-8").split()[-1])
    except (OSError, ValueError, IndexError):
        kib = 0
    error = None
    if code not in ok:
        lines = [x for x in err_path.read_text(encoding="utf-8", errors="replace").splitlines() if x.strip()]
        error = lines[-1].strip() if lines else f"exit {code}"
    return Run(seconds=seconds, peak_mib=kib / 1024, exit_code=code, error=error)


def register_command() -> list[str]:
    """The `register` console script of this interpreter's environment."""
    script = Path(sys.executable).parent / "register"
    if script.exists():
        return [str(script)]
    found = shutil.which("register")
    if found:
        return [found]
    return [sys.executable, "-c", "from register.cli import main; main()"]


def stage_commands(folder: Path, m: generate.Manifest, out: Path) -> dict[str, tuple[list[str], Path | None, tuple[int, ...]]]:
    """stage → (command, stdout file, exit codes that mean success)."""
    reg = register_command()
    common = ["--as-of", m.as_of, "--quiet"]
    log = folder / "provision_log.csv"
    return {
        "floor": ([sys.executable, "-c", FLOOR_SCRIPT, str(log), str(out / "floor.csv")], None, (0,)),
        # check exits 1 when it finds errors: that is still a finished run
        "check": ([*reg, "check", str(folder), "--format", "json", *common], out / "check.json", (0, 1)),
        "records-csv": ([*reg, "records", str(folder), "--out", str(out / "records-csv"), "--format", "csv", *common], None, (0,)),
        "records-json": ([*reg, "records", str(folder), "--out", str(out / "records-json"), "--format", "json", *common], None, (0,)),
        "records-xlsx": ([*reg, "records", str(folder), "--out", str(out / "records-xlsx"), "--format", "xlsx", *common], None, (0,)),
        "disclose": ([*reg, "disclose", str(folder), "--principal", m.disclose_principal, "--out", str(out / "disclose.json"), *common], None, (0,)),
    }


def _installed(module: str) -> bool:
    import importlib.util

    return importlib.util.find_spec(module) is not None


def xlsx_sources(folder: Path, out: Path) -> tuple[list[Path], str]:
    """The rows the xlsx candidates write: the CSV records if `records` made them, else the log."""
    rec = out / "records-csv"
    files = sorted(rec.glob("*.csv")) if rec.is_dir() else []
    if files:
        return files, "the records tables written by `records --format csv`"
    return [folder / "provision_log.csv"], "the provision log (records --format csv did not run)"


def measure(stage: str, rows: int, cmd: list[str], stdout: Path | None, ok: tuple[int, ...], repeat: int) -> Result:
    """Median seconds and max peak memory over `repeat` runs (stop at the first failure)."""
    runs: list[Run] = []
    for _ in range(repeat):
        r = timed(cmd, stdout=stdout, ok=ok)
        runs.append(r)
        if r.error:
            return Result(stage, rows, None, None, r.peak_mib, error=r.error, runs=[r.seconds])
    sec = statistics.median(r.seconds for r in runs)
    return Result(
        stage, rows, sec, rows / sec if sec else None, max(r.peak_mib for r in runs),
        runs=[round(r.seconds, 3) for r in runs],
    )


def judge(results: dict[str, Result], rows: int) -> None:
    """Fill ratio, target and pass/fail for the stages of one size."""
    floor = results.get("floor")
    xlsx = [r for k, r in results.items() if k.startswith("xlsx:") and r.seconds]
    best = min(xlsx, key=lambda r: r.seconds) if xlsx else None
    for name, r in results.items():
        r.target_applies = rows >= TARGET_AT
        if r.seconds is None:
            continue
        target, against = TARGETS.get(name, (None, None))
        for at, ratio in TARGETS_BY_SIZE.get(name, ()):
            if rows >= at:
                target = ratio
        if name.startswith("xlsx:") and best is not None:
            r.ratio, r.ratio_to = r.seconds / best.seconds, f"xlsx-best ({best.stage[5:]})"
        elif against == "floor" and floor is not None and floor.seconds:
            r.ratio, r.ratio_to = r.seconds / floor.seconds, "floor"
        elif against == "xlsx-best" and best is not None:
            r.ratio, r.ratio_to = r.seconds / best.seconds, f"xlsx-best ({best.stage[5:]})"
        checks: list[bool] = []
        texts: list[str] = []
        if target is not None and r.ratio is not None:
            checks.append(r.ratio <= target)
            texts.append(f"≤{target:g}×")
        if name == "disclose" and rows <= TARGET_AT:
            checks.append(r.seconds < DISCLOSE_LIMIT_S)
            texts.append(f"<{DISCLOSE_LIMIT_S:g}s")
        if name in REGISTER_STAGES and r.peak_mib is not None:
            limit = XLSX_MEMORY_LIMIT_MIB if name == "records-xlsx" else MEMORY_LIMIT_MIB
            checks.append(r.peak_mib < limit)
            texts.append(f"<{limit}MiB")
        if checks:
            r.target = ", ".join(texts)
            r.passed = all(checks)


def run_size(rows: int, repeat: int, stages: set[str], seed: int) -> tuple[dict[str, Result], dict]:
    """Generate (or reuse) the register for `rows` and time every selected stage."""
    t0 = time.perf_counter()
    folder, m = generate.ensure(CACHE, rows, seed)
    gen_s = time.perf_counter() - t0
    out = folder.parent / "out"
    out.mkdir(exist_ok=True)
    cmds = stage_commands(folder, m, out)
    results: dict[str, Result] = {}
    load_before = os.getloadavg()[0]
    skipped = {"records-xlsx", "xlsx"} if rows > XLSX_UP_TO else set()
    for name in ("floor", *REGISTER_STAGES):
        if name not in stages or name in skipped:
            continue
        print(f"  {rows:>9,} {name} ...", file=sys.stderr, flush=True)
        cmd, stdout, ok = cmds[name]
        results[name] = measure(name, rows, cmd, stdout, ok, repeat)
    if "floor" in stages and results["floor"].seconds is not None and len(results) > 1:
        # the floor again after the stages: the machine's load drifts, so the ratio's
        # denominator is the median of runs taken before and after what it divides
        cmd, stdout, ok = cmds["floor"]
        again = measure("floor", rows, cmd, stdout, ok, repeat)
        if again.seconds is not None:
            f = results["floor"]
            f.runs += again.runs
            f.seconds = statistics.median(f.runs)
            f.rows_per_s = rows / f.seconds
            f.peak_mib = max(f.peak_mib or 0, again.peak_mib or 0)
    info: dict = {
        "generate_seconds": round(gen_s, 3),
        "manifest": asdict(m),
        "load_average_before": round(load_before, 2),
        "load_average_after_register_stages": round(os.getloadavg()[0], 2),
    }
    if "check" in results and results["check"].seconds is not None:
        info["check_summary"] = _check_summary(out / "check.json")
    if skipped & stages:
        info["skipped"] = f"xlsx stages past {XLSX_UP_TO:,} rows"
    if "xlsx" in stages and "xlsx" not in skipped:
        sources, what = xlsx_sources(folder, out)
        info["xlsx_rows_from"] = what
        info["xlsx_sources"] = [p.name for p in sources]
        for cand, module in xlsx_writers.MODULES.items():
            key = f"xlsx:{cand}"
            if not _installed(module):
                results[key] = Result(key, rows, None, None, None, error=f"{module} not installed")
                continue
            print(f"  {rows:>9,} {key} ...", file=sys.stderr, flush=True)
            cmd = [sys.executable, str(HERE / "xlsx_writers.py"), cand, str(out / f"{cand}.xlsx"), *map(str, sources)]
            results[key] = measure(key, rows, cmd, None, (0,), repeat)
    judge(results, rows)
    return results, info


def _check_summary(path: Path) -> dict | str:
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
        return data.get("summary", {})
    except (OSError, ValueError) as exc:
        return f"unreadable: {exc}"


def _fmt(v: float | None, spec: str) -> str:
    return "-" if v is None else format(v, spec)


def table(results: list[Result]) -> str:
    """The results as a plain-text table."""
    head = ("stage", "N", "seconds", "rows/s", "peak MiB", "ratio", "to", "target", "result")
    lines = []
    for r in results:
        if r.error:
            verdict = f"failed: {r.error}"
        elif r.passed is None:
            verdict = ""
        elif r.target_applies:
            verdict = "pass" if r.passed else "FAIL"
        else:  # the targets are stated at 1M rows; below it startup dominates
            verdict = "(pass)" if r.passed else "(fail)"
        lines.append((
            r.stage, f"{r.rows:,}", _fmt(r.seconds, ".2f"), _fmt(r.rows_per_s, ",.0f"),
            _fmt(r.peak_mib, ".0f"), _fmt(r.ratio, ".2f"), r.ratio_to or "", r.target or "", verdict,
        ))
    widths = [max(len(str(x)) for x in col) for col in zip(head, *lines, strict=True)]
    fmt_row = "  ".join(f"{{:<{w}}}" for w in widths[:-1]) + "  {}"
    out = [fmt_row.format(*head), fmt_row.format(*("-" * w for w in widths))]
    out += [fmt_row.format(*row) for row in lines]
    return "\n".join(out)


def memory_table(results: list[Result]) -> str:
    """Peak MiB of each stage at each size: how memory grows with the log."""
    sizes = sorted({r.rows for r in results})
    stages = list(dict.fromkeys(r.stage for r in results))
    peak = {(r.stage, r.rows): r.peak_mib for r in results if r.peak_mib}
    head = ["stage", *(f"{n:,}" for n in sizes)]
    rows = [[st, *(_fmt(peak.get((st, n)), ".0f") for n in sizes)] for st in stages]
    widths = [max(len(x) for x in col) for col in zip(head, *rows, strict=True)]
    return "\n".join("  ".join(x.ljust(w) for x, w in zip(row, widths, strict=True))
                     for row in [head, ["-" * w for w in widths], *rows])


def machine() -> dict:
    """What ran the benchmark (ratios travel between machines; seconds do not)."""
    import polars

    return {
        "cpus": os.cpu_count(),
        "python": platform.python_version(),
        "polars": polars.__version__,
        "platform": platform.platform(),
    }


def byte_compile() -> None:
    """Compile register's modules before timing, as pip does for an installed package.

    An editable install is not compiled, and where PYTHONDONTWRITEBYTECODE is set (this
    workplace's machines) nothing caches the bytecode, so every process would compile some 50
    modules again (~0.1 s): a cost of the checkout, not of the program.
    """
    subprocess.run([sys.executable, "-m", "compileall", "-q", str(HERE.parent / "register")],
                   check=True)


def main(argv: list[str] | None = None) -> int:
    """Run the benchmark; print the table; write results/latest.json."""
    ap = argparse.ArgumentParser(description="Time register's commands against this machine's floor.")
    ap.add_argument("--sizes", default=",".join(map(str, DEFAULT_SIZES)),
                    help="comma-separated provision_log row counts (default: %(default)s)")
    ap.add_argument("--repeat", type=int, default=None,
                    help="runs per stage, median reported (default: 3 up to 1M rows, else 1)")
    ap.add_argument("--stages", default=",".join(ALL_STAGES),
                    help="comma-separated subset of: " + ",".join(ALL_STAGES))
    ap.add_argument("--seed", type=int, default=generate.SEED)
    ap.add_argument("--out", type=Path, default=RESULTS / "latest.json", help="results JSON")
    ap.add_argument("--strict", action="store_true", help="exit 1 when a target at 1M rows fails")
    args = ap.parse_args(argv)
    try:
        sizes = [int(s.replace("_", "")) for s in args.sizes.split(",") if s.strip()]
    except ValueError:
        ap.error("--sizes takes whole numbers separated by commas")
    stages = {s.strip() for s in args.stages.split(",") if s.strip()}
    unknown = stages - set(ALL_STAGES)
    if unknown:
        ap.error(f"unknown stages: {', '.join(sorted(unknown))}")
    if "records-xlsx" in stages:
        stages.add("xlsx")  # its ratio needs the baseline
    CACHE.mkdir(parents=True, exist_ok=True)
    byte_compile()
    all_results: list[Result] = []
    infos: dict[str, dict] = {}
    for n in sizes:
        # three runs up to 1M rows, where a run takes seconds and the targets are tight (a single
        # run there is sometimes a third slower than the next); one above
        repeat = args.repeat or (3 if n <= TARGET_AT else 1)
        results, info = run_size(n, repeat, stages, args.seed)
        info["repeat"] = repeat
        infos[str(n)] = info
        all_results += results.values()
        print(table(list(results.values())), flush=True)
        busy = max(info["load_average_before"], info["load_average_after_register_stages"])
        if busy > (os.cpu_count() or 1):
            print(f"note: load average {busy:.1f} on {os.cpu_count()} cores: other work was "
                  "running; these figures are noisy", flush=True)
        print(flush=True)
    print("All sizes:")
    print(table(all_results))
    print("\nPeak memory (MiB) by log rows:")
    print(memory_table(all_results))
    args.out.parent.mkdir(parents=True, exist_ok=True)
    doc = {
        "when": dt.datetime.now(dt.UTC).isoformat(timespec="seconds"),
        "command": "python benchmarks/run.py " + " ".join(argv if argv is not None else sys.argv[1:]),
        "machine": machine(),
        "floor": "polars read_csv(infer_schema=False) + write_csv(include_bom=True) of provision_log.csv, whole process",
        "sizes": infos,
        "results": [asdict(r) for r in all_results],
    }
    args.out.write_text(json.dumps(doc, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")
    print(f"\nwritten: {args.out}")
    failed = [r for r in all_results if r.target_applies and r.passed is False]
    return 1 if args.strict and failed else 0


if __name__ == "__main__":
    raise SystemExit(main())
