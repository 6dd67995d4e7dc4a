"""Writing outputs so that a failure, a full disk or a kill never leaves a half-written file.

Every output is built in a private scratch folder beside it (`.<name>.<random>.tmp/`, on the
same file system) and renamed into place only when complete. Everything a writer needs to
park on disk goes into that scratch folder too: XlsxWriter's `tmpdir` and rust_xlsxwriter's
temporary files (`scratch_tmpdir`), so nothing holding the register's data is ever left in
the system temp folder, and removing the scratch folder removes it all. The scratch folder is
removed on success, on any error and on SIGINT / SIGTERM (the CLI turns both into an
exception); the renames and the clean-up run with those signals held back, so a signal can
never land between them. Only SIGKILL or a power cut can leave a `.tmp` folder behind.

Files inside the scratch folder have plain ASCII names, so a writer written in Rust (polars,
rust_xlsxwriter) never has to encode the user's file name, whatever bytes it holds.

A CSV folder is built as a folder in the scratch folder and swapped in whole. An existing
folder is replaced only when it holds nothing but table files (`table_files_only`): a folder
with anything else in it — a thesis, a sub-folder — is refused, untouched.

Only failures of the output itself become `OutputError` ("cannot be written"): an OSError
about the scratch folder or the target, or one that names no file and is a writing error
(disk full, quota, I/O error, read-only file system). Anything else raised inside the block
(a package file missing, a bug) surfaces as itself.
"""

from __future__ import annotations

import contextlib
import errno
import os
import re
import shutil
import signal
import tempfile
import threading
from collections.abc import Callable, Iterable, Iterator, Sequence
from pathlib import Path
from typing import Any, TypeVar

from ..model import InputError

T = TypeVar("T")

# errno values that mean "the output could not be written" even when the error names no file
# (a write() or close() on a full disk reports no file name).
WRITE_ERRNOS = frozenset(
    e for e in (
        errno.ENOSPC, getattr(errno, "EDQUOT", None), errno.EFBIG, errno.EIO, errno.EROFS,
    ) if e is not None
)
# Signals the CLI turns into an exception; held back while renaming and cleaning up.
DEFERRED_SIGNALS = tuple(
    s for s in (signal.SIGINT, getattr(signal, "SIGTERM", None), getattr(signal, "SIGHUP", None))
    if s is not None
)
# What a table folder may hold besides tables: files the operating system drops into any
# folder a file browser opens. They are replaced with the folder.
OS_LITTER = frozenset({".ds_store", "thumbs.db", "desktop.ini"})
TABLE_SUFFIXES = (".csv", ".parquet")


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


# --------------------------------------------------------------------------------------------
# Signals
# --------------------------------------------------------------------------------------------


@contextlib.contextmanager
def signals_deferred(commit: bool = False) -> Iterator[None]:
    """Hold SIGINT / SIGTERM / SIGHUP back for the block (renames, clean-up): a signal that
    arrives meanwhile is delivered right after it, never in the middle. A `commit` (outputs
    renamed into place) inside a command (`held_after_commit`) holds them until the command
    ends: once its outputs are in place, a signal must not make it say nothing was written.

    Two levels, because a process-wide signal goes to any thread that does not block it (and
    polars' threads do not): the main thread's mask keeps a signal sent to it pending, and the
    CLI's handlers, which Python runs on the main thread whichever thread the signal reached,
    ask `deferring()` and only note the signal (`defer`) while a block runs."""
    global _DEPTH
    if threading.current_thread() is not threading.main_thread():
        yield
        return
    old = signal.pthread_sigmask(signal.SIG_BLOCK, DEFERRED_SIGNALS) if _MASKS else None
    _DEPTH += 1
    done = False
    try:
        yield
        done = True
    finally:
        _DEPTH -= 1
        if done and commit and _HELD:
            _HELD[-1] = True
        if old is not None:
            signal.pthread_sigmask(signal.SIG_SETMASK, old)  # (the handler may defer it now)
        if _PENDING and not deferring():
            signum = _PENDING[0]
            _PENDING.clear()
            signal.raise_signal(signum)  # delivered now: the CLI's handler raises


_MASKS = hasattr(signal, "pthread_sigmask")
_DEPTH = 0  # signals_deferred blocks running
_PENDING: list[int] = []  # signals noted while deferring, in order
# One entry per command running (cli.guarded): whether it has committed an output.
_HELD: list[bool] = []


def deferring() -> bool:
    """Whether a signal must wait: a rename or clean-up runs, or the command's outputs are
    in place (`held_after_commit`)."""
    return _DEPTH > 0 or (bool(_HELD) and _HELD[-1])


def defer(signum: int) -> None:
    """Note a signal that arrived while `deferring()`: delivered when the block ends, or
    dropped when the command ends with its outputs in place."""
    _PENDING.append(signum)


@contextlib.contextmanager
def held_after_commit() -> Iterator[None]:
    """For a command's duration: from its first commit on, SIGINT / SIGTERM / SIGHUP wait
    until it ends, and one that arrived meanwhile is then dropped. The outputs are complete by
    then and all that is left is saying where they are: the command ends as it would have
    (exit 0), rather than "interrupted; no output was written or changed" with its outputs
    in place (seen in CI when SIGTERM came during the renames of `convert`)."""
    _HELD.append(False)
    try:
        yield
    finally:
        committed = _HELD.pop()
        if committed and not deferring():
            _PENDING.clear()


_abandoned: list[threading.Thread] = []


def abandoned_writer() -> bool:
    """True when an interrupt abandoned a writer thread in compiled code: the process must
    then end with os._exit once its clean-up is done. Also when the thread has just ended:
    the objects it left behind can still crash the interpreter's shutdown (SIGABRT, seen
    under load), and there is nothing left for a normal shutdown to do."""
    return bool(_abandoned)


def interruptible(fn: Callable[[], T]) -> T:
    """Run `fn` (a long call into compiled code, which Python cannot interrupt) on a helper
    thread while the main thread waits in short steps, so that SIGINT / SIGTERM are handled
    within a fraction of a second. On an interrupt the helper is abandoned (`abandoned_writer`):
    it writes only into a scratch folder that the caller's clean-up removes.

    A Rust panic (pyo3's PanicException, which is no Exception) comes back as the OSError it
    reports (`Os { code: 28 … }`: a full disk) or as a RuntimeError; Rust's own panic report
    on stderr is kept off the terminal (unless REGISTER_DEBUG is set), so a failure stays one
    line.
    """
    if threading.current_thread() is not threading.main_thread():
        return _unpanicked(fn)
    with _stderr_quiet():
        return _interruptible(fn)  # (beside undoes a panic)


def _unpanicked(fn: Callable[[], T]) -> T:
    try:
        return fn()
    except BaseException as exc:
        if type(exc).__name__ != "PanicException":
            raise
        message = str(exc)
        code = re.search(r"\bOs \{ code: (\d+)", message)
        if code:
            n = int(code.group(1))
            raise OSError(n, os.strerror(n)) from None
        raise RuntimeError(f"the xlsx writer failed: {message}") from None


@contextlib.contextmanager
def _stderr_quiet() -> Iterator[None]:
    """File descriptor 2 points at /dev/null for the block (compiled code printing there)."""
    if os.environ.get("REGISTER_DEBUG"):
        yield
        return
    try:
        saved = os.dup(2)
    except OSError:
        yield
        return
    try:
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, 2)
        os.close(devnull)
        yield
    finally:
        os.dup2(saved, 2)
        os.close(saved)


def _interruptible(fn: Callable[[], T]) -> T:
    with beside(fn) as wait:
        return wait()


@contextlib.contextmanager
def beside(fn: Callable[[], T]) -> Iterator[Callable[[], T]]:
    """Start `fn` (a writer into the scratch folder) on a helper thread and go on; yield
    `wait`, which waits for it in short steps (SIGINT / SIGTERM are handled meanwhile) and
    returns its value or raises its error. Whatever ends the block before `fn` has ended (an
    interrupt, the caller's own error) abandons the helper, as `interruptible` does: the
    caller's clean-up removes what it wrote, and the CLI ends the process at once."""
    box: dict[str, Any] = {}

    def run() -> None:
        try:
            box["value"] = _unpanicked(fn)
        except BaseException as exc:  # handed to the waiting thread, never printed here
            box["error"] = exc
        finally:
            box["ended"] = True

    worker = threading.Thread(target=run, name="register-writer", daemon=True)
    worker.start()

    def wait() -> T:
        while worker.is_alive():
            worker.join(0.05)
        if "error" in box:
            error = box.pop("error")
            try:
                raise error
            finally:
                del error
        return box["value"]

    try:
        yield wait
    except BaseException:
        # (not worker.is_alive(): in Python 3.11 a join that a signal interrupts marks the
        # thread as stopped while it still runs)
        if not box.get("ended"):
            _abandoned.append(worker)
        raise


# --------------------------------------------------------------------------------------------
# Which errors are about the output
# --------------------------------------------------------------------------------------------


def _abs(name: Any) -> str | None:
    if isinstance(name, int) or name is None:
        return None
    try:
        return os.path.abspath(os.fsdecode(name))
    except (TypeError, ValueError):
        return None


def os_errno(exc: OSError) -> int | None:
    """The error's errno; polars raises OSError("… (os error 28)") without one."""
    if exc.errno is not None:
        return exc.errno
    found = re.search(r"\(os error (\d+)\)", str(exc))
    return int(found.group(1)) if found else None


def is_output_failure(exc: OSError, scratch: Path, targets: Sequence[Path]) -> bool:
    """True when `exc` is a failure to write the output: it names the scratch folder (or
    something in it) or a target, or it names no file and is a writing error."""
    names = [n for n in (_abs(exc.filename), _abs(exc.filename2)) if n is not None]
    if not names:
        return os_errno(exc) in WRITE_ERRNOS
    own = os.path.abspath(scratch)
    outs = {os.path.abspath(t) for t in targets}
    return any(n == own or n.startswith(own + os.sep) or n in outs for n in names)


def _reason(exc: OSError) -> str:
    if exc.strerror:
        return exc.strerror
    n = os_errno(exc)
    return os.strerror(n) if n is not None else str(exc) or type(exc).__name__


def _parent(target: Path) -> Path:
    parent = target.parent if str(target.parent) else Path(".")
    if not parent.is_dir():
        raise OutputError(str(target), f"cannot be written: the folder {parent} does not exist")
    return parent


def _make_scratch(parent: Path, target: Path) -> Path:
    """A private folder beside the output, for everything written before the rename."""
    # The name is ASCII (hidden, .tmp) whatever the target's name holds.
    with signals_deferred():
        try:
            return Path(tempfile.mkdtemp(prefix=".register-", suffix=".tmp", dir=parent))
        except OSError as exc:
            raise OutputError(str(target), f"cannot be written ({_reason(exc)})") from None


def _remove(path: Path) -> None:
    with signals_deferred():
        shutil.rmtree(path, ignore_errors=True)


def _suffix(target: Path) -> str:
    """The target's suffix when it is plain (`.xlsx`), for writers that look at it."""
    s = target.suffix
    return s if s.isascii() and s[1:].isalnum() else ""


@contextlib.contextmanager
def scratch_tmpdir(scratch: Path) -> Iterator[None]:
    """Point the temp folder of compiled writers (rust_xlsxwriter reads TMPDIR) and of Python's
    `tempfile` at `scratch` for the block."""
    old_env = os.environ.get("TMPDIR")
    old_tempdir = tempfile.tempdir
    where = os.path.abspath(scratch)
    os.environ["TMPDIR"] = where
    tempfile.tempdir = where
    try:
        yield
    finally:
        tempfile.tempdir = old_tempdir
        if old_env is None:
            os.environ.pop("TMPDIR", None)
        else:
            os.environ["TMPDIR"] = old_env


# --------------------------------------------------------------------------------------------
# Files
# --------------------------------------------------------------------------------------------


@contextlib.contextmanager
def atomic_files(paths: Sequence[str | Path], overwrite: bool = True) -> Iterator[list[Path]]:
    """Yield one temporary path per output (all in one folder); on success rename them all
    into place. `tmp.parent` is the scratch folder, for a writer's own temporary files.

    With `overwrite=False` an existing output is refused (exit 2) and never replaced, even
    if it appears while the outputs are being written.
    """
    targets = [Path(p) for p in paths]
    if not targets:
        yield []
        return
    parent = _parent(targets[0])
    for t in targets:
        if t.is_dir():
            raise OutputError(str(t), "is a folder; give a file name")
        if not overwrite and (t.exists() or t.is_symlink()):
            raise _exists(t)
    scratch = _make_scratch(parent, targets[0])
    temps = [scratch / f"out{k}{_suffix(t)}" for k, t in enumerate(targets)]
    try:
        yield temps
        with signals_deferred(commit=True):
            for tmp, target in zip(temps, targets, strict=True):
                if not tmp.exists():
                    tmp.touch()
                os.chmod(tmp, 0o644)
                _commit(tmp, target, overwrite)
    except OSError as exc:
        if not is_output_failure(exc, scratch, targets):
            raise
        raise OutputError(str(_named(exc, temps, targets)), f"cannot be written ({_reason(exc)})") from None
    finally:
        _remove(scratch)


def _named(exc: OSError, temps: Sequence[Path], targets: Sequence[Path]) -> Path:
    """The output an error is about (the first when it names none of them)."""
    names = {_abs(exc.filename), _abs(exc.filename2)} - {None}
    for tmp, target in zip(temps, targets, strict=True):
        if {os.path.abspath(tmp), os.path.abspath(target)} & names:
            return target
    return targets[0]


def _exists(target: Path) -> OutputError:
    return OutputError(str(target), "already exists; choose another name, or add --force to replace it")


def _commit(tmp: Path, target: Path, overwrite: bool) -> None:
    if overwrite:
        os.replace(tmp, target)
        return
    # A hard link never replaces: it fails if the target has appeared meanwhile.
    try:
        os.link(tmp, target)
    except FileExistsError:
        raise _exists(target) from None
    except OSError:  # a file system without hard links
        if target.exists() or target.is_symlink():
            raise _exists(target) from None
        os.replace(tmp, target)


@contextlib.contextmanager
def atomic_file(path: str | Path, overwrite: bool = True) -> Iterator[Path]:
    """Yield a temporary path for `path`; on success rename it onto `path` (see atomic_files)."""
    with atomic_files([path], overwrite=overwrite) as (tmp,):
        yield tmp


# --------------------------------------------------------------------------------------------
# Folders
# --------------------------------------------------------------------------------------------


def table_files_only(folder: Path) -> str | None:
    """The first entry (by name) that keeps `folder` from being replaced, or None.

    A folder may be replaced when it is empty, or holds nothing but regular `.csv` / `.parquet`
    files (and operating-system litter such as `.DS_Store`) with at least one named as a
    register table (`parties.csv`, `相手方.csv`): what an earlier `convert` wrote. Anything
    else — another kind of file, a hidden file, a sub-folder, a link — is the user's.
    """
    from .. import schema

    entries = sorted(os.scandir(folder), key=lambda e: e.name)
    tables = 0
    for e in entries:
        if e.name.casefold() in OS_LITTER and e.is_file(follow_symlinks=False):
            continue
        stem, suffix = os.path.splitext(e.name)
        if (
            not e.is_file(follow_symlinks=False)
            or suffix.lower() not in TABLE_SUFFIXES
            or e.name.startswith(".")
        ):
            return e.name
        if schema.match_table(stem):
            tables += 1
    if entries and not tables:
        others = [e.name for e in entries if e.name.casefold() not in OS_LITTER]
        return others[0] if others else None
    return None


def _check_replaceable(target: Path, replaceable: Callable[[Path], str | None]) -> None:
    if target.is_symlink():
        raise OutputError(str(target), "is a link; give the folder itself")
    if target.exists() and not target.is_dir():
        raise OutputError(str(target), "exists and is not a folder")
    if not target.exists():
        return
    try:
        first = replaceable(target)
    except OSError as exc:
        raise OutputError(str(target), f"cannot be read to check what it holds ({_reason(exc)})") from None
    if first is not None:
        what = "the folder" if (target / first).is_dir() and not (target / first).is_symlink() else ""
        raise OutputError(
            str(target),
            f"holds {what + ' ' if what else ''}{first!r}, which is not a register table; the folder "
            "would be replaced as a whole, so choose a new or empty folder",
        )


@contextlib.contextmanager
def atomic_dir(
    path: str | Path, replaceable: Callable[[Path], str | None] = table_files_only
) -> Iterator[Path]:
    """Yield a temporary folder; on success it replaces `path` as a whole.

    An existing `path` is replaced only when `replaceable(path)` names no entry that is in the
    way (default: `table_files_only`); otherwise OutputError names that entry, before anything
    is written, and the folder is left as it is.
    """
    target = Path(path)
    parent = _parent(target)
    _check_replaceable(target, replaceable)
    scratch = _make_scratch(parent, target)
    new = scratch / "new"
    try:
        new.mkdir()
        yield new
        with signals_deferred(commit=True):
            _check_replaceable(target, replaceable)  # nothing new appeared meanwhile
            os.chmod(new, 0o755)
            if target.exists():
                old = scratch / "old"
                os.replace(target, old)
                try:
                    os.replace(new, target)
                except OSError:
                    os.replace(old, target)  # put the old folder back
                    raise
            else:
                os.replace(new, target)
    except OSError as exc:
        if not is_output_failure(exc, scratch, [target]):
            raise
        raise OutputError(str(target), f"cannot be written ({_reason(exc)})") from None
    finally:
        _remove(scratch)


@contextlib.contextmanager
def output_folder(out_dir: str | Path) -> Iterator[Path]:
    """A folder that outputs are written into (`records --out`, `incident --out`): created if
    missing, and removed again (if still empty) when writing fails, so a failed command leaves
    no trace. An existing folder is only ever added to."""
    out_dir = Path(out_dir)
    if out_dir.exists() and not out_dir.is_dir():
        raise OutputError(str(out_dir), "exists and is not a folder")
    created = not out_dir.exists()
    try:
        out_dir.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise OutputError(str(out_dir), f"cannot be created ({exc.strerror or exc})") from None
    try:
        yield out_dir
    except BaseException:
        if created:
            with contextlib.suppress(OSError):
                out_dir.rmdir()
        raise
