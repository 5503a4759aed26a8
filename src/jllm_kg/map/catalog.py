"""Entities shared by every source: licenses, developers, datasets, architectures, foreign base
models, benchmarks, papers, source documents — and the qualified derivations between models.

A curated entity (one from ``data/curated/``) is described once, in the curated graph; a
source only links to it. An entity that no curated table knows is described by the source that
names it, in that source's graph, with the label as written — nothing is lost, nothing invented.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from decimal import Decimal
from functools import cache
from typing import TypeVar

from rdflib import URIRef

from jllm_kg.curated import load_table
from jllm_kg.curated.schemas import SourcesFile
from jllm_kg.ingest.records import (
    BenchmarkBullet,
    BenchmarkRow,
    ReferenceRow,
    SourceDocument,
    SourceVersion,
)
from jllm_kg.map.graph import (
    RDF_TYPE,
    RDFS_LABEL,
    QuadSink,
    boolean,
    decimal,
    source_location,
    text,
    typed,
)
from jllm_kg.map.identity import ModelIndex, hf_model_iri
from jllm_kg.normalize.architectures import (
    Architecture,
    ArchitectureRef,
    architecture_catalogue,
    parse_architecture_cell,
)
from jllm_kg.normalize.base_models import (
    ForeignFamily,
    foreign_family_catalogue,
    resolve_foreign_family,
    resolve_foreign_model,
)
from jllm_kg.normalize.benchmarks import BenchmarkFact, benchmark_catalogue, resolve_benchmark
from jllm_kg.normalize.datasets import DatasetMention, dataset_catalogue
from jllm_kg.normalize.dates import arxiv_id, parse_reference_date
from jllm_kg.normalize.developers import (
    Developer,
    DeveloperRef,
    developer_catalogue,
    parse_developer_cell,
)
from jllm_kg.normalize.licenses import LicenseFact
from jllm_kg.normalize.text import match_key
from jllm_kg.vocab import DCAT, DCTERMS, JLLM, OWL, PROV, SCHEMA, XSD, resource_iri, slugify

CURATED_GRAPH = resource_iri("source", "curated")

# The concept of each modality of the list's sections and the papers' model groups.
MODALITY_CONCEPTS: Mapping[str, URIRef] = {
    "text-generation": JLLM.TextGeneration,
    "text-encoder": JLLM.TextEncoder,
    "text-embedding": JLLM.TextEmbedding,
    "vision-language": JLLM.VisionLanguage,
    "text-to-image": JLLM.TextToImage,
    "text-to-video": JLLM.TextToVideo,
    "vision-other": JLLM.MultimodalOther,
    "speech": JLLM.Speech,
    "music": JLLM.Music,
}

# The phase property of a dataset a model was trained on in that phase (jllm:trainedOn is
# always written too): the list's phases (normalize.datasets.Phase) and the paper's
# (ingest.paper_records.TrainingPhase). Generic fine-tuning, distillation, merge and an
# unspecified phase have none.
PHASE_PROPERTIES: Mapping[str, URIRef] = {
    "pretraining": JLLM.pretrainedOn,
    "continual-pretraining": JLLM.pretrainedOn,
    "instruction-tuning": JLLM.instructionTunedOn,
    "preference-tuning": JLLM.preferenceTunedOn,
}

# The specific property of each derivation type concept (all ⊑ prov:wasDerivedFrom).
DERIVATION_PROPERTIES = {
    "ContinualPretrainingDerivation": JLLM.continuedPretrainingFrom,
    "FineTuning": JLLM.fineTunedFrom,
    "InstructionTuning": JLLM.fineTunedFrom,
    "PreferenceTuning": JLLM.preferenceTunedFrom,
    "Merge": JLLM.mergedFrom,
    "Quantization": JLLM.quantizedFrom,
    "Adapter": JLLM.adapterOf,
    "Upcycling": JLLM.upcycledFrom,
    "Distillation": JLLM.distilledFrom,
    "ChatVector": JLLM.chatVectorFrom,
    "Initialization": JLLM.initializedFrom,
    "UnspecifiedDerivation": PROV.wasDerivedFrom,
}



def _labels(entity: object) -> dict[str, str]:
    """Labels by language; ``""`` for a label without language (a name that is not translated).

    The curated entities differ (licences and datasets have ``labels``, developers and
    architectures a ``label``): whichever the entity has."""
    labels = getattr(entity, "labels", None) or {}
    found = {lang: label for lang, label in dict(labels).items() if label}
    single = getattr(entity, "label", None)
    if not found and single:
        found[""] = single
    return found


# How a derivation was read from its source: the concepts of jllm:DerivationMethodScheme
# (ontology/jllm.ttl), by local name. Every qualified derivation names one.
DERIVATION_METHODS = frozenset({
    "StatedInBaseModelCell",
    "StatedInTrainingDataProse",
    "ListedAsMergeParent",
    "NamedAsArchitectureComponent",
    "SiblingCheckpointNames",
    "ParentToldApartBySize",
    "ParentVariantToldByChildName",
    "BaseCheckpointInAdjacentRow",
    "ParentByRowOrder",
    "StatedInPaperProse",
    "PaperTable",
    "CuratedTable",
})


class Derivations:
    """Writes derivations: the specific property, ``prov:wasDerivedFrom``, and a qualified
    ``prov:Derivation`` node carrying the type, the source's own words it was read from
    (``jllm:evidence``), how they were read (``jllm:method``) and where.

    A parent the source names without telling several checkpoints apart is no derivation but a
    ``jllm:AmbiguousDerivation`` listing every candidate (:meth:`add_ambiguous`): no
    ``prov:wasDerivedFrom`` edge is invented for it. ``decided`` links it to the derivation of
    another source that names one of the candidates for the same child.
    """

    def __init__(self, sink: QuadSink) -> None:
        self.sink = sink
        self.count = 0
        # (child, parent) → the qualified derivation nodes stating that edge, in any source
        self.stated: dict[tuple[str, str], list[str]] = {}
        # node → what it was written with (type, evidence, location, method)
        self._written: dict[str, tuple[str, str, str, str]] = {}

    @staticmethod
    def _check(kind: str, method: str) -> None:
        if kind not in DERIVATION_PROPERTIES:
            raise ValueError(f"unknown derivation type {kind!r}")
        if method not in DERIVATION_METHODS:
            raise ValueError(f"unknown derivation method {method!r}")

    def _qualify(self, graph: str, node: str, kind: str, evidence: str, location: str,
                 method: str) -> None:
        add = self.sink.add
        add(graph, node, str(JLLM.derivationType), str(JLLM[kind]))
        add(graph, node, str(JLLM.evidence), text(evidence))
        add(graph, node, str(JLLM.method), str(JLLM[method]))
        add(graph, node, str(JLLM.sourceLocation), location)

    def _unique(self, node: str, statement: tuple[str, str, str, str]) -> str:
        """``node``, or when it already qualifies another statement of the same edge (the
        child in two rows of one source, in other words), a node named after this statement's
        location too: each qualified derivation keeps exactly one evidence and location."""
        written = self._written.setdefault(node, statement)
        if written == statement:
            return node
        location = statement[2]
        return self._unique(f"{node}-{slugify(location.rsplit('#', 1)[-1])}", statement)

    def add(self, graph: str, child: str, parent: str, kind: str, evidence: str,
            location: str, method: str) -> str:
        """Write one derivation; returns its qualified node."""
        self._check(kind, method)
        add = self.sink.add
        add(graph, child, str(DERIVATION_PROPERTIES[kind]), parent)
        add(graph, child, str(PROV.wasDerivedFrom), parent)
        source_slug = graph.rsplit("/", 1)[-1]
        node = self._unique(
            f"{child}#derivation-{slugify(parent.rsplit('/', 1)[-1])}-{kind}-{source_slug}",
            (kind, evidence, location, method))
        add(graph, child, str(PROV.qualifiedDerivation), node)
        add(graph, node, RDF_TYPE, str(PROV.Derivation))
        add(graph, node, str(PROV.entity), parent)
        self._qualify(graph, node, kind, evidence, location, method)
        nodes = self.stated.setdefault((child, parent), [])
        if node not in nodes:
            nodes.append(node)
        self.count += 1
        return node

    def add_ambiguous(self, graph: str, child: str, candidates: Sequence[str], kind: str,
                      evidence: str, location: str, method: str) -> str:
        """Write one ambiguous derivation (the parent is one of ``candidates``, the source
        does not say which); returns its node."""
        self._check(kind, method)
        if len(set(candidates)) < 2:
            raise ValueError(f"an ambiguous derivation of {child} needs two candidates")
        add = self.sink.add
        source_slug = graph.rsplit("/", 1)[-1]
        first = slugify(candidates[0].rsplit("/", 1)[-1])
        node = self._unique(f"{child}#ambiguous-derivation-{first}-{kind}-{source_slug}",
                            (kind, evidence, location, method))
        add(graph, child, str(JLLM.ambiguousDerivation), node)
        add(graph, node, RDF_TYPE, str(JLLM.AmbiguousDerivation))
        for candidate in candidates:
            add(graph, node, str(JLLM.candidate), candidate)
        self._qualify(graph, node, kind, evidence, location, method)
        return node

    def decided(self, graph: str, node: str, child: str,
                candidates: Sequence[str]) -> list[str]:
        """Link the ambiguous derivation ``node`` to the derivations (of any source) that
        state one of its ``candidates`` as a parent of ``child``; returns those parents."""
        parents = []
        for candidate in candidates:
            for derivation in self.stated.get((child, candidate), ()):
                self.sink.add(graph, node, str(JLLM.decidedBy), derivation)
                if candidate not in parents:
                    parents.append(candidate)
        return parents


@dataclass(frozen=True)
class _GenericLicence:
    """A generic licence a source states for a model, held until every source is mapped."""

    graph: str
    model: str
    licence: str  # the generic licence's IRI
    fact: LicenseFact
    uncertain: bool
    evidence: str
    location: str | None


class ModelLicences:
    """Writes the licences the sources state for models (``jllm:license``).

    A generic licence ("独自のライセンス", "research only": ``generic`` in ``licenses.yaml``)
    only says that the source did not name the licence. It is the model's ``jllm:license``
    unless a source of the ingest names a specific one for the same model, or a generic kind
    that ``narrows`` it ("research only" against "custom"); then that one is the model's
    licence and the source that said less says ``jllm:unnamedLicense`` instead, in its own
    graph. Each graph keeps what its source says, and the merge answers
    ``?model jllm:license ?licence`` with the most precise licence known. So generic
    statements wait for :meth:`finish`, called once every source is mapped.
    """

    def __init__(self, sink: QuadSink) -> None:
        self.sink = sink
        # model → the licences any source states for it, by key
        self._stated: dict[str, dict[str, LicenseFact]] = {}
        self._generic: list[_GenericLicence] = []

    def add(self, graph: str, model: str, licence: str, fact: LicenseFact, *,
            uncertain: bool = False, evidence: str = "", location: str | None = None) -> None:
        """``graph`` states that ``model`` is released under ``licence`` (the IRI of
        ``fact``); ``uncertain`` ("(?)") qualifies it with the ``evidence`` text."""
        self._stated.setdefault(model, {})[fact.key] = fact
        if fact.generic:
            self._generic.append(
                _GenericLicence(graph, model, licence, fact, uncertain, evidence, location))
        else:
            self._write(graph, model, licence, uncertain, evidence, location)

    def _write(self, graph: str, model: str, licence: str, uncertain: bool, evidence: str,
               location: str | None) -> None:
        add = self.sink.add
        add(graph, model, str(JLLM.license), licence)
        if not uncertain:
            return
        node = f"{model}#license-{slugify(licence.rsplit('/', 1)[-1])}"
        add(graph, model, str(JLLM.qualifiedLicense), node)
        add(graph, node, RDF_TYPE, str(JLLM.LicenseStatement))
        add(graph, node, str(JLLM.license), licence)
        add(graph, node, str(JLLM.uncertain), boolean(True))
        add(graph, node, str(JLLM.evidence), text(evidence))
        if location is not None:
            add(graph, node, str(JLLM.sourceLocation), location)

    def _said_better(self, statement: _GenericLicence) -> bool:
        """Whether some source states a licence of the model more precisely."""
        return any(not other.generic or statement.fact.key in other.narrows
                   for other in self._stated.get(statement.model, {}).values())

    def finish(self) -> None:
        """Write the generic statements held so far (call once every source is mapped)."""
        for statement in self._generic:
            if self._said_better(statement):
                # an uncertainty mark on a licence the source did not name qualifies nothing
                # the model has: the statement is only the unnamed kind
                self.sink.add(statement.graph, statement.model, str(JLLM.unnamedLicense),
                              statement.licence)
            else:
                self._write(statement.graph, statement.model, statement.licence,
                            statement.uncertain, statement.evidence, statement.location)
        self._generic.clear()


class Catalog:
    """Emits shared entities once and returns their IRIs."""

    def __init__(self, sink: QuadSink) -> None:
        self.sink = sink
        self._done: set[tuple[str, str]] = set()
        self.model_licences = ModelLicences(sink)
        self._describe_curated_graph()

    def _describe_curated_graph(self) -> None:
        """The curated graph is a source too: the project's own hand-maintained tables."""
        add = self.sink.add
        add(CURATED_GRAPH, CURATED_GRAPH, RDF_TYPE, str(JLLM.SourceDocument))
        add(CURATED_GRAPH, CURATED_GRAPH, RDFS_LABEL, text("jllm-kg curated data", "en"))
        add(CURATED_GRAPH, CURATED_GRAPH, str(DCTERMS.description), text(
            "Hand-maintained tables of jllm-kg (data/curated/): licenses, developers, foreign "
            "base models, datasets, architectures and benchmarks, with their aliases.", "en"))
        # the tables carry labels in the list's three languages
        for language in ("en", "ja", "fr"):
            add(CURATED_GRAPH, CURATED_GRAPH, str(DCTERMS.language), text(language))
        add(CURATED_GRAPH, CURATED_GRAPH, str(JLLM.sourceKind), text("curated"))

    def renamed_repository(self, iri: str, hf_id: str, listed_hf_id: str) -> None:
        """A model a source lists under a Hugging Face id that was renamed since
        (``data/curated/hf_renames.yaml``: cl-tohoku/… → tohoku-nlp/…): its current id and page
        go to the curated graph, which knows of the rename, next to the old id; the source's
        graph keeps the id it lists."""
        if not self._once(CURATED_GRAPH, f"{iri}#renamed-{listed_hf_id}"):
            return
        add = self.sink.add
        page = f"https://huggingface.co/{hf_id}"
        add(CURATED_GRAPH, iri, RDF_TYPE, str(JLLM.Model))
        add(CURATED_GRAPH, iri, str(JLLM.huggingFaceId), text(hf_id))
        add(CURATED_GRAPH, iri, str(SCHEMA.url), page)
        add(CURATED_GRAPH, iri, str(DCAT.landingPage), page)
        add(CURATED_GRAPH, iri, str(JLLM.formerHuggingFaceId), text(listed_hf_id))

    def _once(self, graph: str, iri: str) -> bool:
        key = (graph, iri)
        if key in self._done:
            return False
        self._done.add(key)
        return True

    def _describe(self, graph: str, iri: str, rdf_class: str, entity: object,
                  label_as_written: str | None, lang: str) -> None:
        """Type + labels: curated labels in the curated graph, else the label as written."""
        curated = bool(getattr(entity, "curated", True))
        target = CURATED_GRAPH if curated else graph
        if not self._once(target, iri):
            return
        self.sink.add(target, iri, RDF_TYPE, rdf_class)
        labels = _labels(entity) if curated else {}
        for label_lang, label in sorted(labels.items()):
            tag = None if label_lang in ("", "und", "none") else label_lang
            self.sink.add(target, iri, RDFS_LABEL, text(label, tag))
        if not labels and label_as_written:
            self.sink.add(target, iri, RDFS_LABEL, text(label_as_written, lang))
        url = getattr(entity, "url", None)
        if url:
            self.sink.add(target, iri, str(SCHEMA.url), url)

    # -- sources ---------------------------------------------------------------------------

    def source_document(self, source: SourceDocument, graph: str) -> None:
        """The source describes itself in its own graph: its identity (series, version,
        upstream file and commit), its title, and what is curated about it (sources.yaml)."""
        add = self.sink.add
        identity = source.identity
        add(graph, graph, RDF_TYPE, str(JLLM.SourceDocument))
        if identity is not None:
            add(graph, graph, RDFS_LABEL, text(identity.label, "en"))
            if source.title:
                add(graph, graph, str(DCTERMS.title), text(source.title, source.language))
        else:
            add(graph, graph, RDFS_LABEL, text(source.title, source.language))
        add(graph, graph, str(DCTERMS.language), text(source.language))
        add(graph, graph, str(JLLM.sha256), text(source.sha256))
        add(graph, graph, str(JLLM.fileName), text(source.path))
        add(graph, graph, str(JLLM.sourceKind), text(source.kind))
        for included in source.includes:
            add(graph, graph, str(JLLM.includedFile), text(included))
        if identity is not None:
            self._source_version(identity, graph)
        entry = load_table("sources.yaml", SourcesFile).sources.get(source.sha256)
        if entry is not None:
            add(graph, graph, str(DCTERMS.description), text(entry.description))
            if entry.url and (identity is None or identity.url is None):
                add(graph, graph, str(SCHEMA.url), entry.url)
            if entry.former_slug:
                # The graph was named after the seed's file before sources were identified
                # by version: the old IRI leads to the new one.
                add(graph, graph, str(DCTERMS.replaces), resource_iri("source", entry.former_slug))

    def _source_version(self, identity: SourceVersion, graph: str) -> None:
        add = self.sink.add
        self.sink.source_versions[graph] = identity
        add(graph, graph, str(JLLM.contentSha256), text(identity.content_hash))
        series = resource_iri("source", identity.series_slug)
        add(graph, graph, str(DCTERMS.isVersionOf), series)
        add(graph, series, RDF_TYPE, str(JLLM.SourceSeries))
        add(graph, series, RDFS_LABEL, text(identity.series_label, "en"))
        if identity.repository is not None:
            add(graph, series, str(SCHEMA.url), identity.repository)
        upstream = load_table("sources.yaml", SourcesFile).upstream
        if identity.kind == "list" and identity.series == upstream.series and upstream.license:
            # the list's licence covers every version of it, each language, a copy (a seed)
            add(graph, graph, str(DCTERMS.license), upstream.license)
            add(graph, series, str(DCTERMS.license), upstream.license)
        if identity.path is not None:
            add(graph, graph, str(JLLM.upstreamPath), text(identity.path))
        if identity.commit is not None:
            add(graph, graph, str(JLLM.upstreamCommit), text(identity.commit))
        if identity.date is not None:
            datatype = XSD.dateTime if "T" in identity.date else XSD.date
            add(graph, graph, str(DCTERMS.date), typed(identity.date, str(datatype)))
        if identity.url is not None:
            add(graph, graph, str(SCHEMA.url), identity.url)

    # -- shared entities ---------------------------------------------------------------------

    def license(self, fact: LicenseFact, graph: str, lang: str) -> str:
        iri = resource_iri("license", fact.key)
        label = next(iter(_labels(fact).values()), None)
        self._describe(graph, iri, str(JLLM.License), fact, label, lang)
        if getattr(fact, "curated", True) and self._once(CURATED_GRAPH, iri + "#facts"):
            add = self.sink.add
            if fact.spdx_id:
                add(CURATED_GRAPH, iri, str(JLLM.spdxId), text(fact.spdx_id))
                add(CURATED_GRAPH, iri, str(OWL.sameAs), f"http://spdx.org/licenses/{fact.spdx_id}")
            if fact.allows_commercial_use is not None:
                add(CURATED_GRAPH, iri, str(JLLM.allowsCommercialUse),
                    boolean(fact.allows_commercial_use))
            if fact.generic:
                add(CURATED_GRAPH, iri, str(JLLM.generic), boolean(True))
        return iri

    def developer(self, reference: DeveloperRef | Developer, graph: str, lang: str) -> str:
        developer: Developer
        written: str | None
        if isinstance(reference, DeveloperRef):
            developer, written = reference.developer, reference.text or None
        else:  # a curated developer another curated entry names: its labels describe it
            developer, written = reference, None
        kind = "person" if developer.kind == "person" else "org"
        iri = resource_iri(kind, developer.key)
        rdf_class = JLLM.Person if kind == "person" else JLLM.Organization
        self._describe(graph, iri, str(rdf_class), developer, written, lang)
        parent = developer.parent
        if parent and developer.curated:
            self.sink.add(CURATED_GRAPH, iri, str(SCHEMA.parentOrganization),
                          resource_iri("org", parent))
        return iri

    def architecture(self, reference: ArchitectureRef | Architecture, graph: str,
                     lang: str) -> str:
        architecture: Architecture
        written: str | None
        if isinstance(reference, ArchitectureRef):
            architecture, written = reference.architecture, reference.text or None
        else:
            architecture, written = reference, reference.label
        iri = resource_iri("architecture", architecture.key)
        self._describe(graph, iri, str(JLLM.Architecture), architecture, written, lang)
        if architecture.curated and self._once(CURATED_GRAPH, iri + "#facts"):
            if architecture.broader:
                broader = architecture_catalogue()[architecture.broader]
                self.sink.add(CURATED_GRAPH, iri, str(JLLM.broaderArchitecture),
                              self.architecture(broader, CURATED_GRAPH, "en"))
            if architecture.generic:
                self.sink.add(CURATED_GRAPH, iri, str(JLLM.generic), boolean(True))
        return iri

    def dataset(self, mention: DatasetMention, graph: str, lang: str) -> str:
        iri = resource_iri("dataset", mention.key)
        entry = dataset_catalogue().get(mention.key) if mention.curated else None
        if entry is not None:
            # a dataset that is also a benchmark (CSJ) is typed jllm:Benchmark (⊑ jllm:Dataset)
            rdf_class = JLLM.Benchmark if entry.key in _benchmark_datasets() else JLLM.Dataset
            self._describe(graph, iri, str(rdf_class), entry, mention.label, lang)
            if entry.hf and self._once(CURATED_GRAPH, iri + "#hf"):
                self.sink.add(CURATED_GRAPH, iri, str(JLLM.huggingFaceId), text(entry.hf))
        else:
            self._describe(graph, iri, str(JLLM.Dataset), _Uncurated(), mention.label, lang)
        if mention.url:
            self.sink.add(graph, iri, str(SCHEMA.url), mention.url)
        return iri

    def foreign_model(self, label: str, size: str | None) -> str | None:
        model = resolve_foreign_model(label, size)
        if model is None:
            return None
        hf_id = getattr(model, "hf_id", None)
        iri = hf_model_iri(hf_id) if hf_id else resource_iri("model", model.key)
        if self._once(CURATED_GRAPH, iri):
            add = self.sink.add
            add(CURATED_GRAPH, iri, RDF_TYPE, str(JLLM.Model))
            for label_lang, value in sorted(_labels(model).items()) or [("", model.label)]:
                add(CURATED_GRAPH, iri, RDFS_LABEL, text(value, label_lang or None))
            if hf_id:
                add(CURATED_GRAPH, iri, str(JLLM.huggingFaceId), text(hf_id))
                add(CURATED_GRAPH, iri, str(SCHEMA.url), f"https://huggingface.co/{hf_id}")
                add(CURATED_GRAPH, iri, str(DCAT.landingPage), f"https://huggingface.co/{hf_id}")
            for former in model.former_slugs:
                add(CURATED_GRAPH, iri, str(DCTERMS.replaces), resource_iri("model", former))
            if getattr(model, "parameters", None):
                # via str: the catalogue's floats must not leak binary rounding into xsd:decimal
                add(CURATED_GRAPH, iri, str(JLLM.parameterCount),
                    decimal(Decimal(str(model.parameters))))
            if model.developer:
                developer = _catalogued(developer_catalogue(), model.developer,
                                        f"foreign_models.yaml: {model.key}", "developer")
                add(CURATED_GRAPH, iri, str(JLLM.developer),
                    self.developer(developer, CURATED_GRAPH, "en"))
            if model.architecture:
                architecture = _catalogued(architecture_catalogue(), model.architecture,
                                           f"foreign_models.yaml: {model.key}", "architecture")
                add(CURATED_GRAPH, iri, str(JLLM.architecture),
                    self.architecture(architecture, CURATED_GRAPH, "en"))
            if model.family:
                # the catalogue rejects a model whose family it does not list
                family = foreign_family_catalogue()[model.family]
                add(CURATED_GRAPH, iri, str(JLLM.family), self.foreign_family(family))
            add(CURATED_GRAPH, iri, str(JLLM.foreignModel), boolean(True))
        return iri

    def foreign_family(self, family: ForeignFamily) -> str:
        """A curated foreign model family (Llama 2, Qwen2.5 …) in the curated graph."""
        iri = resource_iri("family", family.key)
        if self._once(CURATED_GRAPH, iri):
            self.sink.add(CURATED_GRAPH, iri, RDF_TYPE, str(JLLM.ModelFamily))
            self.sink.add(CURATED_GRAPH, iri, RDFS_LABEL, text(family.label))
        return iri

    def mentioned_model(self, label: str, size: str | None, graph: str, lang: str,
                        written: str | None = None) -> str:
        """A model named as a parent that no row or curated table knows: kept as a label (the
        node is named after ``label``, its canonical name; labelled as ``written``)."""
        iri = resource_iri("model", slugify(label))
        if self._once(graph, iri):
            self.sink.add(graph, iri, RDF_TYPE, str(JLLM.Model))
            self.sink.add(graph, iri, RDFS_LABEL, text(written or label))
        return iri

    # -- benchmarks and papers ---------------------------------------------------------------

    def curated_benchmark(self, fact: BenchmarkFact) -> str:
        """A curated benchmark in the curated graph: labels, URL, developer and the suite it is
        part of (a JGLUE task ``dcterms:isPartOf`` JGLUE). A benchmark that is a curated dataset
        (the CSJ corpus, trained on and evaluated on) is that dataset's node, typed both."""
        if fact.dataset:
            entry = _catalogued(dataset_catalogue(), fact.dataset, f"benchmarks.yaml: {fact.key}",
                                "dataset")
            iri = self.dataset(DatasetMention(entry.labels["en"], entry.key, curated=True),
                               CURATED_GRAPH, "en")
        else:
            iri = resource_iri("benchmark", fact.key)
            self._describe(CURATED_GRAPH, iri, str(JLLM.Benchmark), fact, None, "en")
        if self._once(CURATED_GRAPH, iri + "#facts"):
            if fact.developer:
                developer = _catalogued(developer_catalogue(), fact.developer,
                                        f"benchmarks.yaml: {fact.key}", "developer")
                self.sink.add(CURATED_GRAPH, iri, str(JLLM.developer),
                              self.developer(developer, CURATED_GRAPH, "en"))
            suite = benchmark_catalogue().get(fact.part_of) if fact.part_of else None
            if suite is not None:
                self.sink.add(CURATED_GRAPH, iri, str(DCTERMS.isPartOf),
                              self.curated_benchmark(suite))
        return iri

    def benchmark(self, label: str, graph: str, lang: str, location: str) -> str:
        """The benchmark a source names (curated when known, else minted from the label), with
        the label as written and where it was read."""
        fact = resolve_benchmark(label)
        iri = (self.curated_benchmark(fact) if fact is not None
               else resource_iri("benchmark", slugify(label)))
        add = self.sink.add
        add(graph, iri, RDF_TYPE, str(JLLM.Benchmark))
        add(graph, iri, RDFS_LABEL, text(label, lang))
        add(graph, iri, str(JLLM.sourceLocation), location)
        return iri

    def _benchmark(self, label: str, url: str | None, graph: str, lang: str,
                   description: str | None, developer_text: str | None, location: str) -> str:
        iri = self.benchmark(label, graph, lang, location)
        add = self.sink.add
        if url:
            add(graph, iri, str(SCHEMA.url), url)
        if description:
            add(graph, iri, str(SCHEMA.description), text(description, lang))
        if developer_text:
            for reference in parse_developer_cell(developer_text):
                add(graph, iri, str(JLLM.developer), self.developer(reference, graph, lang))
        return iri

    def benchmark_row(self, row: BenchmarkRow, graph: str, lang: str) -> str:
        description = row.row.cells.get("description")
        developer = row.row.cells.get("developer")
        iri = self._benchmark(
            row.label, row.url, graph, lang,
            description.text if description is not None and not description.is_empty else None,
            " ".join(line.text for line in developer.lines) if developer is not None else None,
            source_location(self.sink, graph, row.row.line, row.row.origin),
        )
        self.sink.add(graph, iri, str(JLLM.section), text(row.category))
        return iri

    def benchmark_bullet(self, bullet: BenchmarkBullet, graph: str, lang: str) -> str:
        return self._benchmark(bullet.label, bullet.url, graph, lang, bullet.description or None,
                               bullet.developer, source_location(self.sink, graph, bullet.line))

    def reference_row(self, row: ReferenceRow, graph: str, lang: str, index: ModelIndex) -> str:
        arxiv = arxiv_id(row.url)
        slug = f"arxiv-{arxiv}" if arxiv else slugify(row.title)
        iri = resource_iri("paper", slug)
        add = self.sink.add
        add(graph, iri, RDF_TYPE, str(JLLM.Paper))
        add(graph, iri, RDFS_LABEL, text(row.title))
        add(graph, iri, str(JLLM.sourceLocation),
            source_location(self.sink, graph, row.row.line, row.row.origin))
        if arxiv:
            add(graph, iri, str(JLLM.arxivId), text(arxiv))
        if row.url:
            add(graph, iri, str(SCHEMA.url), row.url)
        if row.venue:
            add(graph, iri, str(JLLM.venue), text(row.venue))
        date = parse_reference_date(row.date)
        if date is not None:
            value, precision = date
            add(graph, iri, str(SCHEMA.datePublished), typed(value, str(XSD[precision])))
        for subject in row.subjects:
            add(graph, iri, str(SCHEMA.about), text(subject))
            self._link_subject(subject, iri, graph, lang, index)
        return iri

    def _link_subject(self, subject: str, paper: str, graph: str, lang: str,
                      index: ModelIndex) -> None:
        for entry in index.entries_for(subject) or index.series_entries(subject):
            self.sink.add(graph, entry.family, str(JLLM.paper), paper)
        family = resolve_foreign_family(subject)
        if family is not None:
            self.sink.add(graph, self.foreign_family(family), str(JLLM.paper), paper)
        for reference in parse_architecture_cell(subject):
            architecture = reference.architecture
            # "Llama 2", "Code Llama" are families with a paper of their own, not the paper of
            # the Llama architecture; "LLaMA", "GPT-NeoX", "Qwen" name both
            names_it = match_key(subject) in {match_key(architecture.label),
                                              match_key(architecture.key)}
            if architecture.curated and (family is None or names_it):
                self.sink.add(graph, self.architecture(reference, graph, lang), str(JLLM.paper),
                              paper)


@cache
def _benchmark_datasets() -> frozenset[str]:
    """Keys of the curated datasets that a curated benchmark is (benchmarks.yaml "dataset")."""
    return frozenset(fact.dataset for fact in benchmark_catalogue().values() if fact.dataset)


EntryT = TypeVar("EntryT")


def _catalogued(table: Mapping[str, EntryT], key: str, owner: str, what: str) -> EntryT:
    """The entry ``key`` of the curated ``{what}s.yaml`` that another curated entry
    (``owner``) refers to; an error naming both when it is missing."""
    entry = table.get(key)
    if entry is None:
        raise ValueError(f"{owner}: {what} {key!r} is not in {what}s.yaml")
    return entry


class _Uncurated:
    """An entity no curated table knows: only the label as written describes it."""

    curated = False


__all__ = ["CURATED_GRAPH", "DERIVATION_METHODS", "DERIVATION_PROPERTIES", "Catalog", "Derivations"]
