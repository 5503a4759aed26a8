"""Languages of the pages: which one the reader wants, and labels chosen accordingly.

>>> preferred_languages("fr-CH, fr;q=0.9, en;q=0.8, *;q=0.5")
['fr', 'en', 'ja']
>>> preferred_languages("ja;q=0.1, en-GB", override="fr")
['fr', 'en', 'ja']
>>> pick_label([("Swallow", "en"), ("スワロー", "ja")], ["ja", "en", "fr"])
'スワロー'
>>> pick_label([], ["en"], fallback="x")
'x'
"""

from __future__ import annotations

from collections.abc import Iterable

from werkzeug.datastructures import LanguageAccept
from werkzeug.http import parse_accept_header

LANGUAGES = ("en", "ja", "fr")
"""The languages of the sources (and of the page chrome), default first."""


def preferred_languages(accept_language: str | None, override: str | None = None) -> list[str]:
    """``ja``/``en``/``fr`` ordered by the reader's ``Accept-Language`` (``?lang=`` wins).

    The header is parsed by werkzeug's :class:`~werkzeug.datastructures.LanguageAccept`; a
    regional tag counts for its language (``fr-CH`` is French), ``*`` for any language, and
    languages the reader does not rank keep the default order after the ranked ones.
    """
    parsed = parse_accept_header(accept_language, LanguageAccept)
    # ranked by primary subtag, so that ``fr-CH`` (q=1) is not beaten by ``en;q=0.9``
    ranges = LanguageAccept([(tag.split("-", 1)[0].split("_", 1)[0], q) for tag, q in parsed])
    order: list[str] = []
    if override and override in LANGUAGES:
        order.append(override)
    remaining = [tag for tag in LANGUAGES if tag not in order]
    while remaining:
        best = ranges.best_match(remaining)
        if best is None:
            break
        order.append(best)
        remaining.remove(best)
    return order + remaining


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
    "ontology": {"en": "Ontology", "ja": "オントロジー", "fr": "Ontologie"},
    # before a list of values; French typography puts a space before the colon
    "colon": {"en": ": ", "ja": "：", "fr": " : "},
    "contents": {"en": "Contents", "ja": "目次", "fr": "Sommaire"},
    "classes": {"en": "Classes and their properties", "ja": "クラスとそのプロパティ",
                "fr": "Classes et leurs propriétés"},
    "derivation_tree": {"en": "Lineage properties (sub-properties of prov:wasDerivedFrom)",
                        "ja": "系譜のプロパティ（prov:wasDerivedFrom の下位プロパティ）",
                        "fr": "Propriétés de lignée (sous-propriétés de prov:wasDerivedFrom)"},
    "derivation_tree_note": {
        "en": "Every edge is written twice: with the specific property and with "
              "prov:wasDerivedFrom; its prov:qualifiedDerivation node says the derivation "
              "type (shown after each property), the evidence and where it was read.",
        "ja": "各辺は個別のプロパティと prov:wasDerivedFrom の両方で書かれる。"
              "prov:qualifiedDerivation のノードが派生の種類（各プロパティの後に表示）、"
              "根拠、読み取った位置を示す。",
        "fr": "Chaque arête est écrite deux fois : avec la propriété spécifique et avec "
              "prov:wasDerivedFrom ; son nœud prov:qualifiedDerivation donne le type de "
              "dérivation (affiché après chaque propriété), la preuve et l'endroit où elle a "
              "été lue.",
    },
    "training_data_tree": {"en": "Training data by phase", "ja": "学習段階ごとの学習データ",
                           "fr": "Données d'entraînement par phase"},
    "all_properties": {"en": "All properties", "ja": "すべてのプロパティ",
                       "fr": "Toutes les propriétés"},
    "reused_terms": {"en": "Reused terms", "ja": "再利用している語彙",
                     "fr": "Termes réutilisés"},
    "reused_note": {
        "en": "Terms of other vocabularies the graph uses, with how jllm-kg uses them; their "
              "definitions are their vocabularies' own.",
        "ja": "グラフが使う他の語彙の語と、jllm-kg での使い方。定義は各語彙のもの。",
        "fr": "Termes d'autres vocabulaires qu'utilise le graphe, et l'usage qu'en fait "
              "jllm-kg ; leurs définitions sont celles de leurs vocabulaires.",
    },
    "schemes": {"en": "Concept schemes", "ja": "概念体系", "fr": "Schémas de concepts"},
    "example_query": {"en": "Example query", "ja": "クエリの例", "fr": "Exemple de requête"},
    "domain": {"en": "domain", "ja": "定義域", "fr": "domaine"},
    "range": {"en": "range", "ja": "値域", "fr": "codomaine"},
    "subclass_of": {"en": "Subclass of", "ja": "上位クラス", "fr": "Sous-classe de"},
    "subclasses": {"en": "Subclasses", "ja": "下位クラス", "fr": "Sous-classes"},
    "sub_property_of": {"en": "sub-property of", "ja": "上位プロパティ",
                        "fr": "sous-propriété de"},
    "value_of": {"en": "Value of", "ja": "値として使うプロパティ", "fr": "Valeur de"},
    "values_of": {"en": "Values of", "ja": "値として使うプロパティ", "fr": "Valeurs de"},
    "no_properties": {"en": "No property of its own.", "ja": "固有のプロパティはない。",
                      "fr": "Aucune propriété propre."},
    "defined_by": {"en": "defined by", "ja": "定義元", "fr": "défini par"},
    "functional": {"en": "at most one value", "ja": "値は1つまで", "fr": "une valeur au plus"},
    "json_ld_context": {"en": "JSON-LD context", "ja": "JSON-LD コンテキスト",
                        "fr": "Contexte JSON-LD"},
    "kind_class": {"en": "class", "ja": "クラス", "fr": "classe"},
    "kind_object-property": {"en": "object property", "ja": "オブジェクトプロパティ",
                             "fr": "propriété d'objet"},
    "kind_datatype-property": {"en": "datatype property", "ja": "データ型プロパティ",
                               "fr": "propriété de données"},
    "kind_annotation-property": {"en": "annotation property", "ja": "注釈プロパティ",
                                 "fr": "propriété d'annotation"},
    "kind_property": {"en": "property", "ja": "プロパティ", "fr": "propriété"},
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
