# ruff: noqa: E501
"""A checkout of the list's repository → one document per language, identified by version.

Each test builds a small git repository in tmp with lists in the real format (section anchors,
pipe tables, a ``<!--@include: @/parts/…-->`` of the reference table), as the upstream
repository had them: ``README_en.md`` at the root first, ``en/README.md`` after the rename.
"""

from __future__ import annotations

import json
import os
import subprocess
from pathlib import Path

import pytest

from jllm_kg.ingest import read_source
from jllm_kg.ingest.checkout import CheckoutError, read_checkout
from jllm_kg.ingest.records import ListDocument

REPOSITORY = "https://github.com/llm-jp/awesome-japanese-llm"

JA_LIST = """\
# 日本語LLMまとめ

<a id="generative"></a>
## テキスト生成に主に使うモデル

<a id="generative-scratch-general"></a>
### 汎用

|    |  アーキテクチャ  |  入出力で扱える<br>トークン数  |  学習テキスト  |  開発元  | ライセンス |
|:---|:---:|:---:|:---:|:---:|:---:|
| [LLM-jp-3](https://llmc.nii.ac.jp/) | Llama<br>([**1.8b**](https://huggingface.co/llm-jp/llm-jp-3-1.8b), [**13b**](https://huggingface.co/llm-jp/llm-jp-3-13b)) | 4,096 | llm-jp-corpus v3 | 大規模言語モデル研究開発センター | Apache 2.0 |

<a id="basic-benchmark-suites"></a>
### 伝統的なベンチマーク

|   | 説明 | 開発元 |
|:---|:---|:---|
| [JGLUE](https://github.com/yahoojapan/JGLUE) | 日本語理解のベンチマーク | 早大河原研, ヤフー |

<a id="reference"></a>
## 各モデル・アーキテクチャの原論文

<!--@include: @/parts/references_model.md-->
"""

EN_LIST = (
    JA_LIST.replace("# 日本語LLMまとめ", "# Overview of Japanese LLMs")
    .replace("## テキスト生成に主に使うモデル", "## Text Generation Models")
    .replace("### 汎用", "### General purpose")
    .replace("### 伝統的なベンチマーク", "### Traditional benchmarks")
    .replace("## 各モデル・アーキテクチャの原論文", "## References for the models and architectures")
)

PARTS = """\
| モデル/アーキテクチャ | 初出時期 | 会議/ジャーナル | 論文 |
|:---|:---|:---|:---|
| Transformer | 2017.06.12 | NIPS(NeurIPS) 2017 | [Attention Is All You Need](https://arxiv.org/abs/1706.03762) |
"""


def git(repo: Path, *args: str, date: str = "2024-06-16T12:00:00+09:00") -> str:
    env = {
        **os.environ,
        "GIT_AUTHOR_NAME": "t", "GIT_AUTHOR_EMAIL": "t@example.org",
        "GIT_COMMITTER_NAME": "t", "GIT_COMMITTER_EMAIL": "t@example.org",
        "GIT_AUTHOR_DATE": date, "GIT_COMMITTER_DATE": date,
    }  # fmt: skip
    done = subprocess.run(
        ["git", "-C", str(repo), *args], capture_output=True, text=True, env=env, check=True
    )
    return done.stdout.strip()


def write(repo: Path, path: str, text: str) -> None:
    target = repo / path
    target.parent.mkdir(parents=True, exist_ok=True)
    target.write_text(text, encoding="utf-8")


@pytest.fixture
def repo(tmp_path: Path) -> Path:
    """Two commits: the old layout (README_en.md at the root, references inline), then the
    renamed one (en/README.md) whose lists include parts/references_model.md."""
    repo = tmp_path / "awesome-japanese-llm"
    repo.mkdir()
    git(repo, "init", "-q", "-b", "main")
    inline = PARTS
    write(repo, "README.md", JA_LIST.replace("<!--@include: @/parts/references_model.md-->", inline))
    write(repo, "README_en.md",
          EN_LIST.replace("<!--@include: @/parts/references_model.md-->", inline))
    git(repo, "add", "-A")
    git(repo, "commit", "-q", "-m", "old layout", date="2023-10-21T18:18:47+09:00")
    (repo / "README_en.md").unlink()
    write(repo, "README.md", JA_LIST)
    write(repo, "en/README.md", EN_LIST)
    write(repo, "fr/README.md", EN_LIST.replace("# Overview of Japanese LLMs",
                                                "# Aperçu des grands modèles de langage japonais"))
    write(repo, "parts/references_model.md", PARTS)
    git(repo, "add", "-A")
    git(repo, "commit", "-q", "-m", "migrate to Vitepress", date="2024-06-16T12:00:00+09:00")
    return repo


def by_language(documents: list[ListDocument]) -> dict[str, ListDocument]:
    return {doc.source.language: doc for doc in documents}


def test_clean_checkout_is_heads_commit_one_document_per_language(repo: Path) -> None:
    head = git(repo, "rev-parse", "HEAD")
    docs = by_language(read_checkout(repo))
    assert sorted(docs) == ["en", "fr", "ja"]
    assert {lang: doc.source.path for lang, doc in docs.items()} == {
        "ja": "README.md", "en": "en/README.md", "fr": "fr/README.md"}  # fmt: skip
    slugs = {doc.source.slug for doc in docs.values()}
    assert slugs == {f"awesome-japanese-llm-{lang}-{head[:12]}" for lang in ("ja", "en", "fr")}
    ja = docs["ja"].source.identity
    assert ja is not None and ja.commit == head and ja.date == "2024-06-16T12:00:00+09:00"
    assert ja.label == f"awesome-japanese-llm (ja) at {head[:7]}, 2024-06-16"
    assert ja.url == f"{REPOSITORY}/blob/{head}/README.md"
    assert docs["fr"].source.identity is not None
    assert docs["fr"].source.identity.url == f"{REPOSITORY}/blob/{head}/fr/README.md"
    assert docs["ja"].problems == ()


def test_includes_are_read_into_the_including_list_with_their_own_lines(repo: Path) -> None:
    head = git(repo, "rev-parse", "HEAD")
    for doc in read_checkout(repo):
        assert doc.source.includes == ("parts/references_model.md",)
        [reference] = doc.references
        assert reference.subjects == ("Transformer",)
        assert (reference.row.origin, reference.row.line) == ("parts/references_model.md", 3)
        assert doc.source.identity is not None
        assert doc.source.identity.line_url(reference.row.origin, reference.row.line) == (
            f"{REPOSITORY}/blob/{head}/parts/references_model.md#L3")
        [model] = doc.models
        assert model.label == "LLM-jp-3" and model.row.origin is None
        assert [c.hf_id for c in model.checkpoints] == ["llm-jp/llm-jp-3-1.8b",
                                                       "llm-jp/llm-jp-3-13b"]


def test_rev_reads_that_version_from_git_whatever_the_working_tree(repo: Path) -> None:
    first = git(repo, "rev-list", "--max-parents=0", "HEAD")
    write(repo, "README.md", "not the list any more\n")  # the working tree is not read
    docs = by_language(read_checkout(repo, rev=first[:7]))
    assert sorted(docs) == ["en", "ja"]  # no French list before it existed
    en = docs["en"].source
    assert en.path == "README_en.md" and en.includes == ()
    assert en.identity is not None and en.identity.commit == first
    assert en.identity.label == f"awesome-japanese-llm (en) at {first[:7]}, 2023-10-21"
    assert en.slug == f"awesome-japanese-llm-en-{first[:12]}"
    # The references were inline then: same row, its line in the list itself.
    [reference] = docs["ja"].references
    assert reference.row.origin is None and reference.row.line == 25  # header at 23


def test_a_changed_working_tree_is_identified_by_content(repo: Path) -> None:
    clean = by_language(read_checkout(repo))
    write(repo, "parts/references_model.md", PARTS.replace("2017.06.12", "2017.06.13"))
    docs = by_language(read_checkout(repo))
    ja = docs["ja"].source.identity
    assert ja is not None and ja.commit is None and ja.date is None
    assert ja.slug == f"awesome-japanese-llm-ja-sha256-{ja.content_hash[:12]}"
    assert ja.label == f"awesome-japanese-llm (ja), content {ja.content_hash[:12]}"
    assert ja.url is None and ja.line_url(None, 3) is None
    # The include is part of the content: the same README with another part is another version.
    assert ja.content_hash != clean["ja"].source.sha256
    assert docs["ja"].references[0].date == "2017.06.13"


def test_a_folder_outside_git_is_identified_by_content(tmp_path: Path) -> None:
    write(tmp_path, "README.md", JA_LIST)
    write(tmp_path, "parts/references_model.md", PARTS)
    [doc] = read_checkout(tmp_path)
    assert doc.source.identity is not None and doc.source.identity.commit is None
    assert len(doc.references) == 1


def test_a_missing_include_is_a_problem_naming_file_and_line(tmp_path: Path) -> None:
    write(tmp_path, "README.md", JA_LIST)
    [doc] = read_checkout(tmp_path)
    [problem] = doc.problems
    assert (problem.file, problem.line) == ("README.md", 23)
    assert problem.text == "<!--@include: @/parts/references_model.md-->"
    assert problem.reason == "included file parts/references_model.md not found"
    assert len(doc.models) == 1


def test_bad_revision_and_non_checkout_are_clear_errors(repo: Path, tmp_path: Path) -> None:
    with pytest.raises(CheckoutError, match=r"--rev 'no-such-rev' is not a commit"):
        read_checkout(repo, rev="no-such-rev")
    empty = tmp_path / "empty"
    empty.mkdir()
    with pytest.raises(CheckoutError, match=r"empty: not a checkout of the list: none of "
                                            r"README\.md, en/README\.md"):
        read_checkout(empty)
    with pytest.raises(CheckoutError, match=r"needs the top of a git checkout"):
        read_checkout(empty, rev="HEAD")


def test_a_seed_file_gets_its_upstream_identity_from_the_curated_table(
    seeds_dir: Path,
) -> None:
    ja = read_source(seeds_dir / "003_9c8df20d3e58c146.txt").source.identity
    assert ja is not None
    assert ja.commit == "9dd329788972635bb94efc7a199b5f08e2c7435d" and ja.path == "README.md"
    assert ja.slug == "awesome-japanese-llm-ja-9dd329788972"
    assert ja.label == "awesome-japanese-llm (ja) at 9dd3297, 2024-07-20"
    assert ja.line_url(None, 239) == f"{REPOSITORY}/blob/{ja.commit}/README.md#L239"
    # 000 differs from its commit in one row: a version of its own, located at that commit.
    fr = read_source(seeds_dir / "000_a5bb5f047ed98111.txt").source.identity
    assert fr is not None and fr.commit is not None and fr.commit.startswith("69b696e")
    assert fr.slug == f"awesome-japanese-llm-fr-sha256-{fr.content_hash[:12]}"
    assert fr.label == ("awesome-japanese-llm (fr) at 69b696e, 2025-10-13, a mojibake copy with "
                        "one row differing (Fujitsu-LLM-KG, L130)")
    paper = read_source(seeds_dir / "004_9c6061823d69ccef.txt").source.identity
    assert paper is not None and paper.commit is None
    assert paper.slug == f"arxiv-2404.01657-sha256-{paper.content_hash[:12]}"
    assert paper.label == ("Release of Pre-Trained Models for the Japanese Language "
                           f"(arxiv-2404.01657), content {paper.content_hash[:12]}")


# --------------------------------------------------------------------------- through the CLI

SOURCE = "https://w3id.org/jllm-kg/id/source/"
SCHEMA_URL = "https://schema.org/url"


def _quads(folder: Path) -> set[tuple[str, str, str, str]]:
    import pyoxigraph as ox

    quads: set[tuple[str, str, str, str]] = set()
    for path in sorted((folder / "graph").glob("*.nq")):
        for quad in ox.parse(path=str(path), format=ox.RdfFormat.N_QUADS):
            quads.add((quad.subject.value, quad.predicate.value, quad.object.value,
                       quad.graph_name.value))  # type: ignore[union-attr]
    return quads


def test_cli_ingests_a_checkout_with_one_graph_per_list_and_line_addresses(
    repo: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    from jllm_kg.cli import EXIT_OK, main

    head = git(repo, "rev-parse", "HEAD")
    report = tmp_path / "report.json"
    code = main(["ingest", str(repo), "--out", str(tmp_path / "out"), "--report", str(report),
                 "--strict"])
    assert code == EXIT_OK, capsys.readouterr().err
    assert f"awesome-japanese-llm (en) at {head[:7]}, 2024-06-16" in capsys.readouterr().out
    files = sorted(path.name for path in (tmp_path / "out" / "graph").glob("*.nq"))
    assert files == ["awesome-japanese-llm-en-" + head[:12] + ".nq",
                     "awesome-japanese-llm-fr-" + head[:12] + ".nq",
                     "awesome-japanese-llm-ja-" + head[:12] + ".nq", "curated.nq"]
    quads = _quads(tmp_path / "out")
    ja = f"{SOURCE}awesome-japanese-llm-ja-{head[:12]}"
    blob = f"{REPOSITORY}/blob/{head}"
    assert (ja, SCHEMA_URL, f"{blob}/README.md", ja) in quads
    assert (ja, "http://purl.org/dc/terms/isVersionOf", f"{SOURCE}awesome-japanese-llm-ja",
            ja) in quads
    assert (ja, "http://www.w3.org/2000/01/rdf-schema#label",
            f"awesome-japanese-llm (ja) at {head[:7]}, 2024-06-16", ja) in quads
    # The model row's line (L11) and the included reference row (parts L3) have addresses.
    assert (f"{ja}#L11", SCHEMA_URL, f"{blob}/README.md#L11", ja) in quads
    part = f"{ja}#parts/references_model.md:L3"
    assert (part, SCHEMA_URL, f"{blob}/parts/references_model.md#L3", ja) in quads
    assert (part, "https://w3id.org/jllm-kg/ontology#includedFile",
            "parts/references_model.md", ja) in quads
    data = json.loads(report.read_text(encoding="utf-8"))
    assert data["problems"] == [] and len(data["sources"]) == 3


def test_cli_strict_fails_on_a_problem_and_the_report_names_it(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    from jllm_kg.cli import EXIT_FAILED, EXIT_OK, main

    checkout = tmp_path / "checkout"
    write(checkout, "README.md", JA_LIST)  # its include has no file
    report = tmp_path / "report.json"
    out = tmp_path / "out"
    assert main(["ingest", str(checkout), "--out", str(out), "--report", str(report),
                 "--strict"]) == EXIT_FAILED
    assert not (out / "graph").exists()  # --strict: nothing written
    problems = json.loads(report.read_text(encoding="utf-8"))["problems"]
    assert problems == [{
        "file": "README.md", "line": 23, "text": "<!--@include: @/parts/references_model.md-->",
        "reason": "included file parts/references_model.md not found", "stage": "ingest",
    }]  # fmt: skip
    assert "README.md:23: included file" in capsys.readouterr().out
    # Without --strict the rest of the version is ingested; no commit: no line addresses.
    assert main(["ingest", str(checkout), "--out", str(out)]) == EXIT_OK
    quads = _quads(out)
    assert not any(p == SCHEMA_URL and "#L" in s for s, p, _, _ in quads)
    assert any(p == "https://w3id.org/jllm-kg/ontology#contentSha256" for _, p, _, _ in quads)


def test_a_row_whose_mapping_fails_is_a_problem_and_the_rest_is_mapped(
    repo: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from jllm_kg.map.list import ListMapper
    from jllm_kg.pipeline import ingest_sources

    def failing(self: ListMapper, ctx: object) -> None:
        raise ValueError("cannot make a slug from ''")

    monkeypatch.setattr(ListMapper, "_map_row", failing)
    summary = ingest_sources([repo], out_dir=tmp_path, rev="HEAD~1")
    assert [(p.file, p.line, p.stage, p.reason) for p in summary.problems] == [
        ("README.md", 11, "map", "ValueError: cannot make a slug from ''"),
        ("README_en.md", 11, "map", "ValueError: cannot make a slug from ''"),
    ]
    assert summary.problems[0].text.startswith("| [LLM-jp-3](https://llmc.nii.ac.jp/) |")
    quads = _quads(tmp_path)
    assert any(s.endswith("paper/arxiv-1706.03762") for s, _, _, _ in quads)  # rest mapped


def test_a_file_and_a_checkout_of_the_same_version_are_one_source(
    repo: Path, tmp_path: Path
) -> None:
    from jllm_kg.pipeline import ingest_sources

    copy = tmp_path / "README.md"
    copy.write_bytes((repo / "README.md").read_bytes())
    head = git(repo, "rev-parse", "HEAD")
    summary = ingest_sources([repo, copy], out_dir=tmp_path / "out")
    # The copy alone is a version identified by its content (no include read, no commit).
    assert [slug for slug, _ in summary.documents][:3] == [
        f"awesome-japanese-llm-{lang}-{head[:12]}" for lang in ("ja", "en", "fr")]
    assert summary.documents[3][0].startswith("awesome-japanese-llm-ja-sha256-")
    again = ingest_sources([repo, repo], out_dir=tmp_path / "again")
    assert len(again.documents) == 3 and len(again.duplicates) == 3
