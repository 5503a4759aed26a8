"""The SPARQL 1.1 Protocol endpoint at ``/sparql``, as a plain WSGI application.

This is the hot path of the server, so it is written against WSGI directly (no framework
routing, request objects or templates): parse the parameters, check the query before anything
runs it, negotiate the format, answer from the cache or a worker. Everything else (pages,
VoID, dumps) is the Flask app that :func:`dispatch` falls through to.

Status codes follow the SPARQL 1.1 Protocol: 400 for a malformed query or request (with the
parser's message), 403 for updates and ``SERVICE``, 405 for other methods, 406 for an
unsatisfiable ``Accept``, 413 for a body over the limit, 415 for a wrong content type and 503
when a query is stopped by a limit. Errors are plain text; no stack trace ever leaves.
"""

from __future__ import annotations

import codecs
import logging
import re
from collections.abc import Callable, Iterable
from http import HTTPStatus
from typing import Any
from urllib.parse import parse_qs, quote, urlencode

from pyoxigraph import NamedNode

from jllm_kg.formats import DOCUMENT_FORMATS, JSON, TURTLE, by_name, rdf_syntax
from jllm_kg.serve import conneg
from jllm_kg.serve.config import ServeConfig
from jllm_kg.serve.describe import serialize_triples, service_description
from jllm_kg.serve.pool import QueryStopped
from jllm_kg.serve.service import GraphService
from jllm_kg.serve.worker import QueryRequest, Reply
from jllm_kg.sparql_text import QueryInfo, analyze_query, sparql_iri

log = logging.getLogger(__name__)

StartResponse = Callable[..., Any]
WSGIApp = Callable[[dict[str, Any], StartResponse], Iterable[bytes]]

_READ_ONLY = "this endpoint is read-only: SPARQL Update is not accepted"
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f]")
_CORS = ("Access-Control-Allow-Origin", "*")
USE_POST = ("send a long query with POST, in the body (Content-Type: application/sparql-query, "
            "or a form: application/x-www-form-urlencoded)")
"""What a 414 tells the client to do instead."""


EVERY_ANSWER_HEADERS: tuple[tuple[str, str], ...] = (("X-Content-Type-Options", "nosniff"),)
"""On every answer: error messages echo the request as text, which no browser may sniff into
HTML. ``/sparql`` writes them itself; the pages get them from
:func:`jllm_kg.serve.app.with_security_headers`."""
_NOSNIFF = EVERY_ANSWER_HEADERS[0]
_STATUS_LINES = {status.value: f"{status.value} {status.phrase}" for status in HTTPStatus}


def _status_line(status: int) -> str:
    """``200 OK`` …: the WSGI status line of an HTTP status code."""
    return _STATUS_LINES.get(status) or f"{status} Error"


def url_length(environ: dict[str, Any]) -> int:
    """Characters of the request's URL: path and query string."""
    length = len(environ.get("SCRIPT_NAME", "")) + len(environ.get("PATH_INFO", ""))
    query_string = environ.get("QUERY_STRING", "")
    return length + 1 + len(query_string) if query_string else length


def url_too_long(start_response: StartResponse, length: int, limit: int) -> list[bytes]:
    """The 414 of a URL ``length`` characters long, over ``limit``, with the way out (POST)."""
    return plain_text(start_response, 414, f"the request URL is {length} characters long; "
                      f"the limit is {limit}: {USE_POST}", close=True)


class ClientError(Exception):
    """A request the endpoint refuses, with its HTTP status and a message for the client."""

    def __init__(self, status: int, message: str) -> None:
        super().__init__(message)
        self.status = status
        self.message = message


def check_query(query: str, config: ServeConfig) -> QueryInfo:
    """Refuse before execution: too long, control characters, nested too deep, an update,
    ``SERVICE``."""
    if len(query) > config.max_query_length:
        raise ClientError(400, f"the query is {len(query)} characters long; the limit is "
                          f"{config.max_query_length}")
    if _CONTROL.search(query):
        raise ClientError(400, "the query contains control characters")
    info = analyze_query(query)
    if info.nesting > config.max_nesting:
        raise ClientError(400, f"the query nests {{ }}, ( ) or [ ] {info.nesting} levels deep; "
                          f"the limit is {config.max_nesting}")
    if info.is_update:
        raise ClientError(403, _READ_ONLY)
    if info.uses_service and not config.allow_service:
        raise ClientError(403, "SERVICE (federated query) is disabled on this endpoint: it would "
                          "make the server send requests elsewhere")
    return info


def choose_format(info: QueryInfo, format_value: str | None, accept: str | None,
                  *, allow_html: bool = True) -> conneg.Format:
    """The answer's format: the ``format`` parameter if given, else ``Accept``."""
    offers = conneg.GRAPH_OFFERS if info.is_graph_form else conneg.RESULT_OFFERS
    try:
        chosen = conneg.choose(format_value, accept, offers, html=allow_html)
    except conneg.UnknownFormat as error:
        raise ClientError(400, str(error)) from error
    if chosen is None and format_value:
        raise ClientError(406, f"format {format_value!r} does not fit a "
                          f"{info.form or 'this'} query; available: "
                          + ", ".join(o.name for o in offers))
    if chosen is None:
        raise ClientError(406, f"none of the acceptable media types ({accept}) can carry the "
                          "answer; available: " + ", ".join(o.media_type for o in offers))
    return chosen


def query_request(query: str, info: QueryInfo, chosen: conneg.Format, config: ServeConfig,
                  default_graphs: tuple[str, ...] = (), named_graphs: tuple[str, ...] = (),
                  *, base_iri: str | None = None) -> QueryRequest:
    """The worker request for ``query`` answered in ``chosen``; relative IRIs in the query
    resolve against ``base_iri``."""
    return QueryRequest(
        query,
        result_format=chosen.name if chosen.kind == "results" else JSON.name,
        graph_format=chosen.name if chosen.is_rdf else TURTLE.name,
        union_default_graph=not info.has_dataset_clause,
        default_graphs=default_graphs,
        named_graphs=named_graphs,
        max_result_bytes=config.max_result_bytes,
        base_iri=base_iri,
        default_graph_only=not info.reads_named_graphs,
    )


def dataset_iri(value: str, parameter: str) -> str:
    """``value`` of a ``default-graph-uri`` / ``named-graph-uri`` parameter if it is an absolute
    IRI; else a :class:`ClientError` 400 naming the parameter."""
    try:
        sparql_iri(value)
        return NamedNode(value).value
    except ValueError as error:
        raise ClientError(400, f"{parameter}={value!r} is not an absolute IRI: {error}") from error


def reply_status(reply: Reply) -> tuple[int, str]:
    """HTTP status and message of a failed worker reply."""
    if reply.status == "syntax":
        return 400, f"malformed query: {reply.message}"
    if reply.status in {"too_large", "memory"}:
        return 503, reply.message
    return 500, f"query evaluation failed: {reply.message}"


def _decode(raw: bytes | str, what: str) -> dict[str, list[str]]:
    try:
        text = raw.decode("utf-8") if isinstance(raw, bytes) else raw
        return parse_qs(text, keep_blank_values=True, errors="strict", max_num_fields=1000)
    except (UnicodeDecodeError, ValueError) as error:
        raise ClientError(400, f"cannot read the {what}: {error}") from error


def plain_text(start_response: StartResponse, status: int, message: str,
               headers: list[tuple[str, str]] | None = None, *, close: bool = False
               ) -> list[bytes]:
    """Answer ``status`` with ``message`` as plain text: the endpoint's error style."""
    body = (message.rstrip("\n") + "\n").encode("utf-8")
    out = [("Content-Type", "text/plain; charset=utf-8"), ("Content-Length", str(len(body))),
           _CORS, _NOSNIFF, *(headers or [])]
    if close:
        out.append(("Connection", "close"))
    start_response(_status_line(status), out)
    return [body]


class SparqlProtocol:
    """The ``/sparql`` WSGI application over a :class:`GraphService`."""

    def __init__(self, service: GraphService, config: ServeConfig) -> None:
        self.service = service
        self.config = config

    def __call__(self, environ: dict[str, Any], start_response: StartResponse) -> list[bytes]:
        length = url_length(environ)
        if length > self.config.max_url_length:
            return url_too_long(start_response, length, self.config.max_url_length)
        try:
            return self._handle(environ, start_response)
        except ClientError as error:
            return self._text(start_response, error.status, error.message,
                              close=error.status == 413)
        except QueryStopped as error:
            return self._text(start_response, 503, str(error))
        except Exception:  # never a stack trace to the client
            log.exception("unexpected error in /sparql")
            return self._text(start_response, 500, "internal error")

    _text = staticmethod(plain_text)

    def _handle(self, environ: dict[str, Any], start_response: StartResponse) -> list[bytes]:
        method = environ["REQUEST_METHOD"]
        if method == "OPTIONS":
            start_response(_status_line(204), [
                ("Allow", "GET, HEAD, POST, OPTIONS"), _CORS, _NOSNIFF,
                ("Access-Control-Allow-Methods", "GET, HEAD, POST, OPTIONS"),
                ("Access-Control-Allow-Headers", "Content-Type, Accept, Accept-Language"),
                ("Access-Control-Max-Age", "86400"),
            ])
            return []
        if method not in {"GET", "HEAD", "POST"}:
            return self._text(start_response, 405, f"method {method} is not allowed on /sparql",
                              [("Allow", "GET, HEAD, POST, OPTIONS")])
        query_string = environ.get("QUERY_STRING", "")
        accept = environ.get("HTTP_ACCEPT")
        body = self._read_body(environ) if method == "POST" else b""
        endpoint = endpoint_iri(environ, self.config)
        # The answer is a function of these raw inputs (and of the snapshot, whose change
        # clears the cache), so a repeated request is answered before any parsing.
        key = ("http", method == "POST", environ.get("CONTENT_TYPE", ""), query_string, body,
               accept, endpoint)
        hit = self.service.cache.get(key)
        if hit is not None:
            return self._ok(start_response, method, hit[0], hit[1])
        args = _decode(query_string, "URL parameters")
        if method == "POST":
            params, query_list = self._post_parameters(environ, args, body)
        else:
            if "update" in args:
                raise ClientError(403, _READ_ONLY)
            params = args
            query_list = args.get("query", [])
            if not query_list and "default-graph-uri" not in args \
                    and "named-graph-uri" not in args:
                return self._service_description(environ, start_response, args, accept)
        if len(query_list) != 1:
            raise ClientError(400, "exactly one query is required, got "
                              f"{len(query_list) if query_list else 'none'}")
        query = query_list[0]
        if not query.strip():
            raise ClientError(400, "the query is empty")
        default_graphs = tuple(dataset_iri(graph, "default-graph-uri")
                               for graph in params.get("default-graph-uri", ()))
        named_graphs = tuple(dataset_iri(graph, "named-graph-uri")
                             for graph in params.get("named-graph-uri", ()))
        format_values = params.get("format") or params.get("output")
        format_value = format_values[0] if format_values else None
        info = check_query(query, self.config)
        chosen = choose_format(info, format_value, accept)
        if chosen is conneg.HTML:
            location = environ.get("SCRIPT_NAME", "") + "/query?" + urlencode({"query": query})
            start_response(_status_line(303), [("Location", location), _CORS, ("Vary", "Accept"),
                                               ("Content-Length", "0"), _NOSNIFF])
            return []
        # only the cache above keeps /sparql's answers (the service's own would be a second
        # copy under another key, looked up and filled on every fresh query)
        reply = self.service.run(query_request(
            query, info, chosen, self.config, default_graphs, named_graphs, base_iri=endpoint,
        ), use_cache=False)
        if reply.status != "ok":
            status, message = reply_status(reply)
            return self._text(start_response, status, message)
        self.service.cache.put(key, reply.format_name, reply.body)
        return self._ok(start_response, method, reply.format_name, reply.body)

    @staticmethod
    def _ok(start_response: StartResponse, method: str, format_name: str,
            body: bytes) -> list[bytes]:
        start_response(_status_line(200), [
            ("Content-Type", by_name(format_name).content_type),
            ("Content-Length", str(len(body))), ("Vary", "Accept"), _CORS, _NOSNIFF,
        ])
        return [] if method == "HEAD" else [body]

    def _post_parameters(
        self, environ: dict[str, Any], args: dict[str, list[str]], body: bytes
    ) -> tuple[dict[str, list[str]], list[str]]:
        content_type = environ.get("CONTENT_TYPE", "")
        mimetype, _, rest = content_type.partition(";")
        mimetype = mimetype.strip().lower()
        if not mimetype:
            raise ClientError(400, "a POST needs a Content-Type: application/sparql-query or "
                              "application/x-www-form-urlencoded")
        if mimetype == "application/sparql-update" or "update" in args:
            raise ClientError(403, _READ_ONLY)
        if mimetype not in {"application/x-www-form-urlencoded", "application/sparql-query"}:
            raise ClientError(415, f"unsupported Content-Type {mimetype!r}: use "
                              "application/sparql-query or application/x-www-form-urlencoded")
        if mimetype == "application/x-www-form-urlencoded":
            form = _decode(body, "form body")
            if "update" in form:
                raise ClientError(403, _READ_ONLY)
            merged = {key: list(values) for key, values in form.items()}
            for key, values in args.items():
                merged.setdefault(key, []).extend(values)
            return merged, merged.get("query", [])
        for param in rest.split(";"):
            name, _, value = param.partition("=")
            charset = value.strip().strip('"')
            if name.strip().lower() == "charset" and not _is_utf8(charset):
                # SPARQL 1.1 Protocol 2.1.3: a direct POST carries the query as UTF-8
                raise ClientError(415, f"charset={charset} is not accepted: a query sent as "
                                  "application/sparql-query must be UTF-8")
        try:
            text = body.decode("utf-8")
        except UnicodeDecodeError as error:
            raise ClientError(400, f"the query is not valid UTF-8: {error}") from error
        return args, [text, *args.get("query", [])]

    def _read_body(self, environ: dict[str, Any]) -> bytes:
        limit = self.config.max_body_bytes
        length_text = environ.get("CONTENT_LENGTH") or ""
        stream = environ["wsgi.input"]
        if length_text:
            try:
                length = int(length_text)
            except ValueError as error:
                raise ClientError(400, "invalid Content-Length") from error
            if length > limit:
                raise ClientError(413, f"request body of {length} bytes is larger than the "
                                  f"limit of {limit} bytes")
            return bytes(stream.read(length))
        body = bytes(stream.read(limit + 1))  # chunked: read at most one byte past the limit
        if len(body) > limit:
            raise ClientError(413, f"request body larger than the limit of {limit} bytes")
        return body

    def _service_description(self, environ: dict[str, Any], start_response: StartResponse,
                             args: dict[str, list[str]], accept: str | None) -> list[bytes]:
        format_values = args.get("format") or args.get("output")
        try:
            chosen = conneg.choose(format_values[0] if format_values else None, accept,
                                   DOCUMENT_FORMATS, html=True)
        except conneg.UnknownFormat as error:
            raise ClientError(400, str(error)) from error
        if chosen is None:
            raise ClientError(406, "the service description is available as: "
                              + ", ".join(o.media_type for o in DOCUMENT_FORMATS))
        if chosen is conneg.HTML:
            location = environ.get("SCRIPT_NAME", "") + "/query"
            start_response(_status_line(303), [("Location", location), _CORS, ("Vary", "Accept"),
                                               ("Content-Length", "0"), _NOSNIFF])
            return []
        body = serialize_triples(service_description(self.service, base_url(environ, self.config)),
                                 rdf_syntax(chosen.name))
        start_response(_status_line(200), [("Content-Type", chosen.content_type),
                                           ("Content-Length", str(len(body))),
                                           ("Vary", "Accept"), _CORS, _NOSNIFF])
        return [] if environ["REQUEST_METHOD"] == "HEAD" else [body]


def base_url(environ: dict[str, Any], config: ServeConfig) -> str:
    """The public URL of the server: ``--base-url``, else what the request was sent to."""
    if config.base_url:
        return config.base_url.rstrip("/")
    scheme = environ.get("wsgi.url_scheme", "http")
    host = environ.get("HTTP_HOST") or (
        f"{environ.get('SERVER_NAME', 'localhost')}:{environ.get('SERVER_PORT', '80')}"
    )
    return f"{scheme}://{host}{quote(environ.get('SCRIPT_NAME', ''))}".rstrip("/")


def endpoint_iri(environ: dict[str, Any], config: ServeConfig) -> str:
    """The address of ``/sparql``: the base IRI of the queries it answers."""
    return base_url(environ, config) + "/sparql"


def _is_utf8(charset: str) -> bool:
    try:
        return codecs.lookup(charset).name == "utf-8"
    except LookupError:
        return False


def dispatch(sparql: SparqlProtocol, fallback: WSGIApp) -> WSGIApp:
    """A WSGI app sending ``/sparql`` to ``sparql`` and everything else to ``fallback``."""

    def app(environ: dict[str, Any], start_response: StartResponse) -> Iterable[bytes]:
        if environ.get("PATH_INFO") == "/sparql":
            return sparql(environ, start_response)
        return fallback(environ, start_response)

    return app
