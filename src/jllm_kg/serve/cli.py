"""``jllm-kg serve``: the endpoint on granian, with killable query workers behind it.

Process layout (the README's "Serve" section says why):

- the master parses the RDF once into a snapshot (a malformed file stops the start-up with a
  message naming it) and, on ``SIGHUP``, rebuilds it — an on-disk store only if an input
  changed or the store is damaged; the previous snapshot keeps serving if the rebuild fails —
  then replaces its HTTP workers one by one;
- ``--http-workers`` granian processes read HTTP in Rust (an open connection is a tokio task,
  not a thread) and run the WSGI app on ``--threads`` threads each;
- each of them owns ``--workers`` query worker processes holding the store, which enforce the
  query time limit by being killed.

``--server gunicorn`` (``gthread``) and ``--server waitress`` remain for comparison runs.
"""

from __future__ import annotations

import argparse
import logging
import os
import sys
from pathlib import Path
from typing import Any

from jllm_kg.serve.config import ServeConfig, default_memory_budget, worker_share
from jllm_kg.serve.pool import SharedForkServer
from jllm_kg.serve.snapshot import (
    Snapshot,
    StoreDamagedError,
    build_in_subprocess,
    discard_snapshot,
    inputs_unchanged,
)
from jllm_kg.store import StoreLoadError

log = logging.getLogger("jllm_kg.serve")

EXIT_OK = 0
EXIT_BAD_INPUT = 2

LISTEN_BACKLOG = 2048


def _size(text: str) -> int:
    units = {"k": 1024, "m": 1024**2, "g": 1024**3}
    text = text.strip().lower().removesuffix("b").removesuffix("i")
    if text and text[-1] in units:
        return int(float(text[:-1]) * units[text[-1]])
    return int(text)


def _iri(text: str) -> str:
    try:
        import pyoxigraph

        return pyoxigraph.NamedNode(text).value
    except ValueError as error:
        raise argparse.ArgumentTypeError(f"not an absolute IRI: {text!r} ({error})") from error


def add_serve_arguments(parser: argparse.ArgumentParser) -> None:
    """Add the options of ``jllm-kg serve`` to ``parser``."""
    parser.add_argument("--host", default="127.0.0.1",
                        help="interface to bind (default: %(default)s)")
    parser.add_argument("--port", type=int, default=8000, help="TCP port (default: %(default)s)")
    parser.add_argument(
        "--data", nargs="+", type=Path, metavar="PATH",
        help="RDF files or folders to serve instead of the packaged graph (the ontology is "
             "always added); .ttl .nt .nq .trig .jsonld .rdf; quads keep their graphs",
    )
    parser.add_argument(
        "--store", type=Path, metavar="DIR",
        help="persistent on-disk store: built on first use (or when the inputs change), then "
             "reopened read-only",
    )
    parser.add_argument("--rebuild", action="store_true", help="with --store: rebuild it now")
    parser.add_argument("--timeout", type=float, default=30.0,
                        help="query time limit in seconds (default: %(default)s)")
    parser.add_argument("--workers", type=int, default=2,
                        help="killable query worker processes per HTTP process "
                             "(default: %(default)s)")
    parser.add_argument("--http-workers", type=int, default=2,
                        help="HTTP worker processes (default: %(default)s)")
    parser.add_argument("--threads", type=int, default=8,
                        help="threads running the web app in each HTTP worker "
                             "(default: %(default)s)")
    parser.add_argument("--memory", type=_size, default=None, metavar="BYTES",
                        help="memory all running queries together may use on top of the open "
                        "stores, split evenly across the query workers (--http-workers × "
                        "--workers; RLIMIT_AS each), e.g. 8G (default: half of this machine's "
                        f"memory, {default_memory_budget() / 1024**3:.1f}G; 0: no cap)")
    parser.add_argument("--worker-memory", type=_size, default=None, metavar="BYTES",
                        help="a fixed cap per query worker instead of a share of --memory "
                        "(0: no cap)")
    parser.add_argument("--max-query-length", type=int, default=50_000, metavar="CHARS")
    parser.add_argument("--max-nesting", type=int, default=64, metavar="LEVELS",
                        help="deepest nesting of { } ( ) [ ] in a query; deeper gets 400 before "
                             "execution (default: %(default)s)")
    parser.add_argument("--max-url", type=int, default=8190, metavar="CHARS",
                        help="longest request URL (path and query string); a longer one gets "
                             "414, use POST (default: %(default)s; gunicorn itself refuses a "
                             "request line over 8190 bytes alike)")
    parser.add_argument("--max-body", type=_size, default=1024 * 1024, metavar="BYTES",
                        help="largest accepted request body (default: 1M)")
    parser.add_argument("--max-result", type=_size, default=128 * 1024 * 1024, metavar="BYTES",
                        help="largest answer (default: 128M)")
    parser.add_argument("--allow-service", action="store_true",
                        help="let SPARQL SERVICE make outbound requests: lifts the SERVICE "
                             "refusal and the query workers' network isolation (SSRF risk)")
    parser.add_argument("--base-url", metavar="URL",
                        help="public URL of this server, used in VoID and the service "
                             "description (default: from each request)")
    parser.add_argument("--dataset-license", metavar="IRI", type=_iri,
                        help="license of the served data, stated in VoID as dcterms:license "
                             "(default: none asserted; VoID states what is known as "
                             "dcterms:rights)")
    parser.add_argument("--resource-base", metavar="IRI", default=None,
                        help="IRI namespace served at /id/ (default: https://w3id.org/jllm-kg/id/)")
    parser.add_argument("--queries", type=Path, metavar="DIR",
                        help="saved queries folder (default: the packaged queries/)")
    parser.add_argument("--header-timeout", type=float, default=10.0, metavar="S",
                        help="seconds a client has to send its request line and headers before "
                             "the connection is closed (granian; default: %(default)s)")
    parser.add_argument("--max-connections", type=int, default=4096, metavar="N",
                        help="open connections per HTTP worker, idle and slow ones included; "
                             "more wait to be accepted (granian; default: %(default)s)")
    parser.add_argument("--access-log", action="store_true", help="log every request to stderr")
    parser.add_argument("--server", choices=("granian", "gunicorn", "waitress"),
                        default="granian",
                        help="HTTP server (default: %(default)s; gunicorn and waitress for "
                             "comparison runs, waitress must be installed)")


def config_from_args(args: argparse.Namespace) -> ServeConfig:
    """The :class:`ServeConfig` that the command-line options describe."""
    extra: dict[str, Any] = {}
    if args.queries is not None:
        extra["queries_dir"] = args.queries
    if args.resource_base:
        extra["resource_base"] = args.resource_base
    if args.dataset_license:
        extra["dataset_license"] = args.dataset_license
    return ServeConfig(
        timeout=args.timeout,
        workers=args.workers,
        worker_memory=_worker_memory(args),
        max_query_length=args.max_query_length,
        max_url_length=args.max_url,
        max_nesting=args.max_nesting,
        max_body_bytes=args.max_body,
        max_result_bytes=args.max_result,
        allow_service=args.allow_service,
        base_url=args.base_url,
        **extra,
    )


def _query_workers(args: argparse.Namespace) -> int:
    """Query worker processes of the whole server (waitress runs one HTTP process)."""
    http_processes = 1 if getattr(args, "server", "gunicorn") == "waitress" else args.http_workers
    return int(http_processes * args.workers)


def _worker_memory(args: argparse.Namespace) -> int | None:
    if args.worker_memory is not None:
        return int(args.worker_memory) or None
    budget = default_memory_budget() if args.memory is None else int(args.memory)
    return worker_share(budget, _query_workers(args))


def make_snapshot(args: argparse.Namespace, *, rebuild: bool = False) -> Snapshot:
    """Parse the inputs into a snapshot, in a child process (raises ``StoreLoadError`` naming a
    bad file or a damaged store)."""
    data = list(args.data) if args.data else None
    return build_in_subprocess(data, args.store, rebuild=rebuild)


def reload_snapshot(args: argparse.Namespace, current: Snapshot) -> Snapshot:
    """``SIGHUP``: the graph as the inputs now are. An on-disk store whose inputs are unchanged
    and whose files are intact is only reopened (checking it costs a ``stat`` per file; a
    rebuild at millions of quads, minutes); a changed input rebuilds it, and so does a damaged
    store (the operator asked for the graph again, and the inputs are at hand). Raises
    ``StoreLoadError`` naming a bad file: the caller keeps serving ``current``.

    In memory mode a snapshot whose inputs are unchanged is kept as it is (``current`` is
    returned): its fork server holds the graph already."""
    if args.store is None and inputs_unchanged(current, list(args.data) if args.data else None):
        log.info("reloaded the graph: the inputs are unchanged, the graph in memory is kept")
        return current
    try:
        fresh = make_snapshot(args)
    except StoreDamagedError as error:
        log.warning("%s: rebuilding it", error)
        fresh = make_snapshot(args, rebuild=True)
    if fresh == current and fresh.kind == "disk":
        log.info("reloaded the graph: the inputs are unchanged, the store %s is reopened as it "
                 "is", fresh.path.parent)
    else:
        log.info("reloaded the graph (%s)", fresh.path)
    return fresh


def run_serve(args: argparse.Namespace) -> int:
    """Build the snapshot and serve until interrupted (``SIGHUP`` reloads the graph)."""
    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(levelname)s %(message)s")
    if args.header_timeout <= 0:
        print("jllm-kg serve: --header-timeout must be > 0", file=sys.stderr)
        return EXIT_BAD_INPUT
    if min(args.workers, args.http_workers, args.threads, args.max_connections) < 1:
        print("jllm-kg serve: --workers, --http-workers, --threads and --max-connections "
              "must be ≥ 1",
              file=sys.stderr)
        return EXIT_BAD_INPUT
    try:
        snapshot = make_snapshot(args, rebuild=args.rebuild)
    except (StoreLoadError, OSError) as error:
        print(f"jllm-kg serve: {error}", file=sys.stderr)
        return EXIT_BAD_INPUT
    config = config_from_args(args)
    log.info("query memory: %s per query worker × %d",
             f"{config.worker_memory / 1024**3:.2f} GiB" if config.worker_memory else "no cap",
             _query_workers(args))
    if args.server == "waitress":
        return _run_waitress(args, config, snapshot)
    if args.server == "granian":
        return _run_granian(args, config, snapshot)
    server = _GunicornServer(args, config, snapshot)
    master = os.getpid()
    try:
        server.run()
    finally:
        # gunicorn workers are forks of this process and unwind through here when they exit:
        # only the master may remove the snapshots that the workers serve.
        if os.getpid() == master:
            server.fork_servers.close()
            for old in server.snapshots:
                discard_snapshot(old)
    return EXIT_OK


try:
    from gunicorn.app.base import BaseApplication
except ImportError:  # pragma: no cover - gunicorn is a dependency; Windows has no gunicorn
    BaseApplication = object


class _GunicornServer(BaseApplication):
    """gunicorn, configured in code; each worker process builds its own app (no preload)."""

    def __init__(self, args: argparse.Namespace, config: ServeConfig, snapshot: Snapshot) -> None:
        self.args = args
        self.serve_config = config
        self.snapshot = snapshot
        self.snapshots: list[Snapshot] = [snapshot]
        self.fork_servers = _ForkServers(snapshot)
        super().__init__()

    def load_config(self) -> None:
        args = self.args
        settings = {
            "bind": (f"[{args.host}]:{args.port}" if ":" in args.host
                     else f"{args.host}:{args.port}"),
            "workers": args.http_workers,
            "worker_class": "jllm_kg.serve.gunicorn_worker.PlainErrorsWorker",  # gthread
            "threads": args.threads,
            "timeout": int(max(60, self.serve_config.timeout * 2)),
            "graceful_timeout": int(max(10, self.serve_config.timeout + 5)),
            "keepalive": 5,
            "accesslog": "-" if args.access_log else None,
            "errorlog": "-",
            "loglevel": "info",
            "proc_name": "jllm-kg",
            "worker_exit": _close_app,
            # gunicorn's largest (0 would read a request line of any length into memory);
            # the app refuses a URL over --max-url itself
            "limit_request_line": 8190,
            # gunicorn's control socket defaults to one path per user ($HOME/.gunicorn): a
            # second server would take it over and delete it on exit; nothing here uses it
            "control_socket_disable": True,
        }
        for key, value in settings.items():
            self.cfg.set(key, value)

    def load(self) -> Any:
        from jllm_kg.serve.app import create_app

        return create_app(self.snapshot, config=self.serve_config,
                          fork_server=self.fork_servers.in_worker(self.snapshot))

    def reload(self) -> None:
        """``SIGHUP``: rebuild the snapshot; if that fails, keep serving the previous one."""
        try:
            fresh = reload_snapshot(self.args, self.snapshot)
        except (StoreLoadError, OSError) as error:
            log.error("reload failed, still serving the previous graph: %s", error)
        else:
            self.fork_servers.serve(fresh)
            if fresh != self.snapshot:
                self.snapshot = fresh
                self.snapshots.append(fresh)
            # Snapshots older than the previous one have no worker left once this reload ends.
            while len(self.snapshots) > 2:
                discard_snapshot(self.snapshots.pop(0))
        super().reload()


class _AppLoader:
    """Builds the app in each granian worker process from the snapshot of the latest (re)load.

    Picklable (a snapshot and a config), so it reaches the workers whether multiprocessing
    forks or spawns them; the master swaps ``snapshot`` on ``SIGHUP`` before the new workers
    start.
    """

    def __init__(self, args: argparse.Namespace, config: ServeConfig, snapshot: Snapshot) -> None:
        self.args = args
        self.config = config
        self.snapshot = snapshot
        self.snapshots: list[Snapshot] = [snapshot]
        self.fork_servers = _ForkServers(snapshot)

    def __call__(self) -> Any:
        import atexit

        from jllm_kg.serve.app import create_app

        app = create_app(self.snapshot, config=self.config,
                         fork_server=self.fork_servers.in_worker(self.snapshot))
        atexit.register(app.extensions["jllm_kg"].close)
        return app

    def reload(self) -> None:
        """``SIGHUP`` in the master: rebuild the snapshot, or keep the previous one."""
        try:
            fresh = reload_snapshot(self.args, self.snapshot)
        except (StoreLoadError, OSError) as error:
            log.error("reload failed, still serving the previous graph: %s", error)
            return
        self.fork_servers.serve(fresh)
        if fresh == self.snapshot:
            return  # unchanged: the same snapshot (and fork server) for the new HTTP workers
        self.snapshot = fresh
        self.snapshots.append(fresh)
        # Snapshots older than the previous one have no worker left once this reload ends.
        while len(self.snapshots) > 2:
            discard_snapshot(self.snapshots.pop(0))


class _ForkServers:
    """The master's shared fork server (:class:`~jllm_kg.serve.pool.SharedForkServer`) for the
    snapshot of the latest (re)load.

    On a reload the master lets go of the previous server at once: the HTTP workers forked
    before hold it still (they inherited its "alive" pipe), so it can replace their query
    workers until they are gone, and then ends — with the old graph — instead of waiting for
    the next reload; the HTTP workers forked after never hold it.
    """

    def __init__(self, snapshot: Snapshot) -> None:
        self.current = SharedForkServer(snapshot)

    def serve(self, snapshot: Snapshot) -> None:
        """After a reload: a server for ``snapshot`` (the same one if the snapshot is)."""
        if snapshot != self.current.snapshot:
            previous, self.current = self.current, SharedForkServer(snapshot)
            previous.release()

    def in_worker(self, snapshot: Snapshot) -> SharedForkServer:
        """In an HTTP worker just forked: the server of ``snapshot``."""
        assert self.current.snapshot == snapshot
        return self.current

    def close(self) -> None:
        self.current.release()


def _run_granian(args: argparse.Namespace, config: ServeConfig, snapshot: Snapshot) -> int:
    """granian: HTTP in Rust (tokio), the WSGI app on ``--threads`` threads per worker process.

    A connection costs a task, not a thread, until its request is complete: clients that send
    their headers slowly hold no worker thread (and are dropped after ``--header-timeout``).
    """
    from granian.constants import Interfaces
    from granian.http import HTTP1Settings
    from granian.server import Server

    loader = _AppLoader(args, config, snapshot)
    server = Server(
        "jllm_kg.serve.app:create_app",  # only named in granian's log: the loader builds the app
        address=args.host,
        port=args.port,
        interface=Interfaces.WSGI,
        workers=args.http_workers,
        blocking_threads=args.threads,
        backlog=LISTEN_BACKLOG,
        backpressure=args.max_connections,
        http1_settings=HTTP1Settings(header_read_timeout=int(args.header_timeout * 1000)),
        log_access=args.access_log,
        workers_kill_timeout=int(max(10, config.timeout + 5)),
        respawn_failed_workers=True,  # a crashed HTTP worker is replaced, not the end of all
    )
    server.on_reload(loader.reload)
    try:
        server.serve(target_loader=loader, wrap_loader=False)
    finally:
        loader.fork_servers.close()
        for old in loader.snapshots:
            discard_snapshot(old)
    return EXIT_OK


def _run_waitress(args: argparse.Namespace, config: ServeConfig, snapshot: Snapshot) -> int:
    """One process, ``--threads`` threads (no reload on SIGHUP): for comparison runs."""
    try:
        import waitress
    except ImportError:
        print("jllm-kg serve: --server waitress needs the waitress package", file=sys.stderr)
        return EXIT_BAD_INPUT
    from jllm_kg.serve.app import create_app

    app = create_app(snapshot, config=config)
    try:
        waitress.serve(app, host=args.host, port=args.port, threads=args.threads,
                       ident="jllm-kg", _quiet=not args.access_log)
    finally:
        app.extensions["jllm_kg"].close()
        discard_snapshot(snapshot)
    return EXIT_OK


def _close_app(server: Any, worker: Any) -> None:
    app = getattr(worker, "wsgi", None)
    service = getattr(app, "extensions", {}).get("jllm_kg") if app is not None else None
    if service is not None:
        service.close()


def main(argv: list[str] | None = None) -> int:
    """``python -m jllm_kg.serve.cli`` (the same as ``jllm-kg serve``)."""
    parser = argparse.ArgumentParser(prog="jllm-kg serve", description=__doc__)
    add_serve_arguments(parser)
    return run_serve(parser.parse_args(argv))


if __name__ == "__main__":
    os.environ.setdefault("PYTHONUNBUFFERED", "1")
    raise SystemExit(main())
