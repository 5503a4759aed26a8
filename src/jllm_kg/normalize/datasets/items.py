"""Dataset lists of a training-data cell: typography, splitting into items, amounts and notes
kept on their dataset, and the statement being built while a cell's lines are read."""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Final

from jllm_kg.normalize.datasets.phrases import parse_phase_expr
from jllm_kg.normalize.datasets.records import (
    DataKind,
    DatasetMention,
    ModelMention,
    Phase,
    TrainingStatement,
)
from jllm_kg.normalize.datasets.tables import find_curated_datasets, resolve_dataset, tables
from jllm_kg.normalize.quantities import (
    Amount,
    TokenCount,
    parse_training_amounts,
    selector_tokens,
)
from jllm_kg.normalize.text import is_unknown_marker, match_key
from jllm_kg.vocab import slugify

__all__ = [
    "StatementBuilder",
    "amount_only",
    "depth",
    "is_undisclosed",
    "light",
    "mention",
    "prose_data",
    "read_items",
    "split_items",
    "strip_outer_parens",
]


@dataclass
class StatementBuilder:
    """Mutable form of a statement while the lines of a cell are read."""

    phases: list[Phase]
    text: str
    method: str | None = None
    selector_text: str | None = None
    datasets: list[DatasetMention] = field(default_factory=list)
    other: list[DatasetMention] = field(default_factory=list)
    excluded: list[DatasetMention] = field(default_factory=list)
    amounts: list[Amount] = field(default_factory=list)
    models: list[ModelMention] = field(default_factory=list)
    undisclosed: bool = False
    stage_named: bool = True

    def freeze(self) -> TrainingStatement:
        mentions = [*self.datasets, *self.other]
        if (
            len(mentions) == 1
            and mentions[0].tokens is not None
            and not any(isinstance(a, TokenCount) for a in self.amounts)
        ):
            # the only data of the statement has a token count: it is the statement's too
            # ("事前学習: shisa-pretrain-en-ja-v1 (8B トークン)")
            self.amounts.append(mentions[0].tokens)
        phases = tuple(dict.fromkeys(self.phases))
        phase: Phase = phases[0] if len(phases) == 1 else "unspecified"
        return TrainingStatement(
            phase=phase,
            method=self.method,
            selector=selector_tokens(self.selector_text) if self.selector_text else None,
            datasets=tuple(self.datasets),
            amounts=tuple(self.amounts),
            undisclosed=self.undisclosed,
            text=self.text,
            models=tuple(self.models),
            phases=phases,
            selector_text=self.selector_text,
            other_data=tuple(self.other),
            excluded=tuple(self.excluded),
            additive=bool(self.selector_text) and bool(tables().additive.search(self.text)),
            stage_named=self.stage_named,
        )


# --------------------------------------------------------------------------------------------
# typography

_FULLWIDTH: Final = str.maketrans({"（": "(", "）": ")", "：": ":", "，": ",", "\u00a0": " ",
                                   "\u202f": " ", "\u3000": " ", "\u2011": "-", "\t": " "})
_FOOTNOTE: Final = re.compile(r"\[\^[^\]]+\]")


def light(text: str) -> str:
    """Typography folded for splitting (full-width brackets/colon, NBSP, U+2011, bold, footnote
    references); letters are kept as written."""
    text = _FOOTNOTE.sub("", text.translate(_FULLWIDTH)).replace("**", "")
    return re.sub(r"\s+", " ", text).strip()


def depth(text: str) -> int:
    """How many parentheses ``text`` leaves open."""
    return text.count("(") - text.count(")")


def split_items(text: str) -> list[str]:
    """Split a dataset list at top-level ``,`` ``、`` `` + `` (not inside numbers: ``1,800``,
    nor a name's ``+``: ``FineMath-4+``)."""
    items: list[str] = []
    level = 0
    start = 0
    for i, ch in enumerate(text):
        if ch == "(":
            level += 1
        elif ch == ")":
            level = max(0, level - 1)
        elif level == 0 and (
            ch == "、"
            or (ch == "," and not (i and text[i - 1].isdigit() and text[i + 1: i + 2].isdigit()))
            or (ch == "+" and (i == 0 or text[i - 1] == " ") and text[i + 1: i + 2] in (" ", ""))
        ):
            items.append(text[start:i])
            start = i + 1
    items.append(text[start:])
    return [item.strip() for item in items if item.strip()]


def _strip_amounts(text: str) -> tuple[str, list[Amount]]:
    """Remove the amounts written in ``text``; returns what is left and the amounts."""
    amounts = parse_training_amounts(text)
    rest = unicodedata.normalize("NFKC", text)
    for amount in amounts:
        # the approximation marker before a count belongs to it ("約1,700万文")
        approximation = tables().words.count_approximation
        rest = re.sub(rf"{approximation}{re.escape(amount.text)}", " ", rest, count=1)
    return re.sub(r"\s+", " ", rest).strip(), amounts


def amount_only(text: str) -> list[Amount] | None:
    """The amounts of a text that says nothing else (``(計 910B トークン)``), else None."""
    rest, amounts = _strip_amounts(text)
    if any(a.selector for a in amounts):
        rest = re.sub(r"[\w.\-]+\s*:", " ", rest)
    if amounts and tables().words.amount_residue.fullmatch(rest):
        return amounts
    return None


def strip_outer_parens(text: str) -> str:
    """``(a, b)`` → ``a, b``; ``(a) b (c)`` is not wrapped and stays."""
    if text.startswith("(") and text.endswith(")") and depth(text[1:-1]) == 0:
        inner = text[1:-1]
        level = 0
        for i, ch in enumerate(text):
            level += ch == "("
            level -= ch == ")"
            if level == 0 and i < len(text) - 1:
                return text
        return inner.strip()
    return text


def is_undisclosed(text: str) -> bool:
    return is_unknown_marker(text.strip(" .*"))


# --------------------------------------------------------------------------------------------
# dataset items


def _label(item: str) -> str:
    """An item's name: approximation words, a leading conjunction and "etc." removed."""
    words = tables().words
    label = words.item_leading_words.sub("", item.strip(" .;:"), count=1)
    label = words.item_leading_conjunctions.sub("", label, count=1)
    return words.item_trailing_words.sub("", label, count=1).strip()


def _has_name(item: str) -> bool:
    """Whether an item names something: a letter or digit is left once its label is cleaned
    (``etc.``, ``🦙``, ``—`` name nothing)."""
    return re.search(r"[^\W_]", unicodedata.normalize("NFKC", _label(item))) is not None


def mention(label: str, amounts: list[Amount], note: str | None,
            links: Mapping[str, str]) -> DatasetMention:
    """The dataset (or in-house data, or description) an item names (see :func:`_has_name`)."""
    label = _label(label)
    tokens = next((a for a in amounts if isinstance(a, TokenCount)), None)
    url = links.get(match_key(label))
    entry = resolve_dataset(label)
    if entry is None and note:
        entry = resolve_dataset(f"{label} ({note})")
        if entry is not None:
            label, note = f"{label} ({note})", None
    if entry is not None:
        return DatasetMention(label, entry.key, url or entry.url, tokens, True, tuple(amounts),
                              note, entry.hf)
    hf = None
    if url and (m := re.match(r"https?://huggingface\.co/datasets/([^/?#]+/[^/?#]+)", url)):
        hf = m.group(1)
    kind: DataKind
    if match_key(label) in tables().proprietary:
        kind = "proprietary"
    elif tables().description.search(label) and hf is None:
        kind = "description"
    else:
        kind = "dataset"
    return DatasetMention(label, slugify(label), url, tokens, False, tuple(amounts), note, hf, kind)


def _split_note(item: str) -> tuple[str, list[str]]:
    """``Name (note) (note2)`` → ``Name`` and the top-level parenthesised notes."""
    notes: list[str] = []
    name_parts: list[str] = []
    level = 0
    current = ""
    for ch in item:
        if ch == "(":
            if level == 0:
                name_parts.append(current)
                current = ""
            else:
                current += ch
            level += 1
        elif ch == ")" and level:
            level -= 1
            if level == 0:
                notes.append(current.strip())
                current = ""
            else:
                current += ch
        else:
            current += ch
    name_parts.append(current)
    return " ".join(p.strip() for p in name_parts if p.strip()), notes


def read_items(text: str, builder: StatementBuilder, links: Mapping[str, str],
               extra: list[StatementBuilder]) -> None:
    """Add the items of a dataset list to ``builder`` (amounts, undisclosed, notes); per-variant
    notes become statements of their own in ``extra``."""
    for raw_item in split_items(text):
        if is_undisclosed(raw_item):
            builder.undisclosed = True
            continue
        only = amount_only(raw_item)
        if only is not None:
            builder.amounts.extend(only)
            continue
        # a curated name with a parenthesis ("Chatbot Arena Conversations JA (calm2) Dataset")
        if resolve_dataset(raw_item) is not None:
            _add(builder, mention(raw_item, [], None, links))
            continue
        _read_item(raw_item, builder, links, extra)


def _read_item(raw_item: str, builder: StatementBuilder, links: Mapping[str, str],
               extra: list[StatementBuilder]) -> None:
    name, notes = _split_note(raw_item)
    amounts: list[Amount] = []
    kept_notes: list[str] = []
    if len(notes) == 1 and _read_listed(name, notes[0], builder, links, extra):
        return
    for note in notes:
        note_amounts = amount_only(note)
        if note_amounts is not None:
            # a total in a dataset's parentheses is the statement's ("… (計 7B トークン)")
            builder.amounts.extend(a for a in note_amounts if a.total)
            amounts.extend(a for a in note_amounts if not a.total)
        elif is_undisclosed(note):
            builder.undisclosed = True
        elif _note_statement(note, builder, name, links, extra):
            continue
        else:
            kept_notes.append(note)
    if parse_training_amounts(name):
        stripped, bare = _strip_amounts(name)
        builder.amounts.extend(a for a in bare if a.total)
        amounts.extend(a for a in bare if not a.total)
        # a count written inside a description stays part of it ("environ 120 millions de
        # légendes de laion2B-multi"); a count after a name is removed ("日本語 Wikipedia
        # 約1,700万文")
        if resolve_dataset(_label(stripped)) is not None or not (
            tables().description.search(name)
        ):
            name = stripped
    if not _has_name(name) or tables().words.amount_residue.fullmatch(name):
        builder.amounts.extend(amounts)
        return
    # "MOMIJI 13M", "coyo-700m 6M": a count without a unit after a name (how many samples
    # were used) stays a note of the dataset, not part of its name
    counted = _BARE_COUNT.match(name)
    if counted and resolve_dataset(counted["name"]) is not None:
        name = counted["name"]
        kept_notes.append(counted["count"])
    # "Japanese OSCAR や独自データなど", "Japanese OSCAR and private datasets",
    # "LLaVA-Instruct-150K-JA or LLaVA-Instruct-620K-JA": split only after a curated name
    parts = tables().words.item_alternatives.split(name)
    if len(parts) == 2 and resolve_dataset(parts[0]) is not None:
        _add(builder, mention(parts[0], [], None, links))
        name = parts[1]
        if not _has_name(name):  # "Japanese Wikipedia や" with nothing after it
            builder.amounts.extend(amounts)
            return
    found = mention(name, amounts, "; ".join(kept_notes) or None, links)
    if found.kind == "description":
        # curated names inside a description ("data generated from MS-COCO and
        # VisualGenome", "CC12M traduit en japonais")
        inside = [label for label, _ in find_curated_datasets(found.label)]
        if len(inside) == 1 and amounts:
            # "Japanese subset of llm-jp-corpus-v4 (0.69T tokens)": the part of one dataset
            # the description names is that dataset's, and so is its count
            _add(builder, mention(inside[0], amounts, None, links))
            return
        for label in inside:
            _add(builder, mention(label, [], None, links))
    if _names_undisclosed_data(found):
        builder.undisclosed = True
    _add(builder, found)


_BARE_COUNT: Final = re.compile(r"^(?P<name>.+?)\s+(?P<count>\d+(?:\.\d+)?[kKMB])$")


def _read_listed(name: str, note: str, builder: StatementBuilder, links: Mapping[str, str],
                 extra: list[StatementBuilder]) -> bool:
    """A group named before a parenthesised list of datasets: "Corpus de dialogues de parole
    (J-CHAT, Japanese Callhome, CSJ, …)" names each of them; a phase before the list
    ("Pré-entraînement (MOMIJI 13M, …, STAIR captions)") makes them a statement of that
    phase. False when the parenthesis is not such a list (one item, or no curated dataset)."""
    items = split_items(note)
    # a parenthesis telling where the data comes from ("synthétisé à partir de SHINRA2020,
    # Wikipedia, etc.") is a description of the group, not its members
    if len(items) < 2 or tables().description.search(items[0]) or not any(
            resolve_dataset(item) is not None or resolve_dataset(_label(_split_note(item)[0]))
            is not None for item in items):
        return False
    target = builder
    phase = parse_phase_expr(name)
    if phase is not None:
        target = StatementBuilder(list(phase.phases), f"{name} ({note})", phase.method,
                                  phase.selector)
        extra.append(target)
    # a count among the listed items ("… graphiques internes 3.8B japonais + 7.7B tokens
    # anglais") sizes a neighbouring item, not the statement
    counted = len(target.amounts)
    read_items(note, target, links, extra)
    del target.amounts[counted:]
    return True


def _names_undisclosed_data(found: DatasetMention) -> bool:
    """In-house data whose name says it is undisclosed ("undisclosed dataset")."""
    return slugify(found.label).startswith(tables().words.undisclosed_data_slugs)


def _add(builder: StatementBuilder, found: DatasetMention) -> None:
    if found.kind == "dataset":
        builder.datasets.append(found)
    else:
        builder.other.append(found)
        if found.kind == "proprietary" and _names_undisclosed_data(found):
            builder.undisclosed = True


def _note_statement(note: str, parent: StatementBuilder, item: str, links: Mapping[str, str],
                    extra: list[StatementBuilder]) -> bool:
    """A dataset's parenthesised note that is a per-variant statement (``(+Alpaca in NC
    model)``, ``(discarded in v2)``, ``(NCモデルでは … Alpaca Dataset も含めて学習)``)."""
    for pattern in tables().item_exclusions:
        if m := pattern.match(note):
            excl = StatementBuilder(list(parent.phases), note, parent.method, m["sel"].strip())
            if _has_name(item):
                excl.excluded.append(mention(item, [], None, links))
            extra.append(excl)
            return True
    for pattern in tables().prose_selectors:
        if m := pattern.match(note):
            stmt = StatementBuilder(list(parent.phases), note, parent.method, m["sel"].strip())
            prose_data(m.groupdict().get("rest"), m.groupdict().get("list"), stmt, links)
            extra.append(stmt)
            return True
    return False


def prose_data(rest: str | None, listed: str | None, builder: StatementBuilder,
               links: Mapping[str, str]) -> None:
    """Datasets of a prose sentence: a plain list when the pattern isolates one, else the
    curated names found in the sentence; exclusion words make them ``excluded``."""
    if listed:
        read_items(listed, builder, links, [])
        return
    if not rest:
        return
    mentions = [mention(label, [], None, links) for label, _ in find_curated_datasets(rest)]
    if tables().exclusion.search(rest):
        builder.excluded.extend(mentions)
    else:
        builder.datasets.extend(mentions)
    builder.amounts.extend(parse_training_amounts(rest))
    for label in tables().words.prose_in_house:
        if label in rest:
            builder.other.append(mention(label, [], None, links))
