"""Training-data cells → phase-tagged statements of datasets, amounts and parent models.

A training-data cell is a few ``<br>`` lines mixing several things (H6, H14, H17):

- phase prefixes in three languages (``事前学習:``, ``Pre-training:``, ``Pré-entraînement
  continu :``, ``Instruction Tuning (LoRA):``, ``SFT, DPO:``, ``DPO (instruct3 only):``), listed in
  ``data/curated/training_phases.yaml``; a line without one gets the section's default phase
  (scratch → pretraining, continual → continual-pretraining, post-training → instruction-tuning);
- dataset lists split at ``,`` ``、`` `` + `` and continued on ``+ …`` lines, with per-dataset
  amounts (``Japanese Wikipedia (0.88B トークン)``) kept on the dataset, and total amounts
  (``(計 910B トークン)``) on the statement;
- per-variant prose (``*instruction-sft モデルでは HH RLHF、FLAN、SHP データセットでさらに
  ファインチューニング``, ``(v2では … Alpaca Dataset を除外)``): a selector and the curated
  datasets named in the sentence; exclusions are returned as ``excluded``;
- parent models in prose (``additionally trained on Llama 3 Swallow 70B``, ``Sparse Upcycling on
  Sarashina2 (70B)``, ``TAID … Qwen2.5 (32b) as the teacher``, ``+ Chat Vector (from QwQ 32b)``):
  returned as :class:`ModelMention`, never as datasets;
- undisclosed markers (``不明``, ``undisclosed``, ``Détails d'entraînement non divulgués``,
  ``Inconnu``, ``？``): ``undisclosed=True`` and no dataset.

Decisions (documented here because the sources leave them open):

- In-house data (``独自のデータセット``, ``private datasets``, ``undisclosed dataset``) is not a
  dataset node: it is returned in ``other_data`` with ``kind="proprietary"``; "undisclosed
  dataset" also sets ``undisclosed``. Descriptions of data that name no dataset (``various Web &
  synthetic datasets``, ``日本語ビジネスニュース記事``) are ``other_data`` with
  ``kind="description"``. Only ``datasets`` should become ``jllm:Dataset`` nodes.
- ``undisclosed=True`` means some or all of the statement's data is not disclosed.
- An empty cell gives no statement at all: the list saying nothing is not the developer saying
  the data is undisclosed.
- A prefix naming several phases (``SFT, DPO:``, ``Instruction Tuning & DPO:``) cannot attribute
  its datasets to one phase: ``phase`` is ``"unspecified"`` and ``phases`` lists them all.
- ``Pre-training:`` inside a continual-pretraining section is continual pre-training.
- Dataset names in prose are only taken when they are curated aliases (a sentence cannot be
  split into names reliably); list items are taken as written (curated or not).

>>> cell = ["事前学習: RedPajama, 日本語 Wikipedia", "(計 **910B** トークン)",
...         "Instruction Tuning (LoRA): ichikara-instruction"]
>>> [s.phase for s in parse_training_data_cell(cell, section_approach="scratch")]
['pretraining', 'instruction-tuning']
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from functools import cache
from typing import Any, Final, Literal

from jllm_kg.curated import CuratedDataError, load_curated
from jllm_kg.ingest.records import CellLine
from jllm_kg.normalize.quantities import (
    Amount,
    TokenCount,
    parse_training_amounts,
    selector_tokens,
)
from jllm_kg.normalize.text import is_unknown_marker, match_key
from jllm_kg.vocab import slugify

__all__ = [
    "DatasetEntry",
    "DatasetMention",
    "ModelMention",
    "Phase",
    "TrainingStatement",
    "dataset_catalogue",
    "find_curated_datasets",
    "parse_training_data_cell",
    "resolve_dataset",
]

Phase = Literal[
    "pretraining",
    "continual-pretraining",
    "instruction-tuning",
    "preference-tuning",
    "distillation",
    "merge",
    "unspecified",
]
PHASES: Final[tuple[str, ...]] = Phase.__args__  # type: ignore[attr-defined]
Relation = Literal[
    "continual", "fine-tune", "upcycling", "distillation-teacher", "chat-vector", "merge",
    "initialization",
]
RELATIONS: Final[tuple[str, ...]] = Relation.__args__  # type: ignore[attr-defined]

_DATASETS_FILE: Final = "datasets.yaml"
_PHASES_FILE: Final = "training_phases.yaml"

_DEFAULT_PHASE: Final[dict[str, Phase]] = {
    "scratch": "pretraining",
    "continual": "continual-pretraining",
    "post-training": "instruction-tuning",
    "merge": "merge",
}


# --------------------------------------------------------------------------------------------
# records


@dataclass(frozen=True)
class DatasetEntry:
    """A curated dataset (``data/curated/datasets.yaml``)."""

    key: str
    labels: Mapping[str, str]
    aliases: tuple[str, ...]
    url: str | None = None
    hf: str | None = None


@dataclass(frozen=True)
class DatasetMention:
    """A dataset (or other data) named in a cell.

    ``label`` is the name as written (footnotes, amounts and notes removed); ``key`` the
    curated key, or the slug of the label when uncurated (``curated=False``); ``url`` a link on
    the name in the cell, else the curated URL; ``tokens`` the dataset's own token count.
    ``kind``: "dataset", or "proprietary" / "description" for :attr:`TrainingStatement.other_data`.
    """

    label: str
    key: str
    url: str | None = None
    tokens: TokenCount | None = None
    curated: bool = False
    amounts: tuple[Amount, ...] = ()
    note: str | None = None  # a parenthesised remark ("Books3を除外", "Wikipedia, …, Stack")
    hf: str | None = None
    kind: Literal["dataset", "proprietary", "description"] = "dataset"


@dataclass(frozen=True)
class ModelMention:
    """A parent model named in a training-data cell (never a dataset)."""

    label: str
    relation: Relation
    text: str


@dataclass(frozen=True)
class TrainingStatement:
    """One phase of training as a cell states it."""

    phase: Phase
    method: str | None
    selector: tuple[str, ...] | None
    datasets: tuple[DatasetMention, ...]
    amounts: tuple[Amount, ...]
    undisclosed: bool
    text: str
    models: tuple[ModelMention, ...] = ()
    phases: tuple[Phase, ...] = ()  # every phase the prefix names (several for "SFT, DPO:")
    selector_text: str | None = None  # the selector as written, for normalize.selectors
    other_data: tuple[DatasetMention, ...] = ()  # proprietary data and descriptions
    excluded: tuple[DatasetMention, ...] = ()  # datasets removed for the selected variants
    # a selected statement that says its data comes on top of the row's ("さらに … を追加",
    # "も含めて", "+Alpaca in NC model", "also", "également"), rather than instead of it
    additive: bool = False


@dataclass
class _Builder:
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
            additive=bool(self.selector_text) and bool(_tables().additive.search(self.text)),
        )


# --------------------------------------------------------------------------------------------
# curated tables


@dataclass(frozen=True)
class _PhaseLabel:
    phase: Phase
    method: str | None


@dataclass(frozen=True)
class _Relation:
    pattern: re.Pattern[str]
    relation: Relation
    relation_if_pretraining: Relation | None
    phase: Phase | None


@dataclass(frozen=True)
class _Tables:
    catalogue: Mapping[str, DatasetEntry]
    aliases: Mapping[str, str]  # match_key(alias) → key
    proprietary: frozenset[str]  # match_keys
    description: re.Pattern[str]
    phase_labels: Mapping[str, _PhaseLabel]  # match_key(label) → phase
    methods: frozenset[str]
    only_words: tuple[str, ...]
    selector_hints: tuple[tuple[Phase, frozenset[str]], ...]
    prose_phases: tuple[tuple[re.Pattern[str], Phase, str | None], ...]
    relations: tuple[_Relation, ...]
    prose_selectors: tuple[re.Pattern[str], ...]
    exclusion: re.Pattern[str]
    additive: re.Pattern[str]
    item_exclusions: tuple[re.Pattern[str], ...]
    prose_markers: re.Pattern[str]
    continued_line: re.Pattern[str]


def _require(data: Any, name: str, where: str) -> Any:
    if not isinstance(data, Mapping) or name not in data:
        raise CuratedDataError(f"data/curated/{where}: missing {name!r}")
    return data[name]


def _phase(value: Any, where: str) -> Phase:
    if value not in PHASES:
        raise CuratedDataError(f"data/curated/{where}: unknown phase {value!r}")
    return value  # type: ignore[no-any-return]


def _compile(pattern: str, where: str) -> re.Pattern[str]:
    try:
        return re.compile(pattern, re.IGNORECASE)
    except re.error as error:
        raise CuratedDataError(f"data/curated/{where}: bad pattern {pattern!r}: {error}") from error


@cache
def _tables() -> _Tables:
    data = load_curated(_DATASETS_FILE)
    catalogue: dict[str, DatasetEntry] = {}
    aliases: dict[str, str] = {}
    for raw in _require(data, "datasets", _DATASETS_FILE):
        key = raw.get("key")
        if not key or key in catalogue:
            raise CuratedDataError(f"data/curated/{_DATASETS_FILE}: bad or repeated key {key!r}")
        labels = raw.get("labels") or {}
        entry = DatasetEntry(key, dict(labels), tuple(raw.get("aliases") or ()), raw.get("url"),
                             raw.get("hf"))
        catalogue[key] = entry
        for alias in (*entry.aliases, *labels.values()):
            folded = match_key(alias)
            if aliases.get(folded, key) != key:
                raise CuratedDataError(
                    f"data/curated/{_DATASETS_FILE}: alias {alias!r} claimed by "
                    f"{aliases[folded]!r} and {key!r}"
                )
            aliases[folded] = key
    words = re.sub(r"\s*\|\s*", "|", _require(data, "description_words", _DATASETS_FILE).strip())

    phases = load_curated(_PHASES_FILE)
    labels_table = {
        match_key(label): _PhaseLabel(_phase(spec["phase"], _PHASES_FILE), spec.get("method"))
        for label, spec in _require(phases, "labels", _PHASES_FILE).items()
    }
    relations = tuple(
        _Relation(
            _compile(spec["pattern"], _PHASES_FILE),
            spec["relation"],
            spec.get("relation_if_pretraining"),
            _phase(spec["phase"], _PHASES_FILE) if spec.get("phase") else None,
        )
        for spec in _require(phases, "model_relations", _PHASES_FILE)
    )
    for rel in relations:
        for relation in (rel.relation, rel.relation_if_pretraining):
            if relation is not None and relation not in RELATIONS:
                raise CuratedDataError(f"data/curated/{_PHASES_FILE}: bad relation {relation!r}")
    return _Tables(
        catalogue=catalogue,
        aliases=aliases,
        proprietary=frozenset(match_key(m) for m in _require(data, "proprietary", _DATASETS_FILE)),
        description=_compile(words, _DATASETS_FILE),
        phase_labels=labels_table,
        methods=frozenset(match_key(m) for m in _require(phases, "methods", _PHASES_FILE)),
        only_words=tuple(_require(phases, "only_words", _PHASES_FILE)),
        selector_hints=tuple(
            (_phase(phase, _PHASES_FILE), frozenset(tokens))
            for phase, tokens in _require(phases, "selector_phase_hints", _PHASES_FILE).items()
        ),
        prose_phases=tuple(
            (_compile(s["pattern"], _PHASES_FILE), _phase(s["phase"], _PHASES_FILE),
             s.get("method"))
            for s in _require(phases, "prose_phases", _PHASES_FILE)
        ),
        relations=relations,
        prose_selectors=tuple(
            _compile(p, _PHASES_FILE) for p in _require(phases, "prose_selectors", _PHASES_FILE)
        ),
        exclusion=_compile(_require(phases, "exclusion_words", _PHASES_FILE), _PHASES_FILE),
        additive=_compile(_require(phases, "additive_words", _PHASES_FILE), _PHASES_FILE),
        item_exclusions=tuple(
            _compile(p, _PHASES_FILE) for p in _require(phases, "item_exclusions", _PHASES_FILE)
        ),
        prose_markers=_compile(_require(phases, "prose_markers", _PHASES_FILE), _PHASES_FILE),
        continued_line=_compile(
            _require(phases, "continued_line_endings", _PHASES_FILE), _PHASES_FILE
        ),
    )


def dataset_catalogue() -> Mapping[str, DatasetEntry]:
    """Every curated dataset by key."""
    return _tables().catalogue


def resolve_dataset(label: str) -> DatasetEntry | None:
    """The curated dataset a label names (typos included), or ``None``.

    >>> resolve_dataset("Jpanese mC4").key, resolve_dataset("HH‑RLHF").key
    ('japanese-mc4', 'hh-rlhf')
    >>> resolve_dataset("Wikipedia").key == resolve_dataset("日本語 Wikipedia").key
    False
    """
    tables = _tables()
    key = tables.aliases.get(match_key(label))
    return tables.catalogue[key] if key else None


# Alias scan in prose: lower-case with dashes folded keeps offsets, so labels stay as written.
_DASHES: Final = dict.fromkeys(map(ord, "\u2010\u2011\u2012\u2013\u2014\u2212\uff0d"), "-")


def _fold_same_length(text: str) -> str:
    folded = text.translate(_DASHES)
    return "".join(c.lower() if len(c.lower()) == 1 else c for c in folded)


@cache
def _scan_aliases() -> tuple[tuple[str, str], ...]:
    tables = _tables()
    pairs = {
        _fold_same_length(unicodedata.normalize("NFKC", alias)): entry.key
        for entry in tables.catalogue.values()
        for alias in entry.aliases
    }
    return tuple(sorted(pairs.items(), key=lambda item: -len(item[0])))


def find_curated_datasets(text: str) -> list[tuple[str, str]]:
    """Curated dataset names in free text: ``(label as written, key)``, in order, longest first
    at each place, a name glued to letters or digits is not a match (``mC4`` ≠ ``C4``).

    >>> find_curated_datasets("*instruction-sft モデルでは HH RLHF、FLAN、SHP データセットで")
    [('HH RLHF', 'hh-rlhf'), ('FLAN', 'flan'), ('SHP', 'shp')]
    """
    folded = _fold_same_length(text)
    taken = [False] * len(text)
    found: list[tuple[int, str, str]] = []
    for alias, key in _scan_aliases():
        start = folded.find(alias)
        while start >= 0:
            end = start + len(alias)
            before = folded[start - 1] if start else " "
            after = folded[end] if end < len(folded) else " "
            glued = (alias[0].isascii() and (before.isascii() and before.isalnum())) or (
                alias[-1].isascii() and after.isascii() and (after.isalnum() or after in "-_")
            )
            if not glued and not any(taken[start:end]):
                taken[start:end] = [True] * (end - start)
                found.append((start, text[start:end], key))
            start = folded.find(alias, end)
    return [(label, key) for _, label, key in sorted(found)]


# --------------------------------------------------------------------------------------------
# text helpers

_FULLWIDTH: Final = str.maketrans({"（": "(", "）": ")", "：": ":", "，": ",", "\u00a0": " ",
                                   "\u202f": " ", "\u3000": " ", "\u2011": "-", "\t": " "})
_FOOTNOTE: Final = re.compile(r"\[\^[^\]]+\]")


def _light(text: str) -> str:
    """Typography folded for splitting (full-width brackets/colon, NBSP, U+2011, bold, footnote
    references); letters are kept as written."""
    text = _FOOTNOTE.sub("", text.translate(_FULLWIDTH)).replace("**", "")
    return re.sub(r"\s+", " ", text).strip()


def _depth_ok(text: str) -> int:
    return text.count("(") - text.count(")")


def _split_items(text: str) -> list[str]:
    """Split a dataset list at top-level ``,`` ``、`` `` + `` (not inside numbers: ``1,800``,
    nor a name's ``+``: ``FineMath-4+``)."""
    items: list[str] = []
    depth = 0
    start = 0
    i = 0
    while i < len(text):
        ch = text[i]
        if ch == "(":
            depth += 1
        elif ch == ")":
            depth = max(0, depth - 1)
        elif depth == 0 and (
            ch == "、"
            or (ch == "," and not (i and text[i - 1].isdigit() and text[i + 1: i + 2].isdigit()))
            or (ch == "+" and (i == 0 or text[i - 1] == " ") and text[i + 1: i + 2] in (" ", ""))
        ):
            items.append(text[start:i])
            start = i + 1
        i += 1
    items.append(text[start:])
    return [item.strip() for item in items if item.strip()]


_AMOUNT_RESIDUE: Final = re.compile(
    r"(?:計|合計|total|au total|約|~|≈|about|environ|and|et|de|of|[()/,、+\s:])*", re.IGNORECASE
)


def _strip_amounts(text: str) -> tuple[str, list[Amount]]:
    """Remove the amounts written in ``text``; returns what is left and the amounts."""
    amounts = parse_training_amounts(text)
    rest = unicodedata.normalize("NFKC", text)
    for amount in amounts:
        # the approximation marker before a count belongs to it ("約1,700万文")
        rest = re.sub(rf"(?:約|~|≈)?\s*{re.escape(amount.text)}", " ", rest, count=1)
    return re.sub(r"\s+", " ", rest).strip(), amounts


def _amount_only(text: str) -> list[Amount] | None:
    rest, amounts = _strip_amounts(text)
    if any(a.selector for a in amounts):
        rest = re.sub(r"[\w.\-]+\s*:", " ", rest)
    if amounts and _AMOUNT_RESIDUE.fullmatch(rest):
        return amounts
    return None


def _strip_outer_parens(text: str) -> str:
    if text.startswith("(") and text.endswith(")") and _depth_ok(text[1:-1]) == 0:
        inner = text[1:-1]
        # "(a) b (c)" is not wrapped: check that the first "(" closes at the end
        depth = 0
        for i, ch in enumerate(text):
            depth += ch == "("
            depth -= ch == ")"
            if depth == 0 and i < len(text) - 1:
                return text
        return inner.strip()
    return text


def _is_undisclosed(text: str) -> bool:
    return is_unknown_marker(text.strip(" .*"))


# --------------------------------------------------------------------------------------------
# dataset items


def _link_url(label: str, links: Mapping[str, str]) -> str | None:
    return links.get(match_key(label))


def _mention(label: str, amounts: list[Amount], note: str | None,
             links: Mapping[str, str]) -> DatasetMention:
    tables = _tables()
    label = label.strip(" .;:")
    label = re.sub(r"^(?:~|≈|約|about|environ|approximately)\s*", "", label, flags=re.IGNORECASE)
    label = re.sub(r"^(?:and|et|de|of|or|ou)\s+", "", label, flags=re.IGNORECASE)
    label = re.sub(r"(?:など|etc\.?)$", "", label).strip()
    tokens = next((a for a in amounts if isinstance(a, TokenCount)), None)
    url = _link_url(label, links)
    entry = resolve_dataset(label)
    if entry is None and note:
        entry = resolve_dataset(f"{label} ({note})")
        if entry is not None:
            label, note = f"{label} ({note})", None
    if entry is not None:
        return DatasetMention(label, entry.key, url or entry.url, tokens, True, tuple(amounts),
                              note, entry.hf)
    key = match_key(label)
    hf = None
    if url and (m := re.match(r"https?://huggingface\.co/datasets/([^/?#]+/[^/?#]+)", url)):
        hf = m.group(1)
    if key in tables.proprietary:
        kind: Literal["dataset", "proprietary", "description"] = "proprietary"
    elif tables.description.search(label) and hf is None:
        kind = "description"
    else:
        kind = "dataset"
    return DatasetMention(label, slugify(label), url, tokens, False, tuple(amounts), note, hf, kind)


def _split_note(item: str) -> tuple[str, list[str]]:
    """``Name (note) (note2)`` → ``Name`` and the top-level parenthesised notes."""
    notes: list[str] = []
    name_parts: list[str] = []
    depth = 0
    current = ""
    for ch in item:
        if ch == "(":
            if depth == 0:
                name_parts.append(current)
                current = ""
            else:
                current += ch
            depth += 1
        elif ch == ")" and depth:
            depth -= 1
            if depth == 0:
                notes.append(current.strip())
                current = ""
            else:
                current += ch
        else:
            current += ch
    name_parts.append(current)
    return " ".join(p.strip() for p in name_parts if p.strip()), notes


def _read_items(text: str, builder: _Builder, links: Mapping[str, str],
                extra: list[_Builder]) -> None:
    """Add the items of a dataset list to ``builder`` (amounts, undisclosed, notes)."""
    items = _split_items(text)
    for raw_item in items:
        if _is_undisclosed(raw_item):
            builder.undisclosed = True
            continue
        only = _amount_only(raw_item)
        if only is not None:
            builder.amounts.extend(only)
            continue
        whole = resolve_dataset(raw_item)
        if whole is not None:  # "Chatbot Arena Conversations JA (calm2) Dataset"
            _add(builder, _mention(raw_item, [], None, links))
            continue
        name, notes = _split_note(raw_item)
        amounts: list[Amount] = []
        kept_notes: list[str] = []
        for note in notes:
            note_amounts = _amount_only(note)
            if note_amounts is not None:
                # a total in a dataset's parentheses is the statement's ("… (計 7B トークン)")
                builder.amounts.extend(a for a in note_amounts if a.total)
                amounts.extend(a for a in note_amounts if not a.total)
            elif _is_undisclosed(note):
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
            if resolve_dataset(_mention(stripped, [], None, {}).label) is not None or not (
                _tables().description.search(name)
            ):
                name = stripped
        if not name or _AMOUNT_RESIDUE.fullmatch(name):
            builder.amounts.extend(amounts)
            continue
        # "Japanese OSCAR や独自データなど", "Japanese OSCAR and private datasets",
        # "LLaVA-Instruct-150K-JA or LLaVA-Instruct-620K-JA": split only after a curated name
        parts = re.split(r"\s+(?:and|et|or|ou)\s+|\s*(?:や|または)\s*", name)
        if len(parts) == 2 and resolve_dataset(parts[0]) is not None:
            _add(builder, _mention(parts[0], [], None, links))
            name = parts[1]
        mention = _mention(name, amounts, "; ".join(kept_notes) or None, links)
        if mention.kind == "description":
            # curated names inside a description ("data generated from MS-COCO and
            # VisualGenome", "CC12M traduit en japonais")
            for label, _ in find_curated_datasets(mention.label):
                _add(builder, _mention(label, [], None, links))
        if mention.key == "undisclosed-dataset" or match_key(mention.label).startswith(
            "undisclosed"
        ):
            builder.undisclosed = True
        _add(builder, mention)


def _add(builder: _Builder, mention: DatasetMention) -> None:
    if mention.kind == "dataset":
        builder.datasets.append(mention)
    else:
        builder.other.append(mention)
        if mention.kind == "proprietary" and match_key(mention.label).startswith("undisclosed"):
            builder.undisclosed = True


def _note_statement(note: str, parent: _Builder, item: str, links: Mapping[str, str],
                    extra: list[_Builder]) -> bool:
    """A dataset's parenthesised note that is a per-variant statement (``(+Alpaca in NC
    model)``, ``(discarded in v2)``, ``(NCモデルでは … Alpaca Dataset も含めて学習)``)."""
    tables = _tables()
    for pattern in tables.item_exclusions:
        if m := pattern.match(note):
            excl = _Builder(list(parent.phases), note, parent.method, m["sel"].strip())
            excl.excluded.append(_mention(item, [], None, links))
            extra.append(excl)
            return True
    for pattern in tables.prose_selectors:
        if m := pattern.match(note):
            stmt = _Builder(list(parent.phases), note, parent.method, m["sel"].strip())
            _prose_data(m.groupdict().get("rest"), m.groupdict().get("list"), stmt, links)
            extra.append(stmt)
            return True
    return False


def _prose_data(rest: str | None, listed: str | None, builder: _Builder,
                links: Mapping[str, str]) -> None:
    """Datasets of a prose sentence: a plain list when the pattern isolates one, else the
    curated names found in the sentence; exclusion words make them ``excluded``."""
    tables = _tables()
    if listed:
        _read_items(listed, builder, links, [])
        return
    if not rest:
        return
    mentions = [
        _mention(label, [], None, links) for label, _ in find_curated_datasets(rest)
    ]
    if tables.exclusion.search(rest):
        builder.excluded.extend(mentions)
    else:
        builder.datasets.extend(mentions)
    builder.amounts.extend(parse_training_amounts(rest))
    for label in ("独自", "their own datasets", "undisclosed dataset"):
        if label in rest:
            builder.other.append(_mention(label, [], None, links))


# --------------------------------------------------------------------------------------------
# phase prefixes


@dataclass(frozen=True)
class _Prefix:
    phases: tuple[Phase, ...]
    method: str | None
    selector: str | None


def _parse_phase_expr(text: str) -> _Prefix | None:
    """``Instruction Tuning (LoRA)``, ``DPO (instruct3 only)``, ``SFT, DPO``,
    ``Continual pre-training + SFT + DPO`` → phases, method, selector; None if not a phase."""
    tables = _tables()
    text = text.strip().lstrip("*\\").strip()
    if not text:
        return None
    method: str | None = None
    selector: str | None = None
    m = re.match(r"^(?P<base>.*?)\s*\((?P<paren>[^()]*)\)$", text)
    if m and m["base"]:
        paren = m["paren"].strip()
        only = re.match(
            rf"^(?P<sel>.+?)\s*(?:{'|'.join(map(re.escape, tables.only_words))})$", paren
        )
        if only:
            selector = only["sel"].strip()
        else:
            method = paren
        text = m["base"]
    parts = [p for p in re.split(r"\s*(?:\+|,|&|/|、|\band\b|\bet\b)\s*", text) if p.strip()]
    if not parts:
        return None
    labels: list[_PhaseLabel] = []
    for part in parts:
        label = tables.phase_labels.get(match_key(part))
        if label is None:
            return None
        labels.append(label)
    methods = [label.method for label in labels if label.method]
    if method is None and methods:
        method = ", ".join(dict.fromkeys(methods))
    return _Prefix(tuple(label.phase for label in labels), method, selector)


def _selector_phase(selector: str) -> Phase | None:
    tokens = {t for token in selector_tokens(selector) for t in re.split(r"[\s\-_()]+", token)}
    for phase, words in _tables().selector_hints:
        if tokens & words:
            return phase
    return None


def _is_selector_phrase(text: str) -> bool:
    """A short variant phrase ("v1", "8k", "base (v2) & large", "alpha1", "他", "others")."""
    alternatives = selector_tokens(text)
    if not alternatives or len(text) > 40:
        return False
    for alt in alternatives:
        words = alt.split()
        if len(words) > 3:
            return False
        if not (re.search(r"\d", alt) or _selector_phase(alt)
                or alt in {"base", "large", "small", "他", "others", "autres", "thinking"}
                or re.fullmatch(r"(?:base|large|small)\s*\(.*\)", alt)):
            return False
    return True


def _prose_phase(text: str) -> tuple[Phase, str | None] | None:
    for pattern, phase, method in _tables().prose_phases:
        if pattern.search(text):
            return phase, method
    return None


# --------------------------------------------------------------------------------------------
# the cell


def _logical_lines(lines: Sequence[CellLine | str]) -> list[tuple[str, str]]:
    """(light text, original text) per line, lines joined while a parenthesis is open
    (``(1b 以降のモデルでは<br>さらに Japanese mC4 を追加)``)."""
    out: list[tuple[str, str]] = []
    pending_light, pending_raw = "", ""
    for line in lines:
        raw = line.text if isinstance(line, CellLine) else line
        light = _light(raw)
        if pending_light:
            pending_light, pending_raw = f"{pending_light} {light}", f"{pending_raw}\n{raw}"
        else:
            pending_light, pending_raw = light, raw
        if _depth_ok(pending_light) <= 0 and not _tables().continued_line.search(pending_light):
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
                found.setdefault(match_key(_light(link.text)), link.url)
    return found


def _models(text: str, default_phase: Phase) -> tuple[list[ModelMention], str | None,
                                                         Phase | None, bool, bool, str | None]:
    """Parent models named in ``text``: (mentions, rest of the data text, phase, undisclosed,
    matched, method)."""
    tables = _tables()
    mentions: list[ModelMention] = []
    rest: str | None = None
    phase: Phase | None = None
    undisclosed = False
    matched = False
    method: str | None = None
    pretraining = re.search(r"事前学習|追加学習|pre-?train|LEIA", text, re.IGNORECASE)
    for rel in tables.relations:
        m = rel.pattern.search(text)
        if m is None:
            continue
        matched = True
        groups = m.groupdict()
        relation = rel.relation_if_pretraining if (
            rel.relation_if_pretraining and pretraining) else rel.relation
        names = [groups["model"]] if groups.get("model") else re.split(
            r"\s*(?:\bと\b|と|\band\b|\bet\b|,)\s*", groups.get("models") or "")
        for name in names:
            name = name.strip(" ,.")
            if name and not any(mm.label == name for mm in mentions):
                mentions.append(ModelMention(name, relation, text))
        if groups.get("undisclosed"):
            undisclosed = True
        if groups.get("method") and method is None:
            method = groups["method"]
        if rest is None and groups.get("rest") is not None:
            rest = groups["rest"]
        if phase is None and rel.phase is not None:
            phase = rel.phase
    return mentions, rest, phase, undisclosed, matched, method


def parse_training_data_cell(
    lines: Sequence[CellLine | str], *, section_approach: str
) -> list[TrainingStatement]:
    """The training statements of one training-data cell (its ``<br>`` lines).

    ``section_approach`` is the section's :class:`~jllm_kg.ingest.records.Category` approach
    ("scratch", "continual", "post-training", "merge", "api", "unknown"): it gives the phase of
    lines without a phase prefix. Plain strings are accepted for tests and the paper's prose.
    """
    default: Phase = _DEFAULT_PHASE.get(section_approach, "unspecified")
    links = _links(lines)
    statements: list[_Builder] = []
    pending_selector: str | None = None

    def phase_of(prefix_phases: Sequence[Phase]) -> list[Phase]:
        # "Pre-training:" in a continual section is continual pre-training
        return [
            "continual-pretraining" if p == "pretraining" and default == "continual-pretraining"
            else p
            for p in prefix_phases
        ]

    for light, raw in _logical_lines(lines):
        text = re.sub(r"^(?:\\?\*)+\s*", "", light).strip()
        text = re.sub(r"^-\s+", "", text) if text != "-" else text
        if not text:
            continue
        inner = _strip_outer_parens(text)
        if _is_undisclosed(text) or _is_undisclosed(inner):
            b = _Builder([default], raw, selector_text=pending_selector, undisclosed=True)
            statements.append(b)
            continue
        amounts = _amount_only(text)
        if amounts is not None:
            if statements:
                statements[-1].amounts.extend(amounts)
            else:
                b = _Builder([default], raw, selector_text=pending_selector)
                b.amounts.extend(amounts)
                statements.append(b)
            continue
        # a selector alone on its line governs the next lines ("base (v1):")
        if text.endswith(":") and _parse_phase_expr(text[:-1]) is None and _is_selector_phrase(
            text[:-1]
        ):
            pending_selector = text[:-1].strip()
            continue

        extra: list[_Builder] = []
        # continuation of the previous list ("+ Jpanese mC4", "(+ 独自のデータセット)")
        cont = re.match(r"^\+\s*(?P<rest>.*)$", inner)
        if cont and statements:
            models, _, _, _, matched, _ = _models(cont["rest"], default)
            # "+ Chat Vector (from QwQ 32b)": the parenthesis names the parent, not a method
            prefix = _parse_phase_expr(re.sub(r"\s*\(.*\)$", "", cont["rest"]) if matched
                                       else cont["rest"])
            if matched or prefix is not None:
                target = statements[-1]
                target.models.extend(models)
                if prefix is not None and prefix.method:
                    target.method = ", ".join(filter(None, (target.method, prefix.method)))
            else:
                _read_items(cont["rest"], statements[-1], links, extra)
            statements.extend(extra)
            continue

        builder = _Builder([default], raw, selector_text=pending_selector)
        body = text = inner.lstrip("- ").strip() if inner != text else text

        # parent models in prose
        models, rest, model_phase, undisclosed, matched, method = _models(body, default)
        if matched:
            builder.models.extend(models)
            builder.undisclosed = undisclosed
            builder.method = method
            if model_phase is not None:
                builder.phases = [model_phase]
            elif (hit := _prose_phase(body)) is not None:
                builder.phases = phase_of([hit[0]])
                builder.method = builder.method or hit[1]
            body = (rest or "").strip()
            if not body:
                # no separate data text: take curated names, except inside the model labels
                leftover = text
                for mention in models:
                    leftover = leftover.replace(mention.label, " ")
                _prose_data(leftover, None, builder, links)
                statements.append(builder)
                continue

        # "以下のデータセットで学習: …" / "on the following datasets: …"
        intro = re.match(r"^(?:以下のデータセットで|on the following datasets)\s*(?P<verb>[^:]*):"
                         r"\s*(?P<rest>.+)$", body, re.IGNORECASE)
        if intro:
            if (hit := _prose_phase(intro["verb"])) is not None:
                builder.phases = phase_of([hit[0]])
            body = intro["rest"]

        prefix_match = re.match(r"^(?P<prefix>[^:]{1,80}?)\s*:\s*(?P<rest>.*)$", body)
        prefix = _parse_phase_expr(prefix_match["prefix"]) if prefix_match else None
        whole = _parse_phase_expr(body)
        if prefix is not None and prefix_match is not None:
            builder.phases = phase_of(prefix.phases)
            builder.method = prefix.method or builder.method
            if prefix.selector:
                builder.selector_text = prefix.selector
            body = prefix_match["rest"]
            # "Youri 7B (base) に対して Instruction Tuning: …" handled above; a prefix may
            # still carry prose about a parent ("Pre-training: trained using the TAID method …")
            sub_models, sub_rest, _, _, sub_matched, _ = _models(body, default)
            if sub_matched:
                builder.models.extend(sub_models)
                hit = _prose_phase(body)
                if hit and hit[1] and not builder.method:
                    builder.method = hit[1]
                body = (sub_rest or "").strip()
                if not body:
                    statements.append(builder)
                    continue
        elif whole is not None:
            builder.phases = phase_of(whole.phases)
            builder.method = whole.method
            builder.selector_text = whole.selector or builder.selector_text
            statements.append(builder)
            continue
        elif prefix_match and _is_selector_phrase(prefix_match["prefix"]):
            sel = prefix_match["prefix"].strip()
            builder.selector_text = sel
            hinted = _selector_phase(sel)
            body = prefix_match["rest"]
            if hinted is not None:
                builder.phases = [hinted]
            elif _tables().prose_markers.search(body):
                hit = _prose_phase(body)
                builder.phases = [hit[0]] if hit else [default]
            elif statements and not matched:
                # "*v0.1: OASST1, OASST2" after "Instruction Tuning: …" is instruction data
                builder.phases = list(statements[-1].phases)
        else:
            inner_body = _strip_outer_parens(body)
            for pattern in _tables().prose_selectors:
                sel_match = pattern.match(inner_body)
                if sel_match is None:
                    continue
                groups = sel_match.groupdict()
                builder.selector_text = groups["sel"].strip(" *")
                words = groups.get("rest") or groups.get("list") or ""
                hit = _prose_phase(words)
                if hit is not None:
                    builder.phases = phase_of([hit[0]])
                    builder.method = hit[1]
                elif statements:
                    builder.phases = list(statements[-1].phases)
                _prose_data(groups.get("rest"), groups.get("list"), builder, links)
                statements.append(builder)
                break
            else:
                if not _tables().prose_markers.search(body):
                    _read_items(body, builder, links, extra)
                else:
                    hit = _prose_phase(body)
                    if hit is not None:
                        builder.phases = phase_of([hit[0]])
                        builder.method = hit[1]
                    _prose_data(body, None, builder, links)
                statements.append(builder)
                statements.extend(extra)
            continue

        if _is_undisclosed(body):
            builder.undisclosed = True
        elif _tables().prose_markers.search(body) and not _split_items(body)[1:]:
            hit = _prose_phase(body)
            if hit is not None and not builder.method:
                builder.method = hit[1]
            _prose_data(body, None, builder, links)
        else:
            _read_items(body, builder, links, extra)
        statements.append(builder)
        statements.extend(extra)
    return [b.freeze() for b in statements]
