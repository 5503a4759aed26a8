"""Recompute the README's numbers from the packaged graph and write them between its markers.

Each generated block sits between ``<!-- NAME:start -->`` and ``<!-- NAME:end -->``:

- ``numbers``: what the graph holds (models, datasets, developers, licences, derivations, source
  documents, quads), each with what it counts;
- ``numbers:developers``: the first rows of the saved query ``developers-by-models``.

``--check`` writes nothing and exits 1 when a block differs from what the graph gives now (a
test runs it, so stale numbers fail CI); a README without one of the markers is an error (exit
2) naming the marker. Run: ``.venv/bin/python scripts/readme_numbers.py [--check] [--readme
FILE] [--data PATH...]``.
"""

from __future__ import annotations

import argparse
import difflib
import re
import sys
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path

from jllm_kg.api import KnowledgeGraph, open_graph
from jllm_kg.paths import queries_dir
from jllm_kg.querying import display_width
from jllm_kg.serve.saved import load_saved_queries
from jllm_kg.store import ONTOLOGY_GRAPH

README = Path(__file__).resolve().parent.parent / "README.md"
DEVELOPER_ROWS = 5
"""Rows of ``developers-by-models`` shown in the README."""


@dataclass(frozen=True)
class Count:
    """One number of the README: what it counts, and the query counting it (as ``?n``)."""

    name: str
    meaning: str
    query: str


COUNTS = (
    Count("models", "resources typed `jllm:Model` (Japanese models, their checkpoints and the "
          "foreign base models they build on)",
          "SELECT (COUNT(DISTINCT ?x) AS ?n) { ?x a jllm:Model }"),
    Count("datasets", "resources typed `jllm:Dataset`",
          "SELECT (COUNT(DISTINCT ?x) AS ?n) { ?x a jllm:Dataset }"),
    Count("developers", "organisations and people that developed at least one model",
          "SELECT (COUNT(DISTINCT ?d) AS ?n) { ?m a jllm:Model ; jllm:developer ?d }"),
    Count("licences", "licences at least one model is released under",
          "SELECT (COUNT(DISTINCT ?l) AS ?n) { ?m a jllm:Model ; jllm:license ?l }"),
    Count("derivations", "model → parent pairs (`prov:wasDerivedFrom`)",
          "SELECT (COUNT(*) AS ?n) { SELECT DISTINCT ?c ?p { ?c prov:wasDerivedFrom ?p } }"),
    Count("source documents", "the list versions, the paper and the curated tables",
          "SELECT (COUNT(DISTINCT ?s) AS ?n) { ?s a jllm:SourceDocument }"),
    Count("quads", "statements as stored, each in the named graph of its source (the "
          "ontology not counted)",
          "SELECT (COUNT(*) AS ?n) { GRAPH ?g { ?s ?p ?o } "
          f"FILTER(?g != <{ONTOLOGY_GRAPH}>) }}"),
)


def number(n: int) -> str:
    """``n`` with a thin space between groups of three digits, as the README writes them.

    >>> number(36209), number(677)
    ('36 209', '677')
    """
    return f"{n:,}".replace(",", " ")


def counts_block(kg: KnowledgeGraph) -> str:
    lines = ["| | how many | what is counted |", "|---|---:|---|"]
    for count in COUNTS:
        rows = kg.query(count.query)
        lines.append(f"| {count.name} | {number(int(rows[0]['n']))} | {count.meaning} |")
    lines.append("")
    lines.append("Computed from the packaged graph by `scripts/readme_numbers.py`.")
    return "\n".join(lines)


def developers_block(kg: KnowledgeGraph) -> str:
    """The first rows of ``developers-by-models``, aligned as ``jllm-kg query`` prints them
    (wide characters count two columns)."""
    saved = load_saved_queries(queries_dir())["developers-by-models"]
    header = ("name", "nameJa", "models")
    cells = [[str(row.get(column, "")) for column in header]
             for row in kg.query(saved.text)[:DEVELOPER_ROWS]]
    widths = [max(display_width(c) for c in column)
              for column in zip(header, *cells, strict=True)]

    def line(values: Sequence[str]) -> str:
        return " | ".join(c + " " * (w - display_width(c))
                          for c, w in zip(values, widths, strict=True)).rstrip()

    table = [line(header), "-+-".join("-" * w for w in widths), *(line(c) for c in cells)]
    return "```\n" + "\n".join(table) + "\n```"


BLOCKS: dict[str, Callable[[KnowledgeGraph], str]] = {
    "numbers": counts_block,
    "numbers:developers": developers_block,
}


class MissingMarker(ValueError):
    """The README lacks the start or end marker of a block."""


def rewrite(text: str, blocks: dict[str, str], *, source: str = "README.md") -> str:
    """``text`` with each block's content replaced between its markers.

    >>> rewrite("a\\n<!-- numbers:start -->\\nold\\n<!-- numbers:end -->\\nb", {"numbers": "new"})
    'a\\n<!-- numbers:start -->\\nnew\\n<!-- numbers:end -->\\nb'
    """
    for name, content in blocks.items():
        start, end = f"<!-- {name}:start -->\n", f"<!-- {name}:end -->"
        found = re.search(re.escape(start) + ".*?" + re.escape(end), text, re.S)
        if found is None:
            raise MissingMarker(f"{source}: no {start.strip()} … {end} block")
        text = text[:found.start()] + start + content + "\n" + end + text[found.end():]
    return text


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--check", action="store_true",
                        help="write nothing; exit 1 when the README's numbers are stale")
    parser.add_argument("--readme", type=Path, default=README)
    parser.add_argument("--data", type=Path, nargs="+",
                        help="RDF files or folders instead of the packaged graph")
    args = parser.parse_args(argv)
    try:
        text = args.readme.read_text(encoding="utf-8")
    except OSError as error:
        print(f"{args.readme}: {error.strerror or error}", file=sys.stderr)
        return 2
    kg = open_graph(args.data)
    try:
        updated = rewrite(text, {name: make(kg) for name, make in BLOCKS.items()},
                          source=str(args.readme))
    except MissingMarker as error:
        print(error, file=sys.stderr)
        return 2
    if updated == text:
        print(f"{args.readme}: the numbers are up to date")
        return 0
    if args.check:
        sys.stdout.writelines(difflib.unified_diff(
            text.splitlines(keepends=True), updated.splitlines(keepends=True),
            str(args.readme), "from the graph"))
        print(f"{args.readme}: the numbers are stale; run scripts/readme_numbers.py",
              file=sys.stderr)
        return 1
    args.readme.write_text(updated, encoding="utf-8")
    print(f"{args.readme}: numbers rewritten")
    return 0


if __name__ == "__main__":
    sys.exit(main())
