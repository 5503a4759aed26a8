"""Content negotiation: which serialization answers a request.

Formats have short names (the ``format=`` parameter) and media types (the ``Accept`` header).
``Accept`` is parsed and matched by werkzeug's :class:`~werkzeug.datastructures.MIMEAccept`
(RFC 9110: q-values, ``type/*`` and ``*/*`` wildcards, the most specific range deciding the
quality of an offer); among equally acceptable offers the server's order (its preferred format
first) wins. Media type parameters other than ``q`` (``charset=utf-8`` …) do not prevent a
match. An ``Accept`` header that matches nothing is a 406,
which the caller reports; a missing header means "anything", i.e. the first offer.

>>> negotiate("text/turtle;q=0.5, application/ld+json", GRAPH_OFFERS).name
'jsonld'
>>> negotiate("*/*", RESULT_OFFERS).name
'json'
>>> negotiate("text/*", RESULT_OFFERS).name
'csv'
>>> negotiate("image/png", RESULT_OFFERS) is None
True
"""

from __future__ import annotations

import functools

from werkzeug.datastructures import MIMEAccept
from werkzeug.http import parse_accept_header

from jllm_kg.formats import (
    CSV,
    HTML,
    JSON,
    JSONLD,
    NQUADS,
    NTRIPLES,
    RDFXML,
    RESULT_FORMATS,
    TRIG,
    TSV,
    TURTLE,
    XML,
    Format,
)
from jllm_kg.formats import RDF_FORMATS as GRAPH_OFFERS

RESULT_OFFERS: tuple[Format, ...] = RESULT_FORMATS
"""SELECT / ASK answers, preferred first."""

FORMAT_NAMES: dict[str, Format] = {
    "json": JSON,
    "srj": JSON,
    "xml": XML,
    "srx": XML,
    "csv": CSV,
    "tsv": TSV,
    "ttl": TURTLE,
    "turtle": TURTLE,
    "n3": TURTLE,  # Turtle is N3 (SPARQLWrapper's N3 asks for format=n3)
    "nt": NTRIPLES,
    "ntriples": NTRIPLES,
    "n-triples": NTRIPLES,
    "nq": NQUADS,
    "nquads": NQUADS,
    "n-quads": NQUADS,
    "trig": TRIG,
    "jsonld": JSONLD,
    "json-ld": JSONLD,
    "rdfxml": RDFXML,
    "rdf+xml": RDFXML,
    "rdf": RDFXML,
    "owl": RDFXML,
    "html": HTML,
}
"""``format=`` values (those SPARQLWrapper sends included: ``json-ld``, ``rdf+xml``, ``n3``);
``json`` and ``xml`` mean the JSON/XML flavour that fits the query form."""

_GRAPH_EQUIVALENT = {"json": JSONLD, "srj": JSONLD, "xml": RDFXML, "srx": RDFXML}


class UnknownFormat(ValueError):
    """A ``format=`` value that names no serialization (a 400)."""


def format_parameter(value: str, offers: tuple[Format, ...]) -> Format | None:
    """The offer named by a ``format=`` value (short name or media type), or ``None`` if the
    name is known but not offered here (a 406); raises :class:`UnknownFormat` otherwise."""
    key = value.strip().lower()
    candidates: list[Format] = []
    if key in FORMAT_NAMES:
        candidates.append(FORMAT_NAMES[key])
        if key in _GRAPH_EQUIVALENT:
            candidates.append(_GRAPH_EQUIVALENT[key])
    else:
        media = key.split(";", 1)[0].strip()
        for offer in (*RESULT_OFFERS, *GRAPH_OFFERS, HTML):
            if media == offer.media_type or media in offer.aliases:
                candidates.append(offer)
        if not candidates:
            raise UnknownFormat(
                f"unknown format {value!r}; use one of "
                + ", ".join(sorted(set(FORMAT_NAMES)))
                + " or a media type"
            )
    for candidate in candidates:
        if candidate in offers:
            return candidate
    return None


def parse_accept(header: str | None) -> MIMEAccept:
    """The media ranges of an ``Accept`` header, parameters other than ``q`` dropped.

    Malformed ranges (no ``/``, ``*/subtype``) and ranges with an invalid ``q`` are ignored, not
    fatal; a header with no usable range is an empty ``MIMEAccept`` ("anything").
    """
    ranges = []
    for media, quality in parse_accept_header(header, MIMEAccept):
        main, slash, sub = media.split(";", 1)[0].strip().lower().partition("/")
        if slash and main and sub and not (main == "*" and sub != "*"):
            ranges.append((f"{main}/{sub}", quality))
    return MIMEAccept(ranges)


def negotiate(accept: str | None, offers: tuple[Format, ...]) -> Format | None:
    """The best offer for ``accept``; ``None`` when nothing acceptable is offered (406)."""
    ranges = parse_accept(accept)
    if not ranges:
        return offers[0]
    # An alias counts only when named explicitly (no wildcard), so that ``*/*`` or
    # ``application/*`` pick the canonical type of the preferred offer, not an alias.
    explicit = {media for media, _ in ranges if "*" not in media}
    by_media: dict[str, Format] = {}
    for offer in offers:
        by_media.setdefault(offer.media_type, offer)
    for offer in offers:
        for alias in offer.aliases:
            if alias in explicit:
                by_media.setdefault(alias, offer)
    best = ranges.best_match(by_media)
    return None if best is None else by_media[best]


def prefers_html(accept: str | None, offers: tuple[Format, ...]) -> bool:
    """Whether a browser-like ``Accept`` names ``text/html`` (with a quality above 0) and ranks
    HTML above every machine format offered."""
    if not accept:
        return False
    named = any(media == "text/html" and quality > 0 for media, quality in parse_accept(accept))
    return named and negotiate(accept, (HTML, *offers)) is HTML


# A client sends the same Accept header with every request, and parsing it costs more than a
# point lookup (≈ 90 µs; 400 µs for a browser's): answers are memoized, in a bounded table so
# that varied headers cost only the recomputation. Formats are immutable, hence shareable.
@functools.lru_cache(maxsize=1024)
def choose(format_value: str | None, accept: str | None, offers: tuple[Format, ...], *,
           html: bool = False) -> Format | None:
    """The format of an answer: the ``format=`` value if given, else the best for ``Accept``.

    With ``html``, an HTML page is offered besides ``offers`` (by name, or to a browser that
    ranks ``text/html`` first). ``None`` when nothing acceptable is offered (a 406); raises
    :class:`UnknownFormat` for a ``format=`` value that names nothing (a 400).
    """
    if format_value:
        return format_parameter(format_value, (*offers, HTML) if html else offers)
    if html and prefers_html(accept, offers):
        return HTML
    return negotiate(accept, offers)


__all__ = [
    "CSV", "FORMAT_NAMES", "GRAPH_OFFERS", "HTML", "JSON", "JSONLD", "NQUADS", "NTRIPLES",
    "RDFXML", "RESULT_OFFERS", "TRIG", "TSV", "TURTLE", "XML", "Format", "UnknownFormat",
    "choose", "format_parameter", "negotiate", "prefers_html",
]
