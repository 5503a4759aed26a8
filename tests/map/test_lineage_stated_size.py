"""A parent the prose names without a size, for a checkpoint trained further from it, is
narrowed to the size the child's row states (audit S5: "東北大BERTに対して … 追加学習" in a
"BERT (base)" row listed all ten Tohoku BERT checkpoints, the four large ones too).

The rows are copied from the upstream list at 941b11f (``README.md`` L292, L331, L340).
"""

# ruff: noqa: E501

from __future__ import annotations

from jllm_kg.map.identity import hf_model_iri
from jllm_kg.vocab import JLLM, PROV

from .snippets import map_snippet, objects

LIST_941B_JA = """<a id="autoencoding"></a>
## 入力テキストの処理に主に使うモデル

<a id="autoencoding-general"></a>
### 汎用

|    |  アーキテクチャ  |  入力で扱えるトークン数  |  学習テキスト  |  開発元  | ライセンス | HuggingFace ですぐ使える？ [^4]  |
|:---|:---:|:---:|:---:|:---:|:---:|:---:|
|  [東北大BERT](https://github.com/cl-tohoku/bert-japanese)  |  BERT (base, large)  | 512 |  base (v1):<br>日本語 Wikipedia 約1,700万文 (2.6GB)<br>base (v2) & large:<br>日本語 Wikipedia 約3,000万文 (4.0GB)<br>base (v3) & large (v2):<br>日本語 Wikipedia 約3,400万文 (4.9GB)<br>+ 日本語 CC-100 約3億9,200万文 (74.3GB)   |  東北大<br>自然言語処理研究グループ | base (v1, v2) & large: CC BY-SA 3.0<br>base (v3) & large (v2): Apache 2.0 |◯ ([base (v1)](https://huggingface.co/tohoku-nlp/bert-base-japanese-whole-word-masking), [base (v1, 文字レベル)](https://huggingface.co/tohoku-nlp/bert-base-japanese-char-whole-word-masking), [base (v2)](https://huggingface.co/tohoku-nlp/bert-base-japanese-v2), [base (v2, 文字レベル)](https://huggingface.co/tohoku-nlp/bert-base-japanese-char-v2), [large](https://huggingface.co/tohoku-nlp/bert-large-japanese), [large (文字レベル)](https://huggingface.co/tohoku-nlp/bert-large-japanese-char), [base (v3)](https://huggingface.co/tohoku-nlp/bert-base-japanese-v3), [base (v3, 文字レベル)](https://huggingface.co/tohoku-nlp/bert-base-japanese-char-v3), [large (v2)](https://huggingface.co/tohoku-nlp/bert-large-japanese-v2), [large (v2, 文字レベル)](https://huggingface.co/tohoku-nlp/bert-large-japanese-char-v2)) |

<a id="autoencoding-domain-specific"></a>
### ドメイン特化型

|    |  ドメイン  |  アーキテクチャ  |  学習テキスト  |  開発元  | ライセンス | HuggingFace ですぐ使える？  |
|:---|:---:|:---:|:---:|:---:|:---:|:---:|
| [日本語話し言葉BERT](https://retrieva-tech.hatenablog.com/entry/2021/04/01/114943) | 話し言葉 | BERT (base) | 東北大BERTに対して日本語話し言葉コーパス（CSJ）を用いて追加学習<br>（DAPTモデルでは国会議事録データも使用） | レトリバ | Apache 2.0 | [◯](https://huggingface.co/retrieva-jp/japanese-spoken-language-bert) |
| [みんぱくBERT](https://proceedings-of-deim.github.io/DEIM2022/papers/F43-4.pdf) | 文化財 | BERT (base) | 東北大BERTに対して国立民族学博物館の文化財データで追加学習 | 兵庫県立大学 大島研 | MIT | ◯ ([minpaku-v1](https://huggingface.co/ohshimalab/bert-base-minpaku-v1), [minpaku-v3](https://huggingface.co/ohshimalab/bert-base-minpaku-v3), [minpaku-v3-no-additional-token](https://huggingface.co/ohshimalab/bert-base-minpaku-v3-no-additional-token)) |
"""

BASES = {hf_model_iri(f"tohoku-nlp/bert-base-japanese{suffix}") for suffix in (
    "-whole-word-masking", "-char-whole-word-masking", "-v2", "-char-v2", "-v3", "-char-v3")}
LARGES = {hf_model_iri(f"tohoku-nlp/bert-large-japanese{suffix}") for suffix in (
    "", "-char", "-v2", "-char-v2")}


def _candidates(child: str) -> set[str]:
    mapped = map_snippet(LIST_941B_JA, "ja")
    records = objects(mapped, hf_model_iri(child), str(JLLM.ambiguousDerivation))
    decided = objects(mapped, hf_model_iri(child), str(PROV.qualifiedDerivation))
    assert not decided  # "東北大BERT" does not say which base checkpoint
    # the size told the candidates apart (ontology: "… or of the size the cell gives")
    assert {m for record in records for m in objects(mapped, record, str(JLLM.method))} == {
        str(JLLM.ParentToldApartBySize)}
    return {c for record in records for c in objects(mapped, record, str(JLLM.candidate))}


def test_a_base_row_gets_the_base_checkpoints_only_941b_l331() -> None:
    assert _candidates("retrieva-jp/japanese-spoken-language-bert") == BASES


def test_each_checkpoint_of_a_base_row_gets_the_base_checkpoints_941b_l340() -> None:
    for child in ("ohshimalab/bert-base-minpaku-v1", "ohshimalab/bert-base-minpaku-v3",
                  "ohshimalab/bert-base-minpaku-v3-no-additional-token"):
        candidates = _candidates(child)
        assert candidates == BASES and not candidates & LARGES
