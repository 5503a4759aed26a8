"""Linked data: ``/id/{kind}/{slug}`` as a page (facts with their sources, derivations, lineage)
or as an RDF document."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, replace

import pyoxigraph as ox
from flask import Blueprint, Response, abort, render_template, request

from jllm_kg.formats import DOCUMENT_FORMATS, HTML, JSONLD, NTRIPLES
from jllm_kg.serve.i18n import pick_label, ui
from jllm_kg.serve.lineage import Edge, lineage_svg
from jllm_kg.serve.page_queries import page_query
from jllm_kg.serve.protocol import ClientError
from jllm_kg.serve.service import Binding
from jllm_kg.serve.web.context import (
    Labels,
    answer,
    cell,
    check_reply,
    choose_document_format,
    fallback_name,
    href,
    html_response,
    labels,
    languages,
    site,
)
from jllm_kg.serve.web.documents import PAGE_FORMATS
from jllm_kg.serve.worker import QueryRequest
from jllm_kg.sparql_text import sparql_iri
from jllm_kg.vocab import JLLM_NS
from jllm_kg.vocabulary_doc import compact_json_ld, packaged_context

resources = Blueprint("resources", __name__)

RDF_TYPE = "http://www.w3.org/1999/02/22-rdf-syntax-ns#type"
RDFS_LABEL = "http://www.w3.org/2000/01/rdf-schema#label"
_PROPERTY_ORDER = {RDF_TYPE: 0, RDFS_LABEL: 1}
"""Type and label first, then the properties by name."""


@dataclass(frozen=True)
class LineageStep:
    """One derivation step near the resource: child, parent, the qualified derivation types and
    the specific sub-properties of ``prov:wasDerivedFrom`` stating it."""

    child: str
    parent: str
    types: tuple[str, ...]
    properties: tuple[str, ...]


@resources.route("/id/<kind>/<slug>")
def resource(kind: str, slug: str) -> Response:
    iri = f"{site().config.resource_base}{kind}/{slug}"
    try:
        sparql_iri(iri)  # an IRI that cannot be written in SPARQL names nothing here
    except ValueError:
        abort(404)
    chosen = choose_document_format(PAGE_FORMATS)
    node = ox.NamedNode(iri)
    if not site().service.ask(page_query("resource-exists"), bind={"resource": node}):
        raise ClientError(404, f"no resource {iri} in this graph")
    vary = "Accept, Accept-Language"
    if chosen is HTML:
        return html_response(resource_page(iri, kind), vary=vary)
    # JSON-LD is compacted with the vocabulary's context (short keys for JSON consumers), from
    # the N-Triples the worker writes
    reply = site().service.run(QueryRequest(
        page_query("resource-description"),
        graph_format=NTRIPLES.name if chosen is JSONLD else chosen.name,
        max_result_bytes=site().config.max_result_bytes,
        substitutions=(("resource", node),),
    ))
    if chosen is JSONLD:
        check_reply(reply)
        reply = replace(reply, body=compact_json_ld(reply.body, packaged_context()),
                        format_name=JSONLD.name)
    return answer(reply, vary=vary)


def resource_page(iri: str, kind: str) -> str:
    """The HTML page of ``iri``."""
    service = site().service
    bind = {"resource": ox.NamedNode(iri)}
    facts = service.select(page_query("resource-facts"), union=False, bind=bind)
    incoming = service.select(page_query("resource-incoming"), bind=bind)
    derivations = service.select(page_query("resource-derivations"), bind=bind)
    edges = lineage_steps(iri)
    found = labels(_mentioned(iri, facts, incoming, derivations, edges))
    reader = languages()

    def name(x: str) -> str:
        return pick_label(found.get(x, []), reader, fallback=fallback_name(x))

    title = name(iri)
    is_model = any(row["p"]["value"] == RDF_TYPE and row["o"]["value"] == JLLM_NS + "Model"
                   for row in facts)
    return render_template(
        "resource.html",
        iri=iri,
        kind=kind,
        title=title,
        properties=_properties(facts, found, reader, name),
        incoming=[{"s": cell({"type": "uri", "value": r["s"]["value"]}, found, reader),
                   "p": name(r["p"]["value"])} for r in incoming],
        derivations=[{k: cell(v, found, reader) for k, v in r.items() if k != "resource"}
                     for r in derivations],
        lineage_svg=_lineage_drawing(iri, title, edges, name, reader[0]),
        is_model=is_model,
        formats=[(o.name, f"{request.path}?format={o.name}") for o in DOCUMENT_FORMATS[:4]],
    )


def _mentioned(iri: str, facts: list[Binding], incoming: list[Binding],
               derivations: list[Binding], edges: list[LineageStep]) -> set[str]:
    """Every IRI the page names (and so needs a label for)."""
    wanted: set[str] = {iri}
    for row in facts:
        wanted.add(row["p"]["value"])
        if row["o"]["type"] == "uri":
            wanted.add(row["o"]["value"])
        if "g" in row:
            wanted.add(row["g"]["value"])
    for row in incoming:
        wanted.update((row["s"]["value"], row["p"]["value"]))
    for row in derivations:
        wanted.update(v["value"] for v in row.values() if v["type"] == "uri")
    for step in edges:
        wanted.update((step.child, step.parent, *step.types, *step.properties))
    return wanted


def _properties(facts: list[Binding], found: Labels, reader: list[str],
                name: Callable[[str], str]) -> list[dict[str, object]]:
    """The facts grouped by property, each value with the graphs (sources) stating it."""
    grouped: dict[str, dict[tuple[str, str, str, str], set[str]]] = {}
    for row in facts:
        o = row["o"]
        key = (o["type"], o["value"], o.get("xml:lang", ""), o.get("datatype", ""))
        graphs = grouped.setdefault(row["p"]["value"], {}).setdefault(key, set())
        if "g" in row:
            graphs.add(row["g"]["value"])
    properties: list[dict[str, object]] = []
    for prop in sorted(grouped, key=lambda p: (_PROPERTY_ORDER.get(p, 2), name(p).casefold())):
        values = []
        for (otype, value, olang, datatype), graphs in sorted(grouped[prop].items()):
            term = {"type": otype, "value": value}
            if olang:
                term["xml:lang"] = olang
            if datatype:
                term["datatype"] = datatype
            values.append({
                "cell": cell(term, found, reader),
                "sources": [{"label": name(gr), "href": href(gr) or ""} for gr in sorted(graphs)],
            })
        properties.append({"label": name(prop), "iri": prop, "href": href(prop),
                           "entries": values})
    return properties


def _lineage_drawing(iri: str, title: str, edges: list[LineageStep],
                     name: Callable[[str], str], language: str) -> str | None:
    """The lineage diagram (SVG) of ``iri``, or ``None`` without any derivation."""
    if not edges:
        return None
    return lineage_svg(
        iri,
        # the derivation type(s) of the qualified derivations; else the specific
        # sub-property of prov:wasDerivedFrom
        [Edge(step.child, step.parent,
              " / ".join(sorted({name(x) for x in (step.types or step.properties)})))
         for step in edges],
        {node: name(node) for step in edges for node in (step.child, step.parent)}
        | {iri: title},
        href,
        title=f"{ui('lineage', language)}: {title}",
    )


def lineage_steps(iri: str) -> list[LineageStep]:
    """The derivation steps around ``iri``: every step among its ancestors, and every parent of
    each of its descendants — for a merge that includes its other parents (co-parents), so that
    a merge is never drawn with only the parent that happens to be a relative."""
    limit = site().config.lineage_max_nodes * 3
    rows = site().service.select(page_query("lineage-edges") + f"LIMIT {int(limit)}\n",
                                 bind={"resource": ox.NamedNode(iri)})
    return [LineageStep(r["child"]["value"], r["parent"]["value"],
                        tuple(sorted(r.get("types", {}).get("value", "").split())),
                        tuple(sorted(r.get("props", {}).get("value", "").split())))
            for r in rows if r["child"]["type"] == "uri" and r["parent"]["type"] == "uri"]
