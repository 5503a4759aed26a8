"""The curated bibliographic records of source papers (data/curated/papers.yaml)."""

from __future__ import annotations

import pytest

from jllm_kg.curated import CuratedDataError
from jllm_kg.ingest.papers.bibliography import paper_bibliography


def test_title_matches_across_whitespace_and_case() -> None:
    record = paper_bibliography("release of pre-trained models\n for the Japanese language")
    assert record.url == "https://arxiv.org/abs/2404.01657"
    assert "arXiv record" in record.origin


def test_unknown_paper_names_the_file_and_the_title() -> None:
    with pytest.raises(CuratedDataError, match=r"papers\.yaml: no entry for the paper 'Nope'"):
        paper_bibliography("Nope")
