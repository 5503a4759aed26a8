"""Map every ingested document to RDF: one named graph per source plus the curated graph."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field

from jllm_kg.ingest.paper_records import PaperDocument
from jllm_kg.ingest.records import ListDocument, Problem
from jllm_kg.map.catalog import CURATED_GRAPH, Catalog
from jllm_kg.map.graph import QuadSink
from jllm_kg.map.list import AmbiguousParent, UnresolvedParent, map_lists, source_graph
from jllm_kg.map.supersession import VersionRef, add_supersessions
from jllm_kg.vocab import resource_iri


@dataclass
class MappedGraphs:
    sink: QuadSink
    file_names: dict[str, str]  # graph IRI → file name in data/graph/
    unresolved_parents: list[UnresolvedParent] = field(default_factory=list)
    derivations: int = 0
    ambiguous_parents: list[AmbiguousParent] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)  # rows skipped, with the reason


def map_documents(
    documents: Sequence[object], *, other_versions: Sequence[VersionRef] = ()
) -> MappedGraphs:
    """Map list and paper documents together, so parents resolve across sources.

    Each version is linked to the next later version of its series (``jllm:supersededBy``),
    among the documents and ``other_versions`` (sources of the graph not mapped in this run).
    """
    lists = [doc for doc in documents if isinstance(doc, ListDocument)]
    papers = [doc for doc in documents if isinstance(doc, PaperDocument)]
    unknown = [doc for doc in documents if not isinstance(doc, ListDocument | PaperDocument)]
    if unknown:
        raise ValueError(f"cannot map documents of type {type(unknown[0]).__name__}")
    sink = QuadSink()
    catalog = Catalog(sink)
    mapper = map_lists(lists, sink, catalog)
    if papers:
        from jllm_kg.map.paper import map_paper

        families: dict[str, set[str]] = {}
        for entry in mapper.index.entries:
            for node in entry.models:
                families.setdefault(node.iri, set()).add(entry.family)
        for paper in papers:
            map_paper(paper, sink, catalog, families)
    # a generic licence is the model's licence only if no source names a specific one
    catalog.model_licences.finish()
    file_names = {CURATED_GRAPH: "curated.nq"}
    sources: list[ListDocument | PaperDocument] = [*lists, *papers]
    versions = list(other_versions)
    for doc in sources:
        file_names[source_graph(doc.source.slug)] = f"{doc.source.slug}.nq"
        identity = doc.source.identity
        if identity is not None:
            versions.append(VersionRef(source_graph(doc.source.slug),
                                       resource_iri("source", identity.series_slug),
                                       identity.date))
    add_supersessions(sink, versions, written=file_names)
    return MappedGraphs(sink, file_names, mapper.unresolved_parents, mapper.derivations.count,
                        ambiguous_parents=mapper.ambiguous_parents, problems=mapper.problems)
