"""The mapper's view of a row's cells: normalized values, ready to be assigned to checkpoints.

This module only calls the normalize stage's public functions and adapts their results to
what the list mapper needs (a selector and an ``additive`` flag on every per-variant value), so
that the mapper itself never parses text.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, replace
from decimal import Decimal
from typing import Generic, Protocol, TypeVar

from jllm_kg.ingest.records import Category, Cell, Checkpoint, ColumnKey, Footnote
from jllm_kg.map.identity import ModelNode
from jllm_kg.normalize import quantities
from jllm_kg.normalize.architectures import ArchitectureRef, parse_architecture_cell
from jllm_kg.normalize.base_models import BaseRef, parse_base_cell
from jllm_kg.normalize.datasets import (
    TrainingStatement,
    find_parent_models,
    parse_training_data_cell,
)
from jllm_kg.normalize.developers import DeveloperRef, parse_developer_cell
from jllm_kg.normalize.domains import domain_concepts
from jllm_kg.normalize.labels import (
    name_size_texts,
    name_tokens,
    named_item_sizes,
    stages_of,
    written_label_key,
)
from jllm_kg.normalize.licenses import LicenseStatement, parse_license_cell
from jllm_kg.normalize.quantities import ContextStatement, ParameterSize
from jllm_kg.normalize.selectors import CheckpointName, Selector, assign_by_selector, parse_selector
from jllm_kg.normalize.text import match_key
from jllm_kg.vocab import JLLM


@dataclass(frozen=True)
class ParentMention:
    """A parent model named in a training-data cell, for the checkpoint at ``model_index``."""

    model_index: int
    label: str
    relation: str
    evidence: str
    line: int | None = None  # the footnote's line, when a footnote of the cell names it


class PerVariant(Protocol):
    """A value a cell states for some of a row's checkpoints: licence, context, base and
    training statements (their selector is parsed, or the tokens of one)."""

    @property
    def selector(self) -> Selector | tuple[str, ...] | None: ...


V = TypeVar("V", bound=PerVariant)


@dataclass(frozen=True)
class _Selected(Generic[V]):
    """A per-variant value with the selector protocol of ``normalize.selectors``: its parsed
    selector and whether it adds to the row's other values."""

    value: V
    selector: Selector | None
    additive: bool = False


def _as_selector(selector: object) -> Selector | None:
    if selector is None or isinstance(selector, Selector):
        return selector
    if isinstance(selector, tuple | list):
        return parse_selector(" ".join(str(token) for token in selector)) if selector else None
    return parse_selector(str(selector))


def _selected(value: V) -> _Selected[V]:
    # the selector as written parses better than its tokens ("base (v2) & large")
    selector_text: str | None = getattr(value, "selector_text", None)
    selector = parse_selector(selector_text) if selector_text else _as_selector(value.selector)
    return _Selected(value, selector, bool(getattr(value, "additive", False)))


def _checkpoint_names(models: Sequence[ModelNode]) -> list[CheckpointName]:
    return [
        CheckpointName(label=model.checkpoint.label if model.checkpoint else model.name,
                       hf_id=model.hf_id)
        for model in models
    ]


def assign(statements: Sequence[V], models: Sequence[ModelNode]) -> dict[int, list[V]]:
    """Which statements apply to which model (by index), by the statements' selectors."""
    hits = assign_by_selector([_selected(s) for s in statements], _checkpoint_names(models))
    return {index: [wrapped.value for wrapped in found] for index, found in hits.items()}


_TUNING_PHASES = frozenset({"instruction-tuning", "preference-tuning"})
_PRETRAINING_PHASES = frozenset({"pretraining", "continual-pretraining"})
# Stages that do not change what the weights were trained on: a quantization of a checkpoint
# is trained on exactly what that checkpoint is trained on.
_WEIGHT_PRESERVING_STAGES = frozenset({"quantization"})


def _training_stages(models: Sequence[ModelNode]) -> list[frozenset[str]]:
    """The training stages each checkpoint's name shows (instruction, preference, adapter), its
    quantization left out: ``youri-7b-gptq`` is the base ``youri-7b``. In a row whose names
    show no stage but call one checkpoint ``base``, the others are the tuned ones
    (``shisa-base-7b-v1`` / ``shisa-7b-v1``)."""
    stages = [frozenset(stage.name for stage in stages_of(model.name)
                        if stage.name not in _WEIGHT_PRESERVING_STAGES) for model in models]
    if any(stages):
        return stages
    literal_base = ["base" in name_tokens(model.name) for model in models]
    if any(literal_base) and not all(literal_base):
        return [frozenset() if is_base else frozenset({"instruction"})
                for is_base in literal_base]
    return stages


def _statement_phases(statement: TrainingStatement) -> frozenset[str]:
    return frozenset(statement.phases or (statement.phase,))


def _default_targets(statement: TrainingStatement, stages: Sequence[frozenset[str]]) -> set[int]:
    """The checkpoints an unselected statement describes, from its phase(s).

    Pre-training (and any statement naming a non-tuning phase) describes every checkpoint of the
    row; an instruction-tuning line the tuned ones; a preference-tuning line (DPO, PPO …) the
    ones whose name shows a preference stage, else the tuned ones. A row with no such
    checkpoint is one model described by every line (``suzume-llama-3-8B-japanese``, whose
    only other checkpoint is its gguf).
    """
    everyone = set(range(len(stages)))
    phases = _statement_phases(statement)
    if not phases or not phases <= _TUNING_PHASES:
        return everyone
    tuned = {i for i, s in enumerate(stages) if s}
    if phases == {"preference-tuning"}:
        preferred = {i for i, s in enumerate(stages) if "preference" in s}
        return preferred or tuned or everyone
    return tuned or everyone


def _phase_key(statement: TrainingStatement) -> frozenset[str]:
    phases = _statement_phases(statement)
    # "Pre-training:" in a continual section and the section default are the same phase
    return frozenset("pretraining" if p in _PRETRAINING_PHASES else p for p in phases)


def _without(statement: TrainingStatement, excluded: set[str]) -> TrainingStatement:
    kept = tuple(d for d in statement.datasets if d.key not in excluded)
    return statement if len(kept) == len(statement.datasets) else replace(statement, datasets=kept)


def assign_training(statements: Sequence[TrainingStatement], models: Sequence[ModelNode]
                    ) -> dict[int, list[TrainingStatement]]:
    """Which training-data statements describe which model (by index).

    Why not :func:`assign` (most specific selector wins): a training cell describes a pipeline,
    so a selected line speaks of one phase only and never removes the data of another phase
    (``*instruction-sft モデルでは …`` leaves the pre-training data of the sft checkpoint). Rules:

    - unselected statements go to the checkpoints their phase describes (:func:`_default_targets`);
      a quantized checkpoint counts as the checkpoint it quantizes and gets its data;
    - selected statements of one phase are matched like any per-variant value (most specific
      selector of that phase wins, ``others`` = not covered by another selector of that phase);
    - a selected statement that names datasets *replaces* the unselected ones of its phase for
      the checkpoints it selects (``*v0.1モデルでは OASST1, OASST2 を使用``), unless it says it
      adds to them (``additive``: "さらに … を追加", "も含めて", "+Alpaca in NC model");
    - exclusions (``v2では … Alpaca Dataset を除外``, "discarded in v2") remove those datasets
      from every statement of the checkpoints they select.
    Returned statements are the parser's statements (exclusions applied as copies); every
    model index is present.
    """
    names = _checkpoint_names(models)
    stages = _training_stages(models)
    chosen: dict[int, list[TrainingStatement]] = {i: [] for i in range(len(models))}
    exclusions: dict[int, set[str]] = {i: set() for i in range(len(models))}

    selected = [s for s in statements if _selector_of(s) is not None]
    for statement in selected:
        if statement.excluded and not statement.datasets:
            hits = assign_by_selector([_selected(statement)], names)
            for index, found in hits.items():
                if found:
                    exclusions[index].update(d.key for d in statement.excluded)
    by_phase: dict[frozenset[str], list[TrainingStatement]] = {}
    for statement in selected:
        if not (statement.excluded and not statement.datasets):
            by_phase.setdefault(_phase_key(statement), []).append(statement)
    replaced: dict[int, set[frozenset[str]]] = {i: set() for i in range(len(models))}
    selected_hits: dict[int, list[TrainingStatement]] = {i: [] for i in range(len(models))}
    for phase, group in by_phase.items():
        for index, found in assign_by_selector([_selected(s) for s in group], names).items():
            for wrapped in found:
                selected_hits[index].append(wrapped.value)
                if wrapped.value.datasets and not wrapped.value.additive:
                    replaced[index].add(phase)

    for statement in statements:
        if _selector_of(statement) is not None:
            continue
        for index in sorted(_default_targets(statement, stages)):
            if _phase_key(statement) not in replaced[index]:
                chosen[index].append(statement)
    for index, extra in selected_hits.items():
        chosen[index].extend(s for s in extra if s not in chosen[index])
    order = {id(s): n for n, s in enumerate(statements)}
    return {
        index: [_without(s, exclusions[index])
                for s in sorted(found, key=lambda s: order[id(s)])]
        for index, found in chosen.items()
    }


def _selector_of(statement: TrainingStatement) -> Selector | None:
    return _selected(statement).selector


def model_sizes(row_cells: Mapping[ColumnKey, Cell], models: Sequence[ModelNode],
                size_in_name: bool = True) -> dict[int, ParameterSize]:
    """The parameter size of each model of a row (by index), where the row states it.

    In order, the first that gives a size:

    1. the checkpoint's own link: its bold size or a label that is only a size
       (``[**13b**-instruct]``, ``[**4b(3.8b)**]``);
    2. a ``word(size)`` item of the architecture / base cell named like the checkpoint's label
       (002: ``small(160M), medium(400M)`` for the links ``small``, ``medium``);
    3. the sizes the architecture / base cell states in bold outside links (``Llama 3
       (**70b**)``, ``Mixtral-8x7B-Instruct-v0.1 (**46.7b**)``, ``MoE (**47b**)``). With one
       stated size, a checkpoint whose name has a size token agreeing with it (the same size
       within rounding, or an MoE ``8x7b`` whose total lies between 7b and 56b) gets it, and
       so does the only model of a one-model row; not when some checkpoint of the row names a
       size that disagrees (Rakuten ``8x7B`` on ``Mistral-7B-v0.1 (**7b**)``: the cell gives
       the base's size, not the row's). With several stated sizes, a checkpoint gets the one
       equal to the size token of its own name, if exactly one is;
    4. an explicit size token in billions in the checkpoint's link label or repo name
       (``1.3b-v1.0``, ``Swallow-70b-hf``); ``M`` tokens (``…-scratch-2m``) and MoE tokens
       (``8x7b``, no total) are not sizes enough to publish. Not when ``size_in_name`` is
       False: a vision-language model's name carries the size of the LLM it is built on
       (``heron-chat-blip-ja-stablelm-base-7b-v1``, ``bilingual-gpt-neox-4b-minigpt4``).
    Nothing is guessed: a checkpoint none of these covers has no size.
    """
    stated_cells = [row_cells.get(key) for key in ("architecture", "base")]
    named = _named_item_sizes(stated_cells)
    stated = _distinct([size for cell in stated_cells for size in _bold_outside_links(cell)])
    tokens = [_name_size_tokens(model) for model in models]
    single = stated[0] if len(stated) == 1 else None
    if single is not None and not all(_agrees(single, t) for t in tokens):
        single = None
    sizes: dict[int, ParameterSize] = {}
    for index, model in enumerate(models):
        size = checkpoint_size(model.checkpoint, model.name)
        if size is None and model.checkpoint is not None:
            size = named.get(written_label_key(model.checkpoint.label))
        if size is None and single is not None and (tokens[index] or len(models) == 1):
            # a checkpoint of a several-model row must name the size itself: "(large,
            # **2.7b**)" sizes gpt-neox-japanese-2.7b, not gpt2-large
            size = single
        if size is None and len(stated) > 1:
            matching = [s for s in stated if any(_same_size(s.value, t) for t in tokens[index]
                                                 if t.experts is None)]
            size = matching[0] if len(matching) == 1 else None
        if size is None and size_in_name:
            plain = _distinct([t for t in tokens[index]
                               if t.experts is None and t.text.lower().endswith("b")])
            size = plain[0] if len(plain) == 1 else None
        if size is not None:
            sizes[index] = size
    return sizes


def _name_size_tokens(model: ModelNode) -> list[ParameterSize]:
    """Size tokens standing alone (between ``-``) in a checkpoint's link label and repo name;
    ``japanese-stablelm-2-1_6b`` has none (``1_6b`` is not a size notation)."""
    names = [model.name]
    if model.checkpoint is not None:
        names.append(model.checkpoint.label)
    found: list[ParameterSize] = []
    for name in names:
        for token in name_size_texts(name):
            size = _size(token)
            if size is None:
                moe = quantities.parse_parameter_size(token)
                size = moe if moe is not None and moe.experts is not None else None
            if size is not None:
                found.append(size)
    return found


def _same_size(a: Decimal | None, b: ParameterSize | Decimal) -> bool:
    """Equal within the rounding of a nominal size (``7b`` names a 6.7b model)."""
    value = b.value if not isinstance(b, Decimal) else b
    return a is not None and value is not None and abs(a - value) <= Decimal("0.1") * a


def _agrees(stated: ParameterSize, tokens: Sequence[ParameterSize]) -> bool:
    """Whether every size token of a checkpoint's name is compatible with a stated size."""
    if stated.value is None:  # cannot happen: stated sizes come from _size
        return False
    for token in tokens:
        if token.experts is not None and token.expert_size is not None:
            if not token.expert_size < stated.value <= token.experts * token.expert_size:
                return False
        elif not _same_size(stated.value, token):
            return False
    return True


def _distinct(sizes: Sequence[ParameterSize]) -> list[ParameterSize]:
    seen: dict[tuple[Decimal | None, Decimal | None, Decimal | None], ParameterSize] = {}
    for size in sizes:
        seen.setdefault((size.value, size.nominal, size.active), size)
    return list(seen.values())


def _bold_outside_links(cell: Cell | None) -> list[ParameterSize]:
    """Sizes a cell writes in bold outside its links (a link's bold size is its own)."""
    if cell is None:
        return []
    sizes = []
    for line in cell.lines:
        inside = [span for link in line.links for span in link.bold]
        for span in line.bold:
            if span in inside:
                inside.remove(span)
                continue
            size = _size(span)
            if size is not None:
                sizes.append(size)
    return sizes


def _named_item_sizes(cells_: Sequence[Cell | None]) -> dict[str, ParameterSize]:
    """``word(size)`` items written outside links (``small(160M)``, ``xl(1.5b)``), by word."""
    found: dict[str, ParameterSize] = {}
    for cell in cells_:
        if cell is None:
            continue
        for line in cell.lines:
            text = line.text
            for link in line.links:
                text = text.replace(link.text, " ")
            for name, size_text in named_item_sizes(text):
                size = _size(size_text)
                if size is not None:
                    found.setdefault(written_label_key(name), size)
    return found


def lines(cell: Cell) -> list[str]:
    return [line.text for line in cell.lines]


def year(cell: Cell) -> int | None:
    return quantities.parse_year(cell.text)


def developers(cell: Cell) -> list[DeveloperRef]:
    return list(parse_developer_cell(" ".join(lines(cell))))


def licenses(cell: Cell) -> list[LicenseStatement]:
    return parse_license_cell(lines(cell))


def architectures(cell: Cell) -> list[ArchitectureRef]:
    """The architectures of the cell's first line, without the checkpoint links a row may
    write on that line ("PLaMo 3ベース ([**8b**-chat](…))", ja L54 at 941b11f)."""
    if not cell.lines:
        return []
    line = cell.lines[0]
    text = line.text
    listed = re.match(r"^(?P<name>.+?)\s*\((?P<items>[^()]+)\)\s*$", text)
    labels = {match_key(link.text) for link in line.links}
    if listed and labels and all(match_key(item) in labels for item in
                                 re.split(r"\s*[,、]\s*", listed["items"].strip())):
        text = listed["name"]
    return list(parse_architecture_cell(text))

def _size(text: str) -> ParameterSize | None:
    """A parameter size, or None when the text is not a size notation (a link label)."""
    try:
        size = quantities.parse_parameter_size(text)
    except quantities.QuantityParseError:
        return None
    return size if size is not None and size.value is not None else None


def checkpoint_size(checkpoint: Checkpoint | None, name: str) -> ParameterSize | None:
    """The size a checkpoint link states: its bold text, or a label that is only a size."""
    if checkpoint is None:
        return None
    for candidate in (checkpoint.size, checkpoint.label):
        size = _size(candidate) if candidate else None
        if size is not None:
            return size
    return None


def context_lengths(cell: Cell) -> list[ContextStatement]:
    return list(quantities.parse_context_cell(lines(cell)))


def domains(cell: Cell) -> list[str]:
    """Domain concept IRIs of a domain cell; text that no alias names gives nothing."""
    return [str(JLLM[concept]) for concept in domain_concepts(lines(cell))]


def training_statements(cell: Cell, category: Category) -> list[TrainingStatement]:
    return list(parse_training_data_cell(cell.lines, section_approach=category.approach,
                                         section_modality=category.modality))


def footnote_mentions(cell: Cell, footnotes: Mapping[str, Footnote],
                      assigned: Mapping[int, Sequence[TrainingStatement]]) -> list[ParentMention]:
    """Parents a footnote of a training-data line names ("[^17]: Instruction Tuning を行う前に、
    Llama 3 Instruct と Llama 3 Base の差分の Chat Vector を加えている"), for the checkpoints the
    line's statements reach; the evidence is the footnote as written, at its line."""
    mentions: list[ParentMention] = []
    for line in cell.lines:
        notes = [footnotes[ref] for ref in line.footnotes if ref in footnotes]
        if not notes:
            continue
        for index, chosen in sorted(assigned.items()):
            if not any(statement.text and statement.text in line.text for statement in chosen):
                continue
            for note in notes:
                for model in find_parent_models(note.text).mentions:
                    mentions.append(ParentMention(index, model.label, model.relation, note.text,
                                                  note.line))
    return mentions


def token_totals(statement: TrainingStatement,
                 models: Sequence[ModelNode]) -> dict[int, list[Decimal]]:
    """The model-level token totals of a statement (per-dataset counts excluded), by model
    index: a count given for one variant (``alpha1: 0.7T tokens``) reaches only it."""
    totals = [amount for amount in statement.amounts
              if isinstance(amount, quantities.TokenCount)]
    return {index: [amount.tokens for amount in chosen]
            for index, chosen in assign(totals, models).items()}


def checkpoint_alternatives(statements: Sequence[ContextStatement],
                            models: Sequence[ModelNode]) -> dict[int, list[ContextStatement]]:
    """Which of a cell's alternative values (``4,096 or 8,192``: one per checkpoint, without
    saying which) is whose: the checkpoint whose name has the value's digits
    (``…-sq4096-alpha``). A value no name has reaches no checkpoint: none is told apart."""
    chosen: dict[int, list[ContextStatement]] = {}
    for statement in statements:
        digits = str(statement.tokens)
        for index, model in enumerate(models):
            if any(digits in token for token in name_tokens(model.name)):
                chosen.setdefault(index, []).append(statement)
    return chosen


def base_references(cell: Cell) -> list[BaseRef]:
    bold = [span for line in cell.lines for span in line.bold]
    return list(parse_base_cell(lines(cell), bold))
