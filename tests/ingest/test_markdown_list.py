"""The list's markdown → records, on snippets copied from the seeds (hard cases H2–H16)."""

# The fixtures are real table rows copied from the seeds; a row is one long line there, and
# splitting it further would hide what is being tested.
# ruff: noqa: E501

from __future__ import annotations

from pathlib import Path

import pytest

from jllm_kg.ingest.markdown_list import (
    hf_model_id,
    parse_cell,
    parse_inline,
    parse_list,
    split_row,
)
from jllm_kg.ingest.records import Category, ListDocument, ModelRow, SourceDocument

SOURCE = SourceDocument(
    path="snippet.md", sha256="0" * 64, kind="list", language="ja", title="t", slug="snippet",
    line_count=0,
)  # fmt: skip


def parse(text: str, folder: Path | None = None) -> ListDocument:
    return parse_list(text, SOURCE, folder=folder)


def only_model(text: str) -> ModelRow:
    document = parse(text)
    assert len(document.models) == 1
    return document.models[0]


SCRATCH_HEADER = """<a id="generative-scratch-general"></a>
#### 汎用

|    |  アーキテクチャ  |  入出力で扱える<br>トークン数  |  学習テキスト  |  開発元  | ライセンス |
|:---|:---:|:---:|:---:|:---:|:---:|
"""

# ---------------------------------------------------------------- cells, <br>, footnotes


def test_br_variants_split_cell_lines() -> None:
    # H2: "<br>", " <br> ", "<br> (" (003 L105, L231, L93).
    cell = parse_cell("開発元", "Megagon Labs <br> (リクルート)")
    assert [line.text for line in cell.lines] == ["Megagon Labs", "(リクルート)"]
    cell = parse_cell(
        "x", "日本語 Wikipedia <br> + Japanese CC-100 <br> (1b 以降のモデルでは<br>さらに"
    )
    assert [line.text for line in cell.lines] == [
        "日本語 Wikipedia", "+ Japanese CC-100", "(1b 以降のモデルでは", "さらに",
    ]  # fmt: skip


def test_br_inside_a_link_label_does_not_split() -> None:
    # 003 L91: the family label spans a <br> inside the link label.
    row = only_model(
        SCRATCH_HEADER
        + "| [rinna GPT <br> (英語やコードも含めて学習されたモデル)](https://rinna.co.jp/news/2023/07/20230731.html)"
        " | GPT-NeoX<br>([**4b(3.8b)**](https://huggingface.co/rinna/bilingual-gpt-neox-4b),"
        " [**4b(3.8b)**-8k](https://huggingface.co/rinna/bilingual-gpt-neox-4b-8k))"
        " | 8kモデル: 8,192<br>他: 2,048 | Wikipedia | rinna | MIT |\n"
    )
    assert row.label == "rinna GPT (英語やコードも含めて学習されたモデル)"
    assert row.url == "https://rinna.co.jp/news/2023/07/20230731.html"
    assert [(c.hf_id, c.label, c.size) for c in row.checkpoints] == [
        ("rinna/bilingual-gpt-neox-4b", "4b(3.8b)", "4b(3.8b)"),
        ("rinna/bilingual-gpt-neox-4b-8k", "4b(3.8b)-8k", "4b(3.8b)"),
    ]
    assert [line.text for line in row.row.cells["context"].lines] == [
        "8kモデル: 8,192",
        "他: 2,048",
    ]


@pytest.mark.parametrize(
    ("markdown", "text", "footnotes"),
    [
        ("Llama[^1]", "Llama", ("1",)),  # 003 L84
        ("Apache 2.0 (?)[^12]", "Apache 2.0 (?)", ("12",)),  # 003 L138
        (
            "Instruction Tuning: undisclosed datasetト[^11]",
            "Instruction Tuning: undisclosed datasetト",
            ("11",),
        ),  # 000 L126
        ("RoBERTa (base) [^8]", "RoBERTa (base)", ("8",)),  # 003 L247
        ("Llama 2 Community License[^13]", "Llama 2 Community License", ("13",)),  # 003 L126
    ],
)
def test_footnote_references_glued_to_values(
    markdown: str, text: str, footnotes: tuple[str, ...]
) -> None:
    line = parse_inline(markdown)
    assert (line.text, line.footnotes) == (text, footnotes)
    assert line.markdown == markdown


def test_bold_spans_and_escapes() -> None:
    # 003 L93 / L76: escaped "\*" stays a literal star, bold spans are collected.
    line = parse_inline(r"\*instruction-sft モデルでは HH RLHF (計 **910B** トークン)")
    assert line.text == "*instruction-sft モデルでは HH RLHF (計 910B トークン)"
    assert line.bold == ("910B",)


def test_tab_inside_a_cell_is_whitespace() -> None:
    # H15, 003 L131: "Japanese CC,<TAB>Redpajama".
    line = parse_inline("事前学習: Japanese CC,\tRedpajama, 独自")
    assert line.text == "事前学習: Japanese CC, Redpajama, 独自"


# ---------------------------------------------------------------- rows and tables (H15)


def test_split_row_tolerates_missing_outer_pipes_and_empty_cells() -> None:
    assert split_row(" [a](u) | **b** | EQUES | Llama 3 Community License |") == [
        "[a](u)", "**b**", "EQUES", "Llama 3 Community License",
    ]  # fmt: skip
    assert split_row("| x | CLIP | data | dev | Apache 2.0") == [
        "x",
        "CLIP",
        "data",
        "dev",
        "Apache 2.0",
    ]
    assert split_row("| [c](u) || Colorful Scoop | MIT |") == [
        "[c](u)",
        "",
        "Colorful Scoop",
        "MIT",
    ]
    assert split_row(r"| a \| b | `x|y` |") == [r"a \| b", "`x|y`"]


def test_row_without_leading_pipe_is_read() -> None:
    # 000 L265 (merged models): no leading "|"; a bare HF repo link is the checkpoint.
    row = only_model(
        '<a id="merged-models"></a>\n### Modèles fusionnés\n\n'
        "|    |  Modèles originaux (LLMs japonais en gras)  | Développeur  | Licence |\n"
        "|:---|:---:|:---:|:---:|\n"
        " [EQUES/MedLLama3-JP-v2](https://huggingface.co/EQUES/MedLLama3-JP-v2) | "
        "**Llama 3 Swallow 8B (Instruct)**, OpenBioLLM-8B, MMed-Llama 3 8B, **Llama 3 ELYZA JP 8B**"
        " | EQUES | Llama 3 Community License |\n"
    )
    assert row.label == "EQUES/MedLLama3-JP-v2"
    assert row.url is None
    assert [c.hf_id for c in row.checkpoints] == ["EQUES/MedLLama3-JP-v2"]
    assert row.category == Category(modality="text-generation", approach="merge", scope="general")
    parents = row.row.cells["merge_parents"].lines[0]
    assert parents.bold == ("Llama 3 Swallow 8B (Instruct)", "Llama 3 ELYZA JP 8B")


def test_row_without_trailing_pipe_is_read() -> None:
    # 000 L466.
    row = only_model(
        '<a id="multimodal-others"></a>\n### Autres\n\n'
        "|    |  Architecture  |  Données d'entraînement  |  Développeur  | Licence |\n"
        "|:---|:---:|:---:|:---:|:---:|\n"
        "| [llm-jp-clip](https://huggingface.co/llm-jp/llm-jp-clip-vit-base-patch16)<br>"
        "([llm-jp-clip-vit-base-patch16](https://huggingface.co/llm-jp/llm-jp-clip-vit-base-patch16),"
        " [llm-jp-clip-vit-large-patch14](https://huggingface.co/llm-jp/llm-jp-clip-vit-large-patch14))"
        " | CLIP | Traduction d'environ 1,5 milliard de sous-titres | Research and Development"
        " Center for Large Language Models | Apache 2.0\n"
    )
    assert row.row.cells["license"].text == "Apache 2.0"
    assert [c.hf_id for c in row.checkpoints] == [
        "llm-jp/llm-jp-clip-vit-base-patch16",
        "llm-jp/llm-jp-clip-vit-large-patch14",
    ]
    assert row.category.modality == "vision-other"


def test_blank_separator_row_is_skipped() -> None:
    # 003 L286 "||||" inside the embeddings table.
    document = parse(
        '<a id="embeddings"></a>\n## 埋め込み (Embeddings) 作成に特化したモデル\n\n'
        "|    | アーキテクチャ |  開発元  |  ライセンス | \n|:---|:---:|:---:|:---:|\n"
        "| [GLuCoSE](https://x.example)<br>([base-ja](https://huggingface.co/pkshatech/GLuCoSE-base-ja)) | LUKE | PKSHA Technology | Apache 2.0 |\n"
        "||||\n"
        "| [colorfulscoop/sbert-base-ja](https://huggingface.co/colorfulscoop/sbert-base-ja) | Sentence-BERT | Colorful Scoop | CC BY-SA 4.0 |\n"
    )
    assert [m.label for m in document.models] == ["GLuCoSE", "colorfulscoop/sbert-base-ja"]
    assert [m.row.line for m in document.models] == [6, 8]


def test_commented_out_row_ends_the_table() -> None:
    # 000 L529-531: the last benchmark row is commented out.
    document = parse(
        '<a id="basic-benchmark-suites"></a>\n### NLU\n\n'
        "|   | Description | Développeur |\n|:---|:---|:---|\n"
        "| [JGLUE](https://github.com/yahoojapan/JGLUE) | Version japonais de [GLUE](https://gluebenchmark.com/) | Université de Waseda Kawahara Lab et Yahoo |\n"
        '| <a id="jmmlu"></a> [JMMLU](https://github.com/nlp-waseda/JMMLU) | Un benchmark | Université de Waseda Kawahara Lab |\n'
        "<!-- | [Japanese Open LLM Leaderboard](http://wandb.me/llm-jp-openllmleaderboard) | Semblable | LLM-jp | -->\n"
    )
    assert [(b.label, b.url, b.category) for b in document.benchmarks] == [
        ("JGLUE", "https://github.com/yahoojapan/JGLUE", "basic-benchmark-suites"),
        (
            "JMMLU",
            "https://github.com/nlp-waseda/JMMLU",
            "basic-benchmark-suites",
        ),  # <a id> ignored
    ]
    description = document.benchmarks[0].row.cells["description"]
    assert description.text == "Version japonais de GLUE"
    assert description.links[0].url == "https://gluebenchmark.com/"


def test_bold_pseudo_headings_set_subheading_and_scope() -> None:
    # 000 L391-417: VLM scratch sub-section split by **D'usage général** / **Spécifique …**.
    text = (
        '<a id="multimodal-text-generation"></a>\n### Text+Image vers Text\n\n'
        "#### Modèles développés à partir de zéro\n\n**D'usage général**\n\n"
        "|    | Année |  Architecture |  Données d'entraînement  |  Développeur  | License / Terms of Use |\n"
        "|:---|:---:|:---:|:---:|:---:|:---:|\n"
        "| [Stockmark-2-VL-100B-beta](https://stockmark-tech.hatenablog.com/entry/2025/06/03/101007)<br>"
        "([**100B**-beta](https://huggingface.co/stockmark/Stockmark-2-VL-100B-beta)) | **2025** | "
        "LLaVA-OneVision | x | Stockmark | Qwen License |\n\n"
        "**Spécifique à un domaine**\n\n"
        "|    | Architecture | Domaine |  Développeur  |  Licence  |\n|:---|:---:|:---:|:---:|:---:|\n"
        "| [watashiha/Watashiha-Llama-2-13B-Ogiri-sft-vlm](https://huggingface.co/watashiha/Watashiha-Llama-2-13B-Ogiri-sft-vlm)"
        " | LLaVA | [Oogiri](https://en.wikipedia.org/wiki/Glossary_of_owarai_terms#oogiri) | Watashiha | Llama 2 Community License |\n\n"
        "#### Modèles fusionnés\n\n"
        "|    |  Modèles originaux (LLMs japonais en gras)  | Développeur  | Licence |\n|:---|:---:|:---:|:---:|\n"
        "| [Llama-3-EvoVLM-JP-v2](https://sakana.ai/evovlm-jp/) | **Llama-3-ELYZA-JP-8B** | Sakana AI | Llama 3 |\n"
    )
    rows = parse(text).models
    assert [(m.row.section, m.row.subheading, m.category) for m in rows] == [
        ("multimodal-text-generation-scratch-general", "D'usage général",
         Category("vision-language", "scratch", "general")),
        ("multimodal-text-generation-scratch-domain-specific", "Spécifique à un domaine",
         Category("vision-language", "scratch", "domain")),
        ("multimodal-text-generation-merged", None, Category("vision-language", "merge", "general")),
    ]  # fmt: skip
    assert rows[0].row.cells["year"].lines[0].bold == ("2025",)
    assert rows[0].row.headings == ("Text+Image vers Text", "Modèles développés à partir de zéro")
    assert rows[1].row.cells["domain"].text == "Oogiri"
    # The bare repo link is the checkpoint; the Wikipedia link in the domain cell is not.
    assert [c.url for c in rows[1].checkpoints] == [
        "https://huggingface.co/watashiha/Watashiha-Llama-2-13B-Ogiri-sft-vlm"
    ]
    assert rows[1].label == "watashiha/Watashiha-Llama-2-13B-Ogiri-sft-vlm"


def test_text_to_video_after_a_deeper_anchor_gets_its_own_section() -> None:
    # 000 L447-457: "### Text vers Vidéo" (no anchor) follows the anchored "####" sub-section.
    text = (
        '<a id="multimodal"></a>\n## Modèles Vision-Language\n\n'
        '<a id="multimodal-text-to-image"></a>\n### Text vers Image\n\n'
        '<a id="multimodal-text-to-image-domain-specific"></a>\n#### Spécifique à un domaine\n\n'
        "### Text vers Vidéo\n\n"
        "|    |  Architecture  |  Training Data  |  Développeur  | License |\n|:---|:---:|:---:|:---:|:---:|\n"
        "| [AIdeaLab VideoJP](https://aidealab.com/news/QSvdcQfA)<br>([AIdeaLab-VideoJP](https://huggingface.co/aidealab/AIdeaLab-VideoJP)) | CogVideoX | Pixabay | AIdeaLab | Apache 2.0 |\n"
    )
    row = only_model(text)
    assert row.row.section == "multimodal-text-to-video"
    assert row.category == Category("text-to-video", "unknown", "general")


def test_embeddings_subsections_without_anchors_get_stable_keys() -> None:
    # 000 L344-381.
    table = (
        "|    |  Développeur  |  Licence |\n|:---|:---:|:---:|\n"
        "| [JaColBERT](https://arxiv.org/pdf/2312.16144.pdf)<br>([JaColBERT](https://huggingface.co/bclavie/JaColBERT)) | Individuel | MIT |\n"
    )
    text = (
        '<a id="embeddings"></a>\n## Plongement lexical par mots et par documents [^21]\n\n'
        "### Bi-Encoders\n\n#### Single-representation bi-encoders\n\n"
        + table
        + "\n#### Multi-representation bi-encoders\n\n"
        + table
        + "\n### Cross-Encoders\n\n"
        + table
    )
    rows = parse(text).models
    assert [m.row.section for m in rows] == [
        "embeddings-bi-encoders-single-representation",
        "embeddings-bi-encoders-multi-representation",
        "embeddings-cross-encoders",
    ]
    assert {m.category for m in rows} == {Category("text-embedding", "unknown", "general")}
    assert rows[0].row.headings[0] == "Plongement lexical par mots et par documents"


# ---------------------------------------------------------------- links and checkpoints (H4, H5)


def test_checkpoint_list_in_architecture_cell_with_bold_sizes() -> None:
    # 003 L89 (OpenCALM) and L85 (Stockmark-13b): sizes are the bold part of the label.
    row = only_model(
        SCRATCH_HEADER
        + "| [OpenCALM](https://www.cyberagent.co.jp/news/detail/id=28817) | GPT-NeoX<br>("
        "[small](https://huggingface.co/cyberagent/open-calm-small), "
        "[**7b(6.8b)**](https://huggingface.co/cyberagent/open-calm-7b), "
        "[**13b**-instruct](https://huggingface.co/stockmark/stockmark-13b-instruct), "
        "[base-alpha-**7b**](https://huggingface.co/stabilityai/japanese-stablelm-base-alpha-7b), "
        "[8x70b (**465b**)](https://huggingface.co/sbintuitions/sarashina2-8x70b), "
        "[mini(**1.5b**)-instruct](https://huggingface.co/Rakuten/RakutenAI-2.0-mini-instruct))"
        " | 2,048 | 日本語 Wikipedia | サイバーエージェント | CC BY-SA 4.0 |\n"
    )
    assert [(c.label, c.size, c.column) for c in row.checkpoints] == [
        ("small", None, "architecture"),
        ("7b(6.8b)", "7b(6.8b)", "architecture"),
        ("13b-instruct", "13b", "architecture"),
        ("base-alpha-7b", "7b", "architecture"),
        ("8x70b (465b)", "8x70b (465b)", "architecture"),
        ("mini(1.5b)-instruct", "mini(1.5b)", "architecture"),
    ]
    assert row.row.cells["architecture"].lines[0].text == "GPT-NeoX"


def test_name_cell_second_line_checkpoints_and_base_cell() -> None:
    # 003 L124 (Swallow 70B) with its base "Llama 2 (**70b**)".
    row = only_model(
        '<a id="generative-continual-general"></a>\n#### 汎用\n\n'
        "|    | ベースのLLM  | 学習テキスト | 開発元  | ライセンス |\n|:---|:---:|:---:|:---:|:---:|\n"
        "| [Swallow 70B](https://swallow-llm.github.io/swallow-llama.ja.html)<br>("
        "[70b-hf](https://huggingface.co/tokyotech-llm/Swallow-70b-hf), "
        "[70b-instruct-hf](https://huggingface.co/tokyotech-llm/Swallow-70b-instruct-hf))"
        " | Llama 2 (**70b**) | 事前学習: 日本語 Wikipedia<br>*v0.1モデルでは OASST1, OASST2 を使用"
        " | Swallow Project | Llama 2 Community License |\n"
    )
    assert row.label == "Swallow 70B"
    assert row.url == "https://swallow-llm.github.io/swallow-llama.ja.html"
    assert [(c.hf_id, c.column) for c in row.checkpoints] == [
        ("tokyotech-llm/Swallow-70b-hf", "name"),
        ("tokyotech-llm/Swallow-70b-instruct-hf", "name"),
    ]
    assert row.category == Category("text-generation", "continual", "general")
    assert row.row.cells["base"].lines[0].bold == ("70b",)


def test_bare_repo_links_in_name_cell_are_the_checkpoints() -> None:
    # 002 L77: four ELYZA repos joined by <br>, no family title.
    row = only_model(
        '<a id="english-based-models"></a>\n### Models built off English LLMs\n\n'
        "|    | Base Model  |  Developer  |\n|:---|:---:|:---:|\n"
        "| [elyza/ELYZA-japanese-Llama-2-7b](https://huggingface.co/elyza/ELYZA-japanese-Llama-2-7b)<br>"
        "[elyza/ELYZA-japanese-Llama-2-7b-instruct](https://huggingface.co/elyza/ELYZA-japanese-Llama-2-7b-instruct)"
        " | Llama 2 (7b) | ELYZA |\n"
    )
    assert row.label == "elyza/ELYZA-japanese-Llama-2-7b"
    assert row.url is None
    assert [c.hf_id for c in row.checkpoints] == [
        "elyza/ELYZA-japanese-Llama-2-7b",
        "elyza/ELYZA-japanese-Llama-2-7b-instruct",
    ]


def test_title_link_to_collection_or_repo_is_not_a_checkpoint() -> None:
    # 000 L196: title → HF collection; 000 L163: title → the wrong repo (…-70b).
    text = (
        '<a id="generative-continual-general"></a>\n#### 汎用\n\n'
        "|    | ベースのLLM  | 開発元  | ライセンス |\n|:---|:---:|:---:|:---:|\n"
        "| [JPharmatron](https://huggingface.co/collections/EQUES/pharmatron-680a330b4dfce3ac43009984)<br>"
        "([7B-base](https://huggingface.co/EQUES/JPharmatron-7B-base)) | Qwen2.5 (**7b**) | EQUES | CC BY-SA 4.0 |\n"
        "| [Japanese Stable LM Beta 7B](https://huggingface.co/stabilityai/japanese-stablelm-base-beta-70b)<br>"
        "([base-beta-7b](https://huggingface.co/stabilityai/japanese-stablelm-base-beta-7b)) | Llama 2 (**7b**) | Stability AI | Llama 2 |\n"
    )
    first, second = parse(text).models
    assert (
        first.url == "https://huggingface.co/collections/EQUES/pharmatron-680a330b4dfce3ac43009984"
    )
    assert [c.hf_id for c in first.checkpoints] == ["EQUES/JPharmatron-7B-base"]
    assert [c.hf_id for c in second.checkpoints] == ["stabilityai/japanese-stablelm-base-beta-7b"]


def test_title_repo_link_is_the_checkpoint_when_the_row_lists_none() -> None:
    # 000 L182: the only link of the row is the title, and it is the released model.
    row = only_model(
        '<a id="generative-continual-general"></a>\n#### 汎用\n\n'
        "|    | Année de publication | Base du Model  |  Données d'entraînement  |  Développeur  | Licence |\n"
        "|:---|:---:|:---:|:---:|:---:|:---:|\n"
        "| [karasu-1.1B](https://huggingface.co/lightblue/karasu-1.1B) | 2023 | TinyLlama (**1.1b**) |"
        " Pre-training: Japanese OSCAR, Japanese mC4<br>(**3B** tokens) | Lightblue | Apache 2.0 |\n"
    )
    assert row.label == "karasu-1.1B"
    assert row.url == "https://huggingface.co/lightblue/karasu-1.1B"
    assert [(c.hf_id, c.column) for c in row.checkpoints] == [("lightblue/karasu-1.1B", "name")]
    assert row.row.cells["year"].text == "2023"


def test_non_hf_variant_links_are_checkpoints_without_id() -> None:
    # 000 L275 / L278: API models list variants on vendor sites.
    text = (
        '<a id="api-based-models"></a>\n### Modèles basés sur des API\n\n'
        "|    |  Longueur Maximale du Contexte | Développeur  | Plateforme |\n|:---|:---:|:---:|:---:|\n"
        "| [tsuzumi](https://www.nttdata.com/global/ja/news/topics/2024/112000/)<br>"
        "([tsuzumi-7b](https://ai.azure.com/catalog/models/tsuzumi-7b)) | | NTT | Azure AI Foundry |\n"
        "| [LHTM-OPT](https://aws.amazon.com/marketplace/pp/prodview-nw62wpreit442) | | alt Inc. | AWS Marketplace |\n"
    )
    tsuzumi, lhtm = parse(text).models
    assert [(c.url, c.hf_id) for c in tsuzumi.checkpoints] == [
        ("https://ai.azure.com/catalog/models/tsuzumi-7b", None)
    ]
    assert lhtm.checkpoints == ()
    assert tsuzumi.row.cells["context"].is_empty
    assert tsuzumi.row.cells["platform"].text == "Azure AI Foundry"
    assert tsuzumi.category.approach == "api"


def test_links_in_data_and_license_cells_are_not_checkpoints() -> None:
    # 000 L52 (dataset on HF) and 003 L87 (licence page in an HF repo).
    row = only_model(
        SCRATCH_HEADER
        + "| [Japanese StableLM Alpha](https://ja.stability.ai/blog/japanese-stablelm-alpha) | GPT-NeoX<br>"
        "([base-alpha-**7b**](https://huggingface.co/stabilityai/japanese-stablelm-base-alpha-7b)) | 2,048 |"
        " Instruction Tuning: [aya-ja-evol-inst](https://huggingface.co/datasets/llm-jp/aya-ja-evol-inst) |"
        " Stability AI | instruct モデル (v1): [独自のライセンス](https://huggingface.co/stabilityai/japanese-stablelm-instruct-alpha-7b/tree/main) |\n"
    )
    assert [c.hf_id for c in row.checkpoints] == ["stabilityai/japanese-stablelm-base-alpha-7b"]
    assert row.row.cells["training_data"].links[0].url == (
        "https://huggingface.co/datasets/llm-jp/aya-ja-evol-inst"
    )
    assert row.row.cells["license"].links[0].text == "独自のライセンス"


def test_huggingface_column_links_and_cl_tohoku_ids_kept_verbatim() -> None:
    # 002 L94 (encoders: links in the HuggingFace? column after ◯) — H16 ids kept as written.
    row = only_model(
        '<a id="autoencoding-general"></a>\n### General purpose\n\n'
        "|    |  Architecture  |  Training Data  |  Developer  | License | HuggingFace? |\n"
        "|:---|:---:|:---:|:---:|:---:|:---:|\n"
        "|  [TohokuUniversityBERT](https://github.com/cl-tohoku/bert-japanese)  |  BERT (base, large)  |"
        "  base (v1):<br>Japanese Wikipedia  |  東北大<br>自然言語処理研究グループ | CC BY&#x2011;SA 3.0 |◯<br>"
        "([base (v1)](https://huggingface.co/cl-tohoku/bert-base-japanese-whole-word-masking), "
        "[large](https://huggingface.co/cl-tohoku/bert-large-japanese/tree/main))|\n"
    )
    assert [(c.hf_id, c.label, c.column) for c in row.checkpoints] == [
        ("cl-tohoku/bert-base-japanese-whole-word-masking", "base (v1)", "huggingface"),
        ("cl-tohoku/bert-large-japanese", "large", "huggingface"),
    ]
    assert row.row.cells["huggingface"].lines[0].text == "◯"
    assert row.row.cells["developer"].text == "東北大\n自然言語処理研究グループ"
    assert row.row.cells["license"].text == "CC BY\u2011SA 3.0"  # labels keep U+2011


def test_entity_hyphens_inside_urls_give_two_distinct_ids() -> None:
    # H13, 002 L40 and L46: "&#x2011;" inside the URL must not cut or merge the ids.
    row = only_model(
        '<a id="generative-general"></a>\n### General purpose\n&#x2011;\n'
        "|    |  Architecture  |  Training Data  |  Developer  | License | HuggingFace? [^1] |\n"
        "|:---|:---:|:---:|:---:|:---:|:---:|\n"
        "| [Weblab-10B](https://www.t.u-tokyo.ac.jp/press/pr2023-08-18-001) | GPT-NeoX <br> "
        "(**10b**, **10b**&#x2011;instruction&#x2011;sft) | Japanese mC4 | University of Tokyo Matsuo Lab"
        " | CC BY&#x2011;NC 4.0 |  ◯ <br>([10b&#x2011;instruction&#x2011;sft](https://huggingface.co/"
        "matsuo-lab/weblab-10b-instruction&#x2011;sft), [10b&#x2011;instruction&#x2011;sft-v2]("
        "https://huggingface.co/matsuo-lab/weblab-10b-instruction&#x2011;sft-v2)) |\n"
    )
    assert [c.hf_id for c in row.checkpoints] == [
        "matsuo-lab/weblab-10b-instruction-sft",
        "matsuo-lab/weblab-10b-instruction-sft-v2",
    ]
    assert row.checkpoints[0].url == "https://huggingface.co/matsuo-lab/weblab-10b-instruction-sft"
    assert row.checkpoints[0].label == "10b\u2011instruction\u2011sft"
    assert row.row.cells["architecture"].lines[1].bold == ("10b", "10b")
    assert row.category == Category("text-generation", "scratch", "general")


@pytest.mark.parametrize(
    ("url", "expected"),
    [
        (
            "https://huggingface.co/tohoku-nlp/bert-base-japanese-v3",
            "tohoku-nlp/bert-base-japanese-v3",
        ),
        ("https://huggingface.co/Fugaku-LLM/Fugaku-LLM-13B/", "Fugaku-LLM/Fugaku-LLM-13B"),
        ("https://huggingface.co/a/b/blob/main/LICENSE?x=1#f", "a/b"),
        ("http://www.huggingface.co/a/b", "a/b"),
        ("https://huggingface.co/datasets/llm-jp/aya-ja-evol-inst", None),
        ("https://huggingface.co/spaces/CompVis/stable-diffusion-license", None),
        ("https://huggingface.co/collections/EQUES/pharmatron-680a330b4dfce3ac43009984", None),
        ("https://huggingface.co/papers/2404.01657", None),
        ("https://huggingface.co/rinna", None),
        ("https://github.com/cl-tohoku/bert-japanese", None),
    ],
)
def test_hf_model_id(url: str, expected: str | None) -> None:
    assert hf_model_id(url) == expected


# ---------------------------------------------------------------- references, bullets, footnotes


def test_reference_tables_with_headers_and_dash_venue() -> None:
    # 003 L442 / L500 / L510.
    document = parse(
        '<a id="reference"></a>\n## 各モデル・アーキテクチャの原論文\n\n'
        "| モデル/アーキテクチャ | 初出時期 | 会議/ジャーナル | 論文 |\n|:---|:---|:---|:--|\n"
        "| GPT | 2018.06.11 | - | [Improving Language Understanding by Generative Pre-Training](https://cdn.openai.com/x.pdf) |\n"
        "| rinna GPT, rinna RoBERTa, Nekomata, Youri, etc. | 2024.04.02 | LREC-COLING 2024 |"
        " [Release of Pre-Trained Models for the Japanese Language](https://arxiv.org/abs/2404.01657) |\n\n"
        '<a id="reference-training"></a>\n## LLMの学習手法の原論文\n\n'
        "| 手法 | 初出時期 | 会議/ジャーナル | 論文 |\n|:---|:---|:---|:--|\n"
        "| Instruction Tuning<br>(Supervised Fine-tuning; SFT) | 2021.09.03 | ICLR 2022 |"
        " [Finetuned Language Models Are Zero-Shot Learners](https://arxiv.org/abs/2109.01652) |\n"
    )
    gpt, rinna, sft = document.references
    assert (gpt.subjects, gpt.date, gpt.venue, gpt.section) == (
        ("GPT",),
        "2018.06.11",
        None,
        "reference",
    )
    assert rinna.subjects == ("rinna GPT", "rinna RoBERTa", "Nekomata", "Youri")
    assert (rinna.title, rinna.url) == (
        "Release of Pre-Trained Models for the Japanese Language",
        "https://arxiv.org/abs/2404.01657",
    )
    assert sft.subjects == ("Instruction Tuning (Supervised Fine-tuning; SFT)",)
    assert sft.section == "reference-training"
    assert document.models == ()


def test_english_architecture_header_in_reference_table_is_the_subject() -> None:
    # 002 L194: "Architecture | Date | Meeting/Journal | Paper".
    document = parse(
        '<a id="reference"></a>\n## Architecture References\n\n'
        "| Architecture | Date | Meeting/Journal | Paper |\n|:---|:---|:---|:--|\n"
        "| Transformer | 2017.06.12 | NIPS(NeurIPS) 2017 | [Attention Is All You Need](https://arxiv.org/abs/1706.03762) |\n"
    )
    (reference,) = document.references
    assert set(reference.row.cells) == {"paper_subject", "paper_date", "paper_venue", "paper_title"}
    assert reference.subjects == ("Transformer",)


def test_include_resolves_parts_file_with_empty_header(tmp_path: Path) -> None:
    # HEAD: fr/README.md includes @/parts/references_training.md whose header row is "|||||".
    (tmp_path / "parts").mkdir()
    (tmp_path / "fr").mkdir()
    (tmp_path / "parts" / "references_training.md").write_text(
        "|||||\n|:---|:---|:---|:--|\n"
        "| DPO | 2023.05.29 | NeurIPS 2023 | [Direct Preference Optimization](https://arxiv.org/abs/2305.18290) |\n",
        encoding="utf-8",
    )
    text = (
        '<a id="reference-training"></a>\n## Références pour les méthodes d\'entraînement\n\n'
        "<!--@include: @/parts/references_training.md-->\n\n"
        '<a id="reference"></a>\n## Références\n\n<!--@include: @/parts/references_model.md-->\n'
    )
    (reference,) = parse(text, folder=tmp_path / "fr").references
    assert (reference.subjects, reference.venue, reference.url) == (
        ("DPO",), "NeurIPS 2023", "https://arxiv.org/abs/2305.18290",
    )  # fmt: skip
    assert (reference.row.line, reference.row.origin) == (3, "parts/references_training.md")
    # Without the folder (seed 000 has no parts files) the includes are skipped silently.
    assert parse(text).references == ()


def test_benchmark_bullets_of_the_oldest_english_list() -> None:
    # 002 L172-187.
    document = parse(
        '<a id="benchmark-suites"></a>\n## （参考）JapaneseLLMベンチマークまとめ\n\n'
        "#### 基礎的な自然言語理解 (NLU) を中心に測定するベンチマーク\n\n"
        "- [JGLUE](https://github.com/yahoojapan/JGLUE) (早大河原研 & ヤフー)\n"
        "  - [GLUE ベンチマーク](https://gluebenchmark.com/)のJapanese版として構築されたベンチマーク。\n"
        "- [Rakuda Benchmark](https://yuzuai.jp/benchmark)\n"
        "  - 日本の地理, 歴史, 政治, 社会に関する質問\n"
    )
    jglue, rakuda = document.benchmark_bullets
    assert (jglue.line, jglue.label, jglue.url, jglue.developer) == (
        6, "JGLUE", "https://github.com/yahoojapan/JGLUE", "早大河原研 & ヤフー",
    )  # fmt: skip
    assert jglue.description == "GLUE ベンチマークのJapanese版として構築されたベンチマーク。"
    assert (rakuda.developer, rakuda.description) == (
        None,
        "日本の地理, 歴史, 政治, 社会に関する質問",
    )


def test_footnote_definitions() -> None:
    document = parse(
        "# t\n\n[^12]: OpenAI の利用規約に違反する可能性がある。詳しくは[こちら](https://openai.com/policies)\n"
        "\n[^13]: 商用利用には問い合わせが必要\n"
    )
    assert document.footnotes["12"].line == 3
    assert (
        document.footnotes["12"].text == "OpenAI の利用規約に違反する可能性がある。詳しくはこちら"
    )
    assert "(https://openai.com/policies)" in document.footnotes["12"].markdown
    assert document.footnotes["13"].text == "商用利用には問い合わせが必要"


def test_table_in_unknown_section_is_a_reported_problem_and_the_rest_is_read() -> None:
    document = parse(
        '<a id="brand-new-section"></a>\n## New\n|  | Architecture |\n|:--|:--|\n| a | b |\n'
        + SCRATCH_HEADER
        + "| [A](https://example.org/a) | GPT | 2k | Wikipedia | Dev | MIT |\n"
    )
    [problem] = document.problems
    assert (problem.file, problem.line, problem.text) == ("snippet.md", 3, "|  | Architecture |")
    assert "'brand-new-section'" in problem.reason and "list_sections" in problem.reason
    assert [row.label for row in document.models] == ["A"]


def test_a_row_that_fails_is_reported_with_file_line_and_text(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    from jllm_kg.ingest.markdown_list import tables

    real = tables._model_row

    def failing(row: object, category: object) -> object:
        if "Broken" in row.markdown:  # type: ignore[attr-defined]
            raise ValueError("cannot make a slug from ''")
        return real(row, category)  # type: ignore[arg-type]

    monkeypatch.setattr(tables, "_model_row", failing)
    document = parse(
        SCRATCH_HEADER
        + "| [Broken](https://example.org/b) | GPT | 2k | etc. | Dev | MIT |\n"
        + "| [Fine](https://example.org/f) | GPT | 2k | Wikipedia | Dev | MIT |\n"
    )
    [problem] = document.problems
    assert problem.file == "snippet.md" and problem.text.startswith("| [Broken]")
    assert problem.line == SCRATCH_HEADER.count("\n") + 1
    assert problem.reason == "ValueError: cannot make a slug from ''"
    assert [row.label for row in document.models] == ["Fine"]


def test_unknown_header_is_kept_as_other() -> None:
    row = only_model(
        '<a id="speech-asr"></a>\n### 音声認識\n\n'
        "|    |  アーキテクチャ  |  新しい列  |  開発元  | ライセンス |\n|:---|:---:|:---:|:---:|:---:|\n"
        "| [Kotoba-Whisper](https://huggingface.co/kotoba-tech/kotoba-whisper-v1.0) | Distil-Whisper | 値 | Kotoba Technologies | MIT |\n"
    )
    assert row.row.cells["other"].text == "値"
    assert row.row.cells["other"].header == "新しい列"


# ---------------------------------------------------------------- document structure


SPEECH_TABLE = (
    "|    |  アーキテクチャ  |  開発元  | ライセンス |\n|:---|:---:|:---:|:---:|\n"
    "| [Kotoba-Whisper](https://huggingface.co/kotoba-tech/kotoba-whisper-v1.0) | Distil-Whisper | Kotoba Technologies | MIT |\n"
)


def test_fenced_code_and_multiline_comments_hide_what_they_contain() -> None:
    # 003 L526-542: the citation section quotes BibTeX in a fence; a table inside a fence or
    # a multi-line comment is no table of the list.
    document = parse(
        '<a id="speech-asr"></a>\n### 音声認識\n\n'
        "```\n" + SPEECH_TABLE + "```\n\n"
        "<!--\n" + SPEECH_TABLE + "-->\n\n" + SPEECH_TABLE
    )
    (model,) = document.models
    assert model.row.line == 18  # the third copy: header L16, delimiter L17, row L18


def test_anchor_directly_above_a_table_names_its_section() -> None:
    document = parse('## 音声\n\n<a id="speech-asr"></a>\n' + SPEECH_TABLE)
    (model,) = document.models
    assert model.row.section == "speech-asr"
    assert model.category.modality == "speech"


def test_table_in_a_section_without_data_tables_is_a_problem() -> None:
    # list_sections.yaml: "citation" never holds a data table.
    document = parse('<a id="citation"></a>\n## 引用\n\n' + SPEECH_TABLE)
    assert [(p.file, p.line, p.reason) for p in document.problems] == [
        ("snippet.md", 4, "a table in section 'citation'")
    ]
    assert document.models == ()


def test_table_outside_known_sections_is_read_by_its_headers() -> None:
    # A reference table (paper column) or benchmark table (description column) before any
    # anchor: its headers say what it is.
    document = parse(
        "# t\n\n| Model/Architecture | Date | Meeting/Journal | Paper |\n|:---|:---|:---|:--|\n"
        "| Transformer | 2017.06.12 | NIPS(NeurIPS) 2017 | [Attention Is All You Need](https://arxiv.org/abs/1706.03762) |\n"
        "\n|   | Description | Developer |\n|:---|:---|:---|\n"
        "| [JGLUE](https://github.com/yahoojapan/JGLUE) | Japanese GLUE | Waseda and Yahoo |\n"
    )
    assert [reference.subjects for reference in document.references] == [("Transformer",)]
    assert [benchmark.label for benchmark in document.benchmarks] == ["JGLUE"]


def test_a_second_column_with_the_same_meaning_is_kept_apart() -> None:
    row = only_model(
        '<a id="speech-asr"></a>\n### 音声認識\n\n'
        "|    |  アーキテクチャ  |  開発元  | Developer |\n|:---|:---:|:---:|:---:|\n"
        "| [Kotoba-Whisper](https://huggingface.co/kotoba-tech/kotoba-whisper-v1.0) | Distil-Whisper | Kotoba Technologies | Kotoba |\n"
    )
    assert row.row.cells["developer"].text == "Kotoba Technologies"
    assert [(cell.header, cell.text) for cell in row.row.extra_cells] == [("Developer", "Kotoba")]


def test_french_reference_table_with_papier_header() -> None:
    # README_fr.md 2023-11 … 2024-06 (19b89dc L260): the title column is "Papier".
    document = parse(
        '<a id="reference"></a>\n## Références par architecture des modèles\n\n'
        "| Architecture | Date | Meeting/Journal | Papier |\n|:---|:---|:---|:--|\n"
        "| Transformer | 2017.06.12 | NIPS(NeurIPS) 2017 | [Attention Is All You Need](https://arxiv.org/abs/1706.03762) |\n"
    )
    [reference] = document.references
    assert (reference.title, reference.url) == (
        "Attention Is All You Need", "https://arxiv.org/abs/1706.03762")
    assert document.problems == ()


def test_reference_row_without_a_title_is_a_problem() -> None:
    document = parse(
        '<a id="reference"></a>\n## R\n\n'
        "| Architecture | Date | Meeting/Journal | Titre inconnu |\n|:---|:---|:---|:--|\n"
        "| Transformer | 2017.06.12 | NIPS(NeurIPS) 2017 | [Attention Is All You Need](https://arxiv.org/abs/1706.03762) |\n"
    )
    assert document.references == ()
    [problem] = document.problems
    assert problem.line == 6 and problem.reason.startswith("a reference row without a paper title")


def test_a_link_without_scheme_and_host_is_no_url() -> None:
    # en/README.md at b656e01 L156: the title link lost its "https://huggingface.co/".
    row = only_model(
        '<a id="generative-instruction-only-general"></a>\n#### General purpose\n\n'
        "|    | Base Model | Training Data | Developer | License |\n|:---|:---:|:---:|:---:|:---:|\n"
        "| [AXCXEPT/EZO-Humanities-9B-gemma-2-it](AXCXEPT/EZO-Humanities-9B-gemma-2-it) |Gemma 2 (**9b**) || Axcxept | Gemma Terms of Use |\n"
    )
    assert row.label == "AXCXEPT/EZO-Humanities-9B-gemma-2-it"
    assert row.url is None and row.checkpoints == ()
