"""Dates and arXiv ids of the reference rows and the paper (``jllm_kg.normalize.dates``)."""

from __future__ import annotations

from jllm_kg.normalize.dates import arxiv_id, parse_month_year, parse_reference_date


def test_reference_row_dates() -> None:
    # the list's reference tables write dates with dots, slashes or dashes
    assert parse_reference_date("2023.10.5") == ("2023-10-05", "date")
    assert parse_reference_date(" 2024-03-28 ") == ("2024-03-28", "date")
    assert parse_reference_date("2024/3") == ("2024-03", "gYearMonth")
    assert parse_reference_date("2024") is None
    assert parse_reference_date("") is None
    assert parse_reference_date(None) is None


def test_paper_release_months() -> None:
    assert parse_month_year("April 2021") == "2021-04"
    assert parse_month_year("Sept. 2022") == "2022-09"
    assert parse_month_year("Foo 2022") is None
    assert parse_month_year("2021") is None


def test_arxiv_ids_of_links() -> None:
    assert arxiv_id("https://arxiv.org/abs/2404.01657") == "2404.01657"
    assert arxiv_id("https://arxiv.org/pdf/2312.12345v3.pdf") == "2312.12345"
    assert arxiv_id("https://aclanthology.org/2024.lrec-main.1/") is None
    assert arxiv_id(None) is None
