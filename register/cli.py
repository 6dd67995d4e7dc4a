"""The `register` command: parse options → call the API → render → exit code. No logic here."""

from __future__ import annotations

import atexit
import contextlib
import datetime as dt
import errno
import functools
import gc
import os
import signal
import sys
import threading
import unicodedata
from collections.abc import Callable
from pathlib import Path
from typing import Any

import click

# polars allocates with jemalloc, which by default keeps freed pages for ten seconds: the
# batches of a long log would add up in the peak memory. A background thread returns them
# after a second; memory is asked for in huge pages, so that the batches' fresh buffers cost
# a page fault every 2 MiB rather than every 4 KiB. Every thread allocates from one arena, and
# buffers over 8 MiB from it too (not from an arena of their own that hands them back at
# once): memory one thread frees is then what the next allocation gets, not fresh pages the
# kernel must zero first (a sixth of the CPU at a million rows). docs/performance.md, Memory.
# It must be set before polars is first imported; a setting of the user's own comes after it,
# and wins. (polars writes its own defaults into the variable when it is imported, ahead of a
# setting it finds: a process started by one that imported polars — a script, the tests, the
# benchmarks — inherits them, and they are not the user's.)
JEMALLOC = ("background_thread:true,dirty_decay_ms:1000,muzzy_decay_ms:0,thp:always,narenas:1,"
            "oversize_threshold:0")
_POLARS_JEMALLOC = "dirty_decay_ms:500,muzzy_decay_ms:1000"
_users = os.environ.get("_RJEM_MALLOC_CONF", "")
if _users.startswith(_POLARS_JEMALLOC):
    _users = _users.removeprefix(_POLARS_JEMALLOC).lstrip(",")
os.environ["_RJEM_MALLOC_CONF"] = ",".join(filter(None, (JEMALLOC, _users)))
# numpy (the streamed log's pair sort) starts OpenBLAS's threads, which spin while they wait
# for work that never comes (no linear algebra here): 0.8 % of the CPU at ten million rows.
os.environ.setdefault("OPENBLAS_NUM_THREADS", "1")

from . import __version__  # noqa: E402
from .model import InputError  # noqa: E402

EXIT_OK, EXIT_FINDINGS, EXIT_FAILURE = 0, 1, 2
# The reader of stdout went away (`register check x | head -1`): exit quietly with the status
# a shell reports for a program stopped by SIGPIPE, as any Unix tool does.
EXIT_BROKEN_PIPE = 128 + 13


class DateParam(click.ParamType):
    """--as-of: ISO, YYYY/M/D or a Japanese era date."""

    name = "DATE"

    def convert(self, value: Any, param: Any, ctx: Any) -> dt.date:
        if isinstance(value, dt.date):
            return value
        from .values import parse_date

        d = parse_date(str(value))
        if d is None:
            self.fail(f"{value!r} is not a date (use YYYY-MM-DD)", param, ctx)
        return d


def as_of_option(f: Callable) -> Callable:
    return click.option(
        "--as-of", type=DateParam(), default=None,
        help="The date to check against (ENT-003, XB-003, RET-001). Default: today.",
    )(f)


def lang_option(f: Callable) -> Callable:
    return click.option(
        "--lang", type=click.Choice(["en", "ja"]), default="en", show_default=True,
        help="Language of headers, sheet names and messages.",
    )(f)


def limit_options(f: Callable) -> Callable:
    """--quiet and the input limits (docs/security.md states the defaults)."""
    from .limits import DEFAULTS

    f = click.option("--quiet", is_flag=True, help="No progress output.")(f)
    f = click.option("--max-bytes", type=click.IntRange(1), default=DEFAULTS.max_bytes,
                     show_default=True, help="Largest input file read (bytes).")(f)
    f = click.option("--max-rows", type=click.IntRange(1), default=DEFAULTS.max_rows,
                     show_default=True, help="Most rows read from one table.")(f)
    f = click.option("--max-cells", type=click.IntRange(1), default=DEFAULTS.max_cells,
                     show_default=True, help="Most cells read from one sheet.")(f)
    return f


# Characters shown escaped in a message line: a name holding a line break could otherwise
# forge a second line, and bidirectional controls could reorder what the line seems to say.
_BIDI = frozenset("\u061c\u200e\u200f\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069")
_ESCAPES = {"\n": "\\n", "\r": "\\r", "\t": "\\t"}


def one_line(text: str) -> str:
    """`text` as one printable line: control characters, line separators and bidi controls
    escaped as Python writes them (`\\n`, `\\x1b`, `\\u2028`), and the bytes of a file name that
    is not UTF-8 (surrogate-escaped by Python) as `\\xff`."""
    if text.isprintable():
        return text
    out = []
    for ch in text:
        code = ord(ch)
        if 0xDC80 <= code <= 0xDCFF:  # a byte that was not UTF-8, as os.fsdecode keeps it
            out.append(f"\\x{code - 0xDC00:02x}")
        elif ch in _ESCAPES:
            out.append(_ESCAPES[ch])
        elif unicodedata.category(ch) in ("Cc", "Cs", "Zl", "Zp") or ch in _BIDI:
            out.append(ascii(ch)[1:-1])
        else:
            out.append(ch)
    return "".join(out)


def say(line: str, err: bool = False) -> None:
    """Print one line (escaped by `one_line`) to stdout, or to stderr with `err`."""
    click.echo(one_line(line), err=err)


def _to_stderr(line: str) -> None:
    """The failure line; a stderr nobody reads any more is no reason for a traceback."""
    with contextlib.suppress(OSError, ValueError):
        click.echo(one_line(line), err=True)


class Terminated(KeyboardInterrupt):
    """SIGTERM or SIGHUP: stop like Ctrl-C, so every output's clean-up runs (io/atomic.py)."""

    def __init__(self, signum: int):
        super().__init__(signum)
        self.signum = signum


def _terminate(signum: int, frame: Any) -> None:
    from .io import atomic

    if atomic.deferring():  # a rename or clean-up runs, or the outputs are in place
        atomic.defer(signum)
        return
    if signum == signal.SIGINT:
        raise KeyboardInterrupt
    # Further signals wait: the clean-up that this one starts is short and must finish.
    with contextlib.suppress(ValueError, OSError):
        signal.signal(signum, signal.SIG_IGN)
    raise Terminated(signum)


_STOP_SIGNALS = tuple(
    s for s in (signal.SIGINT, getattr(signal, "SIGTERM", None), getattr(signal, "SIGHUP", None))
    if s is not None
)


@contextlib.contextmanager
def _process_guards() -> Any:
    """For the command's duration: SIGTERM / SIGHUP raise `Terminated`; closed standard
    descriptors point at /dev/null (so that no output file is opened as fd 1 and written to
    by anything printing); errors in destructors during clean-up are not printed (a half-
    written zip closing on a full disk) unless REGISTER_DEBUG is set."""
    for fd in (0, 1, 2):
        try:
            os.fstat(fd)
        except OSError:
            with contextlib.suppress(OSError):
                os.open(os.devnull, os.O_RDWR)  # takes the lowest free descriptor: fd
    main_thread = threading.current_thread() is threading.main_thread()
    old = {}
    if main_thread:
        for s in _STOP_SIGNALS:
            with contextlib.suppress(ValueError, OSError):
                old[s] = signal.signal(s, _terminate)
    old_hook = sys.unraisablehook
    if not os.environ.get("REGISTER_DEBUG"):
        sys.unraisablehook = lambda unraisable: None
    try:
        yield
    except BaseException as exc:
        if not (isinstance(exc, SystemExit) and exc.code in (EXIT_OK, EXIT_FINDINGS)):
            gc.collect()  # destructors of a failed write run now, under the quiet hook
        raise
    finally:
        sys.unraisablehook = old_hook
        for s, handler in old.items():
            with contextlib.suppress(ValueError, OSError, TypeError):
                signal.signal(s, handler)


def _silence_stdout() -> None:
    """Point stdout at /dev/null: the interpreter's last flush must not fail again."""
    with contextlib.suppress(OSError, ValueError):
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
        os.close(devnull)


def guarded(f: Callable) -> Callable:
    """Turn every failure into one line on stderr and exit 2 — never a traceback.

    The line names the file and is one line whatever the file's name holds (`one_line`).
    SIGTERM and SIGHUP stop the command like Ctrl-C: outputs are left as they were and no
    temporary file is left anywhere (io/atomic.py). A closed stdout pipe ends it quietly.
    """

    @functools.wraps(f)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        from .io.atomic import held_after_commit

        with _process_guards():
            try:
                with held_after_commit():  # (a signal after the outputs are in place waits)
                    return f(*args, **kwargs)
            except InputError as exc:
                _to_stderr(f"register: error: {exc}")
                sys.exit(EXIT_FAILURE)
            except KeyboardInterrupt as exc:
                how = f" ({signal.Signals(exc.signum).name})" if isinstance(exc, Terminated) else ""
                _to_stderr(f"register: interrupted{how}; no output was written or changed")
                _exit_now_if_a_writer_runs(EXIT_FAILURE)
                sys.exit(EXIT_FAILURE)
            except MemoryError:
                _to_stderr("register: error: out of memory; raise no limit, split the input")
                sys.exit(EXIT_FAILURE)
            except OSError as exc:
                if exc.errno == errno.EPIPE and exc.filename is None:
                    _silence_stdout()
                    sys.exit(EXIT_BROKEN_PIPE)
                _internal(exc)
            except Exception as exc:  # a bug: still one line, with a way to see more
                _internal(exc)

    return wrapper


def _exit_now_if_a_writer_runs(code: int) -> None:
    """An interrupted compiled writer still running on its thread (io/atomic.py
    `interruptible`) would crash the interpreter's shutdown: the outputs are cleaned up
    already, so end the process at once."""
    from .io.atomic import abandoned_writer

    if abandoned_writer():
        _exit_process(code)


def _exit_process(code: int) -> None:
    """End the process now, without tearing down the interpreter: the exit functions still
    run (one removes a long log's scratch folder), and stdout and stderr are flushed."""
    with contextlib.suppress(Exception):
        atexit._run_exitfuncs()
    for stream in (sys.stdout, sys.stderr):
        with contextlib.suppress(Exception):
            if stream is not None:
                stream.flush()
    os._exit(code)


def _internal(exc: Exception) -> None:
    if os.environ.get("REGISTER_DEBUG"):
        raise exc
    _to_stderr(
        f"register: internal error: {type(exc).__name__}: {exc} "
        "(set REGISTER_DEBUG=1 to see where)"
    )
    sys.exit(EXIT_FAILURE)


def _limits(kwargs: dict[str, Any]):
    from .limits import Limits, use

    use(Limits(kwargs.pop("max_bytes"), kwargs.pop("max_rows"), kwargs.pop("max_cells")))
    from .progress import set_quiet

    set_quiet(kwargs.pop("quiet"))


def _errors_to_stderr(analysis, lang: str = "en") -> None:
    # every error, also those the per-rule cap leaves out of the listing (findings.py)
    n = analysis.report.total("error")
    if n:
        line = f"エラー {n:,}件" if lang == "ja" else f"{n:,} error{'s' if n != 1 else ''}"
        click.echo(line, err=True)


def run() -> None:
    """The `register` console script (and `python -m register`): `main`, then the process ends
    as soon as its outputs are in place and its output is flushed, without tearing down the
    heap of a long log's frames and the interpreter (50 ms at a million log rows: docs/
    performance.md). The interpreter's exit functions still run (the long log's scratch
    folder is removed by one). Any other ending, and `main` called in-process, is as before."""
    # A command builds many objects that live to its end (modules, schemas, rules, findings)
    # and few cycles: the cyclic collector ran 87 times (20 ms) for a million log rows.
    gc.set_threshold(50_000, 20, 20)
    try:
        main(prog_name="register")
    except SystemExit as exc:
        if exc.code in (EXIT_OK, EXIT_FINDINGS) and not isinstance(exc.code, bool):
            _end_now(exc.code)
        raise


def _end_now(code: int) -> None:
    if sys.getprofile() is not None or sys.gettrace() is not None:
        return  # (a profiler or debugger writes its results after main, as coverage may)
    try:
        for stream in (sys.stdout, sys.stderr):
            if stream is not None:
                stream.flush()
    except (OSError, ValueError):
        return  # (a closed pipe: the usual ending deals with it)
    _exit_process(code)


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, prog_name="register")
def main() -> None:
    """Keep an APPI personal-data register: check it, and export the records the law requires.

    INPUT is an .xlsx workbook, a .json document, or a folder of CSV (and Parquet) files.
    """


@main.command()
@click.argument("input", type=click.Path(path_type=str))
@click.option("--format", "fmt", type=click.Choice(["text", "json"]), default="text", show_default=True)
@as_of_option
@lang_option
@limit_options
@guarded
def check(input: str, fmt: str, as_of: dt.date | None, lang: str, **kw: Any) -> None:
    """Run every check and print the findings. Exit 1 when any finding is an error.

    Example: register check sample_data/register.xlsx --lang ja
    """
    _limits(kw)
    from . import api
    from .render import render_json, render_text

    analysis = api.check(input, as_of, principals=False, stream=True)
    if fmt == "json":
        click.echo(render_json(analysis.report, lang))
    else:
        tty = sys.stdout is not None and sys.stdout.isatty()
        click.echo(render_text(analysis.report, lang, color=tty), nl=False)
    sys.exit(EXIT_FINDINGS if analysis.errors else EXIT_OK)


@main.command()
@click.argument("input", type=click.Path(path_type=str))
@click.option("--out", "out", required=True, type=click.Path(path_type=str), help="Output folder.")
@click.option("--format", "fmt", type=click.Choice(["xlsx", "csv", "json"]), default="xlsx", show_default=True)
@as_of_option
@lang_option
@limit_options
@guarded
def records(input: str, out: str, fmt: str, as_of: dt.date | None, lang: str, **kw: Any) -> None:
    """Write the records APPI requires (provision, confirmation, principals, exempt flows).

    Example: register records sample_data/register.xlsx --out out/ --format csv
    """
    _limits(kw)
    from . import api
    from .export import write_records

    analysis = api.check(input, as_of, stream=True, outputs_only=True)
    paths = write_records(analysis, Path(out), fmt, lang)
    for p in paths:
        say(str(p))
    _errors_to_stderr(analysis, lang)


@main.command()
@click.argument("input", type=click.Path(path_type=str))
@click.option("--out", "out", required=True, type=click.Path(path_type=str),
              help="The report file: .html, or .json for its data.")
@click.option("--format", "fmt", type=click.Choice(["html", "json"]), default=None,
              help="html (default) or json; by default chosen by --out's suffix.")
@as_of_option
@lang_option
@limit_options
@guarded
def report(input: str, out: str, fmt: str | None, as_of: dt.date | None, lang: str, **kw: Any) -> None:
    """Write the auditor report: one self-contained HTML file that prints well, or its data
    as JSON (the facts and findings the HTML shows).

    Example: register report sample_data/register.xlsx --out report.html --lang ja
    """
    _limits(kw)
    from . import api

    fmt = fmt or ("json" if Path(out).suffix.lower() == ".json" else "html")
    analysis = api.check(input, as_of)
    if fmt == "json":
        from .report.data import write_report_json

        click.echo(str(write_report_json(analysis, Path(out))))
    else:
        from .report import write_report

        say(str(write_report(analysis, Path(out), lang)))
    _errors_to_stderr(analysis, lang)


@main.command()
@click.argument("input", type=click.Path(path_type=str))
@click.option("--out", "out", required=True, type=click.Path(path_type=str),
              help="The file: .md (the policy-page text), .html (a review copy) or .json.")
@click.option("--format", "fmt", type=click.Choice(["html", "md", "json"], case_sensitive=False),
              default=None, help="html, md or json; by default chosen by --out's suffix.")
@as_of_option
@lang_option
@limit_options
@guarded
def publish(input: str, out: str, fmt: str | None, as_of: dt.date | None, lang: str, **kw: Any) -> None:
    """Write the public texts the law requires (APPI Art 32 matters, joint-use notices, external
    transmission, anonymised information) from the register, with the gaps it shows.

    Example: register publish sample_data/register.xlsx --out privacy.md --lang ja
    """
    _limits(kw)
    from . import api
    from .publish import format_for, write_publication

    fmt = format_for(out, fmt)  # an unknown suffix: exit 2 before reading anything
    analysis = api.check(input, as_of, principals=False)
    say(str(write_publication(analysis, Path(out), fmt, lang)))
    _errors_to_stderr(analysis, lang)


@main.command()
@click.argument("input", type=click.Path(path_type=str))
@click.option("--principal", required=True, help="The principal's ID (本人ID).")
@click.option("--out", "out", required=True, type=click.Path(path_type=str),
              help="Output file: .xlsx, .csv or .json.")
@as_of_option
@lang_option
@limit_options
@guarded
def disclose(input: str, principal: str, out: str, as_of: dt.date | None, lang: str, **kw: Any) -> None:
    """The records about one principal, for a disclosure request (APPI Art 33(5)).

    Example: register disclose sample_data/register.xlsx --principal PR-00001 --out p.xlsx
    """
    _limits(kw)
    from . import api
    from .disclose import disclose as write_disclosure
    from .disclose import principal_id

    principal = principal_id(principal)  # empty after trimming: exit 2 before reading anything
    analysis = api.check(input, as_of, stream=True, outputs_only=True)
    result = write_disclosure(analysis, principal, Path(out), lang)
    say(str(result.path))
    for line in result.warnings(lang):  # an unknown ID, withheld records (japanese.md §9)
        say(line, err=True)
    _errors_to_stderr(analysis, lang)


@main.command()
@click.argument("input", type=click.Path(path_type=str))
@click.option("--incident", "incident_id", required=True, help="The incident's ID (事案ID).")
@click.option("--out", "out", required=True, type=click.Path(path_type=str), help="Output folder.")
@click.option("--format", "fmt", type=click.Choice(["json", "md", "xlsx"]), default="md", show_default=True,
              help="Format of the drafts (decision.json is always written).")
@as_of_option
@lang_option
@limit_options
@guarded
def incident(input: str, incident_id: str, out: str, fmt: str, as_of: dt.date | None, lang: str,
             **kw: Any) -> None:
    """Leak triage: whether and by when to report, and the drafts (APPI Art 26).

    Writes decision.json and the drafts (PPC report, notice to the principals, notice to the
    entrustor) that the decision requires; stale drafts in the folder are deleted.

    Example: register incident sample_data/register.xlsx --incident INC-2026-01 --out incident/
    """
    _limits(kw)
    from . import api
    from .incident import write_incident

    analysis = api.check(input, as_of, principals=False)
    for p in write_incident(analysis, incident_id, Path(out), fmt, lang):
        say(str(p))
    _errors_to_stderr(analysis)


@main.command()
@click.argument("input", type=click.Path(path_type=str))
@click.argument("output", type=click.Path(path_type=str))
@lang_option
@limit_options
@guarded
def convert(input: str, output: str, lang: str, **kw: Any) -> None:
    """Convert a register between .xlsx, .json and a folder of CSV files (by OUTPUT's suffix).

    With --lang ja an .xlsx is the officer's workbook (the template's layout, labels, ○/×)
    and a CSV folder has Japanese file names, headers and labels; JSON is the same in both.

    Example: register convert register.json 個人情報管理台帳.xlsx --lang ja
    """
    _limits(kw)
    from .convert import convert as do_convert

    result = do_convert(input, output, lang)
    for line in result.messages:
        say(line, err=True)
    say(str(result.path))


@main.command()
@click.argument("output", type=click.Path(path_type=str))
@lang_option
@click.option("--force", is_flag=True, help="Replace OUTPUT if it exists (it may be a filled-in register).")
@guarded
def template(output: str, lang: str, force: bool) -> None:
    """Write a blank workbook: every sheet, headers, dropdowns, and a guide sheet.

    An existing OUTPUT is never replaced unless --force is given.

    Example: register template register.xlsx --lang ja
    """
    from .template import write_template

    say(str(write_template(Path(output), lang, force=force)))


@main.command(name="rules")
@click.option("--format", "fmt", type=click.Choice(["text", "json"]), default="text", show_default=True)
@lang_option
@guarded
def rules_cmd(fmt: str, lang: str) -> None:
    """Print the catalogue of rules (findings) the checks can report.

    Example: register rules --format json
    """
    from .render import render_rules

    click.echo(render_rules(fmt, lang), nl=fmt == "json")


if __name__ == "__main__":
    main()
