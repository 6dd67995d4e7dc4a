"""The `register` command: parse options → call the API → render → exit code. No logic here."""

from __future__ import annotations

import datetime as dt
import functools
import os
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any

import click

from . import __version__
from .model import InputError

EXIT_OK, EXIT_FINDINGS, EXIT_FAILURE = 0, 1, 2


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


def guarded(f: Callable) -> Callable:
    """Turn every failure into one line on stderr and exit 2 — never a traceback."""

    @functools.wraps(f)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        try:
            return f(*args, **kwargs)
        except InputError as exc:
            click.echo(f"register: error: {exc}", err=True)
            sys.exit(EXIT_FAILURE)
        except KeyboardInterrupt:
            click.echo("register: interrupted; no output was written", err=True)
            sys.exit(EXIT_FAILURE)
        except MemoryError:
            click.echo("register: error: out of memory; raise no limit, split the input", err=True)
            sys.exit(EXIT_FAILURE)
        except Exception as exc:  # a bug: still one line, with a way to see more
            if os.environ.get("REGISTER_DEBUG"):
                raise
            click.echo(
                f"register: internal error: {type(exc).__name__}: {exc} "
                "(set REGISTER_DEBUG=1 to see where)",
                err=True,
            )
            sys.exit(EXIT_FAILURE)

    return wrapper


def _limits(kwargs: dict[str, Any]):
    from .limits import Limits, use

    use(Limits(kwargs.pop("max_bytes"), kwargs.pop("max_rows"), kwargs.pop("max_cells")))
    from .progress import set_quiet

    set_quiet(kwargs.pop("quiet"))


def _errors_to_stderr(analysis) -> None:
    n = analysis.errors
    if n:
        click.echo(f"{n} error{'s' if n != 1 else ''}", err=True)


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

    analysis = api.check(input, as_of, principals=False)
    if fmt == "json":
        click.echo(render_json(analysis.report, lang))
    else:
        click.echo(render_text(analysis.report, lang, color=sys.stdout.isatty()), nl=False)
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

    analysis = api.check(input, as_of)
    paths = write_records(analysis, Path(out), fmt, lang)
    for p in paths:
        click.echo(str(p))
    _errors_to_stderr(analysis)


@main.command()
@click.argument("input", type=click.Path(path_type=str))
@click.option("--out", "out", required=True, type=click.Path(path_type=str), help="The HTML file.")
@as_of_option
@lang_option
@limit_options
@guarded
def report(input: str, out: str, as_of: dt.date | None, lang: str, **kw: Any) -> None:
    """Write the auditor report: one self-contained HTML file that prints well.

    Example: register report sample_data/register.xlsx --out report.html --lang ja
    """
    _limits(kw)
    from . import api
    from .report import write_report

    analysis = api.check(input, as_of)
    click.echo(str(write_report(analysis, Path(out), lang)))
    _errors_to_stderr(analysis)


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
    from .disclose import write_disclosure

    analysis = api.check(input, as_of)
    click.echo(str(write_disclosure(analysis, principal, Path(out), lang)))
    _errors_to_stderr(analysis)


@main.command()
@click.argument("input", type=click.Path(path_type=str))
@click.argument("output", type=click.Path(path_type=str))
@limit_options
@guarded
def convert(input: str, output: str, **kw: Any) -> None:
    """Convert a register between .xlsx, .json and a folder of CSV files (by OUTPUT's suffix).

    Example: register convert register.xlsx register.json
    """
    _limits(kw)
    from .convert import convert as do_convert

    result = do_convert(input, output)
    for line in result.messages:
        click.echo(line, err=True)
    click.echo(str(result.path))


@main.command()
@click.argument("output", type=click.Path(path_type=str))
@lang_option
@guarded
def template(output: str, lang: str) -> None:
    """Write a blank workbook: every sheet, headers, dropdowns, and a guide sheet.

    Example: register template register.xlsx --lang ja
    """
    from .template import write_template

    click.echo(str(write_template(Path(output), lang)))


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
