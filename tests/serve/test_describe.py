"""VoID and the service description, in-process (Flask test client, no worker processes)."""

from __future__ import annotations

import argparse

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
    assert "No license is asserted" in rights and "llm-jp/awesome-japanese-llm" in rights
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
