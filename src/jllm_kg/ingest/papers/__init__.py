"""Paper-specific parsers; each module exposes ``PARSER`` (a ``jllm_kg.ingest.paper.PaperParser``)
and is listed in :mod:`jllm_kg.ingest.papers.registry`."""
