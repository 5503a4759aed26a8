"""Content negotiation: which serialization answers a request.

Formats have short names (the ``format=`` parameter) and media types (the ``Accept`` header).
``Accept`` is matched per RFC 9110: q-values, ``type/*`` and ``*/*`` wildcards, the most
specific range deciding the quality of an offer; among equally acceptable offers the server's
order (its preferred format first) wins. An ``Accept`` header that matches nothing is a 406,
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

from dataclasses import dataclass


@dataclass(frozen=True)
class Format:
    """One serialization: its short name, its canonical media type and accepted aliases."""

    name: str
    media_type: str
    aliases: tuple[str, ...] = ()
    kind: str = "results"
    """``results`` (SELECT/ASK), ``graph`` (CONSTRUCT/DESCRIBE), ``dataset`` or ``html``."""

    @property
    def content_type(self) -> str:
        """The Content-Type header value (text types carry their charset)."""
        if self.media_type.startswith("text/") or self.media_type.endswith(
            ("+json", "+xml", "/json", "/xml", "/trig", "/n-triples", "/n-quads")
        ):
            return f"{self.media_type}; charset=utf-8"
        return self.media_type


JSON = Format("json", "application/sparql-results+json", ("application/json",))
XML = Format("xml", "application/sparql-results+xml", ("application/xml", "text/xml"))
CSV = Format("csv", "text/csv")
TSV = Format("tsv", "text/tab-separated-values")
TURTLE = Format("turtle", "text/turtle", ("application/x-turtle",), kind="graph")
NTRIPLES = Format("ntriples", "application/n-triples", ("text/plain",), kind="graph")
JSONLD = Format("jsonld", "application/ld+json", ("application/json",), kind="graph")
RDFXML = Format("rdfxml", "application/rdf+xml", ("application/xml", "text/xml"), kind="graph")
NQUADS = Format("nquads", "application/n-quads", (), kind="dataset")
TRIG = Format("trig", "application/trig", (), kind="dataset")
HTML = Format("html", "text/html", ("application/xhtml+xml",), kind="html")

RESULT_OFFERS: tuple[Format, ...] = (JSON, XML, CSV, TSV)
"""SELECT / ASK answers, preferred first."""
GRAPH_OFFERS: tuple[Format, ...] = (TURTLE, NTRIPLES, JSONLD, RDFXML, NQUADS, TRIG)
"""CONSTRUCT / DESCRIBE answers and RDF documents; quad formats put the triples in the default
graph (a CONSTRUCT yields triples)."""

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


@dataclass(frozen=True)
class _Range:
    main: str
    sub: str
    q: float
    specificity: int


def parse_accept(header: str) -> list[_Range]:
    """The media ranges of an ``Accept`` header; malformed parts are ignored, not fatal."""
    ranges: list[_Range] = []
    for part in header.split(","):
        pieces = [p.strip() for p in part.split(";")]
        media = pieces[0].lower()
        if "/" not in media:
            continue
        main, _, sub = media.partition("/")
        q = 1.0
        for param in pieces[1:]:
            name, _, val = param.partition("=")
            if name.strip().lower() == "q":
                try:
                    q = max(0.0, min(1.0, float(val.strip())))
                except ValueError:
                    q = 0.0
        if main == "*" and sub != "*":
            continue
        specificity = 0 if main == "*" else (1 if sub == "*" else 2)
        ranges.append(_Range(main, sub, q, specificity))
    return ranges


def _quality(media_type: str, ranges: list[_Range]) -> tuple[float, int]:
    main, _, sub = media_type.partition("/")
    best: _Range | None = None
    for r in ranges:
        if (r.main in ("*", main)) and (r.sub in ("*", sub)) and (
            best is None or r.specificity > best.specificity
        ):
            best = r
    if best is None:
        return 0.0, -1
    return best.q, best.specificity


def negotiate(accept: str | None, offers: tuple[Format, ...]) -> Format | None:
    """The best offer for ``accept``; ``None`` when nothing acceptable is offered (406)."""
    if not accept or not accept.strip():
        return offers[0]
    ranges = parse_accept(accept)
    if not ranges:
        return offers[0]
    best: Format | None = None
    best_key = (0.0, -1)
    for offer in offers:
        # An alias counts only when named explicitly (no wildcard), so that ``*/*`` or
        # ``application/*`` pick the canonical type of the preferred offer, not an alias.
        q, spec = _quality(offer.media_type, ranges)
        for alias in offer.aliases:
            aq, aspec = _quality(alias, ranges)
            if aspec == 2 and (aq, aspec) > (q, spec):
                q, spec = aq, aspec
        if q > 0 and (q, spec) > best_key:
            best, best_key = offer, (q, spec)
    return best


def prefers_html(accept: str | None, offers: tuple[Format, ...]) -> bool:
    """Whether a browser-like ``Accept`` ranks HTML above every machine format offered."""
    if not accept:
        return False
    chosen = negotiate(accept, (HTML, *offers))
    return chosen is HTML and _quality("text/html", parse_accept(accept))[1] == 2
