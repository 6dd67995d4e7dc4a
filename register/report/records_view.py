"""The report's record counts, retention horizon, flows without a record and receipts.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

import polars as pl

from ..findings import Finding
from . import charts
from .messages import (
    enum_label,
    reason_plain,
    record_type_label,
    text,
)
from .views import (
    Names,
    finding_view,
    fmt_date,
)


def _frame(records: Any, name: str) -> pl.DataFrame | None:
    df = getattr(records, name, None) if records is not None else None
    return df if isinstance(df, pl.DataFrame) else None


def _as_text(df: pl.DataFrame, col: str) -> pl.Expr:
    """A date-or-text column as ISO text (records may type dates either way)."""
    return pl.col(col).cast(pl.Utf8) if df.schema[col] != pl.Utf8 else pl.col(col)


def record_summary(records: Any, as_of: dt.date, lang: str) -> dict[str, Any] | None:
    prov = _frame(records, "provision_records")
    conf = _frame(records, "confirmation_records")
    if prov is None and conf is None:
        return None
    groups = []
    months: dict[str, int] = {}
    years: dict[str, int] = {}
    horizon = ""
    past = 0
    total = 0
    for df, key, start, confirmation in (
        (prov, "provision_records", "provided_from", False),
        (conf, "confirmation_records", "received_from", True),
    ):
        if df is None:
            continue
        rows = []
        if "record_type" in df.columns and df.height:
            g = df.group_by("record_type").len().sort("record_type")
            for rtype, n in g.iter_rows():
                rows.append((record_type_label(rtype, lang, confirmation), n))
        groups.append({"title": text(key, lang), "rows": rows, "total": df.height})
        total += df.height
        if not df.height:
            continue
        if start in df.columns:
            m = (
                df.select(_as_text(df, start).str.slice(0, 7).alias("m"))
                .drop_nulls()
                .group_by("m")
                .len()
            )
            for k, n in m.iter_rows():
                months[k] = months.get(k, 0) + n
        if "retain_until" in df.columns:
            ru = df.select(_as_text(df, "retain_until").alias("r")).drop_nulls()
            if ru.height:
                horizon = max(horizon, ru["r"].max())
                past += ru.filter(pl.col("r") < as_of.isoformat()).height
                y = ru.group_by(pl.col("r").str.slice(0, 4).alias("y")).len()
                for k, n in y.iter_rows():
                    years[k] = years.get(k, 0) + n
    principal_rows = sum(
        df.height for df in (_frame(records, "provision_principals"), _frame(records, "confirmation_principals")) if df is not None
    )
    month_axis = _month_axis(sorted(months))
    chart_months = (
        charts.vbar([(m, months.get(m, 0)) for m in month_axis], title=text("chart_per_month", lang))
        if months
        else ""
    )
    year_axis = [str(y) for y in range(int(min(years)), int(max(years)) + 1)] if years else []
    chart_years = (
        charts.vbar([(y, years.get(y, 0)) for y in year_axis], title=text("chart_retention", lang), colour="#6a4c93")
        if years
        else ""
    )
    return {
        "groups": groups,
        "total": total,
        "principal_rows": principal_rows,
        "horizon": horizon,
        "horizon_text": text("horizon_text", lang, date=horizon) if horizon else "",
        "past_text": text("past_retention", lang, n=past, as_of=as_of.isoformat()) if past else "",
        "chart_months": chart_months,
        "chart_years": chart_years,
    }


def _month_axis(months: list[str]) -> list[str]:
    """Every month from the first to the last, so gaps show as empty bars."""
    valid = [m for m in months if len(m) == 7 and m[:4].isdigit() and m[5:].isdigit()]
    if not valid:
        return months
    y, m = int(valid[0][:4]), int(valid[0][5:])
    end = (int(valid[-1][:4]), int(valid[-1][5:]))
    out = []
    while (y, m) <= end and len(out) < 600:
        out.append(f"{y:04d}-{m:02d}")
        y, m = (y + 1, 1) if m == 12 else (y, m + 1)
    return out


def exempt_rows(analysis: Any, names: Names, lang: str) -> list[dict[str, Any]] | None:
    rows: list[dict[str, Any]] = []
    df = _frame(analysis.records, "exempt_flows")
    if df is not None:
        rows = df.to_dicts()
    elif analysis.routes is not None:
        for flow, routes in (("provision", analysis.routes.provisions), ("receipt", analysis.routes.receipts),
                             ("tag", getattr(analysis.routes, "tags", {}))):
            for r in routes.values():
                if getattr(r, "record_type", None) is None:
                    rows.append(
                        {"flow": flow, "flow_id": r.flow_id, "party_id": r.party_id, "basis": r.basis, "reason": r.reason}
                    )
    else:
        return None
    out = []
    for r in rows:
        flow = r.get("flow") or "provision"
        table = "receipts" if flow == "receipt" else "provisions"
        out.append(
            {
                "flow": text(f"flow_{flow}", lang) if flow in ("provision", "receipt", "tag") else flow,
                "flow_id": r.get("flow_id") or "",
                "party": names.party(r.get("party_id")),
                "basis": enum_label(table, "basis", r.get("basis"), lang),
                "reason_code": r.get("reason") or "",
                "reason": reason_plain(r.get("reason"), lang, r.get("basis")),
            }
        )
    return out


def receipt_rows(
    analysis: Any, names: Names, by_record: dict[tuple[str, str], list[Finding]], lang: str
) -> list[dict[str, Any]]:
    routes = getattr(analysis.routes, "receipts", None) if analysis.routes is not None else None
    out = []
    for r in analysis.register["receipts"].rows:
        rid = r.get("receipt_id")
        route = routes.get(rid) if routes is not None else None
        if route is None:
            words = text("not_classified", lang)
        elif getattr(route, "record_type", None):
            words = record_type_label(route.record_type, lang, confirmation=True)
        else:
            words = reason_plain(getattr(route, "reason", None), lang, getattr(route, "basis", None))
        out.append(
            {
                "id": rid,
                "provider": names.party(r.get("party_id")),
                "basis": enum_label("receipts", "basis", r.get("basis"), lang),
                "received_on": fmt_date(r.get("received_on")),
                "items": names.items_text(r.get("item_ids")),
                "route": words,
                "findings": [finding_view(f, lang) for f in by_record.get(("receipts", rid or ""), [])],
            }
        )
    return out
