"""The joint users' scope: JNT-006 (third parties) and JNT-007 (an open list), and the route
(joint-use.md §2, §6 results 1–2); the markers as a law over all texts (hypothesis)."""

from __future__ import annotations

import unicodedata

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from register.facts.joint_uses import scope_markers

from .joint_use_support import analyse, exempt, keys_of, record_events, with_change
from .law_helpers import joint_use_register


@pytest.mark.parametrize(("text", "third", "open_list"), [
    ("当社の関連会社その他の第三者", True, True),
    ("当社の関連会社その他の　第三者", True, True),
    ("当社が指定する第三者", True, False),
    ("affiliated business operators and other third parties", True, False),
    ("our affiliates and other third-parties", True, False),
    ("Third Party partners", True, False),
    ("当社の子会社等", False, True),
    ("当社グループ各社など", False, True),
    ("our subsidiaries, etc.", False, True),
    ("our subsidiaries and others", False, True),
    ("当社及び当社の連結子会社（株式会社ハルカゼラボ、株式会社ハルカゼコネクト）", False, False),
    ("The Cybozu Group", False, False),
    ("thirdparty vendors", False, False),  # one word: not "third" followed by "party"
    ("other subsidiaries", False, False),  # "other" is no open-list word; "others" is
    ("", False, False),
])
def test_scope_markers(text, third, open_list):
    assert scope_markers(text) == (third, open_list)


_SEPARATORS = st.sampled_from([" ", "\u3000", "・", "、", "-", "_", "（", "）", "\n", "."])


@given(st.lists(_SEPARATORS, min_size=3, max_size=3))
@settings(max_examples=60, deadline=None)
def test_third_party_survives_any_separator_and_width(seps):
    """「第三者」 split by spaces or punctuation, in full or half width, is still third parties."""
    text = f"当社の提携先その他の{seps[0]}第{seps[1]}三{seps[2]}者"
    assert scope_markers(text)[0]
    wide = "".join(chr(ord(c) + 0xFEE0) if "!" <= c <= "~" else c for c in "and other THIRD PARTIES")
    assert scope_markers(wide)[0]


@given(st.text(alphabet=st.characters(codec="utf-8", exclude_categories=("Cs",)), max_size=40))
@settings(max_examples=200, deadline=None)
def test_markers_depend_only_on_the_normalised_text(text):
    """NFKC and case folding first: a text and its normalised, case-folded form agree."""
    folded = unicodedata.normalize("NFKC", text).casefold()
    assert scope_markers(text) == scope_markers(folded)
    # adding third parties to any scope makes it a third-party scope
    assert scope_markers(text + "その他の第三者")[0]


# --- JNT-006, JNT-007 and the route ----------------------------------------------------------


def test_jnt006_a_third_party_scope_fails_every_flow_of_the_joint_use(tmp_path):
    reg = joint_use_register()
    reg["joint_uses"][0]["users_scope"] = "当社の関連会社その他の第三者"
    a = analyse(tmp_path, reg)
    assert keys_of(a, "JNT-006", "JNT-007") == {("JNT-006", "joint_uses", "J1", "users_scope")}
    assert a.routes.provisions["V1"].failed_by == ("JNT-006",)
    assert set(record_events(a)) == {"V1"}
    f = next(f for f in a.report.findings if f.rule == "JNT-006")
    assert "『当社の関連会社その他の第三者』" in f.message("ja")


def test_jnt006_on_an_earlier_scope(tmp_path):
    # the scope named third parties until 2025-01-01: the joint use never held
    reg = with_change(joint_use_register(), matter="users", effective_on="2025-01-01",
                      notified_on="2024-12-01", before_users_scope="当社が指定する第三者",
                      change_basis="consent")
    a = analyse(tmp_path, reg)
    assert keys_of(a, "JNT-006") == {("JNT-006", "joint_use_changes", "JC1", "before_users_scope")}
    assert "JNT-006" in a.routes.provisions["V1"].failed_by


def test_jnt006_not_from_an_invalid_change_row(tmp_path):
    reg = with_change(joint_use_register(), matter="purposes", effective_on="2025-01-01",
                      before_purpose_ids=["U1"], before_users_scope="当社が指定する第三者")
    a = analyse(tmp_path, reg)
    assert keys_of(a, "JNT-006") == set()
    assert ("JNT-013", "joint_use_changes", "JC1", "before_users_scope") in keys_of(a, "JNT-013")


@pytest.mark.parametrize(("scope", "users", "expected"), [
    ("当社の子会社等", None, {("JNT-007", "joint_uses", "J1", "users_scope")}),
    ("当社の子会社等", ["self", "P1"], set()),  # listed users: the principal can tell
    ("当社の子会社その他の第三者", None, set()),  # JNT-006 instead
    ("当社の子会社", None, set()),
])
def test_jnt007(tmp_path, scope, users, expected):
    reg = joint_use_register()
    reg["joint_uses"][0]["users_scope"] = scope
    if users is None:
        del reg["joint_uses"][0]["user_party_ids"]
    a = analyse(tmp_path, reg)
    assert keys_of(a, "JNT-007") == expected
    if "第三者" not in scope:
        # JNT-007 never fails a route (joint-use.md §3)
        assert exempt(a)[("provision", "V1")] == "art27_5"
