"""Developer cells → developer identities (organisations and people) across languages.

The catalogue is ``data/curated/developers.yaml``: one entry per real developer with its
ja/en/fr labels and every spelling the sources use (サイバーエージェント = CyberAgent, LINEヤフー =
LY Corp. = LY Corporation …). A cell can name several developers (``早大河原研, ヤフー``,
``Turing, Weights & Biases`` — the ``&`` of a known name is not a separator), individuals
(``個人 (山田育矢, 李凌寒)`` / ``Individual (…)`` / ``Individuel (…)``) and a parent in
parentheses (``Megagon Labs (リクルート)``). Unknown names give a ``Developer`` with
``curated=False`` and the text as its only label, so nothing is lost.

>>> [ref.developer.key for ref in parse_developer_cell("Turing, Weights & Biases")]
['turing', 'weights-and-biases']
>>> [ref.developer.key for ref in parse_developer_cell(["東北大", "自然言語処理研究グループ"])]
['tohoku-nlp-group']
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from functools import cache
from types import MappingProxyType
from typing import Literal

from jllm_kg.curated import CuratedDataError, load_table
from jllm_kg.curated.schemas import DevelopersFile
from jllm_kg.normalize.text import (
    index_names,
    is_unknown_marker,
    loose_key,
    match_key,
    split_top_level,
    split_with_separators,
    strip_label,
)
from jllm_kg.vocab import slugify

_FILE = "developers.yaml"
_PARENTHESISED = re.compile(r"^(?P<name>.+?)\s*[(（](?P<inner>[^()（）]+)[)）]$")

Kind = Literal["org", "person"]


@dataclass(frozen=True)
class Developer:
    """An organisation or a person that develops models, datasets or benchmarks."""

    key: str
    kind: Kind
    labels: Mapping[str, str]  # language → name as the sources write it
    aliases: tuple[str, ...] = ()
    parent: str | None = None  # key of the parent organisation
    successor: str | None = None  # key of the organisation it became
    hf_orgs: tuple[str, ...] = ()
    note: str | None = None
    curated: bool = True  # False: made up from an unknown name, only its label is known

    def label(self, lang: str = "en") -> str:
        """The label in *lang*, falling back to en, ja, fr, then any."""
        for candidate in (lang, "en", "ja", "fr"):
            if candidate in self.labels:
                return self.labels[candidate]
        return next(iter(self.labels.values()))


@dataclass(frozen=True)
class DeveloperRef:
    """One developer named in a cell, with the text it was read from."""

    developer: Developer
    text: str  # the part of the cell as written
    stated_parent: Developer | None = field(default=None)  # "X (Y)" when Y is not X itself


@dataclass(frozen=True)
class _Tables:
    catalogue: Mapping[str, Developer]
    exact: Mapping[str, str]
    loose: Mapping[str, str]
    hf_orgs: Mapping[str, str]
    separators: tuple[str, ...]
    individual: re.Pattern[str]  # "個人 (names)"
    conjunctions: tuple[str, ...]  # separate two known names only ("X and Y")


def _load() -> _Tables:
    table = load_table(_FILE, DevelopersFile)
    catalogue: dict[str, Developer] = {}
    exact: dict[str, str] = {}
    loose: dict[str, str] = {}
    hf_orgs: dict[str, str] = {}
    for entry in table.developers:
        developer = Developer(
            key=entry.key,
            kind=entry.kind,
            labels=MappingProxyType({str(lang): label for lang, label in entry.labels.items()}),
            aliases=tuple(entry.aliases),
            parent=entry.parent,
            successor=entry.successor,
            hf_orgs=tuple(entry.hf_orgs),
            note=entry.note,
        )
        catalogue[entry.key] = developer
        index_names(exact, loose, (*entry.labels.values(), *entry.aliases), entry.key, file=_FILE)
        for org in developer.hf_orgs:
            if hf_orgs.get(org.casefold(), entry.key) != entry.key:
                raise CuratedDataError(f"{_FILE}: hf org {org!r} claimed twice")
            hf_orgs[org.casefold()] = entry.key
    for developer in catalogue.values():
        for ref in (developer.parent, developer.successor):
            if ref is not None and ref not in catalogue:
                raise CuratedDataError(f"{_FILE}: {developer.key!r} refers to unknown {ref!r}")
    words = "|".join(re.escape(word) for word in table.individual_words)
    return _Tables(
        MappingProxyType(catalogue),
        MappingProxyType(exact),
        MappingProxyType(loose),
        MappingProxyType(hf_orgs),
        tuple(table.cell_separators),
        re.compile(rf"^(?:{words})\s*[(（](?P<names>.+)[)）]$", re.IGNORECASE),
        tuple(table.conjunctions),
    )


@cache
def _tables() -> _Tables:
    return _load()


def developer_catalogue() -> Mapping[str, Developer]:
    """All curated developers by key (read-only)."""
    return _tables().catalogue


def lookup_developer(name: str) -> Developer | None:
    """The curated developer a name denotes, or None."""
    tables = _tables()
    key = tables.exact.get(match_key(name)) or tables.loose.get(loose_key(name))
    return tables.catalogue[key] if key else None


def developer_for_hf_org(org: str) -> Developer | None:
    """The curated developer owning a Hugging Face organisation (case-insensitive)."""
    key = _tables().hf_orgs.get(org.casefold())
    return _tables().catalogue[key] if key else None


def _ad_hoc(label: str, kind: Kind) -> Developer:
    return Developer(
        key=slugify(label), kind=kind, labels=MappingProxyType({"und": label}), curated=False
    )


def _person(name: str) -> DeveloperRef:
    label = strip_label(name)
    found = lookup_developer(label)
    return DeveloperRef(found if found else _ad_hoc(label, "person"), label)


def _resolve_piece(piece: str) -> list[DeveloperRef]:
    """One separator-free piece: a known name, ``個人 (…)``, ``X (parent)`` or unknown."""
    label = strip_label(piece)
    found = lookup_developer(label)
    if found:
        return [DeveloperRef(found, label)]
    individual = _tables().individual.match(label)
    if individual:
        return [_person(n) for n in split_top_level(individual["names"], _tables().separators)]
    parenthesised = _PARENTHESISED.match(label)
    if parenthesised:
        outer = lookup_developer(parenthesised["name"])
        inner = lookup_developer(parenthesised["inner"])
        if outer and inner:
            return [DeveloperRef(outer, label, inner if inner.key != outer.key else None)]
    joined = _known_names_joined(label)
    if joined:
        return joined
    return [DeveloperRef(_ad_hoc(label, "org"), label)]


def _known_names_joined(label: str) -> list[DeveloperRef]:
    """``Waseda University Kawahara Lab and Yahoo``: names joined by a conjunction, read as
    several developers only when every part is a known name (" and " is inside longer names:
    "Research and Development Center for Large Language Models")."""
    parts = [strip_label(part) for part in split_top_level(label, _tables().conjunctions)]
    if len(parts) < 2:
        return []
    found = [lookup_developer(part) for part in parts]
    if not all(found):
        return []
    return [DeveloperRef(developer, part) for developer, part in zip(found, parts, strict=True)
            if developer is not None]


def parse_developer_cell(cell: str | Sequence[str]) -> list[DeveloperRef]:
    """The developers a developer cell names, in order, without repeats.

    *cell*: the cell's plain text, or its ``<br>`` lines (joined by a space first, because
    ``東北大<br>自然言語処理研究グループ`` is one name). Pieces are split on ``,`` ``、`` ``&``
    `` et `` outside parentheses, but adjacent pieces that together form a known name are kept
    together (``Weights & Biases``). Unknown markers give nothing.
    """
    lines = [cell] if isinstance(cell, str) else list(cell)
    text = " ".join(strip_label(line) for line in lines if strip_label(line))
    if is_unknown_marker(text):
        return []
    spans = split_with_separators(text, _tables().separators)
    refs: list[DeveloperRef] = []
    i = 0
    while i < len(spans):
        # Greedy longest run of pieces that is a known name as written (separators included).
        for j in range(len(spans), i, -1):
            candidate = text[spans[i][0] : spans[j - 1][1]]
            if j == i + 1 or lookup_developer(candidate):
                refs.extend(_resolve_piece(candidate))
                i = j
                break
    unique: dict[str, DeveloperRef] = {}
    for ref in refs:
        unique.setdefault(ref.developer.key, ref)
    return list(unique.values())
