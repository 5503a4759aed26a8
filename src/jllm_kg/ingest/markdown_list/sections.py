"""Where a table stands: the heading stack above it → its section key, category and headings.

A table belongs to the nearest anchored heading above it (``<a id="…"></a>`` before the
heading, language-independent); headings below the anchor refine the key: a known sub-heading
(``data/curated/list_sections.yaml``, ``subsections``) adds its key and may override category
fields, any other heading adds its slug.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, replace

from jllm_kg.ingest.markdown_list.inline import parse_inline
from jllm_kg.ingest.markdown_list.vocabulary import SectionInfo, norm_key, section_table
from jllm_kg.ingest.records import Category
from jllm_kg.vocab import slugify

__all__ = ["Context", "Heading", "context", "heading_text"]


@dataclass
class Heading:
    """A heading of the document (or a bold line standing for one: ``pseudo``)."""

    level: int
    text: str  # plain text
    anchor: str | None
    pseudo: bool = False


@dataclass(frozen=True)
class Context:
    """The section a table (or bullet) is in."""

    section: str | None  # derived key, e.g. "embeddings-bi-encoders-single-representation"
    anchor: str | None  # the nearest anchor
    headings: tuple[str, ...]
    subheading: str | None
    info: SectionInfo | None


def heading_text(markdown: str) -> str:
    """The plain text of a heading's markdown."""
    return parse_inline(markdown).text


def _overridden(category: Category, overrides: dict[str, str]) -> Category:
    return replace(category, **overrides)  # type: ignore[arg-type]


def context(stack: Sequence[Heading]) -> Context:
    """The context of what follows the headings ``stack`` (outermost first).

    >>> context([Heading(2, "汎用", "generative-scratch-general")]).info.category.approach
    'scratch'
    """
    table = section_table()
    anchor_index = max((i for i, h in enumerate(stack) if h.anchor), default=None)
    headings = tuple(h.text for h in stack if not h.pseudo and h.level >= 2)
    pseudo = next((h.text for h in reversed(stack) if h.pseudo), None)
    if anchor_index is None:
        return Context(None, None, headings, pseudo, None)
    anchor = stack[anchor_index].anchor
    assert anchor is not None
    info = table.anchors.get(anchor)
    parts: list[str] = [anchor]
    category = info.category if info else None
    for heading in stack[anchor_index + 1 :]:
        sub = table.subsections.get(norm_key(heading.text))
        if sub is None:
            try:
                parts.append(slugify(heading.text))
            except ValueError:
                continue
            continue
        parts.append(sub.key)
        if category is not None and sub.overrides:
            category = _overridden(category, dict(sub.overrides))
    if info is not None and category is not info.category:
        info = SectionInfo(kind=info.kind, category=category)
    return Context("-".join(parts), anchor, headings, pseudo, info)
