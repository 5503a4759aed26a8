"""What ``jllm-kg ingest`` is given → the documents to map: files and checkouts of the list.

A path is a source file (a seed, a paper; read by :func:`jllm_kg.ingest.sources.read_source`)
or a folder holding a checkout of the list (read by
:func:`jllm_kg.ingest.checkout.read_checkout`, at ``rev`` when given). Two inputs that are the
same version (seed 003 and a checkout at 9dd3297) are one source: the first is kept.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from jllm_kg.ingest.checkout import read_checkout
from jllm_kg.ingest.paper_records import PaperDocument
from jllm_kg.ingest.records import ListDocument, Problem
from jllm_kg.ingest.sources import read_source

__all__ = ["InputError", "read_inputs"]

Document = ListDocument | PaperDocument


class InputError(ValueError):
    """An input cannot be read at all; the message names it."""


@dataclass(frozen=True)
class Inputs:
    documents: tuple[Document, ...]
    # Inputs that named a version already read (seed 003 and a checkout at 9dd3297).
    duplicates: tuple[str, ...] = ()

    @property
    def problems(self) -> tuple[Problem, ...]:
        return tuple(
            problem
            for document in self.documents
            if isinstance(document, ListDocument)
            for problem in document.problems
        )


def read_inputs(paths: Sequence[Path], *, rev: str | None = None) -> Inputs:
    """Read every input; raises InputError (naming the path) for one that cannot be read.

    ``rev`` is the version of every checkout folder among ``paths``; a file is read as it is
    (the seeds and a checkout at its newest commit in one run)."""
    documents: list[Document] = []
    duplicates: list[str] = []
    seen: dict[str, str] = {}
    for path in paths:
        try:
            if path.is_dir():
                read: list[Document] = list(read_checkout(path, rev=rev))
            else:
                read = [read_source(path)]
        except InputError:
            raise
        except OSError as error:  # str() repeats the path: "[Errno 2] No such file …: 'x'"
            raise InputError(f"{path}: {error.strerror or error}") from error
        except (ValueError, UnicodeError) as error:
            message = str(error)
            raise InputError(message if str(path) in message else f"{path}: {message}") from error
        for document in read:
            slug = document.source.slug
            if slug in seen:
                duplicates.append(f"{path}: {document.source.path} is {slug}, read from "
                                  f"{seen[slug]}")
                continue
            seen[slug] = str(path)
            documents.append(document)
    return Inputs(tuple(documents), tuple(duplicates))
