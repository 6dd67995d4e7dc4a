"""The generated docs are current: they equal what `python -m register.docs` generates."""

from __future__ import annotations

import pytest

from register import docs, schema
from register.render import catalogue


@pytest.mark.parametrize("path", sorted(docs.generated()), ids=lambda p: p.name)
def test_committed_docs_are_current(path):
    expected = docs.generated()[path]
    assert path.exists(), f"{path.name} is missing: run `make docs`"
    assert path.read_text(encoding="utf-8") == expected, f"{path.name} is stale: run `make docs`"


def test_data_model_names_every_table_column_and_code():
    text = docs.render_data_model()
    for t in schema.tables():
        assert f"## {t.name} — {t.label_ja}" in text
        for c in t.columns:
            assert f"| `{c.name}` | {c.label_ja} |" in text
            for code in c.enum:
                label = c.enum_labels_ja.get(code, "")
                assert f"| `{code}` | {label} |" in text


def test_rules_doc_lists_every_rule_with_its_texts():
    text = docs.render_rules()
    for r in catalogue("en"):
        assert f"### {r['id']} — {r['title']}" in text
        assert f"`{r['severity']}`" in text
    for r in catalogue("ja"):
        assert r["title"] in text


def test_check_mode_reports_stale_docs(tmp_path, monkeypatch):
    monkeypatch.setattr(docs, "DOCS", tmp_path)
    monkeypatch.setattr(docs, "ROOT", tmp_path.parent)
    assert docs.main(["--check"]) == 1
    assert docs.main([]) == 0
    assert docs.main(["--check"]) == 0
    assert (tmp_path / "rules.md").read_text(encoding="utf-8").startswith("<!-- Generated")
