"""Ambiguous parents: a name that fits several checkpoints is recorded with every candidate
(``jllm:AmbiguousDerivation``), never resolved by picking one (issue 12 §3).

The rows are copied from the seeds (003, the Japanese list: L93, L231, L239, L258); the expected
candidates are what a reader of the rows can and cannot tell apart.
"""

# ruff: noqa: E501

from __future__ import annotations

import json

from jllm_kg.map.build import MappedGraphs
from jllm_kg.map.identity import hf_model_iri
from jllm_kg.vocab import JLLM, PROV

from .snippets import map_snippet

LIST_003 = """<a id="generative"></a>
## テキスト生成に主に使うモデル

<a id="full-scratch-models"></a>
### フルスクラッチ事前学習モデル

<a id="generative-scratch-general"></a>
#### 汎用

|    |  アーキテクチャ  |  入出力で扱える<br>トークン数  |  学習テキスト  |  開発元  | ライセンス |
|:---|:---:|:---:|:---:|:---:|:---:|
| [rinna GPT <br> (日本語のみで学習されたモデル)](https://rinna.co.jp/news/2023/05/20220531.html) | GPT または GPT-NeoX<br>([xsmall](https://huggingface.co/rinna/japanese-gpt2-xsmall), [small](https://huggingface.co/rinna/japanese-gpt2-small), [medium](https://huggingface.co/rinna/japanese-gpt2-medium), [**1b**](https://huggingface.co/rinna/japanese-gpt-1b), [neox-small](https://huggingface.co/rinna/japanese-gpt-neox-small), [neox-**3.6b**](https://huggingface.co/rinna/japanese-gpt-neox-3.6b), [neox-**3.6b**-instruction-sft](https://huggingface.co/rinna/japanese-gpt-neox-3.6b-instruction-sft), [neox-**3.6b**-instruction-sft-v2](https://huggingface.co/rinna/japanese-gpt-neox-3.6b-instruction-sft-v2), [neox-**3.6b**-instruction-ppo](https://huggingface.co/rinna/japanese-gpt-neox-3.6b-instruction-ppo)) | ≤ 2,048 | 日本語 Wikipedia <br> + Japanese CC-100 <br> (1b 以降のモデルでは<br>さらに Japanese mC4 を追加)<br>\\*instruction-sft, sft-v2 モデルでは HH RLHF、FLAN、SHP データセットでさらにファインチューニング<br>\\*instruction-ppo モデルでは HH RLHF でさらに PPO ベースの強化学習 | rinna | MIT |

<a id="autoencoding"></a>
## 入力テキストの処理に主に使うモデル

<a id="autoencoding-general"></a>
### 汎用

|    |  アーキテクチャ  |  学習テキスト  |  開発元  | ライセンス | HuggingFace ですぐ使える？ [^4]  |
|:---|:---:|:---:|:---:|:---:|:---:|
|  [東北大BERT](https://github.com/cl-tohoku/bert-japanese)  |  BERT (base, large)  |  base (v1):<br>日本語 Wikipedia 約1,700万文 (2.6GB)<br>base (v2) & large:<br>日本語 Wikipedia 約3,000万文 (4.0GB)<br>base (v3) & large (v2):<br>日本語 Wikipedia 約3,400万文 (4.9GB)<br>+ 日本語 CC-100 約3億9,200万文 (74.3GB)   |  東北大<br>自然言語処理研究グループ | base (v1, v2) & large: CC BY-SA 3.0<br>base (v3) & large (v2): Apache 2.0 |◯ ([base (v1)](https://huggingface.co/tohoku-nlp/bert-base-japanese-whole-word-masking), [base (v1, 文字レベル)](https://huggingface.co/tohoku-nlp/bert-base-japanese-char-whole-word-masking), [base (v2)](https://huggingface.co/tohoku-nlp/bert-base-japanese-v2), [base (v2, 文字レベル)](https://huggingface.co/tohoku-nlp/bert-base-japanese-char-v2), [large](https://huggingface.co/tohoku-nlp/bert-large-japanese), [large (文字レベル)](https://huggingface.co/tohoku-nlp/bert-large-japanese-char), [base (v3)](https://huggingface.co/tohoku-nlp/bert-base-japanese-v3), [base (v3, 文字レベル)](https://huggingface.co/tohoku-nlp/bert-base-japanese-char-v3), [large (v2)](https://huggingface.co/tohoku-nlp/bert-large-japanese-v2), [large (v2, 文字レベル)](https://huggingface.co/tohoku-nlp/bert-large-japanese-char-v2)) |
| [Bandai Namco DistilBERT](https://github.com/BandaiNamcoResearchInc/DistilBERT-base-jp/blob/main/docs/GUIDE.md) | DistilBERT | - （東北大BERT(base) を親モデルとして知識蒸留） | Bandai Namco Research | MIT | [◯](https://huggingface.co/bandainamco-mirai/distilbert-base-japanese) |
| [日本語LayoutLM](https://www.anlp.jp/proceedings/annual_meeting/2023/pdf_dir/Q2-7.pdf) | LayoutLM (base) | 東北大BERT (base, v2) で重みを初期化した上で、日本語 Wikipedia の文章とレイアウトで事前学習 | 日本総合研究所 | CC BY-SA 3.0 | [◯](https://huggingface.co/jri-advtechlab/layoutlm-wikipedia-ja) |
"""

TOHOKU = ["bert-base-japanese-whole-word-masking", "bert-base-japanese-char-whole-word-masking",
          "bert-base-japanese-v2", "bert-base-japanese-char-v2", "bert-base-japanese-v3",
          "bert-base-japanese-char-v3"]


def _map() -> MappedGraphs:
    return map_snippet(LIST_003, "ja")


def _objects(mapped: MappedGraphs, subject: str, predicate: str) -> set[str]:
    return {o[1:-1] for graph in mapped.sink.graphs()
            for s, p, o in mapped.sink.triples(graph)
            if s == f"<{subject}>" and p == f"<{predicate}>"}


def _ambiguous(mapped: MappedGraphs, hf_id: str) -> list[set[str]]:
    """The candidate sets of the child's ambiguous derivations."""
    nodes = _objects(mapped, hf_model_iri(hf_id), str(JLLM.ambiguousDerivation))
    return [_objects(mapped, node, str(JLLM.candidate)) for node in sorted(nodes)]


def test_unversioned_base_keeps_every_base_checkpoint_003_l239() -> None:
    # "東北大BERT(base) を親モデルとして知識蒸留": the row lists six base checkpoints (v1, v2, v3,
    # each also char-level); the name says none of them, so all six stay candidates
    mapped = _map()
    child = "bandainamco-mirai/distilbert-base-japanese"
    assert _objects(mapped, hf_model_iri(child), str(PROV.wasDerivedFrom)) == set()
    assert _ambiguous(mapped, child) == [{hf_model_iri(f"cl-tohoku/{name}") for name in TOHOKU}]
    (case,) = [c for c in mapped.ambiguous_parents if c.child == child]
    assert (case.file, case.line, case.decided_by) == ("snippet.md", 23, ())
    assert "東北大BERT(base) を親モデルとして知識蒸留" in _objects_text(mapped, child)


def _objects_text(mapped: MappedGraphs, hf_id: str) -> str:
    nodes = _objects(mapped, hf_model_iri(hf_id), str(JLLM.ambiguousDerivation))
    return " ".join(json.loads(o) for graph in mapped.sink.graphs() for s, p, o in mapped.sink.triples(graph)
                    if s[1:-1] in nodes and p == f"<{JLLM.evidence}>")


def test_qualifiers_matching_one_link_label_decide_003_l258() -> None:
    # "東北大BERT (base, v2)": the link label "base (v2)" says exactly that; "base (v2, 文字レベル)"
    # adds the char level the name does not say
    mapped = _map()
    child = hf_model_iri("jri-advtechlab/layoutlm-wikipedia-ja")
    assert _objects(mapped, child, str(PROV.wasDerivedFrom)) == {
        hf_model_iri("cl-tohoku/bert-base-japanese-v2")}
    assert _objects(mapped, child, str(JLLM.ambiguousDerivation)) == set()


def test_tuned_sibling_of_two_equally_named_checkpoints_003_l93() -> None:
    # instruction-ppo is a preference tuning of an instruction-tuned sibling, but the row has
    # two (instruction-sft, instruction-sft-v2) and the names do not say which
    mapped = _map()
    child = "rinna/japanese-gpt-neox-3.6b-instruction-ppo"
    assert _objects(mapped, hf_model_iri(child), str(PROV.wasDerivedFrom)) == set()
    assert _ambiguous(mapped, child) == [{
        hf_model_iri("rinna/japanese-gpt-neox-3.6b-instruction-sft"),
        hf_model_iri("rinna/japanese-gpt-neox-3.6b-instruction-sft-v2")}]
    # the evidence is the names as the row writes them, not a sentence made up about them
    assert _objects_text(mapped, child) == (
        "rinna/japanese-gpt-neox-3.6b-instruction-sft, "
        "rinna/japanese-gpt-neox-3.6b-instruction-sft-v2, "
        "rinna/japanese-gpt-neox-3.6b-instruction-ppo")
    # a sibling the names do tell apart stays a plain derivation, read from the names
    sft = hf_model_iri("rinna/japanese-gpt-neox-3.6b-instruction-sft")
    assert _objects(mapped, sft, str(PROV.wasDerivedFrom)) == {
        hf_model_iri("rinna/japanese-gpt-neox-3.6b")}
    (node,) = _objects(mapped, sft, str(PROV.qualifiedDerivation))
    assert _objects(mapped, node, str(JLLM.method)) == {str(JLLM.SiblingCheckpointNames)}


def test_every_derivation_says_how_it_was_read() -> None:
    mapped = _map()
    nodes = {o for graph in mapped.sink.graphs() for s, p, o in mapped.sink.triples(graph)
             if p in (f"<{PROV.qualifiedDerivation}>", f"<{JLLM.ambiguousDerivation}>")}
    assert len(nodes) >= 5
    for node in nodes:
        assert len(_objects(mapped, node[1:-1], str(JLLM.method))) == 1, node
        assert len(_objects(mapped, node[1:-1], str(JLLM.derivationType))) == 1, node
