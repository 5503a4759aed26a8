"""Dates and paper ids as the sources write them: reference rows' dates (``2023.10.5``,
``2024-03``), the paper's release months (``April 2021``) and arXiv links.

>>> parse_reference_date("2023.10.5"), parse_reference_date("2024/3"), parse_reference_date("?")
(('2023-10-05', 'date'), ('2024-03', 'gYearMonth'), None)
>>> arxiv_id("https://arxiv.org/abs/2404.01657v2")
'2404.01657'
"""

from __future__ import annotations

import re
from typing import Final, Literal

__all__ = ["DatePrecision", "arxiv_id", "parse_month_year", "parse_reference_date"]

DatePrecision = Literal["date", "gYearMonth"]  # the XSD datatype the text is precise to

_ARXIV: Final = re.compile(r"arxiv\.org/(?:abs|pdf)/(\d{4}\.\d{4,5})", re.IGNORECASE)
_DAY: Final = re.compile(r"(\d{4})[./-](\d{1,2})[./-](\d{1,2})")
_MONTH: Final = re.compile(r"(\d{4})[./-](\d{1,2})")
_MONTH_YEAR: Final = re.compile(r"\s*([A-Za-z]+)\.?\s+(\d{4})\s*")
_MONTHS: Final = {name: number for number, name in enumerate(
    ("jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec"), 1)}


def arxiv_id(url: str | None) -> str | None:
    """The arXiv id of an ``arxiv.org/abs|pdf`` link (version left out), else None."""
    match = _ARXIV.search(url or "")
    return match.group(1) if match else None


def parse_reference_date(value: str | None) -> tuple[str, DatePrecision] | None:
    """A reference row's date as ISO text and its precision; None for anything else."""
    if not value:
        return None
    match = _DAY.fullmatch(value.strip())
    if match:
        year, month, day = (int(part) for part in match.groups())
        return f"{year:04d}-{month:02d}-{day:02d}", "date"
    match = _MONTH.fullmatch(value.strip())
    if match:
        return f"{int(match.group(1)):04d}-{int(match.group(2)):02d}", "gYearMonth"
    return None


def parse_month_year(value: str) -> str | None:
    """``"April 2021"`` → ``"2021-04"`` (an ``xsd:gYearMonth``); None for any other text.

    >>> parse_month_year("September 2022")
    '2022-09'
    """
    match = _MONTH_YEAR.fullmatch(value)
    if not match:
        return None
    month = _MONTHS.get(match.group(1).casefold()[:3])
    return f"{match.group(2)}-{month:02d}" if month else None
