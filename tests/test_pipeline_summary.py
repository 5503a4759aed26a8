"""The ingest summary reports the parents nothing resolves (``IngestSummary.describe``)."""

# The rows are the seeds' format (003: title, anchors, the continual section's header); a row
# is one long line there.
# ruff: noqa: E501

from __future__ import annotations

from pathlib import Path

from jllm_kg.map.list import UnresolvedParent
from jllm_kg.pipeline import ingest_sources

LIST = """# 日本語LLMまとめ

<a id="generative"></a>
## テキスト生成に主に使うモデル

<a id="english-based-models"></a>
### 海外モデルに日本語で追加事前学習を行ったモデル（継続事前学習モデル）

<a id="generative-continual-general"></a>
#### 汎用

|    | ベースのLLM  | 学習テキスト | 開発元  | ライセンス |
|:---|:---:|:---:|:---:|:---:|
| [Llama 3 Swallow 70B](https://swallow-llm.github.io/llama3-swallow.ja.html)<br>([70B-v0.1](https://huggingface.co/tokyotech-llm/Llama-3-Swallow-70B-v0.1)) | Llama 3 (**70b**) | 事前学習: Swallow Corpus | Swallow プロジェクト | Llama 3 Community License |
| [Example Chat 7B](https://example.org/chat)<br>([7B](https://huggingface.co/example-org/example-chat-7b)) | 未知の社内モデル (**7b**) | Additionally trained on Llama 3 Swallow 70B | Example Org | Apache 2.0 |
| [Other 13B](https://example.org/other)<br>([13B](https://huggingface.co/example-org/other-13b)) | 謎のベースモデル | 事前学習: Swallow Corpus | Example Org | Apache 2.0 |

<a id="generative-continual-domain-specific"></a>
#### ドメイン特化型

|    | ドメイン | ベースのLLM  | 開発元  | ライセンス |
|:---|:---:|:---:|:---:|:---:|
"""


def test_unresolved_parents_listed_with_file_and_line(tmp_path: Path) -> None:
    source = tmp_path / "mini_list.md"
    source.write_text(LIST, encoding="utf-8")
    summary = ingest_sources([source], out_dir=tmp_path / "out")
    # line 15's prose names its parent, a row of the list (so its base cell is not read);
    # line 16's base cell names no model of the list nor a curated one
    assert summary.unresolved_parents == (
        UnresolvedParent("mini_list.md", 16, "謎のベースモデル"),
    )
    report = summary.describe().splitlines()
    assert report[-2:] == ["1 unresolved parent(s):", "  mini_list.md:16 謎のベースモデル"]


def test_no_unresolved_parents_said_so(tmp_path: Path) -> None:
    source = tmp_path / "mini_list.md"
    lines = LIST.splitlines()
    source.write_text("\n".join(lines[:13] + lines[16:]) + "\n", encoding="utf-8")
    summary = ingest_sources([source], out_dir=tmp_path / "out")
    assert summary.unresolved_parents == ()
    assert summary.describe().splitlines()[-1] == "0 unresolved parent(s)"
