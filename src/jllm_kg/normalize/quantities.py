"""Numbers in the list's cells: parameter counts, training amounts, context lengths, years.

Pure functions from the plain text of a cell (or a ``<br>`` line of it) to exact numbers. The
sources write numbers in many ways (``7b(6.8b)``, ``8x70b (465b)``, ``355b-A32B``,
``(計 **910B** トークン)``, ``**44,2 milliards** de tokens``, ``約6億1,900万文``, ``19,000-hour``,
``4 096``), so every rule below says which source form it exists for. All arithmetic is on
:class:`~decimal.Decimal`, never float: ``6.8b`` is exactly ``6800000000``.

Unknown stays absent: ``?``, ``不明``, ``Inconnu``, empty text give ``None`` / nothing, never a
fake value. Text that is neither a known form nor an unknown marker raises
:class:`QuantityParseError`, so that a new notation in a later version of the list is noticed
instead of silently dropped.

>>> parse_parameter_size("7b(6.8b)").value
Decimal('6800000000')
>>> parse_parameter_size("8x70b (465b)").experts
8
>>> [a.tokens for a in parse_training_amounts("(計 **910B** トークン)")]
[Decimal('910000000000')]
>>> [(c.selector, c.tokens) for c in parse_context_cell(["base: 4,096", "chat: **32,768**"])]
[(('base',), 4096), (('chat',), 32768)]
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal
from functools import cache
from typing import Final, Literal

from jllm_kg.curated import load_table
from jllm_kg.curated.schemas import CorpusUnit, QuantitiesFile
from jllm_kg.normalize.sizes import PARAMETER_SIZE as _SIZE_NUM
from jllm_kg.normalize.text import is_unknown_marker

__all__ = [
    "Amount",
    "ContextStatement",
    "CorpusCount",
    "DataSize",
    "ParameterSize",
    "QuantityParseError",
    "TokenCount",
    "model_token_totals",
    "normalize_quantity_text",
    "parse_context_cell",
    "parse_decimal",
    "parse_parameter_size",
    "parse_training_amounts",
    "parse_year",
    "selector_tokens",
]


class QuantityParseError(ValueError):
    """A cell value is not a number form this module knows; the message quotes the text."""


# --------------------------------------------------------------------------------------------
# shared text helpers

_BOLD: Final = re.compile(r"\*\*|__")
_FOOTNOTE: Final = re.compile(r"\[\^[^\]]+\]")

@dataclass(frozen=True)
class _Vocabulary:
    """The words of ``quantities.yaml``, with the expressions built from them."""

    scales: dict[str, Decimal]  # letter, Japanese and word scales → multiplier
    byte_units: dict[str, Decimal]
    unit_names: tuple[str, ...]  # in the order tried
    amount: re.Pattern[str]
    threshold_after: re.Pattern[str]
    approximate_before: re.Pattern[str]
    total_before: re.Pattern[str]
    selector_before: re.Pattern[str]
    context_connectors: frozenset[str]
    context_bound_words: tuple[str, ...]
    context_bound: re.Pattern[str]
    context_range: re.Pattern[str]
    context_value: re.Pattern[str]
    context_exceptions: tuple[re.Pattern[str], ...]
    selector_split: re.Pattern[str]
    selector_fillers: re.Pattern[str]


def _context_exception_patterns(table: QuantitiesFile) -> tuple[re.Pattern[str], ...]:
    """``(2,048 as for 8B-…)`` (value first) and ``（8B-… のみ 2,048）`` (variant first)."""
    value = r"(?P<value>[\d.,\s]+k?)"
    patterns = []
    if table.context_exception_value_first:
        words = _alternatives(table.context_exception_value_first)
        patterns.append(re.compile(rf"^{value}\s*(?:{words})\s+(?P<sel>.+)$"))
    if table.context_exception_variant_first:
        words = _alternatives(table.context_exception_variant_first)
        patterns.append(re.compile(rf"^(?P<sel>.+?)\s*(?:{words})\s*{value}$"))
    return tuple(patterns)


def _alternatives(words: Sequence[str]) -> str:
    """A regex alternation of literal *words*, in the order given."""
    return "|".join(re.escape(word) for word in words)


@cache
def _vocabulary() -> _Vocabulary:
    table = load_table("quantities.yaml", QuantitiesFile)
    powers = {**table.letter_scales, **table.japanese_scales, **table.word_scales}
    units = "|".join(f"(?P<u_{name}>{pattern})" for name, pattern in table.units.items())
    byte = rf"(?P<byte>{_alternatives(list(table.byte_units))})(?![a-z])"
    letters = "".join(table.letter_scales)
    japanese = "".join(table.japanese_scales)
    word_scale = _alternatives(list(table.word_scales))
    approximate = _alternatives(table.approximate_words)
    # The number must not be glued to a name (laion2B-multi, CC12M, mC4, Qwen2.5-VL-72B, v0.1).
    # (Compiled VERBOSE: a literal space in a fragment must be written "[ ]"; re.escape does.)
    amount = re.compile(
        rf"""(?<![a-z0-9_.,\-])
        (?:
            (?P<ja>(?:(?:{_NUMBER})\s*[{japanese}]\s*)+)
          | (?P<num>{_NUMBER})\s*(?:{byte}|(?P<scale>{word_scale}|[{letters}](?![a-z])))?
        )
        (?(byte)|\s*(?:-|de\s+|d'|of\s+)?(?:{units}))
        """,
        re.VERBOSE,
    )
    return _Vocabulary(
        scales={word: Decimal(10) ** power for word, power in powers.items()},
        byte_units={unit: Decimal(10) ** power for unit, power in table.byte_units.items()},
        unit_names=tuple(table.units),
        amount=amount,
        threshold_after=re.compile(rf"^\s*(?:{_alternatives(table.threshold_words)})"),
        approximate_before=re.compile(rf"(?:{approximate})\s*$"),
        total_before=re.compile(
            rf"(?:{_alternatives(table.total_words)})\s*(?:{approximate})?\s*$"
        ),
        # "(alpha1: 0.7T tokens, alpha2: 1.4T tokens)": a selector right after "(" or "," /
        # "、", maybe with a total word ("alpha1: 計 0.7T トークン"). Not at the start of the
        # text, where the phrase before ":" is a training phase ("Pre-training: 1.5T tokens"):
        # phases are read by jllm_kg.normalize.datasets.
        selector_before=re.compile(
            rf"[(,、;]\s*(?P<sel>[^():,、;]{{1,40}}?)\s*:\s*"
            rf"(?:(?:{_alternatives(table.total_words)})\s*)?(?:{approximate})?\s*$"
        ),
        context_connectors=frozenset(table.context_connectors),
        context_bound_words=tuple(table.context_bound_words),
        context_bound=re.compile(rf"^(?:{_alternatives(table.context_bound_words)})\s*"),
        context_range=re.compile(
            rf"(.+?)\s*(?:{_alternatives(table.context_range_separators)})\s*(.+)"
        ),
        context_value=re.compile(
            rf"^(?P<num>{_NUMBER})\s*(?P<k>k)?(?:\s*(?:{table.units['tokens']}))?$"
        ),
        context_exceptions=_context_exception_patterns(table),
        selector_split=re.compile(
            rf"\s*(?:{_alternatives(table.selector_separators)})\s*(?![^()]*\))"
        ),
        selector_fillers=re.compile(
            "|".join(
                re.escape(word) if not word.isascii() else rf"\b{re.escape(word)}\b"
                for word in table.selector_fillers
            )
        ),
    )


def normalize_quantity_text(text: str) -> str:
    """NFKC (full-width digits and brackets), bold markers and footnote references removed.

    NFKC also turns the French no-break and narrow no-break spaces (U+00A0, U+202F) used as
    thousands separators into plain spaces, and U+2011 stays a hyphen-like character.

    >>> normalize_quantity_text("（**450B** トークン）[^3]")
    '(450B トークン)'
    """
    text = unicodedata.normalize("NFKC", text)
    text = _FOOTNOTE.sub("", _BOLD.sub("", text))
    return re.sub(r"\s+", " ", text).strip()


# A number as the sources write it: "1,800" / "87,425,304" (comma thousands), "20 000" (French
# space thousands, after NFKC), "44,2" (French decimal comma: one or two digits after the comma),
# "2.1". The thousands forms are tried first so that "1,800" is never read as 1.8.
_NUMBER: Final = (
    r"\d{1,3}(?:,\d{3})+(?![\d])"
    r"|\d{1,3}(?:[ ]\d{3})+(?![\d,.])"
    r"|\d+(?:[.,]\d{1,2}(?!\d)|\.\d+)?"
)


def parse_decimal(text: str) -> Decimal:
    """A number string in one of the list's notations as an exact Decimal.

    >>> parse_decimal("87,425,304"), parse_decimal("44,2"), parse_decimal("20 000")
    (Decimal('87425304'), Decimal('44.2'), Decimal('20000'))
    """
    raw = text.strip()
    if re.fullmatch(r"\d{1,3}(?:,\d{3})+", raw) or re.fullmatch(r"\d{1,3}(?: \d{3})+", raw):
        return Decimal(raw.replace(",", "").replace(" ", ""))
    if re.fullmatch(r"\d+,\d{1,2}", raw):  # French decimal comma
        return Decimal(raw.replace(",", "."))
    if re.fullmatch(r"\d+(?:\.\d+)?", raw):
        return Decimal(raw)
    raise QuantityParseError(f"not a number: {text!r}")


def _normal(value: Decimal) -> Decimal:
    """Integral values without exponent or trailing zeros (6.8 × 10^9 → 6800000000)."""
    if value == value.to_integral_value():
        return Decimal(int(value))
    return value.normalize()


# --------------------------------------------------------------------------------------------
# selectors


def selector_tokens(text: str) -> tuple[str, ...]:
    """A per-variant selector phrase as a tuple of lower-case alternatives.

    The phrase is split at ``,`` ``、`` ``&`` ``/`` and the words "model(s)" / "モデル" /
    "modèle(s)" are dropped; each alternative keeps its inner spaces and parentheses
    (``base (v2)``). Matching alternatives to checkpoints is the job of
    :mod:`jllm_kg.normalize.selectors`, which also receives the phrase as written.

    >>> selector_tokens("instruct, instruct-nc")
    ('instruct', 'instruct-nc')
    >>> selector_tokens("8kモデル"), selector_tokens("base (v2) & large")
    (('8k',), ('base (v2)', 'large'))
    """
    folded = unicodedata.normalize("NFKC", text).casefold().replace("\u2011", "-")
    folded = re.sub(r"^[\s*\\]+", "", folded)
    # not "and"/"et": they are part of phrases ("1b and up", "1b et plus")
    parts = _vocabulary().selector_split.split(folded)
    out: list[str] = []
    for part in parts:
        part = _vocabulary().selector_fillers.sub(" ", part)
        part = re.sub(r"\s+", " ", part).strip(" :")
        if part:
            out.append(part)
    return tuple(out)


# --------------------------------------------------------------------------------------------
# parameter sizes (H5)


@dataclass(frozen=True)
class ParameterSize:
    """A model size as written (``7b(6.8b)``, ``8x70b (465b)``, ``355b-A32B``), in parameters.

    - ``nominal``: the size in the model's name (``7b`` of ``7b(6.8b)``);
    - ``actual``: the exact size given in parentheses (``6.8b``, the ``465b`` of an MoE);
    - ``active``: active parameters of an MoE (``A32B``);
    - ``experts`` / ``expert_size``: ``8x70b`` → 8 experts of 70b. No total is computed from
      them: an MoE shares its attention layers, so 8 × 7b overstates Mixtral (46.7b).
    """

    text: str
    nominal: Decimal | None = None
    actual: Decimal | None = None
    active: Decimal | None = None
    experts: int | None = None
    expert_size: Decimal | None = None

    @property
    def value(self) -> Decimal | None:
        """The parameter count to publish: the actual size when the source gives one."""
        return self.actual if self.actual is not None else self.nominal


_SIZE: Final = re.compile(
    rf"""^(?:
        (?P<experts>\d+)\s*x\s*(?P<expert_size>{_SIZE_NUM})       # 8x70b
      | (?P<nominal>{_SIZE_NUM})(?:\s*-\s*a\s*(?P<active>{_SIZE_NUM}))?   # 355b-A32B
      | (?P<word>[a-z][a-z\-]*)                                  # xl( …), mini( …), MoE ( …)
    )
    (?:\s*\(\s*(?P<actual>{_SIZE_NUM})\s*\))?$""",
    re.VERBOSE,
)


def _size_value(text: str) -> Decimal:
    number, scale = text[:-1].strip(), text[-1]
    return _normal(Decimal(number) * _vocabulary().scales[scale])


def parse_parameter_size(text: str) -> ParameterSize | None:
    """Parse a parameter-size notation; ``None`` for word sizes and unknown markers.

    Word sizes alone (``small``, ``base``, ``large``, ``xl``) are names, not numbers: ``None``.
    With a number in parentheses (``xl(1.5b)``, ``MoE (47b)``) the number is the actual size.
    Units: k, m/M (million), b/B (billion), t/T (trillion).

    >>> parse_parameter_size("355b-A32B").active
    Decimal('32000000000')
    >>> parse_parameter_size("small(160M)").value
    Decimal('160000000')
    >>> parse_parameter_size("large") is None
    True
    """
    raw = normalize_quantity_text(text)
    if is_unknown_marker(raw):
        return None
    match = _SIZE.match(raw.casefold().replace("×", "x"))
    if match is None:
        raise QuantityParseError(f"parameter size: not a size notation: {text!r}")
    groups = match.groupdict()
    if groups["word"] is not None and groups["actual"] is None:
        return None  # "base", "large", "xl": a name, not a number
    return ParameterSize(
        text=text,
        nominal=_size_value(groups["nominal"]) if groups["nominal"] else None,
        actual=_size_value(groups["actual"]) if groups["actual"] else None,
        active=_size_value(groups["active"]) if groups["active"] else None,
        experts=int(groups["experts"]) if groups["experts"] else None,
        expert_size=_size_value(groups["expert_size"]) if groups["expert_size"] else None,
    )


# --------------------------------------------------------------------------------------------
# training amounts (H6)



@dataclass(frozen=True)
class TokenCount:
    """A number of training tokens (``(**2.1T** tokens)`` → 2.1 × 10^12).

    ``total`` is set when the source marks the number as a total (``計``, ``total``): it is the
    model-level figure when a line also gives partial counts. ``selector`` is the variant the
    count is for (``alpha1: 0.7T tokens``), ``None`` when it is for every variant.
    """

    text: str
    tokens: Decimal
    selector: tuple[str, ...] | None = None
    approximate: bool = False
    total: bool = False


@dataclass(frozen=True)
class DataSize:
    """An amount of data in bytes (``(計 650GB)``): a size, never a token count."""

    text: str
    bytes: Decimal
    selector: tuple[str, ...] | None = None
    approximate: bool = False
    total: bool = False


@dataclass(frozen=True)
class CorpusCount:
    """A count of something other than tokens or bytes (sentences, pages, hours …)."""

    text: str
    unit: CorpusUnit
    value: Decimal
    selector: tuple[str, ...] | None = None
    approximate: bool = False
    total: bool = False


Amount = TokenCount | DataSize | CorpusCount

def _ja_value(text: str) -> Decimal:
    """``6億1,900万`` → 619000000."""
    total = Decimal(0)
    scales = _vocabulary().scales
    japanese = "".join(unit for unit in scales if not unit.isascii())
    for number, unit in re.findall(rf"({_NUMBER})\s*([{japanese}])", text):
        total += parse_decimal(number) * scales[unit]
    return total


def parse_training_amounts(text: str) -> list[Amount]:
    """Every token count, byte size and corpus count written in ``text``, in order.

    The list keeps partial and total counts alike (``2.1B tokens, total ~300B tokens`` gives
    both, the second with ``total=True``); :func:`model_token_totals` picks the model-level
    ones. A number needs a unit to count: ``(3M)`` alone or a name like ``laion2B`` gives
    nothing. Per-dataset counts (``Japanese Wikipedia (0.88B トークン)``) are found here too;
    :mod:`jllm_kg.normalize.datasets` attributes them to their dataset.

    >>> [(a.tokens, a.total, a.approximate) for a in
    ...  parse_training_amounts("**2.1B** tokens, total ~**300B** tokens")]
    [(Decimal('2100000000'), False, False), (Decimal('300000000000'), True, True)]
    >>> parse_training_amounts("**44,2 milliards** de tokens")[0].tokens
    Decimal('44200000000')
    >>> parse_training_amounts("計 **0B** トークン")  # a cell cut inside "60|0B"
    []
    >>> sentences, size = parse_training_amounts("約6億1,900万文 (85GB)")
    >>> sentences.unit, sentences.value, sentences.approximate, size.bytes
    ('sentences', Decimal('619000000'), True, Decimal('85000000000'))
    """
    norm = normalize_quantity_text(text)
    folded = norm.casefold()
    out: list[Amount] = []
    vocabulary = _vocabulary()
    for match in vocabulary.amount.finditer(folded):
        if vocabulary.threshold_after.match(folded[match.end():]):
            continue
        groups = match.groupdict()
        if groups["ja"]:
            value = _ja_value(groups["ja"])
        else:
            value = parse_decimal(groups["num"])
            scale = groups["scale"]
            if scale:
                value *= vocabulary.scales[scale]
        if not value:  # "0B トークン" counts nothing: unknown, not a count of zero
            continue
        before = folded[: match.start()]
        approximate = bool(vocabulary.approximate_before.search(before))
        total = bool(vocabulary.total_before.search(before))
        selector_match = vocabulary.selector_before.search(before)
        selector = selector_tokens(selector_match["sel"]) if selector_match else None
        written = norm[match.start(): match.end()].strip()
        if groups["byte"]:
            size = value * vocabulary.byte_units[groups["byte"]]
            out.append(DataSize(written, _normal(size), selector, approximate, total))
            continue
        unit = next(name for name in vocabulary.unit_names if groups[f"u_{name}"])
        if unit == "tokens":
            out.append(TokenCount(written, _normal(value), selector, approximate, total))
        else:
            out.append(CorpusCount(written, unit, _normal(value), selector, approximate, total))  # type: ignore[arg-type]
    return out


def model_token_totals(amounts: Sequence[Amount]) -> list[TokenCount]:
    """The model-level token counts among ``amounts``: one per selector.

    For each selector (``None`` = the whole row) the count marked ``total`` wins; without one,
    a single count is taken; several unmarked counts for one selector are partial counts of
    datasets, not a model total, so none is returned for it.

    >>> [t.tokens for t in model_token_totals(
    ...     parse_training_amounts("2.1B tokens, total ~300B tokens"))]
    [Decimal('300000000000')]
    """
    by_selector: dict[tuple[str, ...] | None, list[TokenCount]] = {}
    for amount in amounts:
        if isinstance(amount, TokenCount):
            by_selector.setdefault(amount.selector, []).append(amount)
    out: list[TokenCount] = []
    for counts in by_selector.values():
        totals = [count for count in counts if count.total]
        if totals:
            out.append(totals[-1])
        elif len(counts) == 1:
            out.append(counts[0])
    return out


# --------------------------------------------------------------------------------------------
# context lengths (H7)


@dataclass(frozen=True)
class ContextStatement:
    """One context length of a cell, with the variants it applies to.

    - ``selector``: ``('base',)`` for ``base: 4,096``; ``None`` for the whole row;
    - ``alternative``: the cell lists values joined by "or" (``4,096 / or / 8,192``, one per
      checkpoint without saying which): every value is emitted, each flagged, and a consumer
      that needs one value per checkpoint must match them itself (the TohokuNLP BERT row
      names its checkpoints sq4096 / sq8192);
    - ``bound``: ``"max"`` for ``≤ 2,048`` (the cell states an upper bound), ``"range"`` for the
      upper end of ``2,400 ~ 8,192`` (``minimum`` keeps the lower end);
    - ``approximate``: a ``k`` notation (``128k``) read as ×1024 when the number is a power of
      two (context windows are), ×1000 otherwise.
    """

    selector: tuple[str, ...] | None
    tokens: int
    text: str
    selector_text: str | None = None
    alternative: bool = False
    bound: Literal["max", "range"] | None = None
    minimum: int | None = None
    approximate: bool = False


_CONTEXT_PREFIX: Final = re.compile(r"^(?P<sel>[^:]{1,60}?)\s*:\s*(?P<rest>.+)$")


def _context_exception(line: str) -> str:
    """A bracketed per-variant exception (``(2,048 as for 8B-Before-…)``) as ``sel: value``;
    any other line as it is (``quantities.yaml: context_exception_*``)."""
    inner = line.strip()
    if len(inner) < 2 or inner[0] not in "(（" or inner[-1] not in ")）":
        return line
    inner = inner[1:-1].strip()
    for form in _vocabulary().context_exceptions:
        match = form.match(inner.casefold())
        if match:
            return f"{inner[match.start('sel'):match.end('sel')]}: {match['value'].strip()}"
    return line


def _context_number(text: str) -> tuple[int, bool]:
    match = _vocabulary().context_value.match(text.strip().casefold())
    if match is None:
        raise QuantityParseError(f"context length: not a token count: {text!r}")
    value = parse_decimal(match["num"])
    if match["k"]:
        power_of_two = value == value.to_integral_value() and int(value) & (int(value) - 1) == 0
        return int(value * (1024 if power_of_two else 1000)), True
    if value != value.to_integral_value():
        raise QuantityParseError(f"context length: not an integer: {text!r}")
    return int(value), False


def _context_values(
    rest: str, selector: tuple[str, ...] | None, selector_text: str | None, line: str
) -> list[ContextStatement]:
    rest = rest.strip()
    if is_unknown_marker(rest):
        return []
    bound: Literal["max", "range"] | None = None
    minimum: int | None = None
    vocabulary = _vocabulary()
    if rest.startswith(vocabulary.context_bound_words):
        rest = vocabulary.context_bound.sub("", rest)
        bound = "max"
    range_match = vocabulary.context_range.fullmatch(rest)
    if range_match and re.search(r"\d", range_match[1]) and re.search(r"\d", range_match[2]):
        minimum, _ = _context_number(range_match[1])
        rest, bound = range_match[2], "range"
    tokens, approximate = _context_number(rest)
    return [
        ContextStatement(selector, tokens, line, selector_text, False, bound, minimum, approximate)
    ]


def parse_context_cell(lines: Sequence[str]) -> list[ContextStatement]:
    """The context lengths of a cell, one statement per value.

    Handles per-variant lines (``base: 4,096`` / ``instruct, instruct-nc: 8,192``,
    ``8kモデル: 8,192`` / ``他: 2,048``), alternatives joined by an ``or`` line, bounds
    (``≤ 2,048``), ranges (``2,400 ~ 8,192``), ``128k``, thousands separators ``,`` and
    French spaces. Empty lines, footnote-only lines and ``?`` / ``不明`` give nothing.

    >>> [(c.tokens, c.alternative) for c in parse_context_cell(["**4,096**", "or", "**8,192**"])]
    [(4096, True), (8192, True)]
    >>> parse_context_cell(["2,400 ~ 8,192"])[0].minimum
    2400
    >>> [(c.selector_text, c.tokens) for c in parse_context_cell(
    ...     ["8,192", "(2,048 as for 8B-Before-Context-Length-Extension)"])]
    [(None, 8192), ('8B-Before-Context-Length-Extension', 2048)]
    """
    out: list[ContextStatement] = []
    saw_connector = False
    for raw in lines:
        line = normalize_quantity_text(raw)
        if is_unknown_marker(line):
            continue
        if line.casefold() in _vocabulary().context_connectors:
            saw_connector = True
            continue
        line = _context_exception(line)
        prefix = _CONTEXT_PREFIX.match(line)
        if prefix and not re.fullmatch(r"[\d\s,.]+", prefix["sel"]):
            sel_text = prefix["sel"].strip()
            out.extend(_context_values(prefix["rest"], selector_tokens(sel_text), sel_text, raw))
        else:
            out.extend(_context_values(line, None, None, raw))
    if saw_connector:
        out = [
            ContextStatement(c.selector, c.tokens, c.text, c.selector_text, True, c.bound,
                             c.minimum, c.approximate)
            for c in out
        ]
    return out


# --------------------------------------------------------------------------------------------
# years


def parse_year(text: str) -> int | None:
    """The release-year column: ``2024``, ``**2025**`` (bold = current year) → int.

    >>> parse_year("**2025**"), parse_year("")
    (2025, None)
    """
    raw = normalize_quantity_text(text)
    if is_unknown_marker(raw):
        return None
    if not re.fullmatch(r"\d{4}", raw):
        raise QuantityParseError(f"year: not a four-digit year: {text!r}")
    year = int(raw)
    if not 1990 <= year <= 2100:
        raise QuantityParseError(f"year: out of range: {text!r}")
    return year
