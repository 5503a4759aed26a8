"""Normalize: free text of the sources → identities (developers, licenses, datasets, base
models, architectures) and numbers (sizes, token counts, context lengths).

Alias tables and facts live in ``data/curated/`` (YAML), never in code.
"""
