"""Map a paper's records (:class:`~jllm_kg.ingest.paper_records.PaperDocument`) to RDF.

Everything goes to the paper's own named graph (``…/id/source/{slug}``), so where the paper and
the list disagree (4B vs 3.8b, April 2021 vs a row year 2023) both statements stay, each with
its source; nothing is reconciled here. Shared entities (licences, developers, datasets) go
through :class:`~jllm_kg.map.catalog.Catalog`, so the paper's "LLAMA 2 Community" is the same
License node as the list's "Llama 2 Community License".

IRIs beyond the vocabulary contract (all deterministic, no blank nodes):
- the paper: ``…/id/paper/arxiv-{arXiv id}`` (as the list's reference rows); its source
  document ``dcterms:isFormatOf`` it (the converted text is a format of the paper);
- authors: ``…/id/person/{slug of the name}``, ``schema:author``; the author order is kept in
  ``schema:creditText`` ("Kei Sawada, Tianyu Zhao, …");
- a model without a Hugging Face id: ``…/id/model/{slug of the label}``
  (``meta/llama2-7b`` → ``…/model/meta-llama2-7b``); an alias resolved by the paper is the
  real repo's node with the alias as ``skos:altLabel``;
- an evaluation result: ``…/id/eval/{model slug}--{benchmark key}--{metric}--{setting}
  [--{evaluation set}]--{paper}``; the reporting paper is part of the slug so that two papers
  reporting the same model × benchmark × metric × setting never merge into one node.
"""

from __future__ import annotations

from collections.abc import Collection, Mapping
from decimal import Decimal
from functools import cache
from typing import Final

from jllm_kg.curated import load_table
from jllm_kg.curated.schemas import PaperGroupsFile
from jllm_kg.ingest.paper_records import (
    EvaluationRecord,
    LineageStatement,
    ModelRef,
    PaperDocument,
    PaperModelFact,
    TrainingDataStatement,
)
from jllm_kg.map.catalog import (
    CURATED_GRAPH,
    MODALITY_CONCEPTS,
    PHASE_PROPERTIES,
    Catalog,
    Derivations,
)
from jllm_kg.map.graph import (
    RDF_TYPE,
    RDFS_COMMENT,
    RDFS_LABEL,
    QuadSink,
    Term,
    decimal,
    source_location,
    text,
    typed,
)
from jllm_kg.map.identity import canonical_hf_id, hf_model_iri
from jllm_kg.normalize.base_models import resolve_foreign_model
from jllm_kg.normalize.benchmarks import resolve_benchmark
from jllm_kg.normalize.datasets import DatasetMention, resolve_dataset
from jllm_kg.normalize.dates import parse_month_year
from jllm_kg.normalize.developers import DeveloperRef, lookup_developer
from jllm_kg.normalize.labels import is_description
from jllm_kg.normalize.licenses import resolve_license
from jllm_kg.normalize.quantities import parse_parameter_size
from jllm_kg.vocab import (
    DCAT,
    DCTERMS,
    JLLM,
    SCHEMA,
    SKOS,
    hf_slug,
    resource_iri,
    slugify,
)

# Datatype IRIs as strings: importing rdflib's closed XSD namespace into this module makes
# pytest's doctest collection warn about unknown attributes.
XSD_DATE: Final = "http://www.w3.org/2001/XMLSchema#date"
XSD_GYEAR: Final = "http://www.w3.org/2001/XMLSchema#gYear"
XSD_GYEARMONTH: Final = "http://www.w3.org/2001/XMLSchema#gYearMonth"


@cache
def _group_modalities() -> dict[str, str]:
    """The papers' model groups that name one modality (``data/curated/paper_groups.yaml``),
    by case-folded group name."""
    groups = load_table("paper_groups.yaml", PaperGroupsFile).group_modalities
    return {group.casefold(): modality for group, modality in groups.items()}


class PaperMappingError(ValueError):
    """A paper record cannot be mapped (a malformed date, size or score); names file and line."""


def model_iri(ref: ModelRef) -> str:
    """A repo id's node (after known org renames), the curated model a baseline's name is an
    alias of ("meta/llama2-7b" → meta-llama/Llama-2-7b-hf, foreign_models.yaml), else the node
    of the label as written."""
    if ref.hf_id:
        return hf_model_iri(ref.hf_id)
    foreign = resolve_foreign_model(ref.written, None)
    if foreign is not None:
        return hf_model_iri(foreign.hf_id) if foreign.hf_id else resource_iri("model", foreign.key)
    return resource_iri("model", slugify(ref.written))


def paper_iri(doc: PaperDocument) -> str:
    metadata = doc.metadata
    slug = f"arxiv-{metadata.arxiv_id}" if metadata.arxiv_id else slugify(metadata.title)
    return resource_iri("paper", slug)


def _model_slug(ref: ModelRef) -> str:
    return hf_slug(canonical_hf_id(ref.hf_id)) if ref.hf_id else slugify(ref.written)


def benchmark_key(label: str) -> str:
    fact = resolve_benchmark(label)
    return fact.key if fact is not None else slugify(label)


def evaluation_iri(record: EvaluationRecord, paper_slug: str) -> str:
    """Deterministic IRI of one reported score (see the module docstring)."""
    parts = [_model_slug(record.model), benchmark_key(record.benchmark), slugify(record.metric)]
    if record.setting:
        parts.append(slugify(record.setting))
    if record.evaluation_set:
        parts.append(slugify(record.evaluation_set))
    parts.append(paper_slug)
    return resource_iri("eval", "--".join(parts))


def setting_text(record: EvaluationRecord) -> str | None:
    """The setting literal: the setting, with the tasks and shots an average is taken over."""
    if not record.tasks:
        return record.setting
    tasks = ", ".join(
        f"{task.name} {task.shots}-shot" if task.shots is not None else task.name
        for task in record.tasks
    )
    return f"{record.setting}: {tasks}" if record.setting else tasks


def _dataset(label: str) -> DatasetMention:
    """A dataset the paper names, as ``Catalog.dataset`` wants it (no link of its own: a
    curated dataset's URL is the catalogue's)."""
    entry = resolve_dataset(label)
    if entry is None:
        return DatasetMention(label, slugify(label))
    return DatasetMention(label, entry.key, curated=True)


class PaperMapper:
    """Maps one paper into its source graph."""

    def __init__(self, doc: PaperDocument, sink: QuadSink, catalog: Catalog,
                 families: Mapping[str, Collection[str]]) -> None:
        self.doc = doc
        self.families = families
        self.sink = sink
        self.catalog = catalog
        self.derivations = Derivations(sink)
        self.graph = resource_iri("source", doc.source.slug)
        self.lang = doc.source.language
        self.paper = paper_iri(doc)
        self.paper_slug = self.paper.rsplit("/", 1)[-1]
        self.organization: str | None = None
        self._models: set[str] = set()

    def add(self, subject: str, predicate: str, obj: Term | str) -> None:
        value = obj if isinstance(obj, Term) else str(obj)
        self.sink.add(self.graph, subject, str(predicate), value)

    def location(self, line: int) -> str:
        return source_location(self.sink, self.graph, line)

    # -- the paper --------------------------------------------------------------------------

    def map(self) -> None:
        self.catalog.source_document(self.doc.source, self.graph)
        self.add(self.graph, DCTERMS.isFormatOf, self.paper)
        self.map_paper_node()
        for ref in self.doc.released:
            self.model(ref)
            self.add(model_iri(ref), JLLM.paper, self.paper)
            # the paper describes the series it releases a checkpoint of
            for family in sorted(self.families.get(model_iri(ref), ())):
                self.add(family, JLLM.paper, self.paper)
            self.add(model_iri(ref), JLLM.availability, JLLM.OpenWeights)
        for fact in self.doc.model_facts:
            self.map_model_fact(fact)
        for record in self.doc.results:
            self.map_result(record)
        for statement in self.doc.lineage:
            self.map_lineage(statement)
        for data in self.doc.training_data:
            self.map_training_data(data)

    def map_paper_node(self) -> None:
        metadata = self.doc.metadata
        paper = self.paper
        self.add(paper, RDF_TYPE, JLLM.Paper)
        self.add(paper, RDFS_LABEL, text(metadata.title, self.lang))
        # Facts the text does not state come from the curated record (papers.yaml): they live
        # in the curated graph, with where they come from.
        graph = CURATED_GRAPH if metadata.metadata_origin else self.graph

        def record(predicate: str, value: Term | str) -> None:
            self.sink.add(graph, paper, str(predicate), value)

        if metadata.arxiv_id:
            record(JLLM.arxivId, text(metadata.arxiv_id))
        if metadata.venue:
            record(JLLM.venue, text(metadata.venue))
        if metadata.url:
            record(SCHEMA.url, metadata.url)
        if metadata.date_published:
            record(JLLM.publicationDate, typed(metadata.date_published, XSD_DATE))
        elif metadata.year:
            record(JLLM.publicationDate, typed(f"{metadata.year:04d}", XSD_GYEAR))
        if metadata.metadata_origin:
            record(RDF_TYPE, JLLM.Paper)
            record(RDFS_COMMENT, text(f"Bibliographic facts from: {metadata.metadata_origin}",
                                      "en"))
        organizations = [self.affiliation(a) for a in metadata.affiliations]
        for organization in organizations:
            self.add(paper, SCHEMA.sourceOrganization, organization)
        self.organization = organizations[0] if len(organizations) == 1 else None
        if metadata.authors:
            self.add(paper, SCHEMA.creditText,
                     text(", ".join(person.name for person in metadata.authors)))
        for person in metadata.authors:
            iri = self.person(person.name)
            self.add(paper, SCHEMA.author, iri)
            if person.affiliation_index is not None:
                self.add(iri, SCHEMA.affiliation, organizations[person.affiliation_index])

    def affiliation(self, written: str) -> str:
        """The organisation of an affiliation line: its longest comma-prefix a catalogue knows
        ("rinna Co., Ltd., Tokyo, Japan" → "rinna Co., Ltd." → rinna), else the first part."""
        parts = [part.strip() for part in written.split(",")]
        for end in range(len(parts), 0, -1):
            developer = lookup_developer(", ".join(parts[:end]))
            if developer is not None and developer.kind == "org":
                reference = DeveloperRef(developer, ", ".join(parts[:end]))
                return self.catalog.developer(reference, self.graph, self.lang)
        iri = resource_iri("org", slugify(parts[0]))
        self.add(iri, RDF_TYPE, JLLM.Organization)
        self.add(iri, RDFS_LABEL, text(parts[0]))
        return iri

    def person(self, name: str) -> str:
        developer = lookup_developer(name)
        if developer is not None and developer.kind == "person":
            return self.catalog.developer(DeveloperRef(developer, name), self.graph, self.lang)
        iri = resource_iri("person", slugify(name))
        self.add(iri, RDF_TYPE, JLLM.Person)
        self.add(iri, RDFS_LABEL, text(name))
        return iri

    # -- models -----------------------------------------------------------------------------

    def model(self, ref: ModelRef) -> str:
        """The node of a model reference, described once per paper."""
        iri = model_iri(ref)
        if not ref.hf_id and self.catalog.foreign_model(ref.written, None) == iri:
            # a baseline the paper names by a shorthand of its own ("meta/llama2-7b"): the
            # curated model, with the paper's name for it
            self.add(iri, RDF_TYPE, JLLM.Model)
            self.add(iri, SKOS.altLabel, text(ref.written))
            return iri
        if iri in self._models:
            if ref.kind == "alias":
                self.add(iri, SKOS.altLabel, text(ref.written))
            return iri
        self._models.add(iri)
        self.add(iri, RDF_TYPE, JLLM.Model)
        if ref.hf_id:
            canonical = canonical_hf_id(ref.hf_id)
            self.add(iri, RDFS_LABEL, text(canonical.partition("/")[2]))
            # the paper's id as written; a rename since is the curated graph's
            if canonical != ref.hf_id:
                self.add(iri, JLLM.formerHuggingFaceId, text(ref.hf_id))
                self.catalog.renamed_repository(iri, canonical, ref.hf_id)
            else:
                self.add(iri, JLLM.huggingFaceId, text(canonical))
            page = f"https://huggingface.co/{ref.hf_id}"
            self.add(iri, SCHEMA.url, page)
            self.add(iri, DCAT.landingPage, page)
            if ref.kind == "alias":
                self.add(iri, SKOS.altLabel, text(ref.written))
        else:
            self.add(iri, RDFS_LABEL, text(ref.written))
        # "rinna/…" names a model of the authors' organisation even when it is no repo id.
        org = ref.written.partition("/")[0] if "/" in ref.written else None
        if self.organization and org in self.doc.released_orgs:
            self.add(iri, JLLM.developer, self.organization)
        return iri

    def map_model_fact(self, fact: PaperModelFact) -> None:
        iri = self.model(fact.model)
        where = f"{self.doc.source.path}:{fact.line}"
        self.add(iri, JLLM.sourceLocation, self.location(fact.line))
        if fact.license:
            licence = resolve_license(fact.license)
            if licence is not None:
                self.catalog.model_licences.add(
                    self.graph, iri, self.catalog.license(licence, self.graph, self.lang), licence)
        if fact.release_date:
            month = parse_month_year(fact.release_date)
            if month is None:
                raise PaperMappingError(f"{where}: not a release month: {fact.release_date!r}")
            self.add(iri, JLLM.releaseDate, typed(month, XSD_GYEARMONTH))
        if fact.size:
            size = parse_parameter_size(fact.size)
            if size is None or size.value is None:
                raise PaperMappingError(f"{where}: not a parameter count: {fact.size!r}")
            self.add(iri, JLLM.parameterCount, decimal(size.value))
        modality = _group_modalities().get(fact.group.casefold())
        if modality is not None:
            self.add(iri, JLLM.modality, MODALITY_CONCEPTS[modality])

    # -- results ----------------------------------------------------------------------------

    def benchmark(self, label: str, line: int) -> str:
        return self.catalog.benchmark(label, self.graph, self.lang, self.location(line))

    def map_result(self, record: EvaluationRecord) -> None:
        try:
            score = Decimal(record.score_text)
        except ArithmeticError as error:
            raise PaperMappingError(
                f"{self.doc.source.path}:{record.line}: not a score: {record.score_text!r}"
            ) from error
        iri = evaluation_iri(record, self.paper_slug)
        model = self.model(record.model)
        self.add(iri, RDF_TYPE, JLLM.EvaluationResult)
        self.add(iri, JLLM.model, model)
        benchmark = self.benchmark(record.benchmark, record.line)
        self.add(iri, JLLM.benchmark, benchmark)
        # the paper names the tasks its average is taken over: parts of the benchmark
        for task in record.tasks:
            task_iri = self.benchmark(task.name, task.line or record.line)
            self.add(benchmark, DCTERMS.hasPart, task_iri)
        self.add(iri, JLLM.metric, text(record.metric))
        self.add(iri, JLLM.score, decimal(score))
        setting = setting_text(record)
        if setting:
            self.add(iri, JLLM.setting, text(setting))
        if record.evaluation_set:
            self.add(iri, JLLM.setting, text(record.evaluation_set))
        self.add(iri, JLLM.source, self.graph)
        self.add(iri, JLLM.sourceLocation, self.location(record.line))
        qualifiers = ", ".join(q for q in (record.setting, record.evaluation_set) if q)
        label = f"{record.model.written}: {record.benchmark}, {record.metric}"
        label += f" ({qualifiers})" if qualifiers else ""
        self.add(iri, RDFS_LABEL, text(f"{label} = {record.score_text}", self.lang))

    # -- lineage and training data ----------------------------------------------------------

    def map_lineage(self, statement: LineageStatement) -> None:
        if statement.parent.hf_id is None and is_description(statement.parent.written):
            # "12-layer 16×16-patch-size AugReg Vision Transformer" describes the parent, it
            # does not name one: no model node, the sentence stays a note on the child
            self.add(self.model(statement.child), SKOS.note, text(statement.evidence, self.lang))
            return
        child = self.model(statement.child)
        parent = self.model(statement.parent)
        location = self.location(statement.line)
        node = self.derivations.add(self.graph, child, parent, statement.relation,
                                    statement.evidence, location, statement.method)
        self.add(node, JLLM.source, self.graph)

    def map_training_data(self, statement: TrainingDataStatement) -> None:
        phase_property = PHASE_PROPERTIES.get(statement.phase)
        # the sentence that states the data is where the model's training facts are read
        # (004 L133 "we used CC12M …"), not only its table rows (audit S4, P2)
        for ref in statement.models:
            self.add(self.model(ref), JLLM.sourceLocation, self.location(statement.line))
        for label in statement.datasets:
            dataset = self.catalog.dataset(_dataset(label), self.graph, self.lang)
            for ref in statement.models:
                model = self.model(ref)
                self.add(model, JLLM.trainedOn, dataset)
                if phase_property is not None:
                    self.add(model, phase_property, dataset)


def map_paper(doc: PaperDocument, sink: QuadSink | None = None,
              catalog: Catalog | None = None,
              families: Mapping[str, Collection[str]] | None = None) -> QuadSink:
    """Add the paper's facts to ``sink`` (a new one when None) in the paper's source graph.

    ``catalog`` shares licence, developer and dataset nodes with the list mapper (it must write
    to the same sink; whoever made it calls ``catalog.model_licences.finish()`` once every
    source is mapped); a fresh one is made when None. ``families`` (model IRI → the IRIs of the
    list families it belongs to) lets the paper's ``jllm:paper`` link reach the families of the
    checkpoints it releases.
    """
    sink = sink if sink is not None else (catalog.sink if catalog is not None else QuadSink())
    alone = catalog is None
    if catalog is None:
        catalog = Catalog(sink)
    elif catalog.sink is not sink:
        raise ValueError("map_paper: the catalog writes to another sink")
    PaperMapper(doc, sink, catalog, families or {}).map()
    if alone:  # no other source will be mapped with this catalog: its licences stand
        catalog.model_licences.finish()
    return sink


__all__ = [
    "PaperMapper",
    "PaperMappingError",
    "benchmark_key",
    "evaluation_iri",
    "map_paper",
    "model_iri",
    "paper_iri",
    "setting_text",
]
