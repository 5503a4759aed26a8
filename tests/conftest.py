"""Shared fixtures for the graph-level tests: the seeds, the graph built from them, one store.

The graph the tests read is the one the code builds *now*: once per session the real pipeline
(:func:`jllm_kg.pipeline.ingest_sources`) ingests ``SEED_FILES`` into a temporary folder, and
the session store holds that graph plus the ontology. A change to ``map/`` therefore shows in
the graph tests at once, without re-ingesting ``data/graph/``; that the committed graph is the
same as the fresh build, byte for byte, is one test of its own (``test_pipeline_seeds.py``).

The packaged graph holds the seeds and the newest version of each list of the upstream
repository: the session's ingest reads SEED_FILES and a clone of the upstream bundle at
``UPSTREAM_TIP`` (``jllm-kg ingest SEEDS… CLONE --rev 941b11f``). Both live beside the checkout
(``../shared/seeds``, ``../shared/upstream/*.bundle``). Without them the tests that need them
(marked ``seeds``, by hand or because they use one of ``SEED_FIXTURES``) are skipped with the
reason, except in CI (the ``CI`` environment variable set, as CI services do), where they are
always present and a missing one is a failure, not a silent skip.
"""

from __future__ import annotations

import os
import subprocess
from pathlib import Path

import pyoxigraph as ox
import pytest
from hypothesis import settings

from jllm_kg.paths import default_seeds_dir, history_dir
from jllm_kg.pipeline import GENERATED_SUBDIR, IngestSummary, ingest_sources
from jllm_kg.store import build_store

# Property tests: no per-example deadline (the machines running the suite are shared and slow
# examples are not failures); in CI the examples are derived from the test, so a red run can be
# reproduced and a green one is not luck of the draw.
settings.register_profile("default", deadline=None)
settings.register_profile("ci", deadline=None, derandomize=True, database=None)
settings.load_profile("ci" if os.environ.get("CI") else "default")

SEEDS_DIR: Path = default_seeds_dir()

SEED_FILES: tuple[Path, ...] = tuple(
    SEEDS_DIR / name
    for name in (
        "000_a5bb5f047ed98111.txt",
        "002_f7b8d5b33f5968b2.txt",
        "003_9c8df20d3e58c146.txt",
        "004_9c6061823d69ccef.txt",
    )
)
"""The source files ``data/graph/`` is generated from, in the order given to ``jllm-kg ingest``."""

UPSTREAM_BUNDLE: Path = SEEDS_DIR.parent / "upstream" / "awesome-japanese-llm-2025-12-26.bundle"
"""The list's repository (600 commits, 2023-07-09 … 2025-12-26), cloned once per session."""

UPSTREAM_TIP = "941b11f"
"""The bundle's newest commit: its ja, en and fr lists are in ``data/graph/`` beside the seeds."""

SEED_FIXTURES = frozenset({"seeds_dir", "seed_files", "upstream_clone", "ingested", "built_graph",
                           "store", "kg"})
"""Fixtures that need the seed documents (and the upstream bundle): a test using one of them is
marked ``seeds``."""

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
"""Prefixes prepended by :meth:`KG.select` so that test queries stay short."""

MODEL = "https://w3id.org/jllm-kg/id/model/"
GRAPH_000 = "https://w3id.org/jllm-kg/id/source/awesome-japanese-llm-fr-sha256-a15407da2212"
GRAPH_002 = "https://w3id.org/jllm-kg/id/source/awesome-japanese-llm-en-8e943653fa29"
GRAPH_003 = "https://w3id.org/jllm-kg/id/source/awesome-japanese-llm-ja-9dd329788972"
GRAPH_004 = "https://w3id.org/jllm-kg/id/source/arxiv-2404.01657-sha256-727dcca608f6"
GRAPH_JA_TIP = "https://w3id.org/jllm-kg/id/source/awesome-japanese-llm-ja-941b11fc283f"
GRAPH_EN_TIP = "https://w3id.org/jllm-kg/id/source/awesome-japanese-llm-en-941b11fc283f"
GRAPH_FR_TIP = "https://w3id.org/jllm-kg/id/source/awesome-japanese-llm-fr-941b11fc283f"


def in_ci() -> bool:
    """Whether the suite runs in CI: ``CI`` is set to anything but an explicit no."""
    return os.environ.get("CI", "").strip().lower() not in {"", "0", "false", "no"}


def seeds_missing_reason() -> str | None:
    """Why the seed-dependent tests cannot run here, or None when every seed file exists."""
    if not SEEDS_DIR.is_dir():
        return f"seed documents not found at {SEEDS_DIR}"
    missing = [path.name for path in SEED_FILES if not path.is_file()]
    if missing:
        return f"seed files missing from {SEEDS_DIR}: {', '.join(missing)}"
    if not UPSTREAM_BUNDLE.is_file():
        return f"upstream bundle not found at {UPSTREAM_BUNDLE}"
    return None


def require_seeds() -> None:
    """Skip the current test when the seeds are absent; fail it instead when running in CI."""
    reason = seeds_missing_reason()
    if reason is None:
        return
    if in_ci():
        pytest.fail(f"{reason} (CI is set: the seed-dependent tests must run there)",
                    pytrace=False)
    pytest.skip(reason)


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    """Mark every test that uses a seed-dependent fixture as ``seeds`` (``-m "not seeds"``).

    ``slow`` tests (many upstream versions, minutes) run in CI and with ``-m slow``; a local
    run without a marker expression skips them, saying how to run them.
    """
    run_slow = in_ci() or "slow" in (config.getoption("markexpr", "") or "")
    for item in items:
        if SEED_FIXTURES.intersection(getattr(item, "fixturenames", ())):
            item.add_marker(pytest.mark.seeds)
        if not run_slow and item.get_closest_marker("slow") is not None:
            item.add_marker(pytest.mark.skip(reason="slow: run with -m slow (CI runs it)"))


@pytest.hookimpl(tryfirst=True)
def pytest_runtest_setup(item: pytest.Item) -> None:
    """Apply :func:`require_seeds` to each ``seeds`` test before its own skip conditions, so
    that a module's ``skipif(not SEEDS.is_dir())`` cannot hide missing seeds in CI."""
    if item.get_closest_marker("seeds") is not None:
        require_seeds()


@pytest.fixture(scope="session")
def seeds_dir() -> Path:
    """The seeds folder, once every seed file is known to exist."""
    require_seeds()
    return SEEDS_DIR


@pytest.fixture(scope="session")
def seed_files(seeds_dir: Path) -> tuple[Path, ...]:
    """SEED_FILES, once they are known to exist."""
    return SEED_FILES


@pytest.fixture(scope="session")
def upstream_repository(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A clone of UPSTREAM_BUNDLE (a user's checkout of the list), once per session, for tests
    that need the list's repository but no seed; tests only read it. Skipped when the bundle
    is absent, failed in CI."""
    if not UPSTREAM_BUNDLE.is_file():
        reason = f"upstream bundle not found at {UPSTREAM_BUNDLE}"
        if in_ci():
            pytest.fail(f"{reason} (CI is set: the upstream tests must run there)",
                        pytrace=False)
        pytest.skip(reason)
    target = tmp_path_factory.mktemp("upstream") / "awesome-japanese-llm"
    subprocess.run(["git", "clone", "--quiet", str(UPSTREAM_BUNDLE), str(target)], check=True,
                   timeout=300)
    return target


@pytest.fixture(scope="session")
def upstream_clone(seeds_dir: Path, upstream_repository: Path) -> Path:
    """The clone of UPSTREAM_BUNDLE, for the session's build beside the seeds."""
    return upstream_repository


@pytest.fixture(scope="session")
def upstream_tip() -> str:
    """UPSTREAM_TIP, for tests that ingest the clone as the session does."""
    return UPSTREAM_TIP


@pytest.fixture(scope="session")
def ingested(seed_files: tuple[Path, ...], upstream_clone: Path,
             tmp_path_factory: pytest.TempPathFactory) -> IngestSummary:
    """The real pipeline run over SEED_FILES and the clone at UPSTREAM_TIP into a temporary
    folder, once per session: the packaged graph's sources."""
    return ingest_sources([*seed_files, upstream_clone], rev=UPSTREAM_TIP,
                          out_dir=tmp_path_factory.mktemp("ingest"))


@pytest.fixture(scope="session")
def built_graph(ingested: IngestSummary) -> Path:
    """The folder of N-Quads files the session's ingest wrote (what ``data/graph/`` should be)."""
    (folder,) = {path.parent for path in ingested.files}
    assert folder.name == GENERATED_SUBDIR
    return folder


@pytest.fixture(scope="session")
def store(built_graph: Path) -> ox.Store:
    """The freshly built graph, the committed history (``data/history/``, beside the graph
    in the packaged data) and the ontology in one in-memory store for the whole session.

    Every graph-level test shares this one instance and must not modify it.
    """
    return build_store(data_paths=[built_graph, history_dir()])


@pytest.fixture(scope="session")
def packaged_store() -> ox.Store:
    """The packaged graph (ontology + committed ``data/``), as ``jllm-kg query`` / ``export``
    read it: for tests of those commands, which need no seeds."""
    return build_store()


class KG:
    """Small query helpers over the session store (tests cannot import conftest itself under
    ``--import-mode=importlib``, so the helpers travel as a fixture)."""

    PREFIXES = PREFIXES
    MODEL = MODEL
    GRAPH_000 = GRAPH_000
    GRAPH_002 = GRAPH_002
    GRAPH_003 = GRAPH_003
    GRAPH_004 = GRAPH_004
    GRAPH_JA_TIP = GRAPH_JA_TIP
    GRAPH_EN_TIP = GRAPH_EN_TIP
    GRAPH_FR_TIP = GRAPH_FR_TIP
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
        return {term.value for row in self.select(query) if (term := row[variable]) is not None}

    def model(self, hf_id_or_slug: str, graph: str | None = None) -> str:
        """The IRI of a model of the graph, failing the test when there is no such model.

        ``hf_id_or_slug`` is a Hugging Face id (``org/name``, matched on ``jllm:huggingFaceId``)
        or the local name of a model IRI (``org--name``, ``laion-clip-base``); ``graph`` limits
        the search to one source graph. Negative checks ("X is not derived from Y") go through
        here, so that they cannot pass because X or Y is misspelt or was dropped from the graph.
        """
        scope = f"the graph <{graph}>" if graph else "any graph"
        if "/" in hf_id_or_slug:
            pattern = f'?v a jllm:Model ; jllm:huggingFaceId "{hf_id_or_slug}" .'
        else:
            pattern = f"BIND(<{MODEL}{hf_id_or_slug}> AS ?v) ?v a jllm:Model ."
        where = f"GRAPH <{graph}> {{ {pattern} }}" if graph else pattern
        found = self.values(f"SELECT DISTINCT ?v WHERE {{ {where} }}")
        if len(found) != 1:
            what = "no model" if not found else f"{len(found)} models ({sorted(found)})"
            pytest.fail(f"{what} {hf_id_or_slug!r} in {scope}", pytrace=False)
        return found.pop()

    def model_values(self, hf_id: str, prop: str, graph: str | None = None) -> set[str]:
        """Values of ``prop`` (a prefixed name) on the model ``hf_id`` (see :meth:`model`), in
        one source graph or in any graph; fails the test when the model is not there."""
        pattern = f"<{self.model(hf_id, graph)}> {prop} ?v ."
        if graph:
            return self.values(f"SELECT DISTINCT ?v WHERE {{ GRAPH <{graph}> {{ {pattern} }} }}")
        return self.values(f"SELECT DISTINCT ?v WHERE {{ {pattern} }}")


@pytest.fixture(scope="session")
def kg(store: ox.Store) -> KG:
    """Query helpers bound to the session store."""
    return KG(store)
