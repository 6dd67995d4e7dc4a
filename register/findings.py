"""Findings and the rule catalogue.

A rule is declared once (id, severity, law, titles, messages and hints in English and Japanese)
with :func:`rule`; checks create :class:`Finding` objects from it. Nothing here prints: the CLI
renders findings. This module imports nothing else from the package but `law_ja` (a leaf), so
every layer can use it.
"""

from __future__ import annotations

import enum
import heapq
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from typing import Any, TypeVar

from .law_ja import law_ja

T = TypeVar("T")

LANGS = ("en", "ja")


class Severity(enum.StrEnum):
    """How serious a finding is; `error` drives `register check`'s exit status."""

    ERROR = "error"
    WARNING = "warning"
    INFO = "info"


@dataclass(frozen=True)
class Rule:
    """One entry of the findings catalogue (docs/rules.md)."""

    id: str
    severity: Severity
    law: str | None
    title: dict[str, str]
    description: dict[str, str]
    message: dict[str, str]
    hint: dict[str, str]
    # Rules about provision-log events are capped per rule (docs/usage.md §3).
    per_event: bool = False
    # Named problems a rule's message can state ({problem}): case → {lang: template}. Check
    # code picks a case and supplies values; every word stays in the declaration.
    cases: dict[str, dict[str, str]] = field(default_factory=dict)
    # A case whose fix differs from the rule's hint: case → {lang: hint template}.
    case_hints: dict[str, dict[str, str]] = field(default_factory=dict)

    @property
    def family(self) -> str:
        return self.id.split("-")[0]

    def __call__(self, **kwargs: Any) -> Finding:
        """Make a finding of this rule; keyword arguments fill the message templates."""
        return Finding.of(self, **kwargs)


RULES: dict[str, Rule] = {}


def rule(
    id: str,
    severity: str,
    law: str | None,
    *,
    title: tuple[str, str],
    message: tuple[str, str],
    hint: tuple[str, str],
    description: tuple[str, str] | None = None,
    per_event: bool = False,
    cases: dict[str, tuple[str, str]] | None = None,
    case_hints: dict[str, tuple[str, str]] | None = None,
) -> Rule:
    """Declare a rule once; the catalogue, `register rules` and docs/rules.md derive from it.

    Each text is a pair (English, Japanese). Messages and hints are `str.format` templates
    over the finding's parameters. `cases` names the problems a message's `{problem}` slot can
    state, each a template pair too; a finding chooses one with `case=`. `case_hints` gives a
    case its own hint where the rule's does not fit it.
    """
    if id in RULES:
        raise ValueError(f"rule {id} declared twice")
    r = Rule(
        id=id,
        severity=Severity(severity),
        law=law,
        title=dict(zip(LANGS, title, strict=True)),
        description=dict(zip(LANGS, description or title, strict=True)),
        message=dict(zip(LANGS, message, strict=True)),
        hint=dict(zip(LANGS, hint, strict=True)),
        per_event=per_event,
        cases={k: dict(zip(LANGS, v, strict=True)) for k, v in (cases or {}).items()},
        case_hints={k: dict(zip(LANGS, v, strict=True)) for k, v in (case_hints or {}).items()},
    )
    unknown = set(r.case_hints) - set(r.cases)
    if unknown:
        raise ValueError(f"rule {id}: hints for undeclared cases {sorted(unknown)}")
    RULES[id] = r
    return r


@dataclass(frozen=True)
class Location:
    """Where the user finds the problem, as their spreadsheet or editor shows it."""

    file: str | None = None
    sheet: str | None = None
    row: int | None = None
    column: str | None = None
    cell: str | None = None
    pointer: str | None = None

    def as_dict(self) -> dict[str, Any]:
        return {
            "file": self.file,
            "sheet": self.sheet,
            "row": self.row,
            "column": self.column,
            "cell": self.cell,
            "pointer": self.pointer,
        }

    def short(self, lang: str = "en") -> str:
        """A compact human form: a cell (`D5`), a row (`row 5`, `5行目`), or a JSON pointer."""
        if self.pointer:
            return self.pointer
        if self.cell:
            return self.cell
        if self.row is not None:
            return f"{self.row}行目" if lang == "ja" else f"row {self.row}"
        return ""


class _Safe(dict):
    """Leave unknown template fields visible instead of raising KeyError."""

    def __missing__(self, key: str) -> str:
        return "{" + key + "}"


# How a value reads inside a message: Japanese messages say 空欄 and ○/×, never
# Python's None/True/False, and join lists with 、.
_EMPTY = {"en": "(empty)", "ja": "空欄"}
_BOOL = {"en": ("false", "true"), "ja": ("×", "○")}
_JOIN = {"en": ", ", "ja": "、"}


def _fmt(value: Any, lang: str = "en") -> str:
    if value is None:
        return _EMPTY[lang]
    if isinstance(value, bool):
        return _BOOL[lang][value]
    if isinstance(value, list | tuple | set | frozenset):
        return _JOIN[lang].join(str(v) for v in value)
    return str(value)


@dataclass(frozen=True)
class Finding:
    """One problem: the rule, what it concerns (table/record/field) and where it is."""

    rule: str
    severity: Severity
    table: str | None
    record: str | None
    field: str | None
    location: Location
    params: dict[str, Any] = field(default_factory=dict, compare=False, hash=False)

    @classmethod
    def of(
        cls,
        r: Rule,
        *,
        table: str | None = None,
        record: str | None = None,
        field: str | None = None,
        location: Location | None = None,
        **params: Any,
    ) -> Finding:
        return cls(
            rule=r.id,
            severity=r.severity,
            table=table,
            record=record,
            field=field,
            location=location or Location(),
            params={"table": table, "record": record, "field": field, **params},
        )

    @property
    def spec(self) -> Rule:
        return RULES[self.rule]

    def _values(self, lang: str) -> _Safe:
        values = _Safe({k: _fmt(v, lang) for k, v in self.params.items()})
        case = self.params.get("case")
        if case is not None:
            problem = self.spec.cases[case][lang].format_map(values)
            values["problem"] = values["problem_ja"] = problem
        return values

    def message(self, lang: str = "en") -> str:
        return self.spec.message[lang].format_map(self._values(lang))

    def hint(self, lang: str = "en") -> str:
        own = self.spec.case_hints.get(self.params.get("case"))
        return (own or self.spec.hint)[lang].format_map(self._values(lang))

    def as_dict(self, lang: str = "en") -> dict[str, Any]:
        """The JSON shape of docs/usage.md §3."""
        return {
            "rule": self.rule,
            "severity": self.severity.value,
            "message": self.message(lang),
            "hint": self.hint(lang),
            "law": self.spec.law,
            "law_ja": law_ja(self.spec.law),
            "table": self.table,
            "record": self.record,
            "field": self.field,
            "location": self.location.as_dict(),
        }

    def sort_key(self) -> tuple:
        loc = self.location
        return (
            loc.file or "",
            loc.sheet or "",
            loc.row if loc.row is not None else -1,
            self.rule,
            loc.pointer or "",
            loc.cell or "",
            self.record or "",
            self.field or "",
        )


MAX_PER_RULE = 100


def is_capped(f: Finding) -> bool:
    """Whether a finding counts against its rule's cap: its rule is declared `per_event` and
    it names a provision-log event. The one test every capping step applies."""
    return RULES[f.rule].per_event and f.table == "provision_log" and f.record is not None


def require_per_event(r: Rule) -> None:
    """A check that caps a rule's findings must declare the rule `per_event` (the report caps
    by that declaration, so an undeclared rule would have its stand-ins listed)."""
    if not r.per_event:
        raise ValueError(f"rule {r.id} is capped per event but not declared per_event=True")
# A finding carrying this parameter stands for that many more findings of its rule that a check
# counted but did not build (see `capped`); Report.build adds them to `suppressed`.
SUPPRESSED_COUNT = "_suppressed_count"


def suppressed(r: Rule, n: int, table: str = "provision_log") -> Finding:
    """A stand-in for `n` findings of rule `r` that were counted, not built (see `capped`)."""
    return Finding(
        rule=r.id, severity=r.severity, table=table, record=None, field=None,
        location=Location(), params={SUPPRESSED_COUNT: n},
    )


def capped(
    r: Rule,
    candidates: Sequence[T],
    make: Callable[[T], Finding],
    key: Callable[[T], Any] | None = None,
    cap: int = MAX_PER_RULE,
    table: str = "provision_log",
) -> Iterator[Finding]:
    """Findings of a log rule for `candidates`, building (and locating) at most about `cap`.

    The report lists only the first `cap` findings of a log rule in report order and counts the
    rest (docs/usage.md §3); building a located finding costs far more than counting one, so only
    the candidates that can be listed are built. `key(c)` must order candidates as their
    findings sort (a coarser order is fine: ties at the boundary are all built and the findings
    themselves decide); without `key` the candidates are taken to be in report order already.
    The rest are yielded as one `suppressed` stand-in, so Report's summary stays exact.
    """
    require_per_event(r)
    n = len(candidates)
    if n <= cap:
        yield from (make(c) for c in candidates)
        return
    if key is None:
        chosen = [make(c) for c in candidates[:cap]]
    else:
        keys = [key(c) for c in candidates]
        order = heapq.nsmallest(cap, range(n), key=keys.__getitem__)
        edge = keys[order[-1]]
        # every candidate tied with the last one kept may sort before it: build those too
        picked = set(order) | {j for j in range(n) if keys[j] == edge}
        built = sorted((make(candidates[j]) for j in sorted(picked)), key=Finding.sort_key)
        chosen = built[:cap]
    yield from chosen
    yield suppressed(r, n - len(chosen), table)


def capped_frame(
    r: Rule,
    candidates: Any,
    make: Callable[[tuple], Finding],
    cap: int = MAX_PER_RULE,
    table: str = "provision_log",
    total: int | None = None,
) -> Iterator[Finding]:
    """`capped` for candidates already in report order in a polars frame: only the rows that
    can be listed become Python tuples and findings; the rest are counted (`total`, when the
    frame holds only the first of them)."""
    require_per_event(r)
    yield from (make(c) for c in candidates.head(cap).iter_rows())
    total = candidates.height if total is None else total
    if total > cap:
        yield suppressed(r, total - cap, table)


@dataclass
class Report:
    """All findings of a run, sorted, with per-event rules capped (and the cap reported)."""

    findings: list[Finding]
    suppressed: int = 0

    @classmethod
    def build(cls, findings: Iterable[Finding], cap: int = MAX_PER_RULE) -> Report:
        kept: list[Finding] = []
        counts: dict[str, int] = {}
        extra: dict[str, int] = {}
        for f in findings:
            hidden = f.params.get(SUPPRESSED_COUNT)
            if hidden:
                # counted by the check, never built (see `capped`)
                extra[f.rule] = extra.get(f.rule, 0) + hidden
                continue
            # Log rules give one finding per offending event, at most `cap` per rule
            # (docs/usage.md §3)
            if is_capped(f):
                n = counts.get(f.rule, 0)
                if n >= cap:
                    extra[f.rule] = extra.get(f.rule, 0) + 1
                    continue
                counts[f.rule] = n + 1
            kept.append(f)
        for rule_id, n in extra.items():
            # One more finding of the same rule says how many were left out (docs/usage.md §3).
            kept.append(
                Finding(
                    rule=rule_id,
                    severity=RULES[rule_id].severity,
                    table="provision_log",
                    record=None,
                    field=None,
                    location=Location(),
                    params={"suppressed": n, "_suppressed_note": True},
                )
            )
        kept.sort(key=Finding.sort_key)
        return cls(findings=kept, suppressed=sum(extra.values()))

    def count(self, severity: Severity | str) -> int:
        sev = Severity(severity)
        return sum(
            1 for f in self.findings if f.severity == sev and not f.params.get("_suppressed_note")
        )

    def total(self, severity: Severity | str) -> int:
        """Every finding of `severity`: the listed ones and those the cap left out."""
        sev = Severity(severity)
        left_out = sum(
            f.params.get("suppressed", 0)
            for f in self.findings
            if f.severity == sev and f.params.get("_suppressed_note")
        )
        return self.count(sev) + left_out

    @property
    def errors(self) -> int:
        return self.count(Severity.ERROR)

    def summary(self) -> dict[str, int]:
        return {
            "error": self.count(Severity.ERROR),
            "warning": self.count(Severity.WARNING),
            "info": self.count(Severity.INFO),
            "suppressed": self.suppressed,
        }

    def as_dict(self, lang: str = "en") -> dict[str, Any]:
        return {
            "findings": [render(f, lang) for f in self.findings],
            "summary": self.summary(),
        }

    def __iter__(self) -> Iterator[Finding]:
        return iter(self.findings)


SUPPRESSED_TEXT = {
    "en": "{n} more findings of this rule were left out (at most {cap} are listed).",
    "ja": "このルールの指摘はほかに{n}件あります（表示は最大{cap}件）。",
}


def render(f: Finding, lang: str = "en") -> dict[str, Any]:
    """A finding as the JSON of docs/usage.md §3 (also the note on suppressed findings)."""
    d = f.as_dict(lang)
    if f.params.get("_suppressed_note"):
        d["message"] = SUPPRESSED_TEXT[lang].format(n=f.params["suppressed"], cap=MAX_PER_RULE)
        d["hint"] = f.spec.hint[lang].split("{")[0].strip() or d["hint"]
    return d
