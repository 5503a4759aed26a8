"""The knowledge graph from Python (notebooks, scripts): ``jllm_kg.open()``.

:func:`open_graph` loads the packaged graph (or given RDF files) into an in-memory pyoxigraph
store whose default graph is the RDF merge of all named graphs, as on the endpoint, so that a
query gives here the answer the endpoint gives. :meth:`KnowledgeGraph.query` returns rows as
plain dicts, ready for ``pandas.DataFrame(rows)`` or a loop; the store itself is
:attr:`KnowledgeGraph.store` for anything else (CONSTRUCT, GRAPH patterns, dumps).

>>> kg = open_graph()
>>> rows = kg.query('''
...     SELECT ?label WHERE {
...       ?m jllm:huggingFaceId "tokyotech-llm/Llama-3-Swallow-70B-Instruct-v0.1" ;
...          rdfs:label ?label
...     } ORDER BY ?label LIMIT 1''')
>>> rows
[{'label': 'Llama-3-Swallow-70B-Instruct-v0.1'}]
>>> kg.ask("ASK { ?m a jllm:Model }")
True
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping, Sequence
from pathlib import Path
from typing import Any

import pyoxigraph as ox

from jllm_kg.store import build_store, merge_into_default_graph
from jllm_kg.vocab import PREFIXES

Term = ox.NamedNode | ox.BlankNode | ox.Literal | ox.Triple
Substitutions = Mapping[str | ox.Variable, Term]
"""Values for query variables, by name or :class:`pyoxigraph.Variable`."""
Row = dict[str, Any]
_XSD_STRING = ox.NamedNode("http://www.w3.org/2001/XMLSchema#string")
"""One solution: variable name → value (unbound variables are absent)."""


class GraphQueryError(ValueError):
    """A query that does not parse, or whose form does not fit the method called."""


def python_value(term: Term) -> Any:
    """A plain Python value for an RDF term: an IRI or blank node as its string (``_:id`` for a
    blank node), a literal as the Python value of its datatype (``int``, ``Decimal``, ``float``,
    ``bool``, ``datetime.date``…) by rdflib's mapping, or its text when it has none (strings,
    language-tagged strings, ``xsd:gYear``).

    >>> python_value(ox.Literal("42", datatype=ox.NamedNode("http://www.w3.org/2001/XMLSchema#integer")))
    42
    >>> python_value(ox.Literal("大規模言語モデル", language="ja"))
    '大規模言語モデル'
    >>> python_value(ox.NamedNode("https://w3id.org/jllm-kg/ontology#Model"))
    'https://w3id.org/jllm-kg/ontology#Model'
    """
    if isinstance(term, ox.NamedNode):
        return term.value
    if isinstance(term, ox.BlankNode):
        return f"_:{term.value}"
    if isinstance(term, ox.Triple):
        return term
    if term.language is not None or term.datatype == _XSD_STRING:
        return term.value  # the most common literals, without rdflib's conversion machinery
    import rdflib  # only a query with typed literals pays for rdflib's import

    value = rdflib.Literal(term.value, datatype=term.datatype.value).toPython()
    return str(value) if isinstance(value, rdflib.Literal) else value


class KnowledgeGraph:
    """The graph in a pyoxigraph store; the default graph is the merge of all named graphs.

    Queries may use the prefixes of the vocabulary (``jllm:``, ``prov:``, ``rdfs:``, ``skos:``,
    ``schema:``…) without declaring them; a query's own ``FROM`` clauses choose its dataset.
    """

    def __init__(self, store: ox.Store) -> None:
        self.store = store
        """The pyoxigraph store (named graphs per source plus their merge as default graph)."""

    def __len__(self) -> int:
        return len(self.store)

    def _run(
        self,
        query: str,
        base_iri: str | None,
        prefixes: Mapping[str, str] | None,
        substitutions: Substitutions | None,
    ) -> ox.QuerySolutions | ox.QueryBoolean | ox.QueryTriples:
        try:
            return self.store.query(
                query,
                base_iri=base_iri,
                prefixes={**PREFIXES, **(prefixes or {})},
                substitutions={
                    ox.Variable(name) if isinstance(name, str) else name: term
                    for name, term in (substitutions or {}).items()
                },
            )
        except SyntaxError as error:
            raise GraphQueryError(f"malformed query: {error}") from error
        except RuntimeError as error:  # e.g. a substitution for a variable the query lacks
            raise GraphQueryError(f"query failed: {error}") from error

    def rows(
        self,
        query: str,
        *,
        base_iri: str | None = None,
        prefixes: Mapping[str, str] | None = None,
        substitutions: Substitutions | None = None,
        terms: bool = False,
    ) -> Iterator[Row]:
        """The solutions of a ``SELECT`` query one by one, as dicts (see :meth:`query`)."""
        solutions = self._run(query, base_iri, prefixes, substitutions)
        if not isinstance(solutions, ox.QuerySolutions):
            raise GraphQueryError(
                "query() and rows() answer SELECT queries; use ask() for ASK and "
                ".store.query() for CONSTRUCT / DESCRIBE"
            )
        names = [variable.value for variable in solutions.variables]
        for solution in solutions:
            row: Row = {}
            for name in names:
                term = solution[name]
                if term is not None:
                    row[name] = term if terms else python_value(term)
            yield row

    def query(
        self,
        query: str,
        *,
        base_iri: str | None = None,
        prefixes: Mapping[str, str] | None = None,
        substitutions: Substitutions | None = None,
        terms: bool = False,
    ) -> list[Row]:
        """The solutions of a ``SELECT`` query as a list of dicts, variable name → value.

        - ``prefixes``: more prefixes (beyond the vocabulary's) usable without declaration;
        - ``substitutions``: values for variables, fixed before the query runs (as in
          pyoxigraph, but a variable may be given by its name), e.g. ``{"m": ox.NamedNode(iri)}``;
        - ``terms``: keep the pyoxigraph terms (``Literal`` with its language and datatype)
          instead of plain Python values (:func:`python_value`);
        - ``base_iri``: resolves relative IRIs in the query.

        Raises :class:`GraphQueryError` for a malformed query or a non-``SELECT`` one.

        >>> kg = open_graph()
        >>> kg.query("SELECT (COUNT(*) AS ?n) WHERE { ?m a jllm:Model }")[0]["n"] > 100
        True
        >>> swallow = ox.NamedNode("https://w3id.org/jllm-kg/id/model/tokyotech-llm--Llama-3-Swallow-70B-v0.1")
        >>> rows = kg.query("SELECT * WHERE { ?m prov:wasDerivedFrom ?parent }",
        ...                 substitutions={"m": swallow})
        >>> [row["parent"] for row in rows]
        ['https://w3id.org/jllm-kg/id/model/meta-llama--Meta-Llama-3-70B']
        """
        return list(self.rows(query, base_iri=base_iri, prefixes=prefixes,
                              substitutions=substitutions, terms=terms))

    def ask(
        self,
        query: str,
        *,
        base_iri: str | None = None,
        prefixes: Mapping[str, str] | None = None,
        substitutions: Substitutions | None = None,
    ) -> bool:
        """The answer of an ``ASK`` query."""
        answer = self._run(query, base_iri, prefixes, substitutions)
        if not isinstance(answer, ox.QueryBoolean):
            raise GraphQueryError("ask() answers ASK queries; use query() for SELECT")
        return bool(answer)


def open_graph(data_paths: Sequence[Path | str] | None = None) -> KnowledgeGraph:
    """The packaged graph (ontology plus ``data/``), or the RDF files / folders ``data_paths``
    plus the ontology, in memory, with the merge of all graphs as default graph.

    Raises :class:`jllm_kg.store.StoreLoadError` naming a missing or malformed file.
    """
    paths = [Path(path) for path in data_paths] if data_paths is not None else None
    store = build_store(data_paths=paths)
    merge_into_default_graph(store)
    return KnowledgeGraph(store)
