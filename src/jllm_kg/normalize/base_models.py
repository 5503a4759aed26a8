"""Base-model and merge-parent cells → references, and foreign base models
(``data/curated/foreign_models.yaml``).

``parse_base_cell`` reads what a cell says, as written: ``Llama 2 (70b)`` → label "Llama 2",
size "70b"; ``Code Llama<br>(7b)`` → one reference; a merge list ``**Llama 3 Swallow 8B
(Instruct)**, OpenBioLLM-8B`` → one reference per parent, bold = Japanese parent; a note
``*Instructが名前に付いていないモデルのみ Mixtral-8x7B-v0.1 がベース`` → a second reference with a
selector (checkpoints without "instruct"). ``resolve_foreign_model`` maps a label (+ size) to a
curated non-Japanese model; Japanese parents are not in the file and resolve to None (the
mapper resolves them against list rows).

Decision: a family label without a size (``RWKV-4 World``, ``InternVL2``) resolves to no model
(None) — a family is not a checkpoint; use :func:`resolve_foreign_family` for it.

>>> ref = parse_base_cell(["Llama 2 (70b)"], ["70b"])[0]
>>> (ref.label, ref.size, resolve_foreign_model(ref.label, ref.size).hf_id)
('Llama 2', '70b', 'meta-llama/Llama-2-70b-hf')
>>> resolve_foreign_model("Swallow 13B", None) is None
True
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from functools import cache

from jllm_kg.curated import CuratedDataError, load_table
from jllm_kg.curated.schemas import ForeignModelsFile, ModelAliasesFile
from jllm_kg.normalize.labels import name_tokens, stages_of
from jllm_kg.normalize.selectors import Selector, split_base_note
from jllm_kg.normalize.sizes import PARAMETER_SIZE
from jllm_kg.normalize.text import (
    is_unknown_marker,
    loose_key,
    match_key,
    split_top_level,
    strip_label,
)

_FILE = "foreign_models.yaml"
_ALIASES_FILE = "model_aliases.yaml"
# "7b", or "7b (6.8b)": a size and the exact size in brackets
_SIZE = rf"{PARAMETER_SIZE}(?:\s*[(（]\s*{PARAMETER_SIZE}\s*[)）])?"
_SIZE_ITEM = re.compile(rf"^(?:\d+\s*x\s*)?{_SIZE}$", re.I)
_TRAILING_PAREN = re.compile(
    r"^(?P<label>.*?)\s*[(（](?P<inner>[^()（）]*(?:[(（][^()（）]*[)）][^()（）]*)*)[)）]$"
)


@dataclass(frozen=True)
class ForeignFamily:
    key: str
    label: str
    developer: str
    architecture: str | None
    aliases: tuple[str, ...] = ()


@dataclass(frozen=True)
class ForeignModel:
    """A non-Japanese model named as a base, parent, teacher or component."""

    key: str
    label: str
    developer: str  # key into developers.yaml
    architecture: str | None  # key into architectures.yaml
    family: str | None = None
    hf_id: str | None = None
    parameters: float | None = None  # nominal unless a source gives the actual count
    sizes: tuple[str, ...] = ()
    aliases: tuple[str, ...] = ()
    former_slugs: tuple[str, ...] = ()  # earlier /id/model/ slugs (see foreign_models.yaml)


@dataclass(frozen=True)
class BaseRef:
    """One model a base / merge-parent cell names, as written."""

    label: str  # e.g. "Llama 2", "Llama 3 Swallow 8B (Instruct)"
    size: str | None  # e.g. "70b", "8x13b", "1.8b, 13b"
    selector: Selector | None  # which checkpoints it is the base of (None: all)
    bold: bool  # bold in the source: a Japanese parent in merge tables
    note: str | None  # qualifying text ("trained from", the note line)
    text: str  # the part of the cell as written

    @property
    def sizes(self) -> tuple[str, ...]:
        """The size list split: ``"1.8b, 13b"`` → ``("1.8b", "13b")``."""
        return tuple(split_top_level(self.size, _catalogue().list_separators)) if self.size else ()


@dataclass(frozen=True)
class _Catalogue:
    families: Mapping[str, ForeignFamily]
    models: Mapping[str, ForeignModel]
    family_keys: Mapping[str, str]
    model_keys: Mapping[str, str]
    lineage_phrases: tuple[str, ...]
    list_separators: tuple[str, ...]  # between models or sizes in one line


def _index(table: dict[str, str], names: Sequence[str], key: str, what: str) -> None:
    for name in names:
        for k in (match_key(name), loose_key(name)):
            if table.get(k, key) != key:
                raise CuratedDataError(
                    f"{_FILE}: {what} alias {name!r} claimed by {table[k]!r} and {key!r}"
                )
            table[k] = key


@cache
def _catalogue() -> _Catalogue:
    table = load_table(_FILE, ForeignModelsFile)
    families: dict[str, ForeignFamily] = {}
    models: dict[str, ForeignModel] = {}
    family_keys: dict[str, str] = {}
    model_keys: dict[str, str] = {}
    for family_entry in table.families:
        fam = ForeignFamily(
            key=family_entry.key,
            label=family_entry.label,
            developer=family_entry.developer,
            architecture=family_entry.architecture,
            aliases=tuple(family_entry.aliases),
        )
        families[fam.key] = fam
        _index(family_keys, [fam.label, *fam.aliases], fam.key, "family")
    for entry in table.models:
        family = families.get(entry.family) if entry.family else None
        if entry.family and family is None:
            raise CuratedDataError(f"{_FILE}: model {entry.key!r}: unknown family")
        developer = entry.developer or (family.developer if family else None)
        if developer is None:
            raise CuratedDataError(f"{_FILE}: model {entry.key!r} has no developer")
        model = ForeignModel(
            key=entry.key,
            label=entry.label,
            developer=developer,
            architecture=entry.architecture or (family.architecture if family else None),
            family=family.key if family else None,
            hf_id=entry.hf_id,
            parameters=float(entry.parameters) if entry.parameters is not None else None,
            sizes=tuple(entry.sizes),
            aliases=tuple(entry.aliases),
            former_slugs=tuple(entry.former_slugs),
        )
        models[model.key] = model
        names = [model.label, *model.aliases, *([model.hf_id] if model.hf_id else [])]
        _index(model_keys, names, model.key, "model")
    phrases = tuple(table.lineage_phrases)
    return _Catalogue(
        families, models, family_keys, model_keys, phrases, tuple(table.list_separators)
    )


def foreign_model_catalogue() -> Mapping[str, ForeignModel]:
    """All curated foreign models by key."""
    return dict(_catalogue().models)


def foreign_family_catalogue() -> Mapping[str, ForeignFamily]:
    """All curated foreign model families by key."""
    return dict(_catalogue().families)


def _lookup(table: Mapping[str, str], name: str) -> str | None:
    return table.get(match_key(name)) or table.get(loose_key(name))


def resolve_foreign_family(label: str) -> ForeignFamily | None:
    """The foreign family a label names (``Qwen 2.5`` → Qwen2.5), or None."""
    key = _lookup(_catalogue().family_keys, strip_label(label))
    return _catalogue().families[key] if key else None


def resolve_foreign_model(label: str, size: str | None) -> ForeignModel | None:
    """The specific foreign model a base label (+ size) denotes, or None.

    A full model label or repo id (``Mixtral-8x7B-Instruct-v0.1``, ``microsoft/phi-4``)
    resolves alone; a family label needs a size that selects one model (``Llama 2`` + ``70b``).
    None for Japanese models, unknown labels and families without (or with an unknown) size.
    """
    catalogue = _catalogue()
    name = strip_label(label)
    key = _lookup(catalogue.model_keys, name)
    if key:
        return catalogue.models[key]
    family = resolve_foreign_family(name)
    if family is None or not size:
        return None
    wanted = {match_key(size), loose_key(size)}
    # "46.7b" or "7b (6.8b)": also try the first size of the text.
    first = re.match(rf"^\s*((?:\d+x)?{PARAMETER_SIZE})", match_key(size))
    if first:
        wanted.add(loose_key(first.group(1)))
    for model in catalogue.models.values():
        if model.family == family.key and any(
            match_key(s) in wanted or loose_key(s) in wanted for s in model.sizes
        ):
            return model
    return None


@cache
def _model_aliases() -> Mapping[str, str]:
    aliases = load_table(_ALIASES_FILE, ModelAliasesFile).aliases
    return {match_key(written): name for written, name in aliases.items()}


def resolve_model_alias(label: str) -> str:
    """The list-row name of a Japanese model that prose names otherwise
    (``data/curated/model_aliases.yaml``); ``label`` itself when it has no alias.

    >>> resolve_model_alias("BERT (base) de l'Université du Tohoku")
    'TohokuUniversityBERT (base)'
    >>> resolve_model_alias("Swallow 13B")
    'Swallow 13B'
    """
    return _model_aliases().get(match_key(label), label)


def strip_lineage_phrase(text: str) -> str:
    """``text`` without the lineage phrase before or after the name (``based on
    Qwen2.5-VL-32B``, ``Qwen2.5-VL-32B ベース``: ``lineage_phrases`` of ``foreign_models.yaml``),
    or as it is.

    >>> strip_lineage_phrase("basé sur Qwen2.5-VL-32B")
    'Qwen2.5-VL-32B'
    >>> strip_lineage_phrase("Qwen2.5-VL-32B ベース")
    'Qwen2.5-VL-32B'
    """
    key = match_key(text)
    for phrase in _catalogue().lineage_phrases:
        if key.startswith(match_key(phrase)):
            return text[len(phrase):].strip()
        if key.endswith(match_key(phrase)):
            return text[: len(text) - len(phrase)].strip()
    return text


def _split_label_size(text: str) -> tuple[str, str | None]:
    found = _TRAILING_PAREN.match(text)
    if found and found["label"]:
        inner = found["inner"].strip()
        items = split_top_level(inner, _catalogue().list_separators)
        if items and all(_SIZE_ITEM.match(item) for item in items):
            return found["label"].strip(), inner
    return text, None


def _is_bold(label: str, text: str, bold: Sequence[str]) -> bool:
    keys = {match_key(b) for b in bold if b.strip()}
    return match_key(text) in keys or match_key(label) in keys


def parse_base_cell(lines: Sequence[str], bold: Sequence[str] = ()) -> list[BaseRef]:
    """The models a base-model or merge-parent cell names (plain-text ``<br>`` lines; *bold*:
    the bold spans of the cell, which mark Japanese parents in merge tables).

    A line that is only a size (``(7b)``) completes the previous reference; note lines naming
    another base for some checkpoints give a reference with a selector; ``(trained from X)``
    gives X with the phrase as note. Unknown markers give nothing.
    """
    refs: list[BaseRef] = []
    phrases = _catalogue().lineage_phrases
    for raw in lines:
        line = strip_label(raw)
        if is_unknown_marker(line):
            continue
        only_size = re.fullmatch(r"[(（]\s*(.+?)\s*[)）]", line)
        if only_size and refs and refs[-1].size is None and _SIZE_ITEM.match(only_size[1]):
            last = refs[-1]
            refs[-1] = BaseRef(
                last.label, only_size[1], last.selector, last.bold, last.note, f"{last.text} {line}"
            )
            continue
        note = split_base_note(line)
        if note:
            selector, value = note
            label, size = _split_label_size(value)
            refs.append(BaseRef(label, size, selector, _is_bold(label, value, bold), line, line))
            continue
        # "- (trained from X)": the dash says the cell has no merge parents, the parenthesis
        # names the model trained further (en/ja L434 at 941b11f)
        line = re.sub(r"^-\s*(?=[(（])", "", line)
        inner = line[1:-1].strip() if line[:1] in "(（" and line[-1:] in ")）" else line
        for phrase in phrases:
            if match_key(inner).startswith(match_key(phrase)):
                value = inner[len(phrase) :].strip()
            elif inner != line and match_key(inner).endswith(match_key(phrase)):
                # "(Llama-3-EvoVLM-JP-v2 に対して追加学習)": the phrase after the name
                value = inner[: len(inner) - len(phrase)].strip()
            else:
                continue
            label, size = _split_label_size(value)
            refs.append(BaseRef(label, size, None, _is_bold(label, value, bold), phrase, line))
            break
        else:
            for part in split_top_level(line, _catalogue().list_separators):
                label, size = _split_label_size(part)
                refs.append(BaseRef(label, size, None, _is_bold(label, part, bold), None, part))
    return refs


def tuned_variant_named_by(model: ForeignModel, child_name: str) -> ForeignModel | None:
    """The tuned variant of ``model`` (same size, a stage marker such as ``chat`` in its name)
    whose whole name the child's own name contains, or None: a cell naming the family and size
    ("Llama 2 (70b)") of doshisha-mil/llama-2-70b-chat-4bit-japanese means Llama-2-70b-chat.

    >>> base = resolve_foreign_model("Llama 2", "70b")
    >>> tuned_variant_named_by(base, "llama-2-70b-chat-4bit-japanese-v1").hf_id
    'meta-llama/Llama-2-70b-chat-hf'
    >>> tuned_variant_named_by(base, "Swallow-70b-instruct-hf") is None
    True
    """
    child_words = set(name_tokens(child_name.rpartition("/")[2]))
    found = []
    for candidate in _catalogue().models.values():
        if candidate.key == model.key or set(candidate.sizes) != set(model.sizes):
            continue
        names = [candidate.label, *candidate.aliases,
                 *([candidate.hf_id.partition("/")[2]] if candidate.hf_id else [])]
        if any(stages_of(name) and set(name_tokens(name)) <= child_words for name in names):
            found.append(candidate)
    return found[0] if len(found) == 1 else None
