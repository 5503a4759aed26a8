"""Every curated file has a schema and validates; a wrong key or type stops loading with the
file, the line, the entry and the key in the message."""

from __future__ import annotations

import re
import shutil
from pathlib import Path

import pytest

from jllm_kg.curated import (
    CuratedDataError,
    load_curated,
    load_table,
    read_curated_file,
    validate_curated_dir,
)
from jllm_kg.curated.schemas import SCHEMAS, LicensesFile
from jllm_kg.paths import curated_dir


def test_every_curated_file_has_a_schema_and_validates() -> None:
    files = {path.name for path in validate_curated_dir()}
    assert files == set(SCHEMAS)
    assert len(files) >= 16


def test_load_is_cached_and_typed() -> None:
    assert load_curated("licenses.yaml") is load_curated("licenses.yaml")
    table = load_table("licenses.yaml", LicensesFile)
    mit = next(entry for entry in table.licenses if entry.key == "mit")
    assert (mit.spdx_id, mit.allows_commercial_use) == ("MIT", True)
    with pytest.raises(TypeError, match="LicensesFile"):
        load_table("developers.yaml", LicensesFile)


def _edited_copy(tmp_path: Path, name: str, old: str, new: str) -> Path:
    """A copy of the real curated file *name* with the one occurrence of *old* replaced."""
    text = (curated_dir() / name).read_text(encoding="utf-8")
    assert text.count(old) == 1, f"{name}: the edit needs exactly one {old!r}"
    path = tmp_path / name
    path.write_text(text.replace(old, new), encoding="utf-8")
    return path


def _line_of(path: Path, fragment: str) -> int:
    """The line number of the first line containing *fragment* ("\\nkey:": starting with it)."""
    lines = path.read_text(encoding="utf-8").splitlines()
    return next(i for i, line in enumerate(lines, 1) if fragment in f"\n{line}")


def test_misspelt_key_names_file_line_entry_and_key(tmp_path: Path) -> None:
    path = _edited_copy(
        tmp_path,
        "licenses.yaml",
        "spdx_id: CC-BY-NC-4.0\n    allows_commercial_use: false",
        "spdx_id: CC-BY-NC-4.0\n    allows_comercial_use: false",
    )
    with pytest.raises(CuratedDataError) as caught:
        read_curated_file(path)
    line = _line_of(path, "allows_comercial_use")
    assert str(caught.value) == (
        f"{path} line {line}: licenses[6] (key 'cc-by-nc-4.0').allows_comercial_use: "
        "unknown key 'allows_comercial_use' (misspelt?)"
    )


def test_misspelt_aliases_key_is_an_error(tmp_path: Path) -> None:
    path = _edited_copy(
        tmp_path,
        "developers.yaml",
        'aliases: [りんな, "rinna Co., Ltd."]',
        'alias: [りんな, "rinna Co., Ltd."]',
    )
    with pytest.raises(CuratedDataError) as caught:
        read_curated_file(path)
    message = str(caught.value)
    assert message.startswith(f"{path} line {_line_of(path, 'key: rinna,')}: ")
    assert "developers[0] (key 'rinna').alias: unknown key 'alias'" in message


def test_wrong_type_names_the_value(tmp_path: Path) -> None:
    path = _edited_copy(tmp_path, "papers.yaml", "year: 2024", 'year: "2024"')
    with pytest.raises(CuratedDataError) as caught:
        read_curated_file(path)
    message = str(caught.value)
    line = _line_of(path, 'year: "2024"')
    assert f"{path} line {line}: " in message
    assert "papers[0] (title 'Release of Pre-Trained Models for the Japanese Language').year" in (
        message
    )
    assert "valid integer (got '2024')" in message


def test_commercial_use_must_be_a_boolean(tmp_path: Path) -> None:
    path = _edited_copy(
        tmp_path,
        "licenses.yaml",
        "spdx_id: CC-BY-NC-4.0\n    allows_commercial_use: false",
        "spdx_id: CC-BY-NC-4.0\n    allows_commercial_use: no way",
    )
    with pytest.raises(CuratedDataError, match=r"\(key 'cc-by-nc-4.0'\)\.allows_commercial_use"):
        read_curated_file(path)


@pytest.mark.parametrize(
    ("spdx_id", "reason"),
    [
        ("CC-BY-NC-4.0-JP", "is not an id of the SPDX License List"),
        ("cc-by-nc-4.0", "is written 'CC-BY-NC-4.0' on the SPDX License List"),
    ],
)
def test_spdx_ids_are_checked_against_the_spdx_list(
    tmp_path: Path, spdx_id: str, reason: str
) -> None:
    path = _edited_copy(
        tmp_path, "licenses.yaml", "spdx_id: CC-BY-NC-4.0\n", f"spdx_id: {spdx_id}\n"
    )
    with pytest.raises(CuratedDataError, match=re.escape(f"'{spdx_id}' {reason}")):
        read_curated_file(path)


def test_duplicate_key_is_an_error(tmp_path: Path) -> None:
    path = _edited_copy(tmp_path, "licenses.yaml", "- key: cc-by-nc-4.0\n", "- key: mit\n")
    line = _line_of(path, "\nlicenses:")
    with pytest.raises(
        CuratedDataError,
        match=rf"licenses\.yaml line {line}: licenses: licence key 'mit' repeated "
        r"\(entries 1 and 6\)",
    ):
        read_curated_file(path)


def test_bad_regular_expression_is_an_error(tmp_path: Path) -> None:
    path = _edited_copy(
        tmp_path,
        "selectors.yaml",
        "(?P<tok>[\\w.\\-]+)\\s*が名前に",
        "(?P<tok>[\\w.\\-]+\\s*が名前に",
    )
    with pytest.raises(CuratedDataError, match=r"negation_patterns\[0\]: not a valid regular"):
        read_curated_file(path)


def test_a_file_without_schema_cannot_be_loaded(tmp_path: Path) -> None:
    shutil.copy(curated_dir() / "hf_renames.yaml", tmp_path / "hf_renamings.yaml")
    with pytest.raises(CuratedDataError, match="no schema registered"):
        validate_curated_dir(tmp_path)
    with pytest.raises(CuratedDataError, match=r"hf_renamings\.yaml: no schema registered"):
        load_curated("hf_renamings.yaml")


def test_missing_and_malformed_files(tmp_path: Path) -> None:
    with pytest.raises(CuratedDataError, match=r"papers\.yaml: curated data file not found"):
        read_curated_file(tmp_path / "papers.yaml")
    (tmp_path / "papers.yaml").write_text("papers: [\n", encoding="utf-8")
    with pytest.raises(CuratedDataError, match=r"papers\.yaml: while parsing"):
        read_curated_file(tmp_path / "papers.yaml")


def test_catalogue_entries_need_an_english_label(tmp_path: Path) -> None:
    path = _edited_copy(
        tmp_path,
        "licenses.yaml",
        "labels: {en: Creative Commons Attribution-NonCommercial 4.0 International}",
        "labels: {ja: クリエイティブ・コモンズ 表示-非営利 4.0}",
    )
    with pytest.raises(
        CuratedDataError, match=r"licenses\[6\] \(key 'cc-by-nc-4.0'\)\.labels: needs an English"
    ):
        read_curated_file(path)


def test_a_paper_is_described_once(tmp_path: Path) -> None:
    text = (curated_dir() / "papers.yaml").read_text(encoding="utf-8")
    entry = text[text.index("  - title:"):]
    (tmp_path / "papers.yaml").write_text(text + entry, encoding="utf-8")
    with pytest.raises(CuratedDataError, match=r"papers: paper title\(s\) given twice"):
        read_curated_file(tmp_path / "papers.yaml")


def test_a_wrong_mapping_key_is_named(tmp_path: Path) -> None:
    path = _edited_copy(tmp_path, "checkpoint_markers.yaml", "  instruction:\n", "  Instruction:\n")
    line = _line_of(path, "  Instruction:")
    with pytest.raises(
        CuratedDataError,
        match=rf"checkpoint_markers\.yaml line {line}: stages\.Instruction \(the key\): String "
        r"should match pattern",
    ):
        read_curated_file(path)


@pytest.mark.parametrize(("old", "new", "message"), [
    ("narrows: [custom]", "narrows: [mit]",
     "licence 'research-only' narrows mit: not the key of a generic licence"),
    ("generic: true\n    narrows: [custom]", "narrows: [custom]",
     "licence 'research-only': only a generic licence narrows another"),
])
def test_a_licence_narrows_only_generic_kinds(tmp_path: Path, old: str, new: str,
                                              message: str) -> None:
    path = _edited_copy(tmp_path, "licenses.yaml", old, new)
    with pytest.raises(CuratedDataError, match=re.escape(message)) as caught:
        read_curated_file(path)
    assert "licenses.yaml" in str(caught.value)
