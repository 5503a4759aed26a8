"""Plain typed records read from a paper (no RDF): what a paper states about models.

A paper parser (``jllm_kg.ingest.paper``) produces one :class:`PaperDocument`; the mapper
(``jllm_kg.map.paper``) turns it into RDF. These records are generic: the rinna paper is the
first source, the next paper only needs a parser that fills the same records.

Text is kept as the paper writes it (``"April 2021"``, ``"1.3B"``, ``"LLAMA 2 Community"``);
turning it into dates, numbers and identities is the mapper's job. The one interpretation made
here is the identity of a model reference (:class:`ModelRef`), because only the parser sees the
whole paper and can tell a released Hugging Face repo from a baseline's nickname.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal
from typing import Literal

from jllm_kg.ingest.records import SourceDocument

RefKind = Literal["hf", "alias", "label"]

# Phases of training data, the same words the list's training statements use.
TrainingPhase = Literal["pretraining", "fine-tuning", "instruction-tuning", "preference-tuning"]

# How a child model derives from its parent, as the jllm derivation type concept's local name
# (``jllm:FineTuning`` …, see ``jllm_kg.map.catalog.DERIVATION_PROPERTIES``).
DerivationKind = Literal[
    "FineTuning",
    "InstructionTuning",
    "PreferenceTuning",
    "ContinualPretrainingDerivation",
    "Quantization",
    "Initialization",
]


@dataclass(frozen=True)
class ModelRef:
    """A model as the paper names it.

    - ``kind="hf"``: ``written`` is a real Hugging Face repo id (the paper releases it in its
      model tables or links it to huggingface.co); ``hf_id == written``.
    - ``kind="alias"``: ``written`` is not a repo id, but the paper makes it denote exactly one
      (``rinna/bilingual-gpt-neox-4b-sft`` → ``rinna/bilingual-gpt-neox-4b-instruction-sft``;
      ``meta/hubert-base-ls960`` → its footnote ``huggingface.co/facebook/hubert-base-ls960``).
      ``hf_id`` is that repo id, ``written`` the alias.
    - ``kind="label"``: a name that is no repo id and that the paper does not resolve
      (``meta/llama2-7b``, ``laion/clip-large``, ``rinna/japanese-gpt-neox-3.6b-sft`` which could
      be ``…-instruction-sft`` or ``…-instruction-sft-v2``); ``hf_id`` is None. Never invented.
    """

    written: str
    kind: RefKind
    hf_id: str | None = None
    evidence: str | None = None  # why an alias resolves (the footnote URL, the unique match)

    def __post_init__(self) -> None:
        if self.kind == "label" and self.hf_id is not None:
            raise ValueError(f"a label model reference has no Hugging Face id: {self!r}")
        if self.kind != "label" and not self.hf_id:
            raise ValueError(f"a {self.kind} model reference needs a Hugging Face id: {self!r}")
        if self.kind == "hf" and self.hf_id != self.written:
            raise ValueError(f"an hf model reference is written as its id: {self!r}")

    @classmethod
    def repo(cls, hf_id: str) -> ModelRef:
        return cls(hf_id, "hf", hf_id)

    @classmethod
    def alias(cls, written: str, hf_id: str, evidence: str) -> ModelRef:
        return cls(written, "alias", hf_id, evidence)

    @classmethod
    def label(cls, written: str, evidence: str | None = None) -> ModelRef:
        return cls(written, "label", None, evidence)

    @property
    def key(self) -> str:
        """What identifies the model: its repo id, else the label as written."""
        return self.hf_id or self.written


@dataclass(frozen=True)
class Person:
    name: str
    affiliation_index: int | None = None  # index into PaperMetadata.affiliations


@dataclass(frozen=True)
class PaperMetadata:
    title: str
    authors: tuple[Person, ...]  # in the paper's order
    affiliations: tuple[str, ...]  # as written, e.g. "rinna Co., Ltd., Tokyo, Japan"
    venue: str | None = None  # e.g. "LREC-COLING 2024"
    year: int | None = None
    arxiv_id: str | None = None  # e.g. "2404.01657"
    url: str | None = None
    date_published: str | None = None  # ISO date "2024-04-02" when known
    # Where venue / year / arXiv id / url come from when the text itself lacks them (a PDF
    # converted to text loses its arXiv stamp): e.g. "bibliographic record of the parser".
    metadata_origin: str | None = None


@dataclass(frozen=True)
class PaperModelFact:
    """One row of a model table: a released model and what the row says about it."""

    model: ModelRef
    group: str  # the modality group row above it, as written ("Language model" …)
    table: str  # "Table 1", "Table 5"
    line: int
    size: str | None = None  # "1.3B", "37M"; None when the table has no size column
    license: str | None = None  # as written: "MIT", "LLAMA 2 Community"
    release_date: str | None = None  # as written: "April 2021"


@dataclass(frozen=True)
class BenchmarkTask:
    """A task inside an aggregate benchmark score, with its number of shots."""

    name: str  # "jcommonsenseqa"
    shots: int | None = None
    line: int | None = None  # where the paper names the task, when not the score's own line


@dataclass(frozen=True)
class EvaluationRecord:
    """One reported score: model × benchmark × metric × setting (× evaluation set)."""

    model: ModelRef
    benchmark: str  # label as written, e.g. "JP Language Model Evaluation Harness"
    metric: str  # "average score", "top-1 accuracy", "word error rate"
    score_text: str  # "26.63"
    table: str  # "Table 2"
    line: int
    setting: str | None = None  # "few-shot", "zero-shot", "32-hour labeled"
    evaluation_set: str | None = None  # a column of the table: "Eval1"
    tasks: tuple[BenchmarkTask, ...] = ()  # the tasks an average is taken over
    unit: str | None = None  # "percent" when the paper's metric is a percentage

    @property
    def score(self) -> Decimal:
        return Decimal(self.score_text)


@dataclass(frozen=True)
class LineageStatement:
    """The paper says ``child`` was made from ``parent``."""

    child: ModelRef
    parent: ModelRef
    relation: DerivationKind
    evidence: str  # the sentence it was read from
    line: int
    parent_label: str | None = None  # a readable label for a parent without repo id
    # how it was read: a concept of jllm:DerivationMethodScheme (local name)
    method: str = "StatedInPaperProse"


@dataclass(frozen=True)
class TrainingDataStatement:
    """Models of a group were trained on datasets in a phase."""

    models: tuple[ModelRef, ...]
    group: str  # who, as the paper says it: "Japanese-specific GPT models"
    phase: TrainingPhase
    datasets: tuple[str, ...]  # dataset labels as written ("CC-100", "ReasonSpeech")
    evidence: str
    line: int


@dataclass(frozen=True)
class PaperDocument:
    """Everything read from one paper."""

    source: SourceDocument
    metadata: PaperMetadata
    model_facts: tuple[PaperModelFact, ...] = ()
    results: tuple[EvaluationRecord, ...] = ()
    lineage: tuple[LineageStatement, ...] = ()
    training_data: tuple[TrainingDataStatement, ...] = ()
    # Models the paper releases (its own checkpoints); the developer is the authors' affiliation.
    released: tuple[ModelRef, ...] = field(default=())
    # The Hugging Face organisations of the released models ("rinna").
    released_orgs: tuple[str, ...] = field(default=())
