"""Who is who across the sources: model and family identities of the list's rows.

A checkpoint is keyed by its Hugging Face repo id (after known org renames, from
``data/curated/hf_renames.yaml``). Rows of different sources and languages are the same family
when they share a checkpoint, or — for rows without any Hugging Face checkpoint — when they
share their title link or their label. Japanese parents named in free text ("Swallow 13B",
"Youri 7B (base)") are resolved through a label index over every row.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from functools import cache

from jllm_kg.curated import load_curated
from jllm_kg.ingest.records import Checkpoint, ListDocument, ModelRow
from jllm_kg.normalize.labels import label_keys, size_tokens, stages_of
from jllm_kg.normalize.sizes import without_trailing_size
from jllm_kg.normalize.text import loose_key as matching_key
from jllm_kg.vocab import hf_slug, resource_iri, slugify

# Labels of one source language are preferred for slugs in this order: English names are the
# most widely used spelling of model names.
_SLUG_LANGUAGE_ORDER = {"en": 0, "fr": 1, "ja": 2}


@cache
def _renames() -> tuple[tuple[str, str], ...]:
    data = load_curated("hf_renames.yaml") or {}
    return tuple((str(old), str(new)) for old, new in (data.get("org_renames") or {}).items())


def canonical_hf_id(hf_id: str) -> str:
    """The current repo id of a checkpoint (``cl-tohoku/x`` → ``tohoku-nlp/x``)."""
    org, _, name = hf_id.partition("/")
    for old, new in _renames():
        if org == old:
            return f"{new}/{name}"
    return hf_id


def hf_model_iri(hf_id: str) -> str:
    return resource_iri("model", hf_slug(canonical_hf_id(hf_id)))


@dataclass
class ModelNode:
    """One model of a row: a checkpoint, or the row itself when it names none."""

    iri: str
    name: str  # repo name for HF checkpoints, label otherwise
    hf_id: str | None  # canonical repo id
    listed_hf_id: str | None  # the id as this source wrote it
    checkpoint: Checkpoint | None

    @property
    def stage_count(self) -> int:
        return len(stages_of(self.name))


@dataclass
class RowEntry:
    """A model row with its resolved model nodes and family."""

    doc: ListDocument
    row: ModelRow
    models: list[ModelNode]
    family: str = ""  # family IRI, set once families are clustered
    keys: list[str] = field(default_factory=list)  # label matching keys


def _checkpoint_name(checkpoint: Checkpoint) -> str:
    if checkpoint.hf_id:
        return checkpoint.hf_id.partition("/")[2]
    return checkpoint.label


def _row_models(row: ModelRow, family_slug_hint: str) -> list[ModelNode]:
    nodes: list[ModelNode] = []
    seen: set[str] = set()
    for checkpoint in row.checkpoints:
        if checkpoint.hf_id:
            canonical = canonical_hf_id(checkpoint.hf_id)
            iri = hf_model_iri(canonical)
            hf_id: str | None = canonical
        else:
            iri = resource_iri("model", slugify(f"{family_slug_hint} {checkpoint.label}"))
            hf_id = None
        if iri in seen:
            continue
        seen.add(iri)
        name = _checkpoint_name(checkpoint)
        nodes.append(ModelNode(iri, name, hf_id, checkpoint.hf_id, checkpoint))
    return nodes


class _UnionFind:
    def __init__(self, size: int) -> None:
        self.parent = list(range(size))

    def find(self, item: int) -> int:
        while self.parent[item] != item:
            self.parent[item] = self.parent[self.parent[item]]
            item = self.parent[item]
        return item

    def union(self, a: int, b: int) -> None:
        ra, rb = self.find(a), self.find(b)
        if ra != rb:
            self.parent[max(ra, rb)] = min(ra, rb)


@dataclass
class ModelIndex:
    """Every model row of every list source, clustered into families, with a label index."""

    entries: list[RowEntry]
    family_labels: dict[str, list[tuple[str, str, str]]]  # family IRI → (graph, label, lang)
    by_key: dict[str, list[RowEntry]]
    by_hf_name: dict[str, list[ModelNode]]

    @classmethod
    def build(cls, docs: Sequence[ListDocument]) -> ModelIndex:
        entries: list[RowEntry] = []
        for doc in docs:
            for row in doc.models:
                entry = RowEntry(doc, row, [])
                entry.keys = label_keys(row.label)
                entries.append(entry)
        families = cls._cluster(entries)
        family_labels: dict[str, list[tuple[str, str, str]]] = defaultdict(list)
        for members in families:
            slug = cls._family_slug(members, {e.family for e in entries if e.family})
            family_iri = resource_iri("family", slug)
            for entry in members:
                entry.family = family_iri
                entry.models = _row_models(entry.row, slug)
                if not entry.models:
                    entry.models = [
                        ModelNode(resource_iri("model", slug), entry.row.label, None, None, None)
                    ]
                family_labels[family_iri].append(
                    (entry.doc.source.slug, entry.row.label, entry.doc.source.language)
                )
        by_key: dict[str, list[RowEntry]] = defaultdict(list)
        by_hf_name: dict[str, list[ModelNode]] = defaultdict(list)
        for entry in entries:
            for key in entry.keys:
                by_key[key].append(entry)
            for node in entry.models:
                if node.hf_id:
                    by_hf_name[matching_key(node.name)].append(node)
                    by_hf_name[matching_key(node.hf_id)].append(node)
        return cls(entries, dict(family_labels), dict(by_key), dict(by_hf_name))

    @staticmethod
    def _cluster(entries: list[RowEntry]) -> list[list[RowEntry]]:
        union = _UnionFind(len(entries))
        first_by_key: dict[str, int] = {}
        for index, entry in enumerate(entries):
            keys = [f"hf:{canonical_hf_id(c.hf_id)}" for c in entry.row.checkpoints if c.hf_id]
            if not keys:
                if entry.row.url:
                    keys.append(f"url:{entry.row.url.rstrip('/')}")
                keys += [f"label:{k}" for k in entry.keys[:1]]
            for key in keys:
                if key in first_by_key:
                    union.union(first_by_key[key], index)
                else:
                    first_by_key[key] = index
        groups: dict[int, list[RowEntry]] = defaultdict(list)
        for index, entry in enumerate(entries):
            groups[union.find(index)].append(entry)
        return [groups[root] for root in sorted(groups)]

    @staticmethod
    def _family_slug(members: list[RowEntry], taken: set[str]) -> str:
        preferred = min(
            members,
            key=lambda e: (_SLUG_LANGUAGE_ORDER.get(e.doc.source.language, 9), e.row.row.line),
        )
        slug = slugify(preferred.row.label)
        if resource_iri("family", slug) in taken:
            hf_ids = sorted(c.hf_id for e in members for c in e.row.checkpoints if c.hf_id)
            suffix = slugify(hf_ids[0].partition("/")[2]) if hf_ids else str(preferred.row.row.line)
            slug = f"{slug}-{suffix}"
        return slug

    def entries_for(self, label: str) -> list[RowEntry]:
        """Rows whose label matches ``label`` (whole, or without its parenthesis)."""
        found: list[RowEntry] = []
        for key in label_keys(label):
            for entry in self.by_key.get(key, ()):
                if entry not in found:
                    found.append(entry)
        return found

    def series_entries(self, name: str) -> list[RowEntry]:
        """Rows that are sizes of one series ``name`` ("Swallow" → the rows "Swallow 7B",
        "Swallow 13B", "Swallow 70B"; not "Swallow-MS 7B"): a reference table's subject."""
        key = matching_key(name)
        if not key:
            return []
        return [entry for entry in self.entries
                if matching_key(without_trailing_size(entry.row.label)) == key]

    def models_with_prefix(self, prefix: str, sizes: set[str]) -> list[ModelNode]:
        """Checkpoints whose repo name starts with ``prefix`` and states one of ``sizes``
        ("LLM-jp-3" + 1.8b → llm-jp-3-1.8b): how prose names a model without its row label."""
        key = matching_key(prefix)
        if not key or not sizes:
            return []
        return _unique(
            node for entry in self.entries for node in entry.models
            if node.hf_id and matching_key(node.name).startswith(key)
            and size_tokens(node.name) & sizes
        )

    def models_named(self, name: str) -> list[ModelNode]:
        """Checkpoints whose repo name or full id matches ``name``."""
        return _unique(self.by_hf_name.get(matching_key(name), ()))


def _unique(nodes: Iterable[ModelNode]) -> list[ModelNode]:
    seen: set[str] = set()
    result = []
    for node in nodes:
        if node.iri not in seen:
            seen.add(node.iri)
            result.append(node)
    return result

