"""End to end over the list's markdown seeds (000 fr, 002 en, 003 ja).

Every expected number here is copied from ../shared/seeds/README.md (§1 per-table row counts,
§3 measures), which was established independently of this parser (by diffing the seeds against
the upstream repository history); none is an echo of the code under test.
"""

from __future__ import annotations

from collections import Counter
from pathlib import Path

import pytest

from jllm_kg.ingest import read_source
from jllm_kg.ingest.markdown_list import hf_model_id
from jllm_kg.ingest.records import ListDocument
from jllm_kg.paths import default_seeds_dir

SEEDS = default_seeds_dir()
pytestmark = [
    pytest.mark.seeds,
    pytest.mark.skipif(not SEEDS.is_dir(), reason=f"seed documents not found at {SEEDS}"),
]

_CACHE: dict[str, ListDocument] = {}


def seed(prefix: str) -> ListDocument:
    if prefix not in _CACHE:
        (path,) = sorted(Path(SEEDS).glob(f"{prefix}_*.txt"))
        document = read_source(path)
        assert isinstance(document, ListDocument)
        _CACHE[prefix] = document
    return _CACHE[prefix]


# README §3: tables, model rows, benchmark rows, paper rows, distinct HF model repo ids,
# HF model-link occurrences in model tables, model rows without any HF model link,
# rows containing <br> / footnote references, distinct developer cell strings.
README_MEASURES = {
    "000": dict(tables=33, models=297, benchmarks=45, bullets=0, papers=0, ids=591,
                occurrences=647, without_hf=15, br_rows=209, footnote_rows=33, developers=106),
    "002": dict(tables=9, models=83, benchmarks=0, bullets=5, papers=30, ids=142,
                occurrences=158, without_hf=10, br_rows=40, footnote_rows=10, developers=45),
    "003": dict(tables=27, models=169, benchmarks=26, bullets=0, papers=66, ids=326,
                occurrences=353, without_hf=13, br_rows=122, footnote_rows=23, developers=73),
}  # fmt: skip


def measures(document: ListDocument) -> dict[str, int]:
    rows = [m.row for m in document.models]
    all_rows = rows + [b.row for b in document.benchmarks] + [r.row for r in document.references]
    return {
        # Each table of these seeds has its own section key (000's anchorless sub-sections
        # included), so distinct sections of rows = tables.
        "tables": len({row.section for row in all_rows}),
        "models": len(document.models),
        "benchmarks": len(document.benchmarks),
        "bullets": len(document.benchmark_bullets),
        "papers": len(document.references),
        "ids": len({c.hf_id for m in document.models for c in m.checkpoints if c.hf_id}),
        # The README counts every HF model link of a model row, title links included.
        "occurrences": sum(
            1
            for row in rows
            for cell in row.cells.values()
            for link in cell.links
            if hf_model_id(link.url)
        ),
        "without_hf": sum(1 for m in document.models if not any(c.hf_id for c in m.checkpoints)),
        "br_rows": sum(1 for row in rows if "<br>" in row.markdown),
        "footnote_rows": sum(
            1 for row in rows if any(line.footnotes for c in row.cells.values() for line in c.lines)
        ),
        "developers": len(
            {row.cells["developer"].text for row in rows if "developer" in row.cells}
        ),
    }


@pytest.mark.parametrize("prefix", sorted(README_MEASURES))
def test_readme_measures(prefix: str) -> None:
    assert measures(seed(prefix)) == README_MEASURES[prefix]


def test_sources_are_detected_and_repaired() -> None:
    fr, en, ja = seed("000").source, seed("002").source, seed("003").source
    assert (fr.language, en.language, ja.language) == ("fr", "en", "ja")
    assert (fr.repaired_mojibake, en.repaired_mojibake, ja.repaired_mojibake) == (
        True,
        False,
        False,
    )
    assert fr.title == "Aperçu des grands modèles de langage (LLM) en japonais"
    assert en.title == "Overview of Japanese LLMs"
    assert ja.title == "日本語LLMまとめ"
    assert fr.line_count == 694
    assert fr.slug == "awesome-japanese-llm-fr-sha256-a15407da2212"  # 000 differs from 69b696e


# README §1.1 (003): rows per table, keyed by anchor.
ROWS_003 = {
    "generative-scratch-general": 30, "generative-scratch-domain-specific": 3,
    "generative-continual-general": 37, "generative-continual-domain-specific": 6,
    "generative-instruction-only-general": 14, "generative-instruction-only-domain-specific": 1,
    "merged-models": 2, "api-based-models": 3, "autoencoding-general": 29,
    "autoencoding-domain-specific": 12, "embeddings": 9, "multimodal-general": 6,
    "multimodal-domain-specific": 1, "multimodal-text-to-image": 4, "multimodal-others": 6,
    "speech-asr": 3, "speech-others": 3, "hybrid-benchmark-suites": 1,
    "basic-benchmark-suites": 5, "open-ended-benchmark-suites": 6,
    "logical-reasoning-benchmark-suites": 2, "controllabilitiy-benchmark-suites": 1,
    "domain-specific-benchmark-suites": 5, "embeddings-benchmark-suites": 1,
    "vl-benchmark-suites": 5, "reference": 62, "reference-training": 4,
}  # fmt: skip

# README §1.2 (000): rows per table, in document order.
ROWS_000 = [51, 4, 62, 11, 41, 3, 3, 5, 34, 15, 17, 3, 3, 13, 1, 1, 3, 5, 2, 1, 7, 3, 8, 1,
            2, 5, 7, 10, 3, 3, 1, 3, 11]  # fmt: skip

# README §1.4 (002).
ROWS_002 = {
    "generative-general": 18, "generative-domain-specific": 3, "english-based-models": 12,
    "autoencoding-general": 24, "autoencoding-domain-specific": 12, "embeddings": 8,
    "multimodal-text-generation": 3, "multimodal-others": 3, "reference": 30,
}  # fmt: skip


def _rows_by_section(document: ListDocument) -> Counter[str]:
    rows = [m.row for m in document.models] + [b.row for b in document.benchmarks]
    return Counter(row.section for row in rows + [r.row for r in document.references])


def test_rows_per_table_003() -> None:
    assert dict(_rows_by_section(seed("003"))) == ROWS_003


def test_rows_per_table_002() -> None:
    assert dict(_rows_by_section(seed("002"))) == ROWS_002


def test_rows_per_table_000_in_document_order() -> None:
    document = seed("000")
    rows = sorted([m.row for m in document.models] + [b.row for b in document.benchmarks],
                  key=lambda row: row.line)  # fmt: skip
    counts: list[int] = []
    previous: str | None = None
    for row in rows:
        if row.section != previous:
            counts.append(0)
            previous = row.section
        counts[-1] += 1
    assert counts == ROWS_000


def test_000_categories_of_vlm_and_embeddings_subsections() -> None:
    by_section = {m.row.section: m for m in seed("000").models}
    vlm_general = by_section["multimodal-text-generation-scratch-general"]
    assert (vlm_general.category.approach, vlm_general.category.scope) == ("scratch", "general")
    assert vlm_general.row.subheading == "D'usage général"
    assert (
        by_section["multimodal-text-generation-scratch-domain-specific"].category.scope == "domain"
    )
    assert by_section["multimodal-text-to-video"].category.modality == "text-to-video"
    assert by_section["embeddings-cross-encoders"].category.modality == "text-embedding"


def test_seed_hard_cases() -> None:
    fr, en, ja = seed("000"), seed("002"), seed("003")
    ids_002 = {c.hf_id for m in en.models for c in m.checkpoints if c.hf_id}
    # H13: the &#x2011; URLs of 002 L40-46 give two distinct weblab ids.
    assert {"matsuo-lab/weblab-10b-instruction-sft", "matsuo-lab/weblab-10b"} <= ids_002
    assert not any("&" in i or "\u2011" in i for i in ids_002)
    # H16: the 10 cl-tohoku ids of 002 are kept verbatim; 003 has none (renamed tohoku-nlp).
    assert sum(1 for i in ids_002 if i.startswith("cl-tohoku/")) == 10
    ids_003 = {c.hf_id for m in ja.models for c in m.checkpoints if c.hf_id}
    assert not any(i.startswith("cl-tohoku/") for i in ids_003)
    # README §0: inclusion order 003 ⊂ 000.
    ids_000 = {c.hf_id for m in fr.models for c in m.checkpoints if c.hf_id}
    assert ids_003 <= ids_000
    # Footnotes: 003 defines [^1]…[^18] without [^5] and [^11]; 000 defines [^1]…[^23].
    assert set(ja.footnotes) == {str(n) for n in range(1, 19)} - {"5", "11"}
    assert set(fr.footnotes) == {str(n) for n in range(1, 24)}
    # H1: repaired French and Japanese text (000 L126 "ト", L341 "『今日の診療プレミアム』", L692).
    youko = next(m for m in fr.models if m.row.line == 126)
    assert youko.row.cells["training_data"].lines[-1].text == (
        "Instruction Tuning: undisclosed datasetト"
    )
    assert youko.row.cells["training_data"].lines[-1].footnotes == ("11",)
    assert next(m for m in fr.models if m.row.line == 341).row.cells["domain"].text == "Médecine"
    assert "1,000億パラメータ規模の独自LLM「PLaMo" in fr.footnotes["22"].text
