"""The flow map: datasets (left) → recipients (right), one line per provision, as inline SVG.

Layout is a layered bipartite drawing (the Sugiyama method reduced to two layers): nodes are
ordered by the barycentre heuristic to cut crossings, each provision gets its own port on the
recipient box so that route labels never overlap, and a large map is cut into parts no taller
than MAX_HEIGHT, each of which fits an A4 page. No coordinates are hand-placed; nothing
depends on fonts being measured (widths are estimated from East Asian width), so the same input
gives the same bytes.
"""

from __future__ import annotations

import unicodedata
from collections.abc import Sequence
from dataclasses import dataclass
from html import escape

# outcome → (colour, dash pattern, stroke width): distinguishable also when printed grey
STYLE: dict[str, tuple[str, str, float]] = {
    "violation": ("#c62828", "", 2.6),
    "record": ("#1565c0", "6 3", 1.8),
    "no_record": ("#2e7d32", "2 3", 1.6),
    "unknown": ("#757575", "1 2", 1.2),
    "tag": ("#9e9e9e", "1 3", 1.2),  # a web tag: the vendor collects (docs/web.md §9)
}
OUTCOMES = ("record", "no_record", "violation")

PORT = 18  # vertical space per provision on a recipient box (one label line)
SRC_PORT = 8  # vertical space per provision on a dataset box
GAP = 8  # between boxes
MIN_BOX = 26
SRC_W, CURVE_W, LANE_W, DST_W = 170, 170, 220, 210
FONT = 11
LABEL_FONT = 10
MAX_HEIGHT = 860  # px per part: printed at A4 width (≈0.24 mm/px) it fits under the heading


@dataclass(frozen=True)
class Node:
    key: str
    label: str
    title: str = ""  # full text for the tooltip
    kind: str = "dataset"  # sources: dataset | service (docs/web.md §9)


@dataclass(frozen=True)
class Edge:
    id: str
    source: str
    target: str
    outcome: str  # record | no_record | violation | unknown | tag
    label: str
    title: str = ""
    # data-* attributes of the path: data-provision or data-tag (docs/web.md §9)
    attrs: tuple[tuple[str, str], ...] = ()


def text_width(s: str, size: float) -> float:
    """Estimated rendered width: wide (CJK) characters 1 em, others 0.6 em."""
    return sum(1.0 if unicodedata.east_asian_width(c) in "WF" else 0.6 for c in s) * size


def fit(s: str, width: float, size: float) -> str:
    """`s` cut with an ellipsis so that it fits `width`."""
    if text_width(s, size) <= width:
        return s
    out = ""
    for c in s:
        if text_width(out + c + "…", size) > width:
            break
        out += c
    return out + "…"


def _n(x: float) -> str:
    s = f"{x:.1f}"
    return s[:-2] if s.endswith(".0") else s


def order(sources: Sequence[Node], targets: Sequence[Node], edges: Sequence[Edge]) -> tuple[list[str], list[str]]:
    """Barycentre ordering of both layers (a few sweeps); ties keep the input order."""
    src = [n.key for n in sources]
    dst = [n.key for n in targets]
    nbr_d: dict[str, list[str]] = {k: [] for k in dst}
    nbr_s: dict[str, list[str]] = {k: [] for k in src}
    for e in edges:
        nbr_d[e.target].append(e.source)
        nbr_s[e.source].append(e.target)
    first_d = {k: i for i, k in enumerate(dst)}
    first_s = {k: i for i, k in enumerate(src)}

    def sweep(layer: list[str], other: list[str], nbrs: dict[str, list[str]], first: dict[str, int]) -> list[str]:
        pos = {k: i for i, k in enumerate(other)}

        def key(k: str) -> tuple[float, int]:
            ns = nbrs[k]
            bc = sum(pos[n] for n in ns) / len(ns) if ns else float(len(other))
            return (bc, first[k])

        return sorted(layer, key=key)

    for _ in range(4):
        dst = sweep(dst, src, nbr_d, first_d)
        src = sweep(src, dst, nbr_s, first_s)
    dst = sweep(dst, src, nbr_d, first_d)
    return src, dst


def _parts(dst_order: list[str], edges: Sequence[Edge]) -> list[list[str]]:
    """Cut the recipients (in order) into parts whose drawing fits MAX_HEIGHT (one A4 page)."""
    by_dst: dict[str, list[Edge]] = {}
    for e in edges:
        by_dst.setdefault(e.target, []).append(e)
    parts: list[list[str]] = [[]]
    right = GAP
    src_count: dict[str, int] = {}
    for k in dst_order:
        es = by_dst.get(k, [])
        h = max(MIN_BOX, len(es) * PORT) + GAP
        counts = dict(src_count)
        for e in es:
            counts[e.source] = counts.get(e.source, 0) + 1
        left = GAP + sum(max(MIN_BOX, n * SRC_PORT + 8) + GAP for n in counts.values())
        if parts[-1] and max(right + h, left) + GAP > MAX_HEIGHT:
            parts.append([])
            right = GAP
            counts = {}
            for e in es:
                counts[e.source] = counts.get(e.source, 0) + 1
        parts[-1].append(k)
        right += h
        src_count = counts
    return [p for p in parts if p]


def _draw(
    src_order: list[str],
    dst_keys: list[str],
    nodes: dict[str, Node],
    edges: Sequence[Edge],
    title: str,
) -> str:
    """One part of the map as an SVG element."""
    part_edges = [e for e in edges if e.target in set(dst_keys)]
    srcs = [k for k in src_order if any(e.source == k for e in part_edges)]
    sidx = {k: i for i, k in enumerate(srcs)}
    # Recipient boxes: one port per provision, ports ordered by the source's position.
    by_dst: dict[str, list[Edge]] = {k: [] for k in dst_keys}
    for e in part_edges:
        by_dst[e.target].append(e)
    dst_box: dict[str, tuple[float, float]] = {}
    port_y: dict[str, float] = {}
    y = GAP
    for k in dst_keys:
        es = sorted(by_dst[k], key=lambda e: (sidx[e.source], e.id))
        h = max(MIN_BOX, len(es) * PORT)
        dst_box[k] = (y, h)
        top = y + (h - len(es) * PORT) / 2
        for i, e in enumerate(es):
            port_y[e.id] = top + PORT * (i + 0.5)
        y += h + GAP
    right_h = y
    # Dataset boxes: ports ordered by where their lines end, so lines leave without crossing.
    by_src: dict[str, list[Edge]] = {k: [] for k in srcs}
    for e in part_edges:
        by_src[e.source].append(e)
    src_h = {k: max(MIN_BOX, len(by_src[k]) * SRC_PORT + 8) for k in srcs}
    left_total = sum(src_h.values()) + GAP * (len(srcs) + 1)
    height = max(right_h, left_total)
    # Spread the dataset boxes over the height, near the middle of their lines.
    src_box: dict[str, tuple[float, float]] = {}
    y = GAP + max(0.0, (height - left_total) / 2) if len(srcs) <= 1 else GAP
    spare = max(0.0, height - left_total)
    slack = spare / (len(srcs) + 1) if len(srcs) > 1 else 0.0
    for k in srcs:
        y += slack
        src_box[k] = (y, src_h[k])
        y += src_h[k] + GAP
    src_port: dict[str, float] = {}
    for k in srcs:
        es = sorted(by_src[k], key=lambda e: (port_y[e.id], e.id))
        top, h = src_box[k]
        start = top + (h - len(es) * SRC_PORT) / 2
        for i, e in enumerate(es):
            src_port[e.id] = start + SRC_PORT * (i + 0.5)

    x_src_r = SRC_W
    x_lane = SRC_W + CURVE_W
    x_dst = x_lane + LANE_W
    width = x_dst + DST_W
    height = int(height + GAP)
    out = [
        f'<svg xmlns="http://www.w3.org/2000/svg" class="flowmap" role="img" '
        f'viewBox="0 0 {width} {height}" width="{width}" height="{height}">',
        f"<title>{escape(title)}</title>",
    ]
    # Lines first (under the boxes), violations last so that they are on top.
    rank = {"tag": 0, "no_record": 0, "unknown": 0, "record": 1, "violation": 2}
    for e in sorted(part_edges, key=lambda e: (rank.get(e.outcome, 0), e.id)):
        colour, dash, sw = STYLE.get(e.outcome, STYLE["unknown"])
        y1, y2 = src_port[e.id], port_y[e.id]
        cx = (x_src_r + x_lane) / 2
        d = (
            f"M{x_src_r} {_n(y1)} C{_n(cx)} {_n(y1)} {_n(cx)} {_n(y2)} {x_lane} {_n(y2)} "
            f"L{x_dst} {_n(y2)}"
        )
        dash_attr = f' stroke-dasharray="{dash}"' if dash else ""
        data = "".join(f' {k}="{escape(v)}"' for k, v in e.attrs)
        out.append(
            f'<path class="edge {e.outcome}"{data} d="{d}" fill="none" stroke="{colour}" '
            f'stroke-width="{sw}"{dash_attr}><title>{escape(e.title or e.label)}</title></path>'
        )
    for e in part_edges:
        colour = STYLE.get(e.outcome, STYLE["unknown"])[0]
        label = fit(e.label, LANE_W - 12, LABEL_FONT)
        out.append(
            f'<text class="route" x="{x_dst - 6}" y="{_n(port_y[e.id] - 3)}" text-anchor="end" '
            f'font-size="{LABEL_FONT}" fill="{colour}" stroke="#fff" stroke-width="3" '
            f'paint-order="stroke">{escape(label)}</text>'
        )
    for k in srcs:
        top, h = src_box[k]
        n = nodes[k]
        fill, stroke = ("#f4f4f4", "#9e9e9e") if n.kind == "service" else ("#eef1f5", "#56606b")
        out.append(
            f'<g class="node {n.kind}"><title>{escape(n.title or n.label)}</title>'
            f'<rect x="1" y="{_n(top)}" width="{SRC_W - 2}" height="{_n(h)}" rx="4" '
            f'fill="{fill}" stroke="{stroke}"/>'
            f'<text x="8" y="{_n(top + h / 2 + FONT * 0.35)}" font-size="{FONT}">'
            f"{escape(fit(n.label, SRC_W - 16, FONT))}</text></g>"
        )
    for k in dst_keys:
        top, h = dst_box[k]
        n = nodes[k]
        out.append(
            f'<g class="node recipient"><title>{escape(n.title or n.label)}</title>'
            f'<rect x="{x_dst}" y="{_n(top)}" width="{DST_W - 2}" height="{_n(h)}" rx="4" '
            f'fill="#fbfbf3" stroke="#56606b"/>'
            f'<text x="{x_dst + 8}" y="{_n(top + h / 2 + FONT * 0.35)}" font-size="{FONT}">'
            f"{escape(fit(n.label, DST_W - 16, FONT))}</text></g>"
        )
    out.append("</svg>")
    return "".join(out)


def render(
    sources: Sequence[Node], targets: Sequence[Node], edges: Sequence[Edge], title: str
) -> list[str]:
    """The map as one SVG per part (several when it is taller than a page)."""
    if not edges:
        return []
    used_s = {e.source for e in edges}
    used_t = {e.target for e in edges}
    sources = [n for n in sources if n.key in used_s]
    targets = [n for n in targets if n.key in used_t]
    nodes = {n.key: n for n in (*sources, *targets)}
    src_order, dst_order = order(sources, targets, edges)
    parts = _parts(dst_order, edges)
    return [
        _draw(src_order, keys, nodes, edges, title if len(parts) == 1 else f"{title} ({i}/{len(parts)})")
        for i, keys in enumerate(parts, 1)
    ]


def legend(labels: dict[str, str]) -> str:
    """The legend, in one row: a line sample per outcome, in the map's colours and dashes."""
    height = 22
    x = 2.0
    items = []
    for outcome, label in labels.items():
        colour, dash, sw = STYLE.get(outcome, STYLE["unknown"])
        dash_attr = f' stroke-dasharray="{dash}"' if dash else ""
        items.append(
            f'<line x1="{_n(x)}" y1="11" x2="{_n(x + 30)}" y2="11" stroke="{colour}" '
            f'stroke-width="{sw}"{dash_attr}/>'
            f'<text x="{_n(x + 36)}" y="{_n(11 + FONT * 0.35)}" font-size="{FONT}">{escape(label)}</text>'
        )
        x += 36 + text_width(label, FONT) + 24
    width = int(x)
    return (
        f'<svg xmlns="http://www.w3.org/2000/svg" class="legend" role="img" '
        f'viewBox="0 0 {width} {height}" width="{width}" height="{height}">' + "".join(items) + "</svg>"
    )
