"""Property-based tests of the training-data cell splitting (hypothesis).

Cells are generated from the pieces the seeds' cells are made of (dataset names, separators
``,`` ``、`` `` + ``, phase prefixes, amounts, "etc."/"など", parentheses) mixed with odd unicode
(full-width brackets, NBSP, U+2011, zero-width space, combining marks, emoji) and empty items.
Whatever the cell, reading it must not fail, and no dataset (or other data) has an empty name.
"""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from jllm_kg.ingest.records import CellLine, Link
from jllm_kg.normalize.datasets import parse_training_data_cell
from jllm_kg.normalize.datasets.items import split_items

NAMES = ["Japanese Wikipedia", "日本語 Wikipedia", "RedPajama", "Japanese mC4", "HH‑RLHF",
         "FineMath-4+", "ichikara-instruction", "独自のデータセット", "OSCAR", "CC-100",
         "Alpaca Dataset", "various Web & synthetic datasets", "llm-japanese-dataset v0",
         "Swallow Corpus", "undisclosed dataset", "données privées"]
PIECES = [", ", "、", " + ", " (", ")", "（", "）", "etc.", "など", " etc", ":", "：", "事前学習: ",
          "Instruction Tuning (LoRA): ", "SFT, DPO: ", "(計 **910B** トークン)", "1,800",
          "8B トークン",
          "*v0.1: ", "+ ", "- ", "\\*", "(v2では ", " を除外)", "additionally trained on ",
          " and ", " et ", " や ", "**", "[^1]", "不明", "?", "？", "\u00a0", "\u2011", "\u200b",
          "\u3000", "\u0301", "🦙", "\t", "(", ")", " ", ""]

fragments = st.one_of(st.sampled_from(NAMES), st.sampled_from(PIECES),
                      st.text(min_size=0, max_size=6))
lines = st.lists(fragments, min_size=0, max_size=8).map("".join)
cells = st.lists(lines, min_size=1, max_size=5)
approaches = st.sampled_from(["scratch", "continual", "post-training", "merge", "api", "unknown"])


@settings(max_examples=300, deadline=None)
@given(cells, approaches)
def test_any_cell_reads_without_error_and_names_no_empty_dataset(
    cell: list[str], approach: str
) -> None:
    statements = parse_training_data_cell(cell, section_approach=approach)
    for statement in statements:
        for mention in (*statement.datasets, *statement.other_data, *statement.excluded):
            assert mention.label.strip(), (cell, statement)
            assert mention.key.strip(), (cell, statement)
        for parent in statement.models:
            assert parent.label.strip(), (cell, statement)


@settings(max_examples=200, deadline=None)
@given(st.lists(st.sampled_from(NAMES), min_size=1, max_size=5),
       st.sampled_from([", ", "、", " + "]))
def test_a_plain_list_gives_its_names(names: list[str], separator: str) -> None:
    # a list written with one separator gives back each name (curated or not; datasets and
    # in-house data are kept apart, so the order is compared within each)
    text = separator.join(names)
    if any(" + " in name or "," in name for name in names) or "undisclosed" in text:
        return
    statements = parse_training_data_cell([f"事前学習: {text}"], section_approach="scratch")
    assert len(statements) == 1
    found = [m.label for m in (*statements[0].datasets, *statements[0].other_data)]
    # typography is folded (U+2011 → "-"), letters are kept as written
    assert sorted(found) == sorted(name.replace("\u2011", "-") for name in names)


@settings(max_examples=300, deadline=None)
@given(lines)
def test_split_items_gives_stripped_non_empty_parts_of_the_text(text: str) -> None:
    items = split_items(text)
    for item in items:
        assert item and item == item.strip()
        assert item in text


@settings(max_examples=100, deadline=None)
@given(st.lists(st.sampled_from(NAMES), min_size=1, max_size=4))
def test_linked_names_keep_their_links(names: list[str]) -> None:
    # a link on a dataset name is its URL, whatever the name looks like
    links = tuple(Link(name, f"https://example.org/{index}") for index, name in enumerate(names))
    text = ", ".join(names)
    line = CellLine(text=text, markdown=text, links=links)
    for statement in parse_training_data_cell([line], section_approach="scratch"):
        for mention in statement.datasets:
            if mention.label in names and not mention.curated:
                assert mention.url == f"https://example.org/{names.index(mention.label)}"


def test_items_that_name_nothing_are_no_datasets() -> None:
    # found by the first property: an item of symbols or a bare "etc." made slugify fail
    statements = parse_training_data_cell(["事前学習: Japanese Wikipedia, etc., 🦙, \x08, —"],
                                          section_approach="scratch")
    assert [[m.key for m in s.datasets] for s in statements] == [["japanese-wikipedia"]]
    assert parse_training_data_cell(["\x08"], section_approach="scratch")[0].datasets == ()
    # and an alternative with nothing after it
    statements = parse_training_data_cell(["Japanese Wikipedia や "], section_approach="scratch")
    assert [[m.key for m in s.datasets] for s in statements] == [["japanese-wikipedia"]]
