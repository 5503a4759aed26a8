"""Linked data: ``/id/{kind}/{slug}`` as a page (facts with their sources, derivations, lineage)
or as an RDF document."""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass, replace

import pyoxigraph as ox
from flask import Blueprint, Response, redirect, render_template, request
from werkzeug.wrappers import Response as WerkzeugResponse

from jllm_kg.formats import DOCUMENT_FORMATS, HTML, JSONLD, NTRIPLES
from jllm_kg.serve.i18n import pick_label, ui
from jllm_kg.serve.lineage import Edge, lineage_svg
from jllm_kg.serve.page_queries import page_query
from jllm_kg.serve.protocol import ClientError
from jllm_kg.serve.service import Binding
from jllm_kg.serve.web.context import (
    Cell,
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
from jllm_kg.serve.web.provenance import (
    Source,
    VersionOrder,
    short_names,
    sources_from_rows,
    split_current,
)
from jllm_kg.serve.worker import QueryRequest
from jllm_kg.sparql_text import sparql_iri
from jllm_kg.vocab import JLLM_NS
from jllm_kg.vocabulary_doc import compact_json_ld, packaged_context

resources = Blueprint("resources", __name__)

RDF_TYPE = "http://www.w3.org/1999/02/22-rdf-syntax-ns#type"
RDFS_LABEL = "http://www.w3.org/2000/01/rdf-schema#label"
_PROPERTY_ORDER = {RDF_TYPE: 0, RDFS_LABEL: 1}
"""Type and label first, then the properties by name."""
SHOWN_AS_DERIVATIONS = frozenset({"http://www.w3.org/ns/prov#qualifiedDerivation",
                                  f"{JLLM_NS}ambiguousDerivation"})
"""Shown as the Derivations table (each once, with its sources), not as facts."""
WHERE_READ = f"{JLLM_NS}sourceLocation"
"""Says where each version stated the resource, not what: a newer version supersedes none."""
SOURCE_LINE = re.compile(r"(?P<source>[^#]+)#L(?P<line>[0-9]+)")
"""A ``jllm:SourceLocation`` IRI: the source document's IRI with the line as fragment."""


@dataclass(frozen=True)
class LineageStep:
    """One derivation step near the resource: child, parent, the qualified derivation types and
    the specific sub-properties of ``prov:wasDerivedFrom`` stating it."""

    child: str
    parent: str
    types: tuple[str, ...]
    properties: tuple[str, ...]


@dataclass(frozen=True)
class FactValue:
    """One value of a property, with the short names of the sources stating it; ``earlier``
    when only versions of a list that a newer version superseded state it."""

    cell: Cell
    sources: list[dict[str, str]]
    earlier: bool


@dataclass(frozen=True)
class FactRow:
    """A property of the resource with its values, current ones first."""

    label: str
    iri: str
    href: str | None
    entries: list[FactValue]


@dataclass(frozen=True)
class Statement:
    """One source's statement of a derivation: its words, how they were read, its line."""

    source: dict[str, str] | None
    evidence: str
    method: str
    method_href: str
    line: str
    url: str


@dataclass(frozen=True)
class DerivationRow:
    """A derivation of the resource (parent and type), once, with every source stating it;
    ``ambiguous`` when the sources' words fit each of several ``parents``."""

    parents: list[Cell]
    type: Cell | None
    statements: list[Statement]
    earlier: bool
    ambiguous: bool


@resources.route("/id/<kind>/<slug>")
def resource(kind: str, slug: str) -> Response | WerkzeugResponse:
    iri = f"{site().config.resource_base}{kind}/{slug}"
    try:
        # a path that is no valid IRI (bad percent-encoding, undecodable bytes, brackets)
        # names nothing in the graph
        sparql_iri(iri)
        node = ox.NamedNode(iri)
    except ValueError as error:
        raise ClientError(404, f"no resource here: {request.path} is not a valid IRI "
                          f"({error})") from error
    chosen = choose_document_format(PAGE_FORMATS)
    if not site().service.ask(page_query("resource-exists"), bind={"resource": node}):
        raise ClientError(404, f"no resource {iri} in this graph")
    moved = site().service.select(page_query("resource-replaced-by"), bind={"resource": node})
    base = site().config.resource_base
    if moved and moved[0]["replacement"]["value"].startswith(base):
        # an IRI kept only as the former name of another resource (a seed's source graph)
        target = "/id/" + moved[0]["replacement"]["value"][len(base):]
        query = request.query_string.decode("ascii", "replace")
        return redirect(f"{target}?{query}" if query else target, code=301)
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
    derivations = service.select(page_query("resource-derivations"), union=False, bind=bind)
    edges = lineage_steps(iri)
    sources = source_index()
    found = labels(_mentioned(iri, facts, incoming, derivations, edges))
    reader = languages()

    def name(x: str) -> str:
        return pick_label(found.get(x, []), reader, fallback=fallback_name(x))

    # the versions stating anything about the resource that a later one among them supersedes
    # (jllm:supersededBy): what such a version stated and the later one no longer does is
    # superseded; a model a newer version drops keeps what its last listing stated
    order = version_order()
    outdated = order.outdated(
        {row["g"]["value"] for row in [*facts, *derivations] if "g" in row})
    legend = SourceLegend(sources, source_short_names(sources, reader), name, order, outdated)
    title = name(iri)
    is_model = any(row["p"]["value"] == RDF_TYPE and row["o"]["value"] == JLLM_NS + "Model"
                   for row in facts)
    properties = _properties(facts, found, reader, name, legend)
    derivation_rows = _derivations(derivations, found, reader, name, legend)
    return render_template(
        "resource.html",
        iri=iri,
        kind=kind,
        title=title,
        properties=properties,
        incoming=[{"s": cell({"type": "uri", "value": s}, found, reader), "p": name(p)}
                  for s, p in _referrers(iri, incoming)],
        derivations=derivation_rows,
        legend=legend.used(),
        has_earlier=any(d.earlier for d in derivation_rows) or any(
            entry.earlier for prop in properties for entry in prop.entries),
        lineage_svg=_lineage_drawing(iri, title, edges, name, reader[0]),
        is_model=is_model,
        formats=[(o.name, f"{request.path}?format={o.name}") for o in DOCUMENT_FORMATS[:4]],
    )


def source_index() -> dict[str, Source]:
    """Every source document's metadata (computed once per snapshot)."""
    service = site().service

    def compute() -> dict[str, Source]:
        return sources_from_rows(service.select(page_query("sources")))

    found: dict[str, Source] = service.memo("sources", compute)
    return found


def version_order() -> VersionOrder:
    """Which source version supersedes which, as the graph states it (once per snapshot)."""
    service = site().service

    def compute() -> VersionOrder:
        return VersionOrder.from_rows(service.select(page_query("supersessions")))

    order: VersionOrder = service.memo("version-order", compute)
    return order


def source_short_names(sources: dict[str, Source], reader: list[str]) -> dict[str, str]:
    """The short name of every source in the reader's language (computed once per snapshot
    and language: distinct names need all the sources, not only those of one page)."""
    def compute() -> dict[str, str]:
        found = labels(sources)
        return short_names(sources.values(), reader[0], {
            s: pick_label(found.get(s, []), reader, fallback=fallback_name(s)) for s in sources})

    names: dict[str, str] = site().service.memo("source-names:" + ",".join(reader), compute)
    return names


class SourceLegend:
    """The short names of a page's sources, and which of them the page used (its legend)."""

    def __init__(self, sources: dict[str, Source], short: dict[str, str],
                 name: Callable[[str], str], order: VersionOrder,
                 outdated: set[str]) -> None:
        self.sources = sources
        self.short = short
        self.name = name
        self.order = order
        self.outdated = outdated
        """The versions speaking of the resource that a later one speaking of it supersedes."""
        self._used: set[str] = set()

    def links(self, iris: Iterable[str]) -> list[dict[str, str]]:
        """The sources cell of a statement: a short, linked name per source, newest first."""
        out = []
        for iri in self.order.newest_first(iris, self.sources):
            self._used.add(iri)
            out.append({"label": self.short.get(iri) or self.name(iri), "title": self.name(iri),
                        "href": href(iri) or ""})
        return out

    def used(self) -> list[dict[str, str]]:
        """The legend: each source the page named, its short name and its full name."""
        entries = [{"short": self.short.get(i) or self.name(i), "label": self.name(i),
                    "href": href(i) or ""} for i in self._used]
        return sorted(entries, key=lambda e: e["short"].casefold())


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
    for s, p in _referrers(iri, incoming):
        wanted.update((s, p))
    for row in derivations:
        wanted.update(v["value"] for v in row.values() if v["type"] == "uri")
    for step in edges:
        wanted.update((step.child, step.parent, *step.types, *step.properties))
    return wanted


def _referrers(iri: str, incoming: list[Binding]) -> list[tuple[str, str]]:
    """What points at ``iri``, each (subject, property) once: a hash IRI of ours (a
    derivation node ``…/model/x#derivation-…``, a line ``…/source/y#L12``) is named by its
    document, the resource it describes, rather than by a slug ending in a source hash; the
    parts of ``iri``'s own document are left out."""
    found: dict[tuple[str, str], None] = {}
    base = site().config.resource_base
    for row in incoming:
        subject = row["s"]["value"]
        if subject.startswith(base) and "#" in subject:
            subject = subject.split("#", 1)[0]
        if subject != iri:
            found.setdefault((subject, row["p"]["value"]), None)
    return list(found)


def _properties(facts: list[Binding], found: Labels, reader: list[str],
                name: Callable[[str], str], legend: SourceLegend) -> list[FactRow]:
    """The facts grouped by property, each value with the sources stating it: the current
    values first, then the ones only superseded versions of a list state (``earlier``)."""
    grouped: dict[str, dict[tuple[str, str, str, str], set[str]]] = {}
    for row in facts:
        if row["p"]["value"] in SHOWN_AS_DERIVATIONS:
            continue
        o = row["o"]
        key = (o["type"], o["value"], o.get("xml:lang", ""), o.get("datatype", ""))
        graphs = grouped.setdefault(row["p"]["value"], {}).setdefault(key, set())
        if "g" in row:
            graphs.add(row["g"]["value"])
    properties: list[FactRow] = []
    for prop in sorted(grouped, key=lambda p: (_PROPERTY_ORDER.get(p, 2), name(p).casefold())):
        stated = dict(sorted(grouped[prop].items()))
        current, earlier = ((list(stated), []) if prop == WHERE_READ
                            else split_current(stated, legend.outdated))
        values: list[FactValue] = []
        for is_earlier, keys in ((False, current), (True, earlier)):
            for otype, value, olang, datatype in keys:
                term = {"type": otype, "value": value}
                if olang:
                    term["xml:lang"] = olang
                if datatype:
                    term["datatype"] = datatype
                values.append(FactValue(
                    _located(cell(term, found, reader), legend, reader[0]),
                    legend.links(stated[(otype, value, olang, datatype)]),
                    is_earlier,
                ))
        properties.append(FactRow(name(prop), prop, href(prop), values))
    return properties


def _located(shown: Cell, legend: SourceLegend, language: str) -> Cell:
    """``shown``, named in words when it is a line of a known source ("ja 2024-07, line 124")
    rather than by its IRI, whose slug ends in a hash."""
    found = SOURCE_LINE.fullmatch(shown["title"]) if shown["href"] else None
    if not found or found["source"] not in legend.sources:
        return shown
    short = legend.links([found["source"]])[0]["label"]
    return {**shown, "text": f"{short}, {ui('line', language)} {found['line']}"}


def _derivations(rows: list[Binding], found: Labels, reader: list[str],
                 name: Callable[[str], str], legend: SourceLegend) -> list[DerivationRow]:
    """Each derivation once (its parent, or its candidate parents, and its type), with every
    source stating it: the source's own words, how they were read and the line they were read
    from; current ones first."""
    # one qualified or ambiguous derivation node per source; an ambiguous one has a row per
    # candidate
    nodes: dict[tuple[str, str], dict[str, str]] = {}
    parents: dict[tuple[str, str], set[str]] = {}
    for row in rows:
        node = (row["g"]["value"], row["d"]["value"])
        nodes.setdefault(node, {k: v["value"] for k, v in row.items()})
        if "entity" in row:
            parents.setdefault(node, set()).add(row["entity"]["value"])
    stated: dict[tuple[bool, tuple[str, ...], str], dict[str, Statement]] = {}
    for (source, d), values in nodes.items():
        key = (values.get("ambiguous") == "true", tuple(sorted(parents.get((source, d), ()))),
               values.get("type", ""))
        method = values.get("method", "")
        links = legend.links([source])
        stated.setdefault(key, {})[source] = Statement(
            links[0], values.get("evidence", ""), name(method) if method else "",
            (href(method) or "") if method else "", values.get("line", ""),
            values.get("url", ""))
    current, earlier = split_current(stated, legend.outdated)
    out: list[DerivationRow] = []
    for is_earlier, keys in ((False, current), (True, earlier)):
        for ambiguous, entities, kind in keys:
            statements = stated[(ambiguous, entities, kind)]
            out.append(DerivationRow(
                [cell({"type": "uri", "value": e}, found, reader) for e in entities],
                cell({"type": "uri", "value": kind}, found, reader) if kind else None,
                [statements[s] for s in legend.order.newest_first(statements, legend.sources)],
                is_earlier,
                ambiguous,
            ))
    return out


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
