"""The paper parser: its generic table / prose helpers on hand-written snippets of the rinna
paper's shapes, and end to end over seed 004.

Expected values are read off the paper by eye (line numbers of 004_9c6061823d69ccef.txt) or
taken from ../shared/seeds/README.md §5; none is computed by the code under test.
"""

from __future__ import annotations

import hashlib
from pathlib import Path

import pytest

from jllm_kg.ingest.paper import (
    PaperFormatError,
    Prose,
    italic_names,
    read_footnotes,
    read_front_matter,
    read_tsv_tables,
    split_series,
)
from jllm_kg.ingest.paper_records import ModelRef, PaperDocument
from jllm_kg.ingest.papers.registry import parse_paper
from jllm_kg.ingest.records import SourceDocument
from jllm_kg.paths import default_seeds_dir

SEEDS = default_seeds_dir()

# Table 1 (L35–49), shortened: group-header rows, <i> ids, a size column.
TABLE_1 = (
    "Pre-trained model\tModel size\tLicense\tRelease date\n"
    "Language model\t\t\t\n"
    "<i>rinna/japanese-gpt2-medium</i>\t336M\tMIT\tApril 2021\n"
    "<i>rinna/japanese-gpt-1b</i>\t1.3B\tMIT\tJanuary 2022\n"
    "Speech model\t\t\t\n"
    "<i>rinna/japanese-hubert-base</i>\t95M\tApache 2.0\tApril 2023\n"
    "\n"
    "Table 1: Released pre-trained models in the Japanese language.\n"
)

# Table 4 (L169–180): an entity-header row per model, setting sub-rows, three value columns.
TABLE_4 = (
    "Pre-trained model\tEval1\tEval2\tEval3\n"
    "<i>meta/hubert-base</i>\t\t\t\n"
    "32-hour labeled\t13.12\t10.33\t10.66\n"
    "552-hour labeled\t7.88\t5.66\t6.48\n"
    "<i>rinna/japanese-hubert-base</i>\t\t\t\n"
    "32-hour labeled\t9.30\t7.07\t6.87\n"
    "\n"
    "Table 4: The word error rates for the fine-tuned HuBERT models with the different sizes "
    "of data.\n"
)


def test_group_header_rows_scope_the_rows_below() -> None:
    (table,) = read_tsv_tables(TABLE_1)
    assert table.header == ("Pre-trained model", "Model size", "License", "Release date")
    assert [(row.line, row.group) for row in table.rows] == [
        (3, "Language model"), (4, "Language model"), (6, "Speech model")
    ]
    assert table.rows[1].cells == ("<i>rinna/japanese-gpt-1b</i>", "1.3B", "MIT", "January 2022")
    assert table.table_id == "Table 1"
    assert table.caption_line == 8
    assert table.column("release date") == 3


def test_entity_header_rows_scope_setting_sub_rows() -> None:
    (table,) = read_tsv_tables(TABLE_4)
    assert [(row.entity, row.first) for row in table.rows] == [
        ("<i>meta/hubert-base</i>", "32-hour labeled"),
        ("<i>meta/hubert-base</i>", "552-hour labeled"),
        ("<i>rinna/japanese-hubert-base</i>", "32-hour labeled"),
    ]
    assert table.rows[2].cells[1:] == ("9.30", "7.07", "6.87")
    assert all(row.group is None for row in table.rows)
    assert table.table_id == "Table 4"


def test_a_row_wider_than_its_header_is_an_error_naming_the_line() -> None:
    with pytest.raises(PaperFormatError, match=r"x\.txt:2:"):
        read_tsv_tables("a\tb\n<i>c/d</i>\t1\t2\n", path="x.txt")


def test_italic_names_in_tables_and_prose() -> None:
    assert italic_names("<i>rinna/japanese-gpt-1b</i>\t1.3B") == ["rinna/japanese-gpt-1b"]
    line = "a comparison with *meta/llama-7b* (Touvron et al., 2023a), *meta/llama2-7b*, and"
    assert italic_names(line) == ["meta/llama-7b", "meta/llama2-7b"]
    assert italic_names("**Keywords:** AI democratization") == []


def test_footnotes_and_front_matter() -> None:
    text = (
        "\n# Release of Pre-Trained Models for the Japanese Language\n\n"
        "Kei Sawada, Tianyu Zhao, Makoto Shing, Kentaro Mitsui,  \n"
        "Akio Kaga, Yukiya Hono, Toshiaki Wakatsuki, Koh Mitsuda\n\n"
        "rinna Co., Ltd., Tokyo, Japan  \nkeisawada@rinna.co.jp\n\n## Abstract\n\n"
        "<sup>6</sup><https://huggingface.co/CompVis/stable-diffusion-v1-4>\n"
    )
    front = read_front_matter(text)
    assert front.title == "Release of Pre-Trained Models for the Japanese Language"
    assert [p.name for p in front.authors][::7] == ["Kei Sawada", "Koh Mitsuda"]
    assert len(front.authors) == 8
    assert front.affiliations == ("rinna Co., Ltd., Tokyo, Japan",)
    assert front.emails == ("keisawada@rinna.co.jp",)
    assert read_footnotes(text) == {
        "6": ("https://huggingface.co/CompVis/stable-diffusion-v1-4", 12)
    }


def test_prose_sentence_across_a_page_break_without_citations() -> None:
    text = (
        "For Japanese-specific GPT models, we used Wikipedia, the CC-100 (Conneau et al., 2020),"
        "\n\nand the mC4 (Raffel et al., 2020) datasets for pre-training. For bilingual models, …"
    )
    prose = Prose(text, "p.txt")
    match = prose.search(r"we\s+used\s+(?P<data>.+?)\s+for\s+pre-training\.", "data")
    assert prose.line(match) == 1
    assert prose.sentence(match) == (
        "For Japanese-specific GPT models, we used Wikipedia, the CC-100, and the mC4 datasets "
        "for pre-training."
    )
    assert split_series(match.group("data")) == ["Wikipedia", "CC-100", "mC4"]
    with pytest.raises(PaperFormatError, match=r"p\.txt: cannot find the shots"):
        prose.search(r"few-shot numbers", "the shots")


def test_model_ref_kinds_never_invent_an_id() -> None:
    assert ModelRef.repo("rinna/japanese-gpt-1b").hf_id == "rinna/japanese-gpt-1b"
    alias = ModelRef.alias("rinna/bilingual-gpt-neox-4b-sft",
                           "rinna/bilingual-gpt-neox-4b-instruction-sft", "unique")
    assert (alias.key, alias.written) == ("rinna/bilingual-gpt-neox-4b-instruction-sft",
                                          "rinna/bilingual-gpt-neox-4b-sft")
    assert ModelRef.label("meta/llama2-7b").hf_id is None
    with pytest.raises(ValueError):
        ModelRef("meta/llama2-7b", "label", "meta/llama2-7b")


def _source(name: str, text: str) -> SourceDocument:
    return SourceDocument(
        path=name, sha256=hashlib.sha256(text.encode()).hexdigest(), kind="paper",
        language="en", title="x", slug="p", line_count=len(text.splitlines()),
    )


def test_unknown_paper_is_refused_with_its_file_name() -> None:
    text = "# Some Other Paper\n\nA. Author\n\nSomewhere\n\n## Abstract\n"
    with pytest.raises(PaperFormatError, match=r"other\.txt: no paper parser"):
        parse_paper(text, _source("other.txt", text))


# --------------------------------------------------------------------------------------------
# end to end over seed 004

_DOC: list[PaperDocument] = []


def rinna_paper() -> PaperDocument:
    if not SEEDS.is_dir():
        pytest.skip(f"seed documents not found at {SEEDS}")
    if not _DOC:
        (path,) = sorted(Path(SEEDS).glob("004_*.txt"))
        text = path.read_text(encoding="utf-8")
        _DOC.append(parse_paper(text, _source(path.name, text)))
    return _DOC[0]


@pytest.mark.seeds
def test_metadata() -> None:
    metadata = rinna_paper().metadata
    assert metadata.title == "Release of Pre-Trained Models for the Japanese Language"
    assert metadata.authors[0].name == "Kei Sawada" and len(metadata.authors) == 8
    assert metadata.affiliations == ("rinna Co., Ltd., Tokyo, Japan",)
    assert (metadata.arxiv_id, metadata.venue, metadata.year) == (
        "2404.01657", "LREC-COLING 2024", 2024)


@pytest.mark.seeds
def test_model_tables() -> None:
    doc = rinna_paper()
    table1 = [f for f in doc.model_facts if f.table == "Table 1"]
    appendix = [f for f in doc.model_facts if f.table == "Table 5"]
    assert len(table1) == 11  # L37–49
    assert len(appendix) == 37  # README §5: 37 real rinna ids
    assert len(doc.released) == 37
    assert all(f.model.kind == "hf" and f.model.written.startswith("rinna/") for f in appendix)
    gpt_1b = next(f for f in table1 if f.model.hf_id == "rinna/japanese-gpt-1b")
    assert (gpt_1b.size, gpt_1b.license, gpt_1b.release_date, gpt_1b.line) == (
        "1.3B", "MIT", "January 2022", 40)
    ppo = next(f for f in appendix
               if f.model.hf_id == "rinna/bilingual-gpt-neox-4b-instruction-ppo")
    assert (ppo.release_date, ppo.group, ppo.size) == ("August 2023", "Language model", None)
    data2vec = next(f for f in appendix if f.model.hf_id == "rinna/japanese-data2vec-audio-base")
    assert (data2vec.group, data2vec.line) == ("Language-speech model", 315)
    youri = next(f for f in appendix if f.model.hf_id == "rinna/youri-7b")
    assert youri.license == "LLAMA 2 Community"


@pytest.mark.seeds
def test_result_tables() -> None:
    doc = rinna_paper()
    table2 = [r for r in doc.results if r.table == "Table 2"]
    assert len(table2) == 14  # L90–103
    assert {r.benchmark for r in table2} == {"JP Language Model Evaluation Harness"}
    neox = next(r for r in table2 if r.model.written == "rinna/japanese-gpt-neox-3.6b")
    assert (str(neox.score), neox.metric, neox.setting) == ("36.60", "average score", "few-shot")
    assert [(t.name, t.shots) for t in neox.tasks] == [
        ("jcommonsenseqa", 3), ("jnli", 3), ("marc-ja", 3), ("jsquad", 2), ("xwinograd", 0),
        ("jaqket-v2", 1), ("xsum-ja", 1), ("mgsm", 5)]
    cloob = next(r for r in doc.results if r.model.written == "rinna/japanese-cloob-vit-b-16")
    assert (cloob.score_text, cloob.benchmark, cloob.setting, cloob.line) == (
        "54.64", "ImageNet", "zero-shot", 125)
    table4 = [r for r in doc.results if r.table == "Table 4"]
    assert len(table4) == 12  # 2 models × 2 settings × 3 evaluation sets
    cell = next(r for r in table4 if r.model.written == "rinna/japanese-hubert-base"
                and r.setting == "552-hour labeled" and r.evaluation_set == "Eval2")
    assert (cell.score_text, cell.metric, cell.line) == ("4.45", "word error rate", 191)


@pytest.mark.seeds
def test_baselines_and_aliases() -> None:
    refs = {r.model.written: r.model for r in rinna_paper().results}
    for baseline in ("meta/llama-7b", "meta/llama2-7b", "meta/llama2-7b-chat",
                     "laion/clip-base", "laion/clip-large", "meta/hubert-base"):
        assert refs[baseline].kind == "label" and refs[baseline].hf_id is None
    # -sft of 3.6b could be instruction-sft or instruction-sft-v2 (README §5): not resolved.
    assert refs["rinna/japanese-gpt-neox-3.6b-sft"].kind == "label"
    assert refs["rinna/japanese-gpt-neox-3.6b-ppo"].hf_id == (
        "rinna/japanese-gpt-neox-3.6b-instruction-ppo")
    assert refs["rinna/bilingual-gpt-neox-4b-sft"].hf_id == (
        "rinna/bilingual-gpt-neox-4b-instruction-sft")


@pytest.mark.seeds
def test_lineage() -> None:
    lineage = {(s.child.key, s.parent.key): s for s in rinna_paper().lineage}
    jsd = lineage[("rinna/japanese-stable-diffusion", "CompVis/stable-diffusion-v1-4")]
    assert jsd.relation == "FineTuning" and jsd.line == 153
    assert jsd.parent.kind == "hf"  # footnote 6 links it to huggingface.co
    assert "we fine-tuned CompVis/stable-diffusion-v1-4" in jsd.evidence
    sft = lineage[("rinna/japanese-gpt-neox-3.6b-instruction-sft-v2",
                   "rinna/japanese-gpt-neox-3.6b")]
    assert sft.relation == "InstructionTuning" and sft.line == 69
    assert ("rinna/bilingual-gpt-neox-4b-instruction-ppo", "rinna/bilingual-gpt-neox-4b") in lineage
    assert ("rinna/japanese-gpt-neox-3.6b-sft", "rinna/japanese-gpt-neox-3.6b") in lineage
    encoder = [s for s in lineage.values() if s.relation == "Initialization"]
    assert {s.child.key for s in encoder} == {"rinna/japanese-clip-vit-b-16",
                                              "rinna/japanese-cloob-vit-b-16"}
    assert {s.parent.kind for s in encoder} == {"label"}


@pytest.mark.seeds
def test_training_data() -> None:
    statements = {s.group: s for s in rinna_paper().training_data}
    japanese = statements["Japanese-specific GPT models"]
    assert japanese.datasets == ("Wikipedia", "CC-100", "mC4") and japanese.line == 73
    assert len(japanese.models) == 6
    assert statements["bilingual English-Japanese GPT models"].datasets[-2:] == (
        "Pile", "Redpajama")
    instruction = statements["instruction-following models"]
    assert instruction.phase == "instruction-tuning"
    assert instruction.datasets == ("Anthropic HH", "SHP", "FLAN")
    hubert = statements["Japanese HuBERT"]
    assert hubert.datasets == ("ReasonSpeech",)  # sic, L175
    assert [m.key for m in hubert.models] == ["rinna/japanese-hubert-base"]
    baseline = statements["public HuBERT model"]
    assert baseline.models[0].hf_id == "facebook/hubert-base-ls960"  # footnote 7
    assert baseline.datasets == ("Librispeech",)
