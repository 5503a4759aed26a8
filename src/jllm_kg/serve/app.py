"""The web application: SPARQL 1.1 Protocol, linked-data pages, saved queries, dumps, VoID.

:func:`create_app` builds a Flask app around one :class:`~jllm_kg.serve.service.GraphService`
and keeps no global state, so tests and embedding programs can create as many as they like.
"""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path
from urllib.parse import quote, urlencode

import pyoxigraph as ox
from flask import Flask, Response, abort, g, render_template, request, send_file
from werkzeug.exceptions import HTTPException

from jllm_kg.serve import conneg
from jllm_kg.serve.config import ServeConfig
from jllm_kg.serve.describe import graph_statistics, serialize_triples, void_description
from jllm_kg.serve.i18n import LANGUAGES, pick_label, preferred_languages, ui
from jllm_kg.serve.lineage import Edge, lineage_svg
from jllm_kg.serve.pool import InlineExecutor, QueryExecutor, QueryPool, QueryStopped
from jllm_kg.serve.protocol import (
    DOCUMENT_OFFERS,
    FORMATS_BY_NAME,
    RDF_FORMATS,
    ClientError,
    SparqlProtocol,
    base_url,
    check_query,
    choose_format,
    dispatch,
    query_request,
    reply_status,
)
from jllm_kg.serve.saved import SavedQuery, load_saved_queries
from jllm_kg.serve.service import Binding, GraphService, QueryFailed
from jllm_kg.serve.snapshot import Snapshot, snapshot_from_store
from jllm_kg.serve.worker import QueryRequest, Reply
from jllm_kg.sparql_text import QueryInfo, analyze_query, sparql_iri, sparql_string
from jllm_kg.store import ONTOLOGY_GRAPH
from jllm_kg.vocab import JLLM_NS, PREFIXES, RESOURCE_KINDS

MAX_TABLE_ROWS = 1000
RDF_TYPE = "http://www.w3.org/1999/02/22-rdf-syntax-ns#type"
RDFS_LABEL = "http://www.w3.org/2000/01/rdf-schema#label"
PROV = "http://www.w3.org/ns/prov#"
_COMPACT = sorted(PREFIXES.items(), key=lambda item: -len(item[1]))


def create_app(
    source: GraphService | QueryExecutor | Snapshot | ox.Store,
    *,
    config: ServeConfig | None = None,
) -> Flask:
    """The WSGI app serving ``source``.

    ``source`` is a ready :class:`GraphService`, a query executor, a
    :class:`~jllm_kg.serve.snapshot.Snapshot` (served by a pool of killable worker processes)
    or a pyoxigraph ``Store`` (copied into a snapshot, then likewise served by a pool — use
    ``InlineExecutor(store)`` to query it in-process, without a time limit).
    """
    config = config or ServeConfig()
    if isinstance(source, GraphService):
        service = source
    elif isinstance(source, Snapshot):
        pool = QueryPool(source, size=config.workers, memory_limit=config.worker_memory,
                         isolate_network=not config.allow_service)
        service = GraphService(pool, config, source)
    elif isinstance(source, ox.Store):
        snapshot = snapshot_from_store(source)
        pool = QueryPool(snapshot, size=config.workers, memory_limit=config.worker_memory,
                         isolate_network=not config.allow_service)
        service = GraphService(pool, config, snapshot)
    else:
        service = GraphService(source, config)
    app = Flask(__name__)
    app.config["MAX_CONTENT_LENGTH"] = config.max_body_bytes
    app.config["MAX_FORM_MEMORY_SIZE"] = config.max_body_bytes
    app.config["JSON_AS_ASCII"] = False
    app.extensions["jllm_kg"] = service
    saved = load_saved_queries(config.queries_dir)
    _register(app, service, config, saved)
    app.wsgi_app = dispatch(SparqlProtocol(service, config), app.wsgi_app)  # type: ignore[method-assign]
    return app


# ------------------------------------------------------------------------------------------
# helpers shared by the routes


def _base_url(config: ServeConfig) -> str:
    return base_url(request.environ, config)


def _text(status: int, message: str, headers: dict[str, str] | None = None) -> Response:
    response = Response(message.rstrip("\n") + "\n", status=status,
                        content_type="text/plain; charset=utf-8")
    for key, value in (headers or {}).items():
        response.headers[key] = value
    return response


def _wants_html() -> bool:
    return conneg.prefers_html(request.headers.get("Accept"), conneg.RESULT_OFFERS)


def _languages() -> list[str]:
    if "languages" not in g:
        g.languages = preferred_languages(
            request.headers.get("Accept-Language"), request.args.get("lang")
        )
    return list(g.languages)


def compact(iri: str) -> str:
    """``prefix:local`` for a known namespace, else the IRI itself."""
    for prefix, namespace in _COMPACT:
        if iri.startswith(namespace) and len(iri) > len(namespace):
            return f"{prefix}:{iri[len(namespace):]}"
    return iri


class _Links:
    """Where an IRI links to: local pages for our resources and ontology terms."""

    def __init__(self, config: ServeConfig) -> None:
        self.base = config.resource_base

    def href(self, iri: str) -> str | None:
        root = request.script_root
        if iri.startswith(self.base) and len(iri) > len(self.base):
            # a hash IRI (qualified derivation …) is described in its document's page
            return f"{root}/id/" + quote(iri[len(self.base):], safe="/-._~!$&'()*+,;=:@#")
        if iri.startswith(JLLM_NS):
            return f"{root}/ontology#" + quote(iri[len(JLLM_NS):], safe="-._~")
        if iri == ONTOLOGY_GRAPH:
            return f"{root}/ontology"
        if iri.startswith(("http://", "https://")):
            return iri
        return None


def _labels(service: GraphService, iris: Iterable[str]) -> dict[str, list[tuple[str, str]]]:
    """All ``rdfs:label`` / ``skos:prefLabel`` of ``iris`` (by IRI: ``(value, lang)``)."""
    wanted = sorted({i for i in iris if i})
    found: dict[str, list[tuple[str, str]]] = {}
    for start in range(0, len(wanted), 200):
        chunk = []
        for iri in wanted[start:start + 200]:
            try:
                chunk.append(sparql_iri(iri))
            except ValueError:
                continue
        if not chunk:
            continue
        rows = service.select(
            "SELECT DISTINCT ?x ?l WHERE { VALUES ?x { " + " ".join(chunk) + " } "
            "?x <http://www.w3.org/2000/01/rdf-schema#label>|"
            "<http://www.w3.org/2004/02/skos/core#prefLabel> ?l }"
        )
        for row in rows:
            found.setdefault(row["x"]["value"], []).append(
                (row["l"]["value"], row["l"].get("xml:lang", ""))
            )
    return found


def _fallback_name(iri: str, config: ServeConfig) -> str:
    if iri.startswith(config.resource_base):
        return iri[len(config.resource_base):].split("/", 1)[-1]
    return compact(iri)


def _cell(term: dict[str, str], links: _Links, labels: dict[str, list[tuple[str, str]]],
          languages: list[str], config: ServeConfig, *, use_labels: bool = True) -> dict[str, str]:
    """A table cell for a SPARQL JSON term: text, link, tooltip and annotations."""
    kind = term.get("type")
    value = term.get("value", "")
    if kind == "uri":
        text = compact(value)
        if use_labels and value in labels:
            text = pick_label(labels[value], languages, fallback=text)
        elif value.startswith(config.resource_base):
            text = value[len(config.resource_base):]
        return {"text": text, "href": links.href(value) or "", "title": value, "note": ""}
    if kind == "bnode":
        return {"text": f"_:{value}", "href": "", "title": "", "note": ""}
    note = ""
    if term.get("xml:lang"):
        note = "@" + term["xml:lang"]
    elif term.get("datatype") and term["datatype"] != "http://www.w3.org/2001/XMLSchema#string":
        note = compact(term["datatype"])
    return {"text": value, "href": "", "title": "", "note": note}


def _term_json(term: ox.NamedNode | ox.BlankNode | ox.Literal) -> dict[str, str]:
    if isinstance(term, ox.NamedNode):
        return {"type": "uri", "value": term.value}
    if isinstance(term, ox.BlankNode):
        return {"type": "bnode", "value": term.value}
    out = {"type": "literal", "value": term.value}
    if term.language:
        out["xml:lang"] = term.language
    else:
        out["datatype"] = term.datatype.value
    return out


# ------------------------------------------------------------------------------------------
# routes


def _register(app: Flask, service: GraphService, config: ServeConfig,
              saved: dict[str, SavedQuery]) -> None:
    links = _Links(config)

    @app.context_processor
    def _chrome() -> dict[str, object]:
        languages = _languages()
        lang = languages[0]
        return {
            "lang": lang,
            "t": lambda key: ui(key, lang),
            "languages": LANGUAGES,
            "root": request.script_root,
            "lang_link": lambda code: request.path + "?" + urlencode(
                {**{k: v for k, v in request.args.items() if k != "lang"}, "lang": code}
            ),
        }

    @app.after_request
    def _cors(response: Response) -> Response:
        response.headers["Access-Control-Allow-Origin"] = "*"
        response.headers.setdefault("X-Content-Type-Options", "nosniff")
        if request.method == "OPTIONS":
            # a preflight (a script that sends Accept-Language, say) must be told what it may do
            response.headers["Access-Control-Allow-Methods"] = response.headers.get(
                "Allow", "GET, HEAD, OPTIONS")
            response.headers["Access-Control-Allow-Headers"] = (
                "Content-Type, Accept, Accept-Language")
            response.headers["Access-Control-Max-Age"] = "86400"
        return response

    @app.errorhandler(ClientError)
    def _client_error(error: ClientError) -> Response:
        return _error_page(error.status, error.message)

    @app.errorhandler(QueryStopped)
    def _stopped(error: QueryStopped) -> Response:
        return _error_page(503, str(error))

    @app.errorhandler(QueryFailed)
    def _failed(error: QueryFailed) -> Response:
        status = 503 if error.reply.status in {"too_large", "memory"} else 500
        return _error_page(status, f"query failed: {error.reply.message}")

    @app.errorhandler(HTTPException)
    def _http_error(error: HTTPException) -> Response:
        message = error.description or error.name
        if error.code == 413:
            message = f"request body larger than the limit of {config.max_body_bytes} bytes"
        response = _error_page(error.code or 500, f"{error.name}: {message}")
        if error.code == 405:
            response.headers["Allow"] = ", ".join(
                sorted(error.valid_methods or ["GET", "HEAD", "POST", "OPTIONS"])  # type: ignore[attr-defined]
            )
        return response

    @app.errorhandler(Exception)
    def _unexpected(error: Exception) -> Response:
        app.logger.exception("unexpected error")
        return _error_page(500, f"internal error ({type(error).__name__})")

    def _error_page(status: int, message: str) -> Response:
        if _wants_html():
            html = render_template("error.html", status=status, message=message)
            return Response(html, status=status, content_type="text/html; charset=utf-8")
        return _text(status, message)

    # -- SPARQL protocol (the /sparql route itself is protocol.SparqlProtocol) -----------

    def _run(query: str, info: QueryInfo, chosen: conneg.Format,
             default_graphs: tuple[str, ...], named_graphs: tuple[str, ...]) -> Reply:
        return service.run(query_request(query, info, chosen, config, default_graphs,
                                         named_graphs))

    def _answer(reply: Reply) -> Response:
        if reply.status == "ok":
            fmt = FORMATS_BY_NAME[reply.format_name]
            response = Response(reply.body, status=200, content_type=fmt.content_type)
            response.headers["Vary"] = "Accept"
            return response
        status, message = reply_status(reply)
        raise ClientError(status, message)

    def _choose_format(info: QueryInfo, format_value: str | None) -> conneg.Format:
        return choose_format(info, format_value, request.headers.get("Accept"))

    @app.route("/update", methods=["GET", "POST"])
    def update() -> Response:
        raise ClientError(403, "this endpoint is read-only: SPARQL Update is not accepted")

    # -- VoID and dumps --------------------------------------------------------------------

    def _rdf_document(triples_factory, offers=DOCUMENT_OFFERS) -> Response:  # type: ignore[no-untyped-def]
        fmt_value = request.args.get("format")
        if fmt_value:
            try:
                chosen = conneg.format_parameter(fmt_value, offers)
            except conneg.UnknownFormat as error:
                raise ClientError(400, str(error)) from error
        else:
            chosen = conneg.negotiate(request.headers.get("Accept"), offers)
        if chosen is None:
            raise ClientError(406, "available as: " + ", ".join(o.media_type for o in offers))
        body = serialize_triples(triples_factory(), RDF_FORMATS[chosen.name])
        response = Response(body, content_type=chosen.content_type)
        response.headers["Vary"] = "Accept"
        return response

    @app.route("/.well-known/void")
    @app.route("/void")
    def void() -> Response:
        return _rdf_document(lambda: void_description(service, _base_url(config)))

    @app.route("/dumps/<name>")
    def dumps(name: str) -> Response:
        snapshot = service.snapshot
        if snapshot is None or name != snapshot.dump.name or not snapshot.dump.is_file():
            abort(404)
        # gzip bytes: labelled as such (not as N-Quads with a Content-Encoding, which clients
        # would silently decompress into a file still named .nq.gz)
        return send_file(snapshot.dump, mimetype="application/gzip", as_attachment=True,
                         download_name=name, conditional=True, max_age=300,
                         etag=True)

    # -- pages ---------------------------------------------------------------------------

    @app.route("/")
    def home() -> Response | str:
        stats = graph_statistics(service)
        languages = _languages()
        classes = [(iri, n) for iri, n in stats["classes"] if iri.startswith(JLLM_NS)]  # type: ignore[union-attr]
        labels = _labels(service, [iri for iri, _ in classes])
        kinds = _kind_counts()
        return render_template(
            "home.html",
            stats=stats,
            classes=[(pick_label(labels.get(i, []), languages, fallback=compact(i)), n,
                      links.href(i)) for i, n in classes],
            kinds=kinds,
            saved=list(saved.values()),
            base_url=_base_url(config),
            dump=service.snapshot.dump.name if service.snapshot else None,
            modified=service.snapshot.modified if service.snapshot else None,
        )

    def _kind_counts() -> list[tuple[str, int]]:
        def compute() -> list[tuple[str, int]]:
            base = config.resource_base
            rows = service.select(
                "SELECT ?kind (COUNT(DISTINCT ?s) AS ?n) WHERE { ?s ?p ?o "
                f'FILTER(isIRI(?s) && STRSTARTS(STR(?s), {sparql_string(base)}) '
                '&& !CONTAINS(STR(?s), "#")) '
                f'BIND(STRBEFORE(STRAFTER(STR(?s), {sparql_string(base)}), "/") AS ?kind) '
                "} GROUP BY ?kind ORDER BY ?kind"
            )
            return [(r["kind"]["value"], int(r["n"]["value"])) for r in rows
                    if r.get("kind", {}).get("value")]

        return list(service.memo("kinds", compute))

    def _query_page(query: str, *, run: bool, saved_name: str | None = None) -> Response:
        results = None
        error = None
        if run and query.strip():
            try:
                results = _results_table(query)
            except ClientError as exc:
                error = (exc.status, exc.message)
            except QueryStopped as exc:
                error = (503, str(exc))
        html = render_template(
            "query.html",
            query=query or _DEFAULT_QUERY,
            results=results,
            error=error,
            saved=list(saved.values()),
            saved_name=saved_name,
            autorun=request.args.get("run") == "1" and not run,
            downloads=_downloads(query) if query.strip() else [],
        )
        status = error[0] if error else 200
        return Response(html, status=status, content_type="text/html; charset=utf-8")

    def _downloads(query: str) -> list[tuple[str, str]]:
        info = analyze_query(query)
        offers = conneg.GRAPH_OFFERS if info.is_graph_form else conneg.RESULT_OFFERS
        root = request.script_root
        return [(o.name, f"{root}/sparql?" + urlencode({"query": query, "format": o.name}))
                for o in offers]

    def _results_table(query: str) -> dict[str, object]:
        """Run ``query`` and shape its answer as an HTML table (labels not resolved: results
        show what the query returned)."""
        info = check_query(query, config)
        languages = _languages()
        if info.is_graph_form:
            reply = _run(query, info, conneg.NTRIPLES, (), ())
            if reply.status != "ok":
                _answer(reply)
            triples = list(ox.parse(reply.body, format=ox.RdfFormat.N_TRIPLES))
            rows = [[_cell(_term_json(t.subject), links, {}, languages, config),
                     _cell(_term_json(t.predicate), links, {}, languages, config),
                     _cell(_term_json(t.object), links, {}, languages, config)]
                    for t in triples[:MAX_TABLE_ROWS]]
            return {"variables": ["subject", "predicate", "object"], "rows": rows,
                    "total": len(triples), "boolean": None}
        reply = _run(query, info, conneg.JSON, (), ())
        if reply.status != "ok":
            _answer(reply)
        import json

        data = json.loads(reply.body)
        if "boolean" in data:
            return {"variables": [], "rows": [], "total": 0, "boolean": bool(data["boolean"])}
        variables = list(data["head"].get("vars", []))
        bindings: list[Binding] = data["results"]["bindings"]
        rows = [[_cell(b[v], links, {}, languages, config) if v in b else None
                 for v in variables] for b in bindings[:MAX_TABLE_ROWS]]
        return {"variables": variables, "rows": rows, "total": len(bindings), "boolean": None}

    @app.route("/query")
    def query_page() -> Response:
        text = request.args.get("query", "")
        saved_name = request.args.get("saved")
        if saved_name and not text:
            if saved_name not in saved:
                raise ClientError(404, f"no saved query named {saved_name!r}")
            text = saved[saved_name].text
            return _query_page(text, run=False, saved_name=saved_name)
        if request.args.get("fragment") == "1":
            try:
                results = _results_table(text)
            except ClientError as exc:
                return _fragment_error(exc.status, exc.message)
            except QueryStopped as exc:
                return _fragment_error(503, str(exc))
            html = render_template("results.html", results=results,
                                   downloads=_downloads(text))
            return Response(html, content_type="text/html; charset=utf-8")
        return _query_page(text, run=bool(text))

    def _fragment_error(status: int, message: str) -> Response:
        html = render_template("results.html", results=None, error=(status, message),
                               downloads=[])
        return Response(html, status=status, content_type="text/html; charset=utf-8")

    @app.route("/queries")
    def saved_list() -> Response | str:
        return render_template("saved_list.html", saved=list(saved.values()))

    @app.route("/queries/<name>")
    def saved_query(name: str) -> Response:
        entry = saved.get(name)
        if entry is None:
            raise ClientError(404, f"no saved query named {name!r}")
        fmt_value = request.args.get("format")
        accept = request.headers.get("Accept")
        if fmt_value in {"rq", "sparql"} or (
            not fmt_value and conneg.negotiate(accept, (conneg.HTML,)) is None
            and "application/sparql-query" in (accept or "")
        ):
            return Response(entry.text, content_type="application/sparql-query; charset=utf-8")
        info = check_query(entry.text, config)
        if fmt_value:
            chosen = _choose_format(info, fmt_value)
        else:
            offers = conneg.GRAPH_OFFERS if info.is_graph_form else conneg.RESULT_OFFERS
            chosen = conneg.negotiate(accept, (conneg.HTML, *offers)) or abort(406)
        if chosen is conneg.HTML:
            try:
                results = _results_table(entry.text)
                error = None
            except ClientError as exc:
                results, error = None, (exc.status, exc.message)
            html = render_template("saved_query.html", entry=entry, results=results,
                                   error=error, downloads=_saved_downloads(entry, info))
            response = Response(html, status=error[0] if error else 200,
                                content_type="text/html; charset=utf-8")
        else:
            response = _answer(_run(entry.text, info, chosen, (), ()))
        response.headers["Vary"] = "Accept"
        return response

    def _saved_downloads(entry: SavedQuery, info: QueryInfo) -> list[tuple[str, str]]:
        offers = conneg.GRAPH_OFFERS if info.is_graph_form else conneg.RESULT_OFFERS
        root = request.script_root
        return [(o.name, f"{root}/queries/{entry.name}?format={o.name}") for o in offers]

    @app.route("/search")
    def search() -> str:
        text = request.args.get("q", "").strip()[:200]
        hits: list[dict[str, str]] = []
        if text:
            rows = service.select(
                "SELECT ?s (SAMPLE(?l) AS ?label) WHERE { "
                "?s <http://www.w3.org/2000/01/rdf-schema#label> ?l "
                f"FILTER(isIRI(?s) && STRSTARTS(STR(?s), {sparql_string(config.resource_base)}) "
                f"&& CONTAINS(LCASE(STR(?l)), LCASE({sparql_string(text)}))) }} "
                "GROUP BY ?s ORDER BY ?s LIMIT 300"
            )
            labels = _labels(service, [r["s"]["value"] for r in rows])
            languages = _languages()
            for row in rows:
                iri = row["s"]["value"]
                hits.append({
                    "label": pick_label(labels.get(iri, []), languages,
                                        fallback=row["label"]["value"]),
                    "href": links.href(iri) or iri,
                    "kind": iri[len(config.resource_base):].split("/", 1)[0],
                })
        return render_template("search.html", q=text, hits=hits)

    @app.route("/id/<kind>/")
    def kind_index(kind: str) -> str:
        if kind not in RESOURCE_KINDS:
            abort(404)
        prefix = config.resource_base + kind + "/"
        rows = service.select(
            "SELECT DISTINCT ?s WHERE { ?s ?p ?o "
            f"FILTER(isIRI(?s) && STRSTARTS(STR(?s), {sparql_string(prefix)}) "
            '&& !CONTAINS(STR(?s), "#")) } ORDER BY ?s LIMIT 10000'
        )
        iris = [r["s"]["value"] for r in rows]
        if not iris:
            abort(404)
        labels = _labels(service, iris)
        languages = _languages()
        items = sorted(
            ((pick_label(labels.get(i, []), languages, fallback=i[len(prefix):]),
              links.href(i), i[len(prefix):]) for i in iris),
            key=lambda item: item[0].casefold(),
        )
        return render_template("kind_index.html", kind=kind, items=items)

    @app.route("/id/<kind>/<slug>")
    def resource(kind: str, slug: str) -> Response:
        iri = f"{config.resource_base}{kind}/{slug}"
        try:
            ref = sparql_iri(iri)
        except ValueError:
            abort(404)
        fmt_value = request.args.get("format")
        offers = (conneg.HTML, *DOCUMENT_OFFERS[:4])
        if fmt_value:
            try:
                chosen = conneg.format_parameter(fmt_value, offers)
            except conneg.UnknownFormat as error:
                raise ClientError(400, str(error)) from error
        else:
            chosen = conneg.negotiate(request.headers.get("Accept"), offers)
        if chosen is None:
            raise ClientError(406, "available as: " + ", ".join(o.media_type for o in offers))
        if not service.ask(f"ASK {{ {{ {ref} ?p ?o }} UNION {{ ?s ?p {ref} }} }}"):
            raise ClientError(404, f"no resource {iri} in this graph")
        if chosen is conneg.HTML:
            response = Response(_resource_page(iri, ref, kind),
                                content_type="text/html; charset=utf-8")
        else:
            reply = service.run(QueryRequest(
                "CONSTRUCT { " + ref + " ?p ?o . ?d ?dp ?do . ?s ?sp " + ref + " } WHERE { "
                "{ " + ref + " ?p ?o } UNION { " + ref + " ?q ?d . ?d ?dp ?do "
                "FILTER(?q IN (<http://www.w3.org/ns/prov#qualifiedDerivation>, "
                f"<{JLLM_NS}qualifiedLicense>)) }} UNION {{ ?s ?sp {ref} }} "
                # hash IRIs (…#derivation-…) are described by this document too
                f"UNION {{ ?d ?dp ?do FILTER(STRSTARTS(STR(?d), {sparql_string(iri + '#')})) }} }}",
                graph_format=chosen.name,
                max_result_bytes=config.max_result_bytes,
            ))
            response = _answer(reply)
        response.headers["Vary"] = "Accept, Accept-Language"
        return response

    def _resource_page(iri: str, ref: str, kind: str) -> str:
        languages = _languages()
        facts = service.select(
            f"SELECT ?p ?o ?g WHERE {{ {{ GRAPH ?g {{ {ref} ?p ?o }} }} UNION {{ {ref} ?p ?o }} }}",
            union=False,
        )
        incoming = service.select(
            f"SELECT DISTINCT ?s ?p WHERE {{ ?s ?p {ref} }} ORDER BY ?p ?s LIMIT 1000"
        )
        derivations = service.select(
            "SELECT ?d ?entity ?type ?evidence ?source WHERE { "
            f"{ref} <{PROV}qualifiedDerivation> ?d . "
            f"OPTIONAL {{ ?d <{PROV}entity> ?entity }} "
            f"OPTIONAL {{ ?d <{JLLM_NS}derivationType> ?type }} "
            f"OPTIONAL {{ ?d <{JLLM_NS}evidence> ?evidence }} "
            f"OPTIONAL {{ ?d <{JLLM_NS}source> ?source }} }} ORDER BY ?entity"
        )
        edges = _lineage_edges(ref)
        wanted: set[str] = {iri}
        for row in facts:
            wanted.add(row["p"]["value"])
            if row["o"]["type"] == "uri":
                wanted.add(row["o"]["value"])
            if "g" in row:
                wanted.add(row["g"]["value"])
        for row in incoming:
            wanted.update((row["s"]["value"], row["p"]["value"]))
        for row in derivations:
            wanted.update(v["value"] for v in row.values() if v["type"] == "uri")
        for child, parent, types, props in edges:
            wanted.update((child, parent, *types, *props))
        labels = _labels(service, wanted)

        def name(x: str) -> str:
            return pick_label(labels.get(x, []), languages, fallback=_fallback_name(x, config))

        # facts grouped by property, each value with the graphs (sources) stating it
        grouped: dict[str, dict[tuple[str, str, str, str], set[str]]] = {}
        for row in facts:
            o = row["o"]
            key = (o["type"], o["value"], o.get("xml:lang", ""), o.get("datatype", ""))
            graphs = grouped.setdefault(row["p"]["value"], {}).setdefault(key, set())
            if "g" in row:
                graphs.add(row["g"]["value"])
        order = {RDF_TYPE: 0, RDFS_LABEL: 1}
        properties = []
        for prop in sorted(grouped, key=lambda p: (order.get(p, 2), name(p).casefold())):
            values = []
            for (otype, value, olang, datatype), graphs in sorted(grouped[prop].items()):
                term = {"type": otype, "value": value}
                if olang:
                    term["xml:lang"] = olang
                if datatype:
                    term["datatype"] = datatype
                values.append({
                    "cell": _cell(term, links, labels, languages, config),
                    "sources": [{"label": name(gr), "href": links.href(gr) or ""}
                                for gr in sorted(graphs)],
                })
            properties.append({"label": name(prop), "iri": prop, "href": links.href(prop),
                               "entries": values})
        title = name(iri)
        svg = None
        if edges:
            svg = lineage_svg(
                iri,
                # the derivation type(s) of the qualified derivations; else the specific
                # sub-property of prov:wasDerivedFrom
                [Edge(child, parent, " / ".join(sorted({name(x) for x in (types or props)})))
                 for child, parent, types, props in edges],
                {node: name(node) for c, p, _, _ in edges for node in (c, p)} | {iri: title},
                links.href,
                title=f"{ui('lineage', languages[0])}: {title}",
            )
        is_model = any(row["p"]["value"] == RDF_TYPE and row["o"]["value"] == JLLM_NS + "Model"
                       for row in facts)
        return render_template(
            "resource.html",
            iri=iri,
            kind=kind,
            title=title,
            properties=properties,
            incoming=[{"s": _cell({"type": "uri", "value": r["s"]["value"]}, links, labels,
                                  languages, config),
                       "p": name(r["p"]["value"])} for r in incoming],
            derivations=[{k: _cell(v, links, labels, languages, config) for k, v in r.items()}
                         for r in derivations],
            lineage_svg=svg,
            is_model=is_model,
            formats=[(o.name, f"{request.path}?format={o.name}") for o in DOCUMENT_OFFERS[:4]],
        )

    def _lineage_edges(ref: str) -> list[tuple[str, str, tuple[str, ...], tuple[str, ...]]]:
        """``(child, parent, derivation types, derivation properties)`` around ``ref``: every
        step among its ancestors, and every parent of each of its descendants — for a merge
        that includes its other parents (co-parents), so that a merge is never drawn with only
        the parent that happens to be a relative."""
        rows = service.select(
            "PREFIX prov: <http://www.w3.org/ns/prov#> "
            f"PREFIX jllm: <{JLLM_NS}> "
            "PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#> "
            "SELECT ?child ?parent (GROUP_CONCAT(DISTINCT STR(?t); separator=\" \") AS ?types) "
            "(GROUP_CONCAT(DISTINCT STR(?sp); separator=\" \") AS ?props) WHERE { "
            f"{{ {ref} prov:wasDerivedFrom* ?child . ?child prov:wasDerivedFrom ?parent . }} "
            f"UNION {{ ?child prov:wasDerivedFrom+ {ref} . ?child prov:wasDerivedFrom ?parent . }} "
            "OPTIONAL { ?child prov:qualifiedDerivation ?d . ?d prov:entity ?parent ; "
            "jllm:derivationType ?t . } "
            "OPTIONAL { ?child ?sp ?parent . ?sp rdfs:subPropertyOf+ prov:wasDerivedFrom . "
            f"FILTER(STRSTARTS(STR(?sp), {sparql_string(JLLM_NS)})) }} "
            f"}} GROUP BY ?child ?parent ORDER BY ?child ?parent "
            f"LIMIT {config.lineage_max_nodes * 3}"
        )
        return [(r["child"]["value"], r["parent"]["value"],
                 tuple(sorted(r.get("types", {}).get("value", "").split())),
                 tuple(sorted(r.get("props", {}).get("value", "").split())))
                for r in rows if r["child"]["type"] == "uri" and r["parent"]["type"] == "uri"]

    @app.route("/ontology")
    def ontology() -> Response:
        offers = (conneg.HTML, *DOCUMENT_OFFERS[:4])
        fmt_value = request.args.get("format")
        if fmt_value:
            try:
                chosen = conneg.format_parameter(fmt_value, offers)
            except conneg.UnknownFormat as error:
                raise ClientError(400, str(error)) from error
        else:
            chosen = conneg.negotiate(request.headers.get("Accept"), offers)
        if chosen is None:
            raise ClientError(406, "available as: " + ", ".join(o.media_type for o in offers))
        if chosen is not conneg.HTML:
            response = _answer(service.run(QueryRequest(
                f"CONSTRUCT {{ ?s ?p ?o }} WHERE {{ GRAPH <{ONTOLOGY_GRAPH}> {{ ?s ?p ?o }} }}",
                graph_format=chosen.name, union_default_graph=False,
                max_result_bytes=config.max_result_bytes)))
            response.headers["Vary"] = "Accept"
            return response
        rows = service.select(
            "SELECT ?s ?type ?definition WHERE { GRAPH <" + ONTOLOGY_GRAPH + "> { ?s a ?type "
            f'FILTER(STRSTARTS(STR(?s), "{JLLM_NS}")) '
            "OPTIONAL { ?s <http://www.w3.org/2004/02/skos/core#definition> ?definition } } }"
            " ORDER BY ?s",
            union=False,
        )
        languages = _languages()
        terms: dict[str, dict[str, object]] = {}
        for row in rows:
            entry = terms.setdefault(row["s"]["value"], {"types": set(), "definitions": []})
            entry["types"].add(compact(row["type"]["value"]))  # type: ignore[union-attr]
            if "definition" in row:
                d = row["definition"]
                pair = (d["value"], d.get("xml:lang", ""))
                if pair not in entry["definitions"]:  # type: ignore[operator]
                    entry["definitions"].append(pair)  # type: ignore[union-attr]
        labels = _labels(service, terms)
        items = [{
            "anchor": iri[len(JLLM_NS):],
            "iri": iri,
            "label": pick_label(labels.get(iri, []), languages, fallback=compact(iri)),
            "types": ", ".join(sorted(entry["types"])),  # type: ignore[arg-type]
            "definition": pick_label(entry["definitions"], languages),  # type: ignore[arg-type]
        } for iri, entry in terms.items()]
        response = Response(render_template("ontology.html", items=items),
                            content_type="text/html; charset=utf-8")
        response.headers["Vary"] = "Accept"
        return response


_DEFAULT_QUERY = """PREFIX jllm: <https://w3id.org/jllm-kg/ontology#>
PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#>
SELECT ?model ?label WHERE {
  ?model a jllm:Model ; rdfs:label ?label .
}
LIMIT 20
"""

def template_folder() -> Path:
    """Where the page templates live (packaged next to this module)."""
    return Path(__file__).parent / "templates"


__all__ = ["ClientError", "InlineExecutor", "ServeConfig", "create_app"]
