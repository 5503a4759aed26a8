"""The history of the real list: a short stretch of the upstream bundle walked end to end, and
the saved history queries over the packaged graph (``data/history/``, the bundle's whole main
line), each checked against what git itself says of the bundle (``git log -S``, ``git show``).

The whole history is walked by ``bench/history.py`` (minutes); the test walks the first 17
commits of the main line (up to 72bdedc, 2023-08-12: the English-based models are added).
"""

from __future__ import annotations

import re
import subprocess
from pathlib import Path

import pyoxigraph as ox
import pytest

from jllm_kg.history import build_history
from jllm_kg.map.identity import canonical_hf_id
from jllm_kg.paths import queries_dir
from jllm_kg.validate import validate_graph

LISTS = ("README.md", "README_en.md", "README_fr.md", "en/README.md", "fr/README.md")
SHORT_RANGE = "72bdedc"
ID = "https://w3id.org/jllm-kg/id/"
JLLM = "https://w3id.org/jllm-kg/ontology#"


@pytest.fixture(scope="module")
def upstream(upstream_repository: Path) -> Path:
    """The session's clone of the upstream bundle (tests/conftest.py)."""
    return upstream_repository


def git(repo: Path, *args: str) -> str:
    return subprocess.run(["git", "-C", str(repo), *args], capture_output=True, text=True,
                          check=True).stdout


def first_added(repo: Path, text: str, rev: str = "HEAD") -> str:
    """The day of the first main-line commit whose lists gained ``text`` (``git log -S``)."""
    log = git(repo, "log", "--first-parent", "--reverse", "--format=%cI", f"-S{text}", rev,
              "--", *LISTS)
    return log.split()[0][:10]


@pytest.fixture(scope="module")
def short_history(upstream: Path, tmp_path_factory: pytest.TempPathFactory
                  ) -> tuple[ox.Store, Path]:
    out = tmp_path_factory.mktemp("history")
    summary = build_history(upstream, rev=SHORT_RANGE, out_dir=out, cache_dir=None)
    store = ox.Store()
    store.load(path=str(summary.files[0]), format=ox.RdfFormat.N_QUADS)
    return store, out


def values(store: ox.Store, subject: str, prop: str) -> set[str]:
    return {quad.object.value for quad in store.quads_for_pattern(
        ox.NamedNode(subject), ox.NamedNode(prop), None)}


def test_a_short_range_has_a_version_per_commit_that_changed_the_list(
    upstream: Path, short_history: tuple[ox.Store, Path]
) -> None:
    store, _ = short_history
    commits = git(upstream, "log", "--first-parent", "--format=%H", SHORT_RANGE, "--",
                  "README.md").split()
    versions = {quad.subject.value for quad in store.quads_for_pattern(
        None, ox.NamedNode(JLLM + "modelCount"), None)}
    # before 2023-10-21 there was only the Japanese list
    assert versions == {f"{ID}source/awesome-japanese-llm-ja-{c[:12]}" for c in commits}


@pytest.mark.parametrize("hf_id", ["rinna/japanese-gpt-neox-3.6b", "NovelAI/genji-jp",
                                   "cyberagent/open-calm-7b"])
def test_first_listed_is_the_day_git_log_finds_the_link(
    upstream: Path, short_history: tuple[ox.Store, Path], hf_id: str
) -> None:
    store, _ = short_history
    expected = first_added(upstream, f"huggingface.co/{hf_id})", SHORT_RANGE)
    model = f"{ID}model/{hf_id.replace('/', '--')}"
    assert values(store, model, JLLM + "firstListed") == {expected}


def test_the_short_range_conforms_to_the_shapes(short_history: tuple[ox.Store, Path]) -> None:
    report = validate_graph([short_history[1]])
    assert report.conforms, [v.message for v in report.violations][:5]


# --- the saved history queries over the packaged graph ----------------------------------------


def run(store: ox.Store, name: str) -> list[dict[str, str]]:
    text = (queries_dir() / f"{name}.rq").read_text(encoding="utf-8")
    solutions = store.query(text, use_default_graph_as_union=True)
    assert isinstance(solutions, ox.QuerySolutions)
    names = [variable.value for variable in solutions.variables]
    return [{n: (row[n].value if row[n] is not None else "") for n in names} for row in solutions]


def commit_of(version: str) -> str:
    return version.rsplit("-", 1)[1]


def tip_links(upstream: Path) -> set[str]:
    """Every Hugging Face repo id the tip's lists link, organisation renames followed."""
    text = "".join(git(upstream, "show", f"HEAD:{path}") for path in
                   ("README.md", "en/README.md", "fr/README.md"))
    return {canonical_hf_id(found) for found in
            re.findall(r"huggingface\.co/([\w.\-]+/[\w.\-]+)", text)}


def test_models_no_longer_listed_are_not_linked_at_the_tip(
    packaged_store: ox.Store, upstream: Path
) -> None:
    rows = run(packaged_store, "history-no-longer-listed")
    assert len(rows) >= 10
    linked = tip_links(upstream)
    assert [row["hfId"] for row in rows if row["hfId"] in linked] == []
    # "Fix broken rinna links and remove unavailable models (#565)" removed nue-asr
    [nue] = [row for row in rows if row["hfId"] == "rinna/nue-asr"]
    removal = git(upstream, "log", "--first-parent", "-1", "--format=%H",
                  "-Shuggingface.co/rinna/nue-asr", "--", *LISTS).strip()
    assert commit_of(nue["removedIn"]) == removal[:12]
    before = git(upstream, "log", "--first-parent", "-1", "--format=%cI", f"{removal}^",
                 "--", *LISTS, "parts")
    assert nue["lastListed"] == before[:10]
    assert nue["firstListed"] == first_added(upstream, "huggingface.co/rinna/nue-asr")


def test_licence_changes_are_changes_of_the_row_in_git(
    packaged_store: ox.Store, upstream: Path
) -> None:
    rows = run(packaged_store, "history-license-changes")
    assert len(rows) >= 20
    karakuri = [row for row in rows if row["hfId"] == "karakuri-ai/karakuri-lm-70b-v0.1"
                and row["language"] == "ja"]
    assert [(r["before"], r["after"]) for r in karakuri] == [
        ("Creative Commons Attribution-ShareAlike 4.0 International",
         "Llama 2 Community License")]
    commit = commit_of(karakuri[0]["version"])
    row_before, row_after = (
        next(line for line in git(upstream, "show", f"{rev}:README.md").splitlines()
             if "karakuri-lm-70b-v0.1)" in line)
        for rev in (f"{commit}^", commit))
    licence_cells = [row.rstrip(" |").rsplit("|", 1)[1] for row in (row_before, row_after)]
    assert "CC BY-SA 4.0" in licence_cells[0] and "Llama 2" not in licence_cells[0]
    assert "Llama 2" in licence_cells[1]


def test_first_japanese_derivative_is_the_first_listed_one(
    packaged_store: ox.Store, upstream: Path
) -> None:
    rows = run(packaged_store, "history-first-japanese-derivative")
    mistral = [row for row in rows if row["base"].endswith("/mistralai--Mistral-7B-v0.1")]
    assert mistral and {row["first"] for row in mistral} == {
        first_added(upstream, "huggingface.co/stabilityai/japanese-stablelm-base-gamma-7b)")}
    for row in rows[:20]:
        assert row["first"] == first_added(upstream, f"huggingface.co/{row['derivative']})"), row


def test_models_added_per_quarter_count_each_first_listing(
    packaged_store: ox.Store, upstream: Path
) -> None:
    rows = run(packaged_store, "history-models-added-per-quarter")
    first_quarter = {row["family"]: int(row["models"]) for row in rows
                     if row["quarter"] == "2023-Q3"}
    # the first commit's list alone links these; all of them are counted in its quarter
    first_commit = git(upstream, "log", "--first-parent", "--reverse", "--format=%H", "--",
                       "README.md").split()[0]
    at_start = set(re.findall(r"huggingface\.co/(?!datasets/|spaces/)([\w.\-]+/[\w.\-]+)\)",
                              git(upstream, "show", f"{first_commit}:README.md")))
    assert sum(first_quarter.values()) >= len(at_start)
    assert first_quarter["Llama 2"] >= 1
    quarters = [row["quarter"] for row in rows]
    assert quarters == sorted(quarters) and quarters[-1] == "2025-Q4"
