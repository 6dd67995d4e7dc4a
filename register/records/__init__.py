"""The records the law requires (docs/routes-and-records.md §4–§6), derived from the register
and its routes.

Everything over the provision log is whole-column polars work (group_by / join / explode): the
log may hold millions of rows, one per principal per event. Only the small tables (provisions,
parties, receipts' routes) are walked as Python dicts.

Record IDs are built from the IDs of what they cover, with `/` (a character no register ID may
hold) between the parts, so they are unique, stable across runs, and stable as the log grows:
- provision records: `P/<provision_id>/<event_id>` (each), `P/<provision_id>` (bulk, contract);
- confirmation records: `C/<receipt_id>` (each), `C/<provider_id>/<record_type>/<method>`
  (bulk, contract: one per provider, record type and method, docs/routes-and-records.md §5).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import polars as pl

from ..model import Register
from ..outputs import output_table
from .confirmation import build_confirmation_records
from .provision import OUTLINE_COLUMNS, ProvisionTables, build_provision_records
from .shared import (
    PERSON_RELATED,
    RETENTION_YEARS,
    UNSPECIFIED_PUBLIC_NAME,
    UNSPECIFIED_PUBLIC_NAME_JA,
    coded_log_principals,
)

__all__ = [
    "PERSON_RELATED",
    "RETENTION_YEARS",
    "TABLES",
    "UNSPECIFIED_PUBLIC_NAME",
    "Records",
    "coded_log_principals",
    "derive",
    "localise",
]

TABLES = (
    "provision_records",
    "provision_principals",
    "confirmation_records",
    "confirmation_principals",
    "exempt_flows",
)


@dataclass
class Records:
    """The five output tables of docs/routes-and-records.md §4, and which records may not
    be disclosed.

    The provision records and their principals (a row per principal per record: as long as
    the log) are built on first use (`provision`); `provision_outline` (OUTLINE_COLUMNS of the
    provision records) is what the checks need.
    """

    provision_outline: pl.DataFrame
    confirmation_records: pl.DataFrame
    confirmation_principals: pl.DataFrame
    exempt_flows: pl.DataFrame
    # the rest of the provision records, built on first use
    provision: ProvisionTables
    # record_ids whose flow is marked disclosure_excluded (Cabinet Order Art 11): `disclose`
    # leaves them out. Kept apart so the §5 tables hold exactly their columns.
    disclosure_excluded: frozenset[str] = field(default_factory=frozenset)

    @property
    def provision_records(self) -> pl.DataFrame:
        return self.provision.counted

    @property
    def provision_principals(self) -> pl.DataFrame:
        return self.provision.principals

    def table(self, name: str, lang: str = "en", gathered: bool = False) -> pl.DataFrame:
        """One of the five tables by its canonical name, its stated facts in `lang`. With
        `gathered`, provision_principals as records and principals with the places and ranks
        that pair them (a parts.GatheredFrame: a CSV writer renders each one once)."""
        if name not in TABLES:
            raise KeyError(name)
        if gathered and name == "provision_principals":
            return self.provision.gathered
        return localise(name, getattr(self, name), lang)

    def entries_of(self, name: str, principal_id: str) -> pl.DataFrame:
        """One principal's rows of a principals table (`provision_principals` is looked up
        without being built: a disclosure request needs no million-row table)."""
        if name == "provision_principals":
            return self.provision.of_principal(principal_id)
        return self.table(name).filter(pl.col("principal_id") == principal_id)

    def uncounted(self, name: str) -> pl.DataFrame:
        """A records table whose principal_count may be left empty (not counted)."""
        return self.provision.detail if name == "provision_records" else self.table(name)

    @classmethod
    def empty(cls) -> Records:
        """No records at all (every table empty, with its columns)."""
        tables = {name: output_table(name).empty() for name in TABLES}
        return cls(
            provision_outline=tables["provision_records"].select(OUTLINE_COLUMNS),
            confirmation_records=tables["confirmation_records"],
            confirmation_principals=tables["confirmation_principals"],
            exempt_flows=tables["exempt_flows"],
            provision=ProvisionTables(),
        )


def localise(name: str, frame: pl.DataFrame, lang: str) -> pl.DataFrame:
    """A records table with its stated facts in `lang` (records data is otherwise the same in
    every language: only headers and sheet names are translated)."""
    if lang == "ja" and name == "provision_records" and frame.height:
        frame = frame.with_columns(
            pl.when(
                (pl.col("recipient_name") == UNSPECIFIED_PUBLIC_NAME)
                & pl.col("recipient_address").is_null()
            )
            .then(pl.lit(UNSPECIFIED_PUBLIC_NAME_JA))
            .otherwise(pl.col("recipient_name"))
            .alias("recipient_name")
        )
    return frame


def _exempt_flows(routes: Any) -> pl.DataFrame:
    spec = output_table("exempt_flows")
    rows = []
    for flow, table in (("provision", "provisions"), ("receipt", "receipts")):
        for fid, r in sorted(getattr(routes, table, {}).items() if routes else ()):
            if r.record_type is not None:
                continue
            rows.append(
                {
                    "flow": flow,
                    "flow_id": fid,
                    "party_id": r.party_id,
                    "basis": r.basis,
                    "reason": r.exempt_reason,
                }
            )
    # tags without a provision of their own, in table order (docs/web.md §9)
    for tid, r in (getattr(routes, "tags", None) or {}).items():
        rows.append({"flow": "tag", "flow_id": tid, "party_id": r.party_id, "basis": None,
                     "reason": r.exempt_reason})
    return pl.DataFrame(rows, schema=spec.schema)


def derive(reg: Register, ctx: Any) -> Records:
    """The records of docs/routes-and-records.md §4–§6 for every flow ctx.routes says needs one."""
    routes = getattr(ctx, "routes", None)
    outline, provision, prov_excluded = build_provision_records(reg, routes)
    conf, conf_principals, conf_excluded = build_confirmation_records(reg, routes)
    return Records(
        provision_outline=outline,
        confirmation_records=conf,
        confirmation_principals=conf_principals,
        exempt_flows=_exempt_flows(routes),
        provision=provision,
        disclosure_excluded=frozenset(prov_excluded | conf_excluded),
    )
