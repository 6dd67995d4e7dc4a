"""Where a command's memory goes: run `register` in this process and sample, every 50 ms, its
resident set and the innermost frames of `register/` the main thread is in.

    python benchmarks/memtrace.py records benchmarks/.cache/n30000000-s5/register \
        --out /tmp/out --format csv --as-of 2026-06-30 --quiet

prints a line each time the resident set passes its last high by 25 MiB (seconds, MiB, where),
then the peak. This is how the peaks docs/performance.md names were found (the sampler's own
cost is a few MiB; the peak it sees can miss a spike shorter than 50 ms, which
/usr/bin/time -f %M does not).
"""

from __future__ import annotations

import os
import sys
import threading
import time

STEP_MIB = 25
EVERY_S = 0.05


def rss_mib() -> int:
    with open("/proc/self/statm") as fh:
        return int(fh.read().split()[1]) * os.sysconf("SC_PAGE_SIZE") // 2**20


def where(frame) -> list[str]:
    out = []
    while frame is not None:
        name = frame.f_code.co_filename
        if "/register/" in name:
            out.append(f"{name.split('/register/')[-1]}:{frame.f_code.co_name}:{frame.f_lineno}")
        frame = frame.f_back
    return out[:4]


def main() -> None:
    samples: list[tuple[float, int, list[str]]] = []
    main_id = threading.get_ident()
    t0 = time.perf_counter()

    def sample() -> None:
        while True:
            samples.append((time.perf_counter() - t0, rss_mib(),
                            where(sys._current_frames().get(main_id))))
            time.sleep(EVERY_S)

    threading.Thread(target=sample, daemon=True).start()
    from register.cli import main as cli  # (sets polars' allocator options first, as the CLI)

    try:
        cli(sys.argv[1:], standalone_mode=False)
    except SystemExit:
        pass
    finally:
        high = 0
        for t, mib, at in list(samples):
            if mib > high + STEP_MIB:
                high = mib
                print(f"{t:7.2f}s {mib:6,} MiB  {' < '.join(at)}", file=sys.stderr)
        if samples:
            t, mib, at = max(samples, key=lambda s: s[1])
            print(f"peak {mib:,} MiB at {t:.2f}s  {' < '.join(at)}", file=sys.stderr)


if __name__ == "__main__":
    main()
