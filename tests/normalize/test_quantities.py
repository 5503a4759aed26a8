"""Parameter sizes, training amounts, context lengths and years, on forms copied from the seeds."""

from __future__ import annotations

from decimal import Decimal

import pytest

from jllm_kg.normalize.quantities import (
    CorpusCount,
    DataSize,
    QuantityParseError,
    TokenCount,
    model_token_totals,
    parse_context_cell,
    parse_parameter_size,
    parse_training_amounts,
    parse_year,
    selector_tokens,
)

B = Decimal(10) ** 9
M = Decimal(10) ** 6
T = Decimal(10) ** 12


# ---------------------------------------------------------------- parameter sizes (H5)


@pytest.mark.parametrize(
    ("text", "nominal", "actual"),
    [
        ("13b", 13 * B, None),
        ("13B", 13 * B, None),
        ("**13b**", 13 * B, None),
        ("7b(6.8b)", 7 * B, Decimal("6.8") * B),
        ("1b(1.4b)", 1 * B, Decimal("1.4") * B),
        ("4b(3.8b)", 4 * B, Decimal("3.8") * B),
        ("xl(1.5b)", None, Decimal("1.5") * B),
        ("xl(3b)", None, 3 * B),
        ("mini(1.5b)", None, Decimal("1.5") * B),
        ("MoE (47b)", None, 47 * B),
        ("small(160M)", None, 160 * M),
        ("150m", 150 * M, None),
        ("37M", 37 * M, None),
        ("1.3B", Decimal("1.3") * B, None),
        ("46.7b", Decimal("46.7") * B, None),
        ("1.72b", Decimal("1.72") * B, None),
        ("100b", 100 * B, None),
        ("2.8B", Decimal("2.8") * B, None),
    ],
)
def test_parameter_sizes(text: str, nominal: Decimal | None, actual: Decimal | None) -> None:
    size = parse_parameter_size(text)
    assert size is not None
    assert (size.nominal, size.actual) == (nominal, actual)
    assert size.value == (actual if actual is not None else nominal)


def test_exact_decimal_arithmetic() -> None:
    size = parse_parameter_size("7b(6.8b)")
    assert size is not None
    assert size.value == Decimal("6800000000")
    assert str(size.value) == "6800000000"


@pytest.mark.parametrize(
    ("text", "experts", "expert_size", "actual"),
    [
        ("8x70b (465b)", 8, 70 * B, 465 * B),
        ("8x1.8b (9.3b)", 8, Decimal("1.8") * B, Decimal("9.3") * B),
        ("8x7B", 8, 7 * B, None),
    ],
)
def test_moe_sizes(text: str, experts: int, expert_size: Decimal, actual: Decimal | None) -> None:
    size = parse_parameter_size(text)
    assert size is not None
    assert (size.experts, size.expert_size, size.actual) == (experts, expert_size, actual)
    # No total is invented from experts × expert size (Mixtral 8x7B is 46.7b, not 56b).
    assert size.value == actual


@pytest.mark.parametrize(
    ("text", "total", "active"),
    [("355b-A32B", 355 * B, 32 * B), ("235b-A22B", 235 * B, 22 * B), ("30b-A3B", 30 * B, 3 * B)],
)
def test_active_parameters(text: str, total: Decimal, active: Decimal) -> None:
    size = parse_parameter_size(text)
    assert size is not None
    assert (size.value, size.active) == (total, active)


@pytest.mark.parametrize(
    "text", ["small", "base", "large", "xl", "tiny", "", "?", "不明", "TBD", "(非公開)", "—"]
)
def test_word_sizes_and_unknowns_are_not_numbers(text: str) -> None:
    assert parse_parameter_size(text) is None


def test_bad_size_raises_with_text() -> None:
    with pytest.raises(QuantityParseError, match="Tanuki"):
        parse_parameter_size("Tanuki-8x8B instruct")


# ---------------------------------------------------------------- training amounts (H6)


@pytest.mark.parametrize(
    ("text", "tokens", "total", "approximate"),
    [
        ("(計 **910B** トークン)", 910 * B, True, False),
        ("(**2.1T** tokens)", Decimal("2.1") * T, False, False),
        ("(**524B** Tokens)", 524 * B, False, False),
        ("(**2.5T** jetons)", Decimal("2.5") * T, False, False),
        ("（**450B** トークン）", 450 * B, False, False),
        ("Pré-entraînement continu : ~**4B** tokens de llm-jp-corpus v3", 4 * B, False, True),
        ("Pré-entraîné sur un corpus médical (**44,2 milliards** de tokens)",
         Decimal("44.2") * B, False, False),
        ("Japanese subset of llm-jp-corpus-v4 (**0.69T** tokens)", Decimal("0.69") * T, False,
         False),
        # Every approximate word of quantities.yaml may sit between "total" and the number.
        ("total roughly 1.5 trillion tokens", Decimal("1.5") * T, True, True),
        ("合計 およそ 2兆 トークン", 2 * T, True, True),
    ],
)
def test_token_counts(text: str, tokens: Decimal, total: bool, approximate: bool) -> None:
    [amount] = parse_training_amounts(text)
    assert isinstance(amount, TokenCount)
    assert (amount.tokens, amount.total, amount.approximate) == (tokens, total, approximate)


def test_partial_and_total_tokens_kept_and_total_wins() -> None:
    text = "Corpus parallèle de graphes (…) **2.1B** tokens, total ~**300B** tokens"
    amounts = parse_training_amounts(text)
    assert [a.tokens for a in amounts if isinstance(a, TokenCount)] == [Decimal("2.1") * B, 300 * B]
    assert [t.tokens for t in model_token_totals(amounts)] == [300 * B]


def test_per_variant_token_counts() -> None:
    amounts = parse_training_amounts("(alpha1: **0.7T** tokens, alpha2: **1.4T** tokens)")
    assert [(a.selector, a.tokens) for a in amounts if isinstance(a, TokenCount)] == [
        (("alpha1",), Decimal("0.7") * T),
        (("alpha2",), Decimal("1.4") * T),
    ]
    assert len(model_token_totals(amounts)) == 2


def test_per_variant_token_counts_with_a_total_word_ja_l44() -> None:
    """The ja list at 941b11f writes "計" (total) before each variant's count."""
    amounts = parse_training_amounts("(alpha1: 計 **0.7T** トークン, alpha2: 計 **1.4T** トークン)")
    assert [(a.selector, a.tokens, a.total) for a in amounts if isinstance(a, TokenCount)] == [
        (("alpha1",), Decimal("0.7") * T, True),
        (("alpha2",), Decimal("1.4") * T, True),
    ]


def test_phase_prefix_is_not_a_selector() -> None:
    [amount] = parse_training_amounts("Pre-training: **1.5T** tokens")
    assert isinstance(amount, TokenCount)
    assert amount.selector is None


def test_several_dataset_counts_are_not_a_model_total() -> None:
    text = (
        "Japanese Wikipedia (0.88B tokens), Japanese CC‑100 (10.5B tokens), "
        "private data (8.6B tokens)"
    )
    amounts = parse_training_amounts(text)
    assert [a.tokens for a in amounts if isinstance(a, TokenCount)] == [
        Decimal("0.88") * B, Decimal("10.5") * B, Decimal("8.6") * B
    ]
    assert model_token_totals(amounts) == []


@pytest.mark.parametrize(
    ("text", "size", "total"),
    [
        ("(計 **650GB**)", 650 * B, True),
        ("Japanese mC4 (782 GB)", 782 * B, False),
        ("Japanese Wikipedia (3.2GB)", Decimal("3.2") * B, False),
        ("Japanese CC‑100 (74.3GB)", Decimal("74.3") * B, False),
        ("日本語 Wikipedia<br> + Web 上の記事 (計25GB)", 25 * B, True),
    ],
)
def test_byte_sizes_are_not_tokens(text: str, size: Decimal, total: bool) -> None:
    amounts = parse_training_amounts(text)
    assert not any(isinstance(a, TokenCount) for a in amounts)
    [data] = [a for a in amounts if isinstance(a, DataSize)]
    assert (data.bytes, data.total) == (size, total)


@pytest.mark.parametrize(
    ("text", "unit", "value"),
    [
        ("日本語 Wikipedia (約1,800万文)", "sentences", Decimal(18_000_000)),
        ("Japanese mC4 (87,425,304 ページ (782 GB))", "pages", Decimal(87_425_304)),
        ("Japanese business news articles（21M articles)", "articles", 21 * M),
        ("Corpus de blogs en japonais (354M sentences)", "sentences", 354 * M),
        ("日本語ブログコーパス（3億5,400万文）", "sentences", 354 * M),
        ("Japanese CC-100 (約6億1,900万文 (85GB))", "sentences", 619 * M),
        ("a 19,000-hour speech corpus", "hours", Decimal(19_000)),
        ("ReazonSpeech 19,000 h", "hours", Decimal(19_000)),
        ("60k hours of audio extracted from TV broadcast", "hours", Decimal(60_000)),
        ("1,667 questions", "questions", Decimal(1_667)),
        ("日本語診療記録(約1億2,000万行)", "lines", 120 * M),
        ("environ 13 millions de légendes de laion2B-multi", "captions", 13 * M),
        ("Traduction d'environ 1,5 milliard de sous-titres", "captions", Decimal("1.5") * B),
        ("~20 000 jeux de données synthétiques", "datasets", Decimal(20_000)),
    ],
)
def test_corpus_counts(text: str, unit: str, value: Decimal) -> None:
    counts = [a for a in parse_training_amounts(text) if isinstance(a, CorpusCount)]
    assert (counts[0].unit, counts[0].value) == (unit, value)
    assert not any(isinstance(a, TokenCount) for a in parse_training_amounts(text))


@pytest.mark.parametrize(
    "text",
    [
        "laion2B-multi のキャプション",  # a name, not 2B of anything
        "CC12M, COCO 2014, Visual Genome, STAIR Captions",
        "Japanese Business Articles (3M)",  # no unit: unknown what 3M counts
        "*8k モデルでは 4,000トークンを超える長いトークン列でファインチューニング",  # a threshold
        "(1b 以降のモデルでは",
        "Mixtral-8x7B-Instruct-v0.1",
    ],
)
def test_no_amount_in_names_and_thresholds(text: str) -> None:
    assert parse_training_amounts(text) == []


# ---------------------------------------------------------------- context lengths (H7)


def test_context_plain_and_bold() -> None:
    assert [c.tokens for c in parse_context_cell(["4,096"])] == [4096]
    [stmt] = parse_context_cell(["**16,384**"])
    assert (stmt.tokens, stmt.selector, stmt.alternative) == (16384, None, False)


@pytest.mark.parametrize(
    ("lines", "expected"),
    [
        (["base: 4,096", "instruct, instruct-nc: 8,192"],
         [(("base",), 4096), (("instruct", "instruct-nc"), 8192)]),
        (["8kモデル: 8,192", "他: 2,048"], [(("8k",), 8192), (("他",), 2048)]),
        (["8k model: 8,192", "others: 2,048"], [(("8k",), 8192), (("others",), 2048)]),
        (["7b, 13b: 4,096", "70b: 8,192"], [(("7b", "13b"), 4096), (("70b",), 8192)]),
        (["base: 4,096", "chat: **32,768**"], [(("base",), 4096), (("chat",), 32768)]),
    ],
)
def test_context_per_variant(
    lines: list[str], expected: list[tuple[tuple[str, ...], int]]
) -> None:
    statements = parse_context_cell(lines)
    assert [(s.selector, s.tokens) for s in statements] == expected
    assert statements[0].selector_text == lines[0].split(":")[0]


def test_context_alternatives_are_all_emitted_and_flagged() -> None:
    statements = parse_context_cell(["**4,096**", "or", "**8,192**"])
    assert [(s.tokens, s.alternative) for s in statements] == [(4096, True), (8192, True)]


def test_context_bounds_and_ranges() -> None:
    [at_most] = parse_context_cell(["≤ 2,048"])
    assert (at_most.tokens, at_most.bound) == (2048, "max")
    [ranged] = parse_context_cell(["2,400 ~ 8,192"])
    assert (ranged.tokens, ranged.minimum, ranged.bound) == (8192, 2400, "range")


@pytest.mark.parametrize(("text", "tokens"), [("128k", 131072), ("32K", 32768), ("200k", 200000)])
def test_context_k_notation(text: str, tokens: int) -> None:
    [stmt] = parse_context_cell([text])
    assert (stmt.tokens, stmt.approximate) == (tokens, True)


@pytest.mark.parametrize("text", ["4\u202f096", "4\u00a0096", "4 096"])
def test_context_french_thousands(text: str) -> None:
    assert [c.tokens for c in parse_context_cell([text])] == [4096]


@pytest.mark.parametrize(
    "lines", [[], [""], ["?"], ["？"], ["不明"], ["Inconnu"], ["[^8]"], ["（詳細不明）"], ["n/a"]]
)
def test_context_unknown_gives_nothing(lines: list[str]) -> None:
    assert parse_context_cell(lines) == []


def test_context_bad_value_raises() -> None:
    with pytest.raises(QuantityParseError, match="Llama"):
        parse_context_cell(["Llama 2"])


# ---------------------------------------------------------------- years, selectors


@pytest.mark.parametrize(("text", "year"), [("2024", 2024), ("**2025**", 2025), ("", None),
                                            (" ", None), ("?", None), ("非公開", None)])
def test_year(text: str, year: int | None) -> None:
    assert parse_year(text) == year


@pytest.mark.parametrize("text", ["24", "2024年3月", "3024"])
def test_bad_year_raises(text: str) -> None:
    with pytest.raises(QuantityParseError):
        parse_year(text)


@pytest.mark.parametrize(
    ("text", "tokens"),
    [
        ("instruct, instruct-nc", ("instruct", "instruct-nc")),
        ("8kモデル", ("8k",)),
        ("他", ("他",)),
        ("chat", ("chat",)),
        ("7b, 13b", ("7b", "13b")),
        ("alpha1", ("alpha1",)),
        ("*v0.1", ("v0.1",)),
        ("base (v2) & large", ("base (v2)", "large")),
        ("base (v1, v2) & large", ("base (v1, v2)", "large")),
    ],
)
def test_selector_tokens(text: str, tokens: tuple[str, ...]) -> None:
    assert selector_tokens(text) == tokens
