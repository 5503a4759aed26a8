"""Per-variant selectors: which checkpoints of a row a value applies to.

A cell can give one value per variant: ``baseモデル: MIT<br>instructモデル: CC BY-NC-SA 4.0``,
``Apache 2.0<br>(NC モデルは CC BY-NC 4.0)``, ``7b, 13b: 4,096<br>70b: 8,192``,
``8kモデル: 8,192<br>他: 2,048``. This module turns the variant phrase into a
:class:`Selector` (alternatives of token sets) and decides which checkpoints it covers. It is
generic: licences, context lengths, training data and base models all use it. The vocabulary
(model words, synonyms, line patterns) lives in ``data/curated/selectors.yaml``.

Matching rules (why they are what they are):
- a selector is a disjunction of conjunctions: ``base (v1, v2) & large`` is
  ``(base ∧ v1) ∨ (base ∧ v2) ∨ large``;
- a selector token matches a checkpoint token when their canonical forms are equal, or when the
  checkpoint token is the selector token plus digits (``instruct`` covers ``instruct2``);
- ``base`` means the literal token when some checkpoint of the row says ``base`` (encoders:
  ``base (v1)``, ``base-alpha-7b``), otherwise "not instruct/chat/sft/dpo/…";
- ``v1`` also matches a checkpoint without any version token (``instruct-alpha-7b`` is v1 next
  to ``instruct-alpha-7b-v2``);
- ``他`` / ``others`` covers the checkpoints no other selector of the cell covers;
- a size bound (``1b 以降``, ``1b and up``, ``1b et plus``) covers the checkpoints whose name
  has a size token at least that large; a checkpoint without a size token in its name
  (``xsmall``, ``medium``) is not covered: its size is not known to be above the bound;
- when several statements match one checkpoint, the most specific one wins (most matched
  tokens); unselected statements are the default; additive ones ("also") are always added.

>>> parse_selector("base (v1, v2) & large").alternatives
(('base', 'v1'), ('base', 'v2'), ('large',))
>>> selector, value, additive = split_selected_line("instruct モデル (v1): 独自のライセンス")
>>> (selector.alternatives, value, additive)
((('instruct', 'v1'),), '独自のライセンス', False)
>>> selector_matches(parse_selector("dpo モデルのみ"), "7b-chat-dpo-experimental", None)
True
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from functools import cache
from typing import Protocol, TypeVar

from jllm_kg.curated import load_table
from jllm_kg.curated.schemas import SelectorsFile
from jllm_kg.normalize.sizes import SIZE_NUMBER
from jllm_kg.normalize.text import match_key, split_top_level

_FILE = "selectors.yaml"
_VERSION = re.compile(r"^v\d+(?:\.\d+)*$")
_TOKEN_SPLIT = re.compile(r"[^\w.]+|_")
_AT_LEAST = ">="  # prefix of a size-bound token ("1b 以降" → ">=1b")
_SIZE_TOKEN = re.compile(rf"^(?P<number>{SIZE_NUMBER})(?P<unit>[mb])$", re.IGNORECASE)
_SIZE_UNITS = {"m": 10**6, "b": 10**9}


@dataclass(frozen=True)
class Selector:
    """A variant phrase as written and what it selects."""

    text: str  # the phrase as written, e.g. "instruct モデル (v1)"
    alternatives: tuple[tuple[str, ...], ...]  # disjunction of conjunctions of canonical tokens
    others: bool = False  # "他" / "others": the complement of the cell's other selectors
    negated: tuple[str, ...] = ()  # tokens that must be absent ("without Instruct in the name")

    @property
    def tokens(self) -> tuple[str, ...]:
        """All tokens of all alternatives, in order, without repeats."""
        seen: dict[str, None] = {}
        for alternative in self.alternatives:
            seen.update(dict.fromkeys(alternative))
        return tuple(seen)


class Selected(Protocol):
    """Anything carrying a selector: licence statements, context values, dataset statements."""

    @property
    def selector(self) -> Selector | None: ...

    @property
    def additive(self) -> bool: ...


class CheckpointLike(Protocol):
    """What selector matching needs of a checkpoint (``records.Checkpoint`` fits)."""

    @property
    def label(self) -> str: ...

    @property
    def hf_id(self) -> str | None: ...


@dataclass(frozen=True)
class CheckpointName:
    """A minimal :class:`CheckpointLike` for callers that only have names."""

    label: str
    hf_id: str | None = None


S = TypeVar("S", bound=Selected)


@dataclass(frozen=True)
class _Vocabulary:
    fillers: tuple[str, ...]
    separators: tuple[str, ...]
    canonical: Mapping[str, str]
    derived: frozenset[str]
    line_patterns: tuple[tuple[re.Pattern[str], bool], ...]
    negation_patterns: tuple[re.Pattern[str], ...]
    base_note_patterns: tuple[re.Pattern[str], ...]
    at_least_patterns: tuple[re.Pattern[str], ...]


@cache
def _vocabulary() -> _Vocabulary:
    table = load_table(_FILE, SelectorsFile)
    canonical: dict[str, str] = {}
    for target, spellings in table.synonyms.items():
        for spelling in [target, *spellings]:
            canonical[match_key(spelling)] = target
    fillers = sorted({match_key(w) for w in table.filler_words}, key=len, reverse=True)
    return _Vocabulary(
        fillers=tuple(fillers),
        separators=tuple(table.alternative_separators),
        canonical=canonical,
        derived=frozenset(table.derived_tokens),
        line_patterns=tuple(
            (re.compile(entry.pattern, re.IGNORECASE), entry.additive)
            for entry in table.line_patterns
        ),
        negation_patterns=tuple(re.compile(p, re.I) for p in table.negation_patterns),
        base_note_patterns=tuple(re.compile(p, re.I) for p in table.base_note_patterns),
        at_least_patterns=tuple(re.compile(p, re.I) for p in table.at_least_patterns),
    )


def _canonical(token: str) -> str:
    return _vocabulary().canonical.get(token, token)


def _strip_fillers(phrase: str) -> str:
    text = f" {match_key(phrase)} "
    for filler in _vocabulary().fillers:
        # Japanese fillers attach to the previous word ("baseモデル"), Latin ones are words.
        if filler.isascii():
            text = re.sub(rf"(?<=[\s(]){re.escape(filler)}(?=[\s)])", " ", text)
        else:
            text = text.replace(filler, " ")
    return re.sub(r"\s+", " ", text).strip()


def _tokens(text: str) -> tuple[str, ...]:
    key = match_key(text)
    whole = _vocabulary().canonical.get(key)
    if whole:  # multi-word synonyms ("post trained", "les autres")
        return (whole,)
    out: list[str] = []
    for raw in _TOKEN_SPLIT.split(key):
        token = raw.strip(".")
        if token:
            out.append(_canonical(token))
    return tuple(out)


def parse_selector(phrase: str) -> Selector:
    """Turn a variant phrase (``instruct モデル (v1)``, ``7b, 13b``, ``他``) into a Selector."""
    vocabulary = _vocabulary()
    for pattern in vocabulary.at_least_patterns:
        bound = pattern.match(unicodedata.normalize("NFKC", phrase).strip())
        if bound and _size_value(bound["size"]) is not None:
            return Selector(phrase.strip(), ((f"{_AT_LEAST}{bound['size'].lower()}",),))
    for pattern in vocabulary.negation_patterns:
        found = pattern.search(unicodedata.normalize("NFKC", phrase))
        if found:
            return Selector(phrase, (), negated=(_canonical(match_key(found["tok"])),))
    core = _strip_fillers(phrase)
    alternatives: list[tuple[str, ...]] = []
    others = False
    for piece in split_top_level(core, vocabulary.separators):
        head, _, rest = piece.partition("(")
        qualifiers = split_top_level(rest.rstrip(")"), vocabulary.separators) if rest else []
        head_tokens = _tokens(head)
        if head_tokens == ("others",):
            others = True
            continue
        if qualifiers:
            alternatives.extend(head_tokens + _tokens(q) for q in qualifiers)
        elif head_tokens:
            alternatives.append(head_tokens)
    if not alternatives and not others:
        raise ValueError(f"empty variant selector {phrase!r}")
    return Selector(phrase.strip(), tuple(dict.fromkeys(alternatives)), others=others)


def split_selected_line(line: str) -> tuple[Selector | None, str, bool]:
    """Split one cell line into (selector, value, additive).

    ``baseモデル: MIT`` → (base, "MIT", False); ``(dpo モデルのみ CC BY 4.0)`` → (dpo,
    "CC BY 4.0", False); ``(Gemma Terms of Use is also applied to the Instruct model)`` →
    (instruct, "Gemma Terms of Use", True); a line without a variant phrase → (None, line,
    False). Why a fixed pattern list: free prose must not be mistaken for a selector.
    """
    text = unicodedata.normalize("NFKC", line).strip()
    for pattern, additive in _vocabulary().line_patterns:
        found = pattern.match(text)
        if not found:
            continue
        try:
            selector = parse_selector(found["sel"])
        except ValueError:
            continue
        return selector, found["value"].strip(), additive
    return None, line.strip(), False


def split_base_note(line: str) -> tuple[Selector, str] | None:
    """A base-model note naming another base for some checkpoints, e.g.
    ``*Instructが名前に付いていないモデルのみ Mixtral-8x7B-v0.1 がベース`` → (selector "no
    instruct token", "Mixtral-8x7B-v0.1"); None when the line is not such a note."""
    text = unicodedata.normalize("NFKC", line).strip()
    for pattern in _vocabulary().base_note_patterns:
        found = pattern.match(text)
        if found:
            return parse_selector(found["sel"]), found["value"].strip().strip('"“”')
    return None


def checkpoint_tokens(label: str, hf_id: str | None) -> frozenset[str]:
    """Canonical tokens of a checkpoint's label and repo name (``13b-instruct-nc`` → 13b,
    instruct, nc)."""
    names = [label]
    if hf_id:
        names.append(hf_id.rpartition("/")[2])
    tokens: set[str] = set()
    for name in names:
        tokens.update(_tokens(name))
    return frozenset(tokens)


def _size_value(token: str) -> float | None:
    """Parameters of a plain size token (``1b``, ``3.6b``, ``160m``); None otherwise."""
    match = _SIZE_TOKEN.match(token)
    if match is None:
        return None
    return float(match["number"]) * _SIZE_UNITS[match["unit"].lower()]


def _token_matches(wanted: str, tokens: frozenset[str], literal_base: bool) -> bool:
    if wanted in tokens:
        return True
    if wanted.startswith(_AT_LEAST):
        bound = _size_value(wanted[len(_AT_LEAST):])
        sizes = [value for value in map(_size_value, tokens) if value is not None]
        return bound is not None and any(value >= bound for value in sizes)
    if wanted == "base" and not literal_base:
        return not (tokens & _vocabulary().derived) and not _has_derived_prefix(tokens)
    if wanted == "derived":
        return bool(tokens & _vocabulary().derived) or _has_derived_prefix(tokens)
    if wanted == "v1":
        return not any(_VERSION.match(t) for t in tokens)
    if wanted.isalpha():
        return any(t.startswith(wanted) and t[len(wanted) :].isdigit() for t in tokens)
    return False


def _has_derived_prefix(tokens: frozenset[str]) -> bool:
    derived = _vocabulary().derived
    return any(t.rstrip("0123456789") in derived for t in tokens)


def _specificity(selector: Selector, tokens: frozenset[str], literal_base: bool) -> int | None:
    """How many tokens of the best matching alternative matched (None: no match)."""
    if selector.negated:
        hit = any(_token_matches(t, tokens, True) for t in selector.negated)
        return None if hit else 1
    best: int | None = None
    for alternative in selector.alternatives:
        if all(_token_matches(t, tokens, literal_base) for t in alternative):
            best = max(best or 0, len(alternative))
    return best


def selector_matches(
    selector: Selector | None,
    checkpoint_label: str,
    hf_id: str | None,
    *,
    literal_base: bool = False,
) -> bool:
    """Whether *selector* applies to one checkpoint, judged alone.

    ``others`` selectors cannot be judged alone (they need the cell's other selectors) and
    return False here; use :func:`assign_by_selector` for whole cells. ``literal_base``: set
    when some checkpoint of the row literally says "base" (then "base" is that word only).
    """
    if selector is None:
        return True
    tokens = checkpoint_tokens(checkpoint_label, hf_id)
    return _specificity(selector, tokens, literal_base) is not None


def assign_by_selector(
    statements: Sequence[S], checkpoints: Sequence[CheckpointLike]
) -> dict[int, list[S]]:
    """Map each checkpoint index to the statements that apply to it.

    Per checkpoint: among the non-additive statements whose selector matches, keep those of the
    highest specificity (unselected = 0, so any matching variant overrides the default; several
    statements of the same specificity all apply, e.g. ``A & B``); ``others`` statements apply
    when no other selected statement matched; additive statements are added when they match.
    Every checkpoint index is present, possibly with an empty list.
    """
    token_sets = [checkpoint_tokens(c.label, c.hf_id) for c in checkpoints]
    literal_base = any("base" in tokens for tokens in token_sets)
    result: dict[int, list[S]] = {}
    for index, tokens in enumerate(token_sets):
        scored: list[tuple[int, S]] = []
        additive: list[S] = []
        others: list[S] = []
        for statement in statements:
            selector = statement.selector
            if selector is not None and selector.others and not selector.alternatives:
                others.append(statement)
                continue
            score = 0 if selector is None else _specificity(selector, tokens, literal_base)
            if score is None:
                continue
            if statement.additive:
                additive.append(statement)
            else:
                scored.append((score, statement))
        selected_hit = any(score > 0 for score, _ in scored)
        if others and not selected_hit:
            chosen = others
        elif scored:
            top = max(score for score, _ in scored)
            chosen = [statement for score, statement in scored if score == top]
        else:
            chosen = []
        result[index] = chosen + [s for s in additive if s not in chosen]
    return result
