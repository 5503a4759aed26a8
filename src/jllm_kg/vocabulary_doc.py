"""The ontology as a document: the data of the vocabulary page and the JSON-LD ``@context``.

Everything here is read from ``ontology/*.ttl`` (no markdown, no server): the classes with the
properties whose domain or range names them, the lineage sub-property tree under
``prov:wasDerivedFrom``, the reused terms of other vocabularies, the concept schemes and each
class's example query. The web layer renders :class:`VocabularyDocument` in the reader's
language; :func:`json_ld_context` gives JSON consumers short keys for the same terms.

>>> document = build_document(load_ontology())
>>> document.term("https://w3id.org/jllm-kg/ontology#Model").label(["fr"])
'Modèle'
>>> [node.curie for node in document.derivation_tree.children][:2]
['jllm:adapterOf', 'jllm:chatVectorFrom']
>>> json_ld_context(load_ontology())["@context"]["family"]
{'@id': 'jllm:family', '@type': '@id'}

Why a page of our own rather than pyLODE (weighed on this ontology, pyLODE 3.4.1): its output
runs every language's labels together ("ModelモデルModèle") with no reader language, takes the
concept schemes for the ontology (their titles merged into the document's title), has no place
for example queries or links into the query editor, and its release needs a workaround to start
(RDFLib/pyLODE#260). The page keeps the server's look, languages and links.

Run as ``python -m jllm_kg.vocabulary_doc context`` to print the context (the packaged copy is
``ontology/jllm.context.json``, kept equal to it by the tests).
"""

from __future__ import annotations

import json
import sys
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path
from typing import Any, Final

from rdflib import BNode, Graph, Literal, URIRef
from rdflib.namespace import OWL, PROV, RDF, RDFS, SKOS
from rdflib.term import Node

from jllm_kg.paths import ontology_dir
from jllm_kg.vocab import JLLM, JLLM_NS

ONTOLOGY_IRI: Final = "https://w3id.org/jllm-kg/ontology"
CONTEXT_FILE_NAME: Final = "jllm.context.json"
FALLBACK_LANGUAGE: Final = "en"

# What a term is, from its rdf:type, most specific first (a functional object property is an
# object property); the keys are the words the page uses for its sections.
TERM_KINDS: Final[tuple[tuple[str, URIRef], ...]] = (
    ("class", OWL.Class),
    ("class", RDFS.Class),
    ("object-property", OWL.ObjectProperty),
    ("datatype-property", OWL.DatatypeProperty),
    ("annotation-property", OWL.AnnotationProperty),
    ("property", RDF.Property),
    ("scheme", SKOS.ConceptScheme),
    ("concept", SKOS.Concept),
)
PROPERTY_KINDS: Final = frozenset(
    {"object-property", "datatype-property", "annotation-property", "property"}
)
# Datatypes a JSON string already is: no "@type" coercion in the context for them.
_PLAIN_DATATYPES: Final = frozenset(
    {"http://www.w3.org/2001/XMLSchema#string", str(RDF.langString)}
)
EXAMPLE_QUERY: Final = JLLM.exampleQuery
DERIVATION_PROPERTY: Final = JLLM.derivationProperty


class OntologyError(ValueError):
    """The ontology lacks something the document needs (names the term)."""


def pick(texts: Mapping[str, str], languages: Sequence[str]) -> str | None:
    """The text in the first of ``languages`` that has one, else English, else any.

    >>> pick({"en": "Model", "ja": "モデル"}, ["fr", "ja"])
    'モデル'
    >>> pick({"en": "Model"}, ["fr"])
    'Model'
    >>> pick({}, ["fr"]) is None
    True
    """
    for language in (*languages, FALLBACK_LANGUAGE, ""):
        if language in texts:
            return texts[language]
    return next(iter(texts.values()), None)


@dataclass(frozen=True)
class Term:
    """One named term of the ontology or a reused one: its texts by language and its kind."""

    iri: str
    curie: str
    kind: str
    labels: Mapping[str, str]
    definitions: Mapping[str, str]
    scope_notes: Mapping[str, str]
    defined_by: str | None

    @property
    def anchor(self) -> str:
        """The fragment of the term on the page: the local name for jllm terms, else the CURIE
        with ``-`` (``prov-wasDerivedFrom``)."""
        if self.iri.startswith(JLLM_NS):
            return self.iri[len(JLLM_NS):]
        return self.curie.replace(":", "-")

    @property
    def is_jllm(self) -> bool:
        return self.iri.startswith(JLLM_NS)

    def label(self, languages: Sequence[str]) -> str:
        return pick(self.labels, languages) or self.curie

    def definition(self, languages: Sequence[str]) -> str | None:
        return pick(self.definitions, languages)

    def scope_note(self, languages: Sequence[str]) -> str | None:
        return pick(self.scope_notes, languages)


@dataclass(frozen=True)
class PropertyDoc:
    term: Term
    domain: tuple[str, ...]
    range: tuple[str, ...]
    super_properties: tuple[str, ...]
    functional: bool


@dataclass(frozen=True)
class ClassDoc:
    term: Term
    super_classes: tuple[str, ...]
    sub_classes: tuple[str, ...]
    properties: tuple[PropertyDoc, ...]  # whose domain names the class
    used_by: tuple[PropertyDoc, ...]  # whose range names the class
    example_query: str | None


@dataclass(frozen=True)
class TreeNode:
    """One property or concept of a tree, with what names it (derivation types of a lineage
    property) and its narrower children."""

    iri: str
    curie: str
    children: tuple[TreeNode, ...]
    named_by: tuple[str, ...] = ()

    def walk(self) -> Iterable[TreeNode]:
        yield self
        for child in self.children:
            yield from child.walk()


@dataclass(frozen=True)
class SchemeDoc:
    term: Term
    concepts: tuple[TreeNode, ...]  # top concepts, narrower ones as children
    used_by: tuple[str, ...]  # properties whose definition names the scheme


@dataclass(frozen=True)
class VocabularyDocument:
    ontology: Term
    version: str | None
    classes: tuple[ClassDoc, ...]
    properties: tuple[PropertyDoc, ...]
    derivation_tree: TreeNode
    training_data_tree: TreeNode
    reused: tuple[Term, ...]
    schemes: tuple[SchemeDoc, ...]
    prefixes: Mapping[str, str]
    terms: Mapping[str, Term] = field(repr=False)

    @property
    def class_iris(self) -> frozenset[str]:
        return frozenset(c.term.iri for c in self.classes)

    def scheme_of(self, property_iri: str) -> str | None:
        """The concept scheme whose concepts are the values of a property (by its definition:
        ``jllm:domain`` takes concepts of ``jllm:DomainScheme``)."""
        return next((s.term.iri for s in self.schemes if property_iri in s.used_by), None)

    def term(self, iri: str) -> Term:
        try:
            return self.terms[iri]
        except KeyError:
            raise OntologyError(f"{iri}: not a term of the ontology") from None

    def label(self, iri: str, languages: Sequence[str]) -> str:
        """A term's label, or its CURIE (an outside class such as ``fair4ml:MLModel``)."""
        known = self.terms.get(iri)
        return known.label(languages) if known is not None else curie(iri, self.prefixes)


def load_ontology(folder: Path | None = None) -> Graph:
    """The ontology graph, parsed from every ``*.ttl`` of ``folder`` (default: the packaged one)
    with only the prefixes the files declare."""
    graph = Graph(bind_namespaces="none")
    files = sorted((folder or ontology_dir()).glob("*.ttl"))
    if not files:
        raise OntologyError(f"{folder or ontology_dir()}: no ontology (*.ttl) file")
    for path in files:
        graph.parse(path, format="turtle")
    return graph


def prefixes_of(graph: Graph) -> dict[str, str]:
    return {prefix: str(namespace) for prefix, namespace in graph.namespaces() if prefix}


def curie(iri: str, prefixes: Mapping[str, str]) -> str:
    """``iri`` with the longest matching prefix, or ``<iri>``.

    >>> curie("http://www.w3.org/ns/prov#entity", {"prov": "http://www.w3.org/ns/prov#"})
    'prov:entity'
    >>> curie("http://example.org/x", {})
    '<http://example.org/x>'
    """
    best = max(
        ((p, ns) for p, ns in prefixes.items() if iri.startswith(ns)),
        key=lambda item: len(item[1]),
        default=None,
    )
    return f"{best[0]}:{iri[len(best[1]):]}" if best else f"<{iri}>"


def _texts(graph: Graph, subject: Node, predicate: URIRef) -> dict[str, str]:
    texts: dict[str, str] = {}
    for value in graph.objects(subject, predicate):
        if isinstance(value, Literal):
            language = value.language or ""
            if language in texts:
                raise OntologyError(f"{subject}: two {predicate} in language {language!r}")
            texts[language] = str(value)
    return texts


def _kind(graph: Graph, subject: URIRef) -> str | None:
    types = set(graph.objects(subject, RDF.type))
    return next((kind for kind, cls in TERM_KINDS if cls in types), None)


def _members(graph: Graph, value: Node | None) -> tuple[str, ...]:
    """The IRIs a domain or range names: itself, or the members of an ``owl:unionOf``."""
    if value is None:
        return ()
    if isinstance(value, BNode):
        union = graph.value(value, OWL.unionOf)
        if union is None:
            raise OntologyError(f"a domain or range blank node without owl:unionOf: {value}")
        return tuple(str(member) for member in graph.items(union))
    return (str(value),)


def _sorted_iris(values: Iterable[Node]) -> tuple[str, ...]:
    return tuple(sorted(str(v) for v in values if isinstance(v, URIRef)))


def _terms(graph: Graph, prefixes: Mapping[str, str]) -> dict[str, Term]:
    terms: dict[str, Term] = {}
    for subject in set(graph.subjects(RDF.type, None)):
        if not isinstance(subject, URIRef):
            continue
        kind = _kind(graph, subject)
        if kind is None:
            continue
        labels = _texts(graph, subject, RDFS.label) or _texts(graph, subject, SKOS.prefLabel)
        defined_by = graph.value(subject, RDFS.isDefinedBy)
        terms[str(subject)] = Term(
            iri=str(subject),
            curie=curie(str(subject), prefixes),
            kind=kind,
            labels=labels,
            definitions=_texts(graph, subject, SKOS.definition),
            scope_notes=_texts(graph, subject, SKOS.scopeNote),
            defined_by=str(defined_by) if defined_by is not None else None,
        )
    return terms


def _property_doc(graph: Graph, term: Term) -> PropertyDoc:
    subject = URIRef(term.iri)
    return PropertyDoc(
        term=term,
        domain=_members(graph, graph.value(subject, RDFS.domain)),
        range=_members(graph, graph.value(subject, RDFS.range)),
        super_properties=_sorted_iris(graph.objects(subject, RDFS.subPropertyOf)),
        functional=(subject, RDF.type, OWL.FunctionalProperty) in graph,
    )


def _tree(graph: Graph, root: URIRef, prefixes: Mapping[str, str],
          narrower: Mapping[str, Sequence[str]], named_by: Mapping[str, Sequence[str]]) -> TreeNode:
    children = tuple(
        _tree(graph, URIRef(child), prefixes, narrower, named_by)
        for child in sorted(narrower.get(str(root), ()))
    )
    return TreeNode(str(root), curie(str(root), prefixes), children,
                    tuple(sorted(named_by.get(str(root), ()))))


def property_tree(graph: Graph, root: URIRef, prefixes: Mapping[str, str]) -> TreeNode:
    """The jllm sub-properties of ``root``, each under its most specific super-property
    (``jllm:preferenceTunedFrom`` under ``jllm:fineTunedFrom``, not also under the root), with
    the derivation types that name each one (``jllm:derivationProperty``)."""
    below = {str(sub) for sub in graph.transitive_subjects(RDFS.subPropertyOf, root)
             if sub != root and str(sub).startswith(JLLM_NS)}
    narrower: dict[str, list[str]] = {}
    for prop in below:
        supers = {str(s) for s in graph.objects(URIRef(prop), RDFS.subPropertyOf)}
        supers &= below | {str(root)}
        # drop a super that is an ancestor of another super: keep the most specific only
        ancestors = {str(a) for s in supers
                     for a in graph.transitive_objects(URIRef(s), RDFS.subPropertyOf)
                     if str(a) != s}
        for parent in supers - ancestors:
            narrower.setdefault(parent, []).append(prop)
    named_by: dict[str, list[str]] = {}
    for concept, named in graph.subject_objects(DERIVATION_PROPERTY):
        named_by.setdefault(str(named), []).append(str(concept))
    return _tree(graph, root, prefixes, narrower, named_by)


def _scheme_doc(graph: Graph, term: Term, prefixes: Mapping[str, str],
                properties: Iterable[PropertyDoc]) -> SchemeDoc:
    scheme = URIRef(term.iri)
    narrower: dict[str, list[str]] = {}
    for concept in graph.subjects(SKOS.inScheme, scheme):
        for broader in graph.objects(concept, SKOS.broader):
            narrower.setdefault(str(broader), []).append(str(concept))
    tops = sorted(str(c) for c in graph.objects(scheme, SKOS.hasTopConcept))
    if not tops:
        raise OntologyError(f"{term.curie}: a concept scheme without skos:hasTopConcept")
    # the schemes' own order is the order of their top concepts in the file; rdflib does not
    # keep it, so concepts are listed by IRI
    concepts = tuple(_tree(graph, URIRef(top), prefixes, narrower, {}) for top in tops)
    used_by = tuple(sorted(
        p.term.iri for p in properties
        if any(term.curie in text for text in p.term.definitions.values())
    ))
    return SchemeDoc(term, concepts, used_by)


def build_document(graph: Graph) -> VocabularyDocument:
    """The vocabulary page's content, from the ontology graph."""
    prefixes = prefixes_of(graph)
    terms = _terms(graph, prefixes)
    ontology_node = URIRef(ONTOLOGY_IRI)
    if (ontology_node, RDF.type, OWL.Ontology) not in graph:
        raise OntologyError(f"{ONTOLOGY_IRI}: not declared an owl:Ontology")
    ontology = Term(
        iri=ONTOLOGY_IRI, curie="jllm:", kind="ontology",
        labels=_texts(graph, ontology_node, URIRef("http://purl.org/dc/terms/title")),
        definitions=_texts(graph, ontology_node, URIRef("http://purl.org/dc/terms/description")),
        scope_notes={}, defined_by=None,
    )
    version = graph.value(ontology_node, OWL.versionInfo)

    jllm_terms = sorted((t for t in terms.values() if t.is_jllm), key=lambda t: t.iri)
    properties = tuple(_property_doc(graph, t) for t in jllm_terms if t.kind in PROPERTY_KINDS)
    # the jllm classes, and the reused classes that jllm properties describe (prov:Derivation,
    # the qualified node of a lineage edge)
    described = {iri for p in properties if p.term.kind != "annotation-property"
                 for iri in p.domain}
    class_terms = [t for t in jllm_terms if t.kind == "class"] + sorted(
        (t for t in terms.values()
         if t.kind == "class" and not t.is_jllm and t.defined_by and t.iri in described),
        key=lambda t: t.curie,
    )
    # the most connected classes first (jllm:Model leads), so the page starts where a reader
    # of the graph starts
    class_terms.sort(key=lambda t: (-sum(t.iri in p.domain or t.iri in p.range
                                         for p in properties), t.iri))
    classes = []
    for term in class_terms:
        node = URIRef(term.iri)
        example = graph.value(node, EXAMPLE_QUERY)
        classes.append(ClassDoc(
            term=term,
            super_classes=_sorted_iris(graph.objects(node, RDFS.subClassOf)),
            sub_classes=_sorted_iris(graph.subjects(RDFS.subClassOf, node)),
            properties=tuple(p for p in properties if term.iri in p.domain),
            used_by=tuple(p for p in properties if term.iri in p.range),
            example_query=str(example) if example is not None else None,
        ))
    reused = tuple(sorted(
        (t for t in terms.values() if not t.is_jllm and t.defined_by is not None),
        key=lambda t: t.curie,
    ))
    schemes = tuple(
        _scheme_doc(graph, t, prefixes, properties)
        for t in jllm_terms if t.kind == "scheme"
    )
    return VocabularyDocument(
        ontology=ontology,
        version=str(version) if version is not None else None,
        classes=tuple(classes),
        properties=properties,
        derivation_tree=property_tree(graph, PROV.wasDerivedFrom, prefixes),
        training_data_tree=property_tree(graph, JLLM.trainedOn, prefixes),
        reused=reused,
        schemes=schemes,
        prefixes=prefixes,
        terms=terms,
    )


@cache
def packaged_document() -> VocabularyDocument:
    """The document of the packaged ontology, built once per process (the page reads it)."""
    return build_document(load_ontology())


def example_queries(graph: Graph) -> dict[str, str]:
    """Every ``jllm:exampleQuery``, by the IRI of the class it illustrates."""
    return {str(s): str(o) for s, o in graph.subject_objects(EXAMPLE_QUERY)}


# -- JSON-LD context ------------------------------------------------------------------------


def _term_definition(graph: Graph, term: Term, prefixes: Mapping[str, str]) -> Any:
    """A context entry: the CURIE, typed ``@id`` for an object property and coerced to the
    datatype of a datatype property with a single non-string range. Nothing beyond what the
    ontology states (a schema.org property typed only rdf:Property gets no coercion)."""
    if term.kind == "object-property":
        return {"@id": term.curie, "@type": "@id"}
    if term.kind in ("datatype-property", "annotation-property"):
        ranges = _members(graph, graph.value(URIRef(term.iri), RDFS.range))
        if term.kind == "annotation-property" and ranges == (str(RDF.Property),):
            return {"@id": term.curie, "@type": "@id"}
        if len(ranges) == 1 and ranges[0] not in _PLAIN_DATATYPES and (
            URIRef(ranges[0]), RDF.type, OWL.Class) not in graph and (
            ranges[0].startswith("http://www.w3.org/2001/XMLSchema#")
        ):
            return {"@id": term.curie, "@type": curie(ranges[0], prefixes)}
    return term.curie


def json_ld_context(graph: Graph) -> dict[str, Any]:
    """The JSON-LD context of the vocabulary: its prefixes, then one short key per term.

    A jllm term's key is its local name (``huggingFaceId``, ``Model``); a reused term's is its
    local name too unless two terms would share it (``dcterms:description`` and
    ``schema:description`` stay CURIEs). Concepts keep their CURIEs (``jllm:TextGeneration``).
    """
    prefixes = prefixes_of(graph)
    terms = _terms(graph, prefixes)
    wanted = [t for t in terms.values()
              if t.kind not in ("concept", "scheme") and (t.is_jllm or t.defined_by)]
    keys: dict[str, list[Term]] = {}
    for term in wanted:
        keys.setdefault(term.curie.split(":", 1)[1], []).append(term)
    context: dict[str, Any] = dict(sorted(prefixes.items()))
    for key in sorted(keys):
        candidates = keys[key]
        jllm_terms = [t for t in candidates if t.is_jllm]
        if len(jllm_terms) > 1:
            raise OntologyError(f"two jllm terms with the local name {key!r}")
        chosen = jllm_terms or (candidates if len(candidates) == 1 else [])
        if not chosen:
            continue
        if key in context:
            raise OntologyError(f"the key {key!r} is both a prefix and a term")
        context[key] = _term_definition(graph, chosen[0], prefixes)
    return {"@context": context}


@cache
def packaged_context() -> dict[str, Any]:
    """The packaged context (``ontology/jllm.context.json``), read once per process."""
    loaded: dict[str, Any] = json.loads(
        (ontology_dir() / CONTEXT_FILE_NAME).read_text(encoding="utf-8"))
    return loaded


def compact_json_ld(ntriples: bytes, context: Mapping[str, Any]) -> bytes:
    """N-Triples as compacted JSON-LD: the ``@context`` inline (no fetch needed to read it)
    and the context's short keys (``huggingFaceId``, ``wasDerivedFrom``) instead of full IRIs.

    >>> triple = (b'<https://w3id.org/jllm-kg/id/model/x> '
    ...           b'<https://w3id.org/jllm-kg/ontology#huggingFaceId> "org/x" .')
    >>> json.loads(compact_json_ld(triple, packaged_context()))["huggingFaceId"]
    'org/x'
    """
    graph = Graph(bind_namespaces="none").parse(data=ntriples, format="nt")
    text = graph.serialize(format="json-ld", context=dict(context["@context"]),
                           auto_compact=True)
    return text.encode("utf-8")


def context_text(graph: Graph) -> str:
    """The context as the packaged file holds it (stable order, UTF-8, final newline)."""
    return json.dumps(json_ld_context(graph), ensure_ascii=False, indent=2) + "\n"


def main(argv: Sequence[str] | None = None) -> int:
    args = list(sys.argv[1:] if argv is None else argv)
    if args != ["context"]:
        print("usage: python -m jllm_kg.vocabulary_doc context", file=sys.stderr)
        return 2
    sys.stdout.write(context_text(load_ontology()))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
