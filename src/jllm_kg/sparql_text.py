"""What a SPARQL request is, read from its tokens before anything executes it.

pyoxigraph exposes no query algebra, and executing a query is exactly what must not happen
before it is checked (``SERVICE`` makes real outbound HTTP requests). So the text is split into
tokens by the terminal rules of the SPARQL grammar as Oxigraph's parser (spargebra) writes
them: comments, strings (short and long, with their escapes), IRIs, variables, blank node
labels and prefixed names (with escapes such as ``\\#``, and Oxigraph's single run of dots
inside a local name).

Oxigraph's parser is a PEG: keywords need no boundary (``}SERVICE<…>``, ``.SERVICE``,
``1.0SERVICE``), and a rule that fails — a prefixed name whose prefix is not declared, say —
is retried as something else: ``SERVICE:x`` or ``trueSERVICE:x`` can be the keyword
``SERVICE`` before the name ``:x``. So the check trusts only what no backtracking can
reinterpret. Hidden are the contents of comments, strings, IRIs, variable names, blank node
labels and the local part of prefixed names; everything else — bare words, numbers,
punctuation, language tags and the *prefix* of a prefixed name — is searched for ``SERVICE``
anywhere, in any case, whatever stands next to it. Only a prefix being declared
(``PREFIX service: <…>``) is exempt: a declaration can be nothing else.

The check errs on the side of refusing (a prefix named ``service`` is refused where it is
used), and the query workers have no network anyway (:mod:`jllm_kg.serve.isolation`).

>>> analyze_query('SELECT * WHERE { ?s ?p "SERVICE" }').uses_service
False
>>> analyze_query('SELECT * { SERVICE <http://x/sparql> { ?s ?p ?o } }').uses_service
True
>>> analyze_query('SELECT * { BIND(1 AS ?z) .SERVICE <http://x/> {} }').uses_service
True
>>> analyze_query('PREFIX service: <urn:x:> ASK { ?service ?p service:a }').uses_service
True
>>> analyze_query('PREFIX service: <urn:x:> ASK { ?service ?p "service:a" }').uses_service
False
>>> analyze_query('# SERVICE\\nCONSTRUCT WHERE { ?s ?p ?o }').form
'CONSTRUCT'
>>> analyze_query('SELECT * FROM <urn:g> { ?s ?p ?o }').has_dataset_clause
True
>>> analyze_query('INSERT DATA { <urn:a> <urn:b> <urn:c> }').is_update
True
>>> analyze_query('SELECT ?g { GRAPH ?g { ?s ?p "from" } }').reads_named_graphs
True
>>> analyze_query('SELECT ?graph { ?graph ?p "GRAPH" } # FROM').reads_named_graphs
False
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass

# Character classes of the SPARQL 1.1 grammar (productions 164-167).
_PN_CHARS_BASE = (
    "A-Za-z\u00c0-\u00d6\u00d8-\u00f6\u00f8-\u02ff\u0370-\u037d\u037f-\u1fff\u200c-\u200d"
    "\u2070-\u218f\u2c00-\u2fef\u3001-\ud7ff\uf900-\ufdcf\ufdf0-\ufffd\U00010000-\U000effff"
)
_PN_CHARS_U = _PN_CHARS_BASE + "_"
_NAME_EXTRA = "0-9\u00b7\u0300-\u036f\u203f-\u2040"
_PN_CHARS = _PN_CHARS_U + "\\-" + _NAME_EXTRA
_VARNAME = f"[{_PN_CHARS_U}0-9][{_PN_CHARS_U}{_NAME_EXTRA}]*"
_PLX = r"%[0-9A-Fa-f]{2}|\\[_~.\-!$&'()*+,;=/?#@%]"
_PN_PREFIX = f"[{_PN_CHARS_BASE}][{_PN_CHARS}]*(?:\\.+[{_PN_CHARS}]+)*"
# Oxigraph's PN_LOCAL: at most one run of dots (``ex:a.b.c`` is ``ex:a.b`` then ``.c``).
_PN_LOCAL = (
    f"(?:[{_PN_CHARS_U}:0-9]|{_PLX})(?:[{_PN_CHARS}:]|{_PLX})*"
    f"(?:\\.+(?:[{_PN_CHARS}:]|{_PLX})+)?"
)
_BLANK_LABEL = f"[{_PN_CHARS_U}0-9][{_PN_CHARS}]*(?:\\.+[{_PN_CHARS}]+)*"
_UCHAR = r"\\u[0-9A-Fa-f]{4}|\\U[0-9A-Fa-f]{8}"
_ECHAR = r"""\\[tbnrf"'\\]"""
_Q1, _Q2 = "'", '"'
_STRINGS = "|".join((
    f"{_Q1 * 3}(?:(?:{_Q1}|{_Q1 * 2})?(?:[^{_Q1}\\\\]|{_ECHAR}|{_UCHAR}))*{_Q1 * 3}",
    f"{_Q2 * 3}(?:(?:{_Q2}|{_Q2 * 2})?(?:[^{_Q2}\\\\]|{_ECHAR}|{_UCHAR}))*{_Q2 * 3}",
    f"{_Q1}(?:[^{_Q1}\\\\\\n\\r]|{_ECHAR}|{_UCHAR})*{_Q1}",
    f"{_Q2}(?:[^{_Q2}\\\\\\n\\r]|{_ECHAR}|{_UCHAR})*{_Q2}",
))
# A run of plain characters is one atomic step (no backtracking into it: an escape or the
# closing ``>`` can only follow its end), instead of an alternation tried per character.
_IRI = f"<(?:(?>[^<>\"{{}}|^`\\\\\\x00-\\x20]+)|{_UCHAR})*>"

# The tokens whose content is hidden from the keyword search, and runs of name characters
# (bare). Whatever lies between is bare too: digits, punctuation, white space. Matching from
# left to right, the earliest token wins, as for the parser.
#
# A prefix is matched from the first letter of a run of name characters: it is bare text
# anyway; what matters is where the colon is, after which the local part is the same. A run
# that is no prefix is consumed whole, so that no match is tried inside it: the search stays
# linear in the length of the text.
#
# The lookahead refuses at once a position where no token can start (white space, digits,
# punctuation), where the alternation would try each of its branches in turn.
_TOKEN_START = f"(?=[#'\"<?$_:{_PN_CHARS_BASE}])"
_HIDDEN = re.compile(
    _TOKEN_START + "(?:" + "|".join((
        r"(?P<comment>\#[^\r\n]*)",
        f"(?P<string>{_STRINGS})",
        f"(?P<iri>{_IRI})",
        f"(?P<variable>[?$]{_VARNAME})",
        f"(?P<blank>_:{_BLANK_LABEL})",
        f"(?P<prefixed>(?P<prefix>(?:{_PN_PREFIX})?):(?P<local>{_PN_LOCAL})?)",
        f"(?P<run>[{_PN_CHARS_BASE}][{_PN_CHARS}.]*)",
    )) + ")",
    re.DOTALL,
)
_DECLARABLE = re.compile(f"(?:{_PN_PREFIX})?")
_ENDS_WITH_PREFIX = re.compile(r"(?:^|[^A-Za-z])PREFIX$", re.IGNORECASE)
_WORD = re.compile("[A-Za-z]+")
_SERVICE = re.compile("service", re.IGNORECASE)
_NAMED_GRAPH_ACCESS = re.compile("graph|from", re.IGNORECASE)
"""What could let a query read the named graphs: ``GRAPH`` and ``FROM`` (``FROM NAMED``), found
the way ``SERVICE`` is (anywhere a keyword could be read, declared prefixes included)."""

QUERY_FORMS = frozenset({"SELECT", "ASK", "CONSTRUCT", "DESCRIBE"})
UPDATE_KEYWORDS = frozenset(
    {"INSERT", "DELETE", "LOAD", "CLEAR", "CREATE", "DROP", "COPY", "MOVE", "ADD", "WITH"}
)


@dataclass(frozen=True)
class Token:
    """A hidden token (its kind is a group name of ``_HIDDEN``) or a ``bare`` stretch between."""

    kind: str
    text: str
    exposed: str
    """What of it a PEG parser could still read as keywords (see the module's text)."""


def _pieces(text: str) -> Iterator[tuple[str, str, str]]:
    """``(kind, text, exposed)`` of each hidden token and each bare stretch between them."""
    declaring = False  # the last word was PREFIX: a prefixed name now is being declared
    position = 0
    for match in _HIDDEN.finditer(text):
        kind = match.lastgroup or "comment"
        if kind == "run":  # part of the bare stretch
            continue
        start = match.start()
        if start > position:
            bare = text[position:start]
            yield "bare", bare, bare
            tail = bare.rstrip(" \t\r\n")
            if tail:
                declaring = _ENDS_WITH_PREFIX.search(tail[-7:]) is not None
        position = match.end()
        if kind == "comment":
            yield kind, match.group(), " "
            continue
        if kind == "prefixed":
            declared = (declaring and match.group("local") is None
                        and _DECLARABLE.fullmatch(match.group("prefix")) is not None)
            exposed = " " if declared else match.group("prefix") + ": "
        elif kind == "blank":
            exposed = "_: "
        else:
            exposed = " "
        declaring = False
        yield kind, match.group(), exposed
    if position < len(text):
        yield "bare", text[position:], text[position:]


def tokens(text: str) -> Iterator[Token]:
    """The hidden tokens of ``text`` and the bare stretches between them, in order.

    >>> [(t.kind, t.exposed) for t in tokens("ex:a\\\\#b.c.SERVICE")]
    [('prefixed', 'ex: '), ('bare', '.SERVICE')]
    """
    for kind, token, exposed in _pieces(text):
        yield Token(kind, token, exposed)


def exposed_text(text: str) -> str:
    """``text`` with what no parse can read as keywords replaced by spaces.

    >>> exposed_text('SELECT ?service { ?s ?p "SERVICE" } # SERVICE')
    'SELECT   {       }  '
    """
    return "".join(exposed for _, _, exposed in _pieces(text))


def keywords(text: str) -> list[str]:
    """The bare words of ``text`` in upper case: no strings, IRIs, comments, names or variables.

    >>> keywords("SELECT ?x WHERE { ?x <urn:SERVICE> 'FROM' } # LIMIT")
    ['SELECT', 'WHERE']
    """
    return [word.upper() for kind, token, _ in _pieces(text) if kind == "bare"
            for word in _WORD.findall(token)]


@dataclass(frozen=True)
class QueryInfo:
    """The facts about a request's text that the endpoint needs before executing it."""

    form: str | None
    """``SELECT``, ``ASK``, ``CONSTRUCT``, ``DESCRIBE``, or ``None`` when no form is found."""
    uses_service: bool
    """Whether any reading of the text could hold the keyword ``SERVICE``."""
    has_dataset_clause: bool
    is_update: bool
    nesting: int = 0
    reads_named_graphs: bool = True
    """Whether any reading of the text could hold ``GRAPH`` or ``FROM``: without them a query
    sees the default graph only."""
    """How deep groups, parentheses and brackets nest (see :func:`nesting_depth`)."""

    @property
    def is_graph_form(self) -> bool:
        """Whether the result is an RDF graph (CONSTRUCT / DESCRIBE) rather than solutions."""
        return self.form in {"CONSTRUCT", "DESCRIBE"}


def analyze_query(text: str) -> QueryInfo:
    """Tokenize ``text`` and report its form, ``SERVICE`` use, ``FROM`` clauses and updates."""
    exposed: list[str] = []
    bare: list[str] = []
    for kind, token, seen in _pieces(text):
        exposed.append(seen)
        if kind == "bare":
            bare.append(token)
    # the bare stretches, apart: no word and no bracket spans two of them
    bare_text = " ".join(bare)
    words = _WORD.findall(bare_text.upper())
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
    exposed_text = "".join(exposed)
    return QueryInfo(
        form=form,
        uses_service=_SERVICE.search(exposed_text) is not None,
        has_dataset_clause="FROM" in words,
        is_update=is_update,
        nesting=_nesting((bare_text,)),
        reads_named_graphs=_NAMED_GRAPH_ACCESS.search(exposed_text) is not None,
    )


_BRACKET = re.compile(r"[{}()\[\]]")


def nesting_depth(text: str) -> int:
    """How deep ``{ }``, ``( )`` and ``[ ]`` nest in ``text``, counted on its tokens: brackets
    inside strings, IRIs and comments do not count.

    Oxigraph parses and evaluates a query recursively: a deep enough nesting overflows a worker's
    stack (a segfault), and a deep collection ``((( … )))`` takes a time cubic in its depth to
    parse, so the endpoint refuses a query nested deeper than a limit before executing it.

    >>> nesting_depth('SELECT * { { ?s ?p "{{{" } FILTER((1)) } # (((')
    3
    """
    return _nesting(token for kind, token, _ in _pieces(text) if kind == "bare")


def _nesting(bare: Iterable[str]) -> int:
    depth = deepest = 0
    for token in bare:
        for bracket in _BRACKET.findall(token):
            if bracket in "{([":
                depth += 1
                deepest = max(deepest, depth)
            else:
                depth = max(0, depth - 1)
    return deepest


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
