"""The vocabulary contract (docs/design.md#vocabulary) as Python names: namespaces and IRIs.

Every stage builds IRIs through this module, so that a renamed namespace is impossible to
introduce by accident.

>>> str(JLLM.Model)
'https://w3id.org/jllm-kg/ontology#Model'
>>> resource_iri("model", hf_slug("tokyotech-llm/Swallow-70b-hf"))
'https://w3id.org/jllm-kg/id/model/tokyotech-llm--Swallow-70b-hf'
>>> slugify("Llama 3 Swallow 70B Instruct")
'llama-3-swallow-70b-instruct'
>>> slugify("レトリバT5")
'レトリバt5'
"""

from __future__ import annotations

import re
import unicodedata
from typing import Final, Literal

from rdflib import Namespace
from rdflib.namespace import DCAT, DCTERMS, OWL, PROV, RDF, RDFS, SKOS, VOID, XSD

JLLM_NS: Final = "https://w3id.org/jllm-kg/ontology#"
ID_BASE: Final = "https://w3id.org/jllm-kg/id/"

JLLM: Final = Namespace(JLLM_NS)
SCHEMA: Final = Namespace("https://schema.org/")
FAIR4ML: Final = Namespace("https://w3id.org/fair4ml#")
MLS: Final = Namespace("http://www.w3.org/ns/mls#")
SPDX_LICENSES: Final = Namespace("http://spdx.org/licenses/")
SH: Final = Namespace("http://www.w3.org/ns/shacl#")

ResourceKind = Literal[
    "model",
    "family",
    "org",
    "person",
    "dataset",
    "benchmark",
    "license",
    "paper",
    "architecture",
    "eval",
    "source",
    "concept",
    "derivation",
]

RESOURCE_KINDS: Final[tuple[str, ...]] = ResourceKind.__args__  # type: ignore[attr-defined]

PREFIXES: Final[dict[str, str]] = {
    "jllm": JLLM_NS,
    "rdf": str(RDF),
    "rdfs": str(RDFS),
    "owl": str(OWL),
    "xsd": str(XSD),
    "skos": str(SKOS),
    "prov": str(PROV),
    "dcterms": str(DCTERMS),
    "dcat": str(DCAT),
    "void": str(VOID),
    "schema": str(SCHEMA),
    "fair4ml": str(FAIR4ML),
    "mls": str(MLS),
    "sh": str(SH),
}


def resource_iri(kind: str, slug: str) -> str:
    """The IRI of a resource: ``https://w3id.org/jllm-kg/id/{kind}/{slug}``."""
    if kind not in RESOURCE_KINDS:
        raise ValueError(f"unknown resource kind {kind!r}; expected one of {RESOURCE_KINDS}")
    if not slug or "/" in slug or any(c.isspace() for c in slug):
        raise ValueError(f"invalid slug {slug!r} for kind {kind!r}")
    return f"{ID_BASE}{kind}/{slug}"


def hf_slug(hf_id: str) -> str:
    """The slug of a Hugging Face repo id: ``org/name`` → ``org--name`` (case kept)."""
    org, sep, name = hf_id.partition("/")
    if not sep or not org or not name or "/" in name:
        raise ValueError(f"not a Hugging Face repo id: {hf_id!r}")
    return f"{org}--{name}"


_SLUG_DROP = re.compile(r"[^\w.\-]+", re.UNICODE)


def slugify(text: str) -> str:
    """A readable, IRI-safe slug: NFKC, lower case, runs of other characters become ``-``.

    Non-ASCII letters (kana, kanji, accents) are kept: IRIs allow them, and transliterating
    would invent names the sources never use.
    """
    folded = unicodedata.normalize("NFKC", text).strip().lower()
    slug = _SLUG_DROP.sub("-", folded.replace("_", "-")).strip("-.")
    slug = re.sub(r"-{2,}", "-", slug)
    if not slug:
        raise ValueError(f"cannot make a slug from {text!r}")
    return slug
