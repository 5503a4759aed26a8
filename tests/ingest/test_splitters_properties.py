"""Property-based tests of the list reader's splitters: table rows → cells, cells → ``<br>``
lines, subject lists → items, links → Hugging Face ids (hypothesis).

Rows and cells are generated from the constructs the list really writes (links whose label or
URL holds a ``|``, escaped pipes ``\\|``, code spans with ``|``, empty cells, ``<br>`` in its
spellings, CJK, full-width and invisible characters) and the splitters must give back the
pieces they were built from.
"""

from __future__ import annotations

import re

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from jllm_kg.ingest.markdown_list import hf_model_id, parse_cell, split_row
from jllm_kg.ingest.markdown_list.inline import split_br
from jllm_kg.ingest.markdown_list.rows import split_outside_parens
from jllm_kg.ingest.markdown_list.vocabulary import list_vocabulary

PROPERTIES = settings(
    max_examples=100, deadline=None, database=None, suppress_health_check=[HealthCheck.too_slow]
)

# Plain cell text: any printable character but the ones with a meaning to the splitters, plus the
# odd characters the list contains (full-width ｜, NBSP, ideographic space, zero-width space,
# U+2011, combining marks, emoji).
_ODD = "｜\u00a0\u3000\u200b\u2011\u0301日本語ＬＬＭ🤗"
_PLAIN = st.text(
    alphabet=st.one_of(
        st.characters(
            blacklist_categories=("Cs", "Cc"),
            blacklist_characters="|\\`[]()（）<>",
        ),
        st.sampled_from(_ODD),
    ),
    max_size=12,
)
# Pieces of a cell whose "|" must not split it.
_PIPE_PROOF = st.one_of(
    _PLAIN,
    st.just("\\|"),
    _PLAIN.map(lambda text: f"`{text}|{text}`"),
)


@st.composite
def cells(draw: st.DrawFn) -> str:
    """One cell's markdown, as a row writes it (no leading / trailing whitespace)."""
    return "".join(draw(st.lists(_PIPE_PROOF, max_size=4))).strip()


_ROWS = st.lists(cells(), min_size=1, max_size=8)


@PROPERTIES
@given(st.text(max_size=80))
def test_split_row_never_fails_and_strips_every_cell(line: str) -> None:
    result = split_row(line)
    assert result, "a line always has at least one cell"
    assert all(cell == cell.strip() for cell in result)


@PROPERTIES
@given(_ROWS)
def test_split_row_gives_back_the_cells_of_a_piped_row(row: list[str]) -> None:
    assert split_row("| " + " | ".join(row) + " |") == row


@PROPERTIES
@given(_ROWS, st.sampled_from(["|", " | ", "\t|\t", "|  "]))
def test_split_row_reads_a_row_without_outer_pipes_alike(row: list[str], separator: str) -> None:
    # Rows without a leading or trailing "|" occur (H15); the outer cells must then be non-empty,
    # else the row would be ambiguous.
    row = [cell or "x" for cell in row]
    assert split_row(separator.join(row)) == row
    assert split_row("|" + separator.join(row)) == row


@PROPERTIES
@given(st.integers(min_value=1, max_value=12))
def test_empty_cells_are_counted(count: int) -> None:
    assert split_row("|" + "|" * count) == [""] * count
    assert split_row("|" + " |" * count) == [""] * count


@PROPERTIES
@given(_PLAIN, _PLAIN)
def test_escaped_pipe_and_code_span_stay_in_their_cell(left: str, right: str) -> None:
    escaped = f"{left}\\|{right}".strip()
    code = f"`{left}|{right}`"
    assert split_row(f"| {escaped} | {code} |") == [escaped, code]


# ------------------------------------------------------------------------------ <br> lines


_BR_TAG = re.compile(r"<br\s*/?>", re.IGNORECASE)
_BR = st.sampled_from(["<br>", "<br/>", "<br />", "<BR>", "<Br  />"])
# A line of a cell: text and links, whose label may itself hold a <br> (one label).
_LINE_PIECE = st.one_of(
    _PLAIN,
    st.builds(lambda a, br, b: f"[{a}{br}{b}](https://huggingface.co/o/{a}x)", _PLAIN, _BR, _PLAIN),
)
_LINES = st.lists(st.lists(_LINE_PIECE, max_size=3).map("".join), min_size=1, max_size=5)


@PROPERTIES
@given(st.text(max_size=80))
def test_split_br_never_fails_and_removes_only_br_tags(markdown: str) -> None:
    parts = split_br(markdown)
    position = 0
    for part in parts[:-1]:
        assert markdown.startswith(part, position)
        position += len(part)
        tag = _BR_TAG.match(markdown, position)
        assert tag is not None, f"cut at {position} without a <br>"
        position = tag.end()
    assert markdown[position:] == parts[-1]


@PROPERTIES
@given(_LINES, st.data())
def test_split_br_splits_at_top_level_br_only(lines: list[str], data: st.DataObject) -> None:
    separators = [data.draw(_BR) for _ in lines[1:]]
    pairs = zip(separators, lines[1:], strict=True)
    markdown = lines[0] + "".join(separator + line for separator, line in pairs)
    assert split_br(markdown) == lines


@PROPERTIES
@given(_LINES)
def test_parse_cell_has_one_line_per_br_line(lines: list[str]) -> None:
    cell = parse_cell("header", "<br>".join(lines))
    assert len(cell.lines) == len(lines)
    assert all("<br" not in line.text.casefold() for line in cell.lines)


@PROPERTIES
@given(st.text(max_size=60))
def test_parse_cell_never_fails_on_any_text(markdown: str) -> None:
    cell = parse_cell("h", markdown)
    assert len(cell.lines) == len(split_br(markdown))
    assert all(line.text == line.text.strip() for line in cell.lines)


# ------------------------------------------------------------------------------ subject lists


# Items of a subject list: no separator, no parenthesis, spaces only as " " (what counts as a
# space inside an item is collapse()'s business, tested elsewhere).
_ITEM = st.text(
    alphabet=st.one_of(
        st.characters(
            blacklist_categories=("Cs", "Cc", "Zs", "Zl", "Zp"),
            blacklist_characters=",、()（）",
        ),
        st.just(" "),
    ),
    max_size=10,
)


@PROPERTIES
@given(st.lists(_ITEM, max_size=6), st.sampled_from([", ", ",", "、", " 、 "]))
def test_split_outside_parens_gives_back_the_items(items: list[str], separator: str) -> None:
    expected = [" ".join(item.split()) for item in items]
    assert split_outside_parens(separator.join(items), {",", "、"}) == [e for e in expected if e]


@PROPERTIES
@given(_ITEM.filter(str.strip), st.lists(_ITEM.filter(str.strip), min_size=2, max_size=4))
def test_a_separator_inside_parentheses_does_not_split(head: str, inner: list[str]) -> None:
    for opening, closing in (("(", ")"), ("（", "）")):
        text = f"{head} {opening}{', '.join(inner)}{closing}、last"
        result = split_outside_parens(text, {",", "、"})
        assert len(result) == 2
        assert result[1] == "last"


# ------------------------------------------------------------------------------ Hugging Face ids


_REPO_PART = st.from_regex(r"[A-Za-z0-9][A-Za-z0-9._\-]{0,20}", fullmatch=True)


@PROPERTIES
@given(st.text(max_size=60))
def test_hf_model_id_never_fails(url: str) -> None:
    found = hf_model_id(url)
    assert found is None or found.count("/") == 1


@PROPERTIES
@given(
    st.sampled_from(["https://huggingface.co", "http://www.huggingface.co", "https://hf.co"]),
    _REPO_PART.filter(lambda org: org not in list_vocabulary().hf_non_model_segments),
    _REPO_PART,
    st.sampled_from(["", "/", "/tree/main", "/blob/main/README.md?x=1", "#model-card"]),
)
def test_hf_model_id_of_a_repo_url_is_org_and_name(
    site: str, org: str, name: str, rest: str
) -> None:
    assert hf_model_id(f"{site}/{org}/{name}{rest}") == f"{org}/{name}"
    assert hf_model_id(f"{site}/datasets/{org}/{name}{rest}") is None


def test_a_br_in_an_image_alt_text_is_a_space() -> None:
    # found by the property above: "![a<br>b](url)" kept "<br>" in the line's text
    cell = parse_cell("header", "![a<br>b](https://example.org/i.png)<br>next")
    assert [line.text for line in cell.lines] == ["a b", "next"]
