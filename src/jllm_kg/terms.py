"""The closed vocabularies every stage shares: languages, source kinds, column meanings,
modalities, training approaches, training phases and scopes.

They are plain ``Literal`` types, so that the ingest records, the curated tables' schemas and
the mapper agree on the same spellings without one of them importing another's stage.
"""

from __future__ import annotations

from typing import Literal

Language = Literal["ja", "en", "fr"]
SourceKind = Literal["list", "paper"]

ColumnKey = Literal[
    "name",  # first column: family label + title link (+ checkpoint links)
    "year",  # release year
    "domain",
    "architecture",
    "base",  # base model(s) of a continual / post-trained model
    "merge_parents",  # original models of a merge (bold = Japanese model)
    "context",  # max context / input length
    "training_data",
    "developer",
    "license",
    "huggingface",  # "HuggingFace?" availability column (◯ / △ / ✕, may carry links)
    "platform",  # API-based models
    "description",  # benchmarks
    "paper_subject",  # reference tables: model / architecture / method
    "paper_date",
    "paper_venue",
    "paper_title",
    "other",  # a header the parser does not know (kept, never dropped)
]

ModelModality = Literal[
    "text-generation",
    "text-encoder",
    "text-embedding",
    "vision-language",
    "text-to-image",
    "text-to-video",
    "vision-other",  # CLIP-like models and other multimodal systems
    "speech",
    "music",
]
TrainingApproach = Literal["scratch", "continual", "post-training", "merge", "api", "unknown"]
Scope = Literal["general", "domain"]
# The phase of training a dataset was used in (a training-data cell, a curated table).
TrainingPhase = Literal[
    "pretraining",
    "continual-pretraining",
    "instruction-tuning",
    "preference-tuning",
    "distillation",
    "merge",
    "unspecified",
]
