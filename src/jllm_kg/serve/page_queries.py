"""The SPARQL the pages run, as named ``.rq`` files in ``sparql/`` (shipped with the package).

Values (a resource's IRI, the resource namespace, a search text) are never spliced into the text:
each file names them as variables and the caller binds them (``GraphService.select(…, bind=)``,
pyoxigraph's ``substitutions``); a SELECT projects the variables it lets the caller bind.

>>> "?resource" in page_query("resource-facts")
True
"""

from __future__ import annotations

from functools import cache
from pathlib import Path

SPARQL_DIR = Path(__file__).parent / "sparql"


@cache
def page_query(name: str) -> str:
    """The text of ``sparql/NAME.rq``; ``FileNotFoundError`` naming the file if it is absent."""
    return (SPARQL_DIR / f"{name}.rq").read_text(encoding="utf-8")


def page_query_names() -> list[str]:
    """Every named page query, sorted."""
    return sorted(path.stem for path in SPARQL_DIR.glob("*.rq"))
