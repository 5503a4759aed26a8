import pytest

from jllm_kg.normalize.licenses import (
    UnknownLicenseError,
    license_catalogue,
    parse_license_cell,
    resolve_license,
)


@pytest.mark.parametrize(
    ("written", "key", "spdx"),
    [
        ("Apache 2.0", "apache-2.0", "Apache-2.0"),
        ("CC BY-4.0", "cc-by-4.0", "CC-BY-4.0"),  # 003 L335
        ("CC BY\u2011NC\u2011SA 4.0", "cc-by-nc-sa-4.0", "CC-BY-NC-SA-4.0"),  # 000, U+2011
        ("CC BY\u2011SA 3.0", "cc-by-sa-3.0", "CC-BY-SA-3.0"),
        ("The CreativeML OpenRAIL M license", "creativeml-openrail-m", None),  # 002 L169
        ("CreativeML OpenRAIL M", "creativeml-openrail-m", None),  # 004
        ("LLAMA 2 Community", "llama-2-community", None),  # 004
        ("Tongyi Qianwen", "tongyi-qianwen", None),  # 004
        ("Tongyi Qianwen LICENSE", "tongyi-qianwen", None),
        ("PLaMo community license", "plamo-community", None),
        ("Licence en évaluation", "ntt-evaluation-license", None),
        ("Research license", "research-only", None),
    ],
)
def test_resolve_spellings(written: str, key: str, spdx: str | None) -> None:
    fact = resolve_license(written)
    assert fact is not None and fact.curated
    assert (fact.key, fact.spdx_id) == (key, spdx)


def test_unversioned_cc_by_nc_is_its_own_entry() -> None:
    # 000 L332 "CC BY-NC": no version is guessed, but NC is clear about commercial use.
    fact = resolve_license("CC BY-NC")
    assert fact is not None
    assert fact.key == "cc-by-nc" and fact.spdx_id is None and fact.allows_commercial_use is False


def test_commercial_use() -> None:
    assert resolve_license("MIT").allows_commercial_use is True
    assert resolve_license("CC BY-NC 4.0").allows_commercial_use is False
    assert resolve_license("Llama 2 Community License").allows_commercial_use is True
    assert resolve_license("Research only").allows_commercial_use is False
    assert resolve_license("独自のライセンス").allows_commercial_use is None


@pytest.mark.parametrize("marker", ["？", "不明", "Inconnue", "", "  "])
def test_unknown_markers_resolve_to_none(marker: str) -> None:
    assert resolve_license(marker) is None
    assert parse_license_cell([marker]) == []


def test_unknown_name_is_kept_as_uncurated_fact() -> None:
    fact = resolve_license("Foo Bar Model License")
    assert fact is not None and not fact.curated
    assert fact.key == "foo-bar-model-license"
    assert fact.allows_commercial_use is None
    with pytest.raises(UnknownLicenseError, match="Foo Bar Model License"):
        resolve_license("Foo Bar Model License", strict=True)


def test_catalogue_is_keyed() -> None:
    catalogue = license_catalogue()
    assert catalogue["mit"].labels["en"] == "MIT License"


def test_per_variant_lines() -> None:
    # 003 L85
    statements = parse_license_cell(["baseモデル: MIT", "instructモデル: CC BY-NC-SA 4.0"])
    assert [(s.license.key, s.selector.tokens) for s in statements] == [
        ("mit", ("base",)),
        ("cc-by-nc-sa-4.0", ("instruct",)),
    ]


def test_pre_and_post_trained() -> None:
    # 000 L52
    statements = parse_license_cell(
        [
            "Pre-trained model: LLM-jp-3 172B Terms of Use",
            "Post-trained model: llm-jp-3-172b-instruct3 Terms of Use",
        ]
    )
    assert [s.license.key for s in statements] == [
        "llm-jp-3-172b-terms-of-use",
        "llm-jp-3-172b-instruct3-terms-of-use",
    ]
    assert statements[0].selector.tokens == ("base",)
    assert statements[1].selector.tokens == ("derived",)


def test_dpo_only_and_as_for() -> None:
    ja = parse_license_cell(["Apache 2.0", "(dpo モデルのみ CC BY 4.0)"])  # 003 L88
    fr = parse_license_cell(["Apache 2.0", "(CC BY 4.0 as for DPO model)"])  # 000 L79
    for statements in (ja, fr):
        assert [s.license.key for s in statements] == ["apache-2.0", "cc-by-4.0"]
        assert statements[0].selector is None
        assert statements[1].selector.tokens == ("dpo",)


def test_also_applied_is_additive() -> None:
    statements = parse_license_cell(
        [
            "Llama 3.1 Community License",
            "(Gemma Terms of Use is also applied to the Instruct model)",
        ]
    )
    assert [(s.license.key, s.additive) for s in statements] == [
        ("llama-3.1-community", False),
        ("gemma-terms-of-use", True),
    ]


def test_ampersand_joined_licenses_all_apply() -> None:
    # 000 L400: five licences
    statements = parse_license_cell(
        ["Llama 3.1 Community License & Gemma Terms of Use & Qwen License & MIT & Apache 2.0"]
    )
    assert [s.license.key for s in statements] == [
        "llama-3.1-community",
        "gemma-terms-of-use",
        "qwen-license",
        "mit",
        "apache-2.0",
    ]
    assert all(s.selector is None for s in statements)


def test_uncertain_marker() -> None:
    (statement,) = parse_license_cell(["Apache 2.0 (?)"])
    assert statement.license.key == "apache-2.0" and statement.uncertain
    (certain,) = parse_license_cell(["Apache 2.0"])
    assert not certain.uncertain
