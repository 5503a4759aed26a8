"""Loading of the curated data files in ``data/curated/``.

>>> isinstance(curated_path("licenses.yaml"), Path)
True
"""

from __future__ import annotations

from functools import cache
from pathlib import Path
from typing import Any

import yaml

from jllm_kg.paths import curated_dir


class CuratedDataError(ValueError):
    """A curated data file is missing or malformed; the message names the file."""


def curated_path(name: str) -> Path:
    return curated_dir() / name


@cache
def load_curated(name: str) -> Any:
    """Parse ``data/curated/{name}`` (YAML) once per process."""
    path = curated_path(name)
    try:
        with path.open(encoding="utf-8") as handle:
            return yaml.safe_load(handle)
    except FileNotFoundError as error:
        raise CuratedDataError(f"{path}: curated data file not found") from error
    except yaml.YAMLError as error:
        raise CuratedDataError(f"{path}: {error}") from error
