"""The list's repository as the history reads it: its main line of commits and their files.

Three git processes do all the reading, whatever the number of versions: ``git log`` lists the
commits, one ``git cat-file --batch-check`` answers which blob each list path and which tree
``parts/`` is at every commit, and one ``git cat-file --batch`` gives the bytes of the blobs
that are read (only those of versions the cache does not already know).
"""

from __future__ import annotations

import subprocess
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path
from types import TracebackType
from typing import IO

from jllm_kg.ingest.checkout import (
    CheckoutError,
    Revision,
    git_text,
    resolve_revision,
    run_git,
)

__all__ = ["GitError", "ObjectReader", "main_line", "object_ids", "repository_top"]


class GitError(ValueError):
    """The folder is no git repository, a revision is no commit, or git failed."""


def _run(directory: Path, *args: str) -> str:
    try:
        return git_text(directory, *args, what=f"git {args[0]}")
    except CheckoutError as error:
        raise GitError(str(error)) from error


def repository_top(directory: Path) -> Path:
    """The top of the work tree (or the bare repository) at ``directory``; GitError if none."""
    if not directory.is_dir():
        raise GitError(f"{directory}: not a folder")
    try:
        inside = _run(directory, "rev-parse", "--is-bare-repository").strip()
    except GitError as error:
        raise GitError(f"{directory}: not a git repository") from error
    if inside == "true":
        return directory
    return Path(_run(directory, "rev-parse", "--show-toplevel").strip())


def main_line(directory: Path, rev: str, paths: Sequence[str]) -> tuple[Revision, list[Revision]]:
    """The commit ``rev`` names, and the commits up to it that changed one of ``paths``, oldest
    first, following first parents only: the list as its readers had it on the main branch,
    where a merged pull request's rows appear on the day of the merge (not on the day of its
    branch commits)."""
    try:
        tip = resolve_revision(directory, rev)
    except CheckoutError as error:
        raise GitError(str(error)) from error
    out = _run(directory, "log", "--first-parent", "--reverse", "--format=%H%x09%cI",
               tip.commit, "--", *paths)
    revisions = []
    for line in out.splitlines():
        commit, _, date = line.partition("\t")
        revisions.append(Revision(commit, date))
    return tip, revisions


def object_ids(directory: Path, specs: Iterable[str]) -> dict[str, str | None]:
    """``COMMIT:PATH`` → the object id of that path at that commit (None: it has none), all in
    one ``git cat-file --batch-check``."""
    wanted = list(dict.fromkeys(specs))
    if not wanted:
        return {}
    try:
        done = run_git(directory, "cat-file", "--batch-check=%(objectname)",
                       input="".join(f"{spec}\n" for spec in wanted).encode("utf-8"))
    except CheckoutError as error:
        raise GitError(str(error)) from error
    if done.returncode != 0:
        raise GitError(f"{directory}: git cat-file: {done.stderr.decode('utf-8', 'replace')}")
    answers = done.stdout.decode("utf-8").splitlines()
    if len(answers) != len(wanted):
        raise GitError(f"{directory}: git cat-file answered {len(answers)} of {len(wanted)} "
                       "object names")
    return {spec: None if answer.endswith(" missing") or answer.endswith(" ambiguous")
            else answer for spec, answer in zip(wanted, answers, strict=True)}


@dataclass
class ObjectReader:
    """Blob bytes by object id or ``COMMIT:PATH``, from one long-running ``git cat-file
    --batch`` (a process per file would cost more than reading the file)."""

    directory: Path
    _process: subprocess.Popen[bytes] | None = None

    def __enter__(self) -> ObjectReader:
        return self

    def __exit__(self, kind: type[BaseException] | None, error: BaseException | None,
                 trace: TracebackType | None) -> None:
        self.close()

    def _pipes(self) -> tuple[IO[bytes], IO[bytes]]:
        if self._process is None:
            self._process = subprocess.Popen(
                ["git", "-C", str(self.directory), "cat-file", "--batch"],
                stdin=subprocess.PIPE, stdout=subprocess.PIPE,
            )  # fmt: skip
        assert self._process.stdin is not None and self._process.stdout is not None
        return self._process.stdin, self._process.stdout

    def read(self, name: str) -> bytes | None:
        """The blob ``name`` names, or None when there is none (or it is not a blob)."""
        stdin, stdout = self._pipes()
        stdin.write(name.encode("utf-8") + b"\n")
        stdin.flush()
        header = stdout.readline().decode("utf-8").split()
        if len(header) != 3:  # "<name> missing", "<name> ambiguous"
            return None
        _, kind, size = header
        data = stdout.read(int(size))
        stdout.read(1)  # the newline after the content
        return data if kind == "blob" else None

    def close(self) -> None:
        if self._process is not None:
            assert self._process.stdin is not None
            self._process.stdin.close()
            self._process.wait()
            if self._process.stdout is not None:
                self._process.stdout.close()
            self._process = None
