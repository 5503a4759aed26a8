"""A checkout of the list's repository, at its working tree or at any commit → its lists.

A user has the list as a clone of its repository: one list per language (``README.md``,
``en/README.md``, ``fr/README.md``; before 2024-06-16 ``README_en.md`` and ``README_fr.md``
at the root), each pulling reference tables from ``parts/*.md`` with
``<!--@include: @/parts/…-->``. Every list is named ``README.md`` today, so a list's identity
is never its file name: it is the series (the list, its language) and the version: the
commit when the files read are that commit's, else a hash of their content. The paths per
language and the repository's URL are curated (``data/curated/sources.yaml: upstream``).

- ``read_checkout(DIR, rev=REV)`` reads the version REV straight from git (``git show
  REV:PATH``, ``git log -1 --format=%H%x09%cI REV``), whatever the working tree holds;
- ``read_checkout(DIR)`` reads the working tree; its version is HEAD's commit when the files
  read (lists and includes) are unchanged from HEAD, else the content hash.
"""

from __future__ import annotations

import hashlib
import subprocess
from collections.abc import Callable, Collection, Sequence
from dataclasses import dataclass, field, replace
from pathlib import Path

from jllm_kg.ingest.decode import decode_source
from jllm_kg.ingest.detect import SourceDetectionError, detect_source
from jllm_kg.ingest.markdown_list import ListParseError, parse_list
from jllm_kg.ingest.markdown_list.includes import expand_includes
from jllm_kg.ingest.records import Language, ListDocument, Problem, SourceVersion
from jllm_kg.ingest.sources import SOURCES_FILE, source_document, upstream_layout

__all__ = ["CheckoutError", "Revision", "read_checkout", "resolve_revision"]

_GIT_TIMEOUT = 60  # seconds; a local `git show` takes milliseconds


class CheckoutError(ValueError):
    """The folder is not a checkout of the list, or the revision cannot be read."""


@dataclass(frozen=True)
class Revision:
    """A commit of the checkout: its full hash and its committer date (ISO 8601)."""

    commit: str
    date: str


def run_git(directory: Path, *args: str,
            input: bytes | None = None) -> subprocess.CompletedProcess[bytes]:
    """``git -C directory args…`` (``input`` on its stdin), its exit status not checked;
    CheckoutError when git is not installed."""
    try:
        return subprocess.run(
            ["git", "-C", str(directory), *args],
            input=input, capture_output=True, check=False, timeout=_GIT_TIMEOUT,
        )  # fmt: skip
    except FileNotFoundError as error:
        raise CheckoutError(f"{directory}: git is not installed: {error}") from error


def git_text(directory: Path, *args: str, what: str) -> str:
    """The standard output of ``git -C directory args…``, stripped; CheckoutError naming
    ``what`` and git's last line of error when git fails."""
    done = run_git(directory, *args)
    if done.returncode != 0:
        message = done.stderr.decode("utf-8", "replace").strip().splitlines()
        raise CheckoutError(f"{directory}: {what}: {message[-1] if message else 'git failed'}")
    return done.stdout.decode("utf-8").strip()


def _repository_root(directory: Path) -> Path | None:
    """The top of the git work tree ``directory`` is the top of, or None (not a repository,
    or a folder inside one: then the repository is something else than the list)."""
    done = run_git(directory, "rev-parse", "--show-toplevel")
    if done.returncode != 0:
        return None
    top = Path(done.stdout.decode("utf-8").strip())
    return top if top.resolve() == directory.resolve() else None


def resolve_revision(directory: Path, rev: str) -> Revision:
    """The commit ``rev`` names in the repository at ``directory`` and its date."""
    line = git_text(
        directory, "log", "-1", "--format=%H%x09%cI", f"{rev}^{{commit}}", "--",
        what=f"--rev {rev!r} is not a commit of this repository",
    )  # fmt: skip
    commit, _, date = line.partition("\t")
    if len(commit) != 40 or not date:
        raise CheckoutError(f"{directory}: --rev {rev!r}: unexpected git log output {line!r}")
    return Revision(commit, date)


FileReader = Callable[[str], bytes | None]
"""Repository path → the file's bytes at the version read, or None when it has none."""


def _git_reader(directory: Path, commit: str) -> FileReader:
    def read(path: str) -> bytes | None:
        done = run_git(directory, "show", f"{commit}:{path}")
        return done.stdout if done.returncode == 0 else None

    return read


def _tree_reader(directory: Path) -> FileReader:
    def read(path: str) -> bytes | None:
        candidate = directory / path
        return candidate.read_bytes() if candidate.is_file() else None

    return read


def _unchanged_since_head(directory: Path, paths: Sequence[str]) -> bool:
    """True when none of ``paths`` differs from HEAD in the working tree or the index."""
    done = run_git(directory, "status", "--porcelain", "--untracked-files=all", "--", *paths)
    return done.returncode == 0 and not done.stdout.strip()


@dataclass
class _ReadList:
    """One language's list as read, before its identity is settled."""

    language: Language
    path: str
    data: bytes
    includes: dict[str, bytes] = field(default_factory=dict)  # path → bytes, in read order


def _find_lists(directory: Path, read: FileReader, where: str,
                languages: Collection[Language] | None = None) -> list[_ReadList]:
    layout = upstream_layout().upstream
    found: list[_ReadList] = []
    for language, paths in layout.paths.items():
        if languages is not None and language not in languages:
            continue
        for path in paths:
            data = read(path)
            if data is not None:
                found.append(_ReadList(language, path, data))
                break
    if not found:
        tried = ", ".join(path for paths in layout.paths.values() for path in paths)
        raise CheckoutError(
            f"{where}: not a checkout of the list: none of {tried} exists "
            f"(data/curated/{SOURCES_FILE}: upstream.paths)"
        )
    return found


def _content_hash(item: _ReadList) -> str:
    """SHA-256 of the list's bytes, then of each included file's path and bytes."""
    digest = hashlib.sha256(item.data)
    for path, data in item.includes.items():
        digest.update(b"\0" + path.encode("utf-8") + b"\0" + data)
    return digest.hexdigest()


def read_checkout(
    directory: Path, *, rev: str | None = None, languages: Collection[Language] | None = None
) -> list[ListDocument]:
    """Every language's list of the checkout at ``directory`` (working tree, or ``rev``), or
    only those of ``languages``.

    Raises CheckoutError naming the folder (and revision) when it holds no list or ``rev`` is
    not a commit; a list file whose content is not the list is a CheckoutError too. Rows or
    includes that cannot be read are ``problems`` of their document, never an error.
    """
    if not directory.is_dir():
        raise CheckoutError(f"{directory}: not a folder")
    root = _repository_root(directory)
    revision: Revision | None = None
    if rev is not None:
        if root is None:
            raise CheckoutError(f"{directory}: --rev {rev!r} needs the top of a git checkout")
        revision = resolve_revision(directory, rev)
        read = _git_reader(directory, revision.commit)
        where = f"{directory} at {rev}"
    else:
        read = _tree_reader(directory)
        where = str(directory)
    lists = _find_lists(directory, read, where, languages)
    texts = []
    for item in lists:
        texts.append(_decode_list(item, where))
        _collect_includes(item, texts[-1], read)
    if revision is None and root is not None:
        head = _head(directory)
        touched = [path for item in lists for path in (item.path, *item.includes)]
        if head is not None and _unchanged_since_head(directory, touched):
            revision = head
    repository = upstream_layout().upstream.repository
    series = upstream_layout().upstream.series
    documents = []
    for item, (text, repaired) in zip(lists, texts, strict=True):
        identity = SourceVersion(
            series=series, language=item.language, kind="list",
            content_hash=_content_hash(item),
            commit=revision.commit if revision else None,
            date=revision.date if revision else None,
            path=item.path, repository=repository,
        )  # fmt: skip
        documents.append(_parse(item, text, repaired, identity, read))
    return documents


def _head(directory: Path) -> Revision | None:
    try:
        return resolve_revision(directory, "HEAD")
    except CheckoutError:
        return None  # a repository without commits


def _decode_list(item: _ReadList, where: str) -> tuple[str, bool]:
    try:
        decoded = decode_source(item.data, path=item.path)
        kind, _ = detect_source(decoded.text, path=item.path)
    except (SourceDetectionError, UnicodeError, ValueError) as error:
        raise CheckoutError(f"{where}: {error}") from error
    # The language is the one the layout gives the path; detection only confirms it is the list.
    if kind != "list":
        raise CheckoutError(f"{where}: {item.path}: not a version of the list ({kind})")
    return decoded.text, decoded.repaired


def _collect_includes(item: _ReadList, decoded: tuple[str, bool], read: FileReader) -> None:
    """Read the included files once, so that the identity (the content hash, or the check
    that the working tree matches HEAD) covers them; the parser reads them from memory."""
    def load(path: str) -> str | None:
        data = read(path)
        if data is None:
            return None
        item.includes.setdefault(path, data)
        return data.decode("utf-8", "replace")

    try:
        for _ in expand_includes(decoded[0], load, source_path=item.path):
            pass
    except ListParseError:
        return  # an include cycle: reported when the list is parsed


def _parse(
    item: _ReadList, text: str, repaired: bool, identity: SourceVersion, read: FileReader
) -> ListDocument:
    source = source_document(
        item.data, text, item.path, "list", item.language, repaired, identity=identity,
        includes=tuple(item.includes),
    )  # fmt: skip

    def load(path: str) -> str | None:
        data = item.includes.get(path)
        return None if data is None else data.decode("utf-8", "replace")

    try:
        return parse_list(text, source, loader=load)
    except ListParseError as error:
        # An include cycle: the version cannot be read as a whole; say which.
        document = parse_list(text, source)
        problem = Problem(file=item.path, line=1, text="", reason=str(error))
        return replace(document, problems=(problem, *document.problems))
