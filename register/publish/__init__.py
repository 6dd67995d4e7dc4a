"""`register publish` (docs/publish.md): the public texts the law requires, from the register.

The Art 32 matters about retained personal data, the joint-use notices, the external-
transmission table and the anonymised-information items, as

- **md**: the text to paste into the privacy-policy page (`markdown.py`);
- **html**: a self-contained review copy to print and file, with the gap list and a colophon
  (`templates/publish.html.j2`);
- **json**: sections, content_sha256 per kind, the latest publications and the gaps.

API: `render(analysis, fmt, lang)` → the output as text; `write_publication(analysis, out, fmt,
lang)` writes it atomically. What the texts hold is `facts.publication`'s; the gaps are the
analysis' PUB (and JNT-001) findings. No clock is read: the same input, options and as-of give
the same bytes.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from ..model import InputError
from . import document, markdown, words

__all__ = ["FORMATS", "format_for", "render", "write_publication"]

FORMATS = ("html", "md", "json")
SUFFIXES = {".md": "md", ".markdown": "md", ".json": "json", ".html": "html", ".htm": "html"}


def format_for(out: str | Path, fmt: str | None) -> str:
    """The output format: `fmt` when given, else from the file's suffix (case-insensitive);
    an unknown suffix without --format is an InputError (exit 2, nothing written)."""
    if fmt is not None:
        fmt = fmt.lower()
        if fmt not in FORMATS:
            raise InputError(None, f"unknown format {fmt!r}; use one of {', '.join(FORMATS)}")
        return fmt
    suffix = Path(out).suffix.lower()
    if suffix not in SUFFIXES:
        raise InputError(
            str(out),
            "has no known suffix (.md, .markdown, .html, .htm, .json); give --format html|md|json",
        )
    return SUFFIXES[suffix]


def render_json(analysis: Any, lang: str) -> str:
    """UTF-8 JSON, 2-space indent, keys in the order of docs/publish.md §3."""
    return json.dumps(document.json_document(analysis, lang), ensure_ascii=False, indent=2) + "\n"


def render_md(analysis: Any, lang: str) -> str:
    pub = document.of(analysis)
    return markdown.render(words.title("document", lang), document.sections_view(pub, lang), lang)


def _environment():
    import jinja2

    return jinja2.Environment(
        loader=jinja2.PackageLoader("register.publish", "templates"),
        autoescape=True,  # every register text is escaped
        undefined=jinja2.StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
    )


def render_html(analysis: Any, lang: str) -> str:
    pub = document.of(analysis)
    found = document.gaps(analysis)
    counts = [(sev, words.word(f"severity_{sev}", lang),
               sum(1 for f in found if f.severity.value == sev)) for sev in document.SEVERITIES]
    return _environment().get_template("publish.html.j2").render(
        lang=lang,
        title=words.title("document", lang),
        titles=words.titles(lang),
        operator=pub.sections["operator"].get("name") or "",
        as_of=analysis.as_of.isoformat(),
        sections=document.sections_view(pub, lang),
        sep=words.word("sep", lang),
        w=lambda key, **kw: words.word(key, lang, **kw),
        gaps=document.gap_rows(analysis, lang),
        counts=[c for c in counts if c[2]],
        colophon=document.colophon(analysis, lang),
    )


def render(analysis: Any, fmt: str, lang: str = "en") -> str:
    """The document in one format, as text."""
    if lang not in ("en", "ja"):
        raise InputError(None, f"unsupported language {lang!r}; use en or ja")
    return {"json": render_json, "md": render_md, "html": render_html}[fmt](analysis, lang)


def write_publication(analysis: Any, out: str | Path, fmt: str | None = None,
                      lang: str = "en") -> Path:
    """Write the document to `out` (atomically; never over an input) and return the path."""
    from ..export import register_inputs
    from ..io.atomic import atomic_file, refuse_overwriting_inputs

    out = Path(out)
    fmt = format_for(out, fmt)
    refuse_overwriting_inputs([out], register_inputs(analysis))
    text = render(analysis, fmt, lang)
    with atomic_file(out) as tmp:
        tmp.write_text(text, encoding="utf-8", newline="\n")
    return out
