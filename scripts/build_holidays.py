"""Regenerate register/incident/holidays.json: Japan's national holidays, for the deadlines of
`register incident` (incident.md §3.7).

The table is data in the package, never computed at run time. It lists every 国民の祝日,
振替休日 and 国民の休日 from 2022 (Art 26 in force from 2022-04-01) through the last year whose
equinox days are officially announced: the 暦要項 in the Official Gazette each February gives
the next year's (at 2026-11-30: 2027). Run it after each February's announcement, with that
year added:

    .venv/bin/python scripts/build_holidays.py --through 2027 --as-of 2026-11-30

The dates come from `jpholiday` and must equal those of `holidays` (country JP) for every year;
otherwise nothing is written. Both are test dependencies (pyproject.toml), not run-time ones.
"""

from __future__ import annotations

import argparse
import datetime as dt
import importlib.metadata as md
import json
import sys
from pathlib import Path

FIRST_YEAR = 2022
TARGET = Path(__file__).resolve().parent.parent / "register" / "incident" / "holidays.json"


def build(through: int, as_of: dt.date) -> dict:
    import holidays
    import jpholiday

    rows: dict[str, str] = {}
    problems = []
    for year in range(FIRST_YEAR, through + 1):
        jp = dict(jpholiday.year_holidays(year))
        other = {d for d in holidays.country_holidays("JP", years=year) if d.year == year}
        if set(jp) != other:
            problems.append(
                f"{year}: jpholiday only {sorted(set(jp) - other)}, holidays only {sorted(other - set(jp))}"
            )
        rows.update((d.isoformat(), name) for d, name in sorted(jp.items()))
    if problems:
        raise SystemExit("the two holiday packages disagree:\n" + "\n".join(problems))
    return {
        "source": f"jpholiday {md.version('jpholiday')}",
        "cross_checked_with": f"holidays {md.version('holidays')}",
        "as_of": as_of.isoformat(),
        "first_day": f"{FIRST_YEAR}-01-01",
        "official_through": f"{through}-12-31",
        "note": "国民の祝日, 振替休日 and 国民の休日 (国民の祝日に関する法律 Art 2, 3). The other "
                "行政機関の休日 (Saturdays, Sundays, 29 Dec-3 Jan) are rules in "
                "register/incident/calendar.py.",
        "holidays": rows,
    }


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--through", type=int, required=True,
                    help="the last year whose equinox days are officially announced")
    ap.add_argument("--as-of", type=dt.date.fromisoformat, required=True,
                    help="the day the table is generated (written into it)")
    ap.add_argument("--out", type=Path, default=TARGET)
    args = ap.parse_args(argv)
    doc = build(args.through, args.as_of)
    text = json.dumps(doc, ensure_ascii=False, indent=1) + "\n"
    args.out.write_text(text, encoding="utf-8")
    print(f"{args.out}: {len(doc['holidays'])} holidays {FIRST_YEAR}-{args.through}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
