"""A long table read in bounded batches, whatever its length (docs/performance.md, Memory).

A provision log of tens of millions of rows does not fit in memory as text, and need not: the
log is read once, batch by batch, and each batch is parsed, checked and reduced before the next
is read (register/logstream.py). This module gives the batches, from every form a long log
comes in: a CSV file (cut at line ends, 16 MiB at a time), a Parquet file or folder of parts
(a few row groups at a time), a database table (the driver's Arrow batches).

Each batch is a `Sheet` of text cells with its rows' origins (line numbers, part rows, row
keys), exactly as the whole-table reader would give those rows. What a hostile file can
amplify is bounded per batch, not per table: a batch's text against --max-bytes, each cell
against the cell limit, the header against the column limit. --max-rows and --max-cells do
not apply to a streamed table: its length costs no memory.
"""

from __future__ import annotations

import codecs
import csv
import io
import os
import queue
import threading
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import polars as pl

from .. import schema
from ..limits import check_columns, current, over_bytes
from ..model import POINTER, ROW, InputError, Sheet
from .csvsafe import restore, restore_expr
from .sheets import HEADER_SEARCH_ROWS, RowFrames, blank_to_null, check_cells, is_placeholder
from .typed import first_line, text_bytes, text_columns, with_origin

# A table at least this long is streamed (a CSV file this many bytes; Parquet or a database
# table this many rows). Below it the whole-table readers are faster and memory is no concern
# (the defaults of --max-bytes / --max-cells bound it). Measured: docs/performance.md.
STREAM_BYTES = int(os.environ.get("REGISTER_STREAM_BYTES", 96 * 1024**2))
STREAM_ROWS = int(os.environ.get("REGISTER_STREAM_ROWS", 2_000_000))
# The bytes of CSV read at a time; rows of Parquet and SQLite read at a time.
CSV_CHUNK_BYTES = int(os.environ.get("REGISTER_STREAM_CHUNK", 16 * 1024**2))
BATCH_ROWS = 524_288


@dataclass
class StreamSource:
    """A table to be read in batches: where it is, its header, and how to get the batches."""

    name: str  # as written: file stem, folder or database table
    file: str  # as shown in findings (a part's own file for parts)
    form: str  # csv | parquet | sqlite | postgresql
    headers: list[str]
    header_row: int | None = None
    sheet: str | None = None
    files: list[Path] = field(default_factory=list)  # what is read (the report's checksums)
    _batches: Any = None  # () -> Iterator[Sheet]
    close: Any = lambda: None  # noqa: E731 -- a database connection kept open for the batches

    def batches(self) -> Iterator[Sheet]:
        """The table's rows, a bounded batch at a time, in order. The next batch is read and
        parsed on another thread while this one is worked on (polars releases the GIL): at
        most two batches are held at once here (logstream.stream_log adds a stage of its own,
        and two more)."""
        yield from ahead(self._batches())


_DONE = object()


def ahead(batches: Iterator[Any], name: str = "register-read-ahead") -> Iterator[Any]:
    """`batches`, each produced on a helper thread while the one before it is consumed; at
    most two are held at once (the one consumed and the next)."""
    q: queue.Queue = queue.Queue()
    slots = threading.Semaphore(2)
    stop = threading.Event()

    def produce() -> None:
        try:
            while True:
                while not slots.acquire(timeout=0.1):
                    if stop.is_set():
                        return
                if stop.is_set():
                    return
                b = next(batches, _DONE)
                q.put((b, None))
                if b is _DONE:
                    return
        except BaseException as exc:  # noqa: BLE001 -- re-raised on the consuming thread
            q.put((_DONE, exc))

    threading.Thread(target=produce, name=name, daemon=True).start()
    try:
        while True:
            b, exc = q.get()
            if exc is not None:
                raise exc
            if b is _DONE:
                return
            yield b
            del b
            slots.release()  # the consumer is done with it: the one after next may be made
    finally:
        stop.set()


def bounded(sheet: Sheet) -> Sheet:
    """Refuse a batch holding a cell over the cell limit (rows and cells are not counted: a
    streamed table's length costs no memory)."""
    return check_cells(sheet)


# --------------------------------------------------------------------------------------------
# CSV
# --------------------------------------------------------------------------------------------


def csv_source(path: Path, display: str) -> StreamSource | None:
    """A CSV file to stream (UTF-8, its header among the first lines); None when the file is
    small enough for the whole-table reader, or is not one the streaming reader takes (the
    whole-table reader then says what is wrong with it)."""
    from .csvdir import BOM, HEAD_BYTES, _header, _lines

    if path.stat().st_size < STREAM_BYTES:
        return None
    with open(path, "rb") as fh:
        head = fh.read(HEAD_BYTES)
    if head.startswith((b"\xff\xfe", b"\xfe\xff")) or b"\x00" in head:
        return None
    skip = len(BOM) if head.startswith(BOM) else 0
    body = head[skip:]
    try:
        text = body.decode("utf-8")
    except UnicodeDecodeError as exc:
        if exc.reason != "unexpected end of data":
            return None  # cp932, say: the exact reader decodes it
        text = body[: exc.start].decode("utf-8")
    lines = list(_lines(text))
    if lines and not lines[-1].endswith("\n"):
        lines.pop()
    if len(lines) < min(HEADER_SEARCH_ROWS, 2):
        return None
    found = _header(iter(lines[: 4 * HEADER_SEARCH_ROWS]), path.stem, display)
    if found is None:
        return None
    h, headers = found
    # where the data starts: the bytes of the lines up to and including the header row
    start = skip + sum(len(x.encode("utf-8")) for x in lines[: h + 1])
    src = StreamSource(name=path.stem, file=display, form="csv", headers=headers,
                       header_row=h + 1, files=[path])
    src._batches = lambda: _csv_batches(path, display, headers, start, h + 2)
    return src


def _csv_batches(path: Path, display: str, headers: list[str], start: int, first_line_no: int
                 ) -> Iterator[Sheet]:
    """The file from `start`, cut at line ends; a chunk whose rows are not one a line (a cell
    with a line break, a blank line) sends the rest of the file to the exact reader.

    Each chunk is read from the start of a line and parsed as it was read, its last line
    (cut short by the chunk's end) with it: that row is dropped and read again at the start
    of the next chunk. So no chunk's bytes are copied to cut or join them (two copies of 16
    MiB a chunk, 0.3-0.5 s of CPU at ten million rows). A chunk whose cut-off line holds a
    quote, or one line longer than a chunk, is cut and joined as bytes."""
    import numpy as np  # (the streamed path imports it anyway: logstream)

    line = first_line_no  # the line number of the chunk's first line
    pos = start  # the file offset of the chunk's first line
    with open(path, "rb") as fh:
        fh.seek(pos)
        data = b""
        while True:
            more = fh.read(CSV_CHUNK_BYTES)
            eof = not more
            data = data + more if data else more
            cut = len(data) if eof else data.rfind(b"\n") + 1
            if cut == 0 and not eof:  # one line longer than a chunk: read on
                continue
            if not data:
                return
            nul = data.find(b"\x00", 0, cut)
            if nul >= 0:
                at = line + data.count(b"\n", 0, nul)
                raise InputError(display, f"holds NUL bytes (the first on line {at:,}): it is a binary file, not CSV text")
            # (numpy counts a chunk's line ends in 5 ms; bytes.count takes 12)
            ends = int(np.count_nonzero(np.frombuffer(data, dtype=np.uint8) == 10))
            n_lines = ends + (0 if data.endswith(b"\n") or cut < len(data) else 1)
            tail = len(data) - cut  # the bytes of the line cut short, read again next time
            if tail and data.find(b'"', cut) >= 0:
                frame = _parse_chunk(data[:cut], headers, n_lines)
            else:
                frame = _parse_chunk(data, headers, n_lines + (1 if tail else 0))
                if frame is not None and tail:
                    frame = frame.slice(0, n_lines)
            if frame is None:
                yield from _exact_batches(path, display, headers, pos, line)
                return
            yield bounded(_sheet(frame, headers, line, path.stem, display))
            line += n_lines
            pos += cut
            if eof:
                return
            if tail:
                fh.seek(pos)
            data = b""


def _parse_chunk(chunk: bytes, headers: list[str], n_lines: int) -> pl.DataFrame | None:
    try:
        # (from a BytesIO: faster than from bytes, which polars copies first)
        df = pl.read_csv(io.BytesIO(chunk), has_header=False, infer_schema=False,
                         new_columns=headers, truncate_ragged_lines=True)
    except (pl.exceptions.PolarsError, ValueError):
        return None
    if df.height != n_lines:
        return None
    if b"'" in chunk:
        df = df.with_columns([restore_expr(pl.col(c)).alias(c) for c in headers])
    return df


def _sheet(df: pl.DataFrame, headers: list[str], line: int, name: str, display: str) -> Sheet:
    """A parsed chunk as the whole-file fast reader makes its table (csvdir._read_fast)."""
    placeholders = [c for c in headers if is_placeholder(c)]
    if placeholders:
        df = df.with_columns([blank_to_null(pl.col(c)).alias(c) for c in placeholders])
    # (the chunks polars reads a batch in are kept: a batch is worked on a few times only,
    # and copying its text into one chunk cost more, 0.3-0.7 s at 10M rows)
    df = df.with_columns(
        pl.int_range(line, line + df.height, dtype=pl.Int64).alias(ROW),
        pl.lit(None, dtype=pl.Utf8).alias(POINTER),
    )
    if headers and min(df.null_count().row(0)[: len(headers)]) > 0:
        df = df.filter(pl.any_horizontal([pl.col(c).is_not_null() for c in headers]))
    return Sheet(name=name, file=display, form="csv", frame=df, headers=headers,
                 unblanked=tuple(c for c in headers if not is_placeholder(c)))


def _exact_batches(path: Path, display: str, headers: list[str], offset: int, line: int
                   ) -> Iterator[Sheet]:
    """From byte `offset` (line `line`) to the end with the csv module: a cell may hold line
    breaks, and blank lines are skipped with their numbers, as the whole-file exact reader does."""
    from .csvdir import _csv_error, _quote_problem, _start_line, over_cell_limit

    decoder = codecs.getincrementaldecoder("utf-8")()
    # The lines of the record being read: when its quoting is broken, the message names the
    # line of the quote that opened the cell, as the whole-file reader's does (not the line
    # the reader had reached: a cell left open is found a cell limit, 100,000 lines, later).
    record: list[str] = []

    def lines() -> Iterator[str]:
        pending = ""
        with open(path, "rb") as fh:
            fh.seek(offset)
            while True:
                data = fh.read(1 << 20)
                try:
                    pending += decoder.decode(data, final=not data)
                except UnicodeDecodeError as exc:
                    raise InputError(display, f"is not UTF-8 text past line {line:,} ({exc.reason})") from None
                parts = pending.split("\n")
                pending = parts.pop()
                for p in parts:
                    record.append(p + "\n")
                    yield record[-1]
                if not data:
                    if pending:
                        record.append(pending)
                        yield pending
                    return

    out = RowFrames(headers)
    reader = csv.reader(lines(), strict=True)
    base = line - 1
    held = 0
    ended = 0  # the line the last complete record ended on
    try:
        for row in reader:
            out.add([w if (w := restore(v)).strip() else None for v in row],
                    base + _start_line(reader.line_num, row))
            ended = reader.line_num
            record.clear()
            held += 1
            if held >= BATCH_ROWS:
                yield _exact_sheet(out, headers, path.stem, display)
                out, held = RowFrames(headers), 0
    except csv.Error as exc:
        problem = _quote_problem("".join(record), 1, first=base + ended + 1,
                                 to_end=not over_cell_limit(exc))
        if problem is not None:
            raise InputError(display, problem) from None
        raise _csv_error(exc, display, path.stem, base + reader.line_num) from None
    yield _exact_sheet(out, headers, path.stem, display)


def _exact_sheet(out: RowFrames, headers: list[str], name: str, display: str) -> Sheet:
    return bounded(Sheet(name=name, file=display, form="csv", frame=out.frame(), headers=headers))


# --------------------------------------------------------------------------------------------
# Parquet (a file, or a folder of parts)
# --------------------------------------------------------------------------------------------


def parquet_source(path: Path, display: str) -> StreamSource | None:
    """A Parquet file or folder of parts to stream; None below STREAM_ROWS rows."""
    import pyarrow.parquet as pq

    from .parquet import part_files

    if path.is_dir():
        files = part_files(path, display)
        shown = [f"{display.rstrip('/')}/{p.name}" for p in files]
        name = path.name
    else:
        files, shown, name = [path], [display], path.stem
    try:
        metas = [pq.ParquetFile(p).metadata for p in files]
    except Exception as exc:
        raise InputError(display, f"not a readable Parquet file ({first_line(exc)})") from None
    if sum(m.num_rows for m in metas) < STREAM_ROWS:
        return None
    headers: list[str] = []
    for p, s in zip(files, shown, strict=True):
        for h in pq.ParquetFile(p).schema_arrow.names:
            if h not in headers:
                headers.append(h)
        check_columns(s, f"table {name!r}", len(headers))
    src = StreamSource(name=name, file=display, form="parquet", headers=headers, files=files)
    src._batches = lambda: _parquet_batches(files, shown, name, headers, path.is_dir())
    return src


def _parquet_batches(files: list[Path], shown: list[str], name: str, headers: list[str],
                     folder: bool) -> Iterator[Sheet]:
    import pyarrow.parquet as pq

    limit = current().max_bytes
    for p, display in zip(files, shown, strict=True):
        pf = pq.ParquetFile(p)
        meta = pf.metadata
        prefixed: set[str] = set()
        for g in range(meta.num_row_groups):
            group = meta.row_group(g)
            size = sum(group.column(k).total_uncompressed_size for k in range(group.num_columns))
            if size > limit:  # one row group is read at a time: it must fit the limit
                raise over_bytes(display, size, f"row group {g} unpacks to")
            for k in range(group.num_columns):
                if "DELTA_BYTE_ARRAY" in group.column(k).encodings:
                    prefixed.add(group.column(k).path_in_schema.split(".")[0])
        if prefixed:
            _check_prefixed_groups(p, display, sorted(prefixed))
        # text columns as dictionaries: a page of repeats is measured before it is expanded
        strings = [f.name for f in pf.schema_arrow if str(f.type) in ("string", "large_string")]
        row = 2
        try:
            batches = pq.ParquetFile(p, read_dictionary=strings).iter_batches(batch_size=BATCH_ROWS)
            for batch in batches:
                df = pl.from_arrow(batch, rechunk=False)
                if not isinstance(df, pl.DataFrame):
                    df = df.to_frame()
                total = text_bytes(df)
                if total > limit:
                    raise over_bytes(display, total, "holds text of at least")
                texts = with_origin(text_columns(df, display), row)
                missing = [h for h in headers if h not in texts.columns]
                if missing:
                    texts = texts.with_columns([pl.lit(None, dtype=pl.Utf8).alias(h) for h in missing])
                texts = texts.select([*headers, ROW, POINTER])
                yield bounded(Sheet(name=name, file=display, form="parquet", frame=texts,
                                    headers=headers, parts=((display, 0),) if folder else ()))
                row += df.height
        except InputError:
            raise
        except Exception as exc:
            raise InputError(display, f"not a readable Parquet file ({first_line(exc)})") from None


def _check_prefixed_groups(path: Path, display: str, columns: list[str]) -> None:
    """Prefix-encoded text is measured before it is decoded, row group by row group: each
    group is read whole, so each must hold at most --max-bytes of text."""
    import pyarrow.compute as pc
    import pyarrow.parquet as pq

    from .parquet import _arrow_text_bytes

    pf = pq.ParquetFile(path)
    for g in range(pf.metadata.num_row_groups):
        total = 0
        for batch in pf.iter_batches(batch_size=1024, columns=columns, row_groups=[g]):
            for col in batch.columns:
                total += _arrow_text_bytes(col, pc)
            if total > current().max_bytes:
                raise over_bytes(display, total, "holds text of at least")


# --------------------------------------------------------------------------------------------
# A database table
# --------------------------------------------------------------------------------------------


def database_source(db: Any, t: Any) -> StreamSource | None:
    """A database table to stream; None below STREAM_ROWS rows."""
    from .sqlsource import text_frame

    columns = db.columns(t)
    check_columns(db.display, f"table {t.name!r}", len(columns))
    if db.count(t) < STREAM_ROWS:
        return None
    src = StreamSource(name=t.name, file=db.display, form=db.kind, headers=columns, sheet=t.name)

    def batches() -> Iterator[Sheet]:
        limit = current().max_bytes
        start = 1
        for batch in db.batches(t, columns):
            total = text_bytes(batch.select(columns))
            if total > limit:
                raise over_bytes(db.display, total, f"table {t.name!r} holds text of at least")
            frame = text_frame(batch, columns, start, db.display)
            start += batch.height
            yield bounded(Sheet(name=t.name, file=db.display, form=db.kind, sheet=t.name,
                                frame=frame, headers=columns))

    src._batches = batches
    return src


def is_log(name: str) -> bool:
    """Only the provision log is streamed: the one table as long as the provisions made."""
    return schema.match_table(name) == "provision_log"


__all__ = ["StreamSource", "csv_source", "database_source", "is_log", "parquet_source"]
