"""Tables given in parts rather than as one frame: too long to hold (a streamed log's
provision principals), or made of a few short tables' rows (a record's ID beside a principal's
ID and name), which a writer can then render once per short row instead of once per row.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator, Sequence
from typing import Any

import polars as pl


class ChunkedFrame:
    """A table too long to hold, given as frames in order (provision_principals of a streamed
    log). `height` is known; `chunks()` may be iterated more than once."""

    def __init__(self, empty: pl.DataFrame, height: int, chunks: Any) -> None:
        self.schema = empty.schema
        self.columns = empty.columns
        self.height = height
        self._empty = empty
        self._chunks = chunks

    def chunks(self) -> Iterator[pl.DataFrame]:
        got = False
        for c in self._chunks():
            got = True
            yield c
        if not got:
            yield self._empty

    def map(self, fn: Any) -> ChunkedFrame:
        """The same table with `fn` applied to each frame."""
        return ChunkedFrame(fn(self._empty), self.height, lambda: (fn(c) for c in self._chunks()))

    def collect(self) -> pl.DataFrame:
        """Every row as one frame (for the outputs that are not streamed: xlsx)."""
        return pl.concat(list(self.chunks()))

    def __len__(self) -> int:
        return self.height


class GatheredFrame(ChunkedFrame):
    """A table each of whose rows is a row of each of a few short tables side by side, given
    as those tables (`sources`, whose columns in order are the table's) and, chunk by chunk,
    which row of each one a row takes (`indices`: a UInt32 Series per source).

    provision_principals is one: a million rows, each a record's ID beside a principal's ID
    and name, from a few thousand records and a hundred thousand principals. Whatever is done
    to a cell alone (text, formula guard, CSV quoting) can be done to the short tables once
    and the results gathered, which is what `export.write_gathered_csv` does.
    """

    def __init__(self, empty: pl.DataFrame, height: int, sources: Sequence[pl.DataFrame],
                 indices: Callable[[], Iterator[tuple[pl.Series, ...]]]) -> None:
        named = [c for s in sources for c in s.columns]
        if named != empty.columns or len(sources) < 2:
            raise ValueError(f"sources' columns {named} are not the table's {empty.columns}")
        self.sources = tuple(sources)
        self.indices = indices

        def chunks() -> Iterator[pl.DataFrame]:
            for idx in indices():
                yield pl.concat([s.gather(i) for s, i in zip(self.sources, idx, strict=True)],
                                how="horizontal").cast(dict(empty.schema))

        super().__init__(empty, height, chunks)


__all__ = ["ChunkedFrame", "GatheredFrame"]
