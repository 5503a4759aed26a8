"""jllm-kg: the knowledge graph of the Japanese LLM ecosystem.

Stages, each a subpackage with one job, in one direction:
``ingest`` (sources → records) → ``normalize`` (free text → identities and numbers) →
``map`` (records → RDF) → ``validate`` (SHACL) → ``store`` (Oxigraph) → ``serve`` (HTTP).
"""

__version__ = "0.1.0"
