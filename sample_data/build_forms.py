"""Write the sample register's other two forms from register.json, as Japanese users keep them.

- register.xlsx: Japanese sheet names and headers (a privacy officer's workbook);
- csv/: one file per table, Japanese file names and headers, cp932 — what Japanese Excel
  writes with "CSV (comma delimited)".

Run: .venv/bin/python sample_data/build_forms.py  (after build_sample.py)
"""

from __future__ import annotations

import dataclasses
import shutil
from pathlib import Path

from register import schema
from register.convert import register_out
from register.io.writers import write_csv_folder, write_xlsx
from register.load import load

HERE = Path(__file__).resolve().parent


def japanese(tables):
    """The same tables with Japanese sheet names and headers (from schemas/)."""
    out = []
    for t in tables:
        spec = schema.table_map().get(t.name)
        if spec is None:
            out.append(t)
            continue
        cols = tuple(
            dataclasses.replace(c, header=spec.by_name[c.header].label_ja) if c.header in spec.by_name else c
            for c in t.columns
        )
        out.append(dataclasses.replace(t, name=spec.label_ja, columns=cols))
    return out


def main() -> None:
    reg = load(HERE / "register.json")
    tables = japanese(register_out(reg))
    write_xlsx(tables, HERE / "register.xlsx")
    target = HERE / "csv"
    if target.exists():
        shutil.rmtree(target)
    write_csv_folder(tables, target)
    for f in sorted(target.glob("*.csv")):
        text = f.read_bytes().decode("utf-8-sig")
        f.write_bytes(text.replace("\r\n", "\n").replace("\n", "\r\n").encode("cp932"))


if __name__ == "__main__":
    main()
