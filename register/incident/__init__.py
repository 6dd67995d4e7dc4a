"""Leak triage (`register incident`, docs/incident.md): the decision, its deadlines and the drafts.

API:
- `decide(source, incident_id, as_of)` → the decision.json dict of one incident;
- `write_incident(analysis, incident_id, out_dir, fmt, lang)` → the files written.

`source` is an `api.Analysis` or a loaded `model.Register`. The legal facts live in
`decision.py` (scope, criteria, counts, duties) and `calendar.py` (deadlines); the INC and RDY
checks (`checks/incidents.py`) and the report's sections (`report/incidents.py`) call the same
functions.
"""

from __future__ import annotations

import contextlib
import datetime as dt
from pathlib import Path
from typing import Any

from ..model import InputError
from . import drafts
from .decision import Decision, Facts, decide_row, key_problems

__all__ = ["FORMATS", "decide", "decision_of", "write_incident"]

FORMATS = ("md", "json", "xlsx")
DECISION_FILE = "decision.json"


def _register(source: Any) -> Any:
    return getattr(source, "register", source)


def _normalise(incident_id: str) -> str:
    from ..values import normalize_id

    return normalize_id(str(incident_id))


def find(reg: Any, incident_id: str) -> int:
    """Row index of the incident (ID normalised as the register's IDs are); InputError when
    there is none, or when its known_on, event_types or dataset_ids cannot be used (§2)."""
    iid = _normalise(incident_id)
    if not iid:
        raise InputError(None, "--incident is empty; give the ID of an incident (事案ID)")
    table = reg["incidents"]
    i = table.index_of(iid) if table.present else None
    if i is None:
        known = [k for k in table.by_key] if table.present else []
        close = [k for k in known if k.casefold() == iid.casefold()]
        hint = f"; did you mean {close[0]}?" if close else (
            f" (it has {', '.join(known[:5])}{' …' if len(known) > 5 else ''})" if known else
            " (the register has no incidents table, 漏えい等事案)"
        )
        raise InputError(reg.source, f"incident {iid} is not in the incidents table{hint}")
    bad = key_problems(table, i, reg["datasets"].by_key)
    if bad:
        raise InputError(
            reg.source,
            f"incident {iid} cannot be decided: {', '.join(bad)} "
            f"{'is' if len(bad) == 1 else 'are'} empty, invalid or names no dataset "
            "(run register check)",
        )
    return i


def decision_of(source: Any, incident_id: str, as_of: dt.date | None = None) -> tuple[Decision, Facts]:
    """The Decision of one incident and the Facts it was made from."""
    reg = _register(source)
    as_of = as_of or getattr(source, "as_of", None) or dt.date.today()
    from ..facts.incidents import incident_facts  # (facts/ imports this package)

    i = find(reg, incident_id)
    facts = incident_facts(reg)
    return decide_row(facts, reg["incidents"].rows[i], as_of), facts


def decide(source: Any, incident_id: str, as_of: dt.date | None = None) -> dict[str, Any]:
    """decision.json of one incident (docs/incident.md §4.1)."""
    return decision_of(source, incident_id, as_of)[0].data


# --------------------------------------------------------------------------------------------
# Writing
# --------------------------------------------------------------------------------------------


def planned(decision: Decision, fmt: str) -> list[str]:
    """The files written for a decision, decision.json first (docs/incident.md §2)."""
    d = decision.data
    names = [DECISION_FILE]
    for draft, key in (
        ("ppc_report", "ppc_report_required"),
        ("principal_notice", "principal_notice_required"),
        ("entrustor_notice", "entrustor_notice_required"),
    ):
        if d[key] is not False:
            names.append(f"{draft}.{fmt}")
    return names


def _render(name: str, path: Path, decision: Decision, facts: Facts, fmt: str, lang: str) -> None:
    from ..export import dump_json

    draft = name.split(".")[0]
    if name == DECISION_FILE:
        dump_json(path, decision.data)
    elif fmt == "json":
        doc = (drafts.entrustor_json(decision, facts, lang) if draft == "entrustor_notice"
               else drafts.draft_json(decision, draft, lang))
        dump_json(path, doc)
    elif fmt == "md":
        text = (drafts.entrustor_md(decision, facts, lang) if draft == "entrustor_notice"
                else drafts.ppc_md(decision, facts, lang, draft))
        path.write_text(text, encoding="utf-8", newline="\n")
    else:
        drafts.write_xlsx(path, drafts.xlsx_sheets(decision, facts, draft, lang), facts, lang,
                          drafts.xlsx_note(decision, draft, lang))


def stale_drafts(out_dir: Path, written: list[Path]) -> list[Path]:
    """Drafts in out_dir that this run did not write (`ppc_report.*`, `principal_notice.*`,
    `entrustor_notice.*`): they would describe another decision."""
    if not out_dir.is_dir():
        return []
    keep = {p.name for p in written}
    out = []
    for p in sorted(out_dir.iterdir()):
        if p.name in keep or not (p.is_file() or p.is_symlink()):
            continue
        if any(p.name.startswith(draft + ".") for draft in drafts.DRAFTS):
            out.append(p)
    return out


def write_incident(
    analysis: Any, incident_id: str, out_dir: Path, fmt: str = "md", lang: str = "en"
) -> list[Path]:
    """Write decision.json and the drafts into out_dir; delete stale drafts; return the files
    written. Nothing is written (InputError) when the incident cannot be decided."""
    from ..export import register_inputs
    from ..io.atomic import atomic_file, output_folder, refuse_overwriting_inputs

    if fmt not in FORMATS:
        raise InputError(None, f"unknown format {fmt!r}; use one of {', '.join(FORMATS)}")
    decision, facts = decision_of(analysis, incident_id, getattr(analysis, "as_of", None))
    out_dir = Path(out_dir)
    targets = [out_dir / name for name in planned(decision, fmt)]
    inputs = register_inputs(analysis)
    refuse_overwriting_inputs(targets, inputs)
    with output_folder(out_dir), contextlib.ExitStack() as stack:
        # every file is complete before any is renamed into place
        temps = [stack.enter_context(atomic_file(p)) for p in targets]
        for target, tmp in zip(targets, temps, strict=True):
            _render(target.name, tmp, decision, facts, fmt, lang)
    resolved_inputs = {Path(p).resolve() for p in inputs}
    for stale in stale_drafts(out_dir, targets):
        if stale.resolve() not in resolved_inputs:
            with contextlib.suppress(FileNotFoundError):
                stale.unlink()
    return targets
