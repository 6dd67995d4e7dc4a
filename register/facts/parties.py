"""Whether a party's identity is stated as the law needs it (name, address, representative).

A record of provision or confirmation (APPI Art 29/30, Rules Art 20/24), a joint use's manager
(Art 27(5)(iii)) and the report all need the same three facts of a party: its name, its address
and, for a corporation, its representative. This is the one place that says which are missing.
"""

from __future__ import annotations

from typing import Any

# The identity columns, in the order the law lists them (name, address, representative).
IDENTITY = ("name", "address", "representative")


def identity_gaps(party: dict[str, Any], corporation: bool | None = None) -> tuple[str, ...]:
    """The identity columns of `party` that are empty: `name`, `address`, and `representative`
    when the party is a corporation (`corporation` overrides its `kind`, e.g. for ourselves)."""
    if corporation is None:
        corporation = party.get("kind") == "corporation"
    return tuple(
        c for c in IDENTITY
        if not str(party.get(c) or "").strip() and (c != "representative" or corporation)
    )
