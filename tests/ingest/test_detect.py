"""Source kind and language from content only."""

from __future__ import annotations

import pytest

from jllm_kg.ingest.detect import SourceDetectionError, detect_source, list_language


def _list(title: str, headings: list[str], header: str) -> str:
    parts = [title, ""]
    for number, heading in enumerate(headings):
        parts += [f'<a id="s{number}"></a>', heading, "", header, "|:---|:---:|", "| x | y |", ""]
    return "\n".join(parts)


# Headings and table headers copied from the seeds (003 ja, 002 en, 000 fr after repair).
JA = _list(
    "# 日本語LLMまとめ",
    ["## テキスト生成に主に使うモデル", "### フルスクラッチ事前学習モデル", "#### 汎用"],
    "|    |  開発元  |",
)
EN = (
    _list(
        "# Overview of Japanese LLMs",
        [
            "## Text Generation Models",
            "### General purpose",
            "## 視覚言語モデル (Vision-Language Models)",
        ],
        "|    |  Developer  |",
    )
    + "\nThis repository compiles information on publicly available LLMs.\n"
)
FR = (
    _list(
        "# Aperçu des grands modèles de langage (LLM) en japonais",
        [
            "## Modèles IA génératives",
            "### Modèles développés à partir de zéro",
            "#### D'usage général",
        ],
        "|    | Développeur |",
    )
    + "\nVoici une liste des LLMs disponibles au grand public.\n"
)

PAPER = """# Release of Pre-Trained Models for the Japanese Language

## Abstract

AI democratization aims to create a world in which the average person can utilize AI techniques.

## 1. Introduction

As AI technology advances, the idea of AI democratization has become widely popular.

## 7. Bibliographical References
"""

# Seed 001: the list as rendered web-page text: no anchors, no markdown tables.
RENDERED = """Skip to content
Aperçu des grands modèles de langage (LLM) en japonais
Modèles IA génératives
Architecture Longueur Maximale du Contexte Données d'entraînement Développeur Licence
"""


@pytest.mark.parametrize(
    ("text", "expected"),
    [(JA, ("list", "ja")), (EN, ("list", "en")), (FR, ("list", "fr")), (PAPER, ("paper", "en"))],
)
def test_kind_and_language(text: str, expected: tuple[str, str]) -> None:
    assert detect_source(text, path="x.md") == expected


def test_english_list_with_some_japanese_headings_is_english() -> None:
    # 002 has 6 of 17 headings in Japanese ("その他", "（参考）JapaneseLLMベンチマークまとめ" …).
    text = EN + "\n### その他\n\n## Encoder models\n\n### Domain Specialized\n"
    assert list_language(text) == "en"


def test_french_list_quoting_english_training_data_is_french() -> None:
    rows = "\n".join(
        "| x | Pre-training: the Pile and the Stack with Japanese data |" for _ in range(9)
    )
    assert list_language(FR + rows) == "fr"


def test_unknown_content_is_an_error_naming_the_file() -> None:
    with pytest.raises(SourceDetectionError, match=r"001_rendered\.txt: unknown content"):
        detect_source(RENDERED, path="001_rendered.txt")
    with pytest.raises(ValueError, match=r"empty\.md"):
        detect_source("", path="empty.md")


def test_a_paper_without_references_names_the_missing_heading() -> None:
    without_references = PAPER.replace("## 7. Bibliographical References\n", "## 7. Conclusion\n")
    with pytest.raises(SourceDetectionError) as caught:
        detect_source(without_references, path="paper.txt")
    message = str(caught.value)
    assert message.startswith("paper.txt: unknown content")
    assert "references" in message and "introduction" not in message
    assert "source_detection.yaml" in message
