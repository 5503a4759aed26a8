"""Languages of the pages: which one the reader wants, and labels chosen accordingly.

>>> preferred_languages("fr-CH, fr;q=0.9, en;q=0.8, *;q=0.5")
['fr', 'en', 'ja']
>>> pick_label([("Swallow", "en"), ("スワロー", "ja")], ["ja", "en", "fr"])
'スワロー'
>>> pick_label([], ["en"], fallback="x")
'x'
"""

from __future__ import annotations

from collections.abc import Iterable

LANGUAGES = ("en", "ja", "fr")
"""The languages of the sources (and of the page chrome), default first."""


def preferred_languages(accept_language: str | None, override: str | None = None) -> list[str]:
    """``ja``/``en``/``fr`` ordered by the reader's ``Accept-Language`` (``?lang=`` wins)."""
    weighted: list[tuple[float, int, str]] = []
    for index, part in enumerate((accept_language or "").split(",")):
        pieces = [p.strip() for p in part.split(";")]
        tag = pieces[0].lower().split("-", 1)[0]
        q = 1.0
        for param in pieces[1:]:
            name, _, value = param.partition("=")
            if name.strip() == "q":
                try:
                    q = float(value)
                except ValueError:
                    q = 0.0
        if tag in LANGUAGES and q > 0:
            weighted.append((-q, index, tag))
    order: list[str] = []
    if override and override in LANGUAGES:
        order.append(override)
    for _, _, tag in sorted(weighted):
        if tag not in order:
            order.append(tag)
    for tag in LANGUAGES:
        if tag not in order:
            order.append(tag)
    return order


def pick_label(
    labels: Iterable[tuple[str, str]], languages: list[str], *, fallback: str = ""
) -> str:
    """The label in the first preferred language; else an untagged one; else any; else
    ``fallback``. Ties are broken by the shortest then alphabetical label, for stable pages."""
    by_lang: dict[str, list[str]] = {}
    for value, lang in labels:
        by_lang.setdefault(lang.lower().split("-", 1)[0], []).append(value)
    for lang in [*languages, ""]:
        if lang in by_lang:
            return sorted(by_lang[lang], key=lambda v: (len(v), v))[0]
    for values in by_lang.values():
        return sorted(values, key=lambda v: (len(v), v))[0]
    return fallback


UI_TEXT: dict[str, dict[str, str]] = {
    "home": {"en": "Home", "ja": "ホーム", "fr": "Accueil"},
    "query": {"en": "Query", "ja": "クエリ", "fr": "Requête"},
    "saved": {"en": "Saved queries", "ja": "保存済みクエリ", "fr": "Requêtes enregistrées"},
    "browse": {"en": "Browse", "ja": "一覧", "fr": "Parcourir"},
    "facts": {"en": "Facts", "ja": "事実", "fr": "Faits"},
    "sources": {"en": "Sources", "ja": "情報源", "fr": "Sources"},
    "lineage": {"en": "Lineage", "ja": "系譜", "fr": "Lignée"},
    "referenced_by": {"en": "Referenced by", "ja": "参照元", "fr": "Référencé par"},
    "run": {"en": "Run", "ja": "実行", "fr": "Exécuter"},
    "results": {"en": "Results", "ja": "結果", "fr": "Résultats"},
    "download": {"en": "Download", "ja": "ダウンロード", "fr": "Télécharger"},
    "search": {"en": "Search labels", "ja": "ラベル検索", "fr": "Rechercher"},
    "counts": {"en": "What the graph holds", "ja": "グラフの内容", "fr": "Contenu du graphe"},
    "rows": {"en": "rows", "ja": "行", "fr": "lignes"},
    "property": {"en": "Property", "ja": "プロパティ", "fr": "Propriété"},
    "value": {"en": "Value", "ja": "値", "fr": "Valeur"},
    "open_editor": {"en": "Open in editor", "ja": "エディタで開く", "fr": "Ouvrir dans l'éditeur"},
    "derivations": {"en": "Derivations", "ja": "派生", "fr": "Dérivations"},
    "derived_from": {"en": "from", "ja": "派生元", "fr": "depuis"},
    "derivation_type": {"en": "type", "ja": "種類", "fr": "type"},
    "evidence": {"en": "evidence", "ja": "根拠", "fr": "justification"},
    "co_parent_note": {
        "en": "Dashed boxes: other parents of a merged descendant.",
        "ja": "破線の枠：マージされた子孫の他の親モデル。",
        "fr": "Cadres en pointillés : autres parents d'un descendant fusionné.",
    },
    "no_lineage": {
        "en": "No recorded derivation.",
        "ja": "派生関係の記録はありません。",
        "fr": "Aucune dérivation enregistrée.",
    },
}


def ui(key: str, language: str) -> str:
    """A piece of page chrome in ``language`` (English when missing)."""
    texts = UI_TEXT.get(key, {})
    return texts.get(language) or texts.get("en") or key
