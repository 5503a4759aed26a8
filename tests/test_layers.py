"""The package's import graph keeps one direction of flow (docs/design.md#architecture).

ingest → normalize → map → history → validate → store → serve: a stage never imports a later
one, the HTTP layer knows nothing of markdown, and the neutral modules (paths, vocabulary,
closed terms, curated tables, formats, SPARQL text analysis) import no stage at all. The graph
is read from the source with ``ast``, so the test sees imports inside functions too.
"""

from __future__ import annotations

import ast
from collections import defaultdict
from graphlib import CycleError, TopologicalSorter
from pathlib import Path

import pytest

PACKAGE = Path(__file__).resolve().parents[1] / "src" / "jllm_kg"

NEUTRAL = frozenset({"paths", "vocab", "terms", "curated", "formats", "sparql_text"})
"""Importable by every stage; they import only each other."""

FORBIDDEN: dict[str, frozenset[str]] = {
    "ingest": frozenset({"normalize", "map", "history", "pipeline", "validate", "store", "querying",
                         "serve", "cli"}),
    "normalize": frozenset({"map", "history", "pipeline", "validate", "store", "querying",
                            "serve", "cli"}),
    "map": frozenset({"history", "pipeline", "validate", "store", "querying", "serve", "cli"}),
    # after map, before validate: it reads and maps every version of the list, then writes
    # its graph as the ingest pipeline writes its own (``pipeline.swap_in``)
    "history": frozenset({"validate", "store", "querying", "serve", "cli"}),
    "validate": frozenset({"ingest", "normalize", "map", "history", "pipeline", "querying",
                           "serve", "cli"}),
    "store": frozenset({"ingest", "normalize", "map", "history", "pipeline", "validate",
                        "querying", "serve", "cli"}),
    "serve": frozenset({"ingest", "normalize", "map", "history", "pipeline", "validate", "cli"}),
}
"""What each stage must not import (the stages after it, and for the serving side the text)."""


def _unit(module: str) -> str | None:
    parts = module.split(".")
    if parts[0] != "jllm_kg" or len(parts) < 2:
        return None
    return parts[1]


def import_graph() -> dict[str, set[str]]:
    """Top-level unit (sub-package or module of ``jllm_kg``) → the units it imports."""
    graph: dict[str, set[str]] = defaultdict(set)
    for path in PACKAGE.rglob("*.py"):
        relative = path.relative_to(PACKAGE.parent).with_suffix("")
        source_unit = relative.parts[1]
        graph[source_unit]
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            names: list[str] = []
            if isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
                names = [node.module]
            elif isinstance(node, ast.Import):
                names = [alias.name for alias in node.names]
            for name in names:
                target = _unit(name)
                if target and target != source_unit:
                    graph[source_unit].add(target)
    return graph


def test_the_graph_is_read() -> None:
    graph = import_graph()
    assert {"ingest", "normalize", "map", "serve", "curated"} <= graph.keys()
    assert "normalize" in graph["map"]


@pytest.mark.parametrize("stage", sorted(FORBIDDEN))
def test_no_stage_imports_a_later_one(stage: str) -> None:
    wrong = import_graph()[stage] & FORBIDDEN[stage]
    assert not wrong, f"jllm_kg.{stage} imports {sorted(wrong)}"


def test_neutral_modules_import_no_stage() -> None:
    graph = import_graph()
    wrong = {unit: graph[unit] - NEUTRAL for unit in NEUTRAL if graph[unit] - NEUTRAL}
    assert not wrong, f"neutral modules import stages: {wrong}"


def test_no_import_cycle_between_units() -> None:
    try:
        order = list(TopologicalSorter(import_graph()).static_order())
    except CycleError as error:
        raise AssertionError(f"import cycle: {' → '.join(error.args[1])}") from None
    assert set(order) >= {"ingest", "normalize", "map", "serve"}
