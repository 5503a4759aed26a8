"""The lineage diagram of a model: ancestors and descendants as a server-side SVG.

Columns are generations (oldest on the left, the model in the middle column, descendants on
the right), placed by longest path so that every edge points rightwards; each edge goes from
parent to child and carries the derivation type(s). A merge has several parents: when a
descendant of the model is a merge, its other parents (*co-parents*, not relatives of the model
themselves) are drawn too, one column left of the merge, with a dashed border. Names are
shown whole, wrapped in boxes that grow to fit; each edge enters its child at a port of its own
through a straight run that carries its label, so labels never sit on curves. Every text is
escaped: labels come from outside sources.

>>> svg = lineage_svg("b", [Edge("b", "a", "fine-tuning")], {"a": "A <1>", "b": "B"},
...                   lambda n: f"/id/model/{n}")
>>> "A &lt;1&gt;" in svg and "fine-tuning" in svg and svg.startswith("<svg")
True
"""

from __future__ import annotations

import re
from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass
from html import escape

NODE_WIDTH = 210
NODE_HEIGHT = 38
NODE_PADDING = 7
LINE_HEIGHT = 15
LABEL_CHARS = 27
"""Characters of a name per line in a box (12 px sans-serif in 210 px)."""
COLUMN_GAP = 230
EDGE_RUN = 150
"""The straight end of an edge, where its label is written."""
EDGE_LABEL_CHARS = 23
PORT_GAP = 6
ROW_GAP = 16
MARGIN = 12


@dataclass(frozen=True)
class Edge:
    """``child`` derives from ``parent``; ``kind`` is the derivation type's label (or empty)."""

    child: str
    parent: str
    kind: str = ""


def _levels(focus: str, edges: list[Edge]) -> dict[str, int]:
    parents: dict[str, set[str]] = defaultdict(set)
    children: dict[str, set[str]] = defaultdict(set)
    for edge in edges:
        parents[edge.child].add(edge.parent)
        children[edge.parent].add(edge.child)
    level: dict[str, int] = {focus: 0}
    # Longest path, bounded by the number of nodes so that a (malformed) cycle terminates.
    limit = len(parents) + len(children) + 2
    frontier = [focus]
    for _ in range(limit):
        changed: list[str] = []
        for node in frontier:
            if level[node] <= 0:
                for parent in parents[node]:
                    if parent == focus:
                        continue
                    if level.get(parent, 1) > level[node] - 1:
                        level[parent] = level[node] - 1
                        changed.append(parent)
            if level[node] >= 0:
                for child in children[node]:
                    if child == focus:
                        continue
                    if level.get(child, -1) < level[node] + 1:
                        level[child] = level[node] + 1
                        changed.append(child)
        if not changed:
            break
        frontier = changed
    # Co-parents: the other parents of a descendant (a merge) are not reached from the focus;
    # each goes one column left of its leftmost placed child.
    for edge in sorted(edges, key=lambda e: (e.parent, e.child)):
        if edge.parent not in level and edge.child in level and level[edge.child] > 0:
            level[edge.parent] = min(
                level[c] for c in children[edge.parent] if c in level
            ) - 1
    return level


def co_parents(focus: str, edges: list[Edge]) -> set[str]:
    """The nodes of ``edges`` that are neither ancestors nor descendants of ``focus``: the other
    parents of a descendant that is a merge.

    >>> sorted(co_parents("a", [Edge("m", "a", "merge"), Edge("m", "x", "merge")]))
    ['x']
    """
    parents: dict[str, set[str]] = defaultdict(set)
    children: dict[str, set[str]] = defaultdict(set)
    for edge in edges:
        parents[edge.child].add(edge.parent)
        children[edge.parent].add(edge.child)

    def reach(start: str, step: dict[str, set[str]]) -> set[str]:
        seen = {start}
        todo = [start]
        while todo:
            for nxt in step[todo.pop()]:
                if nxt not in seen:
                    seen.add(nxt)
                    todo.append(nxt)
        return seen

    relatives = reach(focus, parents) | reach(focus, children)
    nodes = {n for e in edges for n in (e.child, e.parent)}
    return nodes - relatives


_BREAK = re.compile(r"[^-_/ .:]*[-_/ .:]?")


def _width(text: str) -> float:
    """The width of ``text`` in units of a Latin character (wide kana and kanji count 2)."""
    return sum(2 if ord(ch) > 0x2E80 else 1 for ch in text)


def wrap(text: str, limit: int) -> list[str]:
    """``text`` in lines of at most ``limit`` characters, broken after ``-``, ``_``, ``/``,
    ``.``, ``:`` or a space when possible; nothing is dropped.

    >>> wrap("Llama-3.1-Swallow-8B-Instruct-v0.3", 22)
    ['Llama-3.1-Swallow-8B-', 'Instruct-v0.3']
    >>> wrap("abcdefghij", 4)
    ['abcd', 'efgh', 'ij']
    """
    lines: list[str] = []
    line = ""
    for token in (t for t in _BREAK.findall(text) if t):
        while _width(token) > limit:  # a piece without a break: cut it
            room = limit - _width(line)
            if room <= 0:
                lines.append(line)
                line, room = "", limit
            cut = 0
            while cut < len(token) and _width(token[:cut + 1]) <= room:
                cut += 1
            line += token[:cut]
            token = token[cut:]
            lines.append(line)
            line = ""
        if line and _width(line + token) > limit:
            lines.append(line.rstrip())
            line = ""
        line += token
    if line.strip() or not lines:
        lines.append(line.rstrip())
    return lines


@dataclass
class _Box:
    x: float
    y: float
    height: float
    lines: list[str]


@dataclass
class _Layout:
    """Where everything of a lineage drawing goes: boxes, edge ports, the canvas."""

    boxes: dict[str, _Box]
    port: dict[Edge, float]  # the y of each edge's end on its child's left side
    edge_lines: dict[Edge, list[str]]  # each edge's label, wrapped
    width: float
    height: float

    def centre(self, node: str) -> float:
        return self.boxes[node].y + self.boxes[node].height / 2


def _columns(edges: list[Edge], level: dict[str, int],
             labels: dict[str, str]) -> dict[int, list[str]]:
    """The nodes of each column, ordered from the focus outwards by their neighbours' rows
    (barycentre ordering), so that edges cross as little as a simple rule allows."""
    columns: dict[int, list[str]] = defaultdict(list)
    for node, lvl in level.items():
        columns[lvl].append(node)
    neighbours: dict[str, list[str]] = defaultdict(list)
    for edge in edges:
        neighbours[edge.child].append(edge.parent)
        neighbours[edge.parent].append(edge.child)
    row_of: dict[str, float] = {}
    for lvl in sorted(columns, key=abs):
        nodes = columns[lvl]

        def key(node: str) -> tuple[float, str]:
            placed = [row_of[n] for n in neighbours[node] if n in row_of]
            centre = sum(placed) / len(placed) if placed else 0.0
            return (centre, labels.get(node, node))

        nodes.sort(key=key)
        for index, node in enumerate(nodes):
            row_of[node] = index - (len(nodes) - 1) / 2
    return columns


def _layout(edges: list[Edge], level: dict[str, int], labels: dict[str, str]) -> _Layout:
    columns = _columns(edges, level, labels)
    ordered = sorted(columns)
    incoming: dict[str, list[Edge]] = defaultdict(list)
    for edge in edges:
        incoming[edge.child].append(edge)
    edge_lines = {e: wrap(e.kind, EDGE_LABEL_CHARS) if e.kind else [] for e in edges}
    boxes: dict[str, _Box] = {}
    column_height: dict[int, float] = {}
    for lvl in ordered:
        total = 0.0
        for node in columns[lvl]:
            lines = wrap(labels.get(node, node), LABEL_CHARS)
            ports = sum(max(len(edge_lines[e]), 1) * LINE_HEIGHT + PORT_GAP
                        for e in incoming[node])
            box_height = float(max(NODE_HEIGHT, len(lines) * LINE_HEIGHT + 2 * NODE_PADDING,
                                   ports + PORT_GAP))
            boxes[node] = _Box(0.0, 0.0, box_height, lines)
            total += box_height
        column_height[lvl] = total + ROW_GAP * (len(columns[lvl]) - 1)
    tallest = max(column_height.values())
    for column_index, lvl in enumerate(ordered):
        y = MARGIN + (tallest - column_height[lvl]) / 2
        for node in columns[lvl]:
            boxes[node].x = MARGIN + column_index * (NODE_WIDTH + COLUMN_GAP)
            boxes[node].y = y
            y += boxes[node].height + ROW_GAP
    layout = _Layout(
        boxes, {}, edge_lines,
        width=MARGIN * 2 + len(ordered) * NODE_WIDTH + (len(ordered) - 1) * COLUMN_GAP,
        height=MARGIN * 2 + tallest,
    )
    # each incoming edge gets a port, top to bottom in the order of its parent's height, and
    # room above it for its label's lines
    for child, into in incoming.items():
        into.sort(key=lambda e: (layout.centre(e.parent), e.parent))
        need = sum(max(len(edge_lines[e]), 1) * LINE_HEIGHT + PORT_GAP for e in into)
        y = layout.centre(child) - need / 2
        for edge in into:
            y += max(len(edge_lines[edge]), 1) * LINE_HEIGHT + PORT_GAP / 2
            layout.port[edge] = y
            y += PORT_GAP / 2
    return layout


def _edge_svg(edge: Edge, layout: _Layout, labels: dict[str, str]) -> tuple[str, list[str]]:
    """An edge's path (a curve, then a straight run into its port) and its label's lines."""
    x1, y1 = layout.boxes[edge.parent].x + NODE_WIDTH, layout.centre(edge.parent)
    x2, y2 = layout.boxes[edge.child].x, layout.port[edge]
    run = x2 - EDGE_RUN  # the straight run into the child carries the label
    bend = (run - x1) / 2
    child_name = labels.get(edge.child, edge.child)
    parent_name = labels.get(edge.parent, edge.parent)
    path = (
        f'<path class="edge" data-child="{escape(edge.child)}" '
        f'data-parent="{escape(edge.parent)}" '
        f'd="M{x1:.1f},{y1:.1f} C{x1 + bend:.1f},{y1:.1f} {run - bend:.1f},{y2:.1f} '
        f'{run:.1f},{y2:.1f} H{x2 - 2:.1f}" fill="none" stroke="#667" stroke-width="1.4" '
        'marker-end="url(#arrow)">'
        f"<title>{escape(child_name)} ← {escape(edge.kind or '?')} ← "
        f"{escape(parent_name)}</title></path>"
    )
    lines = layout.edge_lines[edge]
    texts = [
        f'<text class="edge-label" x="{run + 4:.1f}" '
        f'y="{y2 - 4 - (len(lines) - 1 - index) * LINE_HEIGHT:.1f}" font-size="11" '
        f'fill="#334">{escape(line)}</text>'
        for index, line in enumerate(lines)
    ]
    return path, texts


def _node_svg(node: str, box: _Box, label: str, link: str | None, *, is_focus: bool,
              is_other: bool) -> str:
    """A node's box with its wrapped name, linked to its page unless it is the focus."""
    fill = "#ffe8a8" if is_focus else ("#f6f6f6" if is_other else "#eef3fb")
    stroke = "#b07d00" if is_focus else "#6b86b3"
    role = " focus" if is_focus else (" co-parent" if is_other else "")
    dash = ' stroke-dasharray="4 3"' if is_other else ""
    first = box.y + box.height / 2 - (len(box.lines) - 1) * LINE_HEIGHT / 2 + 4
    text = "".join(
        f'<tspan x="{box.x + NODE_WIDTH / 2:.1f}" y="{first + i * LINE_HEIGHT:.1f}">'
        f"{escape(line)}</tspan>" for i, line in enumerate(box.lines))
    weight = ' font-weight="bold"' if is_focus else ""
    group = (
        f'<g class="node{role}" data-iri="{escape(node)}"><title>{escape(label)}\n'
        f"{escape(node)}</title>"
        f'<rect x="{box.x:.1f}" y="{box.y:.1f}" width="{NODE_WIDTH}" '
        f'height="{box.height:.1f}" rx="6" '
        f'fill="{fill}" stroke="{stroke}" stroke-width="{2 if is_focus else 1}"{dash}/>'
        f'<text text-anchor="middle" fill="#111"{weight}>{text}</text></g>'
    )
    if link and not is_focus:
        group = f'<a href="{escape(link)}">{group}</a>'
    return group


def lineage_svg(
    focus: str,
    edges: list[Edge],
    labels: dict[str, str],
    href: Callable[[str], str | None],
    *,
    title: str = "Lineage",
) -> str:
    """An SVG document (inline-able in HTML) drawing ``edges`` around ``focus``.

    ``labels`` maps node IRIs to display names; ``href`` gives a node's link (or ``None``).
    Names are shown whole (wrapped); each edge ends in its own port on the child's left side
    with a straight run that carries the derivation type, so that no label sits on a curve.
    """
    level = _levels(focus, edges)
    edges = [e for e in edges if e.child in level and e.parent in level]
    others = co_parents(focus, edges)
    layout = _layout(edges, level, labels)
    width, height = layout.width, layout.height
    out: list[str] = [
        f'<svg xmlns="http://www.w3.org/2000/svg" class="lineage" role="img" '
        f'width="{width:.0f}" height="{height:.0f}" viewBox="0 0 {width:.0f} {height:.0f}" '
        f'font-family="sans-serif" font-size="12">',
        f"<title>{escape(title)}</title>",
        '<defs><marker id="arrow" viewBox="0 0 10 10" refX="10" refY="5" markerWidth="7" '
        'markerHeight="7" orient="auto-start-reverse"><path d="M0,0 L10,5 L0,10 z" '
        'fill="#667"/></marker></defs>',
    ]
    labels_out: list[str] = []
    for edge in sorted(edges, key=lambda e: (e.parent, e.child, e.kind)):
        path, texts = _edge_svg(edge, layout, labels)
        out.append(path)
        labels_out.extend(texts)
    out.extend(labels_out)
    for node, box in sorted(layout.boxes.items()):
        out.append(_node_svg(node, box, labels.get(node, node), href(node),
                             is_focus=node == focus, is_other=node in others))
    out.append("</svg>")
    return "".join(out)
