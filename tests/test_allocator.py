"""The CLI's allocator settings (register/cli.py, docs/performance.md, Memory) reach polars'
jemalloc however the process was started, and a setting of the user's own still wins."""

from __future__ import annotations

import os
import subprocess
import sys

import pytest

from register.cli import JEMALLOC

# What jemalloc is given in a process that imported the CLI (polars prefixes its defaults).
SHOW = "import os, register.cli; print(os.environ['_RJEM_MALLOC_CONF'])"


def _conf(parent_imports_polars: bool, users: str | None) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if k != "_RJEM_MALLOC_CONF"}
    if users is not None:
        env["_RJEM_MALLOC_CONF"] = users
    code = SHOW
    if parent_imports_polars:  # the CLI started by a script that imported polars first
        code = ("import polars, subprocess, sys; "
                f"sys.exit(subprocess.call([sys.executable, '-c', {SHOW!r}]))")
    out = subprocess.run([sys.executable, "-c", code], env=env, capture_output=True, text=True,
                         check=True).stdout.strip()
    settings: dict[str, str] = {}
    for pair in out.split(","):  # jemalloc reads the pairs in order: the last one of a key wins
        key, _, value = pair.partition(":")
        settings[key] = value
    return settings


@pytest.mark.parametrize("parent_imports_polars", [False, True])
def test_the_cli_settings_reach_jemalloc(parent_imports_polars):
    got = _conf(parent_imports_polars, None)
    for pair in JEMALLOC.split(","):
        key, _, value = pair.partition(":")
        assert got[key] == value, key


@pytest.mark.parametrize("parent_imports_polars", [False, True])
def test_a_users_own_setting_wins(parent_imports_polars):
    got = _conf(parent_imports_polars, "narenas:4,dirty_decay_ms:0")
    assert got["narenas"] == "4" and got["dirty_decay_ms"] == "0"
    assert got["oversize_threshold"] == "0"  # the others are the CLI's
