"""The rinna paper: "Release of Pre-Trained Models for the Japanese Language" (arXiv 2404.01657).

What it reads (line numbers of the seed ``004_9c6061823d69ccef.txt``):
- the model tables: Table 1 (L35: model, size, licence, release month; group-header rows) and
  the appendix Table 5 (L276: 37 models, no size column);
- the result tables: Table 2 (L89, JP LM Evaluation Harness average over 8 tasks, the tasks and
  shot counts from the prose at L83), Table 3 (L121, ImageNet zero-shot top-1 accuracy),
  Table 4 (L169, CSJ word error rate per evaluation set, with "32-hour labeled" /
  "552-hour labeled" setting sub-rows under each model);
- training data in §3.1.2, §4.1.2, §4.2.2, §5.1.2 (and the baselines' data where stated);
- lineage: JSD fine-tuned from CompVis/stable-diffusion-v1-4, the instruction-following
  (SFT / PPO) models from their base models, the CLIP image encoder's initialisation.

Model names: a name is a real Hugging Face id when the paper releases it (Tables 1 and 5) or
links it to huggingface.co in a footnote; an alias written differently is resolved only when
exactly one released model fits it; anything else (``meta/llama2-7b``, ``laion/clip-large``,
``meta/hubert-base``) stays a label.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Final

from jllm_kg.ingest.paper import (
    PaperFormatError,
    PaperParser,
    Prose,
    TsvTable,
    clean_prose,
    italic_names,
    read_footnotes,
    read_front_matter,
    read_tsv_tables,
    split_series,
    unique,
)
from jllm_kg.ingest.paper_records import (
    BenchmarkTask,
    EvaluationRecord,
    LineageStatement,
    ModelRef,
    PaperDocument,
    PaperMetadata,
    PaperModelFact,
    TrainingDataStatement,
)
from jllm_kg.ingest.papers.bibliography import paper_bibliography
from jllm_kg.ingest.records import SourceDocument

TITLE: Final = "Release of Pre-Trained Models for the Japanese Language"

MODEL_COLUMN: Final = "Pre-trained model"
_HF_URL: Final = re.compile(r"^https?://huggingface\.co/(?P<id>[\w.\-]+/[\w.\-]+)/?$")
# Tokens a shortened name may leave out of a released repo name: Table 2 writes
# "…-3.6b-sft" for "…-3.6b-instruction-sft" (and "…-instruction-sft-v2").
_ALIAS_OMITTABLE: Final = re.compile(r"^(?:instruction|v\d+)$")
# Instruction-following checkpoints of a base model, by name.
_INSTRUCTION_RELEASE: Final = re.compile(r"^(?P<base>.+)-instruction-(?P<stage>sft|ppo)(?:-v\d+)?$")
_INSTRUCTION_ALIAS: Final = re.compile(r"^(?P<base>.+)-(?P<stage>sft|ppo)$")
_STAGE_DERIVATION: Final = {"sft": "InstructionTuning", "ppo": "FineTuning"}


@dataclass(frozen=True)
class ResultTableSpec:
    """How to read one result table: found by its caption, checked against the prose."""

    caption: str  # regex on the caption
    benchmark: str
    metric: str
    setting: str | None  # None: the setting is each sub-row's first cell
    evidence: str  # regex: the sentence that names benchmark and metric must exist


RESULT_TABLES: Final = (
    ResultTableSpec(
        caption=r"JP Language Model Evaluation Harness",
        benchmark="JP Language Model Evaluation Harness",
        metric="average score",
        setting="few-shot",
        evidence=r"Table\s+2\s+lists\s+the\s+average\s+scores",
    ),
    ResultTableSpec(
        caption=r"ImageNet image classification accuracy in a zero-shot setting",
        benchmark="ImageNet",
        metric="top-1 accuracy",
        setting="zero-shot",
        evidence=r"Table\s+3\s+shows\s+the\s+top-1\s+accuracy",
    ),
    ResultTableSpec(
        caption=r"word error rates for the fine-tuned HuBERT models",
        benchmark="Corpus of Spontaneous Japanese",
        metric="word error rate",
        setting=None,
        evidence=r"We\s+used\s+Corpus\s+of\s+Spontaneous\s+Japanese",
    ),
)


def matches(text: str) -> bool:
    """This parser reads the paper whose first heading is the rinna paper's title."""
    for line in text.splitlines():
        if line.startswith("# "):
            return re.sub(r"\s+", " ", line[2:]).strip().casefold() == TITLE.casefold()
    return False


class _Reader:
    def __init__(self, text: str, source: SourceDocument) -> None:
        self.text = text
        self.source = source
        self.path = source.path
        self.tables = read_tsv_tables(text, path=self.path)
        self.prose = Prose(_prose_view(text, self.tables), self.path)
        self.footnotes = read_footnotes(text)
        self.released: list[str] = []
        self.linked: dict[str, tuple[str, str]] = {}  # written name → (hf id, footnote text)

    # -- model names ------------------------------------------------------------------------

    def single_name(self, cell: str, line: int) -> str:
        names = italic_names(cell)
        if len(names) != 1:
            raise PaperFormatError(f"{self.path}:{line}: expected one model name in {cell!r}")
        return names[0]

    def read_links(self) -> None:
        """Names in prose followed by a footnote pointing to a huggingface.co repo."""
        for match in self.prose.finditer(r"\*(?P<name>[^*\s]+/[^*\s]+)\*<sup>(?P<n>\d+)</sup>"):
            note = self.footnotes.get(match.group("n"))
            url_match = _HF_URL.match(note[0]) if note else None
            if note and url_match:
                self.linked[match.group("name")] = (
                    url_match.group("id"), f"footnote {match.group('n')} (L{note[1]}): {note[0]}"
                )

    def ref(self, written: str) -> ModelRef:
        """The identity of a model name (see the module docstring)."""
        if written in self.released:
            return ModelRef.repo(written)
        if written in self.linked:
            hf_id, note = self.linked[written]
            if hf_id == written:
                return ModelRef.repo(written)
            return ModelRef.alias(written, hf_id, note)
        candidates = [r for r in self.released if _abbreviates(written, r)]
        if len(candidates) == 1:
            return ModelRef.alias(written, candidates[0],
                                  f"the only released model {written} can denote")
        if candidates:
            return ModelRef.label(written, "ambiguous: " + " or ".join(candidates))
        return ModelRef.label(written)

    # -- model tables -----------------------------------------------------------------------

    def model_tables(self) -> list[TsvTable]:
        return [t for t in self.tables
                if t.header[0] == MODEL_COLUMN and t.column("Release date") is not None]

    def model_facts(self) -> list[PaperModelFact]:
        tables = self.model_tables()
        if not tables:
            raise PaperFormatError(
                f"{self.path}: no model table ('{MODEL_COLUMN}' … 'Release date')")
        for table in tables:
            for row in table.rows:
                self.released.append(self.single_name(row.first, row.line))
        self.released = unique(self.released)
        facts: list[PaperModelFact] = []
        for table in tables:
            table_id = self.table_id(table)
            size, licence, date = (
                table.column(c) for c in ("Model size", "License", "Release date"))
            for row in table.rows:
                if row.group is None:
                    raise PaperFormatError(f"{self.path}:{row.line}: model row without group row")
                facts.append(PaperModelFact(
                    model=ModelRef.repo(self.single_name(row.first, row.line)),
                    group=row.group,
                    table=table_id,
                    line=row.line,
                    size=_cell(row.cells, size),
                    license=_cell(row.cells, licence),
                    release_date=_cell(row.cells, date),
                ))
        return facts

    def table_id(self, table: TsvTable) -> str:
        if table.table_id is None:
            raise PaperFormatError(f"{self.path}:{table.header_line}: table without caption")
        return table.table_id

    def table1(self) -> TsvTable:
        for table in self.model_tables():
            if table.column("Model size") is not None:
                return table
        raise PaperFormatError(f"{self.path}: no model table with a 'Model size' column (Table 1)")

    # -- result tables ----------------------------------------------------------------------

    def harness_tasks(self) -> tuple[BenchmarkTask, ...]:
        match = self.prose.search(
            r"average\s+scores\s+for\s+the\s+(?P<tasks>.+?)\s+tasks\.\s+The\s+few-shot\s+numbers"
            r"\s+were\s+(?P<shots>[\d,\sand]+?)\.",
            "the tasks and shot counts of Table 2",
        )
        tasks = split_series(match.group("tasks"))
        shots = [int(n) for n in re.findall(r"\d+", match.group("shots"))]
        if len(tasks) != len(shots):
            raise PaperFormatError(
                f"{self.path}:{self.prose.line(match)}: {len(tasks)} tasks but {len(shots)} shots"
            )
        line = self.prose.line(match)
        return tuple(BenchmarkTask(name, n, line) for name, n in zip(tasks, shots, strict=True))

    def results(self) -> list[EvaluationRecord]:
        records: list[EvaluationRecord] = []
        model_tables = {id(t) for t in self.model_tables()}
        for table in self.tables:
            if id(table) in model_tables:
                continue
            if table.header[0] != MODEL_COLUMN:
                raise PaperFormatError(f"{self.path}:{table.header_line}: unknown table layout")
            spec = self.spec_for(table)
            self.prose.search(spec.evidence, f"the prose describing {self.table_id(table)}")
            tasks = self.harness_tasks() if spec.metric == "average score" else ()
            value_columns = list(range(1, len(table.header)))
            for row in table.rows:
                setting: str | None
                if row.entity is not None:
                    model, setting = row.entity, row.first
                else:
                    model, setting = row.first, spec.setting
                ref = self.ref(self.single_name(model, row.line))
                for column in value_columns:
                    score = row.cells[column]
                    if not score:
                        continue
                    if not re.fullmatch(r"\d+(?:\.\d+)?", score):
                        raise PaperFormatError(f"{self.path}:{row.line}: not a score: {score!r}")
                    records.append(EvaluationRecord(
                        model=ref,
                        benchmark=spec.benchmark,
                        metric=spec.metric,
                        score_text=score,
                        table=self.table_id(table),
                        line=row.line,
                        setting=setting,
                        evaluation_set=table.header[column] if len(value_columns) > 1 else None,
                        tasks=tasks,
                    ))
        return records

    def spec_for(self, table: TsvTable) -> ResultTableSpec:
        for spec in RESULT_TABLES:
            if table.caption and re.search(spec.caption, table.caption):
                return spec
        raise PaperFormatError(
            f"{self.path}:{table.header_line}: no reading known for the table captioned "
            f"{table.caption!r}"
        )

    # -- prose: training data and lineage ---------------------------------------------------

    def refs_in(self, table: TsvTable, released: bool) -> list[ModelRef]:
        """Model references of a table (its rows and entity rows), released ones or the others."""
        names = unique([self.single_name(r.entity or r.first, r.line) for r in table.rows])
        refs = [self.ref(name) for name in names]
        return [r for r in refs if (r.written in self.released) == released]

    def result_table(self, benchmark: str) -> TsvTable:
        for table in self.tables:
            if table.caption and any(
                s.benchmark == benchmark and re.search(s.caption, table.caption)
                for s in RESULT_TABLES
            ):
                return table
        raise PaperFormatError(f"{self.path}: no result table for {benchmark!r}")

    def gpt_models(self) -> tuple[list[ModelRef], list[ModelRef]]:
        """Table 1's Japanese-only and bilingual GPT models (§3.1 discusses them)."""
        language = [self.single_name(r.first, r.line) for r in self.table1().rows
                    if r.group == "Language model"]
        japanese = [ModelRef.repo(n) for n in language
                    if _repo_name(n).startswith("japanese-gpt")]
        bilingual = [ModelRef.repo(n) for n in language
                     if _repo_name(n).startswith("bilingual-gpt")]
        if not japanese or not bilingual:
            raise PaperFormatError(
                f"{self.path}: Table 1 lacks the Japanese / bilingual GPT models")
        return japanese, bilingual

    def instruction_models(self, bases: Iterable[ModelRef]) -> list[tuple[ModelRef, ModelRef, str]]:
        """(child, base, stage) for the released instruction-following checkpoints of ``bases``."""
        base_ids = {b.written: b for b in bases}
        found = []
        for name in self.released:
            match = _INSTRUCTION_RELEASE.match(name)
            if match and match.group("base") in base_ids:
                found.append((ModelRef.repo(name), base_ids[match.group("base")],
                              match.group("stage")))
        return found

    def training_data(self, harness_table: TsvTable) -> list[TrainingDataStatement]:
        japanese, bilingual = self.gpt_models()
        statements: list[TrainingDataStatement] = []

        ja = self.prose.search(
            r"For\s+Japanese-specific\s+GPT\s+models,\s+we\s+used\s+(?P<data>.+?)\s+for\s+"
            r"pre-training\.", "§3.1.2 pre-training data")
        ja_data = split_series(ja.group("data"))
        statements.append(TrainingDataStatement(
            tuple(japanese), "Japanese-specific GPT models", "pretraining", tuple(ja_data),
            self.prose.sentence(ja), self.prose.line(ja)))

        bi = self.prose.search(
            r"For\s+bilingual\s+English-Japanese\s+GPT\s+models,\s+we\s+additionally\s+used\s+"
            r"(?P<data>.+?)\s+datasets\.", "§3.1.2 bilingual pre-training data")
        statements.append(TrainingDataStatement(
            tuple(bilingual), "bilingual English-Japanese GPT models", "pretraining",
            tuple(unique([*ja_data, *split_series(bi.group("data"))])),
            f"{self.prose.sentence(ja)} {self.prose.sentence(bi)}", self.prose.line(bi)))

        inst = self.prose.search(
            r"The\s+instruction-following\s+models\s+were\s+trained\s+on\s+(?P<data>.+?)\s+"
            r"datasets\.", "§3.1.2 instruction data")
        followers = [child for child, _, _ in self.instruction_models([*japanese, *bilingual])]
        followers += [child for child, _, _ in self.aliased_instruction_models(harness_table)]
        statements.append(TrainingDataStatement(
            tuple(unique_refs(followers)), "instruction-following models", "instruction-tuning",
            tuple(_translated(split_series(inst.group("data")))),
            self.prose.sentence(inst), self.prose.line(inst)))

        clip_table = self.result_table("ImageNet")
        clip = self.prose.search(r"Owing\s+to\s+the\s+absence[^.]*?we\s+used\s+"
                                 r"(?P<data>[^.(]+?)\s*(?:\([^)]*\))?\.",
                                 "§4.1.2 CLIP training data")
        statements.append(TrainingDataStatement(
            tuple(self.refs_in(clip_table, released=True)), "Japanese CLIP models", "pretraining",
            tuple(split_series(clip.group("data"))), self.prose.sentence(clip),
            self.prose.line(clip, "data")))

        laion = self.prose.search(r"trained\s+on\s+full\s+(?P<data>LAION-5B)",
                                  "§4.1.3 baselines' training data")
        statements.append(TrainingDataStatement(
            tuple(self.refs_in(clip_table, released=False)), "open-source multilingual CLIP models",
            "pretraining", (laion.group("data"),), self.prose.sentence(laion),
            self.prose.line(laion)))

        sd_child = self.jsd()
        sd = self.prose.search(r"images\s+with\s+Japanese\s+captions,\s+including\s+the\s+"
                               r"(?P<data>Japanese\s+subset\s+LAION-5B)",
                               "§4.2.2 JSD training data")
        statements.append(TrainingDataStatement(
            (sd_child,), "Japanese-specific SD (JSD)", "fine-tuning",
            (clean_prose(sd.group("data")),), self.prose.sentence(sd), self.prose.line(sd)))

        hubert_table = self.result_table("Corpus of Spontaneous Japanese")
        hubert = self.prose.search(r"We\s+used\s+the\s+(?P<data>\w+)\s+corpus",
                                   "§5.1.2 HuBERT training data")
        statements.append(TrainingDataStatement(
            tuple(self.refs_in(hubert_table, released=True)), "Japanese HuBERT", "pretraining",
            (hubert.group("data"),), self.prose.sentence(hubert), self.prose.line(hubert)))

        base = self.prose.search(r"\*(?P<model>[^*]+)\*(?:<sup>\d+</sup>)?,\s+pre-trained\s+with\s+"
                                 r"[^,]*?\s+from\s+(?P<data>[A-Z]\w+)", "§5.1.3 baseline data")
        statements.append(TrainingDataStatement(
            (self.ref(base.group("model")),), "public HuBERT model", "pretraining",
            (base.group("data"),), self.prose.sentence(base), self.prose.line(base)))
        return statements

    def jsd(self) -> ModelRef:
        match = self.prose.search(r"JSD\s+at\s+the\s+second\s+stage\s+\(\*(?P<model>[^*]+)\*\)",
                                  "the released JSD checkpoint")
        ref = self.ref(match.group("model"))
        if ref.kind != "hf":
            raise PaperFormatError(f"{self.path}:{self.prose.line(match)}: JSD is not released")
        return ref

    def aliased_instruction_models(
        self, harness_table: TsvTable
    ) -> list[tuple[ModelRef, ModelRef, str]]:
        """(child, base, stage) for Table 2's shortened names ``<base>-sft`` / ``<base>-ppo``."""
        found = []
        for row in harness_table.rows:
            name = self.single_name(row.first, row.line)
            match = _INSTRUCTION_ALIAS.match(name)
            if match and match.group("base") in self.released and name not in self.released:
                found.append((self.ref(name), ModelRef.repo(match.group("base")),
                              match.group("stage")))
        return found

    def lineage(self, harness_table: TsvTable) -> list[LineageStatement]:
        statements: list[LineageStatement] = []

        tuned = self.prose.search(r"we\s+fine-tuned\s+\*(?P<model>[^*]+)\*",
                                  "the model JSD was fine-tuned from")
        sentence = self.prose.sentence(tuned)
        if "JSD" not in sentence:
            raise PaperFormatError(f"{self.path}:{self.prose.line(tuned)}: not about JSD")
        statements.append(LineageStatement(self.jsd(), self.ref(tuned.group("model")),
                                           "FineTuning", sentence, self.prose.line(tuned)))

        japanese, bilingual = self.gpt_models()
        released = self.prose.search(r"we\s+also\s+released\s+their\s+instruction-following\s+"
                                     r"versions", "§3.1.1 instruction-following versions")
        seen: set[tuple[str, str]] = set()
        for child, base, stage in self.instruction_models([*japanese, *bilingual]):
            seen.add((child.key, base.key))
            statements.append(LineageStatement(child, base, _STAGE_DERIVATION[stage],  # type: ignore[arg-type]
                                               self.prose.sentence(released),
                                               self.prose.line(released)))
        improved = self.prose.search(r"instruction\s+tuning\s+via\s+SFT\s+or\s+PPO",
                                     "§3.1.3 instruction tuning of the Table 2 models")
        for child, base, stage in self.aliased_instruction_models(harness_table):
            if (child.key, base.key) in seen:
                continue
            seen.add((child.key, base.key))
            statements.append(LineageStatement(child, base, _STAGE_DERIVATION[stage],  # type: ignore[arg-type]
                                               self.prose.sentence(improved),
                                               self.prose.line(improved),
                                               method="PaperTable"))

        encoder = self.prose.search(
            r"We\s+used\s+the\s+pre-trained\s+(?P<model>.+?Vision\s+Transformer)(?:\s*\([^)]*\))?"
            r"\s+for\s+the\s+image\s+encoder", "§4.1.1 the CLIP image encoder's initialisation")
        label = clean_prose(encoder.group("model"))
        for child in self.refs_in(self.result_table("ImageNet"), released=True):
            statements.append(LineageStatement(child, ModelRef.label(label), "Initialization",
                                               self.prose.sentence(encoder),
                                               self.prose.line(encoder), parent_label=label))
        return statements

    # -- the whole paper --------------------------------------------------------------------

    def read(self) -> PaperDocument:
        front = read_front_matter(self.text, path=self.path)
        facts = self.model_facts()
        self.read_links()
        results = self.results()
        harness_table = self.result_table("JP Language Model Evaluation Harness")
        bibliography = paper_bibliography(TITLE)
        metadata = PaperMetadata(
            title=front.title,
            authors=front.authors,
            affiliations=front.affiliations,
            venue=bibliography.venue,
            year=bibliography.year,
            arxiv_id=bibliography.arxiv_id,
            url=bibliography.url,
            metadata_origin=bibliography.origin,
        )
        orgs = unique([name.partition("/")[0] for name in self.released])
        return PaperDocument(
            source=self.source,
            metadata=metadata,
            model_facts=tuple(facts),
            results=tuple(results),
            lineage=tuple(self.lineage(harness_table)),
            training_data=tuple(self.training_data(harness_table)),
            released=tuple(ModelRef.repo(name) for name in self.released),
            released_orgs=tuple(orgs),
        )


def _cell(cells: tuple[str, ...], index: int | None) -> str | None:
    if index is None:
        return None
    value = cells[index].strip()
    return value or None


def _repo_name(hf_id: str) -> str:
    return hf_id.partition("/")[2]


def _abbreviates(written: str, released: str) -> bool:
    """``written`` is ``released`` with omittable tokens left out (same organisation)."""
    w_org, _, w_name = written.partition("/")
    r_org, _, r_name = released.partition("/")
    if w_org != r_org or written == released:
        return False
    kept = [t for t in r_name.split("-") if not _ALIAS_OMITTABLE.match(t)]
    return kept == w_name.split("-")


def _translated(items: list[str]) -> list[str]:
    """"Japanese translation of the Anthropic HH" names the dataset "Anthropic HH"."""
    return [re.sub(r"^Japanese\s+translation\s+of\s+(?:the\s+)?", "", item) for item in items]


def unique_refs(refs: Iterable[ModelRef]) -> list[ModelRef]:
    """References in first-seen order, one per model identity (repo id or label)."""
    seen: dict[str, ModelRef] = {}
    for ref in refs:
        seen.setdefault(ref.key, ref)
    return list(seen.values())


def _prose_view(text: str, tables: list[TsvTable]) -> str:
    """The text with tables, captions, headings and footnote lines blanked (line numbers kept),
    so that a sentence cut by a table reads as one."""
    lines = text.splitlines()
    for table in tables:
        last = table.rows[-1].line if table.rows else table.header_line
        for number in range(table.header_line, last + 1):
            lines[number - 1] = ""
        if table.caption_line:
            lines[table.caption_line - 1] = ""
    for number, line in enumerate(lines):
        if re.match(r"^(?:<sup>\d+</sup>\s*<https?://|Figure\s+\d+:|#)", line.strip()):
            lines[number] = ""
    return "\n".join(lines)


def parse(text: str, source: SourceDocument) -> PaperDocument:
    """Read the rinna paper into a PaperDocument."""
    return _Reader(text, source).read()


PARSER: Final = PaperParser(name="rinna-2404.01657", matches=matches, parse=parse)
