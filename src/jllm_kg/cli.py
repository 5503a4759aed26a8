"""The ``jllm-kg`` command line: ingest, history, validate, query, queries, export, serve.

Each sub-command is a thin shell over one stage's public function; the exit code is the verdict
(0 success, 1 a failed check such as a SHACL violation, 2 bad input).
"""

from __future__ import annotations

import argparse
import logging
import os
import shutil
import sys
from collections.abc import Sequence
from pathlib import Path

from jllm_kg import __version__
from jllm_kg.lineage_export import FORMATS as LINEAGE_FORMATS
from jllm_kg.paths import data_dir
from jllm_kg.querying import EXPORT_FORMATS, QUERY_FORMATS, TABLE
from jllm_kg.serve.cli import add_serve_arguments, run_serve

EXIT_OK = 0
EXIT_FAILED = 1
EXIT_BAD_INPUT = 2

DEFAULT_EXPORT_FORMAT = "nquads"



def _warnings_to_stderr(command: str) -> None:
    """Print the warnings the stages log (input that does not stop them) as one line each."""
    handler = logging.StreamHandler(sys.stderr)
    handler.setFormatter(logging.Formatter(f"{command}: warning: %(message)s"))
    handler.setLevel(logging.WARNING)
    logger = logging.getLogger("jllm_kg")
    logger.addHandler(handler)
    logger.setLevel(logging.WARNING)


def _ingest(args: argparse.Namespace) -> int:
    from jllm_kg.pipeline import IngestError, ingest_sources

    _warnings_to_stderr("jllm-kg ingest")
    if args.out is not None and args.out.exists() and not args.out.is_dir():
        print(f"jllm-kg ingest: --out {args.out} is a file, not a folder", file=sys.stderr)
        return EXIT_BAD_INPUT
    try:
        summary = ingest_sources(
            [Path(p) for p in args.paths], out_dir=args.out, rev=args.rev, strict=args.strict,
            keep=args.keep,
        )
    except IngestError as error:
        print(f"jllm-kg ingest: {error}", file=sys.stderr)
        return EXIT_BAD_INPUT
    except OSError as error:  # the sources were read: writing the output failed
        print(f"jllm-kg ingest: cannot write the graph to --out "
              f"{args.out if args.out is not None else data_dir()}: "
              f"{error.strerror or error}", file=sys.stderr)
        return EXIT_BAD_INPUT
    print(summary.describe())
    if args.report is not None:
        try:
            args.report.write_text(summary.report_json(), encoding="utf-8")
        except OSError as error:
            print(f"jllm-kg ingest: --report {args.report}: {error}", file=sys.stderr)
            return EXIT_BAD_INPUT
    if args.strict and summary.problems:
        print(f"jllm-kg ingest: --strict: {len(summary.problems)} problem(s); nothing written",
              file=sys.stderr)
        return EXIT_FAILED
    return EXIT_OK


def _default_history_cache() -> Path:
    """``$XDG_CACHE_HOME/jllm-kg/history`` (``~/.cache/…``): outside the data folder, which
    is committed and loaded whole."""
    base = os.environ.get("XDG_CACHE_HOME") or str(Path.home() / ".cache")
    return Path(base) / "jllm-kg" / "history"


def _history(args: argparse.Namespace) -> int:
    from jllm_kg.history import HistoryError, build_history

    if args.out is not None and args.out.exists() and not args.out.is_dir():
        print(f"jllm-kg history: --out {args.out} is a file, not a folder", file=sys.stderr)
        return EXIT_BAD_INPUT
    cache = None if args.no_cache else (args.cache or _default_history_cache())
    try:
        summary = build_history(args.repository, rev=args.rev, out_dir=args.out,
                                cache_dir=cache)
    except HistoryError as error:
        print(f"jllm-kg history: {error}", file=sys.stderr)
        return EXIT_BAD_INPUT
    except OSError as error:
        print(f"jllm-kg history: cannot write the history or its cache: "
              f"{error.strerror or error}: {error.filename or ''}", file=sys.stderr)
        return EXIT_BAD_INPUT
    print(summary.describe())
    return EXIT_OK


def _validate(args: argparse.Namespace) -> int:
    from jllm_kg.formats import RDF_EXTENSIONS, rdf_files
    from jllm_kg.validate import format_report, validate_graph

    paths = [Path(p) for p in args.paths] or None
    try:
        if not rdf_files(paths or [data_dir()]):
            # nothing to check is no "conforms"
            print(f"jllm-kg validate: no RDF files in {', '.join(map(str, paths or [data_dir()]))}"
                  f" (looked for {' '.join(sorted(RDF_EXTENSIONS))})", file=sys.stderr)
            return EXIT_BAD_INPUT
        report = validate_graph(paths)
    except (OSError, ValueError) as error:
        print(f"jllm-kg validate: {error}", file=sys.stderr)
        return EXIT_BAD_INPUT
    print(format_report(report))
    return EXIT_OK if report.conforms else EXIT_FAILED


def _query(args: argparse.Namespace) -> int:
    from jllm_kg.querying import QueryError, resolve_query, run_query_text
    from jllm_kg.store import StoreLoadError

    data = [Path(p) for p in args.data] if args.data else None
    try:
        text = resolve_query(args.query)
        output = run_query_text(text, output_format=args.format, data_paths=data,
                                table_width=_table_width(args))
    except (QueryError, StoreLoadError) as error:
        print(f"jllm-kg query: {error}", file=sys.stderr)
        return EXIT_BAD_INPUT
    sys.stdout.write(output)
    return EXIT_OK


def _table_width(args: argparse.Namespace) -> int | None:
    """The columns a result table must fit: ``--width``, else the terminal's when the output is
    one; ``None`` (whole cells) with ``--wide`` or when the output goes to a pipe or a file,
    where a reader (``less -S``, ``grep``, a script) wants every value whole."""
    if args.wide:
        return None
    if args.width is not None:
        return int(args.width)
    if sys.stdout.isatty():
        return shutil.get_terminal_size().columns
    return None


def _positive_width(text: str) -> int:
    """The value of ``--width``: a positive whole number."""
    try:
        width = int(text)
    except ValueError:
        width = 0
    if width < 1:
        raise argparse.ArgumentTypeError(f"--width takes a number of columns, not {text!r}")
    return width


def _queries(args: argparse.Namespace) -> int:
    from jllm_kg.querying import saved_queries

    saved = saved_queries()
    width = max((len(name) for name in saved), default=0)
    for entry in saved.values():
        print(f"{entry.name.ljust(width)}  {entry.title}")
        if args.verbose and entry.description:
            print(f"{' ' * width}  {entry.description}")
    return EXIT_OK


def _export(args: argparse.Namespace) -> int:
    from jllm_kg.querying import QueryError, export_graph
    from jllm_kg.store import StoreLoadError

    data = [Path(p) for p in args.data] if args.data else None
    try:
        if args.output:
            with open(args.output, "wb") as handle:
                export_graph(handle, output_format=args.format, data_paths=data)
        else:
            export_graph(sys.stdout.buffer, output_format=args.format, data_paths=data)
    except BrokenPipeError:
        raise  # the reader stopped early: main() ends quietly
    except (QueryError, StoreLoadError, OSError) as error:
        print(f"jllm-kg export: {error}", file=sys.stderr)
        return EXIT_BAD_INPUT
    return EXIT_OK


def _export_command(args: argparse.Namespace) -> int:
    """``jllm-kg export``: the lineage edges with ``--lineage``, else the whole graph."""
    if args.lineage:
        return _export_lineage(args)
    if args.format in LINEAGE_FORMATS:
        print(f"jllm-kg export: --format {args.format} is a format of --lineage; the whole "
              f"graph is written as one of {', '.join(EXPORT_FORMATS)}", file=sys.stderr)
        return EXIT_BAD_INPUT
    if args.format is None:
        args.format = DEFAULT_EXPORT_FORMAT
    return _export(args)


def _export_lineage(args: argparse.Namespace) -> int:
    """``jllm-kg export --lineage``: derivation edges as CSV or GraphML."""
    from jllm_kg.api import open_graph
    from jllm_kg.lineage_export import FORMAT_SUFFIXES, export_lineage
    from jllm_kg.store import StoreLoadError

    output_format = args.format
    if output_format is None:
        suffix = Path(args.output).suffix.lower() if args.output else ""
        output_format = FORMAT_SUFFIXES.get(suffix, LINEAGE_FORMATS[0])
    if output_format not in LINEAGE_FORMATS:
        choices = " or ".join(LINEAGE_FORMATS)
        print(f"jllm-kg export: --lineage writes {choices}, not {output_format}", file=sys.stderr)
        return EXIT_BAD_INPUT
    try:
        kg = open_graph(args.data)
        if args.output:
            with open(args.output, "w", encoding="utf-8", newline="") as handle:
                count = export_lineage(kg, handle, output_format=output_format)
        else:
            count = export_lineage(kg, sys.stdout, output_format=output_format)
            sys.stdout.flush()
    except BrokenPipeError:
        # the reader stopped early (`| head`): not an error of ours; silence the final flush
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        return EXIT_OK
    except (StoreLoadError, OSError) as error:
        print(f"jllm-kg export: {error}", file=sys.stderr)
        return EXIT_BAD_INPUT
    if args.output:
        print(f"{count} derivation edges written to {args.output} ({output_format})",
              file=sys.stderr)
    return EXIT_OK


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="jllm-kg", description="The knowledge graph of the Japanese LLM ecosystem."
    )
    parser.add_argument("--version", action="version", version=f"jllm-kg {__version__}")
    commands = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")

    ingest = commands.add_parser(
        "ingest", help="rebuild the graph from source documents (list markdown, papers)"
    )
    ingest.add_argument(
        "paths", nargs="+", metavar="PATH",
        help="source documents, or folders holding a checkout of the list (every language)",
    )  # fmt: skip
    ingest.add_argument(
        "--rev", metavar="REV",
        help="read this version of each checkout straight from git (commit, tag, branch)",
    )  # fmt: skip
    ingest.add_argument(
        "--keep", type=Path, metavar="DIR",
        help="keep the sources of a previous graph folder (data/graph) that the inputs do not "
             "give: a list version a checkout has is read again at its commit, any other "
             "(the paper, seed 000) is copied as it was; the run lists which",
    )  # fmt: skip
    ingest.add_argument(
        "--report", type=Path, metavar="FILE",
        help="write the sources read and every problem (file, line, text, reason) as JSON",
    )  # fmt: skip
    ingest.add_argument(
        "--strict", action="store_true",
        help="a row, cell, table or include that cannot be read fails the run (exit 1)",
    )  # fmt: skip
    ingest.add_argument(
        "--out", type=Path, default=None, help="output folder (default: the project's data/)"
    )
    ingest.set_defaults(handler=_ingest)

    history = commands.add_parser(
        "history", help="walk the list's repository and write its history graph"
    )
    history.add_argument("repository", type=Path, metavar="REPO",
                         help="a clone of the list's repository")
    history.add_argument("--rev", metavar="REV",
                         help="walk the main line up to this commit (default: HEAD)")
    history.add_argument(
        "--out", type=Path, default=None,
        help="output folder; the graph goes to its history/ (default: the project's data/)",
    )
    caching = history.add_mutually_exclusive_group()
    caching.add_argument(
        "--cache", type=Path, metavar="DIR",
        help="keep the rows and versions read here (default: ~/.cache/jllm-kg/history)",
    )
    caching.add_argument("--no-cache", action="store_true",
                         help="read every version afresh and keep nothing on disk")
    history.set_defaults(handler=_history)

    validate = commands.add_parser("validate", help="SHACL-validate the graph; exit 1 on violation")
    validate.add_argument(
        "paths", nargs="*", metavar="PATH", help="RDF files or folders (default: packaged data/)"
    )
    validate.set_defaults(handler=_validate)

    query = commands.add_parser("query", help="run a SPARQL query locally, no server")
    query.add_argument(
        "query", metavar="QUERY", help="SPARQL text, a .rq file or a saved query's name"
    )
    query.add_argument("--format", choices=QUERY_FORMATS, default=TABLE)
    query.add_argument("--data", nargs="+", metavar="PATH", help="query these RDF files instead")
    fitting = query.add_mutually_exclusive_group()
    fitting.add_argument(
        "--wide", action="store_true",
        help="show whole cells and IRIs in the table (the default when the output is no terminal)",
    )
    fitting.add_argument(
        "--width", type=_positive_width, metavar="COLUMNS",
        help="fit the table to this many columns (default: the terminal's width)",
    )
    query.set_defaults(handler=_query)

    queries = commands.add_parser("queries", help="list the saved queries (run one by name)")
    queries.add_argument("--verbose", "-v", action="store_true", help="add their descriptions")
    queries.set_defaults(handler=_queries)

    export = commands.add_parser(
        "export", help="write the whole graph as a dump, or its lineage edges (--lineage)"
    )
    export.add_argument(
        "--lineage", action="store_true",
        help="write the derivation edges (child → parent) as CSV or GraphML, not RDF",
    )
    export.add_argument(
        "--format", choices=(*EXPORT_FORMATS, *LINEAGE_FORMATS), default=None,
        help=f"default: {DEFAULT_EXPORT_FORMAT}; with --lineage the output file's suffix, else csv",
    )
    export.add_argument("--output", "-o", metavar="FILE", help="write here instead of stdout")
    export.add_argument("--data", nargs="+", metavar="PATH", help="export these RDF files instead")
    export.set_defaults(handler=_export_command)

    serve = commands.add_parser("serve", help="serve the SPARQL endpoint and linked-data pages")
    add_serve_arguments(serve)
    serve.set_defaults(handler=run_serve)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    try:
        return int(args.handler(args))
    except BrokenPipeError:
        # the reader of our output stopped early (`| head`): not an error of ours; the final
        # flush of stdout would fail again, so it goes to /dev/null
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        return EXIT_OK


if __name__ == "__main__":
    raise SystemExit(main())
