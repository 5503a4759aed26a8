"""Shared fixtures for the graph-level tests: the seed list, the seeds folder, one session store.

The committed graph in ``data/graph/`` is produced by ``jllm-kg ingest`` over ``SEED_FILES``;
tests that regenerate it, or read the seeds themselves, take the list from here so that adding a
source (the rinna paper, 004) changes one line.
"""

from __future__ import annotations

import importlib.util
from collections.abc import Iterator
from pathlib import Path

import pyoxigraph as ox
import pytest

from jllm_kg.paths import default_seeds_dir

SEEDS_DIR: Path = default_seeds_dir()

_LIST_SEEDS = (
    "000_a5bb5f047ed98111.txt",
    "002_f7b8d5b33f5968b2.txt",
    "003_9c8df20d3e58c146.txt",
)
# The paper joins the ingest command once its mapper exists (another engineer's work).
_PAPER_SEED = "004_9c6061823d69ccef.txt"
_HAS_PAPER_MAPPER = importlib.util.find_spec("jllm_kg.map.paper") is not None

SEED_FILES: tuple[Path, ...] = tuple(
    SEEDS_DIR / name for name in (*_LIST_SEEDS, *((_PAPER_SEED,) if _HAS_PAPER_MAPPER else ()))
)
"""The sources ``data/graph/`` is generated from, in the order given to ``jllm-kg ingest``."""

PREFIXES = """\
PREFIX jllm: <https://w3id.org/jllm-kg/ontology#>
PREFIX prov: <http://www.w3.org/ns/prov#>
PREFIX rdf: <http://www.w3.org/1999/02/22-rdf-syntax-ns#>
PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#>
PREFIX skos: <http://www.w3.org/2004/02/skos/core#>
PREFIX schema: <https://schema.org/>
PREFIX xsd: <http://www.w3.org/2001/XMLSchema#>
PREFIX dcterms: <http://purl.org/dc/terms/>
"""
"""Prefixes prepended by :func:`select` so that test queries stay short."""

GRAPH_000 = "https://w3id.org/jllm-kg/id/source/000-a5bb5f047ed98111"
GRAPH_002 = "https://w3id.org/jllm-kg/id/source/002-f7b8d5b33f5968b2"
GRAPH_003 = "https://w3id.org/jllm-kg/id/source/003-9c8df20d3e58c146"


def seeds_missing_reason() -> str | None:
    """Why the seed-dependent tests cannot run here, or None when every seed file exists."""
    missing = [path.name for path in SEED_FILES if not path.is_file()]
    if not SEEDS_DIR.is_dir():
        return f"seed documents not found at {SEEDS_DIR}"
    if missing:
        return f"seed files missing from {SEEDS_DIR}: {', '.join(missing)}"
    return None


@pytest.fixture(scope="session")
def seeds_dir() -> Path:
    """The seeds folder; skips the test when it (or one of SEED_FILES) is absent."""
    reason = seeds_missing_reason()
    if reason:
        pytest.skip(reason)
    return SEEDS_DIR


@pytest.fixture(scope="session")
def seed_files(seeds_dir: Path) -> tuple[Path, ...]:
    """SEED_FILES, once they are known to exist."""
    return SEED_FILES


@pytest.fixture(scope="session")
def store() -> Iterator[ox.Store]:
    """The packaged graph (ontology + data/) in one in-memory store for the whole session.

    Loading takes about a second; every graph-level test shares this one instance and must not
    modify it.
    """
    from jllm_kg.store import build_store

    yield build_store()


class KG:
    """Small query helpers over the session store (tests cannot import conftest itself under
    ``--import-mode=importlib``, so the helpers travel as a fixture)."""

    PREFIXES = PREFIXES
    GRAPH_000 = GRAPH_000
    GRAPH_002 = GRAPH_002
    GRAPH_003 = GRAPH_003
    SEED_FILES = SEED_FILES

    def __init__(self, store: ox.Store) -> None:
        self.store = store

    def select(self, query: str) -> list[dict[str, ox.NamedNode | ox.Literal | None]]:
        """Run a SELECT over the union of all graphs; rows as dicts of variable name → term."""
        solutions = self.store.query(PREFIXES + query, use_default_graph_as_union=True)
        assert isinstance(solutions, ox.QuerySolutions)
        names = [variable.value for variable in solutions.variables]
        return [{name: row[name] for name in names} for row in solutions]

    def ask(self, query: str) -> bool:
        """Run an ASK over the union of all graphs."""
        return bool(self.store.query(PREFIXES + query, use_default_graph_as_union=True))

    def values(self, query: str, variable: str = "v") -> set[str]:
        """The distinct string values (IRI or lexical form) of one variable of a SELECT."""
        return {row[variable].value for row in self.select(query) if row[variable] is not None}

    def model_values(self, hf_id: str, prop: str, graph: str | None = None) -> set[str]:
        """Values of ``prop`` (a prefixed name) on the model with ``hf_id``, in one source graph
        or in any graph."""
        pattern = f'?m jllm:huggingFaceId "{hf_id}" ; {prop} ?v .'
        if graph:
            return self.values(f"SELECT DISTINCT ?v WHERE {{ GRAPH <{graph}> {{ {pattern} }} }}")
        return self.values(f"SELECT DISTINCT ?v WHERE {{ {pattern} }}")


@pytest.fixture(scope="session")
def kg(store: ox.Store) -> KG:
    """Query helpers bound to the session store."""
    return KG(store)
