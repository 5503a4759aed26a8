"""Integrity of the curated files across entries and files (the schemas check each file on
its own), and their coverage of the seed documents."""

from __future__ import annotations

import html
import re
from collections.abc import Iterator

import pytest

from jllm_kg.curated import load_curated, load_table
from jllm_kg.curated.schemas import (
    CheckpointMarkersFile,
    DomainsFile,
    ForeignModelsFile,
    HfRenamesFile,
    ListHeadersFile,
    ListSectionsFile,
    TextFile,
    UnknownMarkersFile,
)
from jllm_kg.normalize.architectures import architecture_catalogue, parse_architecture_cell
from jllm_kg.normalize.base_models import (
    foreign_family_catalogue,
    foreign_model_catalogue,
    parse_base_cell,
    resolve_foreign_family,
    resolve_foreign_model,
)
from jllm_kg.normalize.benchmarks import benchmark_catalogue
from jllm_kg.normalize.developers import developer_catalogue, parse_developer_cell
from jllm_kg.normalize.licenses import is_valid_spdx_id, license_catalogue, parse_license_cell
from jllm_kg.normalize.text import loose_key, match_key
from jllm_kg.paths import default_seeds_dir, ontology_dir

FILES_WITH_ALIASES = {
    "licenses.yaml": "licenses",
    "developers.yaml": "developers",
    "architectures.yaml": "architectures",
    "benchmarks.yaml": "benchmarks",
}


def _names(entry: dict) -> list[str]:
    labels = entry.get("labels")
    names = list(labels.values()) if isinstance(labels, dict) else []
    if entry.get("label"):
        names.append(entry["label"])
    return [*names, *(entry.get("aliases") or [])]


@pytest.mark.parametrize(("name", "section"), sorted(FILES_WITH_ALIASES.items()))
def test_keys_unique_labels_present_aliases_unclaimed(name: str, section: str) -> None:
    entries = load_curated(name)[section]
    keys = [e["key"] for e in entries]
    assert len(keys) == len(set(keys)), f"{name}: duplicate keys"
    claimed: dict[str, str] = {}
    for entry in entries:
        assert re.fullmatch(r"[a-z0-9][a-z0-9.\-]*", entry["key"]), entry["key"]
        assert entry.get("labels") or entry.get("label"), f"{name}: {entry['key']} has no label"
        for alias in _names(entry):
            assert isinstance(alias, str) and alias.strip(), f"{name}: {entry['key']}: {alias!r}"
            for k in {match_key(alias), loose_key(alias)}:
                owner = claimed.setdefault(k, entry["key"])
                assert owner == entry["key"], (
                    f"{name}: {alias!r} claimed by {owner} and {entry['key']}"
                )


def test_catalogues_load() -> None:
    # Loading runs the loaders' own checks (duplicates, references).
    assert license_catalogue() and developer_catalogue() and architecture_catalogue()
    assert foreign_model_catalogue() and benchmark_catalogue()


def test_licenses_spdx_and_commercial_use() -> None:
    for fact in license_catalogue().values():
        if fact.spdx_id is not None:
            assert is_valid_spdx_id(fact.spdx_id), fact.spdx_id
        assert fact.allows_commercial_use in (True, False, None)
        assert "en" in fact.labels
    spdx = [f.spdx_id for f in license_catalogue().values() if f.spdx_id]
    assert len(spdx) == len(set(spdx))


def test_developers_references_and_hf_orgs() -> None:
    catalogue = developer_catalogue()
    orgs: dict[str, str] = {}
    for developer in catalogue.values():
        assert developer.kind in ("org", "person")
        assert set(developer.labels) <= {"ja", "en", "fr"}, developer.key
        assert re.fullmatch(r"[a-z0-9][a-z0-9\-]*", developer.key), developer.key
        for ref in (developer.parent, developer.successor):
            assert ref is None or ref in catalogue, (developer.key, ref)
        for org in developer.hf_orgs:
            assert orgs.setdefault(org.casefold(), developer.key) == developer.key, org


def test_foreign_models_refer_to_known_developers_and_architectures() -> None:
    developers = developer_catalogue()
    architectures = architecture_catalogue()
    for family in foreign_family_catalogue().values():
        assert family.developer in developers, family.key
        assert family.architecture is None or family.architecture in architectures, family.key
    hf_ids = set()
    for model in foreign_model_catalogue().values():
        assert model.developer in developers, model.key
        assert model.architecture is None or model.architecture in architectures, model.key
        if model.hf_id:
            assert re.fullmatch(r"[\w.\-]+/[\w.\-]+", model.hf_id), model.hf_id
            assert model.hf_id not in hf_ids
            hf_ids.add(model.hf_id)


def test_former_model_slugs_are_free_and_leave_a_new_iri() -> None:
    """A former slug redirects to its model only if nothing else is described under it: no
    model keeps it as its key, no two models claim it, and the model has a new IRI (an
    ``hf_id``) for it to lead to."""
    models = foreign_model_catalogue().values()
    keys_in_use = {model.key for model in models if not model.hf_id}
    claimed: set[str] = set()
    for model in models:
        for former in model.former_slugs:
            assert model.hf_id, f"{model.key}: former slug {former!r} but no new IRI"
            assert former not in keys_in_use and former not in claimed, former
            claimed.add(former)


def test_architecture_and_benchmark_developers_exist() -> None:
    developers = developer_catalogue()
    for arch in architecture_catalogue().values():
        assert arch.developer is None or arch.developer in developers, arch.key
    for bench in benchmark_catalogue().values():
        assert bench.developer is None or bench.developer in developers, bench.key


def test_benchmark_suites_and_foreign_families_exist() -> None:
    benchmarks = benchmark_catalogue()
    for bench in benchmarks.values():
        assert bench.part_of is None or bench.part_of in benchmarks, bench.key
    foreign = load_table("foreign_models.yaml", ForeignModelsFile)
    families = {family.key for family in foreign.families}
    for model in foreign.models:
        assert model.family is None or model.family in families, model.key
        assert model.family or model.developer, f"{model.key}: no family, no developer"


def _strings(value: object) -> Iterator[str]:
    if isinstance(value, str):
        yield value
    elif isinstance(value, dict):
        for item in value.values():
            yield from _strings(item)
    elif isinstance(value, list):
        for item in value:
            yield from _strings(item)


def _catalogue_names() -> dict[str, set[str]]:
    """match_key of every label and alias, per catalogue file."""
    names: dict[str, set[str]] = {}
    for name, section in [*FILES_WITH_ALIASES.items(), ("datasets.yaml", "datasets")]:
        names[name] = {match_key(n) for e in load_curated(name)[section] for n in _names(e)}
    foreign = load_curated("foreign_models.yaml")
    names["foreign_models.yaml"] = {
        match_key(n) for e in [*foreign["families"], *foreign["models"]] for n in _names(e)
    }
    names["domains.yaml"] = {match_key(n) for n in _strings(load_curated("domains.yaml"))}
    return names


def test_unknown_markers_are_nobodys_name() -> None:
    """A cell is tested for an unknown marker before any lookup: a marker that is also a name
    would make that name unreachable (and one marker per match key)."""
    markers = [match_key(m) for m in load_table("unknown_markers.yaml", UnknownMarkersFile).markers]
    assert len(markers) == len(set(markers)), "unknown_markers.yaml: a marker written twice"
    for name, names in _catalogue_names().items():
        assert not names & set(markers), f"{name}: {sorted(names & set(markers))}"


def _ontology_concepts() -> set[str]:
    from rdflib import Graph
    from rdflib.namespace import RDF, SKOS

    graph = Graph().parse(ontology_dir() / "jllm.ttl")
    prefix = "https://w3id.org/jllm-kg/ontology#"
    return {str(c).removeprefix(prefix) for c in graph.subjects(RDF.type, SKOS.Concept)}


def test_concepts_named_in_curated_files_exist_in_the_ontology() -> None:
    concepts = _ontology_concepts()
    domains = load_table("domains.yaml", DomainsFile).root
    assert set(domains) <= concepts, sorted(set(domains) - concepts)
    stages = load_table("checkpoint_markers.yaml", CheckpointMarkersFile).stages
    derivations = {stage.derivation for stage in stages.values()}
    assert derivations <= concepts, sorted(derivations - concepts)


def test_domain_spellings_name_one_concept() -> None:
    owner: dict[str, str] = {}
    for concept, spellings in load_table("domains.yaml", DomainsFile).root.items():
        for spelling in spellings:
            assert owner.setdefault(match_key(spelling), concept) == concept, spelling


def test_checkpoint_marker_tokens_and_orders_are_unique() -> None:
    stages = load_table("checkpoint_markers.yaml", CheckpointMarkersFile).stages
    orders = [stage.order for stage in stages.values()]
    assert len(orders) == len(set(orders))
    tokens = [token for stage in stages.values() for token in stage.tokens]
    assert len(tokens) == len(set(tokens)), sorted(t for t in tokens if tokens.count(t) > 1)
    assert all(token == token.lower() for token in tokens)


def test_list_header_spellings_name_one_column_per_table_kind() -> None:
    headers = load_table("list_headers.yaml", ListHeadersFile)
    for kind in ("model", "benchmark", "reference"):
        owner: dict[str, str] = {}
        for column, spellings in [*headers.common.items(), *getattr(headers, kind).items()]:
            for spelling in spellings:
                key = match_key(spelling)
                assert owner.setdefault(key, column) == column, (kind, spelling)


def test_subsection_headings_name_one_subsection() -> None:
    owner: dict[str, str] = {}
    for subsection in load_table("list_sections.yaml", ListSectionsFile).subsections:
        for text in subsection.texts:
            assert owner.setdefault(match_key(text), subsection.key) == subsection.key, text


def test_renamed_hf_orgs_belong_to_one_developer() -> None:
    """A renamed organisation and its new name are the same owner."""
    renames = load_table("hf_renames.yaml", HfRenamesFile).org_renames
    owners = {org.casefold(): d.key for d in developer_catalogue().values() for org in d.hf_orgs}
    for old, new in renames.items():
        assert owners.get(old.casefold()) == owners.get(new.casefold()), (old, new)


def test_each_character_folds_to_one_target() -> None:
    folds = load_table("text.yaml", TextFile).folds
    chars = [char for chars in folds.values() for char in chars]
    assert len(chars) == len(set(chars))
    assert not set(chars) & set(folds), "a folded character is itself a target"


def test_brackets_pair_up() -> None:
    table = load_table("text.yaml", TextFile)
    assert len(table.opening_brackets) == len(table.closing_brackets)
    assert not set(table.opening_brackets) & set(table.closing_brackets)


# --- coverage of the seed documents --------------------------------------------------------

SEEDS = default_seeds_dir()
needs_seeds = pytest.mark.skipif(not SEEDS.is_dir(), reason=f"seed documents not found at {SEEDS}")

HEADERS = {
    "license": {
        "ライセンス",
        "license",
        "licence",
        "licence / conditions d'utilisation",
        "license / terms of use",
    },
    "developer": {"開発元", "developer", "développeur"},
    "architecture": {"アーキテクチャ", "architecture"},
    "base": {"ベースのllm", "base model", "base du model"},
    "merge": {
        "マージ元のllm（太字は日本語llm）",
        "modèles originaux (llms japonais en gras)",
    },
}


def _seed_text(prefix: str) -> str:
    path = next(SEEDS.glob(f"{prefix}_*.txt"))
    text = path.read_bytes().decode("utf-8")
    if prefix == "000":  # H1: UTF-8 read as Mac Roman
        text = text.encode("mac_roman").decode("utf-8")
    return text


def _plain(markdown: str) -> str:
    text = html.unescape(markdown)
    text = re.sub(r'<a id="[^"]*"></a>', "", text)
    text = re.sub(r"\[\^\w+\]", "", text)
    text = re.sub(r"\[([^\]]*)\]\([^)]*\)", r"\1", text)
    return re.sub(r"\s+", " ", text.replace("**", "").replace("\\*", "*")).strip()


def _cells(prefix: str, column: str) -> Iterator[tuple[int, list[str], list[str]]]:
    """(line, plain <br> lines, bold spans) of every cell of *column* in one seed (a minimal
    GFM table reader, enough for coverage; the real parser lives in ingest)."""
    header: list[str] | None = None
    for number, line in enumerate(_seed_text(prefix).split("\n"), 1):
        if "|" not in line or line.lstrip().startswith("<!--"):
            header = None
            continue
        cells = [c.strip() for c in line.strip().strip("|").split("|")]
        if header is None:
            header = [_plain(c).lower() for c in cells]
            continue
        if all(re.fullmatch(r":?-+:?", c) for c in cells if c):
            continue
        for name, cell in zip(header, cells, strict=False):
            if name in HEADERS[column]:
                lines = [_plain(part) for part in re.split(r"\s*<br>\s*", cell)]
                yield number, lines, re.findall(r"\*\*(.+?)\*\*", html.unescape(cell))


def _paper_licenses() -> Iterator[tuple[int, str]]:
    for number, line in enumerate(_seed_text("004").split("\n"), 1):
        cells = line.split("\t")
        if line.startswith("<i>rinna/") and len(cells) in (3, 4):
            yield number, cells[-2]


@needs_seeds
@pytest.mark.seeds
def test_every_seed_license_resolves() -> None:
    uncurated = []
    count = 0
    for prefix in ("000", "002", "003"):
        for number, lines, _ in _cells(prefix, "license"):
            for statement in parse_license_cell(lines):
                count += 1
                if not statement.license.curated:
                    uncurated.append((prefix, number, statement.text))
    for number, text in _paper_licenses():
        for statement in parse_license_cell([text]):
            count += 1
            if not statement.license.curated:
                uncurated.append(("004", number, text))
    assert count > 500
    assert uncurated == []


@needs_seeds
@pytest.mark.seeds
def test_every_seed_developer_is_curated() -> None:
    uncurated = []
    for prefix in ("000", "002", "003"):
        for number, lines, _ in _cells(prefix, "developer"):
            for ref in parse_developer_cell(lines):
                if not ref.developer.curated:
                    uncurated.append((prefix, number, ref.text))
    assert uncurated == [], f"{len(uncurated)} developer strings not curated"


@needs_seeds
@pytest.mark.seeds
def test_seed_architectures_are_curated_except_composites() -> None:
    uncurated = []
    for prefix in ("000", "002", "003"):
        for number, lines, _ in _cells(prefix, "architecture"):
            for ref in parse_architecture_cell(lines):
                if not ref.architecture.curated and not ref.components:
                    uncurated.append((prefix, number, ref.text))
    assert uncurated == []


@needs_seeds
@pytest.mark.seeds
def test_every_seed_base_model_is_foreign_or_a_japanese_parent() -> None:
    """Base-column labels are foreign (they name the root); unresolved ones must be bold merge
    parents or models the mapper resolves against list rows."""
    unresolved = []
    for prefix in ("000", "002", "003"):
        for number, lines, bold in _cells(prefix, "base"):
            for ref in parse_base_cell(lines, bold):
                model = resolve_foreign_model(ref.label, ref.size)
                if model is None and resolve_foreign_family(ref.label) is None:
                    unresolved.append((prefix, number, ref.label))
    assert unresolved == []
    japanese = set()
    for prefix in ("000", "003"):
        for _, lines, bold in _cells(prefix, "merge"):
            for ref in parse_base_cell(lines, bold):
                if resolve_foreign_model(ref.label, ref.size) is None:
                    japanese.add(ref.label)
    assert japanese == {
        "Llama 3 Swallow 8B (Instruct)",
        "Llama 3 ELYZA JP 8B",
        "Shisa Gamma 7B (v1)",
        "Llama-3-ELYZA-JP-8B",
        "Llama-3-EvoVLM-JP-v2",
    }
