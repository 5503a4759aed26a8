"""``jllm-kg history`` over a small repository of the list made here, commit by commit.

Four commits of a list in the real format (section anchor, the Japanese headers, checkpoint
links with bold sizes): the first lists three rows; the second adds the English list and
changes a licence; the third moves a checkpoint to its organisation's new name (cl-tohoku →
tohoku-nlp, data/curated/hf_renames.yaml); the fourth removes a row. Each expectation below is
what those commits did, written down from the commits, not read from the output.
"""

from __future__ import annotations

import os
import subprocess
from pathlib import Path

import pyoxigraph as ox
import pytest

from jllm_kg.cli import main
from jllm_kg.history import HistoryError, build_history, history_graph
from jllm_kg.history.cache import code_stamp
from jllm_kg.ingest.checkout import read_checkout
from jllm_kg.validate import validate_graph

ID = "https://w3id.org/jllm-kg/id/"
JLLM = "https://w3id.org/jllm-kg/ontology#"
PROV = "http://www.w3.org/ns/prov#"
DCTERMS = "http://purl.org/dc/terms/"

HEADER = """\
# 日本語LLMまとめ

<a id="generative"></a>
## テキスト生成に主に使うモデル

<a id="generative-scratch-general"></a>
### 汎用

|    | 公開年 | アーキテクチャ | 入出力で扱える<br>トークン数 | 学習テキスト | 開発元 | ライセンス |
|:---|:---:|:---:|:---:|:---:|:---:|:---:|
"""
LLM_JP = ("| [LLM-jp-3](https://llmc.nii.ac.jp/) | 2024 | Llama<br>([**1.8b**](https://huggingface.co/"
          "llm-jp/llm-jp-3-1.8b), [**13b**](https://huggingface.co/llm-jp/llm-jp-3-13b)) | 4,096 | "
          "llm-jp-corpus v3 | 大規模言語モデル研究開発センター | {license} |\n")
TOHOKU = ("| [Tohoku GPT](https://www.nlp.ecei.tohoku.ac.jp/) | 2023 | GPT<br>([**1b**]"
          "(https://huggingface.co/{org}/japanese-gpt-1b)) | 2,048 | 日本語 Wikipedia | 東北大 | "
          "CC BY-SA 4.0 |\n")
OLD = ("| [Old Model](https://example.org/old) | 2023 | GPT-NeoX<br>([**7b**](https://huggingface.co/"
       "example-org/old-model-7b)) | 2,048 | 日本語 Wikipedia | Example Lab | MIT |\n")


def git(repo: Path, *args: str, date: str = "2024-01-10T10:00:00+09:00") -> str:
    env = {
        **os.environ,
        "GIT_AUTHOR_NAME": "t", "GIT_AUTHOR_EMAIL": "t@example.org",
        "GIT_COMMITTER_NAME": "t", "GIT_COMMITTER_EMAIL": "t@example.org",
        "GIT_AUTHOR_DATE": date, "GIT_COMMITTER_DATE": date,
    }  # fmt: skip
    done = subprocess.run(["git", "-C", str(repo), *args], capture_output=True, text=True,
                          env=env, check=True)
    return done.stdout.strip()


def commit(repo: Path, files: dict[str, str | None], message: str, date: str) -> str:
    for path, text in files.items():
        target = repo / path
        if text is None:
            target.unlink()
            continue
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text(text, encoding="utf-8")
    git(repo, "add", "-A")
    git(repo, "commit", "-q", "-m", message, date=date)
    return git(repo, "rev-parse", "HEAD")


FOOTER = """
<a id="basic-benchmark-suites"></a>
### 伝統的なベンチマーク

|   | 説明 | 開発元 |
|:---|:---|:---|
| [JGLUE](https://github.com/yahoojapan/JGLUE) | 日本語理解のベンチマーク | 早大河原研, ヤフー |
"""


def ja(*rows: str) -> str:
    return HEADER + "".join(rows) + FOOTER


def en(*rows: str) -> str:
    return ja(*rows).replace("# 日本語LLMまとめ", "# Overview of Japanese LLMs")


@pytest.fixture(scope="module")
def repo(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, list[str]]:
    repo = tmp_path_factory.mktemp("history") / "awesome-japanese-llm"
    repo.mkdir()
    git(repo, "init", "-q", "-b", "main")
    commits = [
        commit(repo, {"README.md": ja(LLM_JP.format(license="Apache 2.0"),
                                      TOHOKU.format(org="cl-tohoku"), OLD)},
               "three rows", "2024-01-10T10:00:00+09:00"),
        commit(repo, {"README.md": ja(LLM_JP.format(license="MIT"),
                                      TOHOKU.format(org="cl-tohoku"), OLD),
                      "en/README.md": en(LLM_JP.format(license="MIT"),
                                         TOHOKU.format(org="cl-tohoku"), OLD)},
               "English list; LLM-jp-3 is MIT", "2024-02-20T10:00:00+09:00"),
        commit(repo, {"README.md": ja(LLM_JP.format(license="MIT"),
                                      TOHOKU.format(org="tohoku-nlp"), OLD),
                      "en/README.md": en(LLM_JP.format(license="MIT"),
                                         TOHOKU.format(org="tohoku-nlp"), OLD)},
               "cl-tohoku is tohoku-nlp now", "2024-03-05T10:00:00+09:00"),
        commit(repo, {"README.md": ja(LLM_JP.format(license="MIT"),
                                      TOHOKU.format(org="tohoku-nlp")),
                      "en/README.md": en(LLM_JP.format(license="MIT"),
                                         TOHOKU.format(org="tohoku-nlp"))},
               "remove Old Model", "2024-04-01T10:00:00+09:00"),
    ]
    return repo, commits


@pytest.fixture(scope="module")
def history(repo: tuple[Path, list[str]], tmp_path_factory: pytest.TempPathFactory
            ) -> tuple[ox.Store, Path]:
    out = tmp_path_factory.mktemp("out")
    summary = build_history(repo[0], out_dir=out, cache_dir=tmp_path_factory.mktemp("cache"))
    assert summary.files == [out / "history" / "awesome-japanese-llm-history.nq"]
    store = ox.Store()
    store.load(path=str(summary.files[0]), format=ox.RdfFormat.N_QUADS)
    return store, out


def version(language: str, commit: str) -> str:
    return f"{ID}source/awesome-japanese-llm-{language}-{commit[:12]}"


def values(store: ox.Store, subject: str, prop: str) -> set[str]:
    return {quad.object.value for quad in store.quads_for_pattern(
        ox.NamedNode(subject), ox.NamedNode(prop), None)}


def model(hf_id: str) -> str:
    return f"{ID}model/{hf_id.replace('/', '--')}"


def test_first_listed_is_the_day_and_version_of_the_first_commit_linking_it(
    history: tuple[ox.Store, Path], repo: tuple[Path, list[str]]
) -> None:
    store, _ = history
    commits = repo[1]
    llm_jp = model("llm-jp/llm-jp-3-1.8b")
    assert values(store, llm_jp, JLLM + "firstListed") == {"2024-01-10"}
    assert values(store, llm_jp, JLLM + "firstListedIn") == {version("ja", commits[0])}
    assert values(store, llm_jp, JLLM + "huggingFaceId") == {"llm-jp/llm-jp-3-1.8b"}
    # still listed at HEAD: no last listing
    assert values(store, llm_jp, JLLM + "lastListed") == set()


def test_a_renamed_organisation_is_the_same_model_listed_all_along(
    history: tuple[ox.Store, Path], repo: tuple[Path, list[str]]
) -> None:
    store, _ = history
    renamed = model("tohoku-nlp/japanese-gpt-1b")
    assert values(store, renamed, JLLM + "firstListed") == {"2024-01-10"}
    assert values(store, renamed, JLLM + "lastListed") == set()
    assert values(store, renamed, JLLM + "huggingFaceId") == {"tohoku-nlp/japanese-gpt-1b"}
    # the old id is no model of its own, and the rename is no change of a fact
    assert not list(store.quads_for_pattern(ox.NamedNode(model("cl-tohoku/japanese-gpt-1b")),
                                            None, None))
    assert not list(store.quads_for_pattern(None, ox.NamedNode(JLLM + "changedModel"),
                                            ox.NamedNode(renamed)))


def test_a_removed_model_has_its_last_listing_and_the_version_that_removed_it(
    history: tuple[ox.Store, Path], repo: tuple[Path, list[str]]
) -> None:
    store, _ = history
    commits = repo[1]
    old = model("example-org/old-model-7b")
    assert values(store, old, JLLM + "firstListed") == {"2024-01-10"}
    assert values(store, old, JLLM + "lastListed") == {"2024-03-05"}
    # both lists linked it at the third commit; the walk reads ja then en
    assert values(store, old, JLLM + "lastListedIn") == {version("en", commits[2])}
    assert values(store, old, JLLM + "delistedIn") == {version("en", commits[3])}


def test_a_licence_change_is_an_event_with_both_values_commit_date_and_list(
    history: tuple[ox.Store, Path], repo: tuple[Path, list[str]]
) -> None:
    store, _ = history
    commits = repo[1]
    events = [quad.subject for quad in store.quads_for_pattern(
        None, ox.NamedNode(JLLM + "changedProperty"), ox.NamedNode(JLLM + "license"))]
    changed = {values(store, event.value, JLLM + "changedModel").pop() for event in events}
    # the row's two checkpoints; the English list was new at that commit: nothing changed there
    assert changed == {model("llm-jp/llm-jp-3-1.8b"), model("llm-jp/llm-jp-3-13b")}
    for event in events:
        assert values(store, event.value, JLLM + "valueBefore") == {f"{ID}license/apache-2.0"}
        assert values(store, event.value, JLLM + "valueAfter") == {f"{ID}license/mit"}
        assert values(store, event.value, JLLM + "changedIn") == {version("ja", commits[1])}
        assert values(store, event.value, DCTERMS + "date") == {"2024-02-20"}
        assert values(store, event.value, DCTERMS + "language") == {"ja"}
    # nothing else changed: the sizes, developers and bases stayed as they were
    all_events = store.quads_for_pattern(None, ox.NamedNode(JLLM + "changedProperty"), None)
    assert len(list(all_events)) == 2


def test_each_list_version_has_its_commit_date_and_size(
    history: tuple[ox.Store, Path], repo: tuple[Path, list[str]]
) -> None:
    store, _ = history
    commits = repo[1]
    versions = {quad.subject.value for quad in store.quads_for_pattern(
        None, ox.NamedNode("http://www.w3.org/1999/02/22-rdf-syntax-ns#type"),
        ox.NamedNode(JLLM + "ListVersion"))}
    assert versions == {version("ja", c) for c in commits} | {
        version("en", c) for c in commits[1:]}
    first = version("ja", commits[0])
    assert values(store, first, JLLM + "upstreamCommit") == {commits[0]}
    assert values(store, first, DCTERMS + "date") == {"2024-01-10T10:00:00+09:00"}
    assert values(store, first, JLLM + "modelCount") == {"4"}
    assert values(store, first, JLLM + "rowCount") == {"3"}
    [section] = values(store, first, JLLM + "sectionSize")
    assert values(store, section, JLLM + "section") == {"generative-scratch-general"}
    assert values(store, section, JLLM + "rowCount") == {"3"}
    last = version("ja", commits[3])
    assert values(store, last, JLLM + "modelCount") == {"3"}
    assert values(store, last, PROV + "wasRevisionOf") == {version("ja", commits[2])}


def test_the_history_conforms_to_the_shapes_on_its_own(history: tuple[ox.Store, Path]) -> None:
    report = validate_graph([history[1]])
    assert report.conforms, [v.message for v in report.violations][:5]


def test_version_iris_are_the_ingest_stages_source_iris(
    history: tuple[ox.Store, Path], repo: tuple[Path, list[str]]
) -> None:
    store, _ = history
    path, commits = repo
    for document in read_checkout(path, rev=commits[1]):
        graph = f"{ID}source/{document.source.slug}"
        assert values(store, graph, JLLM + "upstreamCommit") == {commits[1]}


def test_a_rerun_reads_nothing_again_and_one_new_commit_only_its_new_rows(
    repo: tuple[Path, list[str]], tmp_path: Path
) -> None:
    path, commits = repo
    cache = tmp_path / "cache"
    first = build_history(path, rev=commits[2], out_dir=tmp_path / "a", cache_dir=cache)
    # ja's 3 model rows and 1 benchmark row, its row with the new licence, the same 4 rows in
    # en, the renamed row in each list
    assert (first.versions_read, first.rows_read) == (5, 11)
    again = build_history(path, rev=commits[2], out_dir=tmp_path / "b", cache_dir=cache)
    assert (again.versions_read, again.rows_read) == (0, 0)
    assert again.files[0].read_bytes() == first.files[0].read_bytes()
    newer = build_history(path, out_dir=tmp_path / "c", cache_dir=cache)
    # the fourth commit only drops a row: both lists are new versions made of known rows
    assert (newer.versions_read, newer.rows_read) == (2, 0)
    fresh = build_history(path, out_dir=tmp_path / "d", cache_dir=None)
    assert fresh.files[0].read_bytes() == newer.files[0].read_bytes()


def test_rev_walks_up_to_that_commit(repo: tuple[Path, list[str]], tmp_path: Path) -> None:
    path, commits = repo
    summary = build_history(path, rev=commits[1], out_dir=tmp_path, cache_dir=None)
    assert {v.revision.commit for v in summary.versions} == set(commits[:2])
    assert summary.delisted == 0
    graph = history_graph()
    store = ox.Store()
    store.load(path=str(summary.files[0]), format=ox.RdfFormat.N_QUADS)
    assert values(store, graph, JLLM + "upstreamCommit") == {commits[1]}


def test_errors_name_the_folder_or_revision(repo: tuple[Path, list[str]], tmp_path: Path) -> None:
    with pytest.raises(HistoryError, match="not a git repository"):
        build_history(tmp_path, out_dir=tmp_path / "out")
    with pytest.raises(HistoryError, match="'nope' is not a commit"):
        build_history(repo[0], rev="nope", out_dir=tmp_path / "out")


@pytest.mark.parametrize(("args", "words"), [
    (["history", "{tmp}"], "not a git repository"),
    (["history", "{tmp}/missing"], "not a folder"),
    (["history", "{repo}", "--rev", "nope"], "--rev 'nope' is not a commit"),
])
def test_cli_errors_are_one_line_on_stderr_and_exit_2(
    repo: tuple[Path, list[str]], tmp_path: Path, capsys: pytest.CaptureFixture[str],
    args: list[str], words: str,
) -> None:
    argv = [arg.format(tmp=tmp_path, repo=repo[0]) for arg in args]
    assert main([*argv, "--out", str(tmp_path / "out"), "--no-cache"]) == 2
    captured = capsys.readouterr()
    assert captured.out == ""
    assert len(captured.err.strip().splitlines()) == 1
    assert captured.err.startswith("jllm-kg history: ") and words in captured.err


def test_cli_writes_the_history_and_says_what_it_read(
    repo: tuple[Path, list[str]], tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["history", str(repo[0]), "--out", str(tmp_path), "--cache",
                 str(tmp_path / "cache")]) == 0
    out = capsys.readouterr().out
    assert "7 list version(s) (en 3, ja 4)" in out
    assert "4 model(s) listed at some version, 1 no longer listed" in out
    assert (tmp_path / "history" / "awesome-japanese-llm-history.nq").is_file()


def test_a_row_with_its_cells_shifted_states_no_change(tmp_path: Path) -> None:
    """A row with one cell too many (upstream 49ce342, the Stockmark row: its developer under
    the licence header) states nothing: the licence it had before and the one it has once fixed
    are compared, and only a real change is an event."""
    repo = tmp_path / "awesome-japanese-llm"
    repo.mkdir()
    git(repo, "init", "-q", "-b", "main")
    row = LLM_JP.format(license="MIT")
    shifted = row.replace(" | 4,096 | ", " | | 4,096 | ")
    assert shifted.count("|") == row.count("|") + 1
    commit(repo, {"README.md": ja(row)}, "MIT", "2024-01-10T10:00:00+09:00")
    commit(repo, {"README.md": ja(shifted)}, "an extra cell", "2024-01-11T10:00:00+09:00")
    fixed = commit(repo, {"README.md": ja(LLM_JP.format(license="Apache 2.0"))},
                   "fixed, and Apache 2.0", "2024-01-12T10:00:00+09:00")
    summary = build_history(repo, out_dir=tmp_path / "out", cache_dir=None)
    store = ox.Store()
    store.load(path=str(summary.files[0]), format=ox.RdfFormat.N_QUADS)
    events = {quad.subject.value for quad in store.quads_for_pattern(
        None, ox.NamedNode(JLLM + "changedProperty"), None)}
    assert {values(store, event, JLLM + "changedIn").pop() for event in events} == {
        version("ja", fixed)}
    for event in events:
        assert values(store, event, JLLM + "changedProperty") == {JLLM + "license"}
        assert values(store, event, JLLM + "valueBefore") == {f"{ID}license/mit"}
        assert values(store, event, JLLM + "valueAfter") == {f"{ID}license/apache-2.0"}


def test_a_cache_that_cannot_be_used_is_a_clear_error(
    repo: tuple[Path, list[str]], tmp_path: Path
) -> None:
    cache = tmp_path / "cache"
    cache.mkdir()
    (cache / f"history-{code_stamp()}.sqlite").write_bytes(b"not a database" * 100)
    with pytest.raises(HistoryError, match=r"cache cannot be used .*--no-cache"):
        build_history(repo[0], out_dir=tmp_path / "out", cache_dir=cache)


def test_a_licence_the_row_did_not_name_is_tracked_like_any_other(tmp_path: Path) -> None:
    """"独自のライセンス" (a generic licence, written by the map stage only once a version's
    rows are all mapped) is a value before and after like a named one."""
    repo = tmp_path / "awesome-japanese-llm"
    repo.mkdir()
    git(repo, "init", "-q", "-b", "main")
    commit(repo, {"README.md": ja(LLM_JP.format(license="独自のライセンス"))}, "custom",
           "2024-01-10T10:00:00+09:00")
    named = commit(repo, {"README.md": ja(LLM_JP.format(license="MIT"))}, "MIT",
                   "2024-01-12T10:00:00+09:00")
    summary = build_history(repo, out_dir=tmp_path / "out", cache_dir=None)
    store = ox.Store()
    store.load(path=str(summary.files[0]), format=ox.RdfFormat.N_QUADS)
    events = {quad.subject.value for quad in store.quads_for_pattern(
        None, ox.NamedNode(JLLM + "changedProperty"), ox.NamedNode(JLLM + "license"))}
    assert len(events) == 2  # the row's two checkpoints
    for event in events:
        assert values(store, event, JLLM + "valueBefore") == {f"{ID}license/custom"}
        assert values(store, event, JLLM + "valueAfter") == {f"{ID}license/mit"}
        assert values(store, event, JLLM + "changedIn") == {version("ja", named)}
