"""The web application: SPARQL 1.1 Protocol, linked-data pages, saved queries, dumps, VoID.

:func:`create_app` builds a Flask app around one :class:`~jllm_kg.serve.service.GraphService`
and keeps no global state, so tests and embedding programs can create as many as they like.
``/sparql`` is the plain WSGI :class:`~jllm_kg.serve.protocol.SparqlProtocol` (the hot path);
everything else is a blueprint of :mod:`jllm_kg.serve.web`.
"""

from __future__ import annotations

import pyoxigraph as ox
from flask import Flask

from jllm_kg.serve.config import ServeConfig
from jllm_kg.serve.pool import InlineExecutor, QueryExecutor, QueryPool
from jllm_kg.serve.protocol import ClientError, SparqlProtocol, dispatch
from jllm_kg.serve.saved import load_saved_queries
from jllm_kg.serve.service import GraphService
from jllm_kg.serve.snapshot import Snapshot, snapshot_from_store
from jllm_kg.serve.web.chrome import chrome
from jllm_kg.serve.web.context import EXTENSION, Site
from jllm_kg.serve.web.documents import documents
from jllm_kg.serve.web.pages import pages
from jllm_kg.serve.web.queries import queries
from jllm_kg.serve.web.resources import resources

BLUEPRINTS = (chrome, documents, pages, resources, queries)


def graph_service(source: GraphService | QueryExecutor | Snapshot | ox.Store,
                  config: ServeConfig) -> GraphService:
    """The service answering queries over ``source`` (see :func:`create_app`)."""
    if isinstance(source, GraphService):
        return source
    if isinstance(source, ox.Store):
        source = snapshot_from_store(source)
    if isinstance(source, Snapshot):
        pool = QueryPool(source, size=config.workers, memory_limit=config.worker_memory,
                         isolate_network=not config.allow_service)
        return GraphService(pool, config, source)
    return GraphService(source, config)


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
    service = graph_service(source, config)
    app = Flask(__name__)
    app.config["MAX_CONTENT_LENGTH"] = config.max_body_bytes
    app.config["MAX_FORM_MEMORY_SIZE"] = config.max_body_bytes
    app.config["JSON_AS_ASCII"] = False
    app.extensions["jllm_kg"] = service
    app.extensions[EXTENSION] = Site(service, config, load_saved_queries(config.queries_dir))
    for blueprint in BLUEPRINTS:
        app.register_blueprint(blueprint)
    sparql = dispatch(SparqlProtocol(service, config), app.wsgi_app)
    app.wsgi_app = sparql  # type: ignore[method-assign, assignment]  # the Flask-documented way
    return app


__all__ = ["ClientError", "InlineExecutor", "ServeConfig", "create_app"]
