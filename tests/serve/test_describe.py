"""VoID and the service description, in-process (Flask test client, no worker processes)."""

from __future__ import annotations

import argparse
import re

import pytest
import rdflib

from jllm_kg.serve.app import create_app
from jllm_kg.serve.cli import add_serve_arguments, config_from_args
from jllm_kg.serve.config import ServeConfig
from jllm_kg.serve.pool import InlineExecutor
from jllm_kg.serve.service import GraphService
from jllm_kg.store import build_store

from .conftest import DATA

DS = rdflib.URIRef("https://w3id.org/jllm-kg/")
DCT = rdflib.namespace.DCTERMS
VOID = rdflib.Namespace("http://rdfs.org/ns/void#")
CC_BY = "https://creativecommons.org/licenses/by/4.0/"


def void_graph(config: ServeConfig) -> rdflib.Graph:
    service = GraphService(InlineExecutor(build_store(data_paths=[DATA])), config)
    client = create_app(service, config=config).test_client()
    response = client.get("/.well-known/void", headers={"Accept": "text/turtle"})
    assert response.status_code == 200
    return rdflib.Graph().parse(data=response.data, format="turtle")


def test_no_license_is_asserted_unless_the_operator_gives_one() -> None:
    graph = void_graph(ServeConfig())
    assert graph.value(DS, DCT.license) is None
    rights = str(graph.value(DS, DCT.rights))
    assert "No licence of this dataset as a whole is asserted" in rights
    assert "llm-jp/awesome-japanese-llm" in rights and "Apache License 2.0" in rights
    # an embedded app without a snapshot has no dump file: VoID names none
    assert graph.value(DS, VOID.dataDump) is None
    graph = void_graph(ServeConfig(dataset_license=CC_BY))
    assert graph.value(DS, DCT.license) == rdflib.URIRef(CC_BY)


def test_dataset_license_option() -> None:
    parser = argparse.ArgumentParser()
    add_serve_arguments(parser)
    assert config_from_args(parser.parse_args([])).dataset_license is None
    args = parser.parse_args(["--dataset-license", CC_BY])
    assert config_from_args(args).dataset_license == CC_BY
    with pytest.raises(SystemExit):
        parser.parse_args(["--dataset-license", "CC BY 4.0"])  # not an IRI


APACHE = rdflib.URIRef("http://spdx.org/licenses/Apache-2.0")


def test_void_of_the_packaged_graph_states_the_lists_licence_and_the_datas_date() -> None:
    """Each version of the list (the seeds' and 941b11f's, ja, en, fr) is Apache-2.0, the paper
    and the curated tables state none; dcterms:modified is the newest source version's date
    (941b11f's commit), not the time the files were written."""
    config = ServeConfig()
    service = GraphService(InlineExecutor(build_store()), config)
    client = create_app(service, config=config).test_client()
    response = client.get("/.well-known/void", headers={"Accept": "text/turtle"})
    graph = rdflib.Graph().parse(data=response.data, format="turtle")
    sources = set(graph.objects(DS, DCT.source))
    lists = {s for s in sources if "/source/awesome-japanese-llm-" in str(s)}
    assert len(lists) == 6 and len(sources) == 8  # and the paper and the curated tables
    assert all(graph.value(s, DCT.license) == APACHE for s in lists)
    assert [graph.value(s, DCT.license) for s in sources - lists] == [None, None]
    modified = graph.value(DS, DCT.modified)
    assert isinstance(modified, rdflib.Literal)
    assert str(modified) == "2025-12-26T14:28:53+09:00"
    assert modified.datatype == rdflib.namespace.XSD.dateTime


def test_a_list_versions_page_says_its_licence_and_what_it_supersedes() -> None:
    """The source page of the ja list at 941b11f (packaged graph) has the licence line, and the
    earlier version it supersedes (9dd3297) among the resources that point to it."""
    config = ServeConfig()
    service = GraphService(InlineExecutor(build_store()), config)
    client = create_app(service, config=config).test_client()
    page = client.get("/id/source/awesome-japanese-llm-ja-941b11fc283f?lang=en",
                      headers={"Accept": "text/html"}).data.decode()
    licence = page.index('<a href="http://purl.org/dc/terms/license"')
    assert 'href="http://spdx.org/licenses/Apache-2.0"' in page[licence:licence + 400]
    earlier = [match.end() for match in re.finditer(
        r'href="[^"]*/id/source/awesome-japanese-llm-ja-9dd329788972"', page)]
    assert any("superseded by" in page[end:end + 400] for end in earlier), page[-3000:]
