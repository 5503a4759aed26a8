"""Integrity of the curated dataset and training-phase tables (data/curated/)."""

from __future__ import annotations

import re
from collections import Counter

from jllm_kg.curated import load_curated
from jllm_kg.normalize.datasets import PHASES, RELATIONS, dataset_catalogue
from jllm_kg.normalize.text import match_key
from jllm_kg.vocab import slugify


def _datasets() -> list[dict]:
    return load_curated("datasets.yaml")["datasets"]


def test_keys_unique_and_slug_shaped() -> None:
    keys = [entry["key"] for entry in _datasets()]
    assert [k for k, n in Counter(keys).items() if n > 1] == []
    for key in keys:
        assert slugify(key) == key, key


def test_every_entry_has_an_english_label_and_aliases() -> None:
    for entry in _datasets():
        assert entry["labels"].get("en"), entry["key"]
        assert set(entry["labels"]) <= {"en", "ja", "fr"}, entry["key"]
        assert entry["aliases"], entry["key"]


def test_no_alias_claimed_twice() -> None:
    owners: dict[str, set[str]] = {}
    for entry in _datasets():
        for alias in (*entry["aliases"], *entry["labels"].values()):
            owners.setdefault(match_key(alias), set()).add(entry["key"])
    assert {alias: keys for alias, keys in owners.items() if len(keys) > 1} == {}


def test_hf_ids_and_urls_are_well_formed() -> None:
    for entry in _datasets():
        if "hf" in entry:
            assert re.fullmatch(r"[\w.\-]+/[\w.\-]+", entry["hf"]), entry["key"]
        if "url" in entry:
            assert entry["url"].startswith("https://"), entry["key"]


def test_markers_are_not_dataset_aliases() -> None:
    data = load_curated("datasets.yaml")
    aliases = {match_key(a) for e in data["datasets"] for a in e["aliases"]}
    assert not aliases & {match_key(m) for m in load_curated("unknown_markers.yaml")["markers"]}
    assert not aliases & {match_key(m) for m in data["proprietary"]}


def test_the_catalogue_loads() -> None:
    catalogue = dataset_catalogue()
    assert len(catalogue) == len(_datasets())
    assert catalogue["japanese-mc4"].labels["en"] == "Japanese mC4"


def test_phase_table_values() -> None:
    data = load_curated("training_phases.yaml")
    for label, spec in data["labels"].items():
        assert spec["phase"] in PHASES, label
    for spec in data["model_relations"]:
        assert spec["relation"] in RELATIONS, spec["pattern"]
        assert "model" in spec["pattern"], spec["pattern"]
        re.compile(spec["pattern"])
    for pattern in data["prose_selectors"]:
        assert "(?P<sel>" in pattern, pattern
    assert set(data["selector_phase_hints"]) <= set(PHASES)


def test_training_cell_words_misspelt_key_stops_loading(tmp_path) -> None:
    from jllm_kg.curated import CuratedDataError, read_curated_file
    from jllm_kg.paths import curated_dir

    text = (curated_dir() / "training_cell_words.yaml").read_text(encoding="utf-8")
    assert text.count("\nselector_words:") == 1
    path = tmp_path / "training_cell_words.yaml"
    path.write_text(text.replace("\nselector_words:", "\nselector_word:"), encoding="utf-8")
    try:
        read_curated_file(path)
    except CuratedDataError as error:
        assert "training_cell_words.yaml" in str(error) and "selector_word" in str(error)
    else:
        raise AssertionError("a misspelt key was accepted")


def test_every_section_approach_with_a_phase_is_a_real_approach() -> None:
    from typing import get_args

    from jllm_kg.ingest.records import ModelModality, TrainingApproach

    words = load_curated("training_cell_words.yaml")
    assert set(words["section_phases"]) <= set(get_args(ModelModality))
    for phases in words["section_phases"].values():
        assert set(phases) <= set(get_args(TrainingApproach))
        assert set(phases.values()) <= set(PHASES)
