"""Progress on a terminal: a bar with rows and rate on stderr, silent when piped or --quiet.

The commands run as real processes with stderr on a pseudo-terminal (what a user at a shell
has) and stdout on a pipe, so both halves of the promise are seen as a user would see them.
"""

from __future__ import annotations

import os
import pty
import re
import subprocess
import sys
from pathlib import Path

import pytest

from .conftest import ROOT

sys.path.insert(0, str(ROOT / "benchmarks"))
import generate  # noqa: E402

REGISTER = [sys.executable, "-m", "register.cli"]


@pytest.fixture(scope="module")
def big(tmp_path_factory) -> Path:
    out = tmp_path_factory.mktemp("big") / "register"
    generate.generate(out, 20_000)
    return out


def _run(args: list[str], tty: bool) -> tuple[int, str, str]:
    """(exit code, stdout, stderr) with stderr on a terminal when `tty`."""
    if not tty:
        p = subprocess.run([*REGISTER, *args], capture_output=True, text=True, cwd=ROOT)
        return p.returncode, p.stdout, p.stderr
    master, slave = pty.openpty()
    proc = subprocess.Popen(
        [*REGISTER, *args], stdout=subprocess.PIPE, stderr=slave, cwd=ROOT,
        env={**os.environ, "COLUMNS": "100"},
    )
    os.close(slave)
    chunks = []
    while True:
        try:
            data = os.read(master, 65536)
        except OSError:  # the child closed the terminal
            break
        if not data:
            break
        chunks.append(data)
    out = proc.stdout.read().decode()
    proc.wait()
    os.close(master)
    return proc.returncode, out, b"".join(chunks).decode(errors="replace")


def test_a_terminal_sees_bars_with_rows_and_rate(big, tmp_path):
    code, out, err = _run(["records", str(big), "--out", str(tmp_path / "o"), "--format", "csv",
                           "--as-of", "2026-11-21"], tty=True)
    assert code == 0
    for stage in ("Reading", "Parsing", "Checking", "Writing"):
        assert stage in err
    # rows counted in thousands (the log's 20,000 and the principals), with their rate
    assert re.search(r"Reading: [\d.]+k rows \[[^\]]*[\d.]+k? rows/s", err), err
    # stdout is only what the command prints: the files written
    assert out.split() == [str(tmp_path / "o" / f"{t}.csv") for t in (
        "provision_records", "provision_principals", "confirmation_records",
        "confirmation_principals", "exempt_flows")]


def test_quiet_and_pipes_get_no_progress(big, tmp_path):
    code, out, err = _run(["records", str(big), "--out", str(tmp_path / "q"), "--format", "csv",
                           "--as-of", "2026-11-21", "--quiet"], tty=True)
    assert code == 0 and "Reading" not in err and "rows/s" not in err
    code, out, err = _run(["check", str(big), "--as-of", "2026-11-21"], tty=False)
    assert "Reading" not in err and "\r" not in err and "rows/s" not in err
