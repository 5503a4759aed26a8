"""What a SPARQL request is, read from its tokens before anything executes it.

pyoxigraph exposes no query algebra, and executing a query is exactly what must not happen
before it is checked (``SERVICE`` makes real outbound HTTP requests). So the text is tokenized
the way the SPARQL grammar does it — comments, strings (short and long), IRIs, variables and
prefixed names are recognised as whole tokens — and only bare keywords are inspected. A word
``SERVICE`` inside a string, an IRI, a comment, a variable name (``?service``) or a prefixed
name (``service:x``, ``ex:service``) is therefore not the keyword.

The check errs on the side of refusing: a query that is malformed enough to confuse the
tokenizer would be refused by the parser anyway.

>>> analyze_query('SELECT * WHERE { ?s ?p "SERVICE" }').uses_service
False
>>> analyze_query('SELECT * { SERVICE <http://x/sparql> { ?s ?p ?o } }').uses_service
True
>>> analyze_query('PREFIX service: <urn:x:> ASK { service:a ?p ?service }').uses_service
False
>>> analyze_query('# SERVICE\\nCONSTRUCT WHERE { ?s ?p ?o }').form
'CONSTRUCT'
>>> analyze_query('SELECT * FROM <urn:g> { ?s ?p ?o }').has_dataset_clause
True
>>> analyze_query('INSERT DATA { <urn:a> <urn:b> <urn:c> }').is_update
True
"""

from __future__ import annotations

import re
from dataclasses import dataclass

# Tokens whose content is not SPARQL keywords: comments, strings (long first) and IRIs. They
# are blanked out first; what remains is keywords, names, variables and punctuation.
_HIDDEN = re.compile(
    r"""
    \#[^\n\r]*
  | \"\"\"(?:[^"\\]|\\.|"(?!""))*\"\"\"
  | '''(?:[^'\\]|\\.|'(?!''))*'''
  | "(?:[^"\\\n\r]|\\.)*"
  | '(?:[^'\\\n\r]|\\.)*'
  | <[^<>"{}|^`\\\x00-\x20]*>
    """,
    re.VERBOSE | re.DOTALL,
)
# A bare word: not part of a variable (?x, $x), a prefixed name (p:x, x:y) or a longer name.
_WORD = re.compile(r"(?<![\w?$:.\-\u00B7])[A-Za-z][\w\-]*(?![\w:\-])")

QUERY_FORMS = frozenset({"SELECT", "ASK", "CONSTRUCT", "DESCRIBE"})
UPDATE_KEYWORDS = frozenset(
    {"INSERT", "DELETE", "LOAD", "CLEAR", "CREATE", "DROP", "COPY", "MOVE", "ADD", "WITH"}
)


@dataclass(frozen=True)
class QueryInfo:
    """The facts about a request's text that the endpoint needs before executing it."""

    form: str | None
    """``SELECT``, ``ASK``, ``CONSTRUCT``, ``DESCRIBE``, or ``None`` when no form is found."""
    uses_service: bool
    has_dataset_clause: bool
    is_update: bool

    @property
    def is_graph_form(self) -> bool:
        """Whether the result is an RDF graph (CONSTRUCT / DESCRIBE) rather than solutions."""
        return self.form in {"CONSTRUCT", "DESCRIBE"}


def keywords(text: str) -> list[str]:
    """The bare words of ``text`` in upper case: no strings, IRIs, comments, names or variables.

    >>> keywords("SELECT ?x WHERE { ?x <urn:SERVICE> 'FROM' } # LIMIT")
    ['SELECT', 'WHERE']
    """
    return [word.upper() for word in _WORD.findall(_HIDDEN.sub(" ", text))]


def analyze_query(text: str) -> QueryInfo:
    """Tokenize ``text`` and report its form, ``SERVICE`` use, ``FROM`` clauses and updates."""
    words = keywords(text)
    form: str | None = None
    is_update = False
    for word in words:
        if word in {"PREFIX", "BASE"}:
            continue
        if word in QUERY_FORMS:
            form = word
            break
        if word in UPDATE_KEYWORDS:
            is_update = True
            break
    return QueryInfo(
        form=form,
        uses_service="SERVICE" in words,
        has_dataset_clause="FROM" in words,
        is_update=is_update,
    )


def sparql_string(value: str) -> str:
    """``value`` as a SPARQL string literal, safe to splice into a query.

    >>> sparql_string('a "b" \\\\ c')
    '"a \\\\"b\\\\" \\\\\\\\ c"'
    """
    escaped = (
        value.replace("\\", "\\\\")
        .replace('"', '\\"')
        .replace("\n", "\\n")
        .replace("\r", "\\r")
    )
    return f'"{escaped}"'


_IRI_FORBIDDEN = re.compile(r'[<>"{}|^`\\\x00-\x20]')


def sparql_iri(value: str) -> str:
    """``<value>`` for splicing an IRI into a query; raises ``ValueError`` if it cannot be one.

    >>> sparql_iri("https://w3id.org/jllm-kg/id/model/x")
    '<https://w3id.org/jllm-kg/id/model/x>'
    """
    if not value or _IRI_FORBIDDEN.search(value):
        raise ValueError(f"not a valid IRI: {value!r}")
    return f"<{value}>"
