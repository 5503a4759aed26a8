"""jllm-kg: the knowledge graph of the Japanese LLM ecosystem.

Stages, each a subpackage with one job, in one direction:
``ingest`` (sources → records) → ``normalize`` (free text → identities and numbers) →
``map`` (records → RDF) → ``validate`` (SHACL) → ``store`` (Oxigraph) → ``serve`` (HTTP).

From Python, :func:`open` gives the packaged graph (see :mod:`jllm_kg.api`):

>>> import jllm_kg
>>> kg = jllm_kg.open()
>>> kg.query("SELECT ?id WHERE { ?m jllm:huggingFaceId ?id } ORDER BY ?id LIMIT 1")
[{'id': 'AIBunCho/japanese-novel-gpt-j-6b'}]
"""

from __future__ import annotations

# Type checkers take this name as true; at run time neither typing nor the annotated names are
# imported, which would make `import jllm_kg` several times slower.
TYPE_CHECKING = False
if TYPE_CHECKING:
    from collections.abc import Sequence
    from pathlib import Path

    from jllm_kg.api import KnowledgeGraph

__version__ = "0.1.0"


def open(data_paths: Sequence[Path | str] | None = None) -> KnowledgeGraph:
    """The packaged knowledge graph (or the RDF files / folders ``data_paths``) in memory.

    The store and its query engine are imported here, not with the package, so that
    ``import jllm_kg`` stays cheap. See :func:`jllm_kg.api.open_graph`.
    """
    from jllm_kg.api import open_graph

    return open_graph(data_paths)
