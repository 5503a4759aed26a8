"""A training-data cell, line by line: each kind of line has its handler.

Kinds of line, tried in this order (:meth:`_CellReader.read_line`):

- an undisclosed marker (``不明``, ``(undisclosed)``): a statement with no data;
- amounts only (``(計 **910B** トークン)``): the previous statement's amounts;
- a selector heading (``base (v1):``): the variants the next lines speak of;
- a continuation (``+ Jpanese mC4``, ``+ Chat Vector (from QwQ 32b)``): more of the previous
  statement;
- a statement: parent models in prose, then a phase prefix, a selector prefix or a prose
  selector, then the data (a list or prose).
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Final

from jllm_kg.ingest.records import CellLine
from jllm_kg.normalize.datasets.items import (
    StatementBuilder,
    amount_only,
    depth,
    is_undisclosed,
    light,
    prose_data,
    read_items,
    split_items,
    strip_outer_parens,
)
from jllm_kg.normalize.datasets.phrases import (
    ParentModels,
    PhasePrefix,
    find_parent_models,
    is_selector_phrase,
    parse_phase_expr,
    prose_phase,
    selector_phase,
)
from jllm_kg.normalize.datasets.records import Phase, TrainingStatement
from jllm_kg.normalize.datasets.tables import tables
from jllm_kg.normalize.text import match_key

__all__ = ["parse_training_data_cell"]

_PHASE_PREFIX: Final = re.compile(r"^(?P<prefix>[^:]{1,80}?)\s*:\s*(?P<rest>.*)$")


def _logical_lines(lines: Sequence[CellLine | str]) -> list[tuple[str, str]]:
    """(light text, original text) per line, lines joined while a parenthesis is open
    (``(1b 以降のモデルでは<br>さらに Japanese mC4 を追加)``)."""
    out: list[tuple[str, str]] = []
    pending_light, pending_raw = "", ""
    for line in lines:
        raw = line.text if isinstance(line, CellLine) else line
        folded = light(raw)
        if pending_light:
            pending_light, pending_raw = f"{pending_light} {folded}", f"{pending_raw}\n{raw}"
        else:
            pending_light, pending_raw = folded, raw
        if depth(pending_light) <= 0 and not tables().continued_line.search(pending_light):
            out.append((pending_light.strip(), pending_raw))
            pending_light, pending_raw = "", ""
    if pending_light:
        out.append((pending_light.strip(), pending_raw))
    return out


def _links(lines: Sequence[CellLine | str]) -> dict[str, str]:
    found: dict[str, str] = {}
    for line in lines:
        if isinstance(line, CellLine):
            for link in line.links:
                found.setdefault(match_key(light(link.text)), link.url)
    return found


@dataclass(frozen=True)
class _Line:
    text: str  # folded, list markers removed
    inner: str  # without parentheses around the whole line
    raw: str  # as written (the statement's evidence)


@dataclass
class _CellReader:
    default: Phase
    links: Mapping[str, str]
    statements: list[StatementBuilder] = field(default_factory=list)
    pending_selector: str | None = None

    def phase_of(self, prefix_phases: Sequence[Phase]) -> list[Phase]:
        # "Pre-training:" in a continual section is continual pre-training
        return [
            "continual-pretraining"
            if p == "pretraining" and self.default == "continual-pretraining" else p
            for p in prefix_phases
        ]

    def new_statement(self, raw: str) -> StatementBuilder:
        return StatementBuilder([self.default], raw, selector_text=self.pending_selector)

    def read_line(self, line: _Line) -> None:
        for handler in (self._undisclosed_line, self._amount_line, self._selector_heading,
                        self._continuation, self._statement):
            if handler(line):
                return

    # -- kinds of line ----------------------------------------------------------------------

    def _undisclosed_line(self, line: _Line) -> bool:
        if not (is_undisclosed(line.text) or is_undisclosed(line.inner)):
            return False
        builder = self.new_statement(line.raw)
        builder.undisclosed = True
        self.statements.append(builder)
        return True

    def _amount_line(self, line: _Line) -> bool:
        amounts = amount_only(line.text)
        if amounts is None:
            return False
        if self.statements:
            self.statements[-1].amounts.extend(amounts)
        else:
            builder = self.new_statement(line.raw)
            builder.amounts.extend(amounts)
            self.statements.append(builder)
        return True

    def _selector_heading(self, line: _Line) -> bool:
        """A selector alone on its line governs the next lines (``base (v1):``)."""
        text = line.text
        if not (text.endswith(":") and parse_phase_expr(text[:-1]) is None
                and is_selector_phrase(text[:-1])):
            return False
        self.pending_selector = text[:-1].strip()
        return True

    def _continuation(self, line: _Line) -> bool:
        """More of the previous list (``+ Jpanese mC4``, ``(+ 独自のデータセット)``), or a
        parent or method added to the previous statement (``+ Chat Vector (from QwQ 32b)``)."""
        cont = re.match(r"^\+\s*(?P<rest>.*)$", line.inner)
        if not cont or not self.statements:
            return False
        rest = cont["rest"]
        found = find_parent_models(rest)
        # "+ Chat Vector (from QwQ 32b)": the parenthesis names the parent, not a method
        prefix = parse_phase_expr(re.sub(r"\s*\(.*\)$", "", rest) if found.matched else rest)
        target = self.statements[-1]
        extra: list[StatementBuilder] = []
        if found.matched or prefix is not None:
            target.models.extend(found.mentions)
            # the method is the phase word ("Chat Vector (de QwQ-32B)") or the pattern's
            # ("QwQ-32BのChat Vector")
            method = prefix.method if prefix is not None else found.method
            if method:
                target.method = ", ".join(filter(None, (target.method, method)))
        else:
            read_items(rest, target, self.links, extra)
        self.statements.extend(extra)
        return True

    def _statement(self, line: _Line) -> bool:
        builder = self.new_statement(line.raw)
        text = line.inner.lstrip("- ").strip() if line.inner != line.text else line.text
        body: str | None = text
        found = find_parent_models(text)
        if found.matched:
            body = self._parent_models(builder, found, text)
        if body is None:
            return True
        intro = tables().words.data_intro.match(body)
        if intro:
            if (hit := prose_phase(intro["verb"])) is not None:
                builder.phases = self.phase_of([hit[0]])
                builder.stage_named = hit[2]
            body = intro["rest"]
        prefix_match = _PHASE_PREFIX.match(body)
        prefix = parse_phase_expr(prefix_match["prefix"]) if prefix_match else None
        stages = (parse_phase_expr(prefix_match["rest"]) if prefix_match
                  and tables().words.stage_sequence_intro.match(prefix_match["prefix"].strip())
                  else None)
        if stages is not None:
            # "3段階学習: SFT + モデルマージ + 強化学習": the stages, without data
            builder.phases = self.phase_of(stages.phases)
            builder.method = stages.method
            body = None
        elif prefix is not None and prefix_match is not None:
            body = self._phase_prefixed(builder, prefix, prefix_match["rest"])
        elif (whole := parse_phase_expr(body)) is not None:
            # a phase without data ("Instruction Tuning (LoRA)")
            builder.phases = self.phase_of(whole.phases)
            builder.method = whole.method
            builder.selector_text = whole.selector or builder.selector_text
            body = None
        elif prefix_match and is_selector_phrase(prefix_match["prefix"]):
            body = self._selector_prefixed(builder, prefix_match["prefix"].strip(),
                                           prefix_match["rest"], found.matched)
        else:
            self._unprefixed(builder, body)
            return True
        if body is None:
            self.statements.append(builder)
        else:
            self._data(builder, body)
        return True

    # -- parts of a statement ---------------------------------------------------------------

    def _parent_models(self, builder: StatementBuilder, found: ParentModels,
                       text: str) -> str | None:
        """Parents named in prose; the text left for the data, None when the line is done."""
        builder.models.extend(found.mentions)
        builder.undisclosed = found.undisclosed
        builder.method = found.method
        if found.phase is not None:
            builder.phases = [found.phase]
        elif (hit := prose_phase(text)) is not None:
            builder.phases = self.phase_of([hit[0]])
            builder.method = builder.method or hit[1]
            builder.stage_named = hit[2]
        body = (found.rest or "").strip()
        if body:
            return body
        # no separate data text: take curated names, except inside the model labels
        leftover = text
        for parent in found.mentions:
            leftover = leftover.replace(parent.label, " ")
        prose_data(leftover, None, builder, self.links)
        self.statements.append(builder)
        return None

    def _phase_prefixed(self, builder: StatementBuilder, prefix: PhasePrefix,
                        rest: str) -> str | None:
        """``Instruction Tuning (LoRA): …``; a prefix may still carry prose about a parent
        ("Pre-training: trained using the TAID method …")."""
        builder.phases = self.phase_of(prefix.phases)
        builder.method = prefix.method or builder.method
        if prefix.selector:
            builder.selector_text = prefix.selector
        found = find_parent_models(rest)
        if not found.matched:
            return rest
        builder.models.extend(found.mentions)
        hit = prose_phase(rest)
        if hit and hit[1] and not builder.method:
            builder.method = hit[1]
        return (found.rest or "").strip() or None

    def _selector_prefixed(self, builder: StatementBuilder, selector: str, rest: str,
                           named_parent: bool) -> str:
        """``instruction-sft: Alpaca, FLAN`` / ``v0.1: OASST1, OASST2``."""
        builder.selector_text = selector
        hinted = selector_phase(selector)
        if hinted is not None:
            builder.phases = [hinted]
        elif tables().prose_markers.search(rest):
            hit = prose_phase(rest)
            builder.phases = [hit[0]] if hit else [self.default]
            builder.stage_named = hit[2] if hit else True
        elif self.statements and not named_parent:
            # "*v0.1: OASST1, OASST2" after "Instruction Tuning: …" is instruction data
            builder.phases = list(self.statements[-1].phases)
            builder.stage_named = self.statements[-1].stage_named
        return rest

    def _unprefixed(self, builder: StatementBuilder, body: str) -> None:
        """A line without a prefix: a selector in prose, a plain list, or prose."""
        extra: list[StatementBuilder] = []
        inner_body = strip_outer_parens(body)
        for pattern in tables().prose_selectors:
            sel_match = pattern.match(inner_body)
            if sel_match is None:
                continue
            groups = sel_match.groupdict()
            builder.selector_text = groups["sel"].strip(" *")
            words = groups.get("rest") or groups.get("list") or ""
            hit = prose_phase(words)
            if hit is not None:
                builder.phases = self.phase_of([hit[0]])
                builder.method = hit[1]
                builder.stage_named = hit[2]
            elif self.statements:
                builder.phases = list(self.statements[-1].phases)
                builder.stage_named = self.statements[-1].stage_named
            prose_data(groups.get("rest"), groups.get("list"), builder, self.links)
            self.statements.append(builder)
            return
        if not tables().prose_markers.search(body):
            read_items(body, builder, self.links, extra)
        else:
            hit = prose_phase(body)
            if hit is not None:
                builder.phases = self.phase_of([hit[0]])
                builder.method = hit[1]
                builder.stage_named = hit[2]
            prose_data(body, None, builder, self.links)
        self.statements.append(builder)
        self.statements.extend(extra)

    def _data(self, builder: StatementBuilder, body: str) -> None:
        """The data after the prefixes: a marker, prose or a dataset list."""
        extra: list[StatementBuilder] = []
        if is_undisclosed(body):
            builder.undisclosed = True
        elif tables().prose_markers.search(body) and not split_items(body)[1:]:
            hit = prose_phase(body)
            if hit is not None and not builder.method:
                builder.method = hit[1]
            prose_data(body, None, builder, self.links)
        else:
            read_items(body, builder, self.links, extra)
        self.statements.append(builder)
        self.statements.extend(extra)


def _cleaned(folded: str) -> str:
    """A line without its list markers (``*``, ``\\*``, ``- ``)."""
    text = re.sub(r"^(?:\\?\*)+\s*", "", folded).strip()
    return re.sub(r"^-\s+", "", text) if text != "-" else text


def parse_training_data_cell(
    lines: Sequence[CellLine | str], *, section_approach: str,
    section_modality: str = "text-generation",
) -> list[TrainingStatement]:
    """The training statements of one training-data cell (its ``<br>`` lines).

    ``section_approach`` and ``section_modality`` are the section's
    :class:`~jllm_kg.ingest.records.Category` approach ("scratch", "continual", "post-training",
    "merge", "api", "unknown") and modality (the LLM tables' "text-generation" unless told):
    together they give the phase of lines without a phase prefix (``section_phases`` in
    ``training_cell_words.yaml``). Plain strings are accepted for tests and the paper's prose.
    """
    default = tables().words.section_phases.get((section_modality, section_approach),
                                                "unspecified")
    reader = _CellReader(default, _links(lines))
    for folded, raw in _logical_lines(lines):
        text = _cleaned(folded)
        if text:
            reader.read_line(_Line(text, strip_outer_parens(text), raw))
    return [builder.freeze() for builder in reader.statements]
