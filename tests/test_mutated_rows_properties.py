# ruff: noqa: E501
"""Property-based tests (hypothesis): real rows of the list, mutated the ways a new version or a
typo breaks them, through the whole importer (read → map → SHACL).

The rows are copied from the list (seed 003 L76-L78, L94, the 000 training-data cell of
L129, a 002 continual row): cut mid-cell, pipes dropped or added, cells shuffled or emptied,
odd unicode and HTML entities inserted, training-data lists ending in "etc." or "など".
Whatever the row becomes: no crash, every problem names its file and a line of the document,
and the graph conforms to the shapes.
"""

from __future__ import annotations

from pathlib import Path

from hypothesis import HealthCheck, Phase, given, settings
from hypothesis import strategies as st

from jllm_kg.ingest.markdown_list import parse_list
from jllm_kg.ingest.records import ListDocument, SourceDocument, SourceVersion

FILE = "README.md"
HEADER = """\
# 日本語LLMまとめ

<a id="generative"></a>
## テキスト生成に主に使うモデル

<a id="generative-scratch-general"></a>
#### 汎用

|    |  アーキテクチャ  |  入出力で扱える<br>トークン数  |  学習テキスト  |  開発元  | ライセンス |
|:---|:---:|:---:|:---:|:---:|:---:|
"""
CONTINUAL = """
<a id="generative-continual-general"></a>
#### 汎用

|    |  ベースのLLM  |  学習テキスト  |  開発元  | ライセンス |
|:---|:---:|:---:|:---:|:---:|
"""
SCRATCH_ROWS = (
    "| [Sarashina1](https://www.sbintuitions.co.jp/news/press/20240614_01/) | GPT-NeoX<br>([**7b**](https://huggingface.co/sbintuitions/sarashina1-7b), [**13b**](https://huggingface.co/sbintuitions/sarashina1-13b), [**65b**](https://huggingface.co/sbintuitions/sarashina1-65b)) | 2,048 | 事前学習: Japanese Common Crawl<br>(計 **1T** トークン) | SB Intuitions | MIT |",
    "| [CyberAgentLM3 (CALM3)](https://www.cyberagent.co.jp/news/detail/id=30463) | Llama<br>([**22b**-chat](https://huggingface.co/cyberagent/calm3-22b-chat)) | **16,384** | 不明<br>(計 **2.0T** トークン) | サイバーエージェント | Apache 2.0 |",
    "| [PLaMo-13B](https://www.preferred.jp/ja/news/pr20230928/) | Llama[^1]<br>([**13b**](https://huggingface.co/pfnet/plamo-13b), [**13b**-instruct](https://huggingface.co/pfnet/plamo-13b-instruct), [**13b**-instruct-nc](https://huggingface.co/pfnet/plamo-13b-instruct-nc)) | base: 4,096<br>instruct, instruct-nc: 8,192 | 事前学習: C4, Project Gutenberg, RedPajama, 日本語 Wikipedia, Japanese mC4<br>(計 **1.5T** トークン)<br>Instruction Tuning: Dolly Dataset, HH RLHF, OASST1 | Preferred Networks | Apache 2.0<br>(NC モデルは CC BY-NC 4.0) |",
    "| [Weblab-10B](https://www.t.u-tokyo.ac.jp/press/pr2023-08-18-001) | GPT-NeoX<br>([**10b**](https://huggingface.co/matsuo-lab/weblab-10b), [**10b**-instruction&#x2011;sft](https://huggingface.co/matsuo-lab/weblab-10b-instruction&#x2011;sft)) | 2,048 | Japanese mC4 + The Pile（計 **600B** トークン）<br>\\*instruction-sft モデルは Alpaca Dataset, FLAN でファインチューニング | 東大 松尾研 | CC BY-NC 4.0 |",
)
CONTINUAL_ROWS = (
    "| [Swallow](https://tokyotech-llm.github.io/swallow-llama) | Llama 2 (**7b**, **13b**, **70b**) | Japanese Wikipedia, RefinedWeb, Swallow Corpus, The Pile<br>Instruction Tuning: Dolly Dataset, HH RLHF, OASST1 | Swallow Project | Llama 2 Community License |",
    "| [ELYZA-japanese-Llama-2-7b](https://note.com/elyza/n/na405acaca130) | Llama 2 (**7b**) | Japanese Wikipedia, Japanese OSCAR, etc. | ELYZA | Llama 2 Community License |",
)
# Items the list writes at the end of an open list of datasets (none of them is a dataset).
OPEN_LIST_ENDINGS = ("etc.", "etc", "など", "…", "and more", "(etc.)", ", etc.", "等")
ODD = ("&#x2011;", "&amp;", "&lt;", "\u200b", "\u3000", "（", "）", "｜", "🤗", "\u0301",
       "**", "[", "](", "<br>", "[^3]", "\\|", "`", "Ｌｌａｍａ")  # fmt: skip

# No shrinking: a failing example is printed as generated (shrinking a whole-pipeline run
# takes minutes), and it is already made of real rows.
PROPERTIES = settings(
    max_examples=40, deadline=None, database=None,
    phases=[Phase.explicit, Phase.reuse, Phase.generate],
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)  # fmt: skip


def _cells(row: str) -> list[str]:
    return row.strip().strip("|").split("|")


def _join(cells: list[str]) -> str:
    return "|" + "|".join(cells) + "|"


@st.composite
def mutated_row(draw: st.DrawFn, rows: tuple[str, ...]) -> str:
    """One real row, changed by one to three mutations."""
    row = draw(st.sampled_from(rows))
    for _ in range(draw(st.integers(1, 3))):
        kind = draw(st.sampled_from(
            ["cut", "drop_pipe", "add_pipe", "shuffle", "empty", "odd", "open_list", "dup"]))  # fmt: skip
        cells = _cells(row)
        if kind == "cut":
            row = row[: draw(st.integers(0, len(row)))]
        elif kind == "drop_pipe" and "|" in row:
            positions = [i for i, c in enumerate(row) if c == "|"]
            at = draw(st.sampled_from(positions))
            row = row[:at] + row[at + 1:]
        elif kind == "add_pipe":
            at = draw(st.integers(0, len(row)))
            row = row[:at] + "|" + row[at:]
        elif kind == "shuffle":
            row = _join(draw(st.permutations(cells)))
        elif kind == "empty":
            at = draw(st.integers(0, len(cells) - 1))
            cells[at] = draw(st.sampled_from(["", " ", "-", "？", "不明"]))
            row = _join(cells)
        elif kind == "odd":
            at = draw(st.integers(0, len(row)))
            row = row[:at] + draw(st.sampled_from(ODD)) + row[at:]
        elif kind == "open_list":
            at = draw(st.integers(0, len(cells) - 1))
            ending = draw(st.sampled_from(OPEN_LIST_ENDINGS))
            cells[at] = f"{cells[at]}, {ending}" if draw(st.booleans()) else ending
            row = _join(cells)
        else:
            row = f"{row}\n{row}"  # the same row twice
    return row


def _document(scratch: list[str], continual: list[str]) -> str:
    return HEADER + "\n".join(scratch) + "\n" + CONTINUAL + "\n".join(continual) + "\n"


def _parse(text: str) -> ListDocument:
    identity = SourceVersion("awesome-japanese-llm", "ja", "list", "0" * 64)
    source = SourceDocument(
        path=FILE, sha256="0" * 64, kind="list", language="ja", title="日本語LLMまとめ",
        slug=identity.slug, line_count=text.count("\n"), identity=identity,
    )  # fmt: skip
    return parse_list(text, source)


@PROPERTIES
@given(st.lists(mutated_row(SCRATCH_ROWS), max_size=4),
       st.lists(mutated_row(CONTINUAL_ROWS), max_size=3))
def test_mutated_rows_never_crash_the_reader_and_problems_name_file_and_line(
    scratch: list[str], continual: list[str]
) -> None:
    text = _document(scratch, continual)
    document = _parse(text)
    line_count = text.count("\n") + 1
    for problem in document.problems:
        assert problem.file == FILE
        assert 1 <= problem.line <= line_count
        assert problem.reason
    for row in document.models:
        assert 1 <= row.row.line <= line_count


MAP_PROPERTIES = settings(PROPERTIES, max_examples=8)


@MAP_PROPERTIES
@given(st.lists(mutated_row(SCRATCH_ROWS), min_size=1, max_size=4),
       st.lists(mutated_row(CONTINUAL_ROWS), min_size=1, max_size=3))
def test_mutated_rows_map_to_a_graph_that_conforms(
    scratch: list[str], continual: list[str]
) -> None:
    import tempfile

    from jllm_kg.map.build import map_documents
    from jllm_kg.map.graph import write_graphs
    from jllm_kg.validate import validate_graph

    text = _document(scratch, continual)
    document = _parse(text)
    mapped = map_documents([document])
    line_count = text.count("\n") + 1
    for problem in getattr(mapped, "problems", ()):
        assert problem.file == FILE and 1 <= problem.line <= line_count, problem
    with tempfile.TemporaryDirectory() as folder:
        write_graphs(mapped.sink, Path(folder), mapped.file_names)
        report = validate_graph([Path(folder)])
    assert report.conforms, [str(v) for v in report.violations][:5]
