"""The auditor report: one self-contained HTML file (inline CSS and SVG) that prints to A4.

`write_report(analysis, out, lang)` renders the Jinja2 templates in `templates/` from the view
model (`view.py`); the flow map (`flowmap.py`) and charts (`charts.py`) are inline SVG. No
clock is read anywhere, so the same input and --as-of give the same bytes.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from ..io.atomic import atomic_file, refuse_overwriting_inputs

__all__ = ["render_html", "write_report"]

def _environment():
    import jinja2
    from markupsafe import Markup

    env = jinja2.Environment(
        loader=jinja2.PackageLoader("register.report", "templates"),
        autoescape=True,
        undefined=jinja2.StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
    )
    # The SVG is built by our own code with every text escaped: mark it safe to embed.
    env.filters["svg"] = lambda s: Markup(s or "")
    return env


def render_html(analysis: Any, lang: str = "en") -> str:
    """The report as an HTML string."""
    from . import view

    if lang not in ("en", "ja"):
        raise ValueError(f"unsupported language: {lang!r}")
    ctx = view.build(analysis, lang)
    return _environment().get_template("report.html.j2").render(**ctx)


def write_report(analysis: Any, out: Path, lang: str = "en") -> Path:
    """Write the auditor report to `out` (atomically) and return the path."""
    out = Path(out)
    refuse_overwriting_inputs([out], analysis.register.files)
    html = render_html(analysis, lang)
    with atomic_file(out) as tmp:
        tmp.write_text(html, encoding="utf-8", newline="\n")
    return out
