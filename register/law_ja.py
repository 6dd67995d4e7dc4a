"""Law citations in Japanese: `law` → `law_ja` (docs/japanese.md §3).

The mapping is mechanical, so every `law` string of the catalogue maps without a table of
citations: segments joined with `; ` name an Act and its articles (`APPI Art 27(5)(iii)` →
個人情報保護法第27条第5項第3号), or a guideline and its sections. A citation that does not fit
the grammar raises ValueError: `law` holds citations only (docs/japanese.md §3), and a test maps
every rule's `law`, so a malformed one is found before it ships.
"""

from __future__ import annotations

import functools
import re

# Acts and their subordinate instruments: name → (Act, Japanese name). A segment of the same
# Act as the one before it writes 同法 for the Act's name (§3 step 3).
ACTS: dict[str, tuple[str, str]] = {
    "APPI": ("APPI", "個人情報保護法"),
    "APPI Rules": ("APPI", "個人情報保護法施行規則"),
    "Cabinet Order": ("APPI", "個人情報保護法施行令"),
    "My Number Act": ("My Number Act", "番号法"),
    "TBA": ("TBA", "電気通信事業法"),
    "TBA Rules": ("TBA", "電気通信事業法施行規則"),
}
# The Act's own name inside each instrument's name, replaced by 同法.
_ACT_NAME = {"APPI": "個人情報保護法", "My Number Act": "番号法", "TBA": "電気通信事業法"}

GUIDELINES: dict[str, str] = {
    "PPC GL (General Rules)": "個人情報保護法ガイドライン（通則編）",
    "PPC GL (Foreign Third Parties)": "個人情報保護法ガイドライン（外国にある第三者への提供編）",
    "PPC GL (Confirmation and Record-keeping)": "個人情報保護法ガイドライン（第三者提供時の確認・記録義務編）",
    "PPC GL (Pseudonymised and Anonymised)": "個人情報保護法ガイドライン（仮名加工情報・匿名加工情報編）",
    "PPC Q&A": "個人情報保護法ガイドラインQ&A ",  # "Q&A X": the space stays (§3)
}

_ROMAN = {"i": 1, "v": 5, "x": 10}
_ROMAN_RE = r"[ivx]+"
_PART = re.compile(
    r"(?P<article>\d+(?:-\d+)*)?"
    r"(?P<para>\(\d+\))?"
    r"(?P<text> main text| proviso)?"
    r"(?:\s*\((?P<item>" + _ROMAN_RE + r")\)"
    r"(?:[-–]\((?P<item_to>" + _ROMAN_RE + r")\))?)?"
)


def roman(numeral: str) -> int:
    """A lower-case roman numeral (i … xx) as an integer."""
    total = 0
    values = [_ROMAN[c] for c in numeral]
    for k, v in enumerate(values):
        total += -v if k + 1 < len(values) and values[k + 1] > v else v
    if not 1 <= total <= 20:
        raise ValueError(f"item number {numeral!r} out of range")
    return total


def _article(ref: str) -> str:
    """`27` → 第27条; `22-2-29` → 第22条の2の29."""
    head, *branches = ref.split("-")
    return f"第{head}条" + "".join(f"の{b}" for b in branches)


def _reference(ref: str) -> str:
    """One reference of a segment, e.g. `27(5)(iii)` → 第27条第5項第3号."""
    m = _PART.fullmatch(ref)
    if m is None or not any(m.group(g) for g in ("article", "para", "text", "item")):
        raise ValueError(f"cannot read the reference {ref!r}")
    out = ""
    if m.group("article"):
        out += _article(m.group("article"))
    if m.group("para"):
        out += f"第{m.group('para')[1:-1]}項"
    if m.group("text"):
        out += "本文" if m.group("text") == " main text" else "ただし書"
    if m.group("item"):
        out += f"第{roman(m.group('item'))}号"
        if m.group("item_to"):
            out += f"から第{roman(m.group('item_to'))}号まで"
    return out


def _references(refs: str) -> str:
    """`28(1), 29(1)` → 第28条第1項、第29条第1項; `19(2),(3)` → 第19条第2項、第3項."""
    parts = [p.strip() for p in refs.split(",")]
    if not parts or any(not p for p in parts):
        raise ValueError(f"cannot read the references {refs!r}")
    if parts[0].startswith("("):
        raise ValueError(f"{refs!r} continues no reference")
    return "、".join(_reference(p) for p in parts)


def _guideline(segment: str) -> str | None:
    for name, ja in GUIDELINES.items():
        if segment.startswith(name + " "):
            rest = segment[len(name) + 1:].replace(", ", "、").replace(" to ", "～")
            return ja + rest
    return None


@functools.cache
def law_ja(law: str | None) -> str | None:
    """The Japanese citation of `law` (docs/japanese.md §3); None for None."""
    if law is None:
        return None
    out: list[str] = []
    previous_act: str | None = None
    for segment in law.split("; "):
        guideline = _guideline(segment)
        if guideline is not None:
            out.append(guideline)
            previous_act = None
            continue
        name, sep, refs = segment.partition(" Art ")
        if not sep or name not in ACTS:
            raise ValueError(f"cannot read the citation {segment!r} of {law!r}")
        act, ja = ACTS[name]
        if act == previous_act:
            ja = ja.replace(_ACT_NAME[act], "同法", 1)
        out.append(ja + _references(refs))
        previous_act = act
    return "、".join(out)
