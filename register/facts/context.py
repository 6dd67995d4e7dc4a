"""What an item is in its context: the class of an item in a dataset and in a flow (docs/web.md §2).

`data_items.legal_class` is what an item is on its own. In a dataset it follows the
provider-based standard (提供元基準, APPI Art 2(1)(i); PPC GL (General Rules) 2-1 ※4): a
person-related item (a cookie ID, a browsing history) held together with identifying items is
personal information there, and so is every person-related item of a pseudonymised dataset
(Art 2(5), 41); nothing in an anonymised or statistics dataset is personal information (Art
2(6); PPC GL (General Rules) 2-8). The route classifier, the PRV/PRI/XB/ENT scopes, the EXT and
ANO rules and the report all read these facts; none decides them again (style.md habit 11).
"""

from __future__ import annotations

from typing import Any

import polars as pl

from ..model import Register
from . import flows

# Own classes that identify a person (or are personal information themselves).
IDENTIFYING = frozenset({"personal", "special_care", "my_number"})
# Processing under which a dataset holds no personal information at all (docs/web.md §2, §6).
NOT_PERSONAL_PROCESSING = frozenset({"anonymised", "statistics"})
# Processing under which the register cannot rule out collation: the no-dataset reading (§2).
MAY_IDENTIFY_PROCESSING = frozenset({"none", "pseudonymised"})
# The class of every item of an anonymised or statistics dataset.
NOT_PERSONAL_INFORMATION = "not_personal_information"
# Bases a pseudonymised dataset may be provided on (Art 41(6): laws and regulations, or an item
# of Art 27(5)); ANO-001 reports any other.
PSEUDONYMISED_BASES = frozenset({"law", "entrustment", "succession", "joint_use"})


def processing(reg: Register) -> dict[str, str]:
    """dataset_id → its processing (`none` when empty or invalid: SCH-004 reports it, and
    the personal-data rules then apply — docs/web.md §10)."""

    def build() -> dict[str, str]:
        return {k: r.get("processing") or "none" for k, r in reg["datasets"].by_key.items()}

    return flows.cached(reg, "context_processing", build)


def _held(reg: Register) -> pl.DataFrame:
    """(dataset_id, processing, item, own class, has_identifying) for every item a dataset
    holds: one explode over the datasets table (the first row of a repeated ID wins)."""

    def build() -> pl.DataFrame:
        t = reg["datasets"]
        schema = {"dataset_id": pl.Utf8, "processing": pl.Utf8, "item": pl.Utf8,
                  "own": pl.Utf8, "has_identifying": pl.Boolean}
        if not t.present or len(t) == 0:
            return pl.DataFrame(schema=schema)
        classes = flows.item_classes(reg)
        own = pl.DataFrame(
            {"item": list(classes), "own": list(classes.values())},
            schema={"item": pl.Utf8, "own": pl.Utf8},
        )
        ds = (
            t.frame.select("dataset_id", "processing", pl.col("item_ids").alias("item"))
            .filter(pl.col("dataset_id").is_not_null())
            .unique("dataset_id", keep="first", maintain_order=True)
            .with_columns(pl.col("processing").fill_null("none"))
            .explode("item")
            .filter(pl.col("item").is_not_null())
            .unique(["dataset_id", "item"], maintain_order=True)
            .join(own, on="item", how="left")
        )
        return ds.with_columns(
            pl.col("own").is_in(list(IDENTIFYING)).fill_null(False).any().over("dataset_id")
            .alias("has_identifying")
        ).select(list(schema))

    return flows.cached(reg, "context_held", build)


def dataset_classes(reg: Register) -> dict[str, dict[str, str | None]]:
    """dataset_id → {item it holds → the item's class in that dataset} (docs/web.md §2's table)."""

    def build() -> dict[str, dict[str, str | None]]:
        held = _held(reg).with_columns(
            pl.when(pl.col("processing").is_in(list(NOT_PERSONAL_PROCESSING)))
            .then(pl.lit(NOT_PERSONAL_INFORMATION))
            .when(
                (pl.col("own") == "person_related")
                & (
                    (pl.col("processing") == "pseudonymised")
                    | ((pl.col("processing") == "none") & pl.col("has_identifying"))
                )
            )
            .then(pl.lit("personal"))
            .otherwise(pl.col("own"))
            .alias("cls")
        )
        out: dict[str, dict[str, str | None]] = {did: {} for did in processing(reg)}
        for did, item, cls in held.select("dataset_id", "item", "cls").iter_rows():
            out.setdefault(did, {})[item] = cls
        return out

    return flows.cached(reg, "context_dataset_classes", build)


def linked_items(reg: Register) -> dict[str, tuple[str, ...]]:
    """person_related item → the datasets (processing `none` or `pseudonymised`) that hold it
    together with an identifying item: where it is personal information (docs/web.md §2)."""

    def build() -> dict[str, tuple[str, ...]]:
        held = _held(reg).filter(
            (pl.col("own") == "person_related")
            & pl.col("has_identifying")
            & pl.col("processing").is_in(list(MAY_IDENTIFY_PROCESSING))
        )
        out: dict[str, list[str]] = {}
        for did, item in held.select("dataset_id", "item").iter_rows():
            out.setdefault(item, []).append(did)
        return {k: tuple(v) for k, v in out.items()}

    return flows.cached(reg, "context_linked_items", build)


def class_in(reg: Register, item: str, dataset_id: str | None) -> str | None:
    """The class of `item` in a flow from or into `dataset_id` (docs/web.md §2).

    A known dataset classifies the items it holds; an item it does not hold (PRV-006) keeps its
    own class. Without a known dataset a person_related item counts as personal when some
    dataset may collate it with identifying items: the register cannot tell which copy is
    sent, and this reading protects the principal.
    """
    own = flows.item_classes(reg).get(item)
    classes = dataset_classes(reg).get(dataset_id) if dataset_id is not None else None
    if classes is not None:
        return classes.get(item, own)
    if own == "person_related" and item in linked_items(reg):
        return "personal"
    return own


def source_processing(reg: Register, dataset_id: str | None) -> str:
    """The processing of a flow's dataset; `none` without a known dataset."""
    if dataset_id is None:
        return "none"
    return processing(reg).get(dataset_id, "none")


def is_known_dataset(reg: Register, dataset_id: str | None) -> bool:
    return dataset_id is not None and dataset_id in processing(reg)


def art28_recipients(reg: Register) -> frozenset[str]:
    """Parties receiving a provision subject to Art 28, or a person-related provision with
    `linkage_expected` true (Art 31(2) applies Art 28(3)): XB-003's scope and the report's
    "Foreign third party (Art 28)" column (docs/web.md §8, §9)."""

    def build() -> frozenset[str]:
        out = set()
        items = flows.provision_items(reg)
        for pid, p in reg["provisions"].by_key.items():
            s = items.get(pid)
            if s is None or p.get("party_id") is None:
                continue
            if s.subject_to_art28 or (s.person_related and p.get("linkage_expected") is True):
                out.add(p["party_id"])
        return frozenset(out)

    return flows.cached(reg, "context_art28_recipients", build)


def contracts_covering_personal_data(reg: Register) -> frozenset[str]:
    """Contracts that cover personal data: one of their items has own class `personal`,
    `special_care` or `my_number`, or a provision naming them carries personal data (Art 25
    concerns entrusted personal data only; docs/web.md §8). ENT-002, ENT-003, ENT-006 apply
    to them."""

    def build() -> frozenset[str]:
        classes = flows.item_classes(reg)
        out = {
            cid for cid, c in reg["contractors"].by_key.items()
            if any(classes.get(i) in IDENTIFYING for i in flows.items_of(c))
        }
        items = flows.provision_items(reg)
        for pid, p in reg["provisions"].by_key.items():
            s = items.get(pid)
            if p.get("contract_id") is not None and s is not None and s.carries_personal_data:
                out.add(p["contract_id"])
        return frozenset(out)

    return flows.cached(reg, "context_contracts_personal", build)


def shared_elsewhere(reg: Register, p: dict[str, Any]) -> dict[str, tuple[str, ...]]:
    """For EXT-006: the items of a provision from a dataset with processing `none` that are
    person_related there while another dataset holds them with identifying items (item →
    those datasets). Empty for any other provision."""
    did = p.get("dataset_id")
    if not is_known_dataset(reg, did) or source_processing(reg, did) != "none":
        return {}
    linked = linked_items(reg)
    out = {}
    for item in flows.items_of(p):
        if class_in(reg, item, did) == "person_related":
            others = tuple(d for d in linked.get(item, ()) if d != did)
            if others:
                out[item] = others
    return out
