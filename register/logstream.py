"""A long provision log read once, batch by batch, in bounded memory (docs/performance.md).

The whole-table path holds every row of the log as text and as typed columns: about 240
bytes a row, 2.4 GB at ten million rows. Streamed, each batch (io/stream.py) is parsed and
validated by the same code (`load.build_table`) and then reduced to what the rest of the
pipeline needs, which grows with the log's events and its problems, not with its rows:

- **the events** (`flows.log_events`): each batch grouped by (event_id, provision_id), the
  partial groups of all batches combined once at the end;
- **the rows that can matter to a finding** (the *residual* table, which stands for the log in
  the checks): every row with an invalid or missing required cell, a reference or principal
  the register does not hold, the first row of each event (and of each of its provisions and
  dates, which REF-005 compares), and the first row naming each list of items or each
  principal the principals table does not hold. A row that is none of these cannot give a
  finding, and no check reads it (tests/test_log_streaming.py holds the streamed checks,
  records and disclosures to the whole-table ones on every sample register);
- **the (event, principal) pairs** the provision principals are made of: written to a
  temporary file as two 32-bit codes a row, and sorted there only when the records are output
  (in one array, or for a longer log by an external bucket sort: `LogDigest.principals`).
"""

from __future__ import annotations

import shutil
import sys
import tempfile
import weakref
from collections.abc import Iterator
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

import numpy as np
import polars as pl

from . import schema
from .facts.flows import EVENT_KEYS, EVENT_ROW_COLUMNS, event_aggregates, without_invalid_recorded
from .idindex import IdIndex
from .io.sheets import frame_from_rows
from .model import Sheet, Table
from .outputs import output_table
from .parts import GatheredFrame

_NONE = np.uint32(0xFFFFFFFF)
# Pairs held in memory at a time when they are sorted (8 bytes each): 64 MiB.
SORT_BUCKET = 8 * 1024**2
# Up to this many pairs (128 MiB: a log of ten million rows) they are sorted in one array and
# kept there while the table is written, with no bucket files (at 10M rows 1.1 s → 0.45 s).
SORT_IN_MEMORY = 16 * 1024**2
# Batches whose residual rows are merged into one block at a time.
MERGE_BATCHES = 16
# Rows of provision_principals made into a frame at a time when it is written.
OUTPUT_CHUNK = 1_048_576


# --------------------------------------------------------------------------------------------
# The pairs on disk
# --------------------------------------------------------------------------------------------


class PairSpill:
    """(local event code, principal code) pairs of each batch, appended to one file."""

    def __init__(self) -> None:
        self.folder = Path(tempfile.mkdtemp(prefix="register-log-"))
        self._finalizer = weakref.finalize(self, shutil.rmtree, self.folder, True)
        self.path = self.folder / "pairs.u32"
        self.batches: list[tuple[int, int]] = []  # (first pair, pairs) of each batch
        self._n = 0

    def add(self, ev: np.ndarray, code: np.ndarray) -> None:
        with open(self.path, "ab") as fh:
            np.stack([ev.astype(np.uint32), code.astype(np.uint32)], axis=1).tofile(fh)
        self.batches.append((self._n, len(ev)))
        self._n += len(ev)

    def read(self, b: int) -> tuple[np.ndarray, np.ndarray]:
        first, n = self.batches[b]
        if n == 0:
            empty = np.empty(0, dtype=np.uint32)
            return empty, empty
        a = np.fromfile(self.path, dtype=np.uint32, count=2 * n, offset=8 * first).reshape(n, 2)
        return a[:, 0], a[:, 1]

    def __len__(self) -> int:
        return self._n


@dataclass
class LogDigest:
    """What a streamed log leaves for the rest of the pipeline besides its residual rows."""

    rows: int  # the log's rows (after blank rows)
    events: pl.DataFrame  # flows.LOG_EVENTS_SCHEMA, i as a residual row; principals empty
    spill: PairSpill | None  # the pairs, unless only `check` reads the log
    ev_of_loc: list[np.ndarray] = field(default_factory=list)  # batch → local code → event
    rank_of_code: np.ndarray | None = None  # principal code → rank in `ranked`
    ranked: pl.DataFrame | None = None  # _rank, principal_id, principal_name (records.shared)

    def pairs(self) -> Iterator[tuple[np.ndarray, np.ndarray]]:
        """(event, principal rank) of every pair, a batch at a time."""
        if self.spill is None:
            raise RuntimeError("the log's principals were not kept (check reads none)")
        for b in range(len(self.spill.batches)):
            loc, code = self.spill.read(b)
            yield self.ev_of_loc[b][loc], self.rank_of_code[code]

    # ----------------------------------------------------------------------------------------
    # provision_principals, sorted out of memory
    # ----------------------------------------------------------------------------------------

    def _place_of_ev(self, named: pl.DataFrame) -> np.ndarray:
        """Each event's record place (`named`: _ev → _order), _NONE for an event without one."""
        place = np.full(self.events.height, _NONE, dtype=np.uint32)
        place[named["_ev"].to_numpy()] = named["_order"].to_numpy()
        return place

    def principals(self, order: pl.DataFrame, named: pl.DataFrame
                   ) -> tuple[GatheredFrame, pl.Series]:
        """(provision_principals in record order then by principal ID, each record's count
        of principals in record order),
        as records.shared.principal_rows makes them from pairs held in memory; `order` the
        records' order, `named` each event's place in it (records.provision._event_places)."""
        place_of_ev = self._place_of_ev(named)
        upper = _pairs_per_place(self, place_of_ev, order.height)
        if int(upper.sum()) <= SORT_IN_MEMORY:
            total, read, counts = self._sorted_in_memory(place_of_ev, int(upper.sum()),
                                                         order.height)
        else:
            total, read, counts = self._sorted_on_disk(place_of_ev, upper, order.height)
        # (by place, not by record_id: joining a million record IDs cost 60 MiB at the peak)
        by_place = pl.Series("_count", counts, dtype=pl.Int64)
        ranked = self.ranked
        spec = output_table("provision_principals")

        def indices() -> Iterator[tuple[pl.Series, pl.Series]]:
            for start in range(0, total, OUTPUT_CHUNK):
                keys = read(start, min(OUTPUT_CHUNK, total - start))
                yield (pl.Series((keys >> np.uint64(32)).astype(np.uint32)),
                       pl.Series((keys & np.uint64(0xFFFFFFFF)).astype(np.uint32)))

        sources = (order.select("record_id"), ranked.select("principal_id", "principal_name"))
        return GatheredFrame(spec.empty(), total, sources, indices), by_place

    def _placed_pairs(self, place_of_ev: np.ndarray) -> Iterator[tuple[np.ndarray, np.ndarray]]:
        """(record place, principal rank) of every pair, a batch at a time; the pairs of
        events without a record left out."""
        every = not bool((place_of_ev == _NONE).any())  # then no pair needs to be left out
        for ev, rank in self.pairs():
            place = place_of_ev[ev]
            if not every:
                keep = place != _NONE
                place, rank = place[keep], rank[keep]
            if place.size:
                yield place, rank

    def _sorted_in_memory(self, place_of_ev: np.ndarray, upper: int, places: int
                          ) -> tuple[int, Any, np.ndarray]:
        """(pairs, read(start, n), count a place) with every key sorted in one array: a log
        of up to SORT_IN_MEMORY pairs (ten million rows) skips the bucket files."""
        keys = np.empty(upper, dtype=np.uint64)
        at = 0
        for place, rank in self._placed_pairs(place_of_ev):
            if at + place.size > keys.size:  # (upper is an upper bound; never past it)
                keys = np.concatenate([keys[:at], np.empty(place.size, dtype=np.uint64)])
            _fill_keys(keys[at:at + place.size], place, rank)
            at += place.size
        keys = _unique_sorted(keys[:at])
        return keys.size, lambda start, n: keys[start:start + n], _place_counts(keys, places)

    def _sorted_on_disk(self, place_of_ev: np.ndarray, upper: np.ndarray, places: int
                        ) -> tuple[int, Any, np.ndarray]:
        """(pairs, read(start, n), count a place) with the keys sorted into a file of the
        spill's folder: partitioned into buckets of at most SORT_BUCKET pairs by key range,
        each bucket sorted in memory in turn."""
        bounds = _bucket_bounds(upper, self.ranked.height)
        folder = self.spill.folder
        buckets = [folder / f"bucket-{k}.u64" for k in range(len(bounds))]
        for p in buckets:
            p.unlink(missing_ok=True)
        for place, rank in self._placed_pairs(place_of_ev):
            key = _fill_keys(np.empty(place.size, dtype=np.uint64), place, rank)
            if len(bounds) == 1:
                with open(buckets[0], "ab") as fh:
                    key.tofile(fh)
                continue
            # (a stable sort of 16-bit bucket numbers is numpy's radix sort: linear)
            which = (np.searchsorted(bounds, key, side="right") - 1).astype(np.uint16)
            idx = np.argsort(which, kind="stable")
            key, which = key[idx], which[idx]
            starts = np.concatenate([[0], np.flatnonzero(np.diff(which)) + 1])
            ends = np.append(starts[1:], key.size)
            for s, e in zip(starts, ends, strict=True):
                with open(buckets[int(which[s])], "ab") as fh:
                    key[s:e].tofile(fh)
        final = folder / "principals.u64"
        final.unlink(missing_ok=True)
        counts = np.zeros(places, dtype=np.int64)
        total = 0
        with open(final, "ab") as out:
            for p in buckets:
                if not p.exists():
                    continue
                keys = np.fromfile(p, dtype=np.uint64)
                p.unlink()
                keys = _unique_sorted(keys)
                counts += _place_counts(keys, places)
                keys.tofile(out)
                total += keys.size

        def read(start: int, n: int) -> np.ndarray:
            return np.fromfile(final, dtype=np.uint64, count=n, offset=8 * start)

        return total, read, counts

    def of_principal(self, principal_id: str, order: pl.DataFrame, named: pl.DataFrame
                     ) -> pl.DataFrame:
        """provision_principals filtered to one principal: its record places, from one scan
        of the pairs (nothing sorted)."""
        spec = output_table("provision_principals")
        place_of_ev = self._place_of_ev(named)
        hit = self.ranked.filter(pl.col("principal_id") == principal_id)
        if hit.height == 0:
            return spec.empty()
        rank = np.uint32(hit["_rank"][0])
        places: list[np.ndarray] = []
        for ev, r in self.pairs():
            p = place_of_ev[ev[r == rank]]
            places.append(p[p != _NONE])
        mine = np.unique(np.concatenate(places)) if places else np.empty(0, dtype=np.uint32)
        return spec.conform(
            pl.DataFrame({"record_id": order["record_id"].gather(pl.Series(mine, dtype=pl.UInt32))})
            .with_columns(
                pl.lit(principal_id).alias("principal_id"),
                pl.lit(hit["principal_name"][0], dtype=pl.Utf8).alias("principal_name"),
            )
        )


# A key is a record place (high 32 bits) and a principal rank (low): its two halves as two
# 32-bit words, in the machine's order.
_LOW, _HIGH = (0, 1) if sys.byteorder == "little" else (1, 0)


def _fill_keys(out: np.ndarray, place: np.ndarray, rank: np.ndarray) -> np.ndarray:
    """`out` (uint64) filled with the keys of (place, rank): written as their two words, not
    shifted and or-ed (no 64-bit copies of either; 45 ms against 73 for ten million)."""
    words = out.view(np.uint32).reshape(-1, 2)
    words[:, _HIGH] = place
    words[:, _LOW] = rank
    return out


def _place_counts(keys: np.ndarray, places: int) -> np.ndarray:
    """How many of the sorted `keys` each record place has (a search for each place's first
    key: 40 ms for ten million keys, against 100 to count their shifted places)."""
    firsts = np.arange(places + 1, dtype=np.uint64) << np.uint64(32)
    return np.diff(np.searchsorted(keys, firsts)).astype(np.int64)


def _unique_sorted(keys: np.ndarray) -> np.ndarray:
    """`keys` sorted, each once. (np.unique hashes: slower than a sort for these.)"""
    keys.sort()
    if keys.size > 1:
        first = np.empty(keys.size, dtype=bool)  # (written in place: no concatenated copy)
        first[0] = True
        np.not_equal(keys[1:], keys[:-1], out=first[1:])
        if not first.all():
            keys = keys[first]
    return keys


def _pairs_per_place(digest: LogDigest, place_of_ev: np.ndarray, places: int) -> np.ndarray:
    """An upper bound of the pairs each record place receives (its events' principals)."""
    n = digest.events["n_principals"].to_numpy().astype(np.int64)
    keep = place_of_ev != _NONE
    return np.bincount(place_of_ev[keep].astype(np.int64), weights=n[keep], minlength=places
                       ).astype(np.int64)


def _bucket_bounds(upper: np.ndarray, n_ranks: int) -> np.ndarray:
    """The first key of each bucket, so that no bucket holds more than SORT_BUCKET pairs: whole
    record places, in order, and a place with more than that many split by principal rank.
    (A loop over the buckets, not the places: a million places took 0.6 s in Python.)"""
    bounds: list[int] = [0]
    ends = np.cumsum(upper)  # pairs up to and including each place
    place, n = 0, upper.size
    while place < n:
        c = int(upper[place])
        if c > SORT_BUCKET:  # one place alone: split by rank
            parts = -(-c // SORT_BUCKET)
            for j in range(parts):
                bounds.append((place << 32) | (j * n_ranks // parts))
            place += 1
            bounds.append(place << 32)
            continue
        # the places after this one that fit with it (at least this one)
        before = int(ends[place]) - c
        place = max(place + 1, int(np.searchsorted(ends, before + SORT_BUCKET, side="right")))
        bounds.append(place << 32)
    return np.unique(np.array(bounds, dtype=np.uint64))


# --------------------------------------------------------------------------------------------
# The pass over the log
# --------------------------------------------------------------------------------------------


def _partial(named: pl.DataFrame, bad_recorded: pl.Series | None, principals: bool
             ) -> pl.DataFrame:
    """The events of one batch (`named`: its rows with an event ID, `i` global, `_b` the row
    in the batch), grouped as flows.log_events groups the whole log, in order of first
    appearance; with `principals`, the IDs each event names (repeats kept)."""
    df = without_invalid_recorded(named, bad_recorded, named["_b"])
    return df.group_by(*EVENT_KEYS, maintain_order=True).agg(event_aggregates(principals))


def _as_events(partials: pl.DataFrame) -> pl.DataFrame:
    """Partial events that are whole events, in flows.LOG_EVENTS_SCHEMA's columns."""
    from .facts.flows import LOG_EVENTS_SCHEMA

    return partials.with_columns(pl.lit([], dtype=pl.List(pl.Utf8)).alias("principals")).select(
        [pl.col(c).cast(d) for c, d in LOG_EVENTS_SCHEMA.items()])


def _combine(partials: pl.DataFrame) -> pl.DataFrame:
    """The partial events of every batch → one row per (event_id, provision_id), as
    flows.log_events makes it (its `principals` left empty: they are in the spill)."""
    from .facts.flows import LOG_EVENTS_SCHEMA

    out = partials.sort("i").group_by(*EVENT_KEYS, maintain_order=True).agg(
        pl.col("i").min(),
        pl.col("on_first_i").min(),
        pl.col("on_first").sort_by("on_first_i", nulls_last=True).first(),
        pl.col("on_min").min(),
        pl.col("on_max").max(),
        pl.col("recorded_on").max(),
        pl.col("undated").any(),
        pl.col("unrecorded").any(),
        pl.col("items").list.explode(keep_nulls=False, empty_as_null=False)
        .unique(maintain_order=True),
        pl.col("default_items").any(),
        pl.col("n_principals").sum(),
    ).with_columns(pl.lit([], dtype=pl.List(pl.Utf8)).alias("principals"))
    return out.select([pl.col(c).cast(d) for c, d in LOG_EVENTS_SCHEMA.items()]).sort("i")


class _Known:
    """The IDs a log row may name, from the small tables loaded first."""

    def __init__(self, tables: dict[str, Table]):
        spec = schema.table("provision_log")
        self.refs: dict[str, pl.Series] = {}
        for c in spec.columns:
            if c.references:
                target = tables[c.references]
                key = target.spec.key
                self.refs[c.name] = (
                    target.df[key].drop_nulls().unique() if key and target.present
                    else pl.Series([], dtype=pl.Utf8)
                )
        who = tables["principals"]
        self.principals_given = who.present and len(who) > 0
        self.principal_ids = (
            who.df["principal_id"].drop_nulls().unique().sort() if who.present
            else pl.Series([], dtype=pl.Utf8)
        )


def stream_log(spec: schema.TableSpec, source: Any, tables: dict[str, Table], pairs: bool,
               advance: Any = lambda n: None) -> tuple[Table, LogDigest]:
    """Read a long log in batches (io/stream.py) into its residual table and digest;
    `advance(n)` is told of every n rows read."""
    from .load import build_table

    known = _Known(tables)
    known_codes = pl.DataFrame({
        "principal_id": known.principal_ids,
        "_code": pl.int_range(0, known.principal_ids.len(), dtype=pl.UInt32, eager=True),
    })
    index = IdIndex(known.principal_ids)  # a known principal's code is its place in it
    unknown = pl.DataFrame(schema={"principal_id": pl.Utf8, "_code": pl.UInt32})
    seen_items = pl.Series("items", [], dtype=pl.Utf8)
    spill = PairSpill() if pairs else None

    residual: list[tuple[pl.DataFrame, pl.DataFrame, dict[str, pl.Series], pl.Series]] = []
    blocks = 0  # residual[:blocks] are merged blocks; the rest each one batch's rows
    partials: list[pl.DataFrame] = []
    first: Table | None = None
    parts: list[tuple[str, int]] = []  # (file, first global row) of each file of parts
    filled: set[str] = set()  # placeholder-named columns that hold something
    offset = 0
    from .io.stream import ahead

    def built() -> Iterator[tuple[Sheet, Table]]:
        for sheet in whole_events(source.batches(), spec):
            yield sheet, build_table(spec, sheet)

    # Three stages, each on its own thread, a batch apart: the reader parses batch k+2, a
    # helper validates and types batch k+1 (build_table), and this thread groups and codes
    # batch k. With validation on this thread too, one core idled a third of the read
    # (10M rows: 7.6 -> 6.6 s, +8 MiB).
    for b, (sheet, t) in enumerate(ahead(built(), "register-validate")):
        if first is None:  # the table's header and columns, without the batch's rows
            # (the header's row is the source's: a batch holds data rows only)
            first = replace(t, raw=detached(t.raw.head(0)), df=detached(t.df.head(0)), bad={},
                            header_row=source.header_row)
        if sheet.parts and (not parts or parts[-1][0] != sheet.parts[0][0]):
            parts.append((sheet.parts[0][0], offset))
        n = len(t)
        if n == 0:
            if spill is not None:
                spill.add(np.empty(0), np.empty(0))
            partials.append(pl.DataFrame())
            advance(0)
            continue
        filled.update(h for h in t.extra if h.startswith("(column ") and t.raw[h].null_count() < n)
        frame = t.frame.select(*EVENT_ROW_COLUMNS).with_columns(
            pl.int_range(offset, offset + n, dtype=pl.UInt32).alias("i"),
            pl.int_range(0, n, dtype=pl.UInt32).alias("_b"),
        )
        # (a log whose rows all have an event ID is not copied to say so)
        named = frame.filter(pl.col("event_id").is_not_null()) if frame["event_id"].null_count() \
            else frame
        part = _partial(named, t.bad.get("recorded_on"), pairs)
        new_unknown = pl.Series("principal_id", [], dtype=pl.Utf8)
        odd_principals = False
        if pairs:
            # the principals each event names, coded (an ID the principals table lacks gets
            # a code of its own, in order of appearance)
            coded = part.select(
                pl.int_range(pl.len(), dtype=pl.UInt32).alias("_loc"),
                pl.col("principals").alias("principal_id"),
            ).explode("principal_id").drop_nulls("principal_id")
            coded = coded.with_columns(index.positions(coded["principal_id"]).alias("_code"))
            part = part.drop("principals")
            if coded["_code"].null_count():
                odd_principals = True
                odd = coded.filter(pl.col("_code").is_null())["principal_id"].unique(
                    maintain_order=True)
                new_unknown = odd.filter(~odd.is_in(unknown["principal_id"].implode()))
                if new_unknown.len():
                    base = known.principal_ids.len() + unknown.height
                    unknown = pl.concat([unknown, detached(pl.DataFrame({
                        "principal_id": new_unknown,
                        "_code": pl.int_range(base, base + new_unknown.len(), dtype=pl.UInt32,
                                              eager=True),
                    }))])
                coded = coded.drop("_code").join(
                    pl.concat([known_codes, unknown]), on="principal_id", how="left",
                    maintain_order="left",
                )
            spill.add(coded["_loc"].to_numpy(), coded["_code"].to_numpy())
        elif known.principals_given:
            given = named["principal_ids"].list.explode(keep_nulls=False, empty_as_null=False)
            odd_principals = not bool(given.is_in(known.principal_ids.implode()).all())
        partials.append(detached(part).with_columns(
            pl.int_range(pl.len(), dtype=pl.UInt32).alias("_loc"),
            pl.lit(b, dtype=pl.UInt32).alias("_batch"),
        ))

        keep, seen_items = _residual_rows(t, part, offset, known, odd_principals, new_unknown,
                                          seen_items)
        idx = keep.arg_true()
        if idx.len():
            residual.append((
                detached(t.raw[idx]), detached(t.df[idx]), {c: m[idx] for c, m in t.bad.items()},
                (idx.cast(pl.UInt32) + offset).alias("_gi"),
            ))
            if len(residual) - blocks >= MERGE_BATCHES:
                residual[blocks:] = [_merged(residual[blocks:])]
                blocks += 1
        offset += n
        advance(n)

    if first is None:  # no batch at all: an empty table
        first = build_table(spec, Sheet(
            name=source.name, file=source.file, form=source.form, sheet=source.sheet,
            frame=frame_from_rows(list(source.headers), [], []), headers=list(source.headers),
            header_row=source.header_row,
        ))
    if len(residual) > blocks:
        residual[blocks:] = [_merged(residual[blocks:])]
    table = _residual_table(first, residual, parts, filled)
    gi = pl.concat([r[3] for r in residual]) if residual else pl.Series("_gi", [], dtype=pl.UInt32)
    digest = _digest(offset, partials, gi, spill, known, known_codes, unknown, tables)
    return table, digest


def detached(df: pl.DataFrame) -> pl.DataFrame:
    """`df` with its text copied into buffers of its own. polars keeps a gathered or filtered
    text column's values of over 12 bytes as views into the buffers of the column it came
    from, and keeps those whole: the twentieth of a batch kept for the checks would hold all
    of its long IDs (UUIDs, say). Measured: twenty batches of 400,000 33-byte IDs, a
    twentieth of each kept, held 367 MiB as views and 42 MiB copied (a copy costs a few ms a
    batch)."""
    fresh = pl.concat_str([pl.element(), pl.lit("")])
    exprs = []
    for name, dtype in df.schema.items():
        if dtype == pl.String:
            exprs.append(pl.concat_str([pl.col(name), pl.lit("")]).alias(name))
        elif dtype == pl.List(pl.String):
            exprs.append(pl.col(name).list.eval(fresh).alias(name))
    return df.with_columns(exprs) if exprs else df


def whole_events(batches: Iterator[Sheet], spec: schema.TableSpec) -> Iterator[Sheet]:
    """The batches, each ending where an event ends: the rows at a batch's end that share
    its last event ID are held back and put before the next batch (of the same file). An
    event whose rows lie together is then never cut, and its partial group is its group."""
    held: Sheet | None = None
    for sheet in batches:
        if held is not None:
            if held.parts == sheet.parts and held.headers == sheet.headers:
                sheet = replace(sheet, frame=pl.concat([held.frame, sheet.frame], rechunk=False))
            else:
                yield held
            held = None
        column = next((h for h in sheet.headers
                       if spec.header_index.get(schema.fold(h)) == spec.key), None)
        if column is None or sheet.frame.height == 0:
            yield sheet
            continue
        ids = sheet.frame[column]
        last = ids[-1]
        other = (ids != last).fill_null(True) if last is not None else ids.is_not_null()
        cut = int(other.arg_true().max() or -1) + 1 if bool(other.any()) else 0
        if cut == 0:  # one event fills the batch: nothing to hold back
            yield sheet
            continue
        held = replace(sheet, frame=sheet.frame.slice(cut))
        yield replace(sheet, frame=sheet.frame.slice(0, cut))
    if held is not None:
        yield held


def _residual_rows(t: Table, part: pl.DataFrame, offset: int, known: _Known,
                   odd_principals: bool, new_unknown: pl.Series, seen_items: pl.Series
                   ) -> tuple[pl.Series, pl.Series]:
    """Which rows of a batch can matter to a finding (the module's docstring), and the item
    IDs seen so far. Each test is a whole-column one, most of them on the batch's events
    (`part`) rather than its rows; rows are looked for only where a test fails."""
    n = len(t)
    keep = pl.zeros(n, pl.Boolean, eager=True)
    for m in t.bad.values():
        keep = keep | m
    for c in t.spec.columns:
        if c.required and c.name in t.raw.columns:
            keep = keep | t.raw[c.name].is_null()
    df = t.df
    # the first row of each (event, provision) of the batch; where an event's rows give
    # different dates, the first row of each date too (REF-005 lists the values)
    keep = _mark(keep, (part["i"] - offset).cast(pl.UInt32))
    mixed = part.filter(pl.col("on_min") != pl.col("on_max"))["event_id"]
    if mixed.len():
        rows = df.select(
            pl.int_range(pl.len(), dtype=pl.UInt32).alias("_r"), "event_id", "provided_on"
        ).filter(pl.col("event_id").is_in(mixed.implode()))
        keep = _mark(keep, rows.unique(["event_id", "provided_on"], keep="first")["_r"])
    # references: every value a row names is among an event's (a row without an event ID is
    # kept above, as SCH-002)
    items = part["items"].list.explode(keep_nulls=False, empty_as_null=False).unique()
    named = {"provision_id": part["provision_id"].drop_nulls(), "item_ids": items}
    for name, ids in known.refs.items():
        given = named.get(name)
        if given is None or not bool(given.is_in(ids.implode()).all()):
            keep = _mark(keep, _rows_naming(df[name], ids, inside=False))
    prs = df["principal_ids"]
    if odd_principals and known.principals_given:  # REF-006: every such row
        keep = _mark(keep, _rows_naming(prs, known.principal_ids, inside=False))
    elif new_unknown.len():
        # no principals table: every ID is unknown; the first row naming each (disclose asks
        # whether the log names an ID)
        keep = _mark(keep, _rows_naming(prs, new_unknown, inside=True, first=True))
    # the first row naming each item ID (REF-003 asks which items the log uses)
    new = items.filter(~items.is_in(seen_items.implode()))
    if new.len():
        keep = _mark(keep, _rows_naming(df["item_ids"], new, inside=True, first=True))
        seen_items = pl.concat([seen_items, detached(new.to_frame()).to_series()])
    return keep.fill_null(True), seen_items


def _rows_naming(s: pl.Series, ids: pl.Series, inside: bool, first: bool = False) -> pl.Series:
    """Rows (indices) whose cell names an ID in `ids` (inside) or one not in it; with `first`,
    only the first row naming each."""
    flat = pl.DataFrame({"_r": pl.int_range(0, s.len(), dtype=pl.UInt32, eager=True), "v": s})
    if isinstance(s.dtype, pl.List):
        flat = flat.explode("v")
    hit = pl.col("v").is_in(ids.implode())
    flat = flat.filter(pl.col("v").is_not_null() & (hit if inside else ~hit))
    if first:
        flat = flat.unique("v", keep="first", maintain_order=True)
    return flat["_r"].unique()


def _mark(keep: pl.Series, rows: pl.Series) -> pl.Series:
    if rows.len() == 0:
        return keep
    return keep.scatter(rows, True)


def _merged(residual: list, copy: bool = True
            ) -> tuple[pl.DataFrame, pl.DataFrame, dict[str, pl.Series], pl.Series]:
    """Residual rows of several batches as one block; with `copy`, rechunked (a frame of a
    hundred chunks a column is slow to work on) and with the columns raw and df share
    shared. Blocks already copied are joined as they are."""
    raw = pl.concat([r[0] for r in residual], how="diagonal_relaxed", rechunk=copy)
    df = pl.concat([r[1] for r in residual], how="vertical_relaxed", rechunk=copy)
    gi = pl.concat([r[3] for r in residual], rechunk=copy)
    bad = {
        c: pl.concat([r[2].get(c, pl.zeros(r[1].height, pl.Boolean, eager=True))
                      for r in residual], rechunk=copy).alias(c)
        for c in sorted({c for r in residual for c in r[2]})
    }
    # (each batch's rows are detached as they are kept: a block is one copy of them)
    return (raw, _sharing(raw, df), bad, gi) if copy else (raw, df, bad, gi)


def _sharing(raw: pl.DataFrame, df: pl.DataFrame) -> pl.DataFrame:
    """`df` with each column the parser took as it was (plain IDs; the rows' origins) taken
    from `raw`, which holds the same values: one copy serves both (at 30M rows, 60 MB)."""
    shared = [raw[c] for c in df.columns
              if c in raw.columns and raw.schema[c] == df.schema[c]
              and raw[c].equals(df[c], check_names=True, null_equal=True)]
    return df.with_columns(shared) if shared else df


def _residual_table(first: Table, residual: list, parts: list[tuple[str, int]],
                    filled: set[str]) -> Table:
    """The residual rows as the log's Table (its header, columns and form as read)."""
    if residual:
        raw, df, bad, gi = _merged(residual, copy=False)
    else:
        raw, df, gi, bad = first.raw.head(0), first.df.head(0), pl.Series([], dtype=pl.UInt32), {}
    df = _sharing(raw, df)
    extra = [h for h in first.extra if not h.startswith("(column ") or h in filled]
    dropped = [h for h in first.extra if h not in extra]
    if dropped:
        raw = raw.drop(dropped)
    res_parts: tuple[tuple[str, int], ...] = ()
    if parts:
        starts = gi.search_sorted(pl.Series([s for _f, s in parts], dtype=pl.UInt32), side="left")
        res_parts = tuple((f, int(k)) for (f, _s), k in zip(parts, starts, strict=True))
    return Table(
        spec=first.spec, present=True, raw=raw, df=df, bad=bad, file=first.file,
        sheet=first.sheet, form=first.form, headers=first.headers,
        col_index={k: v for k, v in first.col_index.items() if k not in dropped},
        extra=extra, header_row=first.header_row, parts=res_parts,
    )


def _digest(rows: int, partials: list[pl.DataFrame], gi: pl.Series, spill: PairSpill | None,
            known: _Known, known_codes: pl.DataFrame, unknown: pl.DataFrame,
            tables: dict[str, Table]) -> LogDigest:
    from .facts.flows import LOG_EVENTS_SCHEMA
    from .records.shared import ranked_principals

    given = [p for p in partials if p.height]
    if not given:
        events = pl.DataFrame(schema=LOG_EVENTS_SCHEMA)
        return LogDigest(rows=rows, events=events, spill=spill,
                         ev_of_loc=[np.empty(0, dtype=np.uint32)] * len(partials))
    allp = pl.concat(given, how="vertical_relaxed")  # (links the batches' chunks: no copy)
    del given
    # An event almost always lies in one batch, and its partial row is then its row: only
    # the events cut by a batch's end are combined (the rest is never regrouped or copied).
    cut = _repeated(allp.select(pl.struct(*EVENT_KEYS).hash()).to_series().to_numpy())
    firsts = allp["i"]
    if bool(cut.any()):
        # the cut events' partial rows: the first stands for the event, with the combined
        # values; the others go (one filter; the rest of the frame is not regrouped)
        parts = allp.filter(cut).select(*EVENT_KEYS, "i")
        combined = _combine(allp.filter(cut).drop("_loc", "_batch"))
        first_of = parts.join(combined.select(*EVENT_KEYS, pl.col("i").alias("_first")),
                              on=list(EVENT_KEYS), how="left", nulls_equal=True,
                              maintain_order="left")["_first"]
        firsts = firsts.scatter(cut.arg_true(), first_of)
        keep = (firsts == allp["i"]).alias("keep")
        events = _as_events(allp.filter(keep))
        at = events["i"].search_sorted(combined["i"])
        # (scatter takes no lists: a list column is gathered from itself and the combined)
        src = pl.int_range(0, events.height, dtype=pl.UInt32, eager=True).scatter(
            at, pl.int_range(events.height, events.height + combined.height, dtype=pl.UInt32,
                             eager=True))
        events = events.with_columns([
            pl.concat([events[c], combined[c]]).gather(src) if isinstance(events[c].dtype, pl.List)
            else events[c].scatter(at, combined[c])
            for c in events.columns if c != "principals"
        ])
    else:
        events = _as_events(allp)  # in order of first rows already: batch by batch
    # each batch's local event codes → the event's row in `events` (sorted by first row)
    flat = events["i"].search_sorted(firsts).to_numpy().astype(np.uint32)
    del allp, firsts, cut
    ev_of_loc = []
    start = 0
    for p in partials:
        ev_of_loc.append(flat[start:start + p.height])
        start += p.height
    # an event's first row, as a row of the residual table (which holds it, in row order)
    events = events.with_columns(gi.search_sorted(events["i"]).cast(pl.UInt32).alias("i"))
    # principal codes → ranks among the principals and the unknown IDs, sorted by ID (the
    # records' own ranking, records.shared.ranked_principals, asked of the small tables)
    class _Reg:
        def __getitem__(self, name: str) -> Table:
            return tables[name]

    ranked = ranked_principals(_Reg(), unknown["principal_id"] if unknown.height else None)
    codes = pl.concat([known_codes, unknown]).join(
        ranked.select("principal_id", "_rank"), on="principal_id", how="left")
    rank_of_code = np.zeros(codes.height, dtype=np.uint32)
    rank_of_code[codes["_code"].to_numpy()] = codes["_rank"].to_numpy()
    return LogDigest(rows=rows, events=events, spill=spill, ev_of_loc=ev_of_loc,
                     rank_of_code=rank_of_code, ranked=ranked)


def _repeated(hashes: np.ndarray) -> pl.Series:
    """Which partial events share their (event, provision) key's hash with another: every
    event cut by a batch's end, and now and then one whose hash another key shares, which
    `_combine` then regroups by its real key into itself. Sorting 8-byte hashes costs a
    tenth of what hashing the keys' text into one table did (at 30M rows, 170 MiB)."""
    order = np.argsort(hashes, kind="stable")
    same = hashes[order[1:]] == hashes[order[:-1]]
    out = np.zeros(hashes.size, dtype=bool)
    out[order[1:][same]] = True
    out[order[:-1][same]] = True
    return pl.Series("cut", out)


__all__ = ["LogDigest", "PairSpill", "stream_log"]
