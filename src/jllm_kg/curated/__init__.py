"""Loading of the curated data files in ``data/curated/``, each validated against its schema.

Every file has a pydantic model in :mod:`jllm_kg.curated.schemas`; a file is parsed and
validated once per process, and a wrong key or type raises :class:`CuratedDataError` naming
the file, the line, the entry and the key. A file without a registered schema cannot be loaded.
The tables are read from :func:`jllm_kg.paths.curated_dir` (``JLLM_KG_CURATED_DIR`` overrides it).

>>> isinstance(curated_path("licenses.yaml"), Path)
True
>>> from jllm_kg.curated.schemas import LicensesFile
>>> load_table("licenses.yaml", LicensesFile).licenses[0].key
'apache-2.0'
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Any, TypeVar

import yaml
from pydantic import BaseModel, ValidationError

from jllm_kg.curated.schemas import SCHEMAS
from jllm_kg.paths import curated_dir

ModelT = TypeVar("ModelT", bound=BaseModel)

# libyaml's safe loader when PyYAML was built with it: the same data, ten times faster.
_LOADER: type[yaml.SafeLoader] = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
# Keys that identify an entry of a list in the curated files, most telling first.
_ENTRY_NAMES = ("key", "title", "pattern")
# A systematic mistake (a key misspelt in every entry) is reported this many times, not 100.
_MAX_REPORTED = 10


class CuratedDataError(ValueError):
    """A curated data file is missing or malformed; the message names the file."""


def curated_path(name: str) -> Path:
    return curated_dir() / name


@dataclass(frozen=True)
class CuratedFile:
    """One parsed and validated curated file."""

    path: Path
    data: Any  # the YAML as parsed (plain dicts and lists)
    model: BaseModel  # the same content as its schema's model


def _schema(name: str) -> type[BaseModel]:
    try:
        return SCHEMAS[name]
    except KeyError:
        raise CuratedDataError(
            f"{curated_dir() / name}: no schema registered for this curated file "
            "(add a model to jllm_kg.curated.schemas.SCHEMAS)"
        ) from None


def read_curated_file(path: Path) -> CuratedFile:
    """Parse and validate the curated file at *path* against the schema of its file name.

    Not cached: :func:`load_curated` and :func:`load_table` cache the files of
    ``data/curated/``; this is the check itself (also usable on a copy of a file).
    """
    schema = _schema(path.name)
    try:
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError as error:
        raise CuratedDataError(f"{path}: curated data file not found") from error
    try:
        data = yaml.load(text, Loader=_LOADER)
    except yaml.YAMLError as error:
        raise CuratedDataError(f"{path}: {error}") from error
    try:
        model = schema.model_validate(data)
    except ValidationError as error:
        root = yaml.compose(text, Loader=_LOADER)  # the nodes carry the line numbers
        problems = [_describe(path, data, root, problem) for problem in error.errors()]
        if len(problems) > _MAX_REPORTED:
            more = len(problems) - _MAX_REPORTED
            problems = [*problems[:_MAX_REPORTED], f"… and {more} more problem(s)"]
        raise CuratedDataError("\n".join(problems)) from None
    return CuratedFile(path=path, data=data, model=model)


@cache
def _load(name: str) -> CuratedFile:
    return read_curated_file(curated_path(name))


def load_curated(name: str) -> Any:
    """The content of ``data/curated/{name}`` as parsed YAML, validated once per process."""
    return _load(name).data


def load_table(name: str, schema: type[ModelT]) -> ModelT:
    """The content of ``data/curated/{name}`` as its schema's model (validated, cached)."""
    model = _load(name).model
    if not isinstance(model, schema):
        raise TypeError(f"{name} validates as {type(model).__name__}, not {schema.__name__}")
    return model


def validate_curated_dir(directory: Path | None = None) -> list[Path]:
    """Validate every ``*.yaml`` file of *directory* (default: ``data/curated/``); the files."""
    paths = sorted((directory or curated_dir()).glob("*.yaml"))
    for path in paths:
        read_curated_file(path)
    return paths


# --------------------------------------------------------------------------- error messages


def _describe(path: Path, data: Any, root: yaml.Node | None, problem: Any) -> str:
    """``file:line: entry …: key …: message (got …)`` for one pydantic error."""
    loc: Sequence[int | str] = [part for part in problem["loc"] if part != "root"]
    steps: list[str] = []
    value = data
    node = root
    line = node.start_mark.line + 1 if node is not None else None
    for depth, part in enumerate(loc):
        last = depth == len(loc) - 1
        if part == "[key]":  # pydantic's marker: the mapping key itself is wrong
            steps.append(" (the key)")
            break
        if isinstance(value, list) and isinstance(part, int) and part < len(value):
            value = value[part]
            steps.append(f"[{part}]{_entry_name(value)}")
        elif isinstance(value, dict) and part in value:
            value = value[part]
            steps.append(f"{'.' if steps else ''}{part}")
        elif isinstance(value, dict) and last:
            steps.append(f"{'.' if steps else ''}{part}")  # a required key that is missing
        else:
            break
        node, key_line = _child(node, part)
        if node is not None:
            line = (key_line if key_line is not None else node.start_mark.line) + 1
    where = "".join(steps) or "top level"
    message = problem["msg"].removeprefix("Value error, ")
    if problem["type"] == "extra_forbidden":
        message = f"unknown key {loc[-1]!r} (misspelt?)"
    elif problem["type"] != "missing" and not isinstance(problem["input"], dict | list):
        message = f"{message} (got {problem['input']!r})"
    at_line = f" line {line}" if line is not None else ""
    return f"{path}{at_line}: {where}: {message}"


def _entry_name(entry: Any) -> str:
    if isinstance(entry, dict):
        for name in _ENTRY_NAMES:
            if isinstance(entry.get(name), str | int):
                return f" ({name} {entry[name]!r})"
    return ""


def _child(node: yaml.Node | None, part: int | str) -> tuple[yaml.Node | None, int | None]:
    """The YAML node under *node* at *part*, and the line of its key (for mappings)."""
    if isinstance(node, yaml.SequenceNode) and isinstance(part, int) and part < len(node.value):
        return node.value[part], None
    if isinstance(node, yaml.MappingNode):
        for key_node, value_node in node.value:
            if key_node.value == str(part):
                return value_node, key_node.start_mark.line
    return None, None
