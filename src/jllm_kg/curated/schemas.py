"""Schemas of the curated data files: one pydantic model per ``data/curated/*.yaml``.

Every model forbids unknown keys and is strict about types, so a misspelt key
(``allows_comercial_use``, ``alias``) or a wrong type (``year: "2024"``) stops loading instead
of silently meaning "unknown". Values with a shape (slugs, SPDX ids, Hugging Face ids, URLs,
regular expressions) are checked here too; cross-references between files (a developer key
named in ``architectures.yaml``) are checked by the catalogues and the integrity tests.

Adding a table: write its model (subclass :class:`Table`) and add one line to :data:`SCHEMAS`.

>>> sorted(SCHEMAS)[:3]
['architectures.yaml', 'benchmarks.yaml', 'checkpoint_markers.yaml']
>>> SpdxEntry = LicenseEntry.model_validate(
...     {"key": "mit", "labels": {"en": "MIT License"}, "spdx_id": "MIT", "aliases": []})
>>> SpdxEntry.spdx_id
'MIT'
"""

from __future__ import annotations

import datetime
import re
from collections import Counter
from functools import cache
from typing import Annotated, Literal, Protocol, TypeVar

from pydantic import (
    AfterValidator,
    BaseModel,
    ConfigDict,
    Field,
    RootModel,
    field_validator,
    model_validator,
)

from jllm_kg.terms import ColumnKey, ModelModality, Scope, TrainingApproach, TrainingPhase

# --------------------------------------------------------------------------- value shapes


def _regex(pattern: str) -> str:
    try:
        re.compile(pattern)
    except re.error as error:
        raise ValueError(f"not a valid regular expression: {error}") from None
    return pattern


@cache
def _spdx_symbols() -> dict[str, str]:
    """SPDX license-list ids (lower-cased → as listed), from the list bundled with
    ``license-expression`` (no network)."""
    from license_expression import get_spdx_licensing  # type: ignore[import-untyped]

    symbols = get_spdx_licensing().known_symbols
    return {key.lower(): symbol.key for key, symbol in symbols.items()}


def is_spdx_license_id(value: str) -> bool:
    """Whether *value* is an id of the SPDX License List, exactly as listed there."""
    return _spdx_symbols().get(value.lower()) == value


def _spdx_id(value: str) -> str:
    listed = _spdx_symbols().get(value.lower())
    if listed is None:
        raise ValueError(f"{value!r} is not an id of the SPDX License List")
    if listed != value:
        raise ValueError(f"{value!r} is written {listed!r} on the SPDX License List")
    return value


def _not_blank(value: str) -> str:
    if not value.strip():
        raise ValueError("empty text")
    return value


Text = Annotated[str, AfterValidator(_not_blank)]
Slug = Annotated[str, Field(pattern=r"^[a-z0-9][a-z0-9.\-]*$")]
Url = Annotated[str, Field(pattern=r"^https?://\S+$")]
HfId = Annotated[str, Field(pattern=r"^[\w.\-]+/[\w.\-]+$")]
HfOrg = Annotated[str, Field(pattern=r"^[\w.\-]+$")]
Regex = Annotated[str, AfterValidator(_regex)]
SpdxId = Annotated[str, AfterValidator(_spdx_id)]
Language = Literal["ja", "en", "fr"]
def _has_english(labels: dict[Language, str]) -> dict[Language, str]:
    if "en" not in labels:
        raise ValueError("needs an English label (en), the fallback of every other language")
    return labels


Labels = Annotated[dict[Language, Text], Field(min_length=1)]
EnglishLabels = Annotated[dict[Language, Text], AfterValidator(_has_english)]
Aliases = list[Text]


class Strict(BaseModel):
    """Base of every curated model: unknown keys and loose types are errors."""

    model_config = ConfigDict(extra="forbid", strict=True, frozen=True)


class Table(Strict):
    """A whole curated file."""


class _Keyed(Protocol):
    key: str


KeyedT = TypeVar("KeyedT", bound=_Keyed)


def _unique_keys(what: str) -> AfterValidator:
    """A list validator: no two entries share a key (the key is the entry's IRI)."""

    def check(entries: list[KeyedT]) -> list[KeyedT]:
        first: dict[str, int] = {}
        for index, entry in enumerate(entries):
            seen = first.setdefault(entry.key, index)
            if seen != index:
                raise ValueError(f"{what} key {entry.key!r} repeated (entries {seen} and {index})")
        return entries

    return AfterValidator(check)


# --------------------------------------------------------------------------- catalogues


class ArchitectureEntry(Strict):
    key: Slug
    label: Text
    developer: Slug | None = None
    aliases: Aliases = []
    # checkpoint-name tokens that settle a checkpoint's architecture whatever its row's cell says
    name_tokens: list[Text] = []
    broader: Slug | None = None  # the architecture this one is a version or kind of
    generic: bool = False  # a kind ("custom architecture"), not one architecture


class ArchitecturesFile(Table):
    alternative_separators: list[str]
    architectures: Annotated[list[ArchitectureEntry], _unique_keys("architecture")]


class BenchmarkEntry(Strict):
    key: Slug
    labels: EnglishLabels
    developer: Slug | None = None
    part_of: Slug | None = None
    url: Url | None = None
    aliases: Aliases = []
    dataset: Slug | None = None  # the curated dataset this benchmark is: one thing, one node


class BenchmarksFile(Table):
    benchmarks: Annotated[list[BenchmarkEntry], _unique_keys("benchmark")]


class DeveloperEntry(Strict):
    key: Slug
    kind: Literal["org", "person"]
    labels: Labels
    aliases: Aliases = []
    parent: Slug | None = None
    successor: Slug | None = None
    hf_orgs: list[HfOrg] = []
    note: Text | None = None


class DevelopersFile(Table):
    cell_separators: list[str]
    conjunctions: list[str] = []
    individual_words: list[Text]
    developers: Annotated[list[DeveloperEntry], _unique_keys("developer")]


class LicenseEntry(Strict):
    key: Slug
    labels: EnglishLabels
    # Explicit nulls are meaningful (the licence was looked at: no SPDX id, commercial use
    # unclear), so these keys stay allowed with null rather than required to be absent.
    spdx_id: SpdxId | None = None
    allows_commercial_use: bool | None = None
    url: Url | None = None
    generic: bool = False
    # generic kinds this generic kind says more than ("research only" narrows "custom")
    narrows: list[Slug] = []
    aliases: Aliases = []


class LicensesFile(Table):
    joiners: list[str]
    uncertainty_marks: list[Text]
    licenses: Annotated[list[LicenseEntry], _unique_keys("licence")]

    @field_validator("licenses")
    @classmethod
    def _one_licence_per_spdx_id(cls, entries: list[LicenseEntry]) -> list[LicenseEntry]:
        spdx = Counter(entry.spdx_id for entry in entries if entry.spdx_id)
        repeated = sorted(i for i, n in spdx.items() if n > 1)
        if repeated:
            raise ValueError(f"SPDX id(s) used by two licences: {', '.join(repeated)}")
        generic = {entry.key for entry in entries if entry.generic}
        for entry in entries:
            if entry.narrows and not entry.generic:
                raise ValueError(f"licence {entry.key!r}: only a generic licence narrows "
                                 "another (a named licence always wins over a generic one)")
            wrong = sorted(set(entry.narrows) - generic)
            if wrong:
                raise ValueError(f"licence {entry.key!r} narrows {', '.join(wrong)}: "
                                 "not the key of a generic licence")
        return entries


class ForeignFamily(Strict):
    key: Slug
    label: Text
    developer: Slug
    architecture: Slug | None = None
    aliases: Aliases = []


class ForeignModel(Strict):
    key: Slug
    label: Text
    family: Slug | None = None
    sizes: list[Text] = []
    # A number as YAML 1.1 leaves it a string ("7.24e9"): nominal or actual parameter count.
    parameters: Annotated[str, Field(pattern=r"^\d+(?:\.\d+)?(?:e\d+)?$")] | None = None
    aliases: Aliases = []
    hf_id: HfId | None = None
    developer: Slug | None = None
    architecture: Slug | None = None
    # Slugs this model's IRI had under /id/model/ before it was named by its Hugging Face id:
    # the graph states that it replaces them, and the server redirects them (cool IRIs stay).
    former_slugs: list[Slug] = []


class ForeignModelsFile(Table):
    lineage_phrases: list[Text]
    list_separators: list[str]
    families: Annotated[list[ForeignFamily], _unique_keys("family")]
    models: Annotated[list[ForeignModel], _unique_keys("model")]


class DatasetEntry(Strict):
    key: Slug
    labels: EnglishLabels
    aliases: Aliases
    url: Url | None = None
    hf: HfId | None = None
    note: Text | None = None


class DatasetsFile(Table):
    proprietary: list[Text]
    description_words: Regex
    datasets: Annotated[list[DatasetEntry], _unique_keys("dataset")]


class PaperEntry(Strict):
    title: Text
    arxiv_id: Annotated[str, Field(pattern=r"^\d{4}\.\d{4,5}(v\d+)?$")] | None = None
    venue: Text | None = None
    year: Annotated[int, Field(ge=1900, le=2100)] | None = None
    origin: Text


class PapersFile(Table):
    papers: list[PaperEntry]

    @field_validator("papers")
    @classmethod
    def _one_entry_per_title(cls, papers: list[PaperEntry]) -> list[PaperEntry]:
        titles = Counter(paper.title for paper in papers)
        repeated = sorted(title for title, n in titles.items() if n > 1)
        if repeated:
            raise ValueError(f"paper title(s) given twice: {', '.join(map(repr, repeated))}")
        return papers


RepoPath = Annotated[str, Field(pattern=r"^[^/\s][^\s]*[^/\s]$")]  # relative, no spaces


class SourceEntry(Strict):
    # The series the source is a version of: the list's (``upstream.series``) or a paper's own.
    series: Slug | None = None
    upstream_path: Text | None = None
    upstream_commit: Annotated[str, Field(pattern=r"^[0-9a-f]{7,40}$")] | None = None
    content_date: datetime.date | None = None
    # The commit's date-time (``git log -1 --format=%cI``) of a seed that is that commit's file
    # (no ``differs``): its date as a checkout at that commit gives it, so both are one source.
    commit_date: Annotated[str, Field(
        pattern=r"^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(?:Z|[+-]\d{2}:\d{2})$")] | None = None
    url: Url | None = None
    # How the content differs from the upstream file at ``upstream_commit`` (None: the same
    # bytes). A differing copy is a version of its own, identified by its content hash.
    differs: Text | None = None
    # The slug the source's graph had when sources were named after their file
    # (``003-9c8df20d3e58c146``): the graph states that it replaces that IRI.
    former_slug: Slug | None = None
    description: Text


Sha256 = Annotated[str, Field(pattern=r"^[0-9a-f]{64}$")]


class UpstreamList(Strict):
    """The list's repository: what a checkout of it holds and where it lives."""

    series: Slug
    repository: Url  # the web page of the repository; blob URLs are built from it
    # The path of each language's list, newest name first (files were renamed over time).
    paths: dict[Language, Annotated[list[RepoPath], Field(min_length=1)]]
    # The licence of the list's text (its repository's LICENSE), as an IRI; None when unknown.
    license: Url | None = None


class SourcesFile(Table):
    upstream: UpstreamList
    sources: dict[Sha256, SourceEntry]

    @model_validator(mode="after")
    def _commits_with_paths(self) -> SourcesFile:
        for sha256, entry in self.sources.items():
            if entry.upstream_commit and not entry.upstream_path:
                raise ValueError(f"sources.{sha256}: upstream_commit without upstream_path")
            if entry.commit_date and (not entry.upstream_commit or entry.differs):
                raise ValueError(f"sources.{sha256}: commit_date is for a seed that is its "
                                 "upstream commit's file (upstream_commit, no differs)")
        return self


# --------------------------------------------------------------------------- list structure


class SectionAnchor(Strict):
    kind: Literal["model", "benchmark", "reference", "none"]
    modality: ModelModality | None = None
    approach: TrainingApproach | None = None
    scope: Scope | None = None

    @model_validator(mode="after")
    def _category(self) -> SectionAnchor:
        given = [self.modality, self.approach, self.scope]
        if self.kind == "model" and None in given:
            raise ValueError("a model section needs modality, approach and scope")
        if self.kind != "model" and given != [None, None, None]:
            raise ValueError("only a model section has modality, approach and scope")
        return self


class SubsectionOverride(Strict):
    modality: ModelModality | None = None
    approach: TrainingApproach | None = None
    scope: Scope | None = None


class Subsection(Strict):
    key: Slug
    set: SubsectionOverride
    texts: list[Text]


class ListSectionsFile(Table):
    anchors: dict[Text, SectionAnchor]
    subsections: list[Subsection] = []


HeaderSpellings = dict[ColumnKey, list[Text]]


class ListHeadersFile(Table):
    common: HeaderSpellings = {}
    model: HeaderSpellings = {}
    benchmark: HeaderSpellings = {}
    reference: HeaderSpellings = {}
    positional: dict[Literal["model", "benchmark", "reference"], list[ColumnKey]] = {}


class ListVocabularyFile(Table):
    """``list_vocabulary.yaml``: what the list reader recognises inside cells."""

    huggingface_hosts: list[Annotated[str, Field(pattern=r"^[a-z0-9\-]+(\.[a-z0-9\-]+)+$")]]
    huggingface_non_model_segments: list[Slug]
    checkpoint_columns: list[ColumnKey]
    unnamed_first_column: dict[Literal["model", "benchmark", "reference"], ColumnKey]
    item_separators: list[Annotated[str, Field(min_length=1, max_length=1)]]
    open_list_markers: list[Text]
    empty_values: list[Text]


class SourceDetectionFile(Table):
    """``source_detection.yaml``: what tells the list from a paper, and the list's language."""

    list_min_anchors: Annotated[int, Field(ge=1)]
    list_min_tables: Annotated[int, Field(ge=1)]
    paper_headings: list[Regex]
    function_words: dict[Literal["fr", "en"], list[Regex]]
    japanese_share_of_list: Annotated[float, Field(gt=0, lt=1)]
    japanese_share_of_paper: Annotated[float, Field(gt=0, lt=1)]


class CheckpointStage(Strict):
    order: Annotated[int, Field(ge=1)]
    derivation: Annotated[str, Field(pattern=r"^[A-Z][A-Za-z]*$")]  # a jllm concept local name
    tokens: list[Text]
    # training-data phases (training_phases.yaml) that say a row applied this stage
    phases: list[TrainingPhase] = []


class LabelShapesFile(Table):
    """``label_shapes.yaml``: what makes a label a description rather than a name."""

    description_patterns: list[Regex]
    exceptions: dict[Text, Text]  # label → why it is a name after all


class SharedKinds(Strict):
    pair: Annotated[list[Slug], Field(min_length=2, max_length=2)]
    why: Text


class SharedNamesFile(Table):
    """``shared_names.yaml``: nodes of different kinds that may share a label or URL."""

    kinds: list[SharedKinds]
    names: dict[Text, Text]  # match_key form → why it is two things


class CheckpointMarkersFile(Table):
    stages: dict[Slug, CheckpointStage]
    version_pattern: Regex  # over one lower-cased name token
    size_words: list[Text]  # lower-cased name tokens naming a size class (base, large)


DomainConcept = Annotated[str, Field(pattern=r"^[A-Z][A-Za-z]*Domain$")]


class DomainsFile(RootModel[dict[DomainConcept, list[Text]]]):
    """Domain concept (local name in the jllm ontology) → spellings of the domain column."""

    model_config = ConfigDict(strict=True, frozen=True)


class HfRenamesFile(Table):
    org_renames: dict[HfOrg, HfOrg]


class ModelAliasesFile(Table):
    aliases: dict[Text, Text]


# --------------------------------------------------------------------------- cell vocabulary


CorpusUnit = Literal[
    "sentences", "pages", "articles", "lines", "questions", "hours", "captions", "images",
    "pairs", "items", "websites", "datasets",
]
Exponent = Annotated[int, Field(ge=0, le=18)]
Word = Annotated[str, Field(pattern=r"^\S(?:.*\S)?$")]  # no surrounding spaces


class QuantitiesFile(Table):
    letter_scales: dict[Annotated[str, Field(pattern=r"^[a-z]$")], Exponent]
    japanese_scales: dict[Annotated[str, Field(pattern=r"^.$")], Exponent]
    word_scales: dict[Word, Exponent]
    byte_units: dict[Word, Exponent]
    units: dict[Literal["tokens"] | CorpusUnit, Regex]
    approximate_words: list[Word]
    total_words: list[Word]
    threshold_words: list[Word]
    context_connectors: list[Word]
    context_bound_words: list[Word]
    context_range_separators: list[Word]
    context_exception_value_first: list[Word] = []
    context_exception_variant_first: list[Word] = []
    selector_separators: list[Word]
    selector_fillers: list[Word]

    @model_validator(mode="after")
    def _lower_case(self) -> QuantitiesFile:
        # Text is case-folded before matching: an upper-case entry could never match.
        for name in type(self).model_fields:
            value = getattr(self, name)
            words = list(value) if isinstance(value, dict) else value
            if name != "units" and any(word != word.casefold() for word in words):
                raise ValueError(f"{name}: write entries in lower case")
        return self


class LinePattern(Strict):
    pattern: Regex
    additive: bool = False


Char = Annotated[str, Field(min_length=1, max_length=1)]


class TextFile(Table):
    folds: dict[Char, list[Char]]  # replacement ← characters folded to it
    opening_brackets: list[Char]
    closing_brackets: list[Char]


class UnknownMarkersFile(Table):
    markers: list[Text]


class SelectorsFile(Table):
    filler_words: list[Text]
    alternative_separators: list[str]
    synonyms: dict[Text, list[Text]]
    derived_tokens: list[Text]
    line_patterns: list[LinePattern]
    at_least_patterns: list[Regex]
    negation_patterns: list[Regex]
    base_note_patterns: list[Regex]


class PhaseLabel(Strict):
    phase: TrainingPhase
    method: Text | None = None


class ProsePhase(Strict):
    pattern: Regex
    phase: TrainingPhase
    method: Text | None = None
    names_stage: bool = True  # false: tuning words that do not name the stage ("fine-tuned")


class ModelRelation(Strict):
    pattern: Regex
    relation: Literal[
        "continual",
        "fine-tune",
        "upcycling",
        "distillation-teacher",
        "chat-vector",
        "merge",
        "initialization",
    ]
    relation_if_pretraining: (
        Literal["continual", "fine-tune", "upcycling", "distillation-teacher", "chat-vector",
                "merge", "initialization"]
        | None
    ) = None
    phase: TrainingPhase | None = None


class TrainingPhasesFile(Table):
    labels: dict[Text, PhaseLabel]
    methods: list[Text]
    only_words: list[Text]
    selector_phase_hints: dict[TrainingPhase, list[Text]]
    prose_phases: list[ProsePhase]
    model_relations: list[ModelRelation]
    prose_selectors: list[Regex]
    exclusion_words: Regex
    additive_words: Regex
    item_exclusions: list[Regex]
    prose_markers: Regex
    continued_line_endings: Regex


class TrainingCellWordsFile(Table):
    section_phases: dict[ModelModality, dict[TrainingApproach, TrainingPhase]]
    selector_words: list[Text]
    selector_patterns: list[Regex]
    pretraining_words: Regex
    prose_in_house: list[Text]
    undisclosed_data_slugs: list[Slug]
    item_leading_words: Regex
    item_leading_conjunctions: Regex
    item_trailing_words: Regex
    count_approximation: Regex
    amount_residue: Regex
    item_alternatives: Regex
    phase_separators: Regex
    model_separators: Regex
    data_intro: Regex
    stage_sequence_intro: Regex


class PaperGroupsFile(Table):
    group_modalities: dict[Text, ModelModality]


# --------------------------------------------------------------------------- registry

SCHEMAS: dict[str, type[BaseModel]] = {
    "architectures.yaml": ArchitecturesFile,
    "benchmarks.yaml": BenchmarksFile,
    "checkpoint_markers.yaml": CheckpointMarkersFile,
    "label_shapes.yaml": LabelShapesFile,
    "shared_names.yaml": SharedNamesFile,
    "datasets.yaml": DatasetsFile,
    "developers.yaml": DevelopersFile,
    "domains.yaml": DomainsFile,
    "foreign_models.yaml": ForeignModelsFile,
    "hf_renames.yaml": HfRenamesFile,
    "licenses.yaml": LicensesFile,
    "list_headers.yaml": ListHeadersFile,
    "list_sections.yaml": ListSectionsFile,
    "list_vocabulary.yaml": ListVocabularyFile,
    "model_aliases.yaml": ModelAliasesFile,
    "paper_groups.yaml": PaperGroupsFile,
    "papers.yaml": PapersFile,
    "quantities.yaml": QuantitiesFile,
    "selectors.yaml": SelectorsFile,
    "source_detection.yaml": SourceDetectionFile,
    "sources.yaml": SourcesFile,
    "text.yaml": TextFile,
    "training_phases.yaml": TrainingPhasesFile,
    "training_cell_words.yaml": TrainingCellWordsFile,
    "unknown_markers.yaml": UnknownMarkersFile,
}
"""File name in ``data/curated/`` → the model its content must validate against."""
