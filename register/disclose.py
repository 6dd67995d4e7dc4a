"""The records about one principal, for a disclosure request (APPI Art 33(5); docs/usage.md §6).

Every provision and confirmation record that names the principal — not person-related records
(they name no principal), not flows without a record, not records marked disclosure_excluded
(Cabinet Order Art 11) — each showing only the requester's own entry: no other principal's ID
or name, and no principal_count. The principals tables are filtered first, so a request is
fast however long the log is. Under `--lang ja` the .xlsx is the 開示書 (disclosure_doc.py);
an unknown ID and withheld records are told to the officer, never in the output
(docs/japanese.md §9).
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

import polars as pl

from .export import (
    dump_json,
    json_rows,
    records_of,
    register_inputs,
    text_frame,
    write_csv_file,
    write_xlsx,
)
from .io.atomic import atomic_file, refuse_overwriting_inputs
from .model import InputError
from .outputs import OutColumn, disclosure_columns, display_frame, output_table
from .records import PERSON_RELATED, Records

SUFFIXES = {".xlsx": "xlsx", ".csv": "csv", ".json": "json"}
KINDS = (
    ("provision", "provision_records", "provision_principals"),
    ("confirmation", "confirmation_records", "confirmation_principals"),
)
# principal_count would reveal that others share the record; incomplete is the auditor's
# column, and it can name principal_count too
_HIDDEN = ("principal_count", "incomplete")

# The lines on stderr (docs/japanese.md §9): the API returns them, only the CLI prints.
UNKNOWN = {
    "en": "warning: principal {pid} is not in the register (principals, provision log, receipts)",
    "ja": "警告：本人ID {pid} は台帳（本人・提供実績・受領）にありません",
}
DID_YOU_MEAN = {"en": "; did you mean {ids}?", "ja": "（{ids} の誤りではありませんか）"}
ID_JOIN = {"en": " or ", "ja": "、"}
WITHHELD = {
    "en": "withheld: {n} records marked disclosure_excluded (Cabinet Order Art 11) are not in the output",
    "ja": "開示対象外：記録{n}件を出力していません（個人情報保護法施行令第11条）",
}


@dataclass(frozen=True)
class Disclosure:
    """What `disclose` wrote, and what the officer must be told beside it (docs/japanese.md §9)."""

    path: Path
    principal_id: str
    # records given, by kind (provision, confirmation)
    counts: dict[str, int]
    # records about the principal left out as disclosure_excluded (Cabinet Order Art 11)
    withheld: int
    # the ID is a principal, or named in the provision log or receipts
    known: bool
    # known IDs equal to it under Unicode case folding (a mistyped case)
    similar: tuple[str, ...] = ()

    def warnings(self, lang: str = "en") -> list[str]:
        """The stderr lines: an unknown principal (with the case-folded suggestion), records
        withheld. None for a known principal with nothing withheld."""
        lines = []
        if not self.known:
            line = UNKNOWN[lang].format(pid=self.principal_id)
            if self.similar:
                line += DID_YOU_MEAN[lang].format(ids=ID_JOIN[lang].join(self.similar))
            lines.append(line)
        if self.withheld:
            lines.append(WITHHELD[lang].format(n=f"{self.withheld:,}"))
        return lines


def disclosure_columns_of(records_table: str, principals_table: str) -> list[OutColumn]:
    """record_id, principal_id, principal_name, then the record's other columns."""
    rec = output_table(records_table)
    who = output_table(principals_table)
    return (
        [rec.column("record_id"), who.column("principal_id"), who.column("principal_name")]
        + [c for c in rec.columns if c.name not in ("record_id", *_HIDDEN)]
    )


def principal_id(given: str) -> str:
    """The requested ID normalised as an ID cell is (NFKC, trimmed: `ＣＵ－１００１` is
    `CU-1001`); an empty one is refused (exit 2)."""
    from .values import normalize_id

    pid = normalize_id(given or "")
    if not pid:
        raise InputError(None, "--principal is empty; give the principal's ID (本人ID)")
    return pid


def _ids(reg: Any, table: str, column: str) -> pl.Series:
    """Every ID a column names (a list column exploded), unique; empty when the table is."""
    t = reg[table]
    if not t.present or len(t) == 0 or column not in t.df.columns:
        return pl.Series(column, [], dtype=pl.Utf8)
    s = t.df[column]
    if isinstance(s.dtype, pl.List):
        s = s.list.explode(keep_nulls=False, empty_as_null=False)
    return s.drop_nulls().unique()


def _known(reg: Any, pid: str) -> tuple[bool, tuple[str, ...]]:
    """(is `pid` a principal or named by the log or receipts, the known IDs equal to it under
    case folding). IDs stay case-sensitive: a near match is only suggested."""
    lists = (("provision_log", "principal_ids"), ("receipts", "principal_ids"))
    named = reg["principals"].df["principal_id"] if len(reg["principals"]) else None
    if named is not None and bool((named == pid).any()):
        return True, ()
    for table, column in lists:
        t = reg[table]
        if t.present and len(t) and bool(t.df[column].list.contains(pid).any()):
            return True, ()
    folded = pid.casefold()
    every = pl.concat([_ids(reg, "principals", "principal_id"),
                       *(_ids(reg, t, c) for t, c in lists)]).unique()
    similar = sorted(x for x in every.to_list() if x.casefold() == folded and x != pid)
    return False, tuple(similar)


def _about(records: Records, pid: str) -> tuple[dict[str, pl.DataFrame], int]:
    """(kind → the records about the principal, each with only that principal's entry; how
    many records about the principal are withheld as disclosure_excluded)."""
    out: dict[str, pl.DataFrame] = {}
    withheld = 0
    excluded = pl.Series(sorted(records.disclosure_excluded), dtype=pl.Utf8)
    for kind, rec_name, who_name in KINDS:
        columns = disclosure_columns_of(rec_name, who_name)
        # principal_count is hidden, so the records need not be counted
        mine = (
            records.entries_of(who_name, pid)
            .unique("record_id", keep="first", maintain_order=True)
            .select("record_id", "principal_id", "principal_name")
        )
        rec = records.uncounted(rec_name).drop("principal_id", "principal_name", strict=False)
        df = (
            rec.join(mine, on="record_id", how="inner", maintain_order="left")
            .filter(pl.col("record_type") != PERSON_RELATED)
        )
        left_out = pl.col("record_id").is_in(excluded.implode())
        withheld += df.filter(left_out).height
        out[kind] = df.filter(~left_out).select([c.name for c in columns])
    return out, withheld


def disclosure_frames(records: Records, principal_id: str) -> dict[str, pl.DataFrame]:
    """kind → the records about the principal, each with only that principal's entry."""
    return _about(records, principal_id)[0]


def write_disclosure(analysis: Any, principal_id: str, out: Path, lang: str = "en") -> Path:
    """Write the principal's records to `out` (.xlsx, .csv or .json by its suffix)."""
    return disclose(analysis, principal_id, out, lang).path


def disclose(analysis: Any, principal: str, out: Path, lang: str = "en") -> Disclosure:
    """Write the principal's records to `out` (.xlsx, .csv or .json by its suffix); return
    what was written and the warnings for the officer (`Disclosure.warnings`)."""
    out = Path(out)
    fmt = SUFFIXES.get(out.suffix.lower())
    if fmt is None:
        raise InputError(str(out), "unsupported output type; give a .xlsx, .csv or .json file")
    refuse_overwriting_inputs([out], register_inputs(analysis))
    pid = principal_id(principal)
    frames, withheld = _about(records_of(analysis), pid)
    known, similar = _known(analysis.register, pid)
    columns = {kind: disclosure_columns_of(r, w) for kind, r, w in KINDS}
    with atomic_file(out) as tmp:
        if fmt == "json":
            dump_json(
                tmp,
                {
                    "principal_id": pid,
                    "provision_records": json_rows(frames["provision"]),
                    "confirmation_records": json_rows(frames["confirmation"]),
                },
            )
        elif fmt == "csv":
            _write_csv(tmp, frames, columns, lang)
        elif lang == "ja":
            from .disclosure_doc import write_document

            write_document(tmp, analysis, pid, frames)
        else:
            write_xlsx(
                tmp,
                [
                    (output_table(r).label(lang), columns[kind], frames[kind])
                    for kind, r, _ in KINDS
                ],
                lang,
            )
    return Disclosure(
        path=out, principal_id=pid, counts={k: f.height for k, f in frames.items()},
        withheld=withheld, known=known, similar=similar,
    )


def _write_csv(
    path: Path, frames: dict[str, pl.DataFrame], columns: dict[str, list[OutColumn]], lang: str
) -> None:
    """One file: record_kind, then the union of both tables' columns (first-seen order);
    under ja, labels for code values (docs/japanese.md §2), the record kind included."""
    kind_col = next(c for c in disclosure_columns() if c.name == "record_kind")
    union: list[OutColumn] = [kind_col]
    for kind, _, _ in KINDS:
        for c in columns[kind]:
            if c.name not in {u.name for u in union}:
                union.append(c)
    parts = []
    for kind, _, _ in KINDS:
        shown = display_frame(frames[kind], columns[kind], lang)
        text = text_frame(shown, columns[kind], neutralise=True)
        label = kind_col.labels_ja.get(kind, kind) if lang == "ja" else kind
        parts.append(text.with_columns(pl.lit(label).alias("record_kind")))
    schema = {c.name: pl.Utf8 for c in union}
    body = pl.concat([pl.DataFrame(schema=schema), *parts], how="diagonal").select(
        [c.name for c in union]
    )
    write_csv_file(path, body.rename({c.name: c.label(lang) for c in union}))
