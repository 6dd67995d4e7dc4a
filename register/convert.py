"""`register convert`: a register from one form to another, normalised and without loss.

Every value that parses is written normalised (era dates → ISO, `○` → true, `Ｐ１` → `P1`);
a cell that was given but does not parse is written verbatim as text, so nothing the user typed
is lost and the checks still point at it after conversion. Unknown columns and sheets are kept.
Names are the canonical English ones.

Text is never altered, with one reversible exception: in a CSV folder a text cell that a
spreadsheet could run as a formula (`=…`, `+…`, `-…`, `@…`, tab or CR first) gets a leading
`'`, which the CSV reader takes off again (io/csvsafe.py), so the folder opens safely in Excel
and still reads back to the very same values. The .xlsx writer writes every string as a
string cell, so nothing becomes a formula there; JSON needs nothing.

Writing a CSV folder replaces the folder as a whole, so an existing folder is replaced only
when it holds nothing but register tables (io/atomic.py): anything else in it is refused.

With `--lang ja` (docs/japanese.md §8) an .xlsx is the officer's workbook — the template's layout
(template.py) with the data in it — and a CSV folder has Japanese file names and headers; both
show code values as their Japanese labels and booleans as ○/×, which the readers take back
(§5), so the register is the same. JSON never changes with the language.
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from pathlib import Path

import polars as pl

from . import schema
from .io.atomic import refuse_overwriting_inputs
from .io.writers import (
    BOOL,
    DATE,
    INT,
    LIST,
    TEXT,
    ColumnValues,
    TableValues,
    write_csv_folder,
    write_json,
    write_xlsx,
)
from .load import load
from .model import POINTER, ROW, Register, Sheet, Table

# How many findings `convert` lists on stderr before it only counts them.
FIRST_FINDINGS = 5

_KIND = {"date": DATE, "bool": BOOL, "int": INT, "ids": LIST}


@dataclass
class ConvertResult:
    """What `convert` wrote, and the lines for stderr (the input's findings, counted)."""

    path: Path
    form: str
    messages: list[str] = field(default_factory=list)


def output_form(output: str | Path) -> str:
    """xlsx | json | csv (a folder), from the output's suffix."""
    suffix = Path(output).suffix.lower()
    if suffix == ".xlsx":
        return "xlsx"
    if suffix == ".json":
        return "json"
    return "csv"


def table_out(t: Table) -> TableValues:
    """One loaded table as columns to write: canonical columns present, then unknown ones."""
    cols: list[ColumnValues] = []
    used: set[str] = set()
    for c in t.spec.columns:
        if c.name not in t.headers:
            continue  # the input did not have this column; writing it empty would add one
        verbatim = None
        if c.name in t.bad:
            verbatim = pl.select(
                pl.when(t.bad[c.name]).then(t.raw[c.name]).otherwise(None)
            ).to_series()
        cols.append(ColumnValues(c.name, _KIND.get(c.kind, TEXT), t.df[c.name], verbatim))
        used.add(c.name)
    for h in t.extra:
        cols.append(ColumnValues(_unique(h, used), TEXT, t.raw[h]))
    return TableValues(name=t.name, columns=tuple(cols), height=t.df.height, single_row=t.spec.single_row)


def sheet_out(sh: Sheet, used_names: set[str]) -> TableValues:
    """An unknown sheet, kept as text exactly as read."""
    cols: list[ColumnValues] = []
    used: set[str] = set()
    for h in sh.headers:
        cols.append(ColumnValues(_unique(h, used), TEXT, sh.frame[h]))
    name = _unique(sh.name, used_names)
    return TableValues(name=name, columns=tuple(cols), height=sh.frame.height)


def _unique(name: str, used: set[str]) -> str:
    candidate, k = name, 1
    while candidate in used or candidate in (ROW, POINTER):
        k += 1
        candidate = f"{name} ({k})"
    used.add(candidate)
    return candidate


def register_out(reg: Register) -> list[TableValues]:
    """Every table the input has (in schema order), then its unknown sheets."""
    out = [table_out(t) for t in reg.tables.values() if t.present]
    used = {t.name for t in out}
    for sh in reg.extra_sheets:
        if sh.headers or sh.frame.height:
            out.append(sheet_out(sh, used))
        # A sheet with neither header nor rows (e.g. JSON's "$schema" string) holds nothing.
    return out


def japanese_tables(tables: list[TableValues]) -> list[TableValues]:
    """The tables as the Japanese CSV folder holds them: Japanese table names and headers,
    code values as labels, booleans as ○/× (docs/japanese.md §8). Dates, IDs, numbers and country
    codes stay as they are; a cell that did not parse stays as written; unknown tables and
    columns keep their names."""
    out = []
    for t in tables:
        spec = schema.table_map().get(t.name)
        if spec is None:
            out.append(t)
            continue
        cols = []
        for c in t.columns:
            col = spec.by_name.get(c.header)
            cols.append(c if col is None else _japanese_column(c, col))
        out.append(replace(t, name=spec.label_ja, columns=tuple(cols)))
    return out


def _japanese_column(c: ColumnValues, col: schema.Column) -> ColumnValues:
    s = c.values
    kind = c.kind
    if kind == BOOL:
        s = pl.select(
            pl.when(pl.lit(s)).then(pl.lit("○")).when(~pl.lit(s)).then(pl.lit("×")).otherwise(None)
        ).to_series()
        kind = TEXT
    elif col.enum and col.enum_labels_ja:
        labels = dict(col.enum_labels_ja)
        if kind == LIST:
            s = s.list.eval(pl.element().replace(labels))
        else:
            s = s.cast(pl.Utf8).replace(labels)
    return ColumnValues(col.label_ja, kind, s.alias(col.label_ja), c.verbatim)


def write_register(reg: Register, output: str | Path, lang: str = "en") -> Path:
    """Write a loaded register in the form OUTPUT's suffix names (`ja`: docs/japanese.md §8)."""
    path = Path(output)
    tables = register_out(reg)
    form = output_form(path)
    if form == "json":
        return write_json(tables, path)
    if form == "xlsx":
        if lang == "ja":
            from .template import write_workbook

            return write_workbook(path, "ja", tables)
        return write_xlsx(tables, path)
    return write_csv_folder(japanese_tables(tables) if lang == "ja" else tables, path)


def findings_messages(reg: Register, lang: str = "en") -> list[str]:
    """The input's findings for stderr: the count by severity and the first few errors."""
    from .api import analyze

    report = analyze(reg).report
    if not report.findings:
        return []
    # True totals: a log rule lists at most 100 findings and counts the rest (findings.py).
    n = {sev: report.total(sev) for sev in ("error", "warning", "info")}
    if lang == "ja":
        lines = [
            f"{reg.source}：エラー {n['error']:,}件、警告 {n['warning']:,}件、情報 {n['info']:,}件"
            "（そのまま変換しました。すべて register check で確認できます）"
        ]
    else:
        lines = [
            f"{n['error']:,} error{'s' if n['error'] != 1 else ''}, "
            f"{n['warning']:,} warning{'s' if n['warning'] != 1 else ''}, {n['info']:,} info "
            f"in {reg.source} (converted as they are; `register check` lists them all)"
        ]
    # The note standing for the findings a rule's cap left out is no finding to show.
    errors = [f for f in report.findings if f.severity == "error" and not f.params.get("_suppressed_note")]
    for f in errors[:FIRST_FINDINGS]:
        where = " ".join(x for x in (f.location.sheet, f.location.short()) if x)
        lines.append(f"  {where or '-'} {f.rule} {f.message(lang)}")
    return lines


def convert(input: str | Path, output: str | Path, lang: str = "en") -> ConvertResult:
    """Load INPUT in any form and write it to OUTPUT (form by suffix; else a CSV folder);
    `lang` "ja" writes the Japanese workbook or CSV folder (docs/japanese.md §8)."""
    if lang not in ("en", "ja"):
        raise ValueError(f"unknown language {lang!r}")
    refuse_overwriting_inputs([output], [input])
    reg = load(input)
    messages = findings_messages(reg, lang)
    path = write_register(reg, output, lang)
    return ConvertResult(path=path, form=output_form(output), messages=messages)
