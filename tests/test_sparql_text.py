"""The SPARQL text check against the real parser, at every kind of token boundary.

The oracle is Oxigraph itself: a generated query is run on a small in-memory store in this
process, with its SERVICE endpoint pointing at a listener on a loopback port; a connection
there means Oxigraph read the keyword ``SERVICE``. The property: whenever Oxigraph connects,
:func:`analyze_query` said ``uses_service``. Queries are built from a token before
``SERVICE`` (every terminal of the grammar, escapes included), a separator (none, spaces,
dots, comments), ``SERVICE`` in any case, optionally ``SILENT``, and an endpoint written as an
IRI or a prefixed name — glued together in every combination, which is where a tokenizer that
disagrees with the parser lets a query through.
"""

from __future__ import annotations

import contextlib
import time
from collections.abc import Iterator

import pyoxigraph as ox
import pytest
from hypothesis import HealthCheck, event, given, settings
from hypothesis import strategies as st

from jllm_kg.sparql_text import analyze_query, exposed_text, tokens

from .serve.listener import Listener

SETTINGS = settings(max_examples=400, deadline=None, database=None,
                    suppress_health_check=[HealthCheck.function_scoped_fixture])

# Object terms: each kind of terminal that can stand right before a graph pattern.
OBJECTS = [
    "?o", "$o", "?o1", "?_o", "<urn:x:o>", "<urn:x:\\u0041>", "<urn:x:o#frag>",
    "ex:o", "ex:", "ex:a.b", "ex:a.b.c", "ex:a\\#b", "ex:a\\.b", "ex:%41", "ex:a:b", "ex:1",
    "ex:a-b", "ex:a\\#", "ex:a_", "e.x:o", "ex:a·b", "例:名",
    '"x"', "'x'", '"""x"""', "'''x'''", '"a\\"b"', "'a\\'b'", '"x\\u0022"', '"""a""b"""',
    "'''a''b'''", '"x"@en', '"x"@en-GB', '"x"^^ex:t', '"x"^^<urn:x:t>', '"#"', "'#'",
    "1", "1.0", "7000000000.0", ".5", "1e5", "1.5E-3", "-1", "+1.0", "0.", "1E+2",
    "true", "false", "TRUE", "_:b", "_:b.c", "_:b1", "[]", "[ ]", "()",
]
SEPARATORS = ["", " ", "\t", "\n", "\r\n", ".", " .", ". ", " . ", "#c\n", "# SERVICE\n",
              "#\n", ";", " ;", "\n#x\n."]
ENDPOINTS = ["<{url}>", ":", ":x", "svc:", "svc:x", "?ep"]


def spelled(word: str) -> st.SearchStrategy[str]:
    """``word`` in any mix of upper and lower case."""
    cases = st.lists(st.booleans(), min_size=len(word), max_size=len(word))
    return cases.map(lambda upper: "".join(
        c.upper() if u else c.lower() for c, u in zip(word, upper, strict=True)))


@st.composite
def service_queries(draw: st.DrawFn) -> tuple[str, str]:
    """A query whose pattern (often ending with an object term) is glued to a SERVICE
    pattern; and the object term."""
    term = draw(st.sampled_from(OBJECTS))
    lead = draw(st.sampled_from([f"?s ?p {term}", f"?s ?p {term}", "BIND(1 AS ?z)",
                                 "FILTER(true)", "{ ?s ?p ?o }", "VALUES ?v { 1 }",
                                 "OPTIONAL { ?s ?p ?o }", "MINUS { ?a ?b ?c }"]))
    before = draw(st.sampled_from(SEPARATORS))
    keyword = draw(spelled("service"))
    if draw(st.booleans()):
        keyword += draw(st.sampled_from([*SEPARATORS[:5], "#c\n"])) + draw(spelled("silent"))
    after = draw(st.sampled_from([*SEPARATORS[:5], "#c\n", "#SERVICE\n"]))
    endpoint = draw(st.sampled_from(ENDPOINTS))
    body = draw(st.sampled_from(["{}", "{ }", "{?a ?b ?c}", "{ BIND(1 AS ?q) }"]))
    query = (f"PREFIX ex: <urn:x:> PREFIX : <{{url}}> PREFIX svc: <{{url}}> "
             f"SELECT * WHERE {{ BIND(<{{url}}> AS ?ep) {lead}{before}{keyword}{after}"
             f"{endpoint}{body} }}")
    return query, term


class Oracle:
    """Runs a query on a store where ``?s ?p <term>`` matches; counts connections."""

    def __init__(self, listener: Listener) -> None:
        self.listener = listener

    def connects(self, query: str, term: str) -> bool:
        store = ox.Store()
        store.add(ox.Quad(ox.NamedNode("urn:x:s"), ox.NamedNode("urn:x:p"),
                          ox.NamedNode("urn:x:o")))
        prologue = query[:query.index("SELECT")]
        # The term as an object, so that the pattern before SERVICE has a solution.
        with contextlib.suppress(SyntaxError, ValueError, OSError):
            store.update(f"{prologue} INSERT DATA {{ <urn:x:s> <urn:x:p> {term} }}")
        before = self.listener.connections()
        try:
            result = store.query(query)
            if isinstance(result, ox.QuerySolutions):
                list(result)
        except (SyntaxError, OSError, ValueError, RuntimeError):
            pass
        return self.listener.connections() > before


@pytest.fixture(scope="module")
def oracle() -> Iterator[Oracle]:
    with Listener() as listener:
        yield Oracle(listener)


# -- the cases, and the oracle itself ------------------------------------------------


@pytest.mark.parametrize("glued", [
    "BIND(1 AS ?z) .SERVICE <{url}> {}",          # right after a dot
    "BIND(7000000000.0 AS ?z) ?s ?p ?o SERVICE <{url}> {}",
    "?s ?p ex:a\\#b SERVICE <{url}> {}",          # after an escaped # on the same line
    "?s ?p ?o SERVICE:x {}",                      # a prefix that is not declared backtracks
    "?s ?p ?o service:x {}",                      # even a declared one, before a group
    "{ ?s ?p ?o }SERVICE<{url}>{}",               # right after a closing brace
])
def test_the_reported_spellings_reach_the_network_and_are_refused(oracle: Oracle,
                                                                   glued: str) -> None:
    query = ("PREFIX ex: <urn:x:> PREFIX : <{url}> PREFIX service: <urn:x:> "
             "SELECT * WHERE { " + glued + " }").replace("{url}", oracle.listener.url)
    assert oracle.connects(query, "<urn:x:o>"), "the oracle must see the attack work"
    assert analyze_query(query).uses_service


# -- properties ---------------------------------------------------------------------------------


@SETTINGS
@given(service_queries())
def test_whenever_oxigraph_calls_out_the_text_check_saw_service(
    oracle: Oracle, generated: tuple[str, str]
) -> None:
    template, term = generated
    query = template.replace("{url}", oracle.listener.url)
    reached = oracle.connects(query, term)
    event(f"oxigraph connected: {reached}")
    if reached:
        assert analyze_query(query).uses_service, query


# A token with arbitrary content, then a '#' and SERVICE on the same line: wherever the check
# took the '#' for a comment that Oxigraph does not, it would hide the keyword.
CONTAINERS = [
    "BIND(<urn:x:a{c}b#> AS ?q) SERVICE <{url}> {{}}",
    'BIND("a{c}b#" AS ?q) SERVICE <{url}> {{}}',
    "BIND('a{c}b#' AS ?q) SERVICE <{url}> {{}}",
    'BIND("""a{c}b#""" AS ?q) SERVICE <{url}> {{}}',
    "BIND(ex:a{c}b#> AS ?q) SERVICE <{url}> {{}}",
    "BIND(ex:a\\{c}#> AS ?q) SERVICE <{url}> {{}}",
    "BIND(1 AS ?q{c}#) SERVICE <{url}> {{}}",
    "BIND(1 AS ?q) {c}SERVICE <{url}> {{}}",
    "BIND(1 AS ?q) {c}# x\nSERVICE <{url}> {{}}",
    "BIND(\"x\"@e{c}n AS ?q) SERVICE <{url}> {{}}",
]


@SETTINGS
@given(container=st.sampled_from(CONTAINERS),
       content=st.text(st.characters(codec="utf-8", exclude_characters="{}"), max_size=3))
def test_no_content_of_a_token_hides_a_service_that_oxigraph_reads(
    oracle: Oracle, container: str, content: str
) -> None:
    query = "PREFIX ex: <urn:x:> SELECT * WHERE { " + container.format(
        c=content, url=oracle.listener.url) + " }"
    reached = oracle.connects(query, "<urn:x:o>")
    event(f"oxigraph connected: {reached}")
    if reached:
        assert analyze_query(query).uses_service, query


HIDING = [
    ('"{w}"', "string"), ("'{w}'", "string"), ('"""a\n{w}"""', "long string"),
    ("'''{w}'''", "long string"), ('"a\\"{w}"', "escaped quote"), ("<urn:x:{w}>", "IRI"),
    ("ex:{w}", "local name"), ("ex:a\\#{w}", "local name after an escape"), ("?{w}", "variable"),
    ("${w}", "variable"), ("_:{w}", "blank node"),
]


@SETTINGS
@given(hider=st.sampled_from(HIDING), word=spelled("service"),
       comment=st.booleans())
def test_service_inside_strings_iris_names_and_comments_is_not_refused(
    oracle: Oracle, hider: tuple[str, str], word: str, comment: bool,
) -> None:
    """No false refusal where the grammar hides the word, and Oxigraph agrees it is valid."""
    template, kind = hider
    term = template.replace("{w}", word)
    query = (f"PREFIX ex: <urn:x:> SELECT * WHERE {{ ?s ?p {term} }}"
             + (f" # {word} <urn:x:y> {{}}" if comment else ""))
    assert not analyze_query(query).uses_service, (kind, query)
    assert not oracle.connects(query, term)
    ox.Store().query(query)  # raises SyntaxError if the generated query is not valid SPARQL


@settings(max_examples=500, deadline=None, database=None)
@given(st.text(alphabet=st.sampled_from(list("SERVICEservice?$_:<>\"'#\\.{}()1 \n@^ex")),
               max_size=60))
def test_tokens_cover_the_text_and_never_hide_a_bare_service(text: str) -> None:
    """Every character belongs to one token; what is exposed is the text or blanks."""
    found = list(tokens(text))
    assert "".join(token.text for token in found) == text
    exposed = exposed_text(text)
    if analyze_query(text).uses_service:
        assert "service" in exposed.lower()
    for token in found:
        if token.kind == "bare":
            assert token.exposed == token.text


@pytest.mark.parametrize("unit", ["例", "a1", "?x ", '"x', "<a", "a:b\\#", "'''a", "_:", "a.",
                                  "1a", "SERVICE"])
def test_analysis_time_is_linear_at_the_longest_query(unit: str) -> None:
    """50 000 characters (the default limit) of one repeated fragment: well under a second on
    an idle machine; trying every position of a run would take minutes."""
    text = (unit * (50_000 // len(unit) + 1))[:50_000]
    started = time.perf_counter()
    analyze_query(text)
    assert time.perf_counter() - started < 5.0
