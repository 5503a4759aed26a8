"""The vocabulary as a document (jllm_kg.vocabulary_doc) and the ontology it documents, against
the committed graph: domains and ranges cover what the graph really uses, every reused term is
declared, every example query returns rows, and the JSON-LD context round-trips."""

from __future__ import annotations

import json
from pathlib import Path

import pyoxigraph as ox
import pytest
from rdflib import Graph, Literal, URIRef
from rdflib.compare import isomorphic
from rdflib.namespace import OWL, PROV, RDF, RDFS, SH, SKOS

from jllm_kg.paths import data_dir, ontology_dir, shapes_dir
from jllm_kg.store import build_store
from jllm_kg.validate import validate_graph
from jllm_kg.vocabulary_doc import (
    CONTEXT_FILE_NAME,
    OntologyError,
    VocabularyDocument,
    build_document,
    context_text,
    json_ld_context,
    load_ontology,
    main,
)

J = "https://w3id.org/jllm-kg/ontology#"
ONTOLOGY_GRAPH = "https://w3id.org/jllm-kg/ontology"
XSD = "http://www.w3.org/2001/XMLSchema#"
LANGUAGES = {"en", "ja", "fr"}


def j(name: str) -> URIRef:
    return URIRef(J + name)


@pytest.fixture(scope="module")
def ontology() -> Graph:
    return load_ontology()


@pytest.fixture(scope="module")
def document(ontology: Graph) -> VocabularyDocument:
    return build_document(ontology)


@pytest.fixture(scope="module")
def store() -> ox.Store:
    """The packaged graph with the ontology, as the server loads it."""
    return build_store()


def select(store: ox.Store, query: str) -> list[dict[str, str]]:
    solutions = store.query(query, use_default_graph_as_union=True)
    assert isinstance(solutions, ox.QuerySolutions)
    variables = [v.value for v in solutions.variables]
    return [
        {name: row[name].value for name in variables if row[name] is not None}
        for row in solutions
    ]


# -- domains and ranges -----------------------------------------------------------------------


def test_every_jllm_property_has_a_domain_and_a_range(document: VocabularyDocument) -> None:
    properties = [p for p in document.properties if p.term.kind != "annotation-property"]
    assert len(properties) > 60
    missing = [p.term.curie for p in properties if not p.domain or not p.range]
    assert missing == []


def _superclasses(ontology: Graph, iri: str) -> set[str]:
    return {str(c) for c in ontology.transitive_objects(URIRef(iri), RDFS.subClassOf)}


def test_domains_and_ranges_cover_what_the_graph_uses(
    ontology: Graph, document: VocabularyDocument, store: ox.Store
) -> None:
    """Each (subject class, jllm property, object class or datatype) the graph holds is
    allowed by the property's declared domain and range (a subclass of a member counts)."""
    rows = select(store, f"""
        SELECT DISTINCT ?p ?subjectType ?objectKind WHERE {{
          GRAPH ?g {{ ?s ?p ?o }}
          FILTER(STRSTARTS(STR(?p), "{J}") && ?g != <{ONTOLOGY_GRAPH}>)
          ?s a ?subjectType .
          OPTIONAL {{ ?o a ?objectType }}
          BIND(IF(isLITERAL(?o), DATATYPE(?o), ?objectType) AS ?objectKind)
        }}""")
    by_iri = {p.term.iri: p for p in document.properties}
    assert len({r["p"] for r in rows}) > 50
    problems = []
    for row in rows:
        declared = by_iri[row["p"]]
        domain = set(declared.domain) | {str(OWL.Thing)}
        if not _superclasses(ontology, row["subjectType"]) & domain:
            problems.append(f"{declared.term.curie} on a <{row['subjectType']}>")
        kind = row.get("objectKind")
        if kind is None:
            problems.append(f"{declared.term.curie} points to an untyped resource")
        elif not _superclasses(ontology, kind) & set(declared.range):
            problems.append(f"{declared.term.curie} has a value of <{kind}>")
    assert problems == []


def test_multi_class_domains_are_unions_not_domain_includes(ontology: Graph) -> None:
    assert not list(ontology.subject_objects(URIRef("https://schema.org/domainIncludes")))
    source_location_domain = ontology.value(j("sourceLocation"), RDFS.domain)
    members = set(ontology.items(ontology.value(source_location_domain, OWL.unionOf)))
    assert {j("Model"), PROV.Derivation, j("EvaluationResult")} <= members


# -- reused terms -----------------------------------------------------------------------------


def test_every_reused_term_the_graph_uses_is_declared(
    ontology: Graph, document: VocabularyDocument, store: ox.Store
) -> None:
    in_data = f"GRAPH ?g {{ ?s ?p ?o }} FILTER(?g != <{ONTOLOGY_GRAPH}>)"
    used = {r["p"] for r in select(store, f"SELECT DISTINCT ?p WHERE {{ {in_data} }}")}
    used |= {r["o"] for r in select(
        store, f"SELECT DISTINCT ?o WHERE {{ {in_data} FILTER(?p = <{RDF.type}>) }}")}
    outside = {iri for iri in used if not iri.startswith(J) and iri != str(RDF.type)}
    reused = {t.iri: t for t in document.reused}
    assert sorted(outside - set(reused)) == []
    assert str(PROV.wasDerivedFrom) in reused and str(PROV.qualifiedDerivation) in reused
    for term in document.reused:
        assert set(term.labels) >= LANGUAGES, term.curie
        assert set(term.scope_notes) >= LANGUAGES, term.curie
        # described, not redefined
        for predicate in (RDFS.domain, RDFS.range, RDFS.subPropertyOf, RDFS.subClassOf,
                          SKOS.definition):
            assert ontology.value(URIRef(term.iri), predicate) is None, (term.curie, predicate)


# -- concepts ---------------------------------------------------------------------------------


def test_concept_labels_are_unique_in_each_language(ontology: Graph) -> None:
    seen: dict[tuple[str, str | None], URIRef] = {}
    duplicates = []
    for concept in ontology.subjects(RDF.type, SKOS.Concept):
        for label in ontology.objects(concept, SKOS.prefLabel):
            assert isinstance(label, Literal) and isinstance(concept, URIRef)
            key = (str(label).casefold(), label.language)
            if key in seen:
                duplicates.append((str(label), label.language, seen[key], concept))
            seen[key] = concept
    assert duplicates == []
    assert ontology.value(j("ContinualPretraining"), SKOS.prefLabel) is not None


METHODS = [
    "StatedInBaseModelCell", "StatedInTrainingDataProse", "ListedAsMergeParent",
    "NamedAsArchitectureComponent", "SiblingCheckpointNames", "ParentToldApartBySize",
    "ParentVariantToldByChildName", "BaseCheckpointInAdjacentRow", "ParentByRowOrder",
    "StatedInPaperProse", "PaperTable", "CuratedTable",
]  # fmt: skip


def test_derivation_method_scheme(ontology: Graph) -> None:
    members = set(ontology.subjects(SKOS.inScheme, j("DerivationMethodScheme")))
    assert members == {j(m) for m in METHODS}
    for concept in members:
        labels = {v.language for v in ontology.objects(concept, SKOS.prefLabel)}  # type: ignore[attr-defined]
        definitions = {v.language for v in ontology.objects(concept, SKOS.definition)}  # type: ignore[attr-defined]
        assert labels >= LANGUAGES and definitions >= LANGUAGES, concept
    domain = ontology.value(j("method"), RDFS.domain)
    assert set(ontology.items(ontology.value(domain, OWL.unionOf))) == {
        PROV.Derivation, j("AmbiguousDerivation")}
    assert (j("method"), RDF.type, OWL.FunctionalProperty) in ontology


def test_method_shape_lists_exactly_the_scheme() -> None:
    shapes = Graph().parse(shapes_dir() / "jllm-shapes.ttl")
    lists = [set(shapes.items(shapes.value(s, SH["in"])))
             for s in shapes.subjects(SH.path, j("method")) if shapes.value(s, SH["in"])]
    assert lists == [{j(m) for m in METHODS}]
    # every mapper writes it: mandatory on both kinds of qualified derivation
    assert len([s for s in shapes.subjects(SH.path, j("method"))
                if shapes.value(s, SH.minCount) is not None]) == 2


# The smallest dataset the shapes accept, with one derivation whose method each test varies.
# The source is a version of the list as ingest names it: a version of its series, identified
# by the hash of its content (every list the ingest reads carries both).
ID = "https://w3id.org/jllm-kg/id/"
SERIES = ID + "source/awesome-japanese-llm-ja"
SOURCE = SERIES + "-sha256-a15407da2212"
CONTENT_SHA256 = "a15407da2212" + "0" * 52
CHILD = ID + "model/tokyotech-llm--Swallow-70b-hf"
PARENT = ID + "model/meta-llama--Llama-2-70b-hf"
NODE = CHILD + ("#derivation-meta-llama-llama-2-70b-hf-ContinualPretrainingDerivation-"
                "awesome-japanese-llm-ja-sha256-a15407da2212")


def _derivation_dataset(method_triples: str) -> str:
    return f"""\
@prefix jllm: <{J}> .
@prefix prov: <http://www.w3.org/ns/prov#> .
@prefix rdfs: <http://www.w3.org/2000/01/rdf-schema#> .
@prefix dcterms: <http://purl.org/dc/terms/> .
<{SOURCE}> {{
  <{SOURCE}> a jllm:SourceDocument ; rdfs:label "日本語LLMまとめ"@ja ; dcterms:language "ja" ;
      jllm:sourceKind "list" ; jllm:contentSha256 "{CONTENT_SHA256}" ;
      dcterms:isVersionOf <{SERIES}> .
  <{SERIES}> a jllm:SourceSeries ; rdfs:label "awesome-japanese-llm (ja)"@en .
  <{SOURCE}#L125> a jllm:SourceLocation ; jllm:line 125 ; dcterms:isPartOf <{SOURCE}> .
  <{CHILD}> a jllm:Model ; rdfs:label "Swallow 70B" ;
      jllm:continuedPretrainingFrom <{PARENT}> ; prov:wasDerivedFrom <{PARENT}> ;
      prov:qualifiedDerivation <{NODE}> .
  <{PARENT}> a jllm:Model ; rdfs:label "Llama 2 70B" .
  <{NODE}> a prov:Derivation ; prov:entity <{PARENT}> ;
      jllm:derivationType jllm:ContinualPretrainingDerivation ;
      jllm:evidence "Llama 2 (**70b**)" ; jllm:sourceLocation <{SOURCE}#L125> .
  {method_triples}
}}
"""


def _method_findings(tmp_path: Path, method_triples: str) -> list[tuple[str, str | None, str]]:
    (tmp_path / "graph.trig").write_text(_derivation_dataset(method_triples), "utf-8")
    report = validate_graph([tmp_path])
    return [(v.severity, v.focus, v.message) for v in report.violations]


def test_a_derivation_with_one_method_conforms(tmp_path: Path) -> None:
    assert _method_findings(tmp_path, f"<{NODE}> jllm:method jllm:StatedInBaseModelCell .") == []
    missing = _method_findings(tmp_path, "")
    assert [(severity, focus) for severity, focus, _ in missing] == [("Violation", NODE)]


@pytest.mark.parametrize(
    ("triples", "focus", "words"),
    [
        (f"<{NODE}> jllm:method jllm:StatedInBaseModelCell , jllm:ParentToldApartBySize .",
         NODE, "exactly one jllm:method"),
        (f"<{NODE}> jllm:method jllm:FineTuning .", NODE, "DerivationMethodScheme"),
        (f"<{CHILD}> jllm:method jllm:StatedInBaseModelCell .", CHILD, "said of a prov:Derivation"),
    ],
)
def test_a_wrong_method_is_a_violation(
    tmp_path: Path, triples: str, focus: str, words: str
) -> None:
    findings = _method_findings(tmp_path, triples)
    assert findings and all(severity == "Violation" for severity, _, _ in findings)
    assert any(f == focus and words in message for _, f, message in findings), findings


@pytest.mark.parametrize(
    ("dropped", "words"),
    [
        (f" ;\n      dcterms:isVersionOf <{SERIES}>", "names its series"),
        (f' ; jllm:contentSha256 "{CONTENT_SHA256}"', "hash of its content"),
    ],
)
def test_a_list_version_without_its_identity_is_a_violation(
    tmp_path: Path, dropped: str, words: str
) -> None:
    """The fixture above conforms because it carries what every version of the list has; the
    source-version shapes still check it."""
    dataset = _derivation_dataset(f"<{NODE}> jllm:method jllm:StatedInBaseModelCell .")
    assert dropped in dataset
    (tmp_path / "graph.trig").write_text(dataset.replace(dropped, "", 1), "utf-8")
    findings = [(v.severity, v.focus, v.message) for v in validate_graph([tmp_path]).violations]
    assert [(s, f) for s, f, _ in findings] == [("Violation", SOURCE)], findings
    assert words in findings[0][2]


# -- example queries --------------------------------------------------------------------------


def test_every_documented_class_has_an_example_query_that_returns_rows(
    document: VocabularyDocument, store: ox.Store
) -> None:
    assert len(document.classes) >= 15
    counts = {}
    for cls in document.classes:
        assert cls.example_query, cls.term.curie
        rows = select(store, cls.example_query)
        has_instances = store.query(f"ASK {{ ?x a <{cls.term.iri}> }}",
                                    use_default_graph_as_union=True)
        # a class without instances in the graph (jllm:TrainingMethod today) cannot show rows;
        # as soon as it has some, its example must find them
        assert bool(rows) == bool(has_instances), cls.term.curie
        counts[cls.term.curie] = len(rows)
    assert counts["jllm:Model"] == 10 and counts["prov:Derivation"] == 10


# -- the document -----------------------------------------------------------------------------


def test_derivation_tree(document: VocabularyDocument, ontology: Graph) -> None:
    tree = document.derivation_tree
    assert tree.curie == "prov:wasDerivedFrom"
    nodes = [node.curie for node in tree.walk()]
    lineage = {str(p) for p in ontology.transitive_subjects(RDFS.subPropertyOf,
                                                             PROV.wasDerivedFrom)}
    assert sorted(nodes) == sorted({node for node in (
        document.term(iri).curie for iri in lineage)}), "each property once"
    fine_tuned = next(n for n in tree.children if n.curie == "jllm:fineTunedFrom")
    assert [c.curie for c in fine_tuned.children] == ["jllm:preferenceTunedFrom"]
    named = [iri for node in tree.walk() for iri in node.named_by]
    types = set(map(str, ontology.subjects(SKOS.inScheme, j("DerivationTypeScheme"))))
    assert sorted(named) == sorted(types)
    assert [n.curie for n in document.training_data_tree.children] == [
        "jllm:instructionTunedOn", "jllm:preferenceTunedOn", "jllm:pretrainedOn"]


def test_classes_list_their_properties(document: VocabularyDocument) -> None:
    by_curie = {c.term.curie: c for c in document.classes}
    model = by_curie["jllm:Model"]
    assert {"jllm:huggingFaceId", "jllm:fineTunedFrom", "jllm:parameterCount"} <= {
        p.term.curie for p in model.properties}
    assert "fair4ml:MLModel" in {document.label(i, ["en"]) for i in model.super_classes}
    derivation = by_curie["prov:Derivation"]
    assert {p.term.curie for p in derivation.properties} >= {
        "jllm:derivationType", "jllm:method", "jllm:evidence", "jllm:sourceLocation"}
    assert document.term(J + "Model").label(["ja"]) == "モデル"


def test_schemes_name_the_property_that_uses_them(document: VocabularyDocument) -> None:
    used_by = {s.term.curie: s.used_by for s in document.schemes}
    assert used_by["jllm:DerivationMethodScheme"] == (J + "method",)
    assert used_by["jllm:DomainScheme"] == (J + "domain",)
    assert document.scheme_of(J + "method") == J + "DerivationMethodScheme"
    assert document.scheme_of(J + "huggingFaceId") is None
    methods = next(s for s in document.schemes if s.term.curie == "jllm:DerivationMethodScheme")
    assert len(methods.concepts) == len(METHODS)


def test_a_missing_ontology_names_the_folder(tmp_path: Path) -> None:
    with pytest.raises(OntologyError, match=str(tmp_path)):
        load_ontology(tmp_path)


def test_a_domain_blank_node_without_union_is_an_error(tmp_path: Path) -> None:
    text = (ontology_dir() / "jllm.ttl").read_text("utf-8").replace(
        "rdfs:domain [ a owl:Class ; owl:unionOf ( jllm:Model jllm:Dataset ) ]",
        "rdfs:domain [ a owl:Class ]", 1)
    (tmp_path / "jllm.ttl").write_text(text, "utf-8")
    with pytest.raises(OntologyError, match="without owl:unionOf"):
        build_document(load_ontology(tmp_path))


# -- JSON-LD context --------------------------------------------------------------------------


def test_the_packaged_context_is_generated_from_the_ontology(ontology: Graph) -> None:
    assert (ontology_dir() / CONTEXT_FILE_NAME).read_text("utf-8") == context_text(ontology)


def test_main_prints_the_context(capsys: pytest.CaptureFixture[str], ontology: Graph) -> None:
    assert main(["context"]) == 0
    assert capsys.readouterr().out == context_text(ontology)
    assert main([]) == 2


def test_context_keys_name_declared_terms(ontology: Graph) -> None:
    context = json_ld_context(ontology)["@context"]
    prefixes = {k: v for k, v in context.items() if isinstance(v, str) and v.endswith(("#", "/"))}
    for key, value in context.items():
        if key in prefixes:
            continue
        curie = value if isinstance(value, str) else value["@id"]
        prefix, local = curie.split(":", 1)
        assert (URIRef(prefixes[prefix] + local), RDF.type, None) in ontology, key
    assert context["parameterCount"] == {"@id": "jllm:parameterCount", "@type": "xsd:decimal"}
    assert context["wasDerivedFrom"] == {"@id": "prov:wasDerivedFrom", "@type": "@id"}
    assert context["releaseDate"] == "jllm:releaseDate"  # three datatypes: no coercion
    assert "description" not in context  # dcterms: and schema: both have one


def _description(graph_file: Path, model: str) -> Graph:
    """A model's triples and its qualified derivations' and licence statements' triples."""
    quads = ox.Store()
    quads.load(path=str(graph_file), format=ox.RdfFormat.N_QUADS)
    triples: list[str] = []
    subjects = [ox.NamedNode(model)]
    qualifiers = {str(PROV.qualifiedDerivation), J + "qualifiedLicense"}
    while subjects:
        subject = subjects.pop()
        for quad in quads.quads_for_pattern(subject, None, None):
            triples.append(f"{quad.subject} {quad.predicate} {quad.object} .")
            if quad.predicate.value in qualifiers:
                subjects.append(quad.object)  # type: ignore[arg-type]
    return Graph().parse(data="\n".join(triples), format="nt")


def _graph_file_of(series: str) -> Path:
    """The committed graph file of the current version of ``series`` (file names carry the
    version, which changes with each upstream commit: the file is found by what its graph
    says; an earlier version is the subject of jllm:supersededBy in a later one's graph)."""
    is_version_of = ox.NamedNode("http://purl.org/dc/terms/isVersionOf")
    superseded_by = ox.NamedNode("https://w3id.org/jllm-kg/ontology#supersededBy")
    versions: dict[ox.NamedNode | ox.BlankNode | ox.DefaultGraph, Path] = {}
    superseded = set()
    for path in sorted((data_dir() / "graph").glob("*.nq")):
        quads = ox.Store()
        quads.load(path=str(path), format=ox.RdfFormat.N_QUADS)
        for quad in quads.quads_for_pattern(None, is_version_of, ox.NamedNode(series)):
            if quad.graph_name == quad.subject:
                versions[quad.graph_name] = path
        superseded |= {quad.subject for quad in quads.quads_for_pattern(None, superseded_by, None)}
    found = [path for graph, path in versions.items() if graph not in superseded]
    assert len(found) == 1, (series, found)
    return found[0]


@pytest.mark.parametrize(
    ("series", "model"),
    [
        ("awesome-japanese-llm-ja",
         "https://w3id.org/jllm-kg/id/model/tokyotech-llm--Llama-3-Swallow-70B-Instruct-v0.1"),
        ("awesome-japanese-llm-fr",
         "https://w3id.org/jllm-kg/id/model/shisa-ai--shisa-v1-llama3-70b"),
    ],
)
def test_compacted_description_round_trips(ontology: Graph, series: str, model: str) -> None:
    original = _description(_graph_file_of(ID + "source/" + series), model)
    assert len(original) > 20
    context = json_ld_context(ontology)["@context"]
    compacted = original.serialize(format="json-ld", context=context, auto_compact=True)
    nodes = json.loads(compacted)
    top = nodes if "@id" in nodes else next(n for n in nodes["@graph"] if n["@id"] == model)
    assert top["@type"] == "Model"
    assert "huggingFaceId" in top and "wasDerivedFrom" in top and "qualifiedDerivation" in top
    # rdflib and Oxigraph both expand it back to the same triples
    assert isomorphic(Graph().parse(data=compacted, format="json-ld"), original)
    store = ox.Store()
    store.load(compacted.encode(), format=ox.RdfFormat.JSON_LD)
    assert len(store) == len(original)
