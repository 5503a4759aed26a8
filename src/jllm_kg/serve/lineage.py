"""The lineage diagram of a model: ancestors and descendants as a server-side SVG.

Columns are generations (oldest on the left, the model in the middle column, descendants on
the right), placed by longest path so that every edge points rightwards; each edge goes from
parent to child and carries the derivation type(s). A merge has several parents: when a
descendant of the model is a merge, its other parents (*co-parents*, not relatives of the model
themselves) are drawn too, one column left of the merge, with a dashed border. Every text is
escaped: labels come from outside sources.

>>> svg = lineage_svg("b", [Edge("b", "a", "fine-tuning")], {"a": "A <1>", "b": "B"},
...                   lambda n: f"/id/model/{n}")
>>> "A &lt;1&gt;" in svg and "fine-tuning" in svg and svg.startswith("<svg")
True
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass
from html import escape

NODE_WIDTH = 200
NODE_HEIGHT = 38
COLUMN_GAP = 150
ROW_GAP = 14
MARGIN = 12
MAX_LABEL = 27


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


def _truncate(text: str) -> str:
    return text if len(text) <= MAX_LABEL else text[: MAX_LABEL - 1] + "…"


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
    """
    level = _levels(focus, edges)
    edges = [e for e in edges if e.child in level and e.parent in level]
    others = co_parents(focus, edges)
    columns: dict[int, list[str]] = defaultdict(list)
    for node, lvl in level.items():
        columns[lvl].append(node)
    ordered = sorted(columns)
    position: dict[str, tuple[float, float]] = {}
    neighbours: dict[str, list[str]] = defaultdict(list)
    for edge in edges:
        neighbours[edge.child].append(edge.parent)
        neighbours[edge.parent].append(edge.child)
    row_of: dict[str, float] = {}
    for lvl in sorted(ordered, key=abs):  # from the focus outwards: barycentre ordering
        nodes = columns[lvl]

        def key(node: str) -> tuple[float, str]:
            placed = [row_of[n] for n in neighbours[node] if n in row_of]
            centre = sum(placed) / len(placed) if placed else 0.0
            return (centre, labels.get(node, node))

        nodes.sort(key=key)
        for index, node in enumerate(nodes):
            row_of[node] = index - (len(nodes) - 1) / 2
    tallest = max(len(columns[lvl]) for lvl in ordered)
    height = MARGIN * 2 + tallest * NODE_HEIGHT + (tallest - 1) * ROW_GAP
    width = MARGIN * 2 + len(ordered) * NODE_WIDTH + (len(ordered) - 1) * COLUMN_GAP
    for column_index, lvl in enumerate(ordered):
        x: float = MARGIN + column_index * (NODE_WIDTH + COLUMN_GAP)
        for node in columns[lvl]:
            y = height / 2 + row_of[node] * (NODE_HEIGHT + ROW_GAP) - NODE_HEIGHT / 2
            position[node] = (x, y)

    out: list[str] = [
        f'<svg xmlns="http://www.w3.org/2000/svg" class="lineage" role="img" '
        f'width="{width:.0f}" height="{height:.0f}" viewBox="0 0 {width:.0f} {height:.0f}" '
        f'font-family="sans-serif" font-size="12">',
        f"<title>{escape(title)}</title>",
        '<defs><marker id="arrow" viewBox="0 0 10 10" refX="10" refY="5" markerWidth="7" '
        'markerHeight="7" orient="auto-start-reverse"><path d="M0,0 L10,5 L0,10 z" '
        'fill="#667"/></marker></defs>',
    ]
    fan_in: dict[str, int] = defaultdict(int)
    fan_out: dict[str, int] = defaultdict(int)
    for edge in edges:
        fan_in[edge.child] += 1
        fan_out[edge.parent] += 1
    for edge in sorted(edges, key=lambda e: (e.parent, e.child, e.kind)):
        px, py = position[edge.parent]
        cx, cy = position[edge.child]
        x1, y1 = px + NODE_WIDTH, py + NODE_HEIGHT / 2
        x2, y2 = cx, cy + NODE_HEIGHT / 2
        mid = (x1 + x2) / 2
        child_name = labels.get(edge.child, edge.child)
        parent_name = labels.get(edge.parent, edge.parent)
        out.append(
            f'<path class="edge" data-child="{escape(edge.child)}" '
            f'data-parent="{escape(edge.parent)}" '
            f'd="M{x1:.1f},{y1:.1f} C{mid:.1f},{y1:.1f} {mid:.1f},{y2:.1f} '
            f'{x2 - 2:.1f},{y2:.1f}" fill="none" stroke="#667" stroke-width="1.4" '
            'marker-end="url(#arrow)">'
            f"<title>{escape(child_name)} ← {escape(edge.kind or '?')} ← "
            f"{escape(parent_name)}</title></path>"
        )
        if edge.kind:
            # Where several edges meet (a merge's parents, a base's many children) labels at
            # the curve's middle would pile up: put them on the side where the edges fan out.
            t = 0.5
            if fan_in[edge.child] > 1 and fan_in[edge.child] >= fan_out[edge.parent]:
                t = 0.3
            elif fan_out[edge.parent] > 1:
                t = 0.7
            lx = (1 - t) ** 3 * x1 + 3 * (1 - t) * t * mid + t**3 * x2
            ly = ((1 - t) ** 3 + 3 * (1 - t) ** 2 * t) * y1 + (3 * (1 - t) * t**2 + t**3) * y2
            out.append(
                f'<text class="edge-label" x="{lx:.1f}" y="{ly - 4:.1f}" '
                'text-anchor="middle" font-size="11" fill="#334" stroke="#fff" '
                f'stroke-width="3" paint-order="stroke">{escape(_truncate(edge.kind))}</text>'
            )
    for node, (x, y) in sorted(position.items()):
        label = labels.get(node, node)
        is_focus = node == focus
        is_other = node in others
        link = href(node)
        fill = "#ffe8a8" if is_focus else ("#f6f6f6" if is_other else "#eef3fb")
        stroke = "#b07d00" if is_focus else "#6b86b3"
        role = " focus" if is_focus else (" co-parent" if is_other else "")
        dash = ' stroke-dasharray="4 3"' if is_other else ""
        group = (
            f'<g class="node{role}" data-iri="{escape(node)}"><title>{escape(label)}\n'
            f"{escape(node)}</title>"
            f'<rect x="{x:.1f}" y="{y:.1f}" width="{NODE_WIDTH}" height="{NODE_HEIGHT}" rx="6" '
            f'fill="{fill}" stroke="{stroke}" stroke-width="{2 if is_focus else 1}"{dash}/>'
            f'<text x="{x + NODE_WIDTH / 2:.1f}" y="{y + NODE_HEIGHT / 2 + 4:.1f}" '
            f'text-anchor="middle" fill="#111">{escape(_truncate(label))}</text></g>'
        )
        if link and not is_focus:
            group = f'<a href="{escape(link)}">{group}</a>'
        out.append(group)
    out.append("</svg>")
    return "".join(out)
