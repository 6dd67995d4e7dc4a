"""`register publish` (publish.md §3, §5): formats, exit status, same bytes, what md and html hold,
escaping, Japanese without codes; a seed company's register gives a publishable text."""

from __future__ import annotations

import json
import re
from html.parser import HTMLParser

import pytest

from register import schema

from .conftest import SAMPLE, write_json
from .publish_support import AS_OF, publish_register, run_publish

SEEDS = SAMPLE / "seeds"
ASOF = ["--as-of", AS_OF.isoformat()]


@pytest.fixture
def src(tmp_path):
    return write_json(tmp_path, publish_register())


# --- formats and exit status -----------------------------------------------------------------


@pytest.mark.parametrize(("name", "fmt", "first"), [
    ("p.md", "md", "# Public notice"), ("p.MARKDOWN", "md", "# Public notice"),
    ("p.json", "json", "{"), ("p.HTML", "html", "<!DOCTYPE html>"), ("p.htm", "html", "<!DOCTYPE html>"),
])
def test_format_from_the_suffix(tmp_path, src, name, fmt, first):
    out = tmp_path / name
    r = run_publish(src, "--out", out, *ASOF)
    assert r.exit_code == 0, r.output
    assert r.stdout == f"{out}\n"
    assert out.read_text("utf-8").startswith(first)


def test_format_option_wins_over_the_suffix(tmp_path, src):
    out = tmp_path / "policy.txt"
    assert run_publish(src, "--out", out, "--format", "MD", *ASOF).exit_code == 0
    assert out.read_text("utf-8").startswith("# ")


@pytest.mark.parametrize("args", [
    ["--out", "{tmp}/p.txt"],  # unknown suffix, no --format
    ["--out", "{tmp}/p.md", "--format", "pdf"],
    ["--out", "{tmp}/p.md", "--lang", "fr"],
    ["--out", "{tmp}/p.md", "--as-of", "2026-02-30"],
    ["--out", "{src}"],  # the output would overwrite the input
    ["--out", "{tmp}/missing/folder/p.md"],
])
def test_exit_2_and_nothing_written(tmp_path, src, args):
    before = sorted(p.name for p in tmp_path.iterdir())
    args = [a.format(tmp=tmp_path, src=src) for a in args]
    r = run_publish(src, *args)
    assert r.exit_code == 2
    assert sorted(p.name for p in tmp_path.iterdir()) == before
    assert json.loads(src.read_text("utf-8"))["organization"]["name"] == "株式会社テスト"


def test_missing_input_is_exit_2(tmp_path):
    r = run_publish(tmp_path / "none.json", "--out", tmp_path / "p.md")
    assert r.exit_code == 2 and len(r.stderr.splitlines()) == 1
    assert not (tmp_path / "p.md").exists()


@pytest.mark.parametrize(("lang", "line"), [("en", "1 error\n"), ("ja", "エラー 1件\n")])
def test_written_also_when_the_register_has_errors(tmp_path, lang, line):
    reg = publish_register()
    reg["provisions"][0]["consent"] = False  # PRV-001
    r = run_publish(write_json(tmp_path, reg), "--out", tmp_path / "p.html", "--lang", lang, *ASOF)
    assert r.exit_code == 0
    assert r.stderr == line
    assert (tmp_path / "p.html").exists()


@pytest.mark.parametrize("fmt", ["md", "html", "json"])
@pytest.mark.parametrize("lang", ["en", "ja"])
def test_same_input_same_bytes(tmp_path, fmt, lang):
    outs = []
    for k in (1, 2):
        out = tmp_path / f"p{k}.{fmt}"
        r = run_publish(SAMPLE / "register.json", "--out", out, "--lang", lang, *ASOF)
        assert r.exit_code == 0
        outs.append(out.read_bytes())
    assert outs[0] == outs[1]


def test_md_is_the_same_from_every_form_of_the_sample(tmp_path):
    texts = set()
    for form in ("register.json", "register.xlsx", "csv"):
        out = tmp_path / f"{form}.md"
        assert run_publish(SAMPLE / form, "--out", out, "--lang", "ja", *ASOF).exit_code == 0
        texts.add(out.read_bytes())
    assert len(texts) == 1


# --- md: what it holds, and that the register's text cannot become markup --------------------


HOSTILE = "<script>alert(1)</script> *太字* _下線_ [link](http://x) | # 見出し &amp; \\ `code`\n- 二行目"


def _md(tmp_path, reg, lang="ja"):
    out = tmp_path / "p.md"
    r = run_publish(write_json(tmp_path, reg), "--out", out, "--lang", lang, *ASOF)
    assert r.exit_code == 0, r.output
    return out.read_bytes()


def test_md_layout(tmp_path):
    raw = _md(tmp_path, json.loads((SAMPLE / "register.json").read_text("utf-8")))
    assert not raw.startswith(b"\xef\xbb\xbf") and b"\r" not in raw
    assert raw.endswith(b"\n") and not raw.endswith(b"\n\n")
    text = raw.decode("utf-8")
    lines = text.split("\n")[:-1]
    assert lines[0] == "# 個人情報の取扱いに関する公表事項"
    headings = [ln[3:] for ln in lines if ln.startswith("## ")]
    assert headings == [
        "事業者の名称、住所及び代表者の氏名", "保有個人データの利用目的", "開示等の請求等に応じる手続",
        "保有個人データの安全管理のために講じた措置", "保有個人データの取扱いに関する苦情の申出先",
        "認定個人情報保護団体", "個人データの共同利用", "利用者情報の外部送信",
    ]
    # every line is a heading, a list item, blank, or one of our sentences: the register's text
    # never starts a line
    ours = {"当社のウェブサイト及びアプリでは、次のとおり、利用者に関する情報を外部に送信しています。"}
    for ln in lines:
        assert ln == "" or re.match(r"#{1,3} |( {2})*- ", ln) or ln in ours, ln
    # only public text: no IDs, hashes, as-of or tool name
    assert not re.search(r"\b(DS|PU|PT|SM|NV|TG|CT|JU)-", text)
    assert not re.search(r"[0-9a-f]{64}", text) and "2026-11-21" not in text
    assert "register" not in text.lower()
    # the foreign countries, by name, under the external environment (Order Art 10(i))
    ext = text.split("### 外的環境の把握\n\n")[1].split("\n\n")[0]
    assert ext.startswith("- 個人データを取り扱っている外国：アイルランド、シンガポール、米国\n")
    assert "- 米国：顧客情報データベースを米国の事業者のクラウド基盤で保管" in ext
    # the joint-use notice with the statutory terms
    for term in ("共同利用する旨", "項目", "共同して利用する者の範囲", "利用目的",
                 "管理について責任を有する者の氏名又は名称及び住所並びに代表者の氏名"):
        assert term in text.split("## 個人データの共同利用")[1]
    assert "第三者提供を含みます" in text and "手数料 1,000円" in text and "：無料" in text


def test_md_escapes_register_text(tmp_path):
    reg = publish_register()
    reg["purposes"][0]["description"] = HOSTILE
    reg["organization"]["name"] = "1. 株式会社 <b>"
    text = _md(tmp_path, reg).decode("utf-8")
    assert ("- &lt;script&gt;alert(1)&lt;/script&gt; \\*太字\\* \\_下線\\_ \\[link\\](http://x) "
            "\\| \\# 見出し &amp;amp; \\\\ \\`code\\` - 二行目（第三者提供を含みます）") in text
    assert "- 名称：1. 株式会社 &lt;b&gt;" in text
    assert "<" not in text and "\n- 二行目" not in text


def test_md_item_that_would_open_a_block_is_escaped(tmp_path):
    reg = publish_register()
    reg["purposes"][0]["description"] = "    1. 四つの空白と番号"
    reg["purposes"].append({"purpose_id": "U2", "description": "- 箇条書き風", "published_on": "2024-01-01"})
    reg["datasets"][0]["purpose_ids"] = ["U1", "U2"]
    text = _md(tmp_path, reg).decode("utf-8")
    assert "\n- 1\\. 四つの空白と番号（第三者提供を含みます）\n" in text
    assert "\n- \\- 箇条書き風\n" in text


def test_only_http_urls_become_links(tmp_path):
    reg = publish_register()
    reg["data_items"].append({"item_id": "IC", "name": "Cookie ID", "legal_class": "person_related"})
    reg["services"] = [{"service_id": "S1", "name": "サイト", "category": "information"}]
    tag = {"tag_id": "T1", "service_ids": ["S1"], "module_name": "A", "recipient_party_id": "P1",
           "item_ids": ["IC"], "purpose_ours": "分析", "purpose_recipient": "解析"}
    reg["tags"] = [dict(tag, opt_out_url="https://example.com/opt?a=1&b=2"),
                   dict(tag, tag_id="T2", opt_out_url="javascript:alert(1)"),
                   dict(tag, tag_id="T3", opt_out_url="設定画面から停止できます")]
    text = _md(tmp_path, reg).decode("utf-8")
    assert "- オプトアウトの方法：<https://example.com/opt?a=1&b=2>" in text
    assert "- オプトアウトの方法：javascript:alert(1)" in text
    assert "- オプトアウトの方法：設定画面から停止できます" in text
    out = tmp_path / "p.html"
    run_publish(write_json(tmp_path, reg), "--out", out, *ASOF)
    html = out.read_text("utf-8")
    assert 'href="https://example.com/opt?a=1&amp;b=2"' in html
    assert "href=\"javascript" not in html


# --- html: self-contained, escaped, the gaps and the colophon ---------------------------------


class _Text(HTMLParser):
    """The visible text of a page (attributes and the style left out), and what it loads."""

    def __init__(self):
        super().__init__()
        self.text, self.tags, self._skip = [], [], False

    def handle_starttag(self, tag, attrs):
        self.tags.append((tag, dict(attrs)))
        self._skip = tag in ("style", "script")

    def handle_endtag(self, tag):
        self._skip = False

    def handle_data(self, data):
        if not self._skip:
            self.text.append(data)


def _html(tmp_path, reg, lang="ja"):
    out = tmp_path / "p.html"
    r = run_publish(write_json(tmp_path, reg), "--out", out, "--lang", lang, *ASOF)
    assert r.exit_code == 0
    p = _Text()
    p.feed(out.read_text("utf-8"))
    return out.read_text("utf-8"), "".join(p.text), p.tags


def test_html_is_self_contained_and_escapes_everything(tmp_path):
    reg = publish_register()
    reg["purposes"][0]["description"] = HOSTILE
    reg["security_measures"][0]["text"] = '"><img src=x onerror=alert(1)>'
    html, text, tags = _html(tmp_path, reg)
    assert '<html lang="ja">' in html
    assert [t for t, _a in tags if t in ("script", "img", "link", "iframe", "object")] == []
    assert not [a for _t, a in tags if "src" in a or "onerror" in a]
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html
    assert HOSTILE.split("\n")[0] in text  # shown as written
    assert "@page { size: A4" in html


def test_html_review_copy_has_the_gaps_and_the_colophon(tmp_path):
    reg = publish_register()
    reg["security_measures"] = []
    reg["notice_versions"] = [{"notice_id": "N1", "kind": "public_matters",
                               "published_on": "2026-01-01", "sha256": "0" * 64}]
    html, text, _tags = _html(tmp_path, reg)
    assert "公表内容の不備（社内確認用）" in text
    assert 'data-rule="PUB-004"' in html and 'data-rule="PUB-007"' in html
    assert "個人情報保護法第32条第1項第4号、同法施行令第10条第1号" in text  # law_ja
    assert "register 0.1.0" in text and "2026-11-21" in text
    assert re.search(r"保有個人データに関する事項\s*[0-9a-f]{64}\s*N1 \(2026-01-01\)\s*×", text)


# --- Japanese without code values ------------------------------------------------------------


def _codes() -> set[str]:
    codes = set()
    for t in schema.tables():
        for c in t.columns:
            codes.update(c.enum)
    return codes


@pytest.mark.parametrize("fmt", ["md", "html"])
def test_ja_shows_no_code_values(tmp_path, fmt):
    """japanese.md §1–2: under ja a code value shows as its label, in md and in the html
    (attributes aside)."""
    out = tmp_path / f"p.{fmt}"
    assert run_publish(SAMPLE / "register.json", "--out", out, "--lang", "ja", *ASOF).exit_code == 0
    text = out.read_text("utf-8")
    if fmt == "html":
        p = _Text()
        p.feed(text)
        text = "".join(p.text)
        text = text.replace(str(SAMPLE / "register.json"), "")  # the input as given
    words = set(re.findall(r"[A-Za-z_][A-Za-z0-9_]*", text))
    # the register's own English (names of foreign companies, modules) is no code
    leaked = {w for w in words & _codes() if "_" in w or w in (
        "post", "email", "web", "counter", "phone", "fax", "electronic", "paper", "basic_policy",
        "technical", "physical", "human", "organizational", "consent", "necessary", "none")}
    assert leaked == set()
    assert "郵送、電子メール" in text and "電磁的記録の提供又は書面の交付" in text
    assert "技術的安全管理措置" in text and "適用除外：利用者の同意" in text


# --- a seed company's register ----------------------------------------------------------------


def test_a_seed_companys_policy_as_it_stands_has_gaps(tmp_path):
    """The first seed's practice (seeds/000_namiki_works.json): no measure published."""
    out = tmp_path / "p.json"
    assert run_publish(SEEDS / "000_namiki_works.json", "--out", out, *ASOF).exit_code == 0
    doc = json.loads(out.read_text("utf-8"))
    assert [g["rule"] for g in doc["gaps"]] == ["PUB-004"]


def test_a_seed_company_completed_can_publish(tmp_path):
    """The same company after completing its register (build_pub.py): a text with no gap that
    names the US, where its service's cloud provider is, though the servers are in Tokyo."""
    src = SEEDS / "publish" / "000_namiki_works.json"
    out = tmp_path / "p.json"
    assert run_publish(src, "--out", out, *ASOF).exit_code == 0
    doc = json.loads(out.read_text("utf-8"))
    assert doc["gaps"] == [] and doc["sections"]["foreign_countries"] == ["US"]
    md = tmp_path / "p.md"
    assert run_publish(src, "--out", md, "--lang", "ja", *ASOF).exit_code == 0
    text = md.read_text("utf-8")
    assert "- 名称：株式会社ナミキワークス" in text
    assert "- 個人データを取り扱っている外国：米国" in text
    assert "- 請求の方法：郵送、ウェブフォーム" in text
    assert "  - 保有個人データの開示の請求（個人情報保護法第33条第1項）：手数料 1,000円" in text
    assert "  - 送信先の利用目的：アクセス解析サービスの提供及び改善" in text
    assert "- オプトアウトの方法：<https://stratus-metrics.example/optout>" in text.replace("  - ", "- ")
    en = tmp_path / "p_en.md"
    assert run_publish(src, "--out", en, *ASOF).exit_code == 0
    text = en.read_text("utf-8")
    assert "- Foreign countries where we handle personal data: United States" in text
    assert "- United States: User data is kept on the cloud platform of a US provider" in text
