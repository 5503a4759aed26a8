"""The ecosystem views: the home page's charts and a family tree per foreign model family.

The charts are computed from the saved queries ``chart-*.rq`` once per snapshot (the graph is
read-only between reloads) and drawn once per page language. A family tree lists every model
derived from the family's foreign models as nested, collapsible branches (``<details>``: no
script needed), each edge with its derivation type and each merge with all its parents.
"""

from __future__ import annotations

import logging
from collections import defaultdict
from dataclasses import dataclass, field

import pyoxigraph as ox
from flask import Blueprint, abort, render_template, request

from jllm_kg.serve.charts import (
    APPROACHES,
    Chart,
    Row,
    families_chart,
    label_picker,
    licences_chart,
    parameters_chart,
    quarter_chart,
)
from jllm_kg.serve.i18n import pick_label
from jllm_kg.serve.page_queries import page_query
from jllm_kg.serve.pool import QueryStopped
from jllm_kg.serve.service import QueryFailed
from jllm_kg.serve.web.context import fallback_name, href, labels, languages, site

ecosystem = Blueprint("ecosystem", __name__)
LOG = logging.getLogger(__name__)

CHART_QUERIES = ("chart-models-per-quarter", "chart-foreign-base-families",
                 "chart-parameters-over-time", "chart-licences-commercial-use")
"""The saved queries the home page draws, in page order."""


def _family_base() -> str:
    return site().config.resource_base + "family/"


def tree_href(family: str) -> str | None:
    """The family-tree page of a family IRI of our namespace."""
    base = _family_base()
    if not family.startswith(base) or len(family) == len(base):
        return None
    return f"{request.script_root}/tree/{family[len(base):]}"


def home_charts() -> list[Chart]:
    """The charts of the saved ``chart-*`` queries that exist, in the reader's language."""
    service = site().service
    saved = site().saved

    def answers() -> dict[str, list[Row]]:
        return {name: service.select(saved[name].text) for name in CHART_QUERIES
                if name in saved}

    try:
        rows: dict[str, list[Row]] = service.memo("chart-rows", answers)
    except (QueryFailed, QueryStopped) as error:
        # the home page is served without its charts, and the next request tries again
        LOG.warning("home page charts not drawn: %s", error)
        return []
    readers = languages()

    def draw() -> list[Chart]:
        wanted = {v["value"] for answer in rows.values() for row in answer
                  for v in row.values() if v.get("type") == "uri"}
        wanted.update(v["value"] for row in rows.get("chart-parameters-over-time", [])
                      for k, v in row.items() if k == "trainingApproach")
        wanted.update(APPROACHES)
        name = label_picker(labels(wanted), readers, fallback_name)
        language = readers[0]
        drawers = {
            "chart-models-per-quarter": lambda r: quarter_chart(r, name, language),
            "chart-foreign-base-families": lambda r: families_chart(
                r, name, language, tree_href, f"{request.script_root}/tree/"),
            "chart-parameters-over-time": lambda r: parameters_chart(r, name, language, href),
            "chart-licences-commercial-use": lambda r: licences_chart(r, language),
        }
        return [drawers[n](rows[n]) for n in CHART_QUERIES if n in rows]

    charts: list[Chart] = service.memo(
        "charts:" + request.script_root + ":" + ",".join(readers), draw)
    return charts


@dataclass
class TreeNode:
    """A model of a family tree: its children with the derivation type of each edge."""

    iri: str
    name: str
    href: str | None
    kind: str = ""
    """The derivation type of the edge from the parent it is listed under."""
    merge_of: list[tuple[str, str | None]] = field(default_factory=list)
    """All parents (name, link) when the model has several."""
    children: list[TreeNode] = field(default_factory=list)
    repeated: bool = False
    """Listed in full elsewhere on the page (a merge under its other parents)."""
    size: int = 0
    """Descendants below it (each counted once)."""


def family_tree(family: str) -> tuple[list[TreeNode], int]:
    """The roots of the tree of ``family`` and the number of distinct descendants."""
    rows = site().service.select(page_query("family-tree"),
                                 bind={"family": ox.NamedNode(family)})
    parents: dict[str, list[str]] = defaultdict(list)
    children: dict[str, list[str]] = defaultdict(list)
    kinds: dict[tuple[str, str], tuple[str, ...]] = {}
    members: set[str] = set()
    for row in rows:
        child, parent = row["child"]["value"], row["parent"]["value"]
        parents[child].append(parent)
        children[parent].append(child)
        kinds[(child, parent)] = tuple((row.get("types", {}).get("value", "")
                                        or row.get("props", {}).get("value", "")).split())
        if row.get("member", {}).get("value") == "true":
            members.add(parent)
    found = labels({family, *parents, *children, *(k for ks in kinds.values() for k in ks)})
    readers = languages()

    def name(iri: str) -> str:
        return pick_label(found.get(iri, []), readers, fallback=fallback_name(iri))

    # the family's models that no other model of the family precedes
    roots = sorted((m for m in members if not any(p in members for p in parents[m])), key=name)
    placed: set[str] = set()

    def build(iri: str, via: str | None) -> TreeNode:
        node = TreeNode(iri, name(iri), href(iri))
        if via is not None:
            node.kind = " / ".join(sorted({name(k) for k in kinds.get((iri, via), ())}))
        if len(parents[iri]) > 1:
            node.merge_of = [(name(p), href(p)) for p in sorted(parents[iri], key=name)]
        if iri in placed:
            node.repeated = True
            return node
        placed.add(iri)
        for child in sorted(children[iri], key=name):
            node.children.append(build(child, iri))
        node.size = sum(1 + c.size for c in node.children if not c.repeated)
        return node

    trees = [build(root, None) for root in roots]
    descendants = {c for c in parents if c not in members}
    return trees, len(descendants)


@ecosystem.route("/tree/<slug>")
def tree_page(slug: str) -> str:
    family = _family_base() + slug
    try:
        ox.NamedNode(family)
    except ValueError:  # a slug no IRI can end with names no family
        abort(404)
    trees, count = family_tree(family)
    if not trees:
        abort(404)
    found = labels([family])
    title = pick_label(found.get(family, []), languages(), fallback=slug)
    return render_template("family_tree.html", title=title, family=family,
                           family_href=href(family), trees=trees, count=count)


@ecosystem.route("/tree/")
def tree_index() -> str:
    """The families that have family trees, the largest first."""
    rows = site().service.select(page_query("family-index"))
    found = labels(r["family"]["value"] for r in rows)
    readers = languages()
    families = [(pick_label(found.get(iri, []), readers, fallback=fallback_name(iri)),
                 link, int(r["descendants"]["value"]))
                for r in rows if (link := tree_href(iri := r["family"]["value"]))]
    return render_template("family_index.html", families=families)
