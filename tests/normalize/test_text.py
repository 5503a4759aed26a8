import pytest

from jllm_kg.normalize.text import (
    is_unknown_marker,
    loose_key,
    match_key,
    split_top_level,
    split_with_separators,
    strip_label,
)


def test_match_key_folds_nonbreaking_hyphen_times_and_fullwidth() -> None:
    # 000 writes CC BY‑NC‑SA 4.0 with U+2011; 003 with ASCII hyphens.
    assert match_key("CC BY\u2011NC\u2011SA 4.0") == match_key("CC BY-NC-SA 4.0")
    assert match_key("Tanuki-8×8B") == match_key("Tanuki-8x8B")
    assert match_key("（計 450B トークン）") == "(計 450b トークン)"
    assert match_key("\u3000Axcxept") == "axcxept"


def test_match_key_collapses_whitespace_and_casefolds() -> None:
    assert match_key("  Apache   2.0 ") == "apache 2.0"
    assert match_key("LLAMA 2 Community") == match_key("Llama 2 community")


def test_loose_key_ignores_spaces_and_hyphens_only() -> None:
    assert loose_key("CreativeML OpenRAIL M") == loose_key("CreativeML OpenRAIL-M")
    assert loose_key("Llama 3 ELYZA JP 8B") == loose_key("Llama-3-ELYZA-JP-8B")
    assert loose_key("Llama 3.1") != loose_key("Llama 31")


def test_strip_label_keeps_inner_text_as_written() -> None:
    assert strip_label("\u3000Axcxept ") == "Axcxept"
    assert strip_label("CC BY\u2011SA 4.0") == "CC BY\u2011SA 4.0"


def test_unknown_markers() -> None:
    for marker in ("？", "?", "不明", "Inconnue", "", "  ", "undisclosed", None):
        assert is_unknown_marker(marker)
    assert not is_unknown_marker("MIT")
    assert not is_unknown_marker("近畿大学 (研究室不明)")


@pytest.mark.parametrize(
    "marker",
    [
        "(?)",  # licence cells: "(?)" alone
        "（詳細不明）",  # training data, full-width brackets
        "—",  # em dash: every dash is "-"
        "–",
        "TBD",  # quantities
        "N/A",
        "非公開",  # training data
        "Détails d'entraînement non divulgués",
        "( unknown )",
    ],
)
def test_unknown_markers_of_every_column_are_one_table(marker: str) -> None:
    assert is_unknown_marker(marker)


def test_unknown_marker_is_the_whole_text() -> None:
    assert not is_unknown_marker("unknown license")
    assert not is_unknown_marker("n/a (ja)")
    assert not is_unknown_marker("- MIT")


def test_split_top_level_respects_parentheses() -> None:
    assert split_top_level("個人 (山田育矢, 李凌寒), Sakana AI", (",",)) == [
        "個人 (山田育矢, 李凌寒)",
        "Sakana AI",
    ]
    assert split_top_level("a、b（c、d）", ("、",)) == ["a", "b（c、d）"]


def test_split_with_separators_gives_spans_of_the_original() -> None:
    text = "Turing, Weights & Biases"
    assert [text[a:b] for a, b in split_with_separators(text, (",", "&"))] == [
        "Turing",
        " Weights ",
        " Biases",
    ]
