"""Domain cells → domain concepts (``jllm_kg.normalize.domains``), on cells of the seeds."""

from __future__ import annotations

from jllm_kg.normalize.domains import domain_concepts


def test_domain_cells_of_the_seeds() -> None:
    assert domain_concepts(["医療"]) == ["MedicalDomain"]  # 003 L167
    assert domain_concepts(["Médecine"]) == ["MedicalDomain"]  # 000 L189
    assert domain_concepts(["Finance"]) == ["FinanceDomain"]  # 000 L192
    assert domain_concepts(["Économie"]) == ["EconomicsDomain"]  # 000 L332
    # each concept once, in the cell's order
    assert domain_concepts(["金融", "Finance", "医療"]) == ["FinanceDomain", "MedicalDomain"]


def test_unknown_markers_and_unlisted_text_name_no_domain() -> None:
    assert domain_concepts(["-"]) == []
    assert domain_concepts(["不明"]) == []
    assert domain_concepts(["Astrologie"]) == []
    assert domain_concepts([]) == []
