"""The list's domain column (ドメイン / Domain / Domaine) → domain concepts.

The spellings of each concept live in ``data/curated/domains.yaml``; a concept is the local
name of a ``jllm:DomainScheme`` concept (``MedicalDomain``). Text no alias names gives nothing,
and unknown markers (``-``, ``不明``) are no domain.

>>> domain_concepts(["汎用"])
['GeneralDomain']
"""

from __future__ import annotations

from collections.abc import Sequence
from functools import cache

from jllm_kg.curated import load_table
from jllm_kg.curated.schemas import DomainsFile
from jllm_kg.normalize.text import is_unknown_marker, match_key

__all__ = ["domain_concepts"]


@cache
def _aliases() -> dict[str, str]:
    table: dict[str, str] = {}
    for concept, aliases in load_table("domains.yaml", DomainsFile).root.items():
        for alias in aliases:
            table[match_key(alias)] = concept
    return table


def domain_concepts(lines: Sequence[str]) -> list[str]:
    """The domain concepts a cell's lines name, in order, each once."""
    found: list[str] = []
    for line in lines:
        if is_unknown_marker(line):
            continue
        concept = _aliases().get(match_key(line))
        if concept and concept not in found:
            found.append(concept)
    return found
