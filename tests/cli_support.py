"""What every "bad input or bad output path" test asserts: one line, exit 2, nothing else."""

from __future__ import annotations


def assert_refused(result, shown: str, *phrases: str) -> str:
    """Exit 2, nothing on stdout, one line on stderr naming the file: no traceback."""
    assert result.exit_code == 2, (result.exit_code, result.stdout, result.stderr)
    assert result.stdout == ""
    err = result.stderr
    assert err.endswith("\n") and err.count("\n") == 1, err
    assert err.startswith(f"register: error: {shown}: "), err
    assert "Traceback" not in err and "internal error" not in err
    for p in phrases:
        assert p in err, err
    return err
