"""Writing outputs so that a failure or a kill never leaves a half-written file.

Everything is written to a temporary sibling and renamed into place (an atomic replace on the
same file system). A CSV folder is built as a temporary sibling folder and swapped in whole.
"""

from __future__ import annotations

import contextlib
import os
import shutil
import tempfile
from collections.abc import Iterable, Iterator
from pathlib import Path

from ..model import InputError


class OutputError(InputError):
    """An output cannot be written (exit 2, one line)."""


def refuse_overwriting_inputs(outputs: Iterable[str | Path], inputs: Iterable[str | Path]) -> None:
    """An output path equal to (or inside) an input is refused: inputs are never overwritten."""
    ins = [Path(p).resolve() for p in inputs]
    for out in outputs:
        o = Path(out).resolve()
        for i in ins:
            if o == i or (i.is_dir() and i in o.parents) or (o.is_dir() and o in i.parents):
                raise OutputError(str(out), f"is an input of this command ({i.name}); choose another output")


@contextlib.contextmanager
def atomic_file(path: str | Path) -> Iterator[Path]:
    """Yield a temporary path beside `path`; on success rename it onto `path`."""
    target = Path(path)
    parent = target.parent if str(target.parent) else Path(".")
    if not parent.is_dir():
        raise OutputError(str(path), f"cannot be written: the folder {parent} does not exist")
    if target.is_dir():
        raise OutputError(str(path), "is a folder; give a file name")
    try:
        fd, tmp = tempfile.mkstemp(prefix=f".{target.name}.", suffix=".tmp", dir=parent)
    except OSError as exc:
        raise OutputError(str(path), f"cannot be written ({exc.strerror})") from None
    os.close(fd)
    tmp_path = Path(tmp)
    try:
        yield tmp_path
        os.chmod(tmp_path, 0o644)
        os.replace(tmp_path, target)
    except OSError as exc:
        tmp_path.unlink(missing_ok=True)
        raise OutputError(str(path), f"cannot be written ({exc.strerror or exc})") from None
    except BaseException:
        tmp_path.unlink(missing_ok=True)
        raise


@contextlib.contextmanager
def atomic_dir(path: str | Path) -> Iterator[Path]:
    """Yield a temporary folder beside `path`; on success it replaces `path` as a whole."""
    target = Path(path)
    parent = target.parent if str(target.parent) else Path(".")
    if not parent.is_dir():
        raise OutputError(str(path), f"cannot be written: the folder {parent} does not exist")
    if target.exists() and not target.is_dir():
        raise OutputError(str(path), "exists and is not a folder")
    try:
        tmp = Path(tempfile.mkdtemp(prefix=f".{target.name}.", suffix=".tmp", dir=parent))
    except OSError as exc:
        raise OutputError(str(path), f"cannot be written ({exc.strerror})") from None
    try:
        yield tmp
        os.chmod(tmp, 0o755)
        if target.exists():
            old = Path(tempfile.mkdtemp(prefix=f".{target.name}.", suffix=".old", dir=parent))
            old.rmdir()
            os.replace(target, old)
            os.replace(tmp, target)
            shutil.rmtree(old, ignore_errors=True)
        else:
            os.replace(tmp, target)
    except OSError as exc:
        shutil.rmtree(tmp, ignore_errors=True)
        raise OutputError(str(path), f"cannot be written ({exc.strerror or exc})") from None
    except BaseException:
        shutil.rmtree(tmp, ignore_errors=True)
        raise
