"""A small register ready for `register publish`, for the publish.md tests.

The base register of conftest (one customer dataset, one consent provision) with what the public
matters need: a purpose that foresees the provision, a published measure of every required
category, the request procedure. It has no PUB finding; each test breaks it in one place.
"""

from __future__ import annotations

import copy
import datetime as dt
import json
from pathlib import Path
from typing import Any

from .conftest import AS_OF, base_register, findings_of, write_json

__all__ = ["AS_OF", "MEASURES", "publish_register", "pub_keys", "document", "run_publish"]

MEASURES = [
    {"measure_id": "SM-1", "category": "handling_rules", "text": "取扱規程を定めています。",
     "text_en": "We have handling rules."},
    {"measure_id": "SM-2", "category": "organizational", "text": "責任者を置いています。"},
    {"measure_id": "SM-3", "category": "human", "text": "従業者を教育しています。"},
    {"measure_id": "SM-4", "category": "physical", "text": "入退室を管理しています。"},
    {"measure_id": "SM-5", "category": "technical", "text": "アクセスを制御しています。"},
]


def publish_register() -> dict[str, Any]:
    reg = base_register()
    reg["purposes"][0]["third_party_provision"] = True
    reg["purposes"][0]["published_on"] = "2024-04-01"
    reg["organization"].update({
        "request_methods": ["post", "email"],
        "identity_check": "本人確認書類の写しの提出",
        "fee_disclosure": 1000,
    })
    reg["security_measures"] = copy.deepcopy(MEASURES)
    return reg


def pub_keys(tmp_path: Path, reg: dict[str, Any], *rules: str, as_of: dt.date = AS_OF) -> set[tuple]:
    """(rule, table, record, field) of the findings of the given rules (default: every PUB)."""
    found = findings_of(write_json(tmp_path, copy.deepcopy(reg)), as_of)
    return {
        (f.rule, f.table, f.record, f.field) for f in found
        if (f.rule in rules if rules else f.rule.startswith("PUB-"))
    }


def run_publish(*args: Any):
    from click.testing import CliRunner

    from register.cli import main

    return CliRunner().invoke(main, ["publish", *[str(a) for a in args]], catch_exceptions=False)


def document(tmp_path: Path, reg: dict[str, Any], lang: str = "en", as_of: dt.date = AS_OF,
             name: str = "register.json") -> dict[str, Any]:
    """The JSON document of `reg`."""
    src = write_json(tmp_path, copy.deepcopy(reg), name)
    out = tmp_path / (Path(name).stem + f"_{lang}.json")
    r = run_publish(src, "--out", out, "--lang", lang, "--as-of", as_of.isoformat())
    assert r.exit_code == 0, r.output
    return json.loads(out.read_text(encoding="utf-8"))
