"""The policy-page text as CommonMark (docs/publish.md §3 "md").

UTF-8, LF, one newline at the end. Line 1 is `# ` and the document title, each section a `## `
heading, sub-headings `###`. Only public text: no gaps, hashes, IDs, as-of or tool name. Every
value is a list item after its label, so the register's text never starts a line; in it `&`,
`<`, `>` become entities, ``\\ ` * _ [ ] | #`` are backslash-escaped and line breaks become a
space, so nothing the officer typed can turn into markup. Only an http(s) URL becomes a link.
"""

from __future__ import annotations

import re

from .document import Block, Line, Section, is_link
from .words import word

_ENTITIES = {"&": "&amp;", "<": "&lt;", ">": "&gt;"}
_SPECIAL = re.compile(r"([\\`*_\[\]|#])")
# Every line break a renderer may honour (CommonMark's are LF and CR; the others could still
# break a line in an editor or a CMS): each becomes one space.
_BREAKS = re.compile(r"\r\n|[\r\n\v\f\x85\u2028\u2029]")
# What an autolink may hold (CommonMark: no whitespace, no control character, no < or >).
_AUTOLINK = re.compile(r"https?://[^\s<>\x00-\x1f\x7f]+")


def text(s: str) -> str:
    """Register (or our) text, safe anywhere inside a CommonMark line."""
    s = "".join(_ENTITIES.get(ch, ch) for ch in s)
    s = _SPECIAL.sub(r"\\\1", s)
    return _BREAKS.sub(" ", s)


# A list item's first characters that would open another block inside it: a bullet or
# ordered-list marker, a fence, a setext underline.
_LEADING = re.compile(r"^([-+=~]|\d{1,9}(?=[.)]))")


def lead(s: str) -> str:
    """Escaped text that begins a list item: leading blanks dropped (four would open a code
    block) and a leading block marker backslash-escaped."""
    s = s.lstrip(" \t")
    m = _LEADING.match(s)
    if m is None:
        return s
    if m.group(1)[0].isdigit():
        end = m.end()
        return s[:end] + "\\" + s[end:]
    return "\\" + s


def link(url: str) -> str:
    """An http(s) URL as an autolink; any other text (or a URL an autolink cannot hold) as
    escaped text."""
    if is_link(url) and _AUTOLINK.fullmatch(url):
        return f"<{url}>"
    return text(url)


def _line(ln: Line, lang: str, depth: int) -> list[str]:
    parts = []
    if ln.label:
        parts.append(text(ln.label) + (word("sep", lang) if (ln.text or ln.url) else ""))
    if ln.text:
        parts.append(text(ln.text))
    if ln.url:
        parts.append(link(ln.url))
    out = ["  " * depth + "- " + lead("".join(parts))]
    for child in ln.children:
        out += _line(child, lang, depth + 1)
    return out


def _block(b: Block, lang: str) -> list[str]:
    out: list[str] = []
    if b.heading:
        out += [f"### {text(b.heading)}", ""]
    if b.intro:
        out += [text(b.intro), ""]
    for ln in b.lines:
        out += _line(ln, lang, 0)
    if b.lines:
        out.append("")
    return out


def render(title: str, sections: list[Section], lang: str) -> str:
    """The whole page."""
    out = [f"# {text(title)}", ""]
    for s in sections:
        out += [f"## {text(s.title)}", ""]
        for b in s.blocks:
            out += _block(b, lang)
    while out and out[-1] == "":
        out.pop()
    return "\n".join(out) + "\n"
