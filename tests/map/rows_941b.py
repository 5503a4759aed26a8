"""Rows of the upstream list at 941b11f that several lineage tests read (copied as they are:
the list's lines are long)."""

# ruff: noqa: E501

# ja L27-39 and L53-54 at 941b11f: the header of the "full-scratch, general" table and the
# two PLaMo 3 rows (PLaMo 3 base checkpoints; Way-PLaMo-3-8b-chat built on the 8b one)
JA_941B_PLAMO3_ROWS = """<a id="generative"></a>
## テキスト生成に主に使うモデル

*画像を含むテキスト生成モデルは[こちら](#multimodal-text-generation)*

<a id="full-scratch-models"></a>
### フルスクラッチ学習モデル

<a id="generative-scratch-general"></a>
#### 汎用

|    | 公開年 |  アーキテクチャ  |  入出力で扱える<br>トークン数  |  学習テキスト  |  開発元  | ライセンス / 利用規約 |
|:---|:---:|:---:|:---:|:---:|:---:|:---:|
| [PLaMo 3](https://tech.preferred.jp/ja/blog/plamo_3_8b_31b/) | **2025** | Gemma ベースのアーキテクチャ<br>([**2b**-base](https://huggingface.co/pfnet/plamo-3-nict-2b-base), [**8b**-base](https://huggingface.co/pfnet/plamo-3-nict-8b-base), [**31b**-base](https://huggingface.co/pfnet/plamo-3-nict-31b-base)) | 4,096 | 事前学習: 英語、日本語、コード、多言語<br>(2b: **200B** トークン, 8b: **1T** トークン, 31b: **3T** トークン) | Preferred Networks | PLaMo community license |
| [Way-PLaMo-3-8b-chat](https://huggingface.co/WayBob/Way-sft-plamo-3-8b-chat) | **2025** | PLaMo 3ベース ([**8b**-chat](https://huggingface.co/WayBob/Way-sft-plamo-3-8b-chat)) | 4,096 | Instruction Following SFT: [Alpaca](https://huggingface.co/datasets/yahma/alpaca-cleaned) (51.7K), [Dolly-15k-ja](https://huggingface.co/datasets/kunishou/databricks-dolly-15k-ja) (15K) | 個人 (WayBob) | PLaMo community license |
"""
