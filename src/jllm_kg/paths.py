"""Where the packaged resources (ontology, shapes, data, queries) live.

An installed wheel carries them under ``jllm_kg/resources/``; a source checkout keeps them at
the repository root. Both layouts resolve to the same names here, so no other module needs to
know which one it runs from.

>>> (ontology_dir() / "jllm.ttl").is_file()
True
"""

from __future__ import annotations

import os
from pathlib import Path

_PACKAGE_DIR = Path(__file__).resolve().parent


def resources_root() -> Path:
    """The folder holding ``ontology/``, ``shapes/``, ``data/`` and ``queries/``."""
    packaged = _PACKAGE_DIR / "resources"
    if (packaged / "ontology").is_dir():
        return packaged
    return _PACKAGE_DIR.parent.parent


def ontology_dir() -> Path:
    return resources_root() / "ontology"


def shapes_dir() -> Path:
    return resources_root() / "shapes"


def data_dir() -> Path:
    """The committed knowledge graph: generated source graphs plus ``curated/``."""
    return resources_root() / "data"


def curated_dir() -> Path:
    """Hand-maintained data files: alias tables, license facts, foreign base models.

    ``JLLM_KG_CURATED_DIR`` points a run at another copy of them (to try an edit of the
    tables without touching the committed ones).
    """
    override = os.environ.get("JLLM_KG_CURATED_DIR")
    return Path(override) if override else data_dir() / "curated"


def queries_dir() -> Path:
    return resources_root() / "queries"


def default_seeds_dir() -> Path:
    """``../shared/seeds`` next to a checkout (used by tests and the default ingest)."""
    return _PACKAGE_DIR.parent.parent.parent / "shared" / "seeds"


HISTORY_SUBDIR = "history"
"""The folder of ``data/`` (or of ``jllm-kg history --out``) holding the history graph; the
ingest swaps ``data/graph/`` whole, so the history lives beside it, loaded with it."""


def history_dir() -> Path:
    """The committed history graph (``jllm-kg history``), loaded with ``data/graph/``."""
    return data_dir() / HISTORY_SUBDIR
