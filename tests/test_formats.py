"""The format table (jllm_kg.formats) and the one RDF file walker shared by store and validator."""

from __future__ import annotations

from pathlib import Path

import pyoxigraph as ox
import pytest

from jllm_kg import formats
from jllm_kg.formats import RdfFileError, by_extension, rdf_files
from jllm_kg.store import build_store
from jllm_kg.validate import read_quads

RDF_XML = """<?xml version="1.0"?>
<rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#"
         xmlns:rdfs="http://www.w3.org/2000/01/rdf-schema#">
  <rdf:Description rdf:about="urn:x:a"><rdfs:label>A</rdfs:label></rdf:Description>
</rdf:RDF>
"""


@pytest.mark.parametrize("fmt", [*formats.RESULT_FORMATS, *formats.RDF_FORMATS],
                         ids=lambda f: f.name)
def test_table_agrees_with_pyoxigraph(fmt: formats.Format) -> None:
    """Media types and extensions are pyoxigraph's own (parameters such as charset aside)."""
    library = fmt.rdf_format or fmt.results_format
    assert library is not None
    assert fmt.media_type == library.media_type.split(";")[0]
    if fmt.rdf_format is not None:
        assert f".{fmt.rdf_format.file_extension}" in fmt.extensions
        assert all(formats.RDF_EXTENSIONS[e] == fmt.rdf_format for e in fmt.extensions)
    assert formats.by_name(fmt.name) is fmt


def test_kinds_match_the_syntax() -> None:
    assert {f.name for f in formats.RDF_FORMATS if f.prefixed} == {"turtle", "trig", "rdfxml"}
    assert all(f.w3c_name for f in (*formats.RESULT_FORMATS, *formats.RDF_FORMATS))
    for fmt in formats.RDF_FORMATS:
        assert fmt.rdf_format is not None
        # JSON-LD can carry named graphs too, but it is offered as a graph format
        if fmt.kind == "dataset":
            assert fmt.rdf_format.supports_datasets
    assert all(f.kind == "results" for f in formats.RESULT_FORMATS)


def test_syntax_lookups_refuse_the_other_kind() -> None:
    assert formats.rdf_syntax("trig") == ox.RdfFormat.TRIG
    assert formats.results_syntax("tsv") == ox.QueryResultsFormat.TSV
    with pytest.raises(KeyError, match="not an RDF format"):
        formats.rdf_syntax("csv")
    with pytest.raises(KeyError, match="not a query results format"):
        formats.results_syntax("turtle")


def test_walker_skips_hidden_and_non_rdf_files_inside_folders(tmp_path: Path) -> None:
    (tmp_path / "b.ttl").write_text("", "utf-8")
    (tmp_path / "sub").mkdir()
    (tmp_path / "sub" / "a.OWL").write_text(RDF_XML, "utf-8")
    (tmp_path / "notes.yaml").write_text("a: 1\n", "utf-8")
    (tmp_path / ".git").mkdir()
    (tmp_path / ".git" / "x.nq").write_text("", "utf-8")
    (tmp_path / ".hidden.ttl").write_text("", "utf-8")
    assert rdf_files([tmp_path]) == [tmp_path / "b.ttl", tmp_path / "sub" / "a.OWL"]


def test_walker_refuses_explicit_non_rdf_and_missing_paths(tmp_path: Path) -> None:
    notes = tmp_path / "notes.yaml"
    notes.write_text("a: 1\n", "utf-8")
    with pytest.raises(RdfFileError, match=r"notes\.yaml: not an RDF file.*\.jsonld"):
        rdf_files([notes])
    with pytest.raises(RdfFileError, match=r"absent\.nq: no such file"):
        rdf_files([tmp_path / "absent.nq"])
    with pytest.raises(RdfFileError):
        by_extension(Path("graph.txt"))


def test_store_and_validator_read_the_same_quads(tmp_path: Path) -> None:
    """Same files (an RDF/XML .owl, once skipped by the validator) and same graphs (a triple
    file's triples in its source graph, once in the validator's default graph)."""
    (tmp_path / "terms.owl").write_text(RDF_XML, "utf-8")
    (tmp_path / "more.nq").write_text("<urn:x:b> <urn:x:p> <urn:x:c> <urn:x:g> .\n"
                                      "<urn:x:b> <urn:x:p> <urn:x:d> .\n", "utf-8")
    store = build_store(data_paths=[tmp_path], include_ontology=False)
    read = {q for f in rdf_files([tmp_path]) for q in read_quads(f)}
    assert set(store) == read
    assert {str(q.graph_name) for q in read} == {
        "<https://w3id.org/jllm-kg/id/source/terms>", "<urn:x:g>", "DEFAULT"}
