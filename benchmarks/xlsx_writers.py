"""The xlsx baseline: the fastest writers on PyPI writing the same rows as `register records`.

Each candidate runs as its own process (`run.py` times it whole, like the `register` stages):
it reads one or more CSV files as text with polars and writes one sheet per file.

    python benchmarks/xlsx_writers.py WRITER OUT.xlsx IN.csv [IN.csv ...]

WRITER is one of CANDIDATES. Sheets are split at 1,048,575 data rows (Excel's limit less the
header), which XlsxWriter does not enforce by itself.
"""

from __future__ import annotations

import sys
from collections.abc import Callable, Iterator
from pathlib import Path

import polars as pl

EXCEL_DATA_ROWS = 1_048_575


def _sheets(paths: list[Path]) -> Iterator[tuple[str, pl.DataFrame]]:
    for p in paths:
        df = pl.read_csv(p, infer_schema=False)
        stem = p.stem[:28]
        if df.height <= EXCEL_DATA_ROWS:
            yield stem, df
            continue
        for k, start in enumerate(range(0, df.height, EXCEL_DATA_ROWS)):
            yield f"{stem}_{k + 1}", df.slice(start, EXCEL_DATA_ROWS)


def xlsxwriter_constant_memory(out: Path, paths: list[Path]) -> None:
    """XlsxWriter in constant-memory mode, one write_row per row (its streaming path)."""
    import xlsxwriter

    wb = xlsxwriter.Workbook(str(out), {"constant_memory": True, "strings_to_numbers": False})
    for name, df in _sheets(paths):
        ws = wb.add_worksheet(name)
        ws.write_row(0, 0, df.columns)
        for i, row in enumerate(df.iter_rows(), start=1):
            ws.write_row(i, 0, row)
    wb.close()


def rustpy_xlsxwriter(out: Path, paths: list[Path]) -> None:
    """rustpy-xlsxwriter (Rust rust_xlsxwriter underneath), given the polars frames."""
    from rustpy_xlsxwriter import FastExcel

    book = FastExcel(str(out))
    for name, df in _sheets(paths):
        book = book.sheet(name, df)
    book.save()


def pyexcelerate(out: Path, paths: list[Path]) -> None:
    """PyExcelerate (pure Python, bulk writer), if installed."""
    from pyexcelerate import Workbook

    wb = Workbook()
    for name, df in _sheets(paths):
        wb.new_sheet(name, data=[df.columns, *df.iter_rows()])
    wb.save(str(out))


CANDIDATES: dict[str, Callable[[Path, list[Path]], None]] = {
    "xlsxwriter-constant-memory": xlsxwriter_constant_memory,
    "rustpy-xlsxwriter": rustpy_xlsxwriter,
    "pyexcelerate": pyexcelerate,
}

# The module each candidate needs: run.py skips a candidate whose module is not installed.
MODULES = {
    "xlsxwriter-constant-memory": "xlsxwriter",
    "rustpy-xlsxwriter": "rustpy_xlsxwriter",
    "pyexcelerate": "pyexcelerate",
}


def main(argv: list[str]) -> int:
    """Write OUT.xlsx from the CSV files with the named writer."""
    if len(argv) < 3 or argv[0] not in CANDIDATES:
        print(f"usage: xlsx_writers.py {{{'|'.join(CANDIDATES)}}} OUT.xlsx IN.csv...", file=sys.stderr)
        return 2
    CANDIDATES[argv[0]](Path(argv[1]), [Path(a) for a in argv[2:]])
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
