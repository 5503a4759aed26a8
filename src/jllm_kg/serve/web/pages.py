"""The pages for browsing: the front page, label search and the index of each kind."""

from __future__ import annotations

import pyoxigraph as ox
from flask import Blueprint, abort, render_template, request

from jllm_kg.serve.describe import graph_statistics, newest_source_date
from jllm_kg.serve.i18n import pick_label
from jllm_kg.serve.page_queries import page_query
from jllm_kg.serve.web.context import (
    compact,
    fallback_name,
    href,
    labels,
    languages,
    public_base_url,
    site,
)
from jllm_kg.serve.web.ecosystem import home_charts
from jllm_kg.vocab import JLLM_NS, RESOURCE_KINDS

pages = Blueprint("pages", __name__)

SEARCH_TEXT_LIMIT = 200
"""Characters of a search text that are used."""


@pages.route("/")
def home() -> str:
    service = site().service
    stats = graph_statistics(service)
    reader = languages()
    classes = [(iri, n) for iri, n in stats["classes"] if iri.startswith(JLLM_NS)]
    found = labels(iri for iri, _ in classes)
    snapshot = service.snapshot
    return render_template(
        "home.html",
        stats=stats,
        classes=[(pick_label(found.get(i, []), reader, fallback=compact(i)), n, href(i))
                 for i, n in classes],
        kinds=kind_counts(),
        saved=list(site().saved.values()),
        base_url=public_base_url(),
        dump=snapshot.dump.name if snapshot else None,
        data_date=data_date(),
        charts=home_charts(),
    )


def data_date() -> str | None:
    """The date of the newest source document (its ``dcterms:date``): how recent the data is,
    unlike the files' modification time, which is when the package was installed."""
    newest = newest_source_date(site().service)
    return newest.lexical[:10] if newest else None


def kind_counts() -> list[tuple[str, int]]:
    """Resources per kind of the namespace (computed once per snapshot)."""
    service = site().service
    base = ox.Literal(site().config.resource_base)

    def compute() -> list[tuple[str, int]]:
        rows = service.select(page_query("kind-counts"), bind={"base": base})
        return [(r["kind"]["value"], int(r["n"]["value"])) for r in rows
                if r.get("kind", {}).get("value")]

    counts: list[tuple[str, int]] = service.memo("kinds", compute)
    return list(counts)


@pages.route("/search")
def search() -> str:
    text = request.args.get("q", "").strip()[:SEARCH_TEXT_LIMIT]
    hits: list[dict[str, str]] = []
    if text:
        base = site().config.resource_base
        rows = site().service.select(
            page_query("search"), bind={"base": ox.Literal(base), "text": ox.Literal(text)}
        )
        found = labels(r["s"]["value"] for r in rows)
        reader = languages()
        for row in rows:
            iri = row["s"]["value"]
            hits.append({
                "label": pick_label(found.get(iri, []), reader, fallback=fallback_name(iri)),
                "href": href(iri) or iri,
                "kind": iri[len(base):].split("/", 1)[0],
            })
    return render_template("search.html", q=text, hits=hits, kinds=RESOURCE_KINDS)


@pages.route("/id/<kind>/")
def kind_index(kind: str) -> str:
    if kind not in RESOURCE_KINDS:
        abort(404)
    prefix = site().config.resource_base + kind + "/"
    rows = site().service.select(page_query("kind-index"), bind={"prefix": ox.Literal(prefix)})
    iris = [r["s"]["value"] for r in rows]
    if not iris:
        abort(404)
    found = labels(iris)
    reader = languages()
    items = sorted(
        ((pick_label(found.get(i, []), reader, fallback=i[len(prefix):]), href(i),
          i[len(prefix):]) for i in iris),
        key=lambda item: item[0].casefold(),
    )
    return render_template("kind_index.html", kind=kind, items=items)
