"""Table lines → raw cells, and lists inside a cell → items.

A row is split at ``|`` outside code spans and not escaped; a missing leading or trailing ``|``
is fine (the list has both). What a cell says is read later, by
:mod:`~jllm_kg.ingest.markdown_list.inline`.
"""

from __future__ import annotations

from collections.abc import Collection

from jllm_kg.ingest.markdown_list.syntax import collapse

__all__ = ["is_table_line", "split_outside_parens", "split_row"]

_OPENING: frozenset[str] = frozenset("(（")
_CLOSING: frozenset[str] = frozenset(")）")


def split_row(line: str) -> list[str]:
    """Split a table line into raw cell markdown; a missing leading/trailing ``|`` is fine.

    ``|`` escaped as ``\\|`` or inside a code span does not split.

    >>> split_row(" [a](u) | **b** | c |")
    ['[a](u)', '**b**', 'c']
    >>> split_row("| x || z")
    ['x', '', 'z']
    """
    stripped = line.strip()
    if stripped.startswith("|"):
        stripped = stripped[1:]
    if stripped.endswith("|") and not stripped.endswith("\\|"):
        stripped = stripped[:-1]
    cells: list[str] = []
    current: list[str] = []
    in_code = False
    index = 0
    while index < len(stripped):
        char = stripped[index]
        if char == "\\" and index + 1 < len(stripped):
            current.append(stripped[index : index + 2])
            index += 2
            continue
        if char == "`":
            in_code = not in_code
        if char == "|" and not in_code:
            cells.append("".join(current).strip())
            current = []
        else:
            current.append(char)
        index += 1
    cells.append("".join(current).strip())
    return cells


def is_table_line(line: str) -> bool:
    """A line that can be a table row: it has a ``|`` and is no HTML comment."""
    stripped = line.strip()
    return bool(stripped) and "|" in stripped and not stripped.startswith("<!--")


def split_outside_parens(text: str, separators: Collection[str]) -> list[str]:
    """Split on single-character ``separators`` outside parentheses, items collapsed.

    >>> split_outside_parens("A, B (x, y)、C", {",", "、"})
    ['A', 'B (x, y)', 'C']
    """
    parts: list[str] = []
    depth = 0
    current: list[str] = []
    for char in text:
        if char in _OPENING:
            depth += 1
        elif char in _CLOSING and depth:
            depth -= 1
        if char in separators and depth == 0:
            parts.append(collapse("".join(current)))
            current = []
        else:
            current.append(char)
    parts.append(collapse("".join(current)))
    return [part for part in parts if part]
