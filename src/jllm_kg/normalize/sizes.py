"""Parameter sizes as names and labels write them: the one definition of a size token.

A *size token* stands alone in a model name or label (``Swallow-70b-hf``, ``Mixtral 8x7B``,
``llm-jp-3-1.8b``, ``gpt2-small-160m``): a number with a ``b`` (billion) or ``m`` (million)
unit, optionally ``N x`` experts. A *parameter size* is the wider notation of the list's size
cells (``1.5b``, ``355b``, ``2 t``) that :mod:`jllm_kg.normalize.quantities` reads.

>>> is_size_token("8x7B"), is_size_token("1.8b"), is_size_token("1_6b"), is_size_token("v2")
(True, True, False, False)
>>> without_trailing_size("Swallow 13B"), without_trailing_size("Llama-3-70b")
('Swallow', 'Llama-3')
"""

from __future__ import annotations

import re
from typing import Final

__all__ = [
    "PARAMETER_SIZE",
    "SIZE_NUMBER",
    "SIZE_TOKEN",
    "is_size_token",
    "without_trailing_size",
]

SIZE_NUMBER: Final = r"\d+(?:\.\d+)?"
# a size in a size cell, on case-folded text: thousands to trillions, spaces allowed
PARAMETER_SIZE: Final = rf"{SIZE_NUMBER}\s*[kmbt]"
# a size standing in a name: billions or millions, experts written "8x"
SIZE_TOKEN: Final = rf"(?:\d+x)?{SIZE_NUMBER}[bm]"

_SIZE_TOKEN: Final = re.compile(SIZE_TOKEN, re.IGNORECASE)
_TRAILING_SIZE: Final = re.compile(rf"[\s-]+{SIZE_NUMBER}[bm]\s*$", re.IGNORECASE)


def is_size_token(token: str) -> bool:
    """Whether ``token`` (one word of a name) is a size token."""
    return _SIZE_TOKEN.fullmatch(token) is not None


def without_trailing_size(label: str) -> str:
    """``label`` without the size that ends it (``Swallow 13B`` → ``Swallow``): the series a
    sized row or parent label belongs to."""
    return _TRAILING_SIZE.sub("", label)
