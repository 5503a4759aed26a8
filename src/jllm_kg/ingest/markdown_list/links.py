"""Links of the list: which ones are Hugging Face model repos.

The hosts and the site's own (non-model) pages are listed in ``data/curated/list_vocabulary.yaml``.
"""

from __future__ import annotations

import re
from typing import Final
from urllib.parse import urlsplit

from jllm_kg.ingest.decode import url_text
from jllm_kg.ingest.markdown_list.vocabulary import list_vocabulary

__all__ = ["hf_model_id", "is_hf_non_model"]

_REPO_NAME: Final = re.compile(r"[A-Za-z0-9][A-Za-z0-9._-]*")


def hf_model_id(url: str) -> str | None:
    """``org/name`` when ``url`` is a Hugging Face model repo, else None (case kept).

    >>> hf_model_id("https://huggingface.co/cl-tohoku/bert-base-japanese/tree/main?x=1#y")
    'cl-tohoku/bert-base-japanese'
    >>> hf_model_id("https://huggingface.co/datasets/llm-jp/aya-ja-evol-inst") is None
    True

    A path whose first two segments cannot be a repo id (Hugging Face allows letters, digits,
    ``-``, ``_`` and ``.``) is no model repo: a damaged link (``sbintuitio&ns/…``) must not
    become a model.

    >>> hf_model_id("https://huggingface.co/sbintuitio&ns/sarashina1-7b") is None
    True
    """
    vocabulary = list_vocabulary()
    try:
        parts = urlsplit(url_text(url).strip())
    except ValueError:
        return None
    if parts.scheme not in ("http", "https") or (parts.hostname or "") not in vocabulary.hf_hosts:
        return None
    segments = [segment for segment in parts.path.split("/") if segment]
    if len(segments) < 2 or segments[0] in vocabulary.hf_non_model_segments:
        return None
    if not all(_REPO_NAME.fullmatch(segment) for segment in segments[:2]):
        return None
    return f"{segments[0]}/{segments[1]}"


def is_hf_non_model(url: str) -> bool:
    """A link to Hugging Face that is no model repo (a dataset, a space, a collection …).

    >>> is_hf_non_model("https://huggingface.co/spaces/x/y"), is_hf_non_model("https://x.org/a/b")
    (True, False)
    """
    try:
        parts = urlsplit(url)
    except ValueError:
        return False
    return (parts.hostname or "") in list_vocabulary().hf_hosts and hf_model_id(url) is None
