"""The mapper's view of a row's cells: normalized values, ready to be assigned to checkpoints.

This module only calls the normalize stage's public functions and adapts their results to
what the list mapper needs (a selector and an ``additive`` flag on every per-variant value), so
that the mapper itself never parses text.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from decimal import Decimal
from functools import cache
from typing import Any

from jllm_kg.ingest.records import Cell, Checkpoint
from jllm_kg.map.identity import ModelNode
from jllm_kg.map.siblings import stages_of
from jllm_kg.normalize import quantities
from jllm_kg.normalize.architectures import parse_architecture_cell
from jllm_kg.normalize.base_models import parse_base_cell
from jllm_kg.normalize.curated import load_curated
from jllm_kg.normalize.datasets import parse_training_data_cell
from jllm_kg.normalize.developers import parse_developer_cell
from jllm_kg.normalize.licenses import LicenseStatement, parse_license_cell
from jllm_kg.normalize.selectors import CheckpointName, Selector, assign_by_selector, parse_selector
from jllm_kg.normalize.text import is_unknown_marker, match_key
from jllm_kg.vocab import JLLM


@dataclass(frozen=True)
class ParentMention:
    """A parent model named in a training-data cell, for the checkpoint at ``model_index``."""

    model_index: int
    label: str
    relation: str
    evidence: str


@dataclass(frozen=True)
class _Selected:
    """Any per-variant value with the selector protocol of ``normalize.selectors``."""

    value: Any
    selector: Selector | None
    additive: bool = False

    def __getattr__(self, name: str) -> Any:
        return getattr(self.value, name)


def _as_selector(selector: object) -> Selector | None:
    if selector is None or isinstance(selector, Selector):
        return selector
    if isinstance(selector, tuple | list):
        return parse_selector(" ".join(str(token) for token in selector)) if selector else None
    return parse_selector(str(selector))


def _selected(value: Any) -> _Selected:
    selector_text = getattr(value, "selector_text", None)
    selector = (parse_selector(selector_text) if selector_text
                else _as_selector(getattr(value, "selector", None)))
    return _Selected(value, selector, bool(getattr(value, "additive", False)))


def assign(statements: Sequence[Any], models: Sequence[ModelNode]) -> dict[int, list[Any]]:
    """Which statements apply to which model (by index), by the statements' selectors."""
    wrapped = [s if isinstance(s, LicenseStatement) else _selected(s) for s in statements]
    names = [
        CheckpointName(label=model.checkpoint.label if model.checkpoint else model.name,
                       hf_id=model.hf_id)
        for model in models
    ]
    return assign_by_selector(wrapped, names)


_TUNING_PHASES = frozenset({"instruction-tuning", "preference-tuning"})


def assign_training(statements: Sequence[Any], models: Sequence[ModelNode]
                    ) -> dict[int, list[Any]]:
    """Which training-data statements describe which model (by index)."""
    tuned = {i for i, model in enumerate(models) if stages_of(model.name)}
    assigned: dict[int, list[Any]] = {}
    for index, chosen in assign(statements, models).items():
        # An unselected tuning line of a row that names tuned checkpoints describes those
        # checkpoints, not the base one ("Instruction Tuning: …" under 100b and 100b-instruct).
        assigned[index] = [
            statement for statement in chosen
            if not (statement.phase in _TUNING_PHASES and statement.selector is None
                    and tuned and index not in tuned)
        ]
    return assigned


def model_sizes(row_cells: Mapping[str, Cell], models: Sequence[ModelNode]) -> dict[int, Any]:
    """The parameter size of each model of a row (by index), where the row states it."""
    architecture_sizes = bold_sizes(row_cells.get("architecture"))
    sizes: dict[int, Any] = {}
    for index, model in enumerate(models):
        size = checkpoint_size(model.checkpoint, model.name)
        if size is None and len(models) == 1 and len(architecture_sizes) == 1:
            size = architecture_sizes[0]
        if size is not None:
            sizes[index] = size
    return sizes


def lines(cell: Cell) -> list[str]:
    return [line.text for line in cell.lines]


def year(cell: Cell) -> int | None:
    return quantities.parse_year(cell.text)


def developers(cell: Cell) -> list[Any]:
    return list(parse_developer_cell(" ".join(lines(cell))))


def licenses(cell: Cell) -> list[LicenseStatement]:
    return parse_license_cell(lines(cell))


def architectures(cell: Cell) -> list[Any]:
    return list(parse_architecture_cell(cell.lines[0].text if cell.lines else ""))

def _size(text: str) -> Any | None:
    """A parameter size, or None when the text is not a size notation (a link label)."""
    try:
        size = quantities.parse_parameter_size(text)
    except quantities.QuantityParseError:
        return None
    return size if size is not None and size.value is not None else None


def bold_sizes(cell: Cell | None) -> list[Any]:
    """Sizes written in bold in a cell (the 2023 list gives sizes there, not in links)."""
    if cell is None:
        return []
    sizes = []
    for line in cell.lines:
        for span in line.bold:
            size = _size(span)
            if size is not None:
                sizes.append(size)
    return sizes


def checkpoint_size(checkpoint: Checkpoint | None, name: str) -> Any | None:
    """The size a checkpoint link states: its bold text, or a label that is only a size."""
    if checkpoint is None:
        return None
    for candidate in (checkpoint.size, checkpoint.label):
        size = _size(candidate) if candidate else None
        if size is not None:
            return size
    return None


def context_lengths(cell: Cell) -> list[Any]:
    return list(quantities.parse_context_cell(lines(cell)))


@cache
def _domain_aliases() -> dict[str, str]:
    data = load_curated("domains.yaml") or {}
    table: dict[str, str] = {}
    for concept, spec in (data.get("domains") or data).items():
        aliases = spec.get("aliases", []) if isinstance(spec, dict) else spec
        for alias in aliases:
            table[match_key(str(alias))] = str(JLLM[concept])
    return table


def domains(cell: Cell) -> list[str]:
    """Domain concepts of a domain cell; text that no alias names gives nothing."""
    found: list[str] = []
    for line in cell.lines:
        if is_unknown_marker(line.text):
            continue
        concept = _domain_aliases().get(match_key(line.text))
        if concept and concept not in found:
            found.append(concept)
    return found


def training_statements(cell: Cell, approach: str) -> list[Any]:
    return list(parse_training_data_cell(cell.lines, section_approach=approach))


def token_totals(statement: Any) -> list[Decimal]:
    """The model-level token totals of a statement (per-dataset counts excluded)."""
    totals = [amount for amount in getattr(statement, "amounts", ())
              if isinstance(amount, quantities.TokenCount)]
    return [amount.tokens for amount in totals]


def base_references(cell: Cell) -> list[Any]:
    bold = [span for line in cell.lines for span in line.bold]
    return list(parse_base_cell(lines(cell), bold))
