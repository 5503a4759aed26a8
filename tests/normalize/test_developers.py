import pytest

from jllm_kg.normalize.developers import (
    developer_catalogue,
    developer_for_hf_org,
    lookup_developer,
    parse_developer_cell,
)


def _keys(cell: str | list[str]) -> list[str]:
    return [ref.developer.key for ref in parse_developer_cell(cell)]


@pytest.mark.parametrize(
    ("written", "key"),
    [
        ("サイバーエージェント", "cyberagent"),
        ("CyberAgent", "cyberagent"),
        ("LINEヤフー", "ly-corporation"),
        ("LY Corp.", "ly-corporation"),
        ("LY Corporation", "ly-corporation"),
        ("東大 松尾研", "utokyo-matsuo-lab"),
        ("University of Tokyo Matsuo Lab", "utokyo-matsuo-lab"),
        ("Université de Tokyo Matsuo Lab", "utokyo-matsuo-lab"),
        ("Tohoku University NLP Group", "tohoku-nlp-group"),
        ("Université de Tohoku - Groupe TAL", "tohoku-nlp-group"),
        ("オルツ", "alt"),
        ("alt Inc.", "alt"),
        ("\u3000Axcxept", "axcxept"),  # 000 L423, leading U+3000
        ("近畿大学 (研究室不明)", "kindai-university"),  # 003 L288: keep the org
    ],
)
def test_aliases_across_languages(written: str, key: str) -> None:
    assert _keys(written) == [key]


def test_br_joined_name_is_one_developer() -> None:
    assert _keys(["東北大", "自然言語処理研究グループ"]) == ["tohoku-nlp-group"]
    assert _keys(["University of Tokyo", "Saruwatari & Takamichi Lab"]) == [
        "utokyo-saruwatari-takamichi-lab"
    ]


def test_ampersand_inside_a_known_name_is_not_a_separator() -> None:
    assert _keys("Turing, Weights & Biases") == ["turing", "weights-and-biases"]
    assert _keys("早大河原研 & ヤフー") == ["waseda-kawahara-lab", "yahoo-japan"]


def test_and_separates_only_known_names() -> None:
    """en L379 at 941b11f (JGLUE): "Waseda University Kawahara Lab and Yahoo" is two known
    developers; " and " inside a longer name (000 L55's "Research and Development Center for
    Large Language Models", "Nippon Telegraph and Telephone") or beside an unknown name
    separates nothing (data/curated/developers.yaml conjunctions)."""
    assert _keys("Waseda University Kawahara Lab and Yahoo") == ["waseda-kawahara-lab",
                                                               "yahoo-japan"]
    assert _keys("Research and Development Center for Large Language Models") == ["nii-llmc"]
    assert _keys("Nippon Telegraph and Telephone") == ["ntt"]
    [unknown] = parse_developer_cell("Kawahara Lab and Friends")
    assert (unknown.developer.key, unknown.text) == ("kawahara-lab-and-friends",
                                                     "Kawahara Lab and Friends")


def test_consortium() -> None:
    # 003 L81 (Fugaku-LLM)
    assert _keys(
        "東工大, 東北大, 富士通, 理研, 名大, サイバーエージェント, Kotoba Technologies"
    ) == [
        "tokyo-tech",
        "tohoku-university",
        "fujitsu",
        "riken",
        "nagoya-university",
        "cyberagent",
        "kotoba-technologies",
    ]


@pytest.mark.parametrize(
    "cell",
    ["個人 (山田育矢, 李凌寒)", "Individual (Ikuya Yamada, Ryokan Ri)"],
)
def test_individuals_are_persons(cell: str) -> None:
    refs = parse_developer_cell(cell)
    assert [r.developer.key for r in refs] == ["ikuya-yamada", "ryokan-ri"]
    assert all(r.developer.kind == "person" for r in refs)


def test_osone_and_industrial_dream_are_distinct() -> None:
    # 002 footnote 5: Industrial Dream is the company Osone represents, not a pen name.
    assert _keys("個人 (大曽根宏幸)") == ["hiroyuki-osone"]
    assert _keys("Individuel (Hiroyuki Osone)") == ["hiroyuki-osone"]
    assert _keys("Industrial Dream") == ["industrial-dream"]


def test_parent_in_parentheses() -> None:
    (ref,) = parse_developer_cell(["Megagon Labs", "(リクルート)"])
    assert ref.developer.key == "megagon-labs"
    assert ref.stated_parent is not None and ref.stated_parent.key == "recruit"
    assert ref.developer.parent == "recruit"
    (pfe,) = parse_developer_cell("Preferred Elements (Preferred Networks)")
    assert pfe.developer.parent == "preferred-networks"


def test_unknown_developer_is_kept_uncurated() -> None:
    refs = parse_developer_cell("Some New Lab, CyberAgent")
    assert [(r.developer.key, r.developer.curated) for r in refs] == [
        ("some-new-lab", False),
        ("cyberagent", True),
    ]
    assert refs[0].developer.label() == "Some New Lab"
    (person,) = parse_developer_cell("個人 (山田太郎)")
    assert person.developer.kind == "person" and not person.developer.curated


def test_unknown_marker_gives_nothing() -> None:
    assert parse_developer_cell("？") == []
    assert parse_developer_cell([""]) == []


def test_labels_and_hf_orgs() -> None:
    cyberagent = developer_catalogue()["cyberagent"]
    assert cyberagent.labels == {
        "ja": "サイバーエージェント",
        "en": "CyberAgent",
        "fr": "CyberAgent",
    }
    assert developer_for_hf_org("line-corporation").key == "line"
    assert developer_for_hf_org("TOKYOTECH-LLM").key == "swallow-project"
    assert lookup_developer("nobody at all") is None
