"""End to end over the list's real history: a clone of the upstream bundle, read at a spread
of versions through the whole importer (checkout → read → map → SHACL).

The bundle (``../shared/upstream/awesome-japanese-llm-2025-12-26.bundle``, 600 commits from
2023-07 to 2025-12-26) is cloned once per session. The default run reads three versions that
cover the layouts (the Japanese list alone, 2023-07; README_fr.md at the root with the
"etc." training cell that once crashed the run, 2023-12; the includes of parts/*.md,
2024-09); the ``slow`` test reads 30 versions spread over the history and the three languages
(run in CI and with ``-m slow``: 815 s measured on the 2-core machine while shared by about
seven other test runs, load 14; each version is read, mapped and validated on its own).
"""

from __future__ import annotations

import subprocess
import tempfile
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

import pytest

from jllm_kg.ingest.checkout import read_checkout
from jllm_kg.ingest.records import ListDocument
from jllm_kg.map.build import map_documents
from jllm_kg.map.graph import write_graphs
from jllm_kg.validate import format_report, validate_graph

LIST_PATHS = {
    "ja": ("README.md",),
    "en": ("en/README.md", "README_en.md"),
    "fr": ("fr/README.md", "README_fr.md"),
}


@dataclass(frozen=True)
class Version:
    language: str
    commit: str
    date: str


@pytest.fixture(scope="session")
def upstream(upstream_repository: Path) -> Path:
    """The session's clone of the upstream bundle (tests/conftest.py)."""
    return upstream_repository


def _versions(repo: Path) -> list[Version]:
    """Every version of every language's list: the commits that changed it, oldest first."""
    versions = []
    for language, paths in LIST_PATHS.items():
        log = subprocess.run(
            ["git", "-C", str(repo), "log", "--format=%H%x09%cI", "HEAD", "--", *paths],
            capture_output=True, text=True, check=True,
        ).stdout  # fmt: skip
        for line in log.splitlines():
            commit, date = line.split("\t")
            versions.append(Version(language, commit, date))
    return sorted(versions, key=lambda v: (datetime.fromisoformat(v.date), v.language))


def spread(versions: list[Version], count: int) -> list[Version]:
    """``count`` versions evenly spread over the list of versions (in time order), the
    languages rotating, so the sample covers every era and every language."""
    chosen: list[Version] = []
    for step in range(count):
        position = round(step * (len(versions) - 1) / max(count - 1, 1))
        language = ("ja", "en", "fr")[step % 3]
        candidates = [v for v in versions[position:] if v.language == language] or [
            versions[position]]
        if candidates[0] not in chosen:
            chosen.append(candidates[0])
    return chosen


def ingest_and_validate(repo: Path, version: Version) -> tuple[ListDocument, str]:
    """One language's list at one commit, mapped alone and validated; (document, report)."""
    [document] = [doc for doc in read_checkout(repo, rev=version.commit)
                  if doc.source.language == version.language]
    mapped = map_documents([document])
    problems = [*document.problems, *mapped.problems]
    assert not problems, [problem.describe() for problem in problems]
    with tempfile.TemporaryDirectory() as folder:
        write_graphs(mapped.sink, Path(folder), mapped.file_names)
        report = validate_graph([Path(folder)])
    assert report.conforms, f"{version}: {format_report(report)}"
    return document, format_report(report)


@pytest.mark.parametrize(("language", "commit"), [
    ("ja", "000b4b4"),  # 2023-07-09, the first commit: the Japanese list alone
    ("fr", "19b89dc"),  # 2023-12-09, README_fr.md at the root; "…, etc." training data
    ("en", "b656e01"),  # 2024-09-04, references moved to parts/*.md, included
])  # fmt: skip
def test_a_version_of_each_layout_ingests_without_problem_and_conforms(
    upstream: Path, language: str, commit: str
) -> None:
    full = subprocess.run(["git", "-C", str(upstream), "rev-parse", commit], capture_output=True,
                          text=True, check=True).stdout.strip()
    document, _ = ingest_and_validate(upstream, Version(language, full, ""))
    identity = document.source.identity
    assert identity is not None and identity.commit == full
    assert document.models and document.references
    if commit == "b656e01":
        assert document.source.includes == ("parts/references_model.md",
                                            "parts/references_training.md")
        assert {row.row.origin for row in document.references} == set(document.source.includes)


def test_the_spread_sample_covers_every_language_and_the_whole_history(upstream: Path) -> None:
    versions = _versions(upstream)
    sample = spread(versions, 30)
    assert len(sample) == 30
    assert {v.language for v in sample} == {"ja", "en", "fr"}
    assert sample[0] == versions[0] and sample[-1].date[:10] == versions[-1].date[:10]


SAMPLE_SIZE = 30


@pytest.fixture(scope="session")
def spread_sample(upstream: Path) -> list[Version]:
    return spread(_versions(upstream), SAMPLE_SIZE)


# One test per version, so a failure names its version and the runs can be spread over workers.
@pytest.mark.slow
@pytest.mark.parametrize("index", range(SAMPLE_SIZE))
def test_a_version_spread_over_the_history_ingests_and_conforms(
    upstream: Path, spread_sample: list[Version], index: int
) -> None:
    ingest_and_validate(upstream, spread_sample[index])
