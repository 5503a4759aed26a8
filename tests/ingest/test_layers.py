"""The ingest package's imports run one way: no cycle between its modules, the shared paper
helpers know no particular paper, and paper parsers never import their registry.

Read from the source with ``ast`` (every import, also those inside functions), and checked in a
fresh interpreter for what importing the records loads."""

from __future__ import annotations

import ast
import json
import subprocess
import sys
from graphlib import CycleError, TopologicalSorter
from pathlib import Path

import jllm_kg.ingest

PACKAGE = "jllm_kg.ingest"
ROOT = Path(jllm_kg.ingest.__file__).parent


def _module_name(path: Path) -> str:
    parts = [PACKAGE, *path.relative_to(ROOT).with_suffix("").parts]
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def _imports() -> dict[str, set[str]]:
    """Module of the ingest package → the ingest modules it imports."""
    modules = {_module_name(path): path for path in ROOT.rglob("*.py")}
    graph: dict[str, set[str]] = {}
    for name, path in modules.items():
        imported: set[str] = set()
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
                candidates = [node.module, *(f"{node.module}.{a.name}" for a in node.names)]
            elif isinstance(node, ast.Import):
                candidates = [alias.name for alias in node.names]
            else:
                continue
            imported.update(c for c in candidates if c in modules and c != name)
        graph[name] = imported
    return graph


def test_the_graph_covers_the_package() -> None:
    graph = _imports()
    assert f"{PACKAGE}.markdown_list.walk" in graph
    assert f"{PACKAGE}.markdown_list.inline" in graph[f"{PACKAGE}.markdown_list.walk"]
    assert f"{PACKAGE}.papers.rinna" in graph[f"{PACKAGE}.papers.registry"]


def test_no_import_cycle_inside_ingest() -> None:
    try:
        order = list(TopologicalSorter(_imports()).static_order())
    except CycleError as error:
        raise AssertionError(f"import cycle: {' → '.join(error.args[1])}") from None
    assert order


def test_shared_paper_helpers_know_no_paper_and_parsers_not_their_registry() -> None:
    graph = _imports()
    parsers = {name for name in graph if name.startswith(f"{PACKAGE}.papers.")}
    assert not graph[f"{PACKAGE}.paper"] & parsers
    for parser in parsers - {f"{PACKAGE}.papers.registry"}:
        assert f"{PACKAGE}.papers.registry" not in graph[parser], parser


def _ingest_modules_loaded_by(statement: str) -> list[str]:
    code = (
        f"import json, sys\n{statement}\n"
        "print(json.dumps(sorted(m for m in sys.modules if m.startswith('jllm_kg.ingest'))))"
    )
    done = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=False, timeout=120
    )
    assert done.returncode == 0, done.stderr
    return json.loads(done.stdout)


def test_importing_the_records_loads_no_parser() -> None:
    # Later stages import the records: that must not load the parsers behind them.
    assert _ingest_modules_loaded_by("import jllm_kg.ingest.records") == [
        PACKAGE,
        f"{PACKAGE}.records",
    ]


def test_the_curated_schemas_load_nothing_of_ingest() -> None:
    # The parsers import the schemas; the schemas take their closed vocabularies from
    # jllm_kg.terms, so the two never form a cycle.
    assert _ingest_modules_loaded_by("import jllm_kg.curated.schemas") == []
