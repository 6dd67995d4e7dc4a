"""Small bar charts as inline SVG, built by hand so the bytes never depend on a library's mood.

Two shapes are enough for the report: horizontal bars (labels that are words, like rule IDs) and
vertical bars (a time axis: months, years). Every number is rounded to one decimal, so the same
data give the same SVG text.
"""

from __future__ import annotations

from collections.abc import Sequence
from html import escape

DEFAULT_COLOUR = "#4a6fa5"


def _n(x: float) -> str:
    """A coordinate as short, stable text."""
    s = f"{x:.1f}"
    return s[:-2] if s.endswith(".0") else s


def _nice_max(v: int) -> int:
    """A round axis maximum ≥ v (1, 2, 5 × 10^k)."""
    if v <= 0:
        return 1
    step = 1
    while True:
        for m in (1, 2, 5):
            if m * step >= v:
                return m * step
        step *= 10


def _ticks(vmax: int) -> tuple[float, ...]:
    """Axis ticks as fractions of vmax: counts are whole numbers, so no tick at 0.5."""
    return (0, 0.5, 1) if vmax % 2 == 0 else (0, 1)


def hbar(
    data: Sequence[tuple[str, int]],
    *,
    title: str,
    colours: Sequence[str] | None = None,
    width: int = 640,
    bar: int = 16,
    gap: int = 6,
    label_width: int = 110,
) -> str:
    """Horizontal bars, one per (label, value); `colours` per bar (default one colour)."""
    top = 8
    height = top + len(data) * (bar + gap) + 24
    vmax = _nice_max(max((v for _, v in data), default=0))
    plot = width - label_width - 50
    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" class="chart" role="img" '
        f'viewBox="0 0 {width} {height}" width="{width}" height="{height}">',
        f"<title>{escape(title)}</title>",
    ]
    for i, (label, value) in enumerate(data):
        y = top + i * (bar + gap)
        w = plot * value / vmax
        colour = colours[i] if colours else DEFAULT_COLOUR
        parts.append(
            f'<text x="{label_width - 6}" y="{_n(y + bar * 0.75)}" text-anchor="end" '
            f'font-size="11">{escape(label)}</text>'
        )
        parts.append(
            f'<rect x="{label_width}" y="{y}" width="{_n(max(w, 1))}" height="{bar}" fill="{colour}"/>'
        )
        parts.append(
            f'<text x="{_n(label_width + w + 4)}" y="{_n(y + bar * 0.75)}" font-size="11">{value}</text>'
        )
    axis_y = top + len(data) * (bar + gap)
    parts.append(
        f'<line x1="{label_width}" y1="{axis_y}" x2="{label_width + plot}" y2="{axis_y}" '
        f'stroke="#888" stroke-width="1"/>'
    )
    for frac in _ticks(vmax):
        x = label_width + plot * frac
        parts.append(
            f'<text x="{_n(x)}" y="{axis_y + 14}" text-anchor="middle" font-size="10" '
            f'fill="#555">{_n(vmax * frac)}</text>'
        )
    parts.append("</svg>")
    return "".join(parts)


def vbar(
    data: Sequence[tuple[str, int]],
    *,
    title: str,
    colour: str = DEFAULT_COLOUR,
    height: int = 200,
    max_width: int = 680,
) -> str:
    """Vertical bars over an ordered axis (months, years); labels thinned when crowded."""
    n = max(len(data), 1)
    left, bottom, top = 40, 46, 12
    slot = max(min((max_width - left - 10) / n, 48), 6)
    width = int(left + slot * n + 10)
    plot_h = height - bottom - top
    vmax = _nice_max(max((v for _, v in data), default=0))
    # Show at most ~24 axis labels so that they never overlap.
    every = max(1, -(-n // 24))
    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" class="chart" role="img" '
        f'viewBox="0 0 {width} {height}" width="{width}" height="{height}">',
        f"<title>{escape(title)}</title>",
    ]
    for frac in _ticks(vmax):
        y = top + plot_h * (1 - frac)
        parts.append(
            f'<line x1="{left}" y1="{_n(y)}" x2="{width - 10}" y2="{_n(y)}" stroke="#ddd" stroke-width="1"/>'
        )
        parts.append(
            f'<text x="{left - 4}" y="{_n(y + 4)}" text-anchor="end" font-size="10" fill="#555">'
            f"{_n(vmax * frac)}</text>"
        )
    for i, (label, value) in enumerate(data):
        x = left + i * slot
        h = plot_h * value / vmax
        parts.append(
            f'<rect x="{_n(x + slot * 0.15)}" y="{_n(top + plot_h - h)}" width="{_n(slot * 0.7)}" '
            f'height="{_n(h)}" fill="{colour}"><title>{escape(label)}: {value}</title></rect>'
        )
        if i % every == 0:
            cx = x + slot / 2
            ly = top + plot_h + 10
            parts.append(
                f'<text x="{_n(cx)}" y="{ly}" font-size="10" text-anchor="end" '
                f'transform="rotate(-45 {_n(cx)} {ly})">{escape(label)}</text>'
            )
    parts.append("</svg>")
    return "".join(parts)
