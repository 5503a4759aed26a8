"""Map the list's records (one ``ListDocument`` per source) to RDF.

Each source's facts go to its own named graph; curated entities (licenses, developers, datasets,
foreign base models …) are emitted once into the curated graph by :class:`Catalog`. A model
carries its row's facts itself; per-variant values are matched to checkpoints by selector.
Lineage: siblings inside a row (by checkpoint names), the row's base cell, Japanese parents named
in the base cell or in training-data prose, and merge parents; every derivation is typed and
qualified with the source's own words it was read from and how they were read. A name that fits
several checkpoints equally well becomes an ambiguous derivation listing every candidate.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator, Sequence, Set
from contextlib import contextmanager
from dataclasses import dataclass, field, replace
from decimal import Decimal

from jllm_kg.curated import CuratedDataError
from jllm_kg.ingest.records import Cell, ListDocument, ModelRow, Problem, TableRow
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
from jllm_kg.map.siblings import base_named_parents, sibling_parents
from jllm_kg.normalize.architectures import ArchitectureRef, architectures_of_checkpoint
from jllm_kg.normalize.base_models import (
    resolve_foreign_family,
    resolve_foreign_model,
    resolve_model_alias,
    tuned_variant_named_by,
)
from jllm_kg.normalize.datasets import speaks_of_pretraining
from jllm_kg.normalize.labels import (
    Stage,
    is_description,
    is_stage_marker,
    label_core,
    name_tokens,
    size_tokens,
    split_label_size,
    stages_of,
    stages_of_phases,
    stated_sizes,
    trailing_qualifiers,
    version_tokens,
)
from jllm_kg.normalize.sizes import without_trailing_size
from jllm_kg.vocab import DCAT, JLLM, SCHEMA, SKOS, XSD, resource_iri

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

# Parents the prose names next to the base rather than instead of it: a teacher distils into
# the model, a chat vector is added to the continually pre-trained base ("Pré-entraînement
# continu … + Chat Vector (de QwQ-32B)"); the base-model cell still names what was trained.
ADDED_TO_THE_BASE = frozenset({"distillation-teacher", "chat-vector"})
# Parents the prose names for a checkpoint that also has a sibling parent: a chat vector added
# before or after instruction tuning (a footnote on the "Instruction Tuning" line).
REACHES_TUNED_SIBLINGS = frozenset({"chat-vector"})
# Parents the prose names that a checkpoint is trained further from or takes its weights from,
# keeping their size: the size the child's row states ("BERT (base)", "LayoutLM (base)") is the
# parent's too.
KEEPS_THE_PARENTS_SIZE = frozenset({"continual", "fine-tune", "initialization"})
# Sibling derivations that copy a checkpoint (its gptq, gguf, lora versions): what the prose
# says of the stage reaches the checkpoint trained, not its copies.
COPY_DERIVATIONS = frozenset({"Quantization", "Adapter"})
# Sibling derivations a base cell does not describe: the cell names what was trained, not what
# was quantized, fitted with an adapter or merged afterwards ("…-japanese-alpha-merged").
KEPT_OVER_THE_BASE_CELL = COPY_DERIVATIONS | {"Merge"}


# Modalities whose checkpoint names carry the size of a model they are built from, not their
# own: "heron-chat-blip-ja-stablelm-base-7b-v1" (a 7b LLM plus a vision encoder), "EvoVLM-JP-
# v1-7B", "bilingual-gpt-neox-4b-minigpt4" (audit S4, P2). Their size is only what a row
# states (a bold size).
NAME_SIZE_IS_A_COMPONENTS = frozenset({"vision-language", "vision-other", "text-to-image",
                                       "text-to-video", "speech", "music"})


@dataclass(frozen=True)
class UnresolvedParent:
    """A parent named in a row that no row, repo or curated model is: it became a bare
    labelled model node (``file`` is the source's file name)."""

    file: str
    line: int
    label: str

    def __str__(self) -> str:
        return f"{self.file}:{self.line} {self.label}"


@dataclass(frozen=True)
class AmbiguousParent:
    """A parent a row names that fits several checkpoints equally well: recorded as a
    ``jllm:AmbiguousDerivation`` with every candidate. ``decided_by`` names the candidates that
    another source states as the child's parent."""

    file: str
    line: int
    child: str
    candidates: tuple[str, ...]
    decided_by: tuple[str, ...] = ()

    def __str__(self) -> str:
        text = f"{self.file}:{self.line} {self.child} <- one of {', '.join(self.candidates)}"
        if self.decided_by:
            text += f" (another source says {', '.join(self.decided_by)})"
        return text


@dataclass(frozen=True)
class Candidate:
    """A model a parent name may denote: its IRI and its name (for the ingest report)."""

    iri: str
    name: str


@dataclass(frozen=True)
class ParentChoice:
    """What a parent name resolves to: one group of candidates per size it names (a group of
    one is the parent; of several, the text does not decide between them), and whether the
    child's own size (or its name, for a tuned variant) told the parent apart."""

    groups: tuple[tuple[Candidate, ...], ...] = ()
    by_size: bool = False
    # the name gave a family and size; the child's own name chose its tuned variant
    by_child_name: bool = False

    def __bool__(self) -> bool:
        return bool(self.groups)


def _choice(nodes: Sequence[ModelNode], by_size: bool = False) -> ParentChoice:
    """One group of candidates."""
    group = tuple(Candidate(node.iri, node.hf_id or node.name) for node in _distinct(nodes))
    return ParentChoice((group,), by_size) if group else ParentChoice()


def _distinct(nodes: Sequence[ModelNode]) -> list[ModelNode]:
    by_iri: dict[str, ModelNode] = {}
    for node in nodes:
        by_iri.setdefault(node.iri, node)
    return list(by_iri.values())


def _written_name(model: ModelNode) -> str:
    """The checkpoint's name as the source writes it (its repo id in the link, else its label)."""
    if model.listed_hf_id:
        return model.listed_hf_id
    return model.checkpoint.label if model.checkpoint else model.name


def source_graph(doc_slug: str) -> str:
    return resource_iri("source", doc_slug)


@dataclass
class _RowContext:
    entry: RowEntry
    graph: str
    lang: str
    sink: QuadSink
    # per model index: the derivation stages the row's training cell says were applied to it
    stated_stages: dict[int, frozenset[Stage]] = field(default_factory=dict)
    # parents the architecture cell names, derived once the training cell is read: (model
    # index, parent, whether it is the one model the row's model is built on)
    architecture_parents: list[tuple[int, ParentChoice, bool]] = field(default_factory=list)

    def stated_derivation(self, index: int) -> str | None:
        """The derivation type of the last training stage the row says was applied to the
        model (SteerLM: InstructionTuning; "SFT + merge + RL": PreferenceTuning), if any."""
        stages = self.stated_stages.get(index)
        return max(stages, key=lambda stage: stage.order).derivation if stages else None

    @property
    def row(self) -> ModelRow:
        return self.entry.row

    @property
    def models(self) -> list[ModelNode]:
        return self.entry.models

    def cell(self, key: str) -> Cell | None:
        return self.entry.row.row.cells.get(key)  # type: ignore[call-overload]

    def location(self) -> str:
        row = self.entry.row.row
        return source_location(self.sink, self.graph, row.line, row.origin)


class ListMapper:
    """Maps every row of every list source; shares one index so parents resolve across sources."""

    def __init__(self, index: ModelIndex, sink: QuadSink, catalog: Catalog) -> None:
        self.index = index
        self.sink = sink
        self.catalog = catalog
        self.derivations = Derivations(sink)
        self.unresolved_parents: list[UnresolvedParent] = []
        # ambiguous derivations: (graph, node, child IRI, candidates, case), to be decided
        self._ambiguous: list[tuple[str, str, str, tuple[Candidate, ...], AmbiguousParent]] = []
        self.ambiguous_parents: list[AmbiguousParent] = []
        self.problems: list[Problem] = list(index.problems)

    # -- documents --------------------------------------------------------------------------

    def map_document(
        self, doc: ListDocument, *, rows: Callable[[ModelRow], bool] | None = None
    ) -> None:
        """Map every row of ``doc`` (only those ``rows`` accepts, when given: the history maps
        the rows a version changed, against the index of the whole version); a row whose
        mapping fails is skipped and reported in ``problems`` (one bad cell never stops a
        version)."""
        graph = source_graph(doc.source.slug)
        lang = doc.source.language
        self.catalog.source_document(doc.source, graph)
        for entry in self.index.entries:
            if entry.doc is doc and (rows is None or rows(entry.row)):
                with self._row_problems(doc, entry.row.row):
                    self._map_row(_RowContext(entry, graph, lang, self.sink))
        for benchmark in doc.benchmarks:
            with self._row_problems(doc, benchmark.row):
                self.catalog.benchmark_row(benchmark, graph, lang)
        for bullet in doc.benchmark_bullets:
            with self._row_problems(doc, None, bullet.line, bullet.label):
                self.catalog.benchmark_bullet(bullet, graph, lang)
        for reference in doc.references:
            with self._row_problems(doc, reference.row):
                self.catalog.reference_row(reference, graph, lang, self.index)

    @contextmanager
    def _row_problems(
        self, doc: ListDocument, row: TableRow | None, line: int = 0, text: str = ""
    ) -> Iterator[None]:
        try:
            yield
        except CuratedDataError:
            raise  # a broken curated table is the project's error, not the row's
        except Exception as error:  # one row never stops the version
            self.problems.append(Problem(
                file=(row.origin if row is not None else None) or doc.source.path,
                line=row.line if row is not None else line,
                text=row.markdown.strip() if row is not None else text,
                reason=f"{type(error).__name__}: {error}", stage="map",
            ))  # fmt: skip

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
        # Each cell on its own: one that cannot be read is reported, the rest of the row kept.
        for column, aspect in (
            ("name", self._map_category), ("year", self._map_year),
            ("developer", self._map_developers), ("license", self._map_licenses),
            ("architecture", self._map_architecture), ("architecture", self._map_sizes),
            ("context", self._map_context), ("domain", self._map_domain),
        ):  # fmt: skip
            with self._cell_problems(ctx, column):
                aspect(ctx)
        mentions: list[cells.ParentMention] = []
        with self._cell_problems(ctx, "training_data"):
            mentions = self._map_training_data(ctx)
        with self._cell_problems(ctx, "architecture"):
            self._map_architecture_parents(ctx)
        with self._cell_problems(ctx, "base"):
            self._map_lineage(ctx, mentions)

    @contextmanager
    def _cell_problems(self, ctx: _RowContext, column: str) -> Iterator[None]:
        try:
            yield
        except CuratedDataError:
            raise
        except Exception as error:  # one cell never stops the row
            row = ctx.entry.row.row
            cell = ctx.cell(column)
            self.problems.append(Problem(
                file=row.origin or ctx.entry.doc.source.path, line=row.line,
                text=cell.text if cell is not None and not cell.is_empty else row.markdown.strip(),
                reason=f"{column} cell: {type(error).__name__}: {error}", stage="map",
            ))  # fmt: skip

    def _map_model_identity(self, ctx: _RowContext, model: ModelNode) -> None:
        self._add(ctx, model.iri, RDF_TYPE, str(JLLM.Model))
        self._add(ctx, model.iri, str(JLLM.family), ctx.entry.family)
        self._add(ctx, model.iri, str(JLLM.sourceLocation), ctx.location())
        if model.hf_id:
            self._add(ctx, model.iri, RDFS_LABEL, text(model.name))
            listed = model.listed_hf_id or model.hf_id
            # a graph says only what its source says: a repository renamed since the source
            # was written keeps the id the source lists; the rename is the curated graph's
            if listed != model.hf_id:
                self._add(ctx, model.iri, str(JLLM.formerHuggingFaceId), text(listed))
                self.catalog.renamed_repository(model.iri, model.hf_id, listed)
            else:
                self._add(ctx, model.iri, str(JLLM.huggingFaceId), text(model.hf_id))
            page = f"https://huggingface.co/{listed}"
            self._add(ctx, model.iri, str(SCHEMA.url), page)
            self._add(ctx, model.iri, str(DCAT.landingPage), page)
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
                self.catalog.model_licences.add(
                    ctx.graph, model.iri, license_iri, statement.license,
                    uncertain=statement.uncertain, evidence=statement.text,
                    location=ctx.location() if statement.uncertain else None)

    def _map_architecture(self, ctx: _RowContext) -> None:
        cell = ctx.cell("architecture")
        if cell is None or cell.is_empty:
            return
        references = cells.architectures(cell)
        for index, model in enumerate(ctx.models):
            # a row without checkpoints is the model itself: all its alternatives stand
            chosen = (architectures_of_checkpoint(references, model.name)
                      if model.hf_id else references)
            for architecture in chosen:
                components = architecture.components
                # "microsoft/phi-4 + …siglip…" names components, not an architecture, and
                # "PLaMo 3ベース" a parent model whose architecture the graph may not know
                if architecture.architecture.curated or not (components or architecture.parent):
                    iri = self.catalog.architecture(architecture, ctx.graph, ctx.lang)
                    self._add(ctx, model.iri, str(JLLM.architecture), iri)
                # a VLM built from named models ("LLaVA (Llama-3.1-Swallow-70B-Instruct-v0.3
                # + Qwen2-VL-7B-Instruct)") is initialised from each one the graph knows
                # "Vision-Language (based on Qwen2.5-VL-32B)", "… (Moshi)": the one model the
                # cell says the row's model is built on
                parents = components or ((architecture.parent,) if architecture.parent else ())
                for component in parents:
                    choice = self._resolve_parent(ctx, component, model, unknown=False)
                    ctx.architecture_parents.append((index, choice, not components))
                    if not architecture.architecture.curated and not components:
                        # "PLaMo 3ベース": the architecture the parent's own row states ("Gemma
                        # ベースのアーキテクチャ"), as a curated parent gives its curated one
                        for parent_architecture in self._stated_architectures(ctx, choice):
                            iri = self.catalog.architecture(parent_architecture, ctx.graph,
                                                            ctx.lang)
                            self._add(ctx, model.iri, str(JLLM.architecture), iri)

    def _map_architecture_parents(self, ctx: _RowContext) -> None:
        """The derivations of the parents the architecture cell names. The one model a row's
        model is built on ("PLaMo 3ベース", "based on Qwen2.5-VL-32B") is typed by the last
        training stage the row states for it ("Instruction Following SFT: …" → instruction
        tuning); without one, and for the components a VLM is assembled from, the cell says
        only that the weights start from the parent: an initialisation."""
        cell = ctx.cell("architecture")
        if cell is None:
            return
        for index, choice, built_on in ctx.architecture_parents:
            kind = (ctx.stated_derivation(index) if built_on else None) or "Initialization"
            self._derive(ctx, ctx.models[index], choice, kind, cell.text,
                         "NamedAsArchitectureComponent")

    def _stated_architectures(self, ctx: _RowContext, choice: ParentChoice
                              ) -> list[ArchitectureRef]:
        """The curated architectures the row of the one parent ``choice`` decides states for
        that checkpoint in the same source; none for an undecided or foreign parent."""
        if len(choice.groups) != 1 or len(choice.groups[0]) != 1:
            return []
        parent = choice.groups[0][0].iri
        for entry in self.index.entries:
            if entry.doc is not ctx.entry.doc:
                continue
            for node in entry.models:
                if node.iri != parent:
                    continue
                cell = entry.row.row.cells.get("architecture")
                if cell is None or cell.is_empty:
                    return []
                references = cells.architectures(cell)
                chosen = (architectures_of_checkpoint(references, node.name) if node.hf_id
                          else references)
                return [ref for ref in chosen if ref.architecture.curated]
        return []

    def _map_sizes(self, ctx: _RowContext) -> None:
        size_in_name = ctx.row.category.modality not in NAME_SIZE_IS_A_COMPONENTS
        sizes = cells.model_sizes(ctx.row.row.cells, ctx.models, size_in_name)
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
        # "4,096 or 8,192": one value per checkpoint, matched by name, never both on each
        alternatives = [statement for statement in statements if statement.alternative]
        # "≤ 2,048" for a row of several checkpoints bounds them all: no checkpoint's own
        # length (audit S4b: rinna GPT's seven checkpoints, ja L76)
        stated = [statement for statement in statements if not statement.alternative
                  and not (statement.bound == "max" and statement.selector is None
                           and len(ctx.models) > 1)]
        for assigned in (cells.assign(stated, ctx.models),
                         cells.checkpoint_alternatives(alternatives, ctx.models)):
            for index, chosen in assigned.items():
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
        statements = cells.training_statements(cell, ctx.row.category)
        mentions: list[cells.ParentMention] = []
        tokens = {id(statement): cells.token_totals(statement, ctx.models)
                  for statement in statements}
        assigned = cells.assign_training(statements, ctx.models)
        for index, chosen in assigned.items():
            model = ctx.models[index]
            # stages the row names: "fine-tuned on …" reads as instruction data, but does not
            # say the checkpoint was instruction-tuned
            ctx.stated_stages[index] = stages_of_phases(
                phase for statement in chosen if statement.stage_named
                for phase in statement.phases or (statement.phase,))
            tokens_by_phase: dict[str, list[Decimal]] = {}
            for statement in chosen:
                if statement.undisclosed:
                    self._add(ctx, model.iri, str(JLLM.undisclosedTrainingData), boolean(True))
                phase_property = PHASE_PROPERTIES.get(statement.phase)
                for dataset in statement.datasets:
                    if not dataset.curated and is_description(dataset.label):
                        # "OCR japonais", "interprétation d'informations visuelles": what the
                        # data is about, not a dataset's name; the line stays as a note
                        self._add(ctx, model.iri, str(SKOS.note), text(statement.text, ctx.lang))
                        continue
                    dataset_iri = self.catalog.dataset(dataset, ctx.graph, ctx.lang)
                    self._add(ctx, model.iri, str(JLLM.trainedOn), dataset_iri)
                    if phase_property is not None:
                        self._add(ctx, model.iri, str(phase_property), dataset_iri)
                if statement.phase in ("pretraining", "continual-pretraining", "unspecified"):
                    tokens_by_phase.setdefault(statement.phase, []).extend(
                        tokens[id(statement)].get(index, ()))
                for mention in statement.models:
                    # a parent named on a later line of the statement ("+ QwQ-32BのChat
                    # Vector") is quoted from that line
                    evidence = (statement.text if mention.label in statement.text
                                else mention.text)
                    mentions.append(cells.ParentMention(index, mention.label, mention.relation,
                                                        evidence))
            # jllm:trainingTokens is the pre-training count: a row that gives it and a
            # continual pre-training count after it (LLM-jp-3.1: 2.5T, then 90B) has the former.
            # A section that does not say how its models were trained (the encoders) states
            # its corpus without a phase: its count is the model's when nothing says tuning
            # ("Japanese subset of llm-jp-corpus-v4 (0.69T tokens)")
            tuned = any(statement.phase in ("instruction-tuning", "preference-tuning")
                        for statement in chosen)
            pretraining = (tokens_by_phase.get("pretraining")
                           or tokens_by_phase.get("continual-pretraining")
                           or ([] if tuned else tokens_by_phase.get("unspecified", [])))
            for count in pretraining:
                self._add(ctx, model.iri, str(JLLM.trainingTokens), decimal(count))
        footnotes = ctx.entry.doc.footnotes
        mentions.extend(cells.footnote_mentions(cell, footnotes, assigned))
        return mentions

    # -- lineage -----------------------------------------------------------------------------

    def _derive(self, ctx: _RowContext, child: ModelNode, choice: ParentChoice, kind: str,
                evidence: str, method: str, line: int | None = None) -> None:
        """Write the derivations of ``choice``: an edge per decided parent, an ambiguous
        derivation per group of candidates the text does not decide between. ``line``: where
        the evidence is when it is not on the row (a footnote)."""
        if choice.by_size:
            method = "ParentToldApartBySize"
        elif choice.by_child_name:
            method = "ParentVariantToldByChildName"
        location = (ctx.location() if line is None
                    else source_location(self.sink, ctx.graph, line, None))
        for group in choice.groups:
            candidates = [c for c in group if c.iri != child.iri]
            if len(candidates) == 1:
                self.derivations.add(ctx.graph, child.iri, candidates[0].iri, kind, evidence,
                                     location, method)
            elif candidates:
                iris = [c.iri for c in candidates]
                node = self.derivations.add_ambiguous(ctx.graph, child.iri, iris, kind,
                                                      evidence, location, method)
                case = AmbiguousParent(ctx.entry.doc.source.path, ctx.row.row.line,
                                       child.hf_id or child.name,
                                       tuple(c.name for c in candidates))
                self._ambiguous.append((ctx.graph, node, child.iri, tuple(candidates), case))

    def decide_ambiguities(self) -> list[AmbiguousParent]:
        """Link each ambiguous derivation to the derivations of other sources that name one of
        its candidates for the same child; returns every case, for the ingest report."""
        cases = []
        for graph, node, child, candidates, case in self._ambiguous:
            decided = self.derivations.decided(graph, node, child,
                                               [c.iri for c in candidates])
            names = tuple(c.name for c in candidates if c.iri in decided)
            cases.append(AmbiguousParent(case.file, case.line, case.child, case.candidates,
                                         names))
        return cases

    def _map_lineage(self, ctx: _RowContext, mentions: list[cells.ParentMention]) -> None:
        models = ctx.models
        has_sibling_parent: set[int] = set()
        copies: set[int] = set()  # quantized or adapter copies of a sibling
        names = [model.name for model in models]
        stated = self._stated_per_checkpoint(ctx)
        stated_stages = [ctx.stated_stages.get(index, frozenset()) for index in range(len(models))]
        for child, siblings, derivation in [*sibling_parents(names, stated_stages),
                                            *base_named_parents(names)]:
            if child in stated and derivation not in KEPT_OVER_THE_BASE_CELL:
                continue  # the base cell names this checkpoint's own base
            has_sibling_parent.add(child)
            if derivation in COPY_DERIVATIONS:
                copies.add(child)
            # the names as the row writes them, in row order: what the derivation is read from
            named = sorted((child, *siblings))
            evidence = ", ".join(_written_name(models[index]) for index in named)
            self._derive(ctx, models[child], _choice([models[i] for i in siblings]),
                         derivation, evidence, "SiblingCheckpointNames")

        approach = ctx.row.category.approach
        roots = [i for i in range(len(models)) if i not in has_sibling_parent]
        mentioned_roots: set[int] = set()
        for mention in mentions:
            kind = MENTION_DERIVATIONS.get(mention.relation, "FineTuning")
            if (kind == "ContinualPretrainingDerivation" and approach != "continual"
                    and not speaks_of_pretraining(mention.evidence)):
                # "additionally trained on LLM-jp-3 (3.7B)" outside a continual pre-training
                # section, with no word of pre-training: trained further, how is not said
                kind = "FineTuning"
            if kind == "FineTuning":
                # "trained Swallow-MX 8x7B on … using SteerLM", "Instruction-tuned Japanese
                # Stable LM Gamma 7B (base) on …": the row says how, as for a sibling parent
                kind = ctx.stated_derivation(mention.model_index) or kind
            # a chat vector is added to a tuned checkpoint on top of its sibling parent
            # (Llama-3-Swallow-70B-Instruct: the base sibling, then a chat vector), not to the
            # quantized copies of it, which take it from their sibling
            index = mention.model_index
            tuned = mention.relation in REACHES_TUNED_SIBLINGS and index not in copies
            targets = [index] if tuned or index in roots else []
            for index in targets:
                row_sizes = (self._stated_row_sizes(ctx, models[index])
                             if mention.relation in KEEPS_THE_PARENTS_SIZE else set())
                choice = self._resolve_parent(ctx, mention.label, models[index],
                                              row_sizes=row_sizes)
                self._derive(ctx, models[index], choice, kind, mention.evidence,
                             "StatedInTrainingDataProse", mention.line)
                if choice and mention.relation not in ADDED_TO_THE_BASE:
                    mentioned_roots.add(index)

        if approach == "merge":
            self._map_merge_parents(ctx, roots)
            return
        base_cell = ctx.cell("base")
        if base_cell is None or base_cell.is_empty:
            self._map_adjacent_row_bases(
                ctx, [index for index in roots if index not in mentioned_roots])
            return
        # a section that does not say how (the 2023 English list's "english-based models"
        # mixes continual pre-training and tuning): the derivation's type stays unspecified
        kind = BASE_DERIVATION.get(approach, "UnspecifiedDerivation")
        references = cells.base_references(base_cell)
        assigned = cells.assign(references, models)
        for index in roots:
            if index in mentioned_roots:
                continue
            # a checkpoint whose own name says it is an adapter (llama-7b-japanese-lora-v0-5ep)
            # is one of the model the cell names, whatever the section
            adapter = any(stage.derivation == "Adapter" for stage in stages_of(models[index].name))
            for reference in assigned.get(index, ()):
                choice = self._resolve_parent(ctx, reference.label, models[index],
                                              size=reference.size)
                self._derive(ctx, models[index], choice, "Adapter" if adapter else kind,
                             base_cell.text, "StatedInBaseModelCell")

    def _map_adjacent_row_bases(self, ctx: _RowContext, roots: list[int]) -> None:
        """A tuned checkpoint with no parent in its row, in a table without a base cell, whose
        own name is a checkpoint name of the row just above or below in the same table plus
        stage markers (llm-jp-3-1.8b-instruct2 and llm-jp-3-1.8b, 941b11f L56 / L57): that
        checkpoint is its parent, typed by the last stage its name and its row state, as a
        sibling's would be (``BaseCheckpointInAdjacentRow``)."""
        tuned = [index for index in roots if stages_of(ctx.models[index].name)]
        if not tuned:
            return
        row = ctx.row.row
        neighbours = [node for entry in self.index.entries
                      if entry.doc is ctx.entry.doc and entry.row.row.section == row.section
                      and abs(entry.row.row.line - row.line) == 1
                      for node in entry.models if node.hf_id and not stages_of(node.name)]
        for index in tuned:
            child = ctx.models[index]
            core = [token for token in name_tokens(child.name) if not is_stage_marker(token)]
            parents = [node for node in neighbours if name_tokens(node.name) == core]
            if not parents:
                continue
            stages = stages_of(child.name) | ctx.stated_stages.get(index, frozenset())
            kind = max(stages, key=lambda stage: stage.order).derivation
            evidence = ", ".join(_written_name(node) for node in (child, *parents))
            self._derive(ctx, child, _choice(parents), kind, evidence,
                         "BaseCheckpointInAdjacentRow")

    @staticmethod
    def _stated_row_sizes(ctx: _RowContext, child: ModelNode) -> set[str]:
        """The size the child's row states for it in its architecture cell ("BERT (base)"):
        the one size stated, or of several ("BERT (base, large)") the one the child's name
        has; empty when the row states none or does not say which is the child's."""
        cell = ctx.cell("architecture")
        if cell is None or cell.is_empty:
            return set()
        sizes = stated_sizes(cell.text)
        return sizes if len(sizes) == 1 else sizes & stated_sizes(child.name)

    @staticmethod
    def _stated_per_checkpoint(ctx: _RowContext) -> set[int]:
        """The checkpoints whose base a base cell with per-variant bases names ("Mixtral-8x7B-
        Instruct-v0.1<br>*Instructが名前に付いていないモデルのみ Mixtral-8x7B-v0.1 がベース"): the
        cell tells each one its base, which the sibling names then do not override."""
        cell = ctx.cell("base")
        if cell is None or cell.is_empty or ctx.row.category.approach == "merge":
            return set()
        references = cells.base_references(cell)
        if not any(reference.selector is not None for reference in references):
            return set()
        return {index for index, found in cells.assign(references, ctx.models).items() if found}

    def _map_merge_parents(self, ctx: _RowContext, roots: list[int]) -> None:
        cell = ctx.cell("merge_parents") or ctx.cell("base")
        if cell is None or cell.is_empty:
            return
        for reference in cells.base_references(cell):
            # "(trained from Llama-3-EvoVLM-JP-v2)" in a merge table (000 L430): the cell says
            # the model was trained from it, whatever the table's section
            merged = reference.note is None or reference.selector is not None
            kind, method = (("Merge", "ListedAsMergeParent") if merged
                            else ("FineTuning", "StatedInBaseModelCell"))
            for index in roots:
                choice = self._resolve_parent(ctx, reference.label, ctx.models[index],
                                              size=reference.size, japanese=reference.bold)
                self._derive(ctx, ctx.models[index], choice, kind, cell.text, method)

    def _resolve_parent(self, ctx: _RowContext, label: str, child: ModelNode, *,
                        size: str | None = None, japanese: bool | None = None,
                        unknown: bool = True, row_sizes: Set[str] = frozenset()) -> ParentChoice:
        """The model(s) a free-text parent label names, seen from ``child``; a label nothing
        knows becomes a labelled model when ``unknown``, else nothing. ``row_sizes``: the size
        the child's row states for a parent that keeps it (:meth:`_stated_row_sizes`), which
        narrows a parent row's checkpoints when the label names no size."""
        written = label
        label, stated_size = split_label_size(resolve_model_alias(label))
        size = size or stated_size
        if japanese is not True:
            as_written = (label, size)
            label, size = _tuned_variant(label, size, child)
            foreign = self.catalog.foreign_model(label, size)
            if foreign is not None:
                return ParentChoice(((Candidate(foreign, label),),),
                                    by_child_name=(label, size) != as_written)
            # a family without a size ("RWKV-4 World" for chatntq-7b-jpntuned): the child's
            # own size picks the family's checkpoint, as it does among a Japanese row's
            sized = _family_member_of_childs_size(label, size, child)
            if sized is not None:
                foreign = self.catalog.foreign_model(label, sized)
                if foreign is not None:
                    return ParentChoice(((Candidate(foreign, label),),), by_size=True)
        found = self._resolve_japanese(ctx, label, size, child, row_sizes)
        if found:
            return found
        named = self.index.models_named(label)
        if named:
            return _choice(named)
        if japanese is False or not unknown:
            return ParentChoice()
        self.unresolved_parents.append(
            UnresolvedParent(ctx.entry.doc.source.path, ctx.row.row.line, label)
        )
        mentioned = self.catalog.mentioned_model(label, size, ctx.graph, ctx.lang,
                                                 written=split_label_size(written)[0])
        return ParentChoice(((Candidate(mentioned, label),),))

    def _resolve_japanese(self, ctx: _RowContext, label: str, size: str | None,
                          child: ModelNode, row_sizes: Set[str] = frozenset()) -> ParentChoice:
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
        told_by_row_size = False
        if row_sizes and not wanted_sizes and not trailing_qualifiers(label):
            # "東北大BERTに対して…追加学習" in a "BERT (base)" row: Tohoku BERT's base checkpoints,
            # not its large ones
            sized = [n for n in nodes if row_sizes & _node_sizes(n)]
            told_by_row_size = bool(sized) and len(sized) < len(nodes)
            nodes = sized or nodes
        qualified = _with_qualifiers(nodes, label)
        if qualified:
            # "東北大BERT (base, v2)": the qualifiers pick checkpoints of the row; where they
            # still leave several (plain "(base)" against base v1/v2/v3), every one of them is
            # a candidate: the text does not say which
            return _choice(qualified, by_size=told_by_row_size)
        choice = self._pick_by_size(nodes, wanted_sizes, child, label)
        return replace(choice, by_size=True) if told_by_row_size and choice else choice

    @staticmethod
    def _pick_by_size(nodes: list[ModelNode], wanted_sizes: set[str], child: ModelNode,
                      label: str) -> ParentChoice:
        """The parent checkpoint(s) among a row's ``nodes``: the named size (the one matching
        the child's own size when several are named), base checkpoints unless the label names
        a tuned one. Without a usable size, checkpoints of several sizes are told apart by the
        child's own size (stormy-7b from open-calm-7b); none matching it is ambiguous: no parent
        rather than a guess. Per size, the checkpoints with the fewest stages are the candidates,
        the plain one when there is one (``Swallow 7B`` is Swallow-7b-hf, not Swallow-7b-NVE-hf,
        see :func:`_plain`); several of them (releases v0.1 and v0.2) stay candidates."""
        by_size = False
        sized = [n for n in nodes if size_tokens(n.name) & wanted_sizes]
        if sized:
            if len(wanted_sizes) > 1:
                child_sizes = size_tokens(child.name)
                matching = [n for n in sized
                            if any(s in t for t in child_sizes for s in size_tokens(n.name))]
                by_size = bool(matching) and len(matching) < len(sized)
                sized = matching or sized
            nodes = sized
        elif len({frozenset(size_tokens(n.name)) for n in nodes}) > 1:
            child_sizes = size_tokens(child.name)
            matching = [n for n in nodes if size_tokens(n.name) & child_sizes]
            by_size = bool(matching)
            # no size of the child's either ("Sarashina2" for sarashina2-vision-8b): every
            # base checkpoint is a candidate, none is picked
            nodes = matching or [n for n in nodes if not stages_of(n.name)]
            if not matching:
                return _choice(nodes)
        # the child's own name extends a tuned checkpoint's whole name
        # (llm-jp-3-3.7b-instruct-EZO-Humanities from llm-jp-3-3.7b-instruct, 000 L67)
        child_words = set(name_tokens(child.name))
        extended = [n for n in nodes
                    if stages_of(n.name) and set(name_tokens(n.name)) <= child_words]
        wants_tuned = bool(stages_of(label)) or bool(extended)
        preferred = extended or [n for n in nodes if bool(stages_of(n.name)) == wants_tuned]
        nodes = preferred or nodes
        wanted_versions = version_tokens(label)
        if wanted_versions:
            nodes = [n for n in nodes if wanted_versions <= version_tokens(n.name)] or nodes
        if not nodes:
            return ParentChoice()
        # one parent per named size; several rows/sources name the same checkpoints
        groups: dict[frozenset[str], list[ModelNode]] = {}
        for node in _distinct(nodes):
            groups.setdefault(frozenset(size_tokens(node.name) & wanted_sizes), []).append(node)
        choices = []
        for group in groups.values():
            fewest = min(node.stage_count for node in group)
            group = _plain([node for node in group if node.stage_count == fewest])
            choices.append(tuple(Candidate(n.iri, n.hf_id or n.name) for n in group))
        return ParentChoice(tuple(choices), by_size)


def _tuned_variant(label: str, size: str | None, child: ModelNode) -> tuple[str, str | None]:
    """A family and size (``Llama 2``, ``70b``) the child's own name extends with a tuned
    variant's name (llama-2-70b-chat-…): that variant's id; else the label and size."""
    if stages_of(label) or resolve_foreign_model(label, None) is not None:
        return label, size  # the cell names one model itself
    model = resolve_foreign_model(label, size)
    variant = tuned_variant_named_by(model, child.name) if model is not None else None
    if variant is None or variant.hf_id is None:
        return label, size
    return variant.hf_id, None


def _family_member_of_childs_size(label: str, size: str | None, child: ModelNode) -> str | None:
    """The one size of the child's name that selects a curated model of the foreign family
    ``label`` names without a size, or None (a size was given, no family, none or several)."""
    if size or resolve_foreign_family(label) is None:
        return None
    fits = {token for token in size_tokens(child.name)
            if resolve_foreign_model(label, token) is not None}
    return fits.pop() if len(fits) == 1 else None


def _plain(nodes: list[ModelNode]) -> list[ModelNode]:
    """The one checkpoint whose name every other one only adds words to (Swallow-7b-hf against
    Swallow-7b-NVE-hf and Swallow-7b-plus-hf): what a name saying none of those words means.
    All of ``nodes`` when there is no such one (bert-base-japanese-v2 against
    bert-base-japanese-whole-word-masking; releases v0.1 and v0.2)."""
    words = {node.iri: set(name_tokens(node.name)) for node in nodes}
    plain = [node for node in nodes
             if all(words[node.iri] < words[other.iri] for other in nodes if other is not node)]
    return plain if len(plain) == 1 else nodes


def _with_qualifiers(nodes: list[ModelNode], label: str) -> list[ModelNode]:
    """The checkpoints whose repo name or link label has every qualifier of the label's
    trailing parenthesis (``base``, ``v2``, ``large``), in row order; of those, the ones whose
    link label says exactly that (``base (v2)``, not ``base (v2, char-level)``) when there are
    any. Empty when the parenthesis has no such words or no checkpoint has them all
    (``Youri 7B (base)`` names ``youri-7b``, not a "base" repo)."""
    qualifiers = trailing_qualifiers(label)
    if not qualifiers:
        return []
    qualified = [node for node in nodes if node.hf_id and qualifiers <= (
        set(name_tokens(node.name)) | _link_words(node))]
    exact = [node for node in qualified if _link_words(node) == qualifiers]
    return exact or qualified


def _node_sizes(node: ModelNode) -> set[str]:
    """The sizes a checkpoint's repo name or link label states (bert-large-japanese: large)."""
    label = node.checkpoint.label if node.checkpoint is not None else ""
    return stated_sizes(node.name) | stated_sizes(label)


def _link_words(node: ModelNode) -> set[str]:
    """The words of a checkpoint's link label as written (``base (v2, char-level)`` →
    base, v2, char-level)."""
    if node.checkpoint is None:
        return set()
    return {word for word in re.split(r"[\s,、()（）]+", node.checkpoint.label.lower()) if word}


def map_lists(docs: Sequence[ListDocument], sink: QuadSink, catalog: Catalog) -> ListMapper:
    """Map every list source into ``sink``; returns the mapper (for its diagnostics).

    Generic licence statements wait in ``catalog.model_licences`` until the caller has mapped
    every source and calls its ``finish()`` (:func:`jllm_kg.map.build.map_documents` does)."""
    index = ModelIndex.build(docs)
    mapper = ListMapper(index, sink, catalog)
    for doc in docs:
        mapper.map_document(doc)
    mapper.ambiguous_parents = mapper.decide_ambiguities()
    return mapper
