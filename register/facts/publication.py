"""What the law requires the organization to publish, and what the register shows is missing
(docs/publish.md §2–§4).

Every business holding retained personal data (保有個人データ, APPI Art 16(4)) keeps its name,
address and representative, the purposes of all retained data, the request procedures, its
security measures — naming each foreign country where it handles the data — its complaint desk
and any accredited organisation knowable to the principal (APPI Art 32(1); Cabinet Order Art 10).
This module decides once, per register and as-of date:

- which datasets are **listed** (retained, unprocessed, holding personal data) and so whether
  the organization **holds retained data**;
- the **foreign handling countries** F and where each comes from, and which are **named** by a
  published external-environment measure;
- the **sections** of the public document (their JSON values, in no language), the
  **content_sha256** of each kind of text, and the latest `notice_versions` entry of each kind.

The PUB checks (`checks/publication.py`) and `register publish` (`register/publish/`) both read
`publication()`: the document and the gap list cannot disagree.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import re
from dataclasses import dataclass
from typing import Any

from .. import schema
from ..model import Register, Table
from . import flows
from .context import IDENTIFYING
from .tags import is_live

# The section keys of the document, in order (docs/publish.md §2).
SECTIONS = (
    "operator", "purposes", "pseudonymised_purposes", "procedures", "security_measures",
    "foreign_countries", "complaints", "accredited_org", "joint_uses", "external_transmission",
    "anonymised",
)
# Each kind of published text and the sections it is made of (docs/publish.md §3).
KIND_KEYS: dict[str, tuple[str, ...]] = {
    "public_matters": (
        "operator", "purposes", "pseudonymised_purposes", "procedures", "security_measures",
        "foreign_countries", "complaints", "accredited_org",
    ),
    "joint_use": ("joint_uses",),
    "external_transmission": ("external_transmission",),
    "anonymised": ("anonymised",),
}
KINDS = tuple(KIND_KEYS)
# The requests of the procedure (③), in the order printed, with the law that grants each and
# its fee column (APPI Art 38(1) allows a fee for purpose notification and disclosure only,
# record disclosure included: PPC GL (General Rules) 3-8-8).
REQUESTS: tuple[tuple[str, str, str | None], ...] = (
    ("purpose_notice", "APPI Art 32(2)", "fee_purpose_notice"),
    ("disclosure", "APPI Art 33(1)", "fee_disclosure"),
    ("record_disclosure", "APPI Art 33(5)", "fee_record_disclosure"),
    ("correction", "APPI Art 34(1)", None),
    ("suspension_erasure", "APPI Art 35(1)", None),
    ("stop_provision", "APPI Art 35(3)", None),
    ("art35_5", "APPI Art 35(5)", None),
)
# Disclosure is by electronic record or on paper as the principal chooses (APPI Rules Art 30).
DEFAULT_DISCLOSURE = ("electronic", "paper")
EXTERNAL = "external_environment"
# The categories a holder of retained data must publish measures of (PPC GL (General Rules)
# 10-2 to 10-6; the basic policy of 10-1 is desirable only): PUB-005.
REQUIRED_CATEGORIES = ("handling_rules", "organizational", "human", "physical", "technical")
SHA256 = re.compile(r"[0-9A-Fa-f]{64}")


def categories() -> tuple[str, ...]:
    """The measure categories in the order they are printed (the schema's order)."""
    return schema.table("security_measures").column("category").enum


@dataclass(frozen=True)
class CountrySource:
    """Where a foreign handling country comes from (docs/publish.md §2: F), for PUB-003."""

    country: str
    table: str  # datasets | contractors | organization
    row: int
    field: str  # storage_country | cloud_party_id | party_id | country
    party_id: str | None = None  # the cloud provider or the contractor


@dataclass(frozen=True)
class NoticeEntry:
    """The latest `notice_versions` entry of one kind on the as-of date."""

    notice_id: str | None
    row: int
    published_on: dt.date
    sha256: str | None  # lower-case; None when empty or not 64 hex digits
    current: str  # the kind's content_sha256 now

    @property
    def matches(self) -> bool | None:
        return None if self.sha256 is None else self.sha256 == self.current


@dataclass(frozen=True)
class Publication:
    """What the organization must publish on one as-of date, and what is missing."""

    listed: dict[str, int]  # dataset_id → row of its first listed row
    listed_rows: tuple[int, ...]  # every listed datasets row
    holds_retained: bool
    sources: tuple[CountrySource, ...]
    foreign: tuple[str, ...]  # F, sorted
    named: frozenset[str]  # countries named by a printed external-environment measure
    printed: tuple[int, ...]  # security_measures rows printed in ④, in print order
    printed_categories: frozenset[str]
    foresees_provision: dict[str, bool]  # listed dataset_id → one of its purposes says so
    sections: dict[str, Any]
    content_sha256: dict[str, str]
    latest: dict[str, NoticeEntry | None]
    bad_sha256: tuple[int, ...]  # notice_versions rows whose sha256 is not 64 hex digits

    def published(self) -> dict[str, Any]:
        """`published` of the JSON document: per kind null or the latest entry."""
        out: dict[str, Any] = {}
        for kind in KINDS:
            e = self.latest[kind]
            out[kind] = None if e is None else {
                "notice_id": e.notice_id,
                "published_on": e.published_on.isoformat(),
                "matches": e.matches,
            }
        return out


# --------------------------------------------------------------------------------------------
# Cells
# --------------------------------------------------------------------------------------------


def _text(v: Any) -> str | None:
    """A text cell as loaded, or None when empty."""
    if v is None:
        return None
    s = str(v)
    return s if s.strip() else None


def _iso(v: Any) -> str | None:
    return v.isoformat() if isinstance(v, dt.date) else None


def sha256_of(v: Any) -> str | None:
    """A `notice_versions.sha256` cell, trimmed and lower-cased; None when empty or not 64
    hexadecimal digits (SCH-003 reports the latter)."""
    s = _text(v)
    if s is None:
        return None
    s = s.strip()
    return s.lower() if SHA256.fullmatch(s) else None


def bad_sha256(t: Table) -> tuple[int, ...]:
    """Rows of `notice_versions` whose sha256 is written but is not 64 hex digits."""
    if not t.present:
        return ()
    return tuple(
        i for i, r in enumerate(t.rows) if _text(r.get("sha256")) is not None
        and sha256_of(r.get("sha256")) is None
    )


def is_retained(t: Table, i: int, row: dict[str, Any]) -> bool:
    """The dataset is the organization's retained personal data: an explicit `retained` wins;
    otherwise true unless `held_for_party_id` is set (data held for a client is the client's:
    PPC Q&A 1-56; docs/publish.md §1). An invalid value is SCH-003's: the default applies."""
    explicit = row.get("retained")
    if explicit is not None:
        return bool(explicit)
    return not flows.given(t, i, "held_for_party_id")


def is_listed(reg: Register, t: Table, i: int, row: dict[str, Any]) -> bool:
    """A dataset whose purposes the public matters list (docs/publish.md §2): retained, not
    processed (pseudonymised data is outside Arts 32–39, Art 41(9); anonymised and statistical
    data are not personal data), holding an item of class personal, special-care or My Number."""
    if not is_retained(t, i, row) or (row.get("processing") or "none") != "none":
        return False
    classes = flows.item_classes(reg)
    return any(classes.get(x) in IDENTIFYING for x in flows.items_of(row))


# --------------------------------------------------------------------------------------------
# The publication
# --------------------------------------------------------------------------------------------


def publication(reg: Register, as_of: dt.date) -> Publication:
    """Everything the public texts hold on `as_of`, and the facts the PUB rules turn on."""
    return flows.cached(reg, f"publication:{as_of.isoformat()}", lambda: _build(reg, as_of))


def _build(reg: Register, as_of: dt.date) -> Publication:
    ds = reg["datasets"]
    listed_rows = tuple(
        i for i, row in enumerate(ds.rows) if is_listed(reg, ds, i, row)
    ) if ds.present else ()
    listed: dict[str, int] = {}
    for i in listed_rows:
        did = ds.rows[i].get("dataset_id")
        if did is not None and did not in listed:
            listed[did] = i
    holds = bool(listed_rows)
    sources = _sources(reg, listed_rows, as_of) if holds else ()
    foreign = tuple(sorted({s.country for s in sources}))
    printed = _printed(reg["security_measures"])
    measures = reg["security_measures"].rows
    named = frozenset(
        c for i in printed if measures[i].get("category") == EXTERNAL
        and (c := measures[i].get("country")) is not None and c != "JP"
    )
    purposes = reg["purposes"].by_key
    foresees = {
        did: any(purposes.get(u, {}).get("third_party_provision") is True
                 for u in flows.items_of(ds.rows[i], "purpose_ids"))
        for did, i in listed.items()
    }
    sections = _sections(reg, as_of, listed_rows, foreign, printed)
    hashes = {kind: content_sha256(sections, kind) for kind in KINDS}
    return Publication(
        listed=listed,
        listed_rows=listed_rows,
        holds_retained=holds,
        sources=sources,
        foreign=foreign,
        named=named,
        printed=printed,
        printed_categories=frozenset(measures[i].get("category") for i in printed),
        foresees_provision=foresees,
        sections=sections,
        content_sha256=hashes,
        latest=_latest(reg["notice_versions"], as_of, hashes),
        bad_sha256=bad_sha256(reg["notice_versions"]),
    )


def _sources(reg: Register, listed_rows: tuple[int, ...], as_of: dt.date
             ) -> tuple[CountrySource, ...]:
    """Every source of a foreign handling country (docs/publish.md §2, (1)–(4)), in table order.

    Recipients that handle the data as their own business (consent, opt-out, joint users) are
    not our handling abroad: Art 28 governs provision to them, and they are not sources here.
    """
    out: list[CountrySource] = []
    ds = reg["datasets"]
    for i in listed_rows:
        row = ds.rows[i]
        country = row.get("storage_country")
        if country is not None and country != "JP":
            out.append(CountrySource(country, "datasets", i, "storage_country"))
        cloud = flows.party(reg, row.get("cloud_party_id"))  # `self` or unknown: no country
        if cloud is not None and (c := cloud.get("country")) is not None and c != "JP":
            out.append(CountrySource(c, "datasets", i, "cloud_party_id", row.get("cloud_party_id")))
    ct = reg["contractors"]
    for i, row in enumerate(ct.rows if ct.present else ()):
        ends = row.get("ends_on")
        if ends is not None and ends < as_of:
            continue  # the text must be current (GL 3-8-1 ※1): an ended contract is not
        p = flows.party(reg, row.get("party_id"))
        if p is not None and (c := p.get("country")) is not None and c != "JP":
            out.append(CountrySource(c, "contractors", i, "party_id", row.get("party_id")))
    country = reg.organization.get("country")
    if country is not None and country != "JP":
        out.append(CountrySource(country, "organization", 0, "country"))
    return tuple(out)


def _printed(t: Table) -> tuple[int, ...]:
    """The measures printed in ④: published (an invalid `publish` is withheld: never print what
    the officer may have meant to keep back), with a valid category and a text; by category,
    then input order."""
    if not t.present:
        return ()
    order = {c: k for k, c in enumerate(categories())}
    rows = []
    for i, r in enumerate(t.rows):
        publish = r.get("publish") is not False and not flows.invalid(t, i, "publish")
        if publish and r.get("category") in order and _text(r.get("text")) is not None:
            rows.append((order[r["category"]], i))
    return tuple(i for _k, i in sorted(rows))


def _latest(t: Table, as_of: dt.date, hashes: dict[str, str]) -> dict[str, NoticeEntry | None]:
    """Per kind, the entry with the greatest `published_on` ≤ as-of (ties: the later row); rows
    with an invalid kind or date are ignored (docs/publish.md §5)."""
    out: dict[str, NoticeEntry | None] = dict.fromkeys(KINDS)
    if not t.present:
        return out
    for i, r in enumerate(t.rows):
        kind, on = r.get("kind"), r.get("published_on")
        if kind not in KIND_KEYS or on is None or on > as_of:
            continue
        best = out[kind]
        if best is None or on >= best.published_on:
            out[kind] = NoticeEntry(r.get("notice_id"), i, on, sha256_of(r.get("sha256")),
                                    hashes[kind])
    return out


# --------------------------------------------------------------------------------------------
# The sections (docs/publish.md §2): JSON values, the same in every language
# --------------------------------------------------------------------------------------------


class _Names:
    """Names of items, purposes and parties by ID (the first row of a repeated ID wins)."""

    def __init__(self, reg: Register):
        self.org = reg.organization
        self.items = {k: r.get("name") for k, r in reg["data_items"].by_key.items()}
        self.purposes = {k: r.get("description") for k, r in reg["purposes"].by_key.items()}
        self.parties = reg["parties"].by_key

    def item_names(self, ids: list[str]) -> list[str]:
        """Names in `ids` order; unknown IDs are left out."""
        return [self.items[i] for i in ids if i in self.items and self.items[i] is not None]

    def party(self, pid: str | None) -> dict[str, Any] | None:
        if pid == "self":
            return self.org
        return self.parties.get(pid) if pid is not None else None

    def party_name(self, pid: str | None) -> str | None:
        p = self.party(pid)
        return None if p is None else p.get("name")


def _sections(reg: Register, as_of: dt.date, listed_rows: tuple[int, ...],
              foreign: tuple[str, ...], printed: tuple[int, ...]) -> dict[str, Any]:
    names = _Names(reg)
    org = reg.organization
    ds = reg["datasets"]
    pseudonymised = tuple(
        i for i, r in enumerate(ds.rows)
        if r.get("processing") == "pseudonymised" and is_retained(ds, i, r)
    ) if ds.present else ()
    measures = reg["security_measures"].rows
    accredited = _text(org.get("accredited_org"))
    return {
        "operator": {
            "name": org.get("name"),
            "address": org.get("address"),
            "representative": org.get("representative"),
            "country": org.get("country"),
        },
        "purposes": _purposes(reg, listed_rows),
        "pseudonymised_purposes": _purposes(reg, pseudonymised),
        "procedures": _procedures(reg),
        "security_measures": [
            {
                "measure_id": measures[i].get("measure_id"),
                "category": measures[i].get("category"),
                "text": measures[i].get("text"),
                "text_en": _text(measures[i].get("text_en")),
                "country": measures[i].get("country"),
            }
            for i in printed
        ],
        "foreign_countries": list(foreign),
        "complaints": {"desk": org.get("complaint_contact") or org.get("contact")},
        "accredited_org": None if accredited is None else {
            "name": org.get("accredited_org"), "contact": org.get("accredited_org_contact"),
        },
        "joint_uses": [_joint_use(j, names) for j in reg["joint_uses"].rows],
        "external_transmission": [
            _tag(r, names) for r in reg["tags"].rows if is_live(r, as_of)
        ],
        "anonymised": [
            {
                "dataset_id": r.get("dataset_id"),
                "name": r.get("name"),
                "item_ids": flows.items_of(r),
                "item_names": names.item_names(flows.items_of(r)),
                "published_on": _iso(r.get("anonymised_published_on")),
            }
            for i, r in enumerate(ds.rows)
            # created as a client's trustee: the client publishes (APPI Rules Art 36(2));
            # received from others: no creation duty (Art 44)
            if r.get("processing") == "anonymised" and not flows.given(ds, i, "held_for_party_id")
            and r.get("source") != "third_party"
        ],
    }


def _purposes(reg: Register, rows: tuple[int, ...]) -> list[dict[str, Any]]:
    """Each purpose named by the given datasets rows, once, in `purposes` table order, without
    those Art 21(4)(i)–(iii) exempts from publication."""
    ds = reg["datasets"]
    wanted = {u for i in rows for u in flows.items_of(ds.rows[i], "purpose_ids")}
    out, seen = [], set()
    for r in reg["purposes"].rows:
        pid = r.get("purpose_id")
        if pid not in wanted or pid in seen or r.get("excluded_art21_4") is True:
            continue
        seen.add(pid)
        out.append({
            "purpose_id": pid,
            "description": r.get("description"),
            "third_party_provision": r.get("third_party_provision") is True,
        })
    return out


def _procedures(reg: Register) -> dict[str, Any]:
    org = reg.organization
    methods = [m for m in (org.get("disclosure_methods") or []) if m is not None]
    requests = []
    for kind, law, fee_column in REQUESTS:
        fee = org.get(fee_column) if fee_column else None
        requests.append({"type": kind, "law": law,
                         "fee": int(fee) if isinstance(fee, int) and fee > 0 else None})
    return {
        "desk": org.get("request_desk") or org.get("contact"),
        "methods": [m for m in (org.get("request_methods") or []) if m is not None],
        "identity_check": _text(org.get("identity_check")),
        "agents": org.get("agent_allowed") is not False,
        "disclosure_methods": methods or list(DEFAULT_DISCLOSURE),
        "requests": requests,
    }


def _joint_use(j: dict[str, Any], names: _Names) -> dict[str, Any]:
    """The notice of one joint use as the row now states it (docs/joint-use.md §1.1)."""
    items = flows.items_of(j)
    purposes = flows.items_of(j, "purpose_ids")
    manager_id = j.get("manager_party_id")
    manager = None
    if manager_id is not None:
        m = names.party(manager_id) or {}  # an unknown ID gives null names
        manager = {"name": m.get("name"), "address": m.get("address"),
                   "representative": m.get("representative")}
    return {
        "joint_use_id": j.get("joint_use_id"),
        "item_ids": items,
        "item_names": names.item_names(items),
        "users_scope": j.get("users_scope"),
        "user_names": [names.party_name(u) for u in flows.items_of(j, "user_party_ids")],
        "purpose_ids": purposes,
        "purposes": [names.purposes[u] for u in purposes if names.purposes.get(u) is not None],
        "manager": manager,
    }


def _tag(r: dict[str, Any], names: _Names) -> dict[str, Any]:
    """One live tag of the external-transmission notice (docs/web.md §3, §4)."""
    items = flows.items_of(r)
    return {
        "module_name": r.get("module_name"),
        "recipient_party_id": r.get("recipient_party_id"),
        "recipient_name": names.party_name(r.get("recipient_party_id")),
        "item_ids": items,
        "item_names": names.item_names(items),
        "purpose_ours": r.get("purpose_ours"),
        "purpose_recipient": r.get("purpose_recipient"),
        "opt_out_url": _text(r.get("opt_out_url")),
        "exemption": r.get("exemption") or "none",
    }


# --------------------------------------------------------------------------------------------
# content_sha256 (docs/publish.md §3)
# --------------------------------------------------------------------------------------------


def without_ids(value: Any) -> Any:
    """`value` with every object member whose name ends in `_id` or `_ids` removed, at every
    depth: the hash follows the published facts, not the register's IDs."""
    if isinstance(value, dict):
        return {k: without_ids(v) for k, v in value.items()
                if not (k.endswith("_id") or k.endswith("_ids"))}
    if isinstance(value, list):
        return [without_ids(v) for v in value]
    return value


def content_sha256(sections: dict[str, Any], kind: str) -> str:
    """The lowercase hex SHA-256 of one kind of text: the same in every language and format."""
    v = {key: without_ids(sections[key]) for key in KIND_KEYS[kind]}
    text = json.dumps(v, ensure_ascii=False, sort_keys=True, separators=(",", ":"))
    return hashlib.sha256(text.encode("utf-8")).hexdigest()
