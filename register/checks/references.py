"""REF: identity and references between tables (docs/rules.md)."""

from __future__ import annotations

from collections.abc import Iterator

import polars as pl

from .. import schema
from ..facts import flows
from ..findings import Finding, capped_frame, rule
from ..model import Register, Table
from ..values import few_values

REF_001 = rule(
    "REF-001", "error", None,
    title=("Duplicate ID", "IDの重複"),
    description=(
        "The same ID appears twice in a table (not provision_log.event_id, whose rows group into events).",
        "同じ表の中で同じIDが2回以上使われている（「提供実績」の「提供実績ID」を除く）。",
    ),
    message=(
        "{table} {record}: the ID is used again ({problem}).",
        "{table_ja} {record}：このIDは既に使われています（{problem}）。",
    ),
    hint=("Give each row its own ID, or merge the two rows.", "行ごとに別のIDを付けるか、2つの行をまとめてください。"),
    cases={
        "first_at": ("first at {first}", "最初は {first}"),
        "first_row": ("first at row {row}", "最初は {row}行目"),
    },
)
REF_002 = rule(
    "REF-002", "error", None,
    title=("Reference to an unknown ID", "存在しないIDの参照"),
    description=(
        "A reference (`*_id`, `*_ids`, except `principal_ids` and the table's own key) names an ID that does not exist.",
        "ID列が、参照先の表に存在しないIDを指している（「本人ID」と自表のキーを除く）。",
    ),
    message=(
        "{table} {record}: {field} names {missing}, which is not in {target}.",
        "{table_ja} {record}：「{label}」の {missing} は「{target_ja}」にありません。",
    ),
    hint=(
        "Add {missing} to {target}, or correct the ID.",
        "「{target_ja}」に {missing} を追加するか、IDを訂正してください。",
    ),
    per_event=True,
)
REF_003 = rule(
    "REF-003", "warning", None,
    title=("Defined but never used", "未使用の定義"),
    description=(
        "A defined item, purpose, party or contract is referenced from no other table.",
        "定義した項目・利用目的・相手方・委託契約が、ほかのどの表からも参照されていない。",
    ),
    message=(
        "{table} {record} is not referenced from any other table.",
        "{table_ja} {record} はほかのどの表からも参照されていません。",
    ),
    hint=(
        "Reference it where it is used, or remove the row if it is obsolete.",
        "使っている箇所から参照するか、不要なら行を削除してください。",
    ),
)
REF_004 = rule(
    "REF-004", "error", None,
    title=("'self' where the organization cannot stand", "事業者自身（『self』）を指定できない箇所"),
    description=(
        "`self` used where the organization cannot stand (recipient, provider, contractor, the "
        "client of data held for a client: `datasets.held_for_party_id`, `purposes.client_party_id`; "
        "the cloud provider: `datasets.cloud_party_id`).",
        "事業者自身を表す『self』が、提供先・提供元・委託先・委託元（「委託元ID（受託データ）」「委託元ID（委託元の利用目的）」）・クラウド事業者（「クラウド事業者ID」）など使えない箇所で使われている。",
    ),
    message=(
        "{table} {record}: {field} is 'self', but the organization cannot be its own {problem}.",
        "{table_ja} {record}：「{label}」が『self』ですが、事業者自身は{problem}になれません。",
    ),
    hint=(
        "Name the other party; 'self' is only valid as joint-use manager or user, or as a tag's recipient.",
        "相手方のIDを指定してください。『self』は「共同利用」の「管理責任者ID」と「共同利用者ID」、「外部送信」の「送信先」にだけ使えます。",
    ),
    # What the organization would be, by the table the column refers to.
    cases={
        "parties": ("recipient, provider or contractor", "提供先・提供元・委託先"),
        "client": ("client (the entrustor of data it holds)", "委託元"),
        "cloud": ("cloud provider", "クラウド事業者"),
        "other": ("party", "相手方"),
    },
)
REF_005 = rule(
    "REF-005", "error", None,
    title=("Rows of one event disagree", "同じイベントの行の不一致"),
    description=(
        "Rows of one `event_id` disagree on `provision_id` or `provided_on`.",
        "「提供実績」の同じ「提供実績ID」の行で、「提供ID」または「提供日」が食い違っている。",
    ),
    message=(
        "provision_log event {record}: its rows disagree on {field} ({values}).",
        "提供実績のイベント {record}：行によって「{label}」が異なります（{values}）。",
    ),
    hint=(
        "Give the rows the same {field}, or give them different event IDs.",
        "各行の「{label}」をそろえるか、別の「提供実績ID」にしてください。",
    ),
    per_event=True,
)

REF_006 = rule(
    "REF-006", "warning", "APPI Rules Art 20(1), 24(1)",
    title=("Principal ID not in the principals table", "「本人」にない本人ID"),
    description=(
        "`principals` has rows, and a `provision_log` or `receipts` row's `principal_ids` names "
        "an ID that is not a `principals.principal_id` (exact: IDs are case-sensitive). The "
        "record lists the ID, unnamed, and a request by that principal would not find it.",
        "「本人」に行があるのに、「提供実績」又は「受領」の「本人ID」に「本人」にないIDがある"
        "（大文字・小文字も区別して照合）。記録には氏名のないIDとして載り、その本人からの開示"
        "請求でも見つかりません。",
    ),
    message=(
        "{table} {record}: principal_ids names IDs that are not in principals: {missing}.",
        "{table_ja} {record}：「本人ID」の {missing} は「本人」にありません。",
    ),
    hint=(
        "Correct the ID (IDs are case-sensitive), or add {missing} to principals.",
        "IDを訂正するか（大文字と小文字は区別されます）、「本人」に {missing} を追加してください。",
    ),
    per_event=True,
)

# Where a party is the client of data we hold for it (docs/joint-use.md §1.4): never ourselves.
_CLIENT_COLUMNS = frozenset({"held_for_party_id", "client_party_id"})
# A defined row of these tables should be referenced somewhere (REF-003).
_USED_TABLES = ("data_items", "purposes", "parties", "contractors")


def _ja(t: Table) -> str:
    return t.spec.label_ja


def check(reg: Register, ctx=None) -> Iterator[Finding]:
    """Every REF finding of the register."""
    yield from _duplicates(reg)
    yield from _references(reg)
    yield from _unused(reg)
    yield from _events(reg)
    yield from _unknown_principals(reg)


def _duplicates(reg: Register) -> Iterator[Finding]:
    for t in reg.tables.values():
        key = t.spec.key
        if not t.present or key is None or t.name == "provision_log" or len(t) == 0:
            continue
        keys = t.df[key]
        given = keys.drop_nulls()
        if given.n_unique() == given.len():
            continue  # one hash pass proves there is no duplicate
        dup = keys.is_duplicated() & ~keys.is_first_distinct() & keys.is_not_null()
        for i in dup.arg_true().to_list():
            first = t.index_of(keys[i])
            at = t.location(first, key)
            where = (
                {"case": "first_at", "first": at.short()} if at.cell or at.pointer
                else {"case": "first_row", "row": at.row if at.row is not None else first + 1}
            )
            yield t.finding(REF_001, i, key, table_ja=_ja(t), **where)


def reference_columns() -> list[tuple[schema.TableSpec, schema.Column]]:
    """Every (table, column) that refers to another table's key."""
    return [(t, c) for t in schema.tables() for c in t.columns if c.references]


def _references(reg: Register) -> Iterator[Finding]:
    for spec, col in reference_columns():
        t = reg.tables[spec.name]
        if not t.present or len(t) == 0:
            continue
        target = reg.tables[col.references]
        tkey = target.spec.key
        known = target.df[tkey].drop_nulls().unique() if tkey else pl.Series([], dtype=pl.Utf8)
        s = t.df[col.name]
        # One whole-column test first: in a sound register every reference resolves. (A long
        # log repeats its provision IDs row after row: each run's first is tested.)
        given = s.drop_nulls()
        if col.is_list:
            given = given.list.explode(keep_nulls=False, empty_as_null=False)
        given = few_values(given)
        if bool(given.is_in(known.implode()).all()) and (
            col.allow_self or not bool((given == "self").any())
        ):
            continue
        if col.is_list:
            exploded = pl.DataFrame({"i": pl.int_range(0, len(t), eager=True), "v": s}).explode("v")
            exploded = exploded.filter(pl.col("v").is_not_null())
        else:
            exploded = pl.DataFrame({"i": pl.int_range(0, len(t), eager=True), "v": s}).filter(
                pl.col("v").is_not_null()
            )
        # 'self' is the organization, never a row of parties: REF-004 wherever it cannot stand
        is_self = pl.col("v") == "self"
        missing = exploded.filter(
            (~pl.col("v").is_in(known.implode()) & ~is_self) | (is_self & (not col.allow_self))
        )
        if missing.height == 0:
            continue
        grouped = missing.group_by("i", maintain_order=True).agg(pl.col("v"))
        for i, vals in grouped.iter_rows():
            is_self = [v for v in vals if v == "self"]
            others = [v for v in vals if v != "self"]
            if is_self and not col.allow_self:
                yield t.finding(
                    REF_004, i, col.name, table_ja=_ja(t), label=col.label_ja,
                    case=(
                        "client" if col.name in _CLIENT_COLUMNS
                        else "cloud" if col.name == "cloud_party_id"
                        else "parties" if col.references == "parties" else "other"
                    ),
                )
            if others:
                yield t.finding(
                    REF_002, i, col.name, table_ja=_ja(t), label=col.label_ja,
                    missing=others, target=col.references, target_ja=target.spec.label_ja,
                )


def _unused(reg: Register) -> Iterator[Finding]:
    used: dict[str, set[str]] = {name: set() for name in _USED_TABLES}
    for spec, col in reference_columns():
        if col.references not in used or spec.name == col.references:
            continue
        t = reg.tables[spec.name]
        if not t.present or len(t) == 0:
            continue
        vals = t.df[col.name].drop_nulls()  # a long log's item_ids are mostly empty
        if col.is_list:
            vals = vals.list.explode(keep_nulls=False, empty_as_null=False)
        used[col.references].update(few_values(vals.drop_nulls()).unique().to_list())
    for name in _USED_TABLES:
        t = reg.tables[name]
        key = t.spec.key
        if not t.present or key is None or len(t) == 0:
            continue
        keys = t.df[key]
        unused = keys.is_not_null() & ~keys.is_in(list(used[name])) & keys.is_first_distinct()
        for i in unused.arg_true().to_list():
            yield t.finding(REF_003, i, None, table_ja=_ja(t))


def _events(reg: Register) -> Iterator[Finding]:
    t = reg.tables["provision_log"]
    if not t.present or len(t) == 0:
        return
    events = flows.events(reg)
    differ = {"provision_id": pl.col("n_provision_ids") > 1, "provided_on": pl.col("dates_differ")}
    for col, odd_events in differ.items():
        # an empty or invalid value is SCH-002/003 already; only given values can disagree
        odd = events.filter(odd_events)["event_id"]
        if odd.len() == 0:
            continue
        agg = (
            t.df.with_row_index("_i")
            .filter(pl.col("event_id").is_in(odd.implode()) & pl.col(col).is_not_null())
            .group_by("event_id", maintain_order=True)
            .agg(pl.col(col).unique(maintain_order=True).alias("vals"), pl.col("_i").first())
        )
        for _eid, vals, i in agg.iter_rows():
            yield t.finding(
                REF_005, i, col, label=t.spec.column(col).label_ja,
                values=[str(v) for v in vals],  # empty values were filtered out above
            )


def _events_name_listed_ids_only(reg: Register, known: pl.Series) -> bool:
    """Whether every principal ID the log's events name is a principals row's, read from the
    records' coding of those IDs when the command codes them anyway (`records` prefetches it:
    api.analyze), rather than testing a million IDs again. code_principals ranks an ID no row
    holds among the listed ones, so the ranked principals are then more than `known`. False
    when nothing codes them (`check`) or the log was streamed (its unknown IDs are in the
    residual rows already)."""
    if reg.log_digest is not None or not flows.asked(reg, "coded_log_principals"):
        return False
    from ..records.shared import coded_log_principals

    ranked, _ = coded_log_principals(reg)
    return ranked.height == known.len()


def _unknown_principals(reg: Register) -> Iterator[Finding]:
    """REF-006: rows whose principal_ids name an ID no principals row holds (only when
    principals has rows: an empty table names nobody yet). One finding per row, naming every
    unknown ID in the order written; capped like the log-event rules (docs/usage.md §3)."""
    who = reg["principals"]
    if not who.present or len(who) == 0:
        return
    known = who.df["principal_id"].drop_nulls().unique()
    for name in ("provision_log", "receipts"):
        t = reg[name]
        if not t.present or len(t) == 0:
            continue
        s, at = t.df["principal_ids"], pl.int_range(0, len(t), eager=True)
        if name == "provision_log" and _events_name_listed_ids_only(reg, known):
            at = t.df["event_id"].is_null().arg_true()  # the rows no event holds are left
            s = s.gather(at)
        given = s.drop_nulls().list.explode(keep_nulls=False, empty_as_null=False)
        if bool(given.is_in(known.implode()).all()):
            continue  # one whole-column test: in a sound register every ID is known
        rows = (
            pl.DataFrame({"i": at, "v": s})
            .explode("v")
            .filter(pl.col("v").is_not_null() & ~pl.col("v").is_in(known.implode()))
            .group_by("i", maintain_order=True)
            .agg(pl.col("v").unique(maintain_order=True))
        )
        yield from capped_frame(
            REF_006, rows,
            lambda row, t=t: t.finding(REF_006, row[0], "principal_ids", table_ja=_ja(t),
                                       missing=row[1]),
            table=name,
        )
