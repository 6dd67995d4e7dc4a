"""SCH: the register against its JSON Schemas — tables, columns, values (docs/rules.md)."""

from __future__ import annotations

import difflib
from collections.abc import Iterator
from dataclasses import replace

import polars as pl

from .. import schema
from ..countries import country_candidates, country_name
from ..findings import Finding, Location, capped, rule
from ..model import POINTER, ROW, Register, Table, column_letter
from ..values import array_entries, is_valid_id, normalize_id, past_calendar

SCH_001 = rule(
    "SCH-001", "error", None,
    title=("Required table or column missing", "必須の表または列がない"),
    description=(
        "A required table or column is missing, or `organization` does not have exactly one row.",
        "必須の表または列がない、または「事業者」がちょうど1行でない。",
    ),
    message=("{problem}", "{problem}"),
    cases={
        "table": ("The required table {table} ({label}) is missing.", "必須の表「{label}」（{table}）がありません。"),
        "one_row": (
            "The table {table} must have exactly one row; it has {rows}.",
            "表「{label}」はちょうど1行必要ですが、{rows}行あります。",
        ),
        "column": (
            "The table {table} has no column {field} ({column_label}), which is required.",
            "表「{label}」に必須の列「{column_label}」（{field}）がありません。",
        ),
    },
    hint=("Add what is missing.", "欠けているものを追加してください。"),
    case_hints={
        "table": (
            "Add a sheet (or {table}.csv) named {table} or {label}.",
            "「{label}」または {table} という名前のシート（CSVなら {table}.csv）を追加してください。",
        ),
        "one_row": ("Describe the organization in exactly one row.", "事業者の情報を1行だけ記入してください。"),
        "column": (
            "Add a column headed {field} or {column_label}.",
            "見出しが「{column_label}」または {field} の列を追加してください。",
        ),
    },
)
SCH_002 = rule(
    "SCH-002", "error", None,
    title=("Required value empty", "必須の値が空欄"),
    message=(
        "{table} {record}: the required value {field} is empty.",
        "{table_ja} {record}：必須項目「{label}」が空欄です。",
    ),
    hint=("Fill in {field}.", "「{label}」を入力してください。"),
    per_event=True,
)
SCH_003 = rule(
    "SCH-003", "error", None,
    title=("Wrong type or format", "型・書式の誤り"),
    description=(
        "A value has the wrong type or format: date, integer, boolean, ID pattern, country code, "
        "corporate-number check digit, or the reserved ID `self` in `parties`.",
        "値の型・書式が誤っている（日付、整数、真偽値、IDの形式、国コード、法人番号のチェックデジット、"
        "「相手方」での予約ID『self』）。",
    ),
    message=(
        "{table} {record}: {field} {value} is not a valid {expected}.",
        "{table_ja} {record}：「{label}」の値 {value} は{expected_ja}として正しくありません。",
    ),
    hint=("{fix}", "{fix_ja}"),
    per_event=True,
)
SCH_004 = rule(
    "SCH-004", "error", None,
    title=("Value not allowed", "許されない値"),
    description=(
        "A value is not one of the allowed values, or an Art 16(2) public body is outside Japan.",
        "値が選択肢にない、または法第16条第2項の公的機関の「国」が日本でない。",
    ),
    message=(
        "{table} {record}: {field} {value} is not allowed{problem}.",
        "{table_ja} {record}：「{label}」の値 {value} は使えません{problem}。",
    ),
    hint=("Use one of: {allowed}.", "次のいずれかにしてください：{allowed_ja}"),
    cases={
        "not_allowed": ("", ""),
        "public_body": (
            " for {if_column} {code} (a Japanese public body of APPI Art 16(2))",
            "（「{if_column_ja}」が『{code_ja}』の場合、法第16条第2項の日本の公的機関です）",
        ),
    },
    per_event=True,
)
SCH_005 = rule(
    "SCH-005", "warning", None,
    title=("Unknown column or sheet", "不明な列またはシート"),
    description=(
        "An unknown column or sheet: ignored by the checks, kept by `register convert`.",
        "不明な列またはシート。チェックでは無視し、形式の変換では保持する。",
    ),
    message=("{problem}", "{problem}"),
    cases={
        "sheet": (
            "The sheet or file {name!r} is not a table of the register; it is ignored.",
            "シートまたはファイル『{name}』は台帳の表ではないため、無視します。",
        ),
        "sheet_guess": (
            "The sheet or file {name!r} is not a table of the register; it is ignored.",
            "シートまたはファイル『{name}』は台帳の表ではないため、無視します。",
        ),
        "column": (
            "The column {name!r} of {table} is not in the data model; it is ignored by the checks.",
            "表「{label}」の列『{name}』はデータモデルにないため、チェックでは無視します。",
        ),
        "column_guess": (
            "The column {name!r} of {table} is not in the data model; it is ignored by the checks.",
            "表「{label}」の列『{name}』はデータモデルにないため、チェックでは無視します。",
        ),
        "repeated": (
            "The column {name!r} of {table} is the column {canon} again (the first is {first!r}); "
            "only the first is read, this one is ignored by the checks.",
            "表「{label}」の列『{name}』は列「{canon_label}」（{canon}）の重複です"
            "（最初の列は『{first}』）。最初の列だけを読み、この列はチェックでは無視します。",
        ),
    },
    hint=(
        "Check the spelling against the template (register template), or ignore this if the column is yours.",
        "テンプレート（register template）の見出しと綴りを確認してください。独自の列であれば無視して構いません。",
    ),
    case_hints={
        "sheet": (
            "Check the name against the template's sheets (register template), or ignore this if the sheet is yours.",
            "テンプレート（register template）のシート名と綴りを確認してください。独自のシートであれば無視して構いません。",
        ),
        "sheet_guess": (
            "Did you mean the table {guess_label} ({guess})? Rename it so; otherwise ignore this if it is yours.",
            "「{guess_label}」（{guess}）のことであれば、その名前に直してください。独自のものであれば無視して構いません。",
        ),
        "column_guess": (
            "Did you mean the column {guess_label} ({guess})? Rename it so; otherwise ignore this if it is yours.",
            "「{guess_label}」（{guess}）のことであれば、その名前に直してください。独自のものであれば無視して構いません。",
        ),
        "repeated": (
            "Keep one column {canon}: move what this one holds into the first, then delete it.",
            "列「{canon_label}」は1つにしてください。この列の内容を最初の列に移し、この列を削除してください。",
        ),
    },
)

def _guesses(unknown: list[str], candidates: list[tuple[str, str]]) -> dict[str, tuple[str, str]]:
    """Pair each unknown header with the closest unused canonical (name, Japanese label).

    People write their own headers (相手方ID for 提供先ID); naming the likely column turns
    a bare "unknown column" into a fix. Each candidate is offered once, best matches first.
    """
    scored = []
    for h in unknown:
        for name, label in candidates:
            score = max(
                difflib.SequenceMatcher(None, schema.fold(h), schema.fold(label)).ratio(),
                difflib.SequenceMatcher(None, schema.fold(h), schema.fold(name)).ratio(),
            )
            if score >= 0.4:
                scored.append((-score, h, name, label))
    out: dict[str, tuple[str, str]] = {}
    taken: set[str] = set()
    for _score, h, name, label in sorted(scored):
        if h not in out and name not in taken:
            out[h] = (name, label)
            taken.add(name)
    return out


def _guess(case: str, guess: tuple[str, str] | None) -> dict[str, str]:
    """SCH-005's case and values: with the likely name when one is close (`_guesses`)."""
    if guess is None:
        return {"case": case}
    return {"case": f"{case}_guess", "guess": guess[0], "guess_label": guess[1]}

_EXPECTED = {
    "id": ("ID (letters, digits, '_', '.', '-'; starting with a letter or digit; at most 64)",
           "ID（英数字と _ . - 、先頭は英数字、64文字以内）"),
    "ids": ("list of IDs separated by ';' (also ',', '、' or line breaks)",
            "『;』（『,』『、』や改行も可）で区切ったIDの並び"),
    "date": ("date (YYYY-MM-DD, YYYY/M/D or a Japanese era date such as 令和5年4月1日)",
             "日付（YYYY-MM-DD、YYYY/M/D、令和5年4月1日など）"),
    "bool": ("yes/no value (true/false, ○/×, はい/いいえ, あり/なし)",
             "はい/いいえの値（『○』／『×』、『はい』／『いいえ』、『あり』／『なし』など）"),
    "int": ("whole number", "整数"),
    "country": ("ISO 3166-1 alpha-2 country code (JP, US, GB …) or a Japanese country name",
                "ISO 3166-1 の2文字の国コード（JP、US、GB など）または国名（『米国』、『英国』など。地域名は不可）"),
    "corporate_number": ("corporate number (13 digits with a valid check digit)",
                         "法人番号（チェックデジットが正しい13桁）"),
}


def _ja(table: Table) -> str:
    return table.spec.label_ja


def check(reg: Register, ctx=None) -> Iterator[Finding]:
    """Every SCH finding of the register."""
    yield from _tables(reg)
    for table in reg.tables.values():
        if table.present:
            yield from _columns(table)
            yield from (_at_entry(table, f) for f in _values(table))
            yield from _conditions(table)
            yield from _past_calendar(table)
    absent = [(t.name, t.spec.label_ja) for t in reg.tables.values() if not t.present]
    guesses = _guesses([sh.name for sh in reg.extra_sheets], absent)
    for sh in reg.extra_sheets:
        yield SCH_005(
            table=None, record=None, field=None,
            location=Location(file=sh.file, sheet=sh.sheet, pointer=f"/{sh.name}" if sh.form == "json" else None),
            name=sh.name, **_guess("sheet", guesses.get(sh.name)),
        )


def _tables(reg: Register) -> Iterator[Finding]:
    for table in reg.tables.values():
        spec = table.spec
        loc = Location(file=table.file or reg.source, sheet=table.sheet)
        if spec.required_table and not table.present:
            yield SCH_001(
                table=spec.name, location=Location(file=reg.source), case="table", label=spec.label_ja,
            )
        elif spec.single_row and table.present and len(table) != 1:
            yield SCH_001(
                table=spec.name, location=loc, case="one_row", label=spec.label_ja, rows=len(table),
            )


def _columns(table: Table) -> Iterator[Finding]:
    spec = table.spec
    for c in spec.columns:
        if c.required and c.name not in table.headers and table.form != "json":
            yield SCH_001(
                table=spec.name, field=c.name,
                location=Location(file=table.file, sheet=table.sheet, row=table.header_row),
                case="column", label=spec.label_ja, column_label=c.label_ja,
            )
    missing = [(c.name, c.label_ja) for c in spec.columns if c.name not in table.headers]
    repeats = {h: _repeated(table, h) for h in table.extra}
    guesses = _guesses([h for h in table.extra if repeats[h] is None], missing)
    for h in table.extra:
        j = table.col_index.get(h)
        row = table.header_row
        repeat = repeats[h]
        written = h if repeat is None else repeat[0]
        location = Location(
            file=table.file, sheet=table.sheet, row=row, column=written,
            cell=f"{column_letter(j)}{row}" if j is not None and row else None,
            pointer=_first_pointer(table, h, written),
        )
        if repeat is not None:
            canon = repeat[1]
            first = table.headers[canon]
            label = spec.column(canon).label_ja
            yield SCH_005(
                table=spec.name, field=None, location=location, case="repeated", name=written,
                label=spec.label_ja, canon=canon, canon_label=label, first=first,
            )
            continue
        yield SCH_005(
            table=spec.name, field=None, location=location,
            name=h, label=spec.label_ja, **_guess("column", guesses.get(h)),
        )


def _repeated(table: Table, h: str) -> tuple[str, str] | None:
    """(the header as written, the column it names) when extra column `h` names a column the
    table already has: the same header twice (read as `name (7)`), or a column's English name
    and its Japanese label (`提供ID` and `provision_id`)."""
    j = table.col_index.get(h)
    written = h
    suffix = f" ({j + 1})" if j is not None else None
    if suffix and h.endswith(suffix) and h != suffix:
        written = h[: -len(suffix)]
    canon = table.spec.header_index.get(schema.fold(written))
    if canon is None or canon not in table.headers:
        return None
    return written, canon


def _first_pointer(table: Table, header: str, key: str | None = None) -> str | None:
    if table.form != "json":
        return None
    rows = table.raw.filter(pl.col(header).is_not_null())
    if rows.height == 0:
        return None
    return f"{rows[POINTER][0]}/{_pointer_token(key or header)}"


def _pointer_token(key: str) -> str:
    """JSON Pointer escaping (RFC 6901)."""
    return key.replace("~", "~0").replace("/", "~1")


def _values(table: Table) -> Iterator[Finding]:
    if table.name != "provision_log":
        yield from _value_findings(table, table.finding)
        return
    # The log may hold millions of bad cells: note each as (rule, row, column, params) and
    # build (locate, word) only those the report can list (findings.capped).
    noted: dict[str, list[tuple]] = {}

    def note(rule, i, column, **params):
        noted.setdefault(rule.id, []).append((rule, i, column, params))

    for _ in _value_findings(table, note):
        pass
    if not noted:
        return
    key = table.spec.key
    named_rows = table.df[key].is_not_null()
    if key in table.raw.columns:
        named_rows = named_rows | table.raw[key].is_not_null()
    has_record = named_rows.to_list()
    for items in noted.values():
        r = items[0][0]
        # the report caps only findings that name their event (docs/usage.md §3)
        named = [it for it in items if has_record[it[1]]]
        unnamed = [it for it in items if not has_record[it[1]]]
        yield from (table.finding(rule, i, col, **params) for rule, i, col, params in unnamed)
        yield from capped(
            r, named, lambda it: table.finding(it[0], it[1], it[2], **it[3]),
            key=lambda it: table.order_key(it[1]),
        )


def _value_findings(table: Table, emit) -> Iterator[Finding]:
    spec = table.spec
    raw = table.raw
    for c in spec.columns:
        if c.name not in raw.columns:
            if c.required and table.form == "json":
                # JSON has no header row: a required key missing everywhere is an empty value
                for i in range(len(table)):
                    yield emit(SCH_002, i, c.name, table_ja=_ja(table), label=c.label_ja)
            continue
        if c.required:
            for i in _indices(raw[c.name].is_null()):
                yield emit(SCH_002, i, c.name, table_ja=_ja(table), label=c.label_ja)
        bad = table.bad.get(c.name)
        if bad is None:
            continue
        for i in _indices(bad):
            if c.kind == "enum" or c.enum:  # an enum, or a list of codes
                yield emit(
                    SCH_004, i, c.name, table_ja=_ja(table), label=c.label_ja,
                    case="not_allowed", allowed=", ".join(c.enum), allowed_ja=_allowed_ja(c, c.enum),
                )
            elif c.kind == "id" and c.not_self and table.df[c.name][i] == "self":
                yield emit(
                    SCH_003, i, c.name, table_ja=_ja(table), label=c.label_ja,
                    expected="ID here: 'self' is reserved for the organization itself",
                    expected_ja="ID（『self』は事業者自身を表す予約IDです）",
                    fix="Give the party another ID; use 'self' only in joint_uses to mean the organization.",
                    fix_ja="別のIDにしてください。『self』は「共同利用」で事業者自身を指すときだけ使えます。",
                )
            elif c.kind == "country" and len(codes := country_candidates(table.raw[c.name][i])) > 1:
                listed = sorted(codes)
                yield emit(
                    SCH_003, i, c.name, table_ja=_ja(table), label=c.label_ja,
                    expected=f"country: the name is that of several ({', '.join(listed)})",
                    expected_ja=f"国（この名称は複数の国を指します：{'／'.join(f'『{k}』' for k in listed)}）",
                    fix=f"Write {c.name} as the ISO code of the one meant.",
                    fix_ja=f"「{c.label_ja}」は該当する国の2文字の国コードで記入してください。",
                )
            else:
                en, ja = _EXPECTED[c.kind]
                yield emit(
                    SCH_003, i, c.name, table_ja=_ja(table), label=c.label_ja,
                    expected=en, expected_ja=ja,
                    fix=f"Write {c.name} as a {en}.", fix_ja=f"「{c.label_ja}」は{ja}で記入してください。",
                )


def _at_entry(table: Table, f: Finding) -> Finding:
    """An invalid ID list kept as a JSON array (values.array_entries): the finding points at
    the first entry that is not one valid ID (`/provision_log/3/principal_ids/1`), names it,
    and says an array entry is one ID."""
    value = f.params.get("value")
    if f.rule != SCH_003.id or not f.location.pointer or not isinstance(value, str):
        return f
    entries = array_entries(value)
    if entries is None:
        return f
    bad = [k for k, e in enumerate(entries) if e is not None and not is_valid_id(normalize_id(e))]
    if not bad:
        return f
    k = bad[0]
    en = "ID: an array entry is one ID, and cannot hold a list separator (';', '、')"
    ja = "ID（配列の要素は1つのIDで、区切り文字『;』『、』を含められません）"
    return replace(
        f,
        location=replace(f.location, pointer=f"{f.location.pointer}/{k}"),
        params={
            **f.params, "value": entries[k], "expected": en, "expected_ja": ja,
            "fix": "Give each ID its own entry of the array.",
            "fix_ja": "IDは1つずつ配列の別の要素にしてください。",
        },
    )


# Dates the checks move forward (values.add_months), by a fixed number of months or by the
# months another column of the row gives. (Retention, whose period depends on the record, is
# checked in retention.py.)
_DERIVED = (
    ("parties", "safeguard_checked_on", 12, None),  # the yearly safeguard check (XB-003)
    ("contractors", "last_audit_on", None, "audit_interval_months"),  # the next audit (ENT-003)
)
LAST = "9999-12-31"


def _past_calendar(table: Table) -> Iterator[Finding]:
    """SCH-003 at the cell that moves a derived date past 9999-12-31, the last date a date can
    hold (add_months stops there instead of failing): a placeholder date such as 9999-12-31,
    or an interval of 999,999 months. When both are given, the date is blamed if even a yearly
    interval after it falls past the end, else the interval."""
    for name, column, fixed, by in _DERIVED:
        if table.name != name or column not in table.df.columns:
            continue
        dates = table.df[column].to_list()
        months = table.df[by].to_list() if by is not None else [fixed] * len(dates)
        for i, (d, n) in enumerate(zip(dates, months, strict=True)):
            if d is None or n is None or not past_calendar(d, int(n)):
                continue
            label = table.spec.column(column).label_ja
            if by is None or past_calendar(d, 12):
                yield table.finding(
                    SCH_003, i, column, table_ja=_ja(table), label=label,
                    expected=f"date here: {n} months after it is past {LAST}, the last date a "
                    "date can hold",
                    expected_ja=f"日付（その{n}か月後が日付の上限 {LAST} を超えます）",
                    fix=f"Write the date {column} really was ({LAST} stands for 'no end', not "
                    "for a day).",
                    fix_ja=f"「{label}」には実際の日付を入力してください（{LAST} は「期限なし」の意味で、日付ではありません）。",
                )
            else:
                by_label = table.spec.column(by).label_ja
                yield table.finding(
                    SCH_003, i, by, table_ja=_ja(table), label=by_label,
                    expected=f"number of months here: {n} months after {column} {d} is past "
                    f"{LAST}, the last date a date can hold",
                    expected_ja=f"月数（「{label}」{d} の{n}か月後が日付の上限 {LAST} を超えます）",
                    fix=f"Write {by} as the months between two audits (12 for a yearly audit).",
                    fix_ja=f"「{by_label}」には監査の間隔を月数で入力してください（毎年なら12）。",
                )


def _conditions(table: Table) -> Iterator[Finding]:
    """The schema's if/then conditions: `if column X in [...] then column Y == const`."""
    df = table.df
    for cond in table.spec.conditions:
        if_props = cond.get("if", {}).get("properties", {})
        then_props = cond.get("then", {}).get("properties", {})
        if len(if_props) != 1 or len(then_props) != 1:
            continue
        (x, xs), (y, ys) = next(iter(if_props.items())), next(iter(then_props.items()))
        if "enum" not in xs or "const" not in ys or x not in df.columns or y not in df.columns:
            continue
        mask = df[x].is_in(xs["enum"]) & (df[y] != ys["const"])
        col = table.spec.column(y)
        for i in _indices(mask.fill_null(False)):
            yield table.finding(
                SCH_004, i, y, table_ja=_ja(table), label=col.label_ja,
                case="public_body", if_column=x, code=df[x][i],
                if_column_ja=table.spec.column(x).label_ja,
                code_ja=table.spec.column(x).enum_labels_ja.get(df[x][i], df[x][i]),
                allowed=str(ys["const"]), allowed_ja=_allowed_ja(col, [ys["const"]]),
            )


def _allowed_ja(col: schema.Column, values) -> str:
    """The allowed values as the officer types them under --lang ja (labels, country names),
    each in 『』, separated by ／ (docs/japanese.md §4)."""
    if col.kind == "country":
        names = [country_name(v, "ja") for v in values]
    else:
        names = [col.enum_labels_ja.get(v, v) for v in values]
    return "／".join(f"『{n}』" for n in names)


def _indices(mask: pl.Series) -> list[int]:
    """Row positions where mask holds: loop only over failures."""
    return mask.arg_true().to_list()


__all__ = ["check", "SCH_001", "SCH_002", "SCH_003", "SCH_004", "SCH_005", "ROW"]
