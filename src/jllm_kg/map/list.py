"""Map the list's records (one ``ListDocument`` per source) to RDF.

Each source's facts go to its own named graph; curated entities (licenses, developers, datasets,
foreign base models …) are emitted once into the curated graph by :class:`Catalog`. A model
carries its row's facts itself; per-variant values are matched to checkpoints by selector.
Lineage: siblings inside a row (by checkpoint names), the row's base cell, Japanese parents named
in the base cell or in training-data prose, and merge parents; every derivation is typed and
qualified with the text it was read from.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from jllm_kg.ingest.records import Cell, ListDocument, ModelRow
from jllm_kg.map import cells
from jllm_kg.map.catalog import MODALITY_CONCEPTS, PHASE_PROPERTIES, Catalog, Derivations
from jllm_kg.map.graph import (
    RDF_TYPE,
    RDFS_LABEL,
    QuadSink,
    boolean,
    decimal,
    integer,
    source_location,
    text,
    typed,
)
from jllm_kg.map.identity import ModelIndex, ModelNode, RowEntry
from jllm_kg.map.siblings import sibling_parents
from jllm_kg.normalize.architectures import architectures_of_checkpoint
from jllm_kg.normalize.base_models import resolve_model_alias
from jllm_kg.normalize.labels import (
    label_core,
    name_tokens,
    size_tokens,
    split_label_size,
    stages_of,
    trailing_qualifiers,
)
from jllm_kg.normalize.sizes import without_trailing_size
from jllm_kg.vocab import DCAT, JLLM, SCHEMA, XSD, resource_iri, slugify

APPROACH_CONCEPTS = {
    "scratch": JLLM.FromScratch,
    "continual": JLLM.ContinualPretraining,
    "post-training": JLLM.PostTrainingOnly,
    "merge": JLLM.ModelMerge,
}
# How a model of a row derives from the base model named in its base cell, by section.
BASE_DERIVATION = {
    "continual": "ContinualPretrainingDerivation",
    "post-training": "FineTuning",
    "merge": "Merge",
}
MENTION_DERIVATIONS = {
    "continual": "ContinualPretrainingDerivation",
    "fine-tune": "FineTuning",
    "upcycling": "Upcycling",
    "distillation-teacher": "Distillation",
    "chat-vector": "ChatVector",
    "merge": "Merge",
    "initialization": "Initialization",
}


@dataclass(frozen=True)
class UnresolvedParent:
    """A parent named in a row that no row, repo or curated model is: it became a bare
    labelled model node (``file`` is the source's file name)."""

    file: str
    line: int
    label: str

    def __str__(self) -> str:
        return f"{self.file}:{self.line} {self.label}"


def source_graph(doc_slug: str) -> str:
    return resource_iri("source", doc_slug)


@dataclass
class _RowContext:
    entry: RowEntry
    graph: str
    lang: str
    sink: QuadSink

    @property
    def row(self) -> ModelRow:
        return self.entry.row

    @property
    def models(self) -> list[ModelNode]:
        return self.entry.models

    def cell(self, key: str) -> Cell | None:
        return self.entry.row.row.cells.get(key)  # type: ignore[call-overload]

    def location(self) -> str:
        return source_location(self.sink, self.graph, self.entry.row.row.line)


class ListMapper:
    """Maps every row of every list source; shares one index so parents resolve across sources."""

    def __init__(self, index: ModelIndex, sink: QuadSink, catalog: Catalog) -> None:
        self.index = index
        self.sink = sink
        self.catalog = catalog
        self.derivations = Derivations(sink)
        self.unresolved_parents: list[UnresolvedParent] = []

    # -- documents --------------------------------------------------------------------------

    def map_document(self, doc: ListDocument) -> None:
        graph = source_graph(doc.source.slug)
        self.catalog.source_document(doc.source, graph)
        for entry in self.index.entries:
            if entry.doc is doc:
                self._map_row(_RowContext(entry, graph, doc.source.language, self.sink))
        for benchmark in doc.benchmarks:
            self.catalog.benchmark_row(benchmark, graph, doc.source.language)
        for bullet in doc.benchmark_bullets:
            self.catalog.benchmark_bullet(bullet, graph, doc.source.language)
        for reference in doc.references:
            self.catalog.reference_row(reference, graph, doc.source.language, self.index)

    # -- rows --------------------------------------------------------------------------------

    def _add(self, ctx: _RowContext, subject: str, predicate: str, obj: object) -> None:
        self.sink.add(ctx.graph, subject, predicate, obj)  # type: ignore[arg-type]

    def _map_row(self, ctx: _RowContext) -> None:
        row = ctx.row
        family = ctx.entry.family
        self._add(ctx, family, RDF_TYPE, str(JLLM.ModelFamily))
        self._add(ctx, family, RDFS_LABEL, text(row.label, ctx.lang))
        self._add(ctx, family, str(JLLM.sourceLocation), ctx.location())
        if row.url:
            self._add(ctx, family, str(SCHEMA.url), row.url)
        self._add(ctx, family, str(JLLM.section), text(row.row.section))
        for model in ctx.models:
            self._map_model_identity(ctx, model)
        self._map_category(ctx)
        self._map_year(ctx)
        self._map_developers(ctx)
        self._map_licenses(ctx)
        self._map_architecture(ctx)
        self._map_sizes(ctx)
        self._map_context(ctx)
        self._map_domain(ctx)
        mentions = self._map_training_data(ctx)
        self._map_lineage(ctx, mentions)

    def _map_model_identity(self, ctx: _RowContext, model: ModelNode) -> None:
        self._add(ctx, model.iri, RDF_TYPE, str(JLLM.Model))
        self._add(ctx, model.iri, str(JLLM.family), ctx.entry.family)
        self._add(ctx, model.iri, str(JLLM.sourceLocation), ctx.location())
        if model.hf_id:
            self._add(ctx, model.iri, RDFS_LABEL, text(model.name))
            self._add(ctx, model.iri, str(JLLM.huggingFaceId), text(model.hf_id))
            page = f"https://huggingface.co/{model.hf_id}"
            self._add(ctx, model.iri, str(SCHEMA.url), page)
            self._add(ctx, model.iri, str(DCAT.landingPage), page)
            if model.listed_hf_id and model.listed_hf_id != model.hf_id:
                self._add(ctx, model.iri, str(JLLM.formerHuggingFaceId), text(model.listed_hf_id))
        else:
            label = model.name if model.checkpoint is None else f"{ctx.row.label} {model.name}"
            self._add(ctx, model.iri, RDFS_LABEL, text(label, ctx.lang))
            url = model.checkpoint.url if model.checkpoint else ctx.row.url
            if url:
                self._add(ctx, model.iri, str(SCHEMA.url), url)

    def _map_category(self, ctx: _RowContext) -> None:
        category = ctx.row.category
        for model in ctx.models:
            self._add(ctx, model.iri, str(JLLM.modality), str(MODALITY_CONCEPTS[category.modality]))
            if category.approach in APPROACH_CONCEPTS:
                concept = APPROACH_CONCEPTS[category.approach]
                self._add(ctx, model.iri, str(JLLM.trainingApproach), str(concept))
            if category.approach == "api":
                self._add(ctx, model.iri, str(JLLM.availability), str(JLLM.APIOnly))
            elif model.hf_id:
                self._add(ctx, model.iri, str(JLLM.availability), str(JLLM.OpenWeights))
        platform = ctx.cell("platform")
        if platform is not None and not platform.is_empty:
            for model in ctx.models:
                self._add(ctx, model.iri, str(JLLM.platform), text(platform.text, ctx.lang))

    def _map_year(self, ctx: _RowContext) -> None:
        cell = ctx.cell("year")
        if cell is None:
            return
        year = cells.year(cell)
        if year is None:
            return
        released = typed(f"{year:04d}", str(XSD.gYear))
        for model in ctx.models:
            self._add(ctx, model.iri, str(JLLM.releaseDate), released)
        # a family spans checkpoints released at different times: its row year is only a year
        self._add(ctx, ctx.entry.family, str(JLLM.releaseYear), released)

    def _map_developers(self, ctx: _RowContext) -> None:
        cell = ctx.cell("developer")
        if cell is None or cell.is_empty:
            return
        for developer in cells.developers(cell):
            iri = self.catalog.developer(developer, ctx.graph, ctx.lang)
            self._add(ctx, ctx.entry.family, str(JLLM.developer), iri)
            for model in ctx.models:
                self._add(ctx, model.iri, str(JLLM.developer), iri)

    def _map_licenses(self, ctx: _RowContext) -> None:
        cell = ctx.cell("license")
        if cell is None or cell.is_empty:
            return
        statements = cells.licenses(cell)
        assigned = cells.assign(statements, ctx.models)
        for index, model in enumerate(ctx.models):
            for statement in assigned.get(index, ()):
                license_iri = self.catalog.license(statement.license, ctx.graph, ctx.lang)
                self._add(ctx, model.iri, str(JLLM.license), license_iri)
                if statement.uncertain:
                    node = f"{model.iri}#license-{_fragment(license_iri)}"
                    self._add(ctx, model.iri, str(JLLM.qualifiedLicense), node)
                    self._add(ctx, node, RDF_TYPE, str(JLLM.LicenseStatement))
                    self._add(ctx, node, str(JLLM.license), license_iri)
                    self._add(ctx, node, str(JLLM.uncertain), boolean(True))
                    self._add(ctx, node, str(JLLM.evidence), text(statement.text))
                    self._add(ctx, node, str(JLLM.sourceLocation), ctx.location())

    def _map_architecture(self, ctx: _RowContext) -> None:
        cell = ctx.cell("architecture")
        if cell is None or cell.is_empty:
            return
        references = cells.architectures(cell)
        for model in ctx.models:
            # a row without checkpoints is the model itself: all its alternatives stand
            chosen = (architectures_of_checkpoint(references, model.name)
                      if model.hf_id else references)
            for architecture in chosen:
                components = architecture.components
                # "microsoft/phi-4 + …siglip…" names components, not an architecture
                if architecture.architecture.curated or not components:
                    iri = self.catalog.architecture(architecture, ctx.graph, ctx.lang)
                    self._add(ctx, model.iri, str(JLLM.architecture), iri)
                # a VLM built from named models ("LLaVA (Llama-3.1-Swallow-70B-Instruct-v0.3
                # + Qwen2-VL-7B-Instruct)") is initialised from each one the graph knows
                for component in components:
                    for parent in self._resolve_parent(ctx, component, model, unknown=False):
                        self._derive(ctx, model, parent, "Initialization", cell.text)

    def _map_sizes(self, ctx: _RowContext) -> None:
        sizes = cells.model_sizes(ctx.row.row.cells, ctx.models)
        for index, model in enumerate(ctx.models):
            size = sizes.get(index)
            if size is None:
                continue
            if size.value is not None:
                self._add(ctx, model.iri, str(JLLM.parameterCount), decimal(size.value))
            if size.nominal is not None and size.actual is not None and size.nominal != size.actual:
                self._add(ctx, model.iri, str(JLLM.nominalParameterCount), decimal(size.nominal))
            if size.active is not None:
                self._add(ctx, model.iri, str(JLLM.activeParameterCount), decimal(size.active))

    def _map_context(self, ctx: _RowContext) -> None:
        cell = ctx.cell("context")
        if cell is None or cell.is_empty:
            return
        statements = cells.context_lengths(cell)
        for index, chosen in cells.assign(statements, ctx.models).items():
            for statement in chosen:
                self._add(ctx, ctx.models[index].iri, str(JLLM.contextLength),
                          integer(statement.tokens))

    def _map_domain(self, ctx: _RowContext) -> None:
        if ctx.row.category.scope == "general":
            concepts = [str(JLLM.GeneralDomain)]
        else:
            cell = ctx.cell("domain")
            concepts = cells.domains(cell) if cell is not None else []
        for concept in concepts:
            for model in ctx.models:
                self._add(ctx, model.iri, str(JLLM.domain), concept)

    def _map_training_data(self, ctx: _RowContext) -> list[cells.ParentMention]:
        cell = ctx.cell("training_data")
        if cell is None or cell.is_empty:
            return []
        statements = cells.training_statements(cell, ctx.row.category.approach)
        mentions: list[cells.ParentMention] = []
        for index, chosen in cells.assign_training(statements, ctx.models).items():
            model = ctx.models[index]
            for statement in chosen:
                if statement.undisclosed:
                    self._add(ctx, model.iri, str(JLLM.undisclosedTrainingData), boolean(True))
                phase_property = PHASE_PROPERTIES.get(statement.phase)
                for dataset in statement.datasets:
                    dataset_iri = self.catalog.dataset(dataset, ctx.graph, ctx.lang)
                    self._add(ctx, model.iri, str(JLLM.trainedOn), dataset_iri)
                    if phase_property is not None:
                        self._add(ctx, model.iri, str(phase_property), dataset_iri)
                if statement.phase in ("pretraining", "continual-pretraining"):
                    for tokens in cells.token_totals(statement):
                        self._add(ctx, model.iri, str(JLLM.trainingTokens), decimal(tokens))
                for mention in statement.models:
                    mentions.append(cells.ParentMention(index, mention.label, mention.relation,
                                                        statement.text))
        return mentions

    # -- lineage -----------------------------------------------------------------------------

    def _derive(self, ctx: _RowContext, child: ModelNode, parent: str, kind: str,
                evidence: str) -> None:
        if parent == child.iri:
            return
        self.derivations.add(ctx.graph, child.iri, parent, kind, evidence, ctx.location())

    def _map_lineage(self, ctx: _RowContext, mentions: list[cells.ParentMention]) -> None:
        models = ctx.models
        names = [model.name for model in models]
        has_sibling_parent: set[int] = set()
        for child, sibling, derivation in sibling_parents(names):
            has_sibling_parent.add(child)
            evidence = (f"checkpoint names in the same row: {names[child]} is a "
                        f"{derivation} of {names[sibling]}")
            self._derive(ctx, models[child], models[sibling].iri, derivation, evidence)

        approach = ctx.row.category.approach
        roots = [i for i in range(len(models)) if i not in has_sibling_parent]
        mentioned_roots: set[int] = set()
        for mention in mentions:
            kind = MENTION_DERIVATIONS.get(mention.relation, "FineTuning")
            targets = [mention.model_index] if mention.model_index in roots else []
            for index in targets:
                parents = self._resolve_parent(ctx, mention.label, models[index])
                for parent in parents:
                    self._derive(ctx, models[index], parent, kind, mention.evidence)
                if parents and mention.relation != "distillation-teacher":
                    mentioned_roots.add(index)

        if approach == "merge":
            self._map_merge_parents(ctx, roots)
            return
        base_cell = ctx.cell("base")
        if base_cell is None or base_cell.is_empty:
            return
        # a section that does not say how (the 2023 English list's "english-based models"
        # mixes continual pre-training and tuning): the derivation's type stays unspecified
        kind = BASE_DERIVATION.get(approach, "UnspecifiedDerivation")
        references = cells.base_references(base_cell)
        assigned = cells.assign(references, models)
        for index in roots:
            if index in mentioned_roots:
                continue
            for reference in assigned.get(index, ()):
                for parent in self._resolve_parent(ctx, reference.label, models[index],
                                                   size=reference.size):
                    self._derive(ctx, models[index], parent, kind, base_cell.text)

    def _map_merge_parents(self, ctx: _RowContext, roots: list[int]) -> None:
        cell = ctx.cell("merge_parents") or ctx.cell("base")
        if cell is None or cell.is_empty:
            return
        for reference in cells.base_references(cell):
            for index in roots:
                for parent in self._resolve_parent(ctx, reference.label, ctx.models[index],
                                                   size=reference.size,
                                                   japanese=reference.bold):
                    self._derive(ctx, ctx.models[index], parent, "Merge", cell.text)

    def _resolve_parent(self, ctx: _RowContext, label: str, child: ModelNode, *,
                        size: str | None = None, japanese: bool | None = None,
                        unknown: bool = True) -> list[str]:
        """IRIs of the model(s) a free-text parent label names, seen from ``child``; a label
        nothing knows becomes a labelled model when ``unknown``, else nothing."""
        written = label
        label, stated_size = split_label_size(resolve_model_alias(label))
        size = size or stated_size
        if japanese is not True:
            foreign = self.catalog.foreign_model(label, size)
            if foreign is not None:
                return [foreign]
        found = self._resolve_japanese(ctx, label, size, child)
        if found:
            return [node.iri for node in found]
        named = self.index.models_named(label)
        if named:
            return [named[0].iri]
        if japanese is False or not unknown:
            return []
        self.unresolved_parents.append(
            UnresolvedParent(ctx.entry.doc.source.path, ctx.row.row.line, label)
        )
        return [self.catalog.mentioned_model(label, size, ctx.graph, ctx.lang,
                                             written=split_label_size(written)[0])]

    def _resolve_japanese(self, ctx: _RowContext, label: str, size: str | None,
                          child: ModelNode) -> list[ModelNode]:
        wanted_sizes = size_tokens(label) | (size_tokens(size) if size else set())
        core = label_core(label)
        candidates = self.index.entries_for(label) or self.index.entries_for(core)
        if not candidates:
            series = without_trailing_size(core).strip()
            if series and series != core:
                candidates = self.index.entries_for(series)
        candidates = [c for c in candidates if c.family != ctx.entry.family]
        if not candidates:
            prefixed = self.index.models_with_prefix(core, wanted_sizes)
            return self._pick_by_size(prefixed, wanted_sizes, child, label)
        same_source = [c for c in candidates if c.doc is ctx.entry.doc]
        entries = same_source or candidates
        nodes = [node for entry in entries for node in entry.models if node.iri != child.iri]
        qualified = _with_qualifiers(nodes, label)
        if qualified:
            # "東北大BERT (base, v2)": the qualifiers pick checkpoints of the row; where they
            # still leave several (plain "(base)" against base v1/v2/v3), the row's first one,
            # the original that an unversioned name means.
            return qualified[:1]
        return self._pick_by_size(nodes, wanted_sizes, child, label)

    @staticmethod
    def _pick_by_size(nodes: list[ModelNode], wanted_sizes: set[str], child: ModelNode,
                      label: str) -> list[ModelNode]:
        """The parent checkpoint(s) among a row's ``nodes``: the named size (the one matching
        the child's own size when several are named), base checkpoints unless the label names
        a tuned one. Without a usable size, checkpoints of several sizes are told apart by the
        child's own size (stormy-7b from open-calm-7b); none matching it is ambiguous: no parent
        rather than a guess."""
        sized = [n for n in nodes if size_tokens(n.name) & wanted_sizes]
        if sized:
            if len(wanted_sizes) > 1:
                child_sizes = size_tokens(child.name)
                matching = [n for n in sized
                            if any(s in t for t in child_sizes for s in size_tokens(n.name))]
                sized = matching or sized
            nodes = sized
        elif len({frozenset(size_tokens(n.name)) for n in nodes}) > 1:
            child_sizes = size_tokens(child.name)
            nodes = [n for n in nodes if size_tokens(n.name) & child_sizes]
        wants_tuned = bool(stages_of(label))
        preferred = [n for n in nodes if bool(stages_of(n.name)) == wants_tuned]
        nodes = preferred or nodes
        if not nodes:
            return []
        # One parent per named size; several rows/sources name the same checkpoints.
        by_size: dict[frozenset[str], ModelNode] = {}
        # the row's order, not the shortest name: a name without a size means the row's first
        # (original) checkpoint, not bert-large-japanese because its repo name is short
        order = {node.iri: position for position, node in enumerate(nodes)}
        for node in sorted(nodes, key=lambda n: (n.stage_count, order[n.iri])):
            by_size.setdefault(frozenset(size_tokens(node.name) & wanted_sizes), node)
        return list(by_size.values())


def _with_qualifiers(nodes: list[ModelNode], label: str) -> list[ModelNode]:
    """The checkpoints whose repo name has every qualifier of the label's trailing parenthesis
    (``base``, ``v2``, ``large``), in row order; empty when the parenthesis has no such words or
    no checkpoint has them all (``Youri 7B (base)`` names ``youri-7b``, not a "base" repo)."""
    qualifiers = trailing_qualifiers(label)
    if not qualifiers:
        return []
    return [node for node in nodes if node.hf_id and qualifiers <= set(name_tokens(node.name))]


def _fragment(iri: str) -> str:
    return slugify(iri.rsplit("/", 1)[-1])


def map_lists(docs: Sequence[ListDocument], sink: QuadSink, catalog: Catalog) -> ListMapper:
    """Map every list source into ``sink``; returns the mapper (for its diagnostics)."""
    index = ModelIndex.build(docs)
    mapper = ListMapper(index, sink, catalog)
    for doc in docs:
        mapper.map_document(doc)
    return mapper
