"""Training-data cells → statements, on lines copied from the seeds (000 fr, 002 en, 003 ja)."""

from __future__ import annotations

import re
from decimal import Decimal

import pytest

from jllm_kg.ingest.records import CellLine, Link
from jllm_kg.normalize.datasets import (
    TrainingStatement,
    find_curated_datasets,
    parse_training_data_cell,
    resolve_dataset,
)
from jllm_kg.normalize.quantities import DataSize, TokenCount
from jllm_kg.paths import default_seeds_dir

B = Decimal(10) ** 9


def parse(*lines: str, approach: str = "scratch") -> list[TrainingStatement]:
    return parse_training_data_cell(list(lines), section_approach=approach)


def keys(statement: TrainingStatement) -> list[str]:
    return [d.key for d in statement.datasets]


def test_phases_lists_and_total_tokens_003_l76() -> None:
    pre, sft = parse(
        "事前学習: RedPajama, 日本語 Wikipedia, Japanese mC4, Japanese CommonCrawl, 日本語特許, "
        "Stockmark Web Corpus",
        "(計 910B トークン)",
        "Instruction Tuning (LoRA): ichikara-instruction",
    )
    assert pre.phase == "pretraining"
    assert keys(pre) == ["redpajama", "japanese-wikipedia", "japanese-mc4",
                         "japanese-common-crawl", "japanese-patents", "stockmark-web-corpus"]
    [total] = pre.amounts
    assert isinstance(total, TokenCount) and total.tokens == 910 * B and total.total
    assert (sft.phase, sft.method, keys(sft)) == ("instruction-tuning", "LoRA",
                                                  ["ichikara-instruction"])


def test_links_give_urls_and_hf_ids_000_l52() -> None:
    line = CellLine(
        text="DPO (instruct3 only): aya-ja-evol-inst, ac-self-inst",
        markdown="DPO (instruct3 only): [aya-ja-evol-inst](https://huggingface.co/datasets/llm-jp/"
        "aya-ja-evol-inst), [ac-self-inst](https://huggingface.co/datasets/llm-jp/ac-self-inst)",
        links=(
            Link("aya-ja-evol-inst", "https://huggingface.co/datasets/llm-jp/aya-ja-evol-inst"),
            Link("ac-self-inst", "https://huggingface.co/datasets/llm-jp/ac-self-inst"),
        ),
    )
    [dpo] = parse_training_data_cell([line], section_approach="scratch")
    assert (dpo.phase, dpo.method, dpo.selector) == ("preference-tuning", "DPO", ("instruct3",))
    assert [(d.key, d.hf) for d in dpo.datasets] == [
        ("aya-ja-evol-inst", "llm-jp/aya-ja-evol-inst"), ("ac-self-inst", "llm-jp/ac-self-inst")
    ]
    assert dpo.datasets[0].url == "https://huggingface.co/datasets/llm-jp/aya-ja-evol-inst"


def test_pretraining_in_continual_section_and_french_prefix_000_l141() -> None:
    [cpt] = parse("Pré-entraînement continu : ~4B tokens de llm-jp-corpus v3",
                  "+ Chat Vector (de QwQ-32B)", approach="continual")
    assert cpt.phase == "continual-pretraining"
    assert keys(cpt) == ["llm-jp-corpus-v3"]
    assert [(m.label, m.relation) for m in cpt.models] == [("QwQ-32B", "chat-vector")]
    assert cpt.method == "Chat Vector"
    [pre] = parse("Pre-training: Wikipedia, RefinedWeb", approach="continual")
    assert pre.phase == "continual-pretraining"


def test_several_phases_in_one_prefix() -> None:
    [stmt] = parse("SFT, DPO: various synthetic datasets")
    assert stmt.phase == "unspecified"
    assert stmt.phases == ("instruction-tuning", "preference-tuning")
    assert stmt.datasets == ()
    assert [d.kind for d in stmt.other_data] == ["description"]


def test_per_dataset_counts_stay_on_the_dataset_003_l99() -> None:
    [stmt] = parse("日本語 Wikipedia (0.88B トークン)", "+ Japanese CC-100 (10.5B トークン)",
                   "+ 独自のWebデータ (8.6B トークン)")
    assert [(d.key, d.tokens.tokens if d.tokens else None) for d in stmt.datasets] == [
        ("japanese-wikipedia", Decimal("0.88") * B), ("japanese-cc-100", Decimal("10.5") * B)
    ]
    assert [d.kind for d in stmt.other_data] == ["proprietary"]
    assert stmt.amounts == ()  # no model total given


def test_the_count_of_a_part_of_one_dataset_is_the_datasets_000_l289() -> None:
    # "Japanese subset of llm-jp-corpus-v4 (0.69T tokens)": the count was lost with the
    # description; it is the statement's, whose only data it is
    [stmt] = parse("Japanese subset of llm-jp-corpus-v4 (0.69T tokens)", approach="unknown")
    assert [(d.key, d.tokens.tokens if d.tokens else None) for d in stmt.datasets] == [
        ("llm-jp-corpus-v4", Decimal("690") * B)]
    assert [a.tokens for a in stmt.amounts if isinstance(a, TokenCount)] == [Decimal("690") * B]
    # two datasets named in a description keep no count of their own
    [stmt] = parse("data generated from MS-COCO and VisualGenome (1M tokens)", approach="unknown")
    assert all(d.tokens is None for d in stmt.datasets)


def test_bytes_are_sizes_not_tokens_003_l92() -> None:
    pre, sft = parse(
        "日本語 Wikipedia, Japanese CC-100, Japanese C4, Japanese OSCAR や独自データなど",
        "(計 650GB)",
        "*instruction-sft モデルでは OASST1 でファインチューニング",
    )
    assert keys(pre)[-1] == "japanese-oscar"
    assert [d.kind for d in pre.other_data] == ["proprietary"]
    [size] = pre.amounts
    assert isinstance(size, DataSize) and size.bytes == 650 * B
    assert (sft.phase, sft.selector, keys(sft)) == ("instruction-tuning", ("instruction-sft",),
                                                    ["oasst1"])


def test_prose_selectors_003_l93() -> None:
    statements = parse(
        "日本語 Wikipedia",
        " + Japanese CC-100",
        " (1b 以降のモデルでは",
        "さらに Japanese mC4 を追加)",
        "*instruction-sft, sft-v2 モデルでは HH RLHF、FLAN、SHP "
        "データセットでさらにファインチューニング",
        "*instruction-ppo モデルでは HH RLHF でさらに PPO ベースの強化学習",
    )
    assert [(s.phase, s.selector, keys(s)) for s in statements] == [
        ("pretraining", None, ["japanese-wikipedia", "japanese-cc-100"]),
        ("pretraining", ("1b 以降",), ["japanese-mc4"]),
        ("instruction-tuning", ("instruction-sft", "sft-v2"), ["hh-rlhf", "flan", "shp"]),
        ("preference-tuning", ("instruction-ppo",), ["hh-rlhf"]),
    ]
    assert statements[3].method == "PPO"


def test_exclusions_003_l87_and_002_l41() -> None:
    *_, instruct, v2 = parse(
        "Wikipedia, Japanese CC-100", "(+ 独自のデータセット)", "(計 750B トークン)",
        "*instruct モデルでは Alpaca Dataset, Dolly Dataset, HH RLHF でファインチューニング",
        "(v2では商用利用不可の Alpaca Dataset を除外)",
    )
    assert keys(instruct) == ["alpaca", "databricks-dolly-15k", "hh-rlhf"]
    assert (v2.selector, v2.datasets, [d.key for d in v2.excluded]) == (("v2",), (), ["alpaca"])
    _, inst, v2_en = parse(
        "Wikipedia", "Instruct: Dolly, HH‑RLHF, wikinews,  Alpaca (discarded in v2)"
    )
    assert "alpaca" in keys(inst)
    assert (v2_en.selector, [d.key for d in v2_en.excluded]) == (("v2",), ["alpaca"])


def test_selector_block_lines_003_l231() -> None:
    statements = parse("base (v1):", "日本語 Wikipedia 約1,700万文 (2.6GB)", "base (v2) & large:",
                       "日本語 Wikipedia 約3,000万文 (4.0GB)")
    assert [(s.selector, keys(s)) for s in statements] == [
        (("base (v1)",), ["japanese-wikipedia"]),
        (("base (v2)", "large"), ["japanese-wikipedia"]),
    ]
    assert statements[0].datasets[0].label == "日本語 Wikipedia"
    assert statements[0].selector_text == "base (v1)"


@pytest.mark.parametrize(
    ("lines", "approach", "models", "phase"),
    [
        (["Sparse Upcycling on Sarashina2 (70B)"], "scratch",
         [("Sarashina2 (70B)", "upcycling")], "continual-pretraining"),
        (["additionally trained on Llama 3 Swallow 70B (details undisclosed)"], "continual",
         [("Llama 3 Swallow 70B", "continual")], "continual-pretraining"),
        (["Swallow 13B に対して LEIA で追加学習"], "continual",
         [("Swallow 13B", "continual")], "continual-pretraining"),
        (["Pre-training: trained using the TAID method (with Qwen2.5 (32b) as the teacher model)"],
         "continual", [("Qwen2.5 (32b)", "distillation-teacher")], "distillation"),
        (["ABEJA-Qwen2.5-32b-Japanese-v0.1 + Chat Vector (from QwQ 32b) + continual pre-training"],
         "continual", [("QwQ 32b", "chat-vector"),
                       ("ABEJA-Qwen2.5-32b-Japanese-v0.1", "continual")],
         "continual-pretraining"),
        (["- （東北大BERT(base) を親モデルとして知識蒸留）"], "unknown",
         [("東北大BERT(base)", "distillation-teacher")], "distillation"),
        (["- （Shisa Gamma 7B (v1) と LLaVA-1.6-Mistral-7B をマージ）"], "unknown",
         [("Shisa Gamma 7B (v1)", "merge"), ("LLaVA-1.6-Mistral-7B", "merge")], "merge"),
        (["OpenCALM (6.8b) に対して",
          "llm-japanese-dataset v0 のうち翻訳タスクを除いたデータで LoRAチューニング"],
         "scratch", [("OpenCALM (6.8b)", "fine-tune")], "instruction-tuning"),
    ],
)
def test_parent_models_are_not_datasets(
    lines: list[str], approach: str, models: list[tuple[str, str]], phase: str
) -> None:
    [stmt] = parse(*lines, approach=approach)
    assert [(m.label, m.relation) for m in stmt.models] == models
    model_keys = {m.label.casefold() for m in stmt.models}
    assert not any(d.label.casefold() in model_keys for d in stmt.datasets)
    assert stmt.phase == phase


def test_fine_tune_parent_with_dataset_list_000_l132() -> None:
    [stmt] = parse("trained Swallow-MX 8x7B on OASST2, HelpSteer, and undisclosed datasets "
                   "using SteerLM", approach="continual")
    assert [(m.label, m.relation) for m in stmt.models] == [("Swallow-MX 8x7B", "fine-tune")]
    # SteerLM is attribute-conditioned SFT: an instruction tuning
    assert (stmt.phase, stmt.method) == ("instruction-tuning", "SteerLM")
    assert keys(stmt) == ["oasst2", "helpsteer"]
    assert stmt.undisclosed


@pytest.mark.parametrize(
    "line",
    ["不明", "（詳細不明）", "undisclosed", "Détails d'entraînement non divulgués", "Inconnu",
     "？"],
)
def test_undisclosed_markers(line: str) -> None:
    [stmt] = parse(line)
    assert stmt.undisclosed
    assert stmt.datasets == () and stmt.other_data == ()


def test_empty_cell_says_nothing() -> None:
    assert parse("") == []
    assert parse() == []


def test_per_variant_token_counts_000_l55() -> None:
    [pre] = parse("Pre-training: part of llm-jp-corpus-v3",
                  "(alpha1: 0.7T tokens, alpha2: 1.4T tokens)")
    assert keys(pre) == ["llm-jp-corpus-v3"]
    assert [(a.selector, a.tokens) for a in pre.amounts if isinstance(a, TokenCount)] == [
        (("alpha1",), Decimal("0.7") * 10**12), (("alpha2",), Decimal("1.4") * 10**12)
    ]


def test_aliases_typos_and_languages() -> None:
    assert resolve_dataset("Jpanese mC4").key == "japanese-mc4"  # type: ignore[union-attr]
    assert resolve_dataset("ReasonSpeech").key == "reazonspeech"  # type: ignore[union-attr]
    wiki = {resolve_dataset(x).key for x in  # type: ignore[union-attr]
            ("日本語 Wikipedia", "Japanese Wikipedia", "Wikipédia en japonais")}
    assert wiki == {"japanese-wikipedia"}
    assert resolve_dataset("Wikipedia").key == "wikipedia"  # type: ignore[union-attr]
    assert resolve_dataset("Dolly Dataset").key == "databricks-dolly-15k"  # type: ignore[union-attr]
    assert resolve_dataset("GPT-4") is None


def test_paper_prose_names_004() -> None:
    text = ("For bilingual English-Japanese GPT models, we additionally used the Pile (Gao et al., "
            "2020) and Redpajama (Computer, 2023) datasets. The instruction-following models were "
            "trained on the Japanese translation of the Anthropic HH (Bai et al., 2022), the SHP "
            "and the FLAN datasets. We used the ReasonSpeech corpus (Yin et al., 2023)")
    assert [key for _, key in find_curated_datasets(text)] == [
        "the-pile", "redpajama", "hh-rlhf", "shp", "flan", "reazonspeech"
    ]
    assert find_curated_datasets("Japanese mC4 and laion2B-multi")[0][1] == "japanese-mc4"


# ---------------------------------------------------------------- over the real seeds

_SEEDS = default_seeds_dir()
_TRAINING_HEADERS = ("学習テキスト", "学習画像/テキスト", "学習コーパス", "学習データ",
                     "training data", "training text", "training corpus", "données d'entraînement",
                     "corpus d'entraînement")


def _seed_training_cells() -> list[tuple[str, int, str, list[str]]]:
    """(file, line, approach, cell lines) by a throwaway table split: enough to feed cells."""
    import html

    from jllm_kg.ingest.decode import repair_mojibake

    cells: list[tuple[str, int, str, list[str]]] = []
    for name in ("000_a5bb5f047ed98111.txt", "002_f7b8d5b33f5968b2.txt",
                 "003_9c8df20d3e58c146.txt"):
        text = (_SEEDS / name).read_text(encoding="utf-8")
        text = repair_mojibake(text) or text if name.startswith("000") else text
        header: list[str] | None = None
        section = ""
        for number, line in enumerate(html.unescape(text).split("\n"), 1):
            if (m := re.search(r'<a id="([^"]+)"', line)) and "|" not in line:
                section = m.group(1)
            if "|" not in line:
                header = None
                continue
            parts = [p.strip() for p in line.strip().strip("|").split("|")]
            if re.match(r"^\|?\s*:?-{3}", line.strip()):
                continue
            if header is None:
                header = [re.sub(r"\[\^\d+\]", "", p).strip().casefold() for p in parts]
                continue
            for column, title in enumerate(header):
                if title in _TRAINING_HEADERS and column < len(parts):
                    approach = next((a for k, a in (("scratch", "scratch"),
                                                    ("continual", "continual"),
                                                    ("instruction-only", "post-training"))
                                     if k in section), "unknown")
                    lines = [re.sub(r"\[([^\]]*)\]\([^)]*\)", r"\1", x).replace("**", "")
                             .replace("\\*", "*") for x in re.split(r"\s*<br>\s*", parts[column])]
                    cells.append((name[:3], number, approach, lines))
    return cells


@pytest.mark.seeds
def test_every_seed_training_cell_parses() -> None:
    if not _SEEDS.is_dir():
        pytest.skip(f"seed files not found at {_SEEDS}")
    cells = _seed_training_cells()
    assert len(cells) > 250
    keys_seen: dict[str, int] = {}
    uncurated: dict[str, int] = {}
    model_labels: set[str] = set()
    for seed, line, approach, lines in cells:
        try:
            statements = parse_training_data_cell(lines, section_approach=approach)
        except Exception as error:  # pragma: no cover - the message is the point
            raise AssertionError(f"{seed} L{line}: {error}") from error
        for stmt in statements:
            model_labels.update(m.label.casefold() for m in stmt.models)
            for mention in stmt.datasets:
                keys_seen[mention.key] = keys_seen.get(mention.key, 0) + 1
                if not mention.curated:
                    uncurated[mention.key] = uncurated.get(mention.key, 0) + 1
    print(f"\n{len(cells)} cells, {len(keys_seen)} distinct dataset keys, "
          f"{len(uncurated)} uncurated: {sorted(uncurated)}")
    unknown = {"不明", "undisclosed", "inconnu", "unknown", "?", "？", "-", "undisclosed-dataset"}
    for key in keys_seen:
        assert key not in unknown, key
        assert not re.fullmatch(r"[~約]?[\d.,]+\s*(?:[kmbt]|gb|tokens?)?", key), key
        assert key not in {slug.replace(" ", "-") for slug in model_labels}, key
    # every dataset named in two or more cells is curated
    assert not [key for key, count in uncurated.items() if count >= 2 and key != "japanese-cc"]


def test_selected_lines_say_whether_they_add_to_the_row_data() -> None:
    """003 L84 "(NCモデルでは … Alpaca Dataset も含めて学習)" and L93 "(1b 以降のモデルでは さらに
    Japanese mC4 を追加)" add; L125 "*v0.1モデルでは OASST1, OASST2 を使用" does not."""
    plamo = parse_training_data_cell(
        ["Instruction Tuning: Dolly Dataset, OASST1 "
         "(NCモデルでは商用利用不可の Alpaca Dataset も含めて学習)"], section_approach="scratch")
    rinna = parse_training_data_cell(
        ["日本語 Wikipedia ", " (1b 以降のモデルでは", "さらに Japanese mC4 を追加)"],
        section_approach="scratch")
    swallow = parse_training_data_cell(
        ["Instruction Tuning: Dolly Dataset, HH RLHF, OASST1",
         "*v0.1モデルでは OASST1, OASST2 を使用"], section_approach="continual")
    french = parse_training_data_cell(
        ["Instruction Tuning: Dolly, HH RLHF, OASST1, wikinews (+Alpaca in NC model)"],
        section_approach="scratch")
    assert [(s.selector_text, s.additive) for s in plamo] == [(None, False), ("NC", True)]
    assert [(s.selector_text, s.additive) for s in rinna] == [(None, False), ("1b 以降", True)]
    assert [(s.selector_text, s.additive) for s in swallow] == [(None, False), ("v0.1", False)]
    assert [(s.selector_text, s.additive) for s in french] == [(None, False), ("NC", True)]


def test_section_words_from_the_table() -> None:
    # the section gives the phase of a line without a prefix (training_cell_words.yaml)
    assert [s.phase for s in parse("Japanese Wikipedia", approach="continual")] == [
        "continual-pretraining"]
    assert [s.phase for s in parse("Japanese Wikipedia", approach="api")] == ["unspecified"]
    # 003 L134: a parent "に対して" with additional (pre-)training is continued, not fine-tuned
    statement = parse("Swallow 13B に対して LEIA で追加学習", approach="continual")[0]
    assert [(m.label, m.relation) for m in statement.models] == [("Swallow 13B", "continual")]
    # a selector word alone before a colon ("thinking:") selects the variant
    statements = parse("事前学習: Japanese Wikipedia", "thinking: OASST1", approach="scratch")
    assert statements[-1].selector_text == "thinking"
    # in-house data named in prose, "undisclosed" in its name: the data is undisclosed
    statement = parse("trained Llama 3 on undisclosed dataset", approach="post-training")[0]
    assert [d.label for d in statement.other_data] == ["undisclosed dataset"]


def test_a_group_before_a_parenthesised_list_names_its_members_000_l491() -> None:
    # French parenthesised dataset lists (issue 2's closing note): each member is a dataset,
    # the group's own words and the uncurated members are not
    [stmt] = parse("Corpus de dialogues de parole (J-CHAT, Japanese Callhome, CSJ, corpus de "
                   "dialogues d'agence de voyages), corpus de dialogues textuels (Japanese "
                   "PersonaChat, Japanese EmpatheticDialogues, RealPersonaChat)",
                   approach="unknown")
    assert keys(stmt) == ["j-chat", "japanese-callhome", "csj", "japanese-personachat",
                          "japanese-empatheticdialogues", "realpersonachat"]


def test_a_phase_before_a_parenthesised_list_is_a_statement_of_that_phase_000_l402() -> None:
    statements = parse(
        "Entraînement en 3 étapes: Alignement (558k paires image-texte japonaises + 595k "
        "LLaVA-Pretrain), Pré-entraînement (MOMIJI 13M, coyo-700m 6M, mmc4-core 4M, "
        "Wikipedia-ja, STAIR captions), Affinement supervisé (LLaVA-instruct-ja, SynthDog-ja, "
        "AI2D)")
    by_phase = {stmt.phase: keys(stmt) for stmt in statements if stmt.datasets}
    # "MOMIJI 13M": the count of samples is no part of the name
    assert by_phase["pretraining"] == ["momiji", "coyo-700m", "mmc4-core", "japanese-wikipedia",
                                       "stair-captions"]
    assert by_phase["instruction-tuning"][:2] == ["llava-instruct-ja", "synthdog-ja"]


def test_counts_inside_a_listed_group_are_not_the_statements_000_l404() -> None:
    statements = parse(
        "Entraînement en 3 étapes: Pré-entraînement de l'encodeur de vision (CC3M, CC12M, jeu de "
        "données synthétiques de légendes de graphiques internes 3.8B japonais + 7.7B tokens "
        "anglais), Ajustement d'instructions visuelles (Japanese Visual Genome VQA, OCR-VQA)")
    [pre] = [stmt for stmt in statements if stmt.phase == "pretraining" and stmt.datasets]
    assert keys(pre) == ["cc3m", "cc12m"] and pre.amounts == ()
    [sft] = [stmt for stmt in statements if stmt.phase == "instruction-tuning"]
    assert keys(sft)[0] == "japanese-visual-genome-vqa"


def test_a_parenthesis_saying_where_data_comes_from_lists_no_members_000_l130() -> None:
    [stmt, *_] = parse("Pre-training: Corpus parallèle de graphes de connaissances (synthétisé à "
                       "partir de SHINRA2020, Wikipedia, etc.) 2.1B tokens")
    assert "wikipedia" not in keys(stmt)


# -- prose training cells of the ja list at 941b11f (issue 12 §1) ----------------------------


@pytest.mark.parametrize(("line", "phase", "method", "dataset"), [
    ("TinySwallow-1.5B-Instruct に対して kunishou/OpenMathInstruct-1-1.8m-ja でGRPO学習",
     "preference-tuning", "GRPO", "kunishou-openmathinstruct-1-1.8m-ja"),  # ja L174
    ("TinySwallow-1.5B-Instruct に対して EQUES/japanese_ultrachat_6.6k でTAID蒸留",
     "distillation", "TAID", "eques-japanese-ultrachat-6.6k"),  # ja L175
    ("TinySwallow-1.5B-Instruct に対して Bespoke-Stratos-35k で推論能力強化",
     "instruction-tuning", None, "bespoke-stratos-35k"),  # ja L176
])
def test_the_verb_after_the_data_is_no_part_of_its_name(line: str, phase: str,
                                                        method: str | None,
                                                        dataset: str) -> None:
    [statement] = parse(line, approach="post-training")
    assert (statement.phase, statement.method, keys(statement)) == (phase, method, [dataset])
    assert [(m.label, m.relation) for m in statement.models] == [
        ("TinySwallow-1.5B-Instruct", "fine-tune")]


def test_a_japanese_chat_vector_is_lineage_as_the_french_one_ja_l133() -> None:
    """ja L133 "+ QwQ-32BのChat Vector" says what 000 L141 "+ Chat Vector (de QwQ-32B)" says."""
    ja = parse("継続事前学習: llm-jp-corpus v3から約**4B**トークン", "+ QwQ-32BのChat Vector",
               approach="continual")
    fr = parse("Pré-entraînement continu : ~**4B** tokens de llm-jp-corpus v3",
               "+ Chat Vector (de QwQ-32B)", approach="continual")
    for [statement] in (ja, fr):
        assert keys(statement) == ["llm-jp-corpus-v3"]
        assert statement.method == "Chat Vector"
        assert [(m.label, m.relation) for m in statement.models] == [("QwQ-32B", "chat-vector")]


def test_sentences_are_no_dataset_list_ja_l214() -> None:
    """ja L214: a cell of sentences names no dataset and no parent (the clause before
    "に対して" is no model name)."""
    [statement] = parse("Precise-tuning: 日本語の知識・推論・言語回路をピンポイント特定し、"
                        "パラメータの5%のみに対して調整を実施。3つの専門モデルを作成後、"
                        "ピンポイントマージで統合", approach="post-training")
    assert (statement.datasets, statement.models) == ((), ())
    [en] = parse("Precise-tuning: Pinpointing Japanese knowledge, reasoning, and language "
                 "circuits to apply adjustments to only 5% of parameters. Created 3 specialized "
                 "models, then integrated through pinpoint merging", approach="post-training")
    assert en.datasets == ()


def test_continual_pretraining_onto_a_named_parent_ja_l100() -> None:
    [ja] = parse("医療系コーパス (**44.2B** トークン) で LLM-jp-3 MoE (8x13b) に追加事前学習、"
                 "その後 Instruction Tuning", approach="continual")
    [en] = parse("Pre-trained on a medical corpus (**44.2B** tokens) added to LLM-jp-3 MoE "
                 "(8x13b), followed by Instruction Tuning", approach="continual")
    for statement in (ja, en):
        assert [(m.label, m.relation) for m in statement.models] == [
            ("LLM-jp-3 MoE (8x13b)", "continual")]
        assert statement.datasets == ()
        assert [a.tokens for a in statement.amounts] == [Decimal("44.2") * B]  # type: ignore[union-attr]


@pytest.mark.parametrize(("line", "dataset"), [
    # en / fr L174-176 at 941b11f say what the ja rows say with "… に対して … で…"
    ("GRPO training on TinySwallow-1.5B-Instruct with kunishou/OpenMathInstruct-1-1.8m-ja",
     "kunishou-openmathinstruct-1-1.8m-ja"),
    ("TAID distillation on TinySwallow-1.5B-Instruct with EQUES/japanese_ultrachat_6.6k",
     "eques-japanese-ultrachat-6.6k"),
    ("Amélioration du raisonnement sur TinySwallow-1.5B-Instruct avec Bespoke-Stratos-35k",
     "bespoke-stratos-35k"),
])
def test_a_method_on_a_parent_with_data_names_the_parent(line: str, dataset: str) -> None:
    [statement] = parse(line, approach="post-training")
    assert [(m.label, m.relation) for m in statement.models] == [
        ("TinySwallow-1.5B-Instruct", "fine-tune")]
    assert keys(statement) == [dataset]


def test_training_stages_and_counts_are_no_datasets_en_l415() -> None:
    """en L415 at 941b11f (Sarashina2.2-Vision): the stages of a 4-stage training and the total
    are notes, only the parenthesised data descriptions stay (audit S4b: 9 fake datasets)."""
    statements = parse(
        "4-stage training + Post-training: Projector warmup (English image captions), Vision "
        "encoder pre-training (Japanese charts, OCR, captions), Full model pre-training "
        "(interleaved image-text data), Supervised fine-tuning",
        "Post-training: Mixed Preference Optimization",
        "(Total: 103B Japanese + 157.1B English tokens)")
    assert [keys(statement) for statement in statements] == [[], [], []]
    notes = [o.label for statement in statements for o in statement.other_data]
    assert "Vision encoder pre-training" in notes and "Total: 103B Japanese" in notes
