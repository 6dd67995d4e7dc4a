"""A joint use (APPI Art 27(5)(iii)) as it lives and changes (docs/joint-use.md §1–2).

- `joint_use_matters`: the five matters the notice makes known in advance, and which are missing
  for every manager in force on the as-of date or later (JNT-001);
- `history`: the valid `joint_use_changes` of each joint use, in order, and the notice as in force
  on any date (docs/joint-use.md §1.3), which JNT-003 reads on each event date;
- `change_facts`: what each valid change means in law (JNT-008…JNT-012) and the windows of log
  events whose route it fails; `change_defects`: the rows that are not one readable change
  (JNT-013);
- `scope_markers` / `scope_facts`: a users' scope that names third parties or is an open list
  (JNT-006, JNT-007).

The checks, the route classifier (through the route failures the checks report) and the report's
joint-use section all read these, so the report shows exactly what the check decided.
"""

from __future__ import annotations

import datetime as dt
import unicodedata
from dataclasses import dataclass
from typing import Any

import polars as pl

from ..model import Register
from . import flows
from .parties import identity_gaps

# The matters in the law's order, each with the column that states it.
MATTERS = ("notified_on", "item_ids", "users_scope", "purpose_ids", "manager_party_id")


# The manager's details the notice may leave unpublished (docs/joint-use.md §1.1):
# detail → flag column.
PUBLISHED_FLAGS = {
    "address": "manager_address_published",
    "representative": "manager_representative_published",
}


@dataclass(frozen=True)
class Matter:
    """One published matter of a joint use."""

    column: str
    given: bool  # stated (an invalid value counts as stated: SCH reports it, not JNT-001)
    missing: tuple[str, ...] = ()  # for the manager: identity columns it lacks
    unpublished: tuple[str, ...] = ()  # for the manager: details its flag says are not published


@dataclass(frozen=True)
class Manager:
    """A manager in force on the as-of date or later, other than the row's
    (docs/joint-use.md §2)."""

    party_id: str
    change_id: str  # the `manager` change whose `before_manager_party_id` names it
    until: dt.date  # that change's effective_on: the manager is in force until the day before
    identity: dict[str, Any]
    missing: tuple[str, ...]
    unpublished: tuple[str, ...]


@dataclass(frozen=True)
class JointUseFacts:
    joint_use_id: str
    row: int
    matters: tuple[Matter, ...]
    manager: dict[str, Any] | None  # the manager's identity (ourselves for `self`), if known
    # managers in force on as-of or later besides the row's: the before_manager_party_id of
    # each valid `manager` change effective after as-of (empty without an as-of date)
    earlier_managers: tuple[Manager, ...] = ()

    @property
    def complete(self) -> bool:
        """Every matter stated, and every manager in force on as-of or later fully published."""
        return all(m.given and not m.missing and not m.unpublished for m in self.matters) and all(
            not m.missing and not m.unpublished for m in self.earlier_managers
        )


def manager_identity(reg: Register, manager_id: str | None) -> tuple[dict[str, Any] | None, bool]:
    """The manager's row (ourselves for `self`) and whether it is a corporation."""
    if manager_id == "self":
        return reg.organization, True  # the organization is a business: it has a representative
    m = flows.party(reg, manager_id)
    return m, (m or {}).get("kind") == "corporation"


def _unpublished(j: dict[str, Any], corporation: bool) -> tuple[str, ...]:
    """The manager's details the notice does not publish (a flag explicitly false)."""
    return tuple(
        detail for detail, flag in PUBLISHED_FLAGS.items()
        if j.get(flag) is False and (detail != "representative" or corporation)
    )


def joint_use_matters(reg: Register, as_of: dt.date | None = None) -> dict[str, JointUseFacts]:
    """joint_use_id → its five matters, for every joint use with an ID.

    With `as_of`, the managers of valid `manager` changes effective after it (still in force
    on as-of) are checked too (JNT-001 covers every manager in force on as-of or later).
    """

    def build() -> dict[str, JointUseFacts]:
        t = reg["joint_uses"]
        out: dict[str, JointUseFacts] = {}
        if not t.present:
            return out
        hist = history(reg) if as_of is not None else {}
        for i, j in enumerate(t.rows):
            jid = j.get("joint_use_id")
            if jid is None or jid in out:
                continue
            matters = []
            manager = None
            for col in MATTERS:
                value = j.get(col)
                given = bool(str(value).strip()) if isinstance(value, str) else bool(value)
                given = given or flows.invalid(t, i, col)
                missing: tuple[str, ...] = ()
                unpublished: tuple[str, ...] = ()
                if col == "manager_party_id" and value:
                    manager, corp = manager_identity(reg, value)
                    # an unknown manager is REF-002, not a missing matter
                    if manager is not None:
                        missing = identity_gaps(manager, corp)
                        unpublished = _unpublished(j, corp)
                matters.append(Matter(col, given, missing, unpublished))
            earlier = []
            h = hist.get(jid)
            for c in h.changes if h is not None and as_of is not None else ():
                if c.matter != "manager" or c.effective_on <= as_of or c.before is None:
                    continue
                identity, corp = manager_identity(reg, c.before)
                if identity is not None:
                    earlier.append(Manager(
                        c.before, c.change_id, c.effective_on, identity, identity_gaps(identity, corp),
                        _unpublished(j, corp),
                    ))
            out[jid] = JointUseFacts(jid, i, tuple(matters), manager, tuple(earlier))
        return out

    key = f"joint_use_matters:{as_of.isoformat() if as_of else ''}"
    return flows.cached(reg, key, build)


# --------------------------------------------------------------------------------------------
# Changes of a joint use's matters (docs/joint-use.md §1.2, §1.3)
# --------------------------------------------------------------------------------------------

# matter → the `before_*` columns that state the value before a change of it
CHANGE_COLUMNS: dict[str, tuple[str, ...]] = {
    "purposes": ("before_purpose_ids",),
    "manager": ("before_manager_party_id",),
    "manager_details": ("before_manager_details",),
    "items": ("before_item_ids",),
    "users": ("before_user_party_ids", "before_users_scope"),
}
# The matters whose change may keep the joint use on a basis (PPC GL (General Rules) 3-6-3,
# examples 1–3), and the bases each allows; `change_basis` on any other matter is JNT-013.
ALLOWED_BASES: dict[str, frozenset[str]] = {
    "items": frozenset({"consent"}),
    "users": frozenset({"consent", "user_renamed", "user_succession"}),
}
# The matters whose change must be notified in advance (APPI Art 27(6)).
IN_ADVANCE = frozenset({"purposes", "manager"})


@dataclass(frozen=True)
class Defect:
    """Why a `joint_use_changes` row is not one readable change (JNT-013), at which column."""

    row: int
    column: str
    case: str  # empty_before | other_matter | basis | before_notice


@dataclass(frozen=True)
class Change:
    """One valid change (docs/joint-use.md §1.3): every value parsed, unknown IDs left out."""

    change_id: str
    joint_use_id: str
    matter: str
    effective_on: dt.date
    notified_on: dt.date | None
    basis: str | None
    # the value before: a tuple of IDs (items, purposes, listed users), a party ID (manager;
    # None when unknown), or a text (manager_details)
    before: Any
    before_scope: str | None  # users: the scope text before as written (None: unchanged)
    row: int
    given: frozenset[str] = frozenset()  # the matter's before_* cells written (valid or not)


@dataclass(frozen=True)
class State:
    """The joint-use notice as in force on one date (docs/joint-use.md §1.3)."""

    items: tuple[str, ...]
    purposes: tuple[str, ...]
    users: tuple[str, ...]  # the listed users; () when not listed
    users_scope: str | None
    manager: str | None
    manager_details: str | None  # as published before a later manager_details change; None: the manager's own


@dataclass(frozen=True)
class History:
    """A joint use's notice now (its row) and its valid changes, in order."""

    joint_use_id: str
    current: State
    changes: tuple[Change, ...]

    def of(self, matter: str) -> tuple[Change, ...]:
        return tuple(c for c in self.changes if c.matter == matter)

    def _before(self, c: Change) -> Any:
        if c.matter == "users":
            return c.before, self.scope_before(c)
        return c.before

    def _current(self, matter: str) -> Any:
        s = self.current
        return {
            "items": s.items, "purposes": s.purposes, "manager": s.manager,
            "manager_details": s.manager_details, "users": (s.users, s.users_scope),
        }[matter]

    def value_on(self, matter: str, day: dt.date) -> Any:
        """The matter's value on `day`: the value before the first change after it, else the row's."""
        for c in self.of(matter):
            if c.effective_on > day:
                return self._before(c)
        return self._current(matter)

    def after(self, c: Change) -> Any:
        """The value after change `c`: the next change's value before, else the row's."""
        seq = self.of(c.matter)
        k = seq.index(c)
        return self._before(seq[k + 1]) if k + 1 < len(seq) else self._current(c.matter)

    def before(self, c: Change) -> Any:
        """The value before change `c` (for `users`: the list and the resolved scope text)."""
        return self._before(c)

    def scope_before(self, c: Change) -> str | None:
        """The users' scope text before a `users` change: as written, or (empty) the text after."""
        if c.before_scope:
            return c.before_scope
        seq = self.of("users")
        for later in seq[seq.index(c) + 1:]:
            if later.before_scope:
                return later.before_scope
        return self.current.users_scope

    def state_on(self, day: dt.date) -> State:
        users, scope = self.value_on("users", day)
        return State(
            items=self.value_on("items", day), purposes=self.value_on("purposes", day),
            users=users, users_scope=scope, manager=self.value_on("manager", day),
            manager_details=self.value_on("manager_details", day),
        )

    def boundaries(self, matters: frozenset[str] | set[str]) -> list[dt.date]:
        """The distinct effective dates of the changes of `matters`, ascending."""
        return sorted({c.effective_on for c in self.changes if c.matter in matters})


def _text(v: Any) -> str | None:
    return v.strip() if isinstance(v, str) and v.strip() else None


def change_defects(reg: Register) -> tuple[Defect, ...]:
    """Every reason a change row is not one readable change (JNT-013), row by row."""

    def build() -> tuple[Defect, ...]:
        t = reg["joint_use_changes"]
        if not t.present or len(t) == 0:
            return ()
        uses = reg["joint_uses"].by_key
        out: list[Defect] = []
        for i, r in enumerate(t.rows):
            matter = r.get("matter")
            if matter in CHANGE_COLUMNS:
                own = CHANGE_COLUMNS[matter]
                if matter != "manager_details" and not any(flows.given(t, i, c) for c in own):
                    out.append(Defect(i, own[0], "empty_before"))
                for other, cols in CHANGE_COLUMNS.items():
                    if other != matter:
                        out.extend(Defect(i, c, "other_matter") for c in cols if flows.given(t, i, c))
                basis = r.get("change_basis")
                if basis is not None and basis not in ALLOWED_BASES.get(matter, ()):
                    out.append(Defect(i, "change_basis", "basis"))
            j = uses.get(r.get("joint_use_id"))
            eff = r.get("effective_on")
            if j is not None and eff is not None and j.get("notified_on") is not None \
                    and eff < j["notified_on"]:
                out.append(Defect(i, "effective_on", "before_notice"))
        return tuple(out)

    return flows.cached(reg, "joint_use_change_defects", build)


def _invalid_rows(reg: Register) -> set[int]:
    """Change rows that take no part in §1.3: SCH-002/003/004, REF-001, JNT-013, unknown joint use."""
    t = reg["joint_use_changes"]
    bad = {d.row for d in change_defects(reg)}
    for c in t.spec.columns:
        if c.required:
            bad.update(i for i in range(len(t)) if not flows.given(t, i, c.name))
        mask = t.bad.get(c.name)
        if mask is not None:
            bad.update(mask.arg_true().to_list())
    keys = t.df["change_id"]
    bad.update((keys.is_duplicated() & ~keys.is_first_distinct() & keys.is_not_null()).arg_true().to_list())
    uses = reg["joint_uses"].by_key
    bad.update(i for i, r in enumerate(t.rows) if r.get("joint_use_id") not in uses)
    return bad


def history(reg: Register) -> dict[str, History]:
    """joint_use_id → its notice now and its valid changes, for every joint use with an ID."""

    def build() -> dict[str, History]:
        items = reg["data_items"].by_key
        purposes = reg["purposes"].by_key
        parties = reg["parties"].by_key

        def known(ids: Any, table: dict, self_ok: bool = False) -> tuple[str, ...]:
            return tuple(
                x for x in (ids or ()) if x is not None and (x in table or (self_ok and x == "self"))
            )

        def party_or_none(pid: Any) -> str | None:
            return pid if pid is not None and (pid in parties or pid == "self") else None

        changes: dict[str, list[Change]] = {}
        t = reg["joint_use_changes"]
        if t.present and len(t):
            invalid = _invalid_rows(reg)
            for i, r in enumerate(t.rows):
                if i in invalid:
                    continue
                m = r["matter"]
                before: Any
                if m == "items":
                    before = known(r.get("before_item_ids"), items)
                elif m == "purposes":
                    before = known(r.get("before_purpose_ids"), purposes)
                elif m == "users":
                    before = known(r.get("before_user_party_ids"), parties, True)
                elif m == "manager":
                    before = party_or_none(r.get("before_manager_party_id"))
                else:
                    before = _text(r.get("before_manager_details"))
                changes.setdefault(r["joint_use_id"], []).append(Change(
                    change_id=r["change_id"], joint_use_id=r["joint_use_id"], matter=m,
                    effective_on=r["effective_on"], notified_on=r.get("notified_on"),
                    basis=r.get("change_basis"), before=before,
                    before_scope=_text(r.get("before_users_scope")) if m == "users" else None,
                    row=i, given=frozenset(x for x in CHANGE_COLUMNS[m] if flows.given(t, i, x)),
                ))
        out: dict[str, History] = {}
        for jid, j in reg["joint_uses"].by_key.items():
            current = State(
                items=known(j.get("item_ids"), items),
                purposes=known(j.get("purpose_ids"), purposes),
                users=known(j.get("user_party_ids"), parties, True),
                users_scope=_text(j.get("users_scope")),
                manager=party_or_none(j.get("manager_party_id")),
                manager_details=None,
            )
            mine = sorted(changes.get(jid, ()), key=lambda c: (c.effective_on, c.change_id))
            out[jid] = History(jid, current, tuple(mine))
        return out

    return flows.cached(reg, "joint_use_history", build)


# --------------------------------------------------------------------------------------------
# What each valid change means in law (docs/joint-use.md §2: JNT-008…JNT-012)
# --------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class ChangeFacts:
    """The finding a valid change earns, if any, and the log events whose route it fails."""

    change: Change
    rule: str | None  # JNT-008 | JNT-009 | JNT-010 | JNT-011 | JNT-012 | None
    field: str | None  # where the finding goes
    added: tuple[str, ...] = ()  # items or listed users the change added
    # events of the joint use's provisions dated on or after `lo` (and before `hi`, when given)
    # fail their route (docs/routes-and-records.md §2)
    window: tuple[dt.date, dt.date | None] | None = None


def _assess(h: History, c: Change, as_of: dt.date) -> ChangeFacts:
    if c.matter in IN_ADVANCE:
        if c.notified_on is not None and c.notified_on >= c.effective_on:
            return ChangeFacts(c, "JNT-008", "notified_on", window=(c.effective_on, c.notified_on))
        if c.notified_on is None and c.effective_on <= as_of:
            return ChangeFacts(c, "JNT-008", "notified_on", window=(c.effective_on, None))
        return ChangeFacts(c, None, None)
    if c.matter == "manager_details":
        if c.notified_on is None and c.effective_on < as_of:
            return ChangeFacts(c, "JNT-009", "notified_on")
        return ChangeFacts(c, None, None)
    if c.matter == "items":
        before, after = c.before, h.after(c)
        added = tuple(x for x in after if x not in before)
        if added and c.basis != "consent":
            return ChangeFacts(c, "JNT-010", "before_item_ids", added, (c.effective_on, None))
        return ChangeFacts(c, None, None, added)
    # users
    before, scope_before = h.before(c)
    after, scope_after = h.after(c)
    comparable = bool(before) and bool(after)
    added = tuple(x for x in after if x not in before) if comparable else ()
    if c.basis is not None:
        return ChangeFacts(c, None, None, added)
    if comparable and added:
        return ChangeFacts(c, "JNT-011", "before_user_party_ids", added, (c.effective_on, None))
    only_removes = comparable and set(after) < set(before) and scope_after == scope_before
    if only_removes:
        return ChangeFacts(c, None, None)
    only_scope = c.given == {"before_users_scope"}
    return ChangeFacts(c, "JNT-012", "before_users_scope" if only_scope else "before_user_party_ids")


def change_facts(reg: Register, as_of: dt.date) -> dict[str, tuple[ChangeFacts, ...]]:
    """joint_use_id → the facts of each of its valid changes, in order."""

    def build() -> dict[str, tuple[ChangeFacts, ...]]:
        return {jid: tuple(_assess(h, c, as_of) for c in h.changes) for jid, h in history(reg).items()}

    return flows.cached(reg, f"joint_use_change_facts:{as_of.isoformat()}", build)


def joint_use_provisions(reg: Register) -> dict[str, str]:
    """provision_id → joint_use_id, for the provisions whose basis is joint_use."""

    def build() -> dict[str, str]:
        return {
            pid: p["joint_use_id"] for pid, p in reg["provisions"].by_key.items()
            if p.get("basis") == "joint_use" and p.get("joint_use_id") is not None
        }

    return flows.cached(reg, "joint_use_provisions", build)


def window_failures(reg: Register, as_of: dt.date) -> pl.DataFrame:
    """(provision_id, rule) for every joint-use provision with a log event inside the window of a
    JNT-008, JNT-010 or JNT-011 change of its joint use (docs/routes-and-records.md §2); one
    row each."""
    windows = [
        (f.change.joint_use_id, f.window[0], f.window[1], f.rule)
        for facts in change_facts(reg, as_of).values() for f in facts if f.window is not None
    ]
    empty = pl.DataFrame(schema={"provision_id": pl.Utf8, "rule": pl.Utf8})
    under = joint_use_provisions(reg)
    if not windows or not under:
        return empty
    w = pl.DataFrame(windows, schema={"joint_use_id": pl.Utf8, "lo": pl.Date, "hi": pl.Date,
                                      "rule": pl.Utf8}, orient="row")
    p = pl.DataFrame({"provision_id": list(under), "joint_use_id": list(under.values())},
                     schema={"provision_id": pl.Utf8, "joint_use_id": pl.Utf8})
    ev = flows.events(reg).select("provision_id", "provided_on").drop_nulls()
    return (
        ev.join(p, on="provision_id").join(w, on="joint_use_id")
        .filter((pl.col("provided_on") >= pl.col("lo"))
                & (pl.col("hi").is_null() | (pl.col("provided_on") < pl.col("hi"))))
        .select("provision_id", "rule").unique().sort("provision_id", "rule")
    )


def states_of_provision(reg: Register, as_of: dt.date) -> dict[str, tuple[tuple[dt.date | None, State], ...]]:
    """provision_id → the notice states its log events fall in, each with the first event date
    in it (JNT-003 compares with each). A joint use without item or user changes has one state,
    its row (date None); a provision without dated events is compared on as-of."""

    def build() -> dict[str, tuple[tuple[dt.date | None, State], ...]]:
        hist = history(reg)
        under = joint_use_provisions(reg)
        out: dict[str, tuple[tuple[dt.date | None, State], ...]] = {}
        dated: dict[str, list[str]] = {}
        for pid, jid in under.items():
            h = hist.get(jid)
            if h is None:
                continue
            if not h.boundaries({"items", "users"}):
                out[pid] = ((None, h.current),)
            else:
                dated.setdefault(jid, []).append(pid)
        if not dated:
            return out
        ev = flows.events(reg).select("provision_id", "provided_on").drop_nulls()
        for jid, pids in dated.items():
            h = hist[jid]
            bounds = pl.Series(h.boundaries({"items", "users"}), dtype=pl.Date)
            firsts = (
                ev.filter(pl.col("provision_id").is_in(pids))
                .with_columns(k=pl.lit(bounds).search_sorted(pl.col("provided_on"), side="right"))
                .group_by("provision_id", "k").agg(pl.col("provided_on").min())
                .sort("provision_id", "provided_on")
            )
            seen: dict[str, list[tuple[dt.date | None, State]]] = {}
            for pid, _k, day in firsts.iter_rows():
                seen.setdefault(pid, []).append((day, h.state_on(day)))
            for pid in pids:
                out[pid] = tuple(seen.get(pid) or [(as_of, h.state_on(as_of))])
        return out

    return flows.cached(reg, f"joint_use_states:{as_of.isoformat()}", build)


# --------------------------------------------------------------------------------------------
# The users' scope (docs/joint-use.md §2: JNT-006, JNT-007)
# --------------------------------------------------------------------------------------------

_THIRD = "第三者"
_OPEN_JA = ("その他", "等", "など")
_OPEN_EN = frozenset({"etc", "others"})


def _alnum(ch: str) -> bool:
    return unicodedata.category(ch)[0] in "LN"


def scope_markers(text: str | None) -> tuple[bool, bool]:
    """(names third parties, holds an open-list word) for a users' scope text.

    NFKC and case folding; J is the text with every character that is not a letter or digit
    removed, W its runs of letters and digits (docs/joint-use.md §2).
    """
    if not text:
        return False, False
    folded = unicodedata.normalize("NFKC", text).casefold()
    joined = "".join(ch for ch in folded if _alnum(ch))
    words: list[str] = []
    run = ""
    for ch in folded:
        if _alnum(ch):
            run += ch
        elif run:
            words.append(run)
            run = ""
    if run:
        words.append(run)
    third = _THIRD in joined or any(
        a == "third" and b in ("party", "parties") for a, b in zip(words, words[1:], strict=False)
    )
    open_list = any(w in joined for w in _OPEN_JA) or any(w in _OPEN_EN for w in words)
    return third, open_list


@dataclass(frozen=True)
class ScopeCell:
    """A users' scope text a joint use has published: its row's, or a valid change's before."""

    joint_use_id: str
    table: str  # joint_uses | joint_use_changes
    row: int
    column: str  # users_scope | before_users_scope
    text: str
    third_party: bool
    open_list: bool


def scope_facts(reg: Register) -> dict[str, tuple[ScopeCell, ...]]:
    """joint_use_id → every users' scope text it has published, with its markers."""

    def build() -> dict[str, tuple[ScopeCell, ...]]:
        out: dict[str, list[ScopeCell]] = {}
        t = reg["joint_uses"]
        for jid, h in history(reg).items():
            cells = out.setdefault(jid, [])
            text = h.current.users_scope
            if text:
                cells.append(ScopeCell(jid, "joint_uses", t.index_of(jid), "users_scope", text,
                                       *scope_markers(text)))
            for c in h.of("users"):
                if c.before_scope:
                    cells.append(ScopeCell(jid, "joint_use_changes", c.row, "before_users_scope",
                                           c.before_scope, *scope_markers(c.before_scope)))
        return {k: tuple(v) for k, v in out.items()}

    return flows.cached(reg, "joint_use_scopes", build)


def third_party_scopes(reg: Register) -> frozenset[str]:
    """The joint uses that have published a third-party scope (JNT-006): no joint use at all."""
    return frozenset(jid for jid, cells in scope_facts(reg).items() if any(c.third_party for c in cells))
