"""SHACL validation (jllm_kg.validate + shapes/jllm-shapes.ttl) on small hand-written graphs.

One conforming TriG graph, modelled on real rows (Swallow 70B, 003 L125: "Llama 2 (**70b**)";
the Apache 2.0 licence of the curated table), then one variant per typical importer error;
each must produce a violation that names the node at fault.
"""

from __future__ import annotations

import re
from pathlib import Path

import pyoxigraph as ox
import pytest
from rdflib import Graph, Namespace, URIRef
from rdflib.namespace import RDF, SH, SKOS

from jllm_kg.paths import ontology_dir, shapes_dir
from jllm_kg.validate import (
    RdfLoadError,
    ValidationReport,
    Violation,
    format_report,
    rdf_files,
    validate_graph,
)

ID = "https://w3id.org/jllm-kg/id/"
SWALLOW = ID + "model/tokyotech-llm--Swallow-70b-hf"
LLAMA = ID + "model/meta-llama--Llama-2-70b-hf"
DERIVATION = SWALLOW + "#derived-from-meta-llama--Llama-2-70b-hf"
LICENSE = ID + "license/llama-2-community-license"
APACHE = ID + "license/apache-2.0"
ORG = ID + "org/tokyotech-llm"
FAMILY = ID + "family/swallow"
DATASET = ID + "dataset/japanese-wikipedia"
SOURCE = ID + "source/list-ja-2024-07"
SERIES = ID + "source/awesome-japanese-llm-ja"
CURATED = ID + "source/curated"
PAPER = ID + "paper/rinna-release"
EVAL = ID + "eval/rinna-japanese-gpt-neox-3-6b-jp-lm-eval-harness"
BENCH = ID + "benchmark/jp-language-model-evaluation-harness"
RINNA = ID + "model/rinna--japanese-gpt-neox-3.6b"

PREFIXES = """\
@prefix jllm: <https://w3id.org/jllm-kg/ontology#> .
@prefix rdfs: <http://www.w3.org/2000/01/rdf-schema#> .
@prefix xsd: <http://www.w3.org/2001/XMLSchema#> .
@prefix prov: <http://www.w3.org/ns/prov#> .
@prefix owl: <http://www.w3.org/2002/07/owl#> .
@prefix dcterms: <http://purl.org/dc/terms/> .
@prefix dcat: <http://www.w3.org/ns/dcat#> .
@prefix schema: <https://schema.org/> .
"""

LIST_GRAPH = f"""\
<{SOURCE}> a jllm:SourceDocument ; rdfs:label "日本語LLMまとめ"@ja ; dcterms:language "ja" ;
    jllm:sourceKind "list" ;
    jllm:sha256 "0f3c1d0bb0ad6a8e2a05d09bd1d3e1c9f6f5f7b1e7c3f0b52b5c2e2d4b1a9c8e" ;
    jllm:contentSha256 "0f3c1d0bb0ad6a8e2a05d09bd1d3e1c9f6f5f7b1e7c3f0b52b5c2e2d4b1a9c8e" ;
    dcterms:isVersionOf <{SERIES}> .
<{SERIES}> a jllm:SourceSeries ; rdfs:label "awesome-japanese-llm (ja)"@en .
<{SOURCE}#L125> a jllm:SourceLocation ; jllm:line 125 ; dcterms:isPartOf <{SOURCE}> .
<{SWALLOW}> a jllm:Model ;
    rdfs:label "tokyotech-llm/Swallow-70b-hf" ;
    jllm:huggingFaceId "tokyotech-llm/Swallow-70b-hf" ;
    schema:url <https://huggingface.co/tokyotech-llm/Swallow-70b-hf> ;
    dcat:landingPage <https://huggingface.co/tokyotech-llm/Swallow-70b-hf> ;
    jllm:parameterCount 70000000000.0 ;
    jllm:releaseYear "2023"^^xsd:gYear ;
    jllm:releaseDate "2023-12-19"^^xsd:date ;
    jllm:modality jllm:TextGeneration ;
    jllm:domain jllm:GeneralDomain ;
    jllm:trainingApproach jllm:ContinualPretraining ;
    jllm:availability jllm:OpenWeights ;
    jllm:section "generative-continual-general" ;
    jllm:sourceLocation <{SOURCE}#L125> ;
    jllm:family <{FAMILY}> ;
    jllm:developer <{ORG}> ;
    jllm:license <{LICENSE}> ;
    jllm:continuedPretrainingFrom <{LLAMA}> ;
    prov:wasDerivedFrom <{LLAMA}> ;
    prov:qualifiedDerivation <{DERIVATION}> ;
    jllm:pretrainedOn <{DATASET}> ;
    jllm:trainedOn <{DATASET}> .
<{DERIVATION}> a prov:Derivation ;
    prov:entity <{LLAMA}> ;
    jllm:derivationType jllm:ContinualPretrainingDerivation ;
    jllm:evidence "Llama 2 (**70b**)" ;
    jllm:method jllm:StatedInBaseModelCell ;
    jllm:sourceLocation <{SOURCE}#L125> .
<{LLAMA}> a jllm:Model ; rdfs:label "Llama 2 70B"@en .
<{LICENSE}> a jllm:License ; rdfs:label "Llama 2 Community License"@en .
<{ORG}> a jllm:Organization ; rdfs:label "Swallowプロジェクト"@ja .
<{FAMILY}> a jllm:ModelFamily ; rdfs:label "Swallow"@ja ; jllm:developer <{ORG}> .
<{DATASET}> a jllm:Dataset ; rdfs:label "日本語 Wikipedia"@ja .
<{ID}dataset/aya-ja-evol-inst> a jllm:Dataset ; rdfs:label "aya-ja-evol-inst" ;
    jllm:huggingFaceId "llm-jp/aya-ja-evol-inst" ;
    schema:url <https://huggingface.co/datasets/llm-jp/aya-ja-evol-inst> .
"""

CURATED_GRAPH = f"""\
<{CURATED}> a jllm:SourceDocument ; rdfs:label "curated facts"@en ; dcterms:language "en" ;
    jllm:sourceKind "curated" .
<{APACHE}> a jllm:License ; rdfs:label "Apache 2.0" ; jllm:spdxId "Apache-2.0" ;
    owl:sameAs <http://spdx.org/licenses/Apache-2.0> ; jllm:allowsCommercialUse true .
"""

PAPER_GRAPH = f"""\
<{PAPER}> a jllm:Paper ;
    rdfs:label "Release of Pre-Trained Models for the Japanese Language"@en ;
    jllm:arxivId "2404.01657" ; jllm:venue "LREC-COLING 2024" ;
    jllm:publicationDate "2024-04-02"^^xsd:date .
<{RINNA}> a jllm:Model ; rdfs:label "rinna/japanese-gpt-neox-3.6b" ;
    jllm:huggingFaceId "rinna/japanese-gpt-neox-3.6b" ; jllm:paper <{PAPER}> ;
    jllm:releaseDate "2023-05"^^xsd:gYearMonth ; jllm:license <{APACHE}> .
<{BENCH}> a jllm:Benchmark ; rdfs:label "JP Language Model Evaluation Harness"@en .
<{EVAL}> a jllm:EvaluationResult ;
    jllm:model <{RINNA}> ; jllm:benchmark <{BENCH}> ;
    jllm:metric "average score" ; jllm:score 49.67 ;
    jllm:source <{ID}source/rinna-paper> .
<{ID}source/rinna-paper> a jllm:SourceDocument ; rdfs:label "rinna paper"@en ;
    dcterms:language "en" ; jllm:sourceKind "paper" .
"""


def dataset(
    list_graph: str = LIST_GRAPH, curated: str = CURATED_GRAPH, paper: str = PAPER_GRAPH
) -> str:
    """A TriG document with the three source graphs (each may be edited by a test)."""
    return (
        f"{PREFIXES}\n<{SOURCE}> {{\n{list_graph}}}\n<{CURATED}> {{\n{curated}}}\n"
        f"<{ID}source/rinna-paper> {{\n{paper}}}\n"
    )


def validate_text(tmp_path: Path, text: str, name: str = "graph.trig") -> ValidationReport:
    (tmp_path / name).write_text(text, encoding="utf-8")
    return validate_graph([tmp_path])


def results_for(report: ValidationReport, focus: str) -> list[Violation]:
    return [v for v in report.violations if v.focus == focus and v.severity == "Violation"]


def test_conforming_graph(tmp_path: Path) -> None:
    report = validate_text(tmp_path, dataset())
    assert report.conforms, format_report(report)
    assert report.violations == []
    assert report.files == [tmp_path / "graph.trig"]


def test_conforming_graph_in_nquads_and_default_dirs_ignore_yaml(tmp_path: Path) -> None:
    store = ox.Store()
    store.load(dataset().encode("utf-8"), format=ox.RdfFormat.TRIG)
    (tmp_path / "graph").mkdir()
    store.dump(tmp_path / "graph" / "all.nq", format=ox.RdfFormat.N_QUADS)
    (tmp_path / "curated").mkdir()
    (tmp_path / "curated" / "domains.yaml").write_text("MedicalDomain: [医療]\n", "utf-8")
    (tmp_path / "README.md").write_text("# not RDF\n", "utf-8")
    assert rdf_files([tmp_path]) == [tmp_path / "graph" / "all.nq"]
    report = validate_graph([tmp_path])
    assert report.conforms, format_report(report)


# (case id, old text, new text, focus node expected in a violation, fragment of its message)
ERRORS: list[tuple[str, str, str, str, str]] = [
    (
        "model-without-label",
        '<{LLAMA}> a jllm:Model ; rdfs:label "Llama 2 70B"@en .',
        "<{LLAMA}> a jllm:Model .",
        LLAMA,
        "needs an rdfs:label",
    ),
    ("unknown-marker-label-ja", '"Llama 2 70B"@en', '"不明"@ja', LLAMA, "unknown-value marker"),
    ("unknown-marker-undisclosed", '"Llama 2 70B"@en', '"Undisclosed"', LLAMA, "unknown-value"),
    ("unknown-marker-fullwidth-q", '"Llama 2 70B"@en', '"？"', LLAMA, "unknown-value marker"),
    ("unknown-marker-inconnue", '"Llama 2 70B"@en', '"Inconnue"@fr', LLAMA, "unknown-value"),
    ("unknown-marker-dash", '"Swallow"@ja', '"-"', FAMILY, "unknown-value marker"),
    ("unknown-marker-empty", '"Swallowプロジェクト"@ja', '""', ORG, "unknown-value marker"),
    (
        "parameter-count-double",
        "jllm:parameterCount 70000000000.0",
        'jllm:parameterCount "7.0E10"^^xsd:double',
        SWALLOW,
        "parameterCount must be an xsd:decimal",
    ),
    (
        "parameter-count-text",
        "jllm:parameterCount 70000000000.0",
        'jllm:parameterCount "70b"',
        SWALLOW,
        "parameterCount",
    ),
    (
        "parameter-count-too-large",
        "jllm:parameterCount 70000000000.0",
        "jllm:parameterCount 70000000000000.0",
        SWALLOW,
        "< 1e13",
    ),
    (
        "context-length-zero",
        "jllm:releaseYear",
        "jllm:contextLength 0 ; jllm:releaseYear",
        SWALLOW,
        "contextLength",
    ),
    (
        "context-length-decimal",
        "jllm:releaseYear",
        "jllm:contextLength 4096.0 ; jllm:releaseYear",
        SWALLOW,
        "contextLength must be an xsd:integer",
    ),
    (
        "training-tokens-are-gigabytes",
        "jllm:releaseYear",
        "jllm:trainingTokens 650.0 ; jllm:releaseYear",
        SWALLOW,
        "trainingTokens",
    ),
    (
        "release-date-plain-string",
        '"2023-12-19"^^xsd:date',
        '"2023"',
        SWALLOW,
        "releaseDate must be an xsd:date, xsd:gYearMonth or xsd:gYear",
    ),
    (
        "family-carries-a-release-date",
        '<{FAMILY}> a jllm:ModelFamily ; rdfs:label "Swallow"@ja ;',
        '<{FAMILY}> a jllm:ModelFamily ; rdfs:label "Swallow"@ja ;\n'
        '    jllm:releaseDate "2023"^^xsd:gYear ;',
        FAMILY,
        "only a jllm:Model may carry this property",
    ),
    (
        "huggingface-id-on-an-organization",
        "<{ORG}> a jllm:Organization ;",
        '<{ORG}> a jllm:Organization ; jllm:huggingFaceId "tokyotech-llm/x" ;',
        ORG,
        "only a jllm:Model or a jllm:Dataset",
    ),
    (
        "huggingface-id-is-a-url",
        'jllm:huggingFaceId "tokyotech-llm/Swallow-70b-hf"',
        'jllm:huggingFaceId "https://huggingface.co/tokyotech-llm/Swallow-70b-hf"',
        SWALLOW,
        "huggingFaceId",
    ),
    (
        "two-huggingface-ids",
        'jllm:huggingFaceId "tokyotech-llm/Swallow-70b-hf"',
        'jllm:huggingFaceId "tokyotech-llm/Swallow-70b-hf",\n'
        '    "tokyotech-llm/Swallow-70b-instruct-hf"',
        SWALLOW,
        "at most one per model",
    ),
    (
        "huggingface-id-truncated-at-entity",
        'jllm:huggingFaceId "tokyotech-llm/Swallow-70b-hf"',
        'jllm:huggingFaceId "matsuo-lab/weblab-10b-instruction&"',
        SWALLOW,
        "huggingFaceId",
    ),
    (
        "parent-is-a-family",
        "jllm:continuedPretrainingFrom <{LLAMA}> ;\n    prov:wasDerivedFrom <{LLAMA}> ;",
        "jllm:continuedPretrainingFrom <{LLAMA}>, <{FAMILY}> ;\n"
        "    prov:wasDerivedFrom <{LLAMA}>, <{FAMILY}> ;",
        SWALLOW,
        "must point to a jllm:Model",
    ),
    (
        "specific-derivation-without-was-derived-from",
        "    prov:wasDerivedFrom <{LLAMA}> ;\n",
        "",
        SWALLOW,
        "has no prov:wasDerivedFrom next to it",
    ),
    (
        "derivation-without-qualified-node",
        "    prov:qualifiedDerivation <{DERIVATION}> ;\n",
        "",
        SWALLOW,
        "qualified derivations disagree",
    ),
    (
        "derivation-type-not-in-scheme",
        "jllm:derivationType jllm:ContinualPretrainingDerivation",
        "jllm:derivationType jllm:ContinualPretraining",
        DERIVATION,
        "concept of jllm:DerivationTypeScheme",
    ),
    (
        "derivation-type-does-not-match-property",
        "jllm:derivationType jllm:ContinualPretrainingDerivation",
        "jllm:derivationType jllm:Merge",
        DERIVATION,
        "derivation type's property",
    ),
    (
        "derivation-without-entity",
        "    prov:entity <{LLAMA}> ;\n",
        "",
        DERIVATION,
        "exactly one prov:entity",
    ),
    (
        "derived-from-itself",
        "jllm:pretrainedOn <{DATASET}> ;",
        "prov:wasDerivedFrom <{SWALLOW}> ; jllm:pretrainedOn <{DATASET}> ;",
        SWALLOW,
        "derived from itself",
    ),
    (
        "pretrained-on-without-trained-on",
        "    jllm:trainedOn <{DATASET}> .",
        '    schema:name "Swallow 70B" .',
        SWALLOW,
        "has no jllm:trainedOn next to it",
    ),
    (
        "trained-on-a-model",
        "jllm:trainedOn <{DATASET}> .",
        "jllm:trainedOn <{DATASET}>, <{LLAMA}> .",
        SWALLOW,
        "must point to a jllm:Dataset",
    ),
    (
        "license-is-not-a-license",
        '<{LICENSE}> a jllm:License ; rdfs:label "Llama 2 Community License"@en .',
        '<{LICENSE}> rdfs:label "Llama 2 Community License"@en .',
        SWALLOW,
        "jllm:license must point to a jllm:License",
    ),
    (
        "license-without-label",
        '<{LICENSE}> a jllm:License ; rdfs:label "Llama 2 Community License"@en .',
        "<{LICENSE}> a jllm:License .",
        LICENSE,
        "a licence needs an rdfs:label",
    ),
    (
        "modality-from-the-wrong-scheme",
        "jllm:modality jllm:TextGeneration",
        "jllm:modality jllm:MedicalDomain",
        SWALLOW,
        "concept of jllm:ModalityScheme",
    ),
    (
        "domain-is-a-string",
        "jllm:domain jllm:GeneralDomain",
        'jllm:domain "医療"',
        SWALLOW,
        "concept of jllm:DomainScheme",
    ),
    (
        "developer-is-a-dataset",
        "jllm:developer <{ORG}> ;\n    jllm:license",
        "jllm:developer <{DATASET}> ;\n    jllm:license",
        SWALLOW,
        "Organization or a jllm:Person",
    ),
    (
        "organization-without-label",
        '<{ORG}> a jllm:Organization ; rdfs:label "Swallowプロジェクト"@ja .',
        "<{ORG}> a jllm:Organization .",
        ORG,
        "an organization needs an rdfs:label",
    ),
    (
        "model-iri-outside-id-space",
        "<{LLAMA}>",
        "<http://example.org/llama-2-70b>",
        "http://example.org/llama-2-70b",
        "must be an IRI https://w3id.org/jllm-kg/id/model/",
    ),
    (
        "url-as-string",
        "schema:url <https://huggingface.co/tokyotech-llm/Swallow-70b-hf>",
        'schema:url "https://huggingface.co/tokyotech-llm/Swallow-70b-hf"',
        SWALLOW,
        "schema:url must be an IRI",
    ),
    (
        "source-location-not-in-a-source",
        "jllm:sourceLocation <{SOURCE}#L125> ;\n    jllm:family",
        'jllm:sourceLocation "L125" ;\n    jllm:family',
        SWALLOW,
        "sourceLocation must be an IRI",
    ),
]

CURATED_ERRORS: list[tuple[str, str, str, str, str]] = [
    (
        "commercial-use-twice",
        "jllm:allowsCommercialUse true",
        "jllm:allowsCommercialUse true, false",
        APACHE,
        "allowsCommercialUse must be one xsd:boolean",
    ),
    (
        "commercial-use-as-text",
        "jllm:allowsCommercialUse true",
        'jllm:allowsCommercialUse "yes"',
        APACHE,
        "allowsCommercialUse must be one xsd:boolean",
    ),
    (
        "spdx-same-as-https",
        "<http://spdx.org/licenses/Apache-2.0>",
        "<https://spdx.org/licenses/Apache-2.0>",
        APACHE,
        "http://spdx.org/licenses/",
    ),
    (
        "spdx-same-as-another-id",
        "<http://spdx.org/licenses/Apache-2.0>",
        "<http://spdx.org/licenses/MIT>",
        APACHE,
        "does not match jllm:spdxId",
    ),
]

PAPER_ERRORS: list[tuple[str, str, str, str, str]] = [
    (
        "score-missing",
        "jllm:score 49.67 ;",
        "",
        EVAL,
        "exactly one jllm:score",
    ),
    ("score-as-text", "jllm:score 49.67", 'jllm:score "49.67"', EVAL, "an xsd:decimal"),
    (
        "two-models-in-one-result",
        "jllm:model <{RINNA}> ;",
        "jllm:model <{RINNA}>, <{LLAMA}> ;",
        EVAL,
        "exactly one jllm:model",
    ),
    (
        "benchmark-is-a-model",
        "jllm:benchmark <{BENCH}> ;",
        "jllm:benchmark <{RINNA}> ;",
        EVAL,
        "exactly one jllm:benchmark, a jllm:Benchmark",
    ),
    (
        "paper-without-title",
        '    rdfs:label "Release of Pre-Trained Models for the Japanese Language"@en ;\n',
        "",
        PAPER,
        "needs an rdfs:label",
    ),
    (
        "arxiv-id-with-prefix",
        'jllm:arxivId "2404.01657"',
        'jllm:arxivId "arXiv:2404.01657v1"',
        PAPER,
        "arxivId must be one plain string like '2310.10083'",
    ),
]


def _fill(text: str) -> str:
    names = {
        "LLAMA": LLAMA, "SWALLOW": SWALLOW, "DERIVATION": DERIVATION, "LICENSE": LICENSE,
        "ORG": ORG, "FAMILY": FAMILY, "DATASET": DATASET, "SOURCE": SOURCE, "RINNA": RINNA,
        "BENCH": BENCH,
    }  # fmt: skip
    return re.sub(r"\{([A-Z]+)\}", lambda m: names[m.group(1)], text)


def _edited(original: str, old: str, new: str) -> str:
    old, new = _fill(old), _fill(new)
    assert old in original, f"fixture text not found: {old!r}"
    return original.replace(old, new)


@pytest.mark.parametrize(
    ("case", "old", "new", "focus", "message"), ERRORS, ids=[e[0] for e in ERRORS]
)
def test_list_graph_error_is_reported(
    tmp_path: Path, case: str, old: str, new: str, focus: str, message: str
) -> None:
    report = validate_text(tmp_path, dataset(list_graph=_edited(LIST_GRAPH, old, new)))
    assert not report.conforms, case
    found = results_for(report, focus)
    assert any(message in v.message for v in found), format_report(report)


@pytest.mark.parametrize(
    ("case", "old", "new", "focus", "message"), CURATED_ERRORS, ids=[e[0] for e in CURATED_ERRORS]
)
def test_curated_graph_error_is_reported(
    tmp_path: Path, case: str, old: str, new: str, focus: str, message: str
) -> None:
    report = validate_text(tmp_path, dataset(curated=_edited(CURATED_GRAPH, old, new)))
    assert not report.conforms, case
    assert any(message in v.message for v in results_for(report, focus)), format_report(report)


@pytest.mark.parametrize(
    ("case", "old", "new", "focus", "message"), PAPER_ERRORS, ids=[e[0] for e in PAPER_ERRORS]
)
def test_paper_graph_error_is_reported(
    tmp_path: Path, case: str, old: str, new: str, focus: str, message: str
) -> None:
    report = validate_text(tmp_path, dataset(paper=_edited(PAPER_GRAPH, old, new)))
    assert not report.conforms, case
    assert any(message in v.message for v in results_for(report, focus)), format_report(report)


def test_model_only_in_the_default_graph(tmp_path: Path) -> None:
    # a Turtle file has no named graph: its model comes from no source document
    (tmp_path / "extra.ttl").write_text(
        f'{PREFIXES}<{ID}model/org--orphan> a jllm:Model ; rdfs:label "org/orphan" .\n', "utf-8"
    )
    report = validate_text(tmp_path, dataset())
    found = results_for(report, f"{ID}model/org--orphan")
    assert [v.path for v in found] == ["jllm:assertedIn"], format_report(report)
    assert "named graph of a source document" in found[0].message


def test_graph_not_described_as_a_source(tmp_path: Path) -> None:
    text = (
        dataset()
        + f'<{ID}source/unknown> {{ <{ID}org/x> a jllm:Organization ; rdfs:label "X" . }}\n'
    )
    report = validate_text(tmp_path, text)
    found = results_for(report, f"{ID}source/unknown")
    assert any("not described as a jllm:SourceDocument" in v.message for v in found), format_report(
        report
    )


def test_stored_asserted_in_is_rejected(tmp_path: Path) -> None:
    text = dataset(curated=CURATED_GRAPH + f"<{ORG}> jllm:assertedIn <{CURATED}> .\n")
    report = validate_text(tmp_path, text)
    assert any("must not be stored" in v.message for v in results_for(report, ORG))


def test_missing_evidence_is_a_violation(tmp_path: Path) -> None:
    # every qualified derivation quotes the source it was read from (issue 12 §1)
    list_graph = _edited(LIST_GRAPH, '    jllm:evidence "Llama 2 (**70b**)" ;\n', "")
    report = validate_text(tmp_path, dataset(list_graph=list_graph))
    assert not report.conforms
    assert [(v.severity, v.focus) for v in report.violations] == [("Violation", DERIVATION)]
    assert "jllm:evidence" in report.violations[0].message


def test_format_report_lists_focus_path_and_message(tmp_path: Path) -> None:
    list_graph = _edited(
        LIST_GRAPH, "jllm:parameterCount 70000000000.0", 'jllm:parameterCount "70b"'
    )
    report = validate_text(tmp_path, dataset(list_graph=list_graph))
    lines = format_report(report).splitlines()
    # the datatype and both bounds fail on "70b": one line per failed constraint
    assert lines[0].startswith("DOES NOT CONFORM: 3 violation(s), 0 warning(s)")
    assert len(lines) == 4
    for line in lines[1:]:
        assert line.startswith(f"Violation <{SWALLOW}> jllm:parameterCount: ")
        assert "must be an xsd:decimal number of parameters" in line
        assert line.endswith('[value: "70b"]')


def test_broken_file_names_the_file_and_the_line(tmp_path: Path) -> None:
    good = tmp_path / "a.trig"
    good.write_text(dataset(), "utf-8")
    broken = tmp_path / "b.nq"
    broken.write_text(
        f"<{SWALLOW}> <{RDF.type}> <{ID}x> <{SOURCE}> .\n<{SWALLOW}> <oops\n", "utf-8"
    )
    with pytest.raises(RdfLoadError) as error:
        validate_graph([tmp_path])
    assert str(broken) in str(error.value)
    assert "line 2" in str(error.value)


def test_missing_path_and_non_rdf_file_are_errors(tmp_path: Path) -> None:
    with pytest.raises(RdfLoadError, match="no such file"):
        validate_graph([tmp_path / "missing.nq"])
    notes = tmp_path / "notes.yaml"
    notes.write_text("a: 1\n", "utf-8")
    with pytest.raises(RdfLoadError, match="not an RDF file"):
        validate_graph([notes])


JLLM = Namespace("https://w3id.org/jllm-kg/ontology#")


def test_shapes_value_sets_match_the_ontology_schemes() -> None:
    """The sh:in lists of the shapes repeat the schemes' members (for speed); keep them equal."""
    shapes = Graph().parse(shapes_dir() / "jllm-shapes.ttl")
    ontology = Graph().parse(ontology_dir() / "jllm.ttl")
    expected = {
        JLLM.trainingApproach: JLLM.TrainingApproachScheme,
        JLLM.modality: JLLM.ModalityScheme,
        JLLM.domain: JLLM.DomainScheme,
        JLLM.availability: JLLM.AvailabilityScheme,
        JLLM.hfAvailability: JLLM.HFAvailabilityScheme,
        JLLM.derivationType: JLLM.DerivationTypeScheme,
    }
    for prop, scheme in expected.items():
        lists = [
            set(shapes.items(shapes.value(shape, SH["in"])))
            for shape in shapes.subjects(SH.path, prop)
            if shapes.value(shape, SH["in"]) is not None
        ]
        # `sh:in ()` is the always-failing constraint of a SPARQL-targeted shape, not a value set
        lists = [found for found in lists if found]
        members = set(ontology.subjects(SKOS.inScheme, scheme))
        assert lists and all(found == members for found in lists), prop


def test_every_named_shape_has_a_message() -> None:
    shapes = Graph().parse(shapes_dir() / "jllm-shapes.ttl")
    for shape in shapes.objects(None, SH.property):
        assert shapes.value(shape, SH.message) is not None, shape
    for shape in shapes.subjects(RDF.type, SH.NodeShape):
        if isinstance(shape, URIRef) and shapes.value(shape, SH.property) is None:
            assert shapes.value(shape, SH.message) is not None, shape


def test_untyped_source_location_is_a_violation(tmp_path: Path) -> None:
    """A jllm:sourceLocation whose line anchor is not described (typed, line, document)."""
    list_graph = _edited(
        LIST_GRAPH, f"<{SOURCE}#L125> a jllm:SourceLocation ; jllm:line 125 ; "
        f"dcterms:isPartOf <{SOURCE}> .\n", ""
    )
    report = validate_text(tmp_path, dataset(list_graph=list_graph))
    assert any("described as a jllm:SourceLocation" in v.message
               for v in results_for(report, SWALLOW)), format_report(report)


def test_source_location_without_line_is_a_violation(tmp_path: Path) -> None:
    list_graph = _edited(LIST_GRAPH, "jllm:SourceLocation ; jllm:line 125 ;",
                         "jllm:SourceLocation ;")
    report = validate_text(tmp_path, dataset(list_graph=list_graph))
    assert [v.message for v in results_for(report, f"{SOURCE}#L125")] == [
        "a jllm:SourceLocation has exactly one jllm:line"
    ], format_report(report)


def test_unknown_source_kind_is_a_violation(tmp_path: Path) -> None:
    list_graph = _edited(LIST_GRAPH, 'jllm:sourceKind "list"', 'jllm:sourceKind "blog"')
    report = validate_text(tmp_path, dataset(list_graph=list_graph))
    assert any("jllm:sourceKind" in v.message for v in results_for(report, SOURCE)), (
        format_report(report)
    )


CUSTOM = ID + "license/custom"
# the curated generic licence a list's "独自のライセンス" points to
CUSTOM_NODE = (f'<{CUSTOM}> a jllm:License ; rdfs:label "独自のライセンス"@ja ; '
               "jllm:generic true .\n")


@pytest.mark.parametrize(("case", "licences", "message"), [
    ("generic-beside-named", f"jllm:license <{LICENSE}> , <{CUSTOM}> ;",
     "a generic licence (custom, research only) beside a specific one"),
    ("unnamed-without-named", f"jllm:unnamedLicense <{CUSTOM}> ;",
     "jllm:unnamedLicense on a model no source names another licence for"),
    ("unnamed-is-a-named-licence", f"jllm:license <{LICENSE}> ; jllm:unnamedLicense <{LICENSE}> ;",
     "jllm:unnamedLicense must point to a generic jllm:License"),
])
def test_a_generic_licence_is_the_models_only_when_no_source_names_one(
    tmp_path: Path, case: str, licences: str, message: str
) -> None:
    list_graph = _edited(LIST_GRAPH, "jllm:license <{LICENSE}> ;", licences) + CUSTOM_NODE
    report = validate_text(tmp_path, dataset(list_graph=list_graph))
    assert any(message in v.message for v in results_for(report, SWALLOW)), (
        case, format_report(report))


def test_an_unnamed_generic_licence_beside_the_named_one_conforms(tmp_path: Path) -> None:
    list_graph = _edited(LIST_GRAPH, "jllm:license <{LICENSE}> ;",
                         f"jllm:license <{LICENSE}> ; jllm:unnamedLicense <{CUSTOM}> ;")
    report = validate_text(tmp_path, dataset(list_graph=list_graph + CUSTOM_NODE))
    assert report.conforms, format_report(report)
