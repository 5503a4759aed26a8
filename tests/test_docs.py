"""docs/design.md, the project's own design document, and every reference that points into it.

Code comments and tests cite the hard cases of the list format as ``H11`` or
``docs/design.md#h11``. These tests check four things:

- every such reference has its anchor in the document;
- the document's own links resolve;
- its quoted examples really are on the source lines it names;
- nothing points at a design document outside the repository, which a clone does not have.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path

import pytest

from jllm_kg.ingest.decode import decode_source

ROOT = Path(__file__).resolve().parent.parent
DESIGN = ROOT / "docs" / "design.md"
DESIGN_LINK = "docs/design.md"
HARD_CASES = range(1, 18)  # H1–H17

# Files whose references into the design are checked: code, tests, the README, the docs.
_SCANNED_SUFFIXES = frozenset({".py", ".md", ".html", ".rq", ".ttl", ".yaml", ".txt"})
# The original design lived outside the repository; spelled in two parts so that this file
# does not match its own check.
_OUTSIDE_DESIGN = "DESIGN" + ".md"

_EXPLICIT_ANCHOR = re.compile(r'<a id="([^"]+)"></a>')
_HEADING = re.compile(r"^#{1,6}\s+(.+?)\s*$", re.MULTILINE)
_DESIGN_REF = re.compile(re.escape(DESIGN_LINK) + r"#([\w\-]+)")
_HARD_CASE_LABEL = re.compile(r"\bH(\d{1,2})\b")
_INTERNAL_LINK = re.compile(r"\]\(#([^)\s]+)\)")
# A quoted example: "> 003 L84 (context): `base: 4,096<br>…`" — seed prefix, line, snippets.
_QUOTE = re.compile(r"^> (\d{3}) L(\d+)\b[^:]*:(.*)$", re.MULTILINE)
_CODE_SPAN = re.compile(r"`([^`]+)`")
_SPACES = re.compile(r"\s+")


def design_text() -> str:
    return DESIGN.read_text(encoding="utf-8")


def github_slug(heading: str) -> str:
    """The anchor GitHub gives a heading: lower case, punctuation dropped, spaces → ``-``.

    >>> github_slug("H11 — Lineage where the parent is a Japanese model")
    'h11--lineage-where-the-parent-is-a-japanese-model'
    """
    return re.sub(r"[^\w\- ]", "", heading.strip().lower()).replace(" ", "-")


def anchors(text: str) -> set[str]:
    """Explicit ``<a id>`` anchors and the headings' generated ones."""
    return set(_EXPLICIT_ANCHOR.findall(text)) | {
        github_slug(heading) for heading in _HEADING.findall(text)
    }


def scanned_files() -> Iterator[Path]:
    yield ROOT / "README.md"
    for folder in ("src", "tests", "docs"):
        for path in sorted((ROOT / folder).rglob("*")):
            if (path.is_file() and path.suffix in _SCANNED_SUFFIXES
                    and "__pycache__" not in path.parts):
                yield path


def occurrences(pattern: re.Pattern[str]) -> Iterator[tuple[str, int, re.Match[str]]]:
    """``(relative path, line number, match)`` of ``pattern`` in every scanned file."""
    for path in scanned_files():
        text = path.read_text(encoding="utf-8", errors="replace")
        for number, line in enumerate(text.splitlines(), start=1):
            for match in pattern.finditer(line):
                yield str(path.relative_to(ROOT)), number, match


def hard_case_sections(text: str) -> dict[int, str]:
    """The text of each section ``<a id="hN"></a> ### HN — …``, up to the next anchor."""
    sections: dict[int, str] = {}
    parts = re.split(r'(?=^<a id="[^"]+"></a>$)', text, flags=re.MULTILINE)
    for part in parts:
        match = re.match(r'<a id="h(\d+)"></a>\n', part)
        if match:
            sections[int(match.group(1))] = part
    return sections


# ------------------------------------------------------------------------------ the document


def test_every_hard_case_has_an_explicit_anchor_before_its_heading() -> None:
    text = design_text()
    for number in HARD_CASES:
        assert re.search(rf'^<a id="h{number}"></a>\n### H{number} — \S', text, re.MULTILINE), (
            f"{DESIGN_LINK}: H{number} needs '<a id=\"h{number}\"></a>' directly above "
            f"'### H{number} — …'"
        )
    assert set(hard_case_sections(text)) == set(HARD_CASES)


def test_every_hard_case_quotes_a_source_line_and_says_how_it_is_handled() -> None:
    for number, section in hard_case_sections(design_text()).items():
        assert _QUOTE.search(section), f"H{number}: no quoted example '> NNN LNN: `…`'"
        assert "**Handling.**" in section, f"H{number}: no '**Handling.**' paragraph"


def test_links_inside_the_document_resolve() -> None:
    text = design_text()
    known = anchors(text)
    broken = sorted(set(_INTERNAL_LINK.findall(text)) - known)
    assert not broken, f"{DESIGN_LINK}: links to missing anchors: {broken}"


def test_the_document_stands_on_its_own() -> None:
    """No link out of the repository into the shared folder the original design lived in."""
    offending = [f"{path.relative_to(ROOT)}:{number}"
                 for path in sorted((ROOT / "docs").rglob("*.md"))
                 for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1)
                 if "../shared" in line]
    assert not offending, f"docs/ must not point into ../shared: {offending}"


# ------------------------------------------------------------------- references into it


def test_every_design_anchor_referenced_from_code_tests_and_readme_exists() -> None:
    known = anchors(design_text())
    missing = [f"{path}:{number}: {DESIGN_LINK}#{match.group(1)}"
               for path, number, match in occurrences(_DESIGN_REF)
               if match.group(1) not in known]
    assert not missing, "references to anchors that docs/design.md lacks:\n" + "\n".join(missing)


def test_every_hard_case_label_cited_has_its_section() -> None:
    known = anchors(design_text())
    missing = [f"{path}:{number}: H{match.group(1)}"
               for path, number, match in occurrences(_HARD_CASE_LABEL)
               if not path.startswith("docs") and f"h{int(match.group(1))}" not in known]
    assert not missing, "hard-case labels without a section in docs/design.md:\n" + "\n".join(
        missing)


def test_nothing_points_at_the_design_outside_the_repository() -> None:
    offending = [f"{path}:{number}: {match.string.strip()}"
                 for path, number, match in occurrences(re.compile(re.escape(_OUTSIDE_DESIGN)))]
    assert not offending, (
        f"these lines cite {_OUTSIDE_DESIGN}, which a clone does not have; point them at "
        f"{DESIGN_LINK} (and its #hN anchors) instead:\n" + "\n".join(offending)
    )


# --------------------------------------------------------------- quotes against the sources


def _fold(text: str) -> str:
    return _SPACES.sub(" ", text).strip()


@pytest.mark.seeds
def test_quoted_examples_are_on_the_source_lines_they_name(seeds_dir: Path) -> None:
    """Every code span of a quote "> NNN LNN: `…`" occurs on that line of that source: as the
    file's bytes read it (the mojibake of H1) or as the importer decodes it (repaired,
    entities unescaped). "…" marks a cut; each piece must be there."""
    lines: dict[str, tuple[list[str], list[str]]] = {}
    for path in seeds_dir.glob("[0-9][0-9][0-9]_*.txt"):
        data = path.read_bytes()
        raw = data.decode("utf-8").splitlines()
        decoded = decode_source(data, path=str(path)).text.splitlines()
        lines[path.name[:3]] = (raw, decoded)
    checked = 0
    wrong: list[str] = []
    for quote in _QUOTE.finditer(design_text()):
        prefix, number, rest = quote.group(1), int(quote.group(2)), quote.group(3)
        assert prefix in lines, f"{DESIGN_LINK} quotes a source {prefix} that is not a seed"
        raw, decoded = lines[prefix]
        candidates = [_fold(raw[number - 1]), _fold(decoded[number - 1])]
        for span in _CODE_SPAN.findall(rest):
            for piece in (_fold(part) for part in span.split("…")):
                checked += 1
                if piece and not any(piece in candidate for candidate in candidates):
                    wrong.append(f"{prefix} L{number}: {piece!r}")
    assert checked >= len(HARD_CASES)
    assert not wrong, "quoted text not found on the named line:\n" + "\n".join(wrong)
