"""The committed history is part of the packaged graph: every default reader loads it."""

from __future__ import annotations

import jllm_kg
from jllm_kg.history import history_graph
from jllm_kg.paths import data_dir, history_dir
from jllm_kg.store import iter_input_files

HISTORY_FILE = history_dir() / "awesome-japanese-llm-history.nq"


def test_the_history_lies_beside_the_generated_graph_not_in_it() -> None:
    assert HISTORY_FILE.is_file()
    assert history_dir().parent == data_dir() and history_dir().name == "history"


def test_store_query_export_and_serve_load_it_by_default() -> None:
    # build_store(), hence jllm-kg query / export / serve and validate, read data/ whole
    assert HISTORY_FILE in list(iter_input_files())


def test_the_python_api_opens_it() -> None:
    kg = jllm_kg.open()
    rows = kg.query(f"SELECT ?commit WHERE {{ GRAPH <{history_graph()}> {{ "
                     f"<{history_graph()}> <https://w3id.org/jllm-kg/ontology#upstreamCommit> "
                     "?commit } }")
    assert [row["commit"] for row in rows] == ["941b11fc283f9901a2b9343dc4898dbadac311a6"]
