"""Licence names → one licence identity; licence cells → per-variant licence statements.

The catalogue is ``data/curated/licenses.yaml``. A name that is not in it still yields a
:class:`LicenseFact` (``curated=False``, key slugified from the text, commercial use unknown)
so that nothing the sources say is lost; only unknown markers (``？``, ``不明``, ``Inconnue``,
empty) yield nothing.

>>> resolve_license("CC BY‑SA 4.0").spdx_id
'CC-BY-SA-4.0'
>>> resolve_license("？") is None
True
>>> [(s.license.key, s.selector.tokens if s.selector else None)
...  for s in parse_license_cell(["Apache 2.0", "(NC モデルは CC BY-NC 4.0)"])]
[('apache-2.0', None), ('cc-by-nc-4.0', ('nc',))]
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from functools import cache
from types import MappingProxyType

from jllm_kg.curated import load_table
from jllm_kg.curated.schemas import LicensesFile, is_spdx_license_id
from jllm_kg.normalize.selectors import Selector, split_selected_line
from jllm_kg.normalize.text import (
    index_names,
    is_unknown_marker,
    loose_key,
    match_key,
    split_top_level,
    strip_label,
)
from jllm_kg.vocab import slugify

_FILE = "licenses.yaml"


class UnknownLicenseError(ValueError):
    """Raised by :func:`resolve_license` with ``strict=True`` for a name not in the catalogue."""


@dataclass(frozen=True)
class LicenseFact:
    """One licence: identity plus what the catalogue knows about it."""

    key: str
    labels: Mapping[str, str]  # language → label
    spdx_id: str | None = None
    allows_commercial_use: bool | None = None  # None = unknown
    url: str | None = None
    curated: bool = True  # False: made up from an unknown name, only the label is known
    generic: bool = False  # a kind of licence ("custom", "research only"), not one text
    narrows: frozenset[str] = frozenset()  # generic kinds this generic kind says more than
    aliases: tuple[str, ...] = field(default=(), compare=False)


@dataclass(frozen=True)
class LicenseStatement:
    """One licence a cell states, for the checkpoints its selector covers (None: all)."""

    license: LicenseFact
    selector: Selector | None
    uncertain: bool  # written with "(?)"
    text: str  # the line as written
    additive: bool = False  # "… is also applied to …": added to, not replacing, the default


def _load() -> tuple[dict[str, LicenseFact], dict[str, str], dict[str, str]]:
    catalogue: dict[str, LicenseFact] = {}
    exact: dict[str, str] = {}
    loose: dict[str, str] = {}
    for entry in load_table(_FILE, LicensesFile).licenses:
        fact = LicenseFact(
            key=entry.key,
            labels=MappingProxyType({str(lang): label for lang, label in entry.labels.items()}),
            spdx_id=entry.spdx_id,
            allows_commercial_use=entry.allows_commercial_use,
            url=entry.url,
            generic=entry.generic,
            narrows=frozenset(entry.narrows),
            aliases=tuple(entry.aliases),
        )
        catalogue[entry.key] = fact
        names = (*fact.labels.values(), *fact.aliases, entry.key, fact.spdx_id or "")
        index_names(exact, loose, names, entry.key, file=_FILE)
    return catalogue, exact, loose


@cache
def _tables() -> tuple[Mapping[str, LicenseFact], dict[str, str], dict[str, str]]:
    catalogue, exact, loose = _load()
    return MappingProxyType(catalogue), exact, loose


@cache
def _uncertainty() -> re.Pattern[str]:
    """An uncertainty mark in brackets ("(?)", "（？）"), with the spaces around it."""
    marks = "|".join(map(re.escape, load_table(_FILE, LicensesFile).uncertainty_marks))
    return re.compile(rf"\s*[(（]\s*(?:{marks})\s*[)）]\s*")


def license_catalogue() -> Mapping[str, LicenseFact]:
    """All curated licences by key (read-only)."""
    return _tables()[0]


def is_valid_spdx_id(spdx_id: str) -> bool:
    """Whether *spdx_id* is on the SPDX License List (the list bundled with
    ``license-expression``), spelt as listed.

    >>> is_valid_spdx_id("CC-BY-NC-SA-4.0"), is_valid_spdx_id("Llama-2"), is_valid_spdx_id("mit")
    (True, False, False)
    """
    return is_spdx_license_id(spdx_id)


def resolve_license(name: str, *, strict: bool = False) -> LicenseFact | None:
    """The licence a name denotes.

    None for unknown markers and empty text. A name not in the catalogue gives an ad-hoc
    ``LicenseFact`` (key = slug of the text, label = the text, commercial use unknown,
    ``curated=False``) — or, with ``strict=True``, raises :class:`UnknownLicenseError`.
    """
    label = strip_label(name)
    if is_unknown_marker(label):
        return None
    catalogue, exact, loose = _tables()
    key = exact.get(match_key(label)) or loose.get(loose_key(label))
    if key:
        return catalogue[key]
    if strict:
        raise UnknownLicenseError(f"licence not in {_FILE}: {label!r}")
    return LicenseFact(key=slugify(label), labels=MappingProxyType({"en": label}), curated=False)


def _statements_for_value(
    value: str, selector: Selector | None, additive: bool, line: str
) -> list[LicenseStatement]:
    uncertain = bool(_uncertainty().search(value))
    value = _uncertainty().sub(" ", value).strip()
    statements: list[LicenseStatement] = []
    for part in split_top_level(value, load_table(_FILE, LicensesFile).joiners):
        fact = resolve_license(part)
        if fact is not None:
            statements.append(LicenseStatement(fact, selector, uncertain, line, additive))
    return statements


def parse_license_cell(lines: Sequence[str]) -> list[LicenseStatement]:
    """The licence statements of a licence cell (its ``<br>`` lines as plain text).

    Handles per-variant lines (``baseモデル: MIT``, ``Pre-trained model: …``), parenthesised
    variant notes (``(NC モデルは CC BY-NC 4.0)``, ``(CC BY 4.0 as for DPO model)``, ``(Gemma
    Terms of Use is also applied to the Instruct model)`` → additive), ``&``-joined licences
    (all apply), ``(?)`` uncertainty, and unknown markers (no statement). Use
    :func:`jllm_kg.normalize.selectors.assign_by_selector` to apply them to checkpoints.
    """
    statements: list[LicenseStatement] = []
    for raw in lines:
        line = strip_label(raw)
        if is_unknown_marker(line):
            continue
        selector, value, additive = split_selected_line(line)
        if selector is None and line[:1] in "(（" and line[-1:] in ")）":
            # A parenthesised line that is not a variant note: keep what it names.
            inner = line[1:-1].strip()
            if _uncertainty().fullmatch(line):
                continue
            value = inner
        statements.extend(_statements_for_value(value, selector, additive, line))
    return statements
