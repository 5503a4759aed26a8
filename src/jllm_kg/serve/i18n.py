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
    "search": {"en": "Search", "ja": "検索", "fr": "Rechercher"},
    "search_hint": {"en": "Name, alias or Hugging Face id", "ja": "名前・別名・Hugging Face ID",
                    "fr": "Nom, alias ou identifiant Hugging Face"},
    "no_hits": {"en": "Nothing found.", "ja": "見つかりませんでした。",
                "fr": "Aucun résultat."},
    "home_title": {"en": "The knowledge graph of the Japanese LLM ecosystem",
                   "ja": "日本語LLMエコシステムのナレッジグラフ",
                   "fr": "Le graphe de connaissances de l'écosystème des LLM japonais"},
    "home_intro": {
        "en": "Models, checkpoints and their lineage, training data, developers, licenses, "
              "papers and benchmarks, each fact kept with the source document that states it.",
        "ja": "モデルとチェックポイント、その系譜、学習データ、開発者、ライセンス、論文、"
              "ベンチマーク。各事実はそれを述べる情報源の文書とともに保持されている。",
        "fr": "Modèles, points de contrôle et leur lignée, données d'entraînement, "
              "développeurs, licences, articles et benchmarks, chaque fait conservé avec le "
              "document source qui l'énonce.",
    },
    # {endpoint} and {dump} are links the page fills in
    "home_use": {
        "en": "Query it with SPARQL at {endpoint}, follow the links, or download the {dump}.",
        "ja": "{endpoint} で SPARQL クエリを実行するか、リンクをたどるか、"
              "{dump}をダウンロードできる。",
        "fr": "Interrogez-le en SPARQL à {endpoint}, suivez les liens ou téléchargez le {dump}.",
    },
    "dump": {"en": "N-Quads dump", "ja": "N-Quads ダンプ", "fr": "dump N-Quads"},
    "stat_triples": {"en": "triples", "ja": "トリプル", "fr": "triplets"},
    "stat_graphs": {"en": "named graphs (sources)", "ja": "名前付きグラフ（情報源）",
                    "fr": "graphes nommés (sources)"},
    "stat_entities": {"en": "entities", "ja": "エンティティ", "fr": "entités"},
    "stat_data_date": {"en": "data as of", "ja": "データの日付", "fr": "données au"},
    "home_classes": {"en": "Classes", "ja": "クラス", "fr": "Classes"},
    "endpoint": {"en": "SPARQL endpoint", "ja": "SPARQL エンドポイント",
                 "fr": "Point d'accès SPARQL"},
    "shown": {"en": "{n} shown", "ja": "{n} 行を表示", "fr": "{n} affichées"},
    "no_saved": {"en": "No saved queries.", "ja": "保存済みクエリはない。",
                 "fr": "Aucune requête enregistrée."},
    "editor_help": {
        "en": "Ctrl+Space completes prefixes and jllm terms; Ctrl+Enter runs the query.",
        "ja": "Ctrl+Space で接頭辞と jllm の語を補完、Ctrl+Enter でクエリを実行。",
        "fr": "Ctrl+Espace complète les préfixes et les termes jllm ; Ctrl+Entrée exécute "
              "la requête.",
    },
    "counts": {"en": "What the graph holds", "ja": "グラフの内容", "fr": "Contenu du graphe"},
    "rows": {"en": "rows", "ja": "行", "fr": "lignes"},
    "property": {"en": "Property", "ja": "プロパティ", "fr": "Propriété"},
    "value": {"en": "Value", "ja": "値", "fr": "Valeur"},
    "open_editor": {"en": "Open in editor", "ja": "エディタで開く", "fr": "Ouvrir dans l'éditeur"},
    "derivations": {"en": "Derivations", "ja": "派生", "fr": "Dérivations"},
    "derived_from": {"en": "from", "ja": "派生元", "fr": "depuis"},
    "derivation_type": {"en": "type", "ja": "種類", "fr": "type"},
    "evidence": {"en": "evidence", "ja": "根拠", "fr": "justification"},
    # the provenance of a page's facts (serve.web.provenance)
    "source_kind_paper": {"en": "paper", "ja": "論文", "fr": "article"},
    "source_kind_curated": {"en": "curated", "ja": "キュレーション", "fr": "curation"},
    "source_kind_history": {"en": "history", "ja": "履歴", "fr": "historique"},
    "earlier": {"en": "earlier", "ja": "以前", "fr": "auparavant"},
    "source": {"en": "source", "ja": "情報源", "fr": "source"},
    "line": {"en": "line", "ja": "行", "fr": "ligne"},
    "reading_method": {"en": "reading method", "ja": "読み取り方", "fr": "méthode de lecture"},
    "one_of": {"en": "one of", "ja": "次のいずれか", "fr": "l'un de"},
    "ambiguous_note": {
        "en": "The source's words fit each of these models: it does not say which one.",
        "ja": "情報源の言葉はこれらのどのモデルにも当てはまり、どれかは述べていない。",
        "fr": "Les mots de la source conviennent à chacun de ces modèles : elle ne dit pas "
              "lequel.",
    },
    "source_legend": {
        "en": "Sources: a version of the list is named by its language and the month of the "
              "version, a paper or the curated tables by their kind.",
        "ja": "情報源：一覧の各版は言語と版の年月で、論文とキュレーション表は種類で示す。",
        "fr": "Sources : une version de la liste est désignée par sa langue et le mois de la "
              "version, un article ou les tables du projet par leur type.",
    },
    "earlier_note": {
        "en": "“earlier”: a value that an older version of a list stated and its newest "
              "version replaced.",
        "ja": "「以前」：一覧の古い版に書かれ、最新版で置き換えられた値。",
        "fr": "« auparavant » : une valeur qu'une version antérieure d'une liste donnait et que "
              "sa version la plus récente a remplacée.",
    },
    "co_parent_note": {
        "en": "Dashed boxes: other parents of a merged descendant.",
        "ja": "破線の枠：マージされた子孫の他の親モデル。",
        "fr": "Cadres en pointillés : autres parents d'un descendant fusionné.",
    },
    "ontology": {"en": "Ontology", "ja": "オントロジー", "fr": "Ontologie"},
    # between groups of three digits (French typography: a narrow no-break space)
    "thousands": {"en": ",", "ja": ",", "fr": "\u202f"},
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
    # the kinds of resources (the first segment of their IRIs)
    "kindname_model": {"en": "models", "ja": "モデル", "fr": "modèles"},
    "kindname_family": {"en": "model families", "ja": "モデルファミリー",
                        "fr": "familles de modèles"},
    "kindname_org": {"en": "organisations", "ja": "組織", "fr": "organisations"},
    "kindname_person": {"en": "people", "ja": "人物", "fr": "personnes"},
    "kindname_dataset": {"en": "datasets", "ja": "データセット", "fr": "jeux de données"},
    "kindname_benchmark": {"en": "benchmarks", "ja": "ベンチマーク", "fr": "benchmarks"},
    "kindname_license": {"en": "licenses", "ja": "ライセンス", "fr": "licences"},
    "kindname_paper": {"en": "papers", "ja": "論文", "fr": "articles"},
    "kindname_architecture": {"en": "architectures", "ja": "アーキテクチャ",
                              "fr": "architectures"},
    "kindname_eval": {"en": "evaluation results", "ja": "評価結果",
                      "fr": "résultats d'évaluation"},
    "kindname_source": {"en": "source documents", "ja": "情報源の文書", "fr": "documents sources"},
    "kindname_concept": {"en": "concepts", "ja": "概念", "fr": "concepts"},
    "kindname_derivation": {"en": "derivations", "ja": "派生", "fr": "dérivations"},
    "no_lineage": {
        "en": "No recorded derivation.",
        "ja": "派生関係の記録はありません。",
        "fr": "Aucune dérivation enregistrée.",
    },
    # --- charts and family trees (home page charts, lineage, /tree) ---
    "ecosystem": {"en": "The ecosystem at a glance", "ja": "エコシステムの概観",
                  "fr": "L'écosystème en un coup d'œil"},
    "chart_data": {"en": "Data", "ja": "データ", "fr": "Données"},
    "chart_query": {"en": "Query behind this chart", "ja": "このグラフのクエリ",
                    "fr": "Requête de ce graphique"},
    "chart_models": {"en": "models", "ja": "モデル数", "fr": "modèles"},
    "chart_model": {"en": "model", "ja": "モデル", "fr": "modèle"},
    "chart_period": {"en": "period", "ja": "時期", "fr": "période"},
    "chart_approach": {"en": "training approach", "ja": "学習方法",
                       "fr": "approche d'entraînement"},
    "chart_quarter_title": {"en": "Japanese models per quarter, by training approach",
                            "ja": "四半期ごとの日本語モデル数（学習方法別）",
                            "fr": "Modèles japonais par trimestre, selon l'approche"},
    "chart_quarter_x": {"en": "release quarter (year below)", "ja": "公開四半期（下段は年）",
                        "fr": "trimestre de publication (année dessous)"},
    "chart_quarter_unknown": {"en": "?", "ja": "?", "fr": "?"},
    "chart_quarter_note": {
        "en": "Most sources give only the year: “{unknown}” is a year's models whose month "
              "is not stated.",
        "ja": "多くの情報源は年しか記さない：「{unknown}」は月の記載がないその年のモデル。",
        "fr": "La plupart des sources ne donnent que l'année : « {unknown} » regroupe les "
              "modèles de l'année dont le mois n'est pas indiqué.",
    },
    "chart_families_title": {
        "en": "Foreign model families Japanese models build on (top 10)",
        "ja": "日本語モデルが土台とする海外モデルファミリー（上位10）",
        "fr": "Familles de modèles étrangers dont dérivent les modèles japonais (top 10)"},
    "chart_family": {"en": "family", "ja": "ファミリー", "fr": "famille"},
    "chart_descendants": {"en": "Japanese descendants", "ja": "日本語の子孫モデル数",
                          "fr": "descendants japonais"},
    "chart_by_year": {"en": "by release year", "ja": "公開年別", "fr": "par année"},
    "chart_year_unknown": {"en": "year unknown", "ja": "公開年不明", "fr": "année inconnue"},
    "chart_families_note": {
        "en": "Each name opens the family tree: all Japanese descendants of the family.",
        "ja": "名前をクリックすると系統樹（そのファミリーのすべての日本語子孫）を開く。",
        "fr": "Chaque nom ouvre l'arbre de la famille : tous ses descendants japonais.",
    },
    "chart_parameters_title": {"en": "Parameter count over time",
                               "ja": "パラメータ数の推移",
                               "fr": "Nombre de paramètres au fil du temps"},
    "chart_parameters": {"en": "parameters (log scale)", "ja": "パラメータ数（対数目盛）",
                         "fr": "paramètres (échelle log)"},
    "chart_release": {"en": "release date", "ja": "公開日", "fr": "date de publication"},
    "chart_release_year": {"en": "release year", "ja": "公開年", "fr": "année de publication"},
    "chart_parameters_note": {
        "en": "One point per model. Hollow points: only the year is known (spread across it).",
        "ja": "1点が1モデル。白抜きの点は公開年のみ判明（その年の中に散らして表示）。",
        "fr": "Un point par modèle. Points creux : seule l'année est connue (répartis sur "
              "l'année).",
    },
    "chart_licences_title": {"en": "Licences by commercial use, per release year",
                             "ja": "公開年ごとのライセンスの商用利用可否",
                             "fr": "Licences selon l'usage commercial, par année"},
    "chart_commercial_use": {"en": "commercial use", "ja": "商用利用", "fr": "usage commercial"},
    "chart_commercial_allowed": {"en": "allowed", "ja": "可", "fr": "autorisé"},
    "chart_commercial_forbidden": {"en": "forbidden", "ja": "不可", "fr": "interdit"},
    "chart_commercial_unknown": {"en": "unknown", "ja": "不明", "fr": "inconnu"},
    "chart_licences_note": {
        "en": "Allowed: every licence of the model allows it; forbidden: one licence forbids "
              "it; unknown: otherwise.",
        "ja": "可：すべてのライセンスが許可；不可：いずれかが禁止；不明：それ以外。",
        "fr": "Autorisé : toutes les licences du modèle l'autorisent ; interdit : une licence "
              "l'interdit ; inconnu : sinon.",
    },
    "family_trees": {"en": "Family trees", "ja": "系統樹", "fr": "Arbres généalogiques"},
    "family_tree": {"en": "Family tree", "ja": "系統樹", "fr": "Arbre généalogique"},
    "family_tree_intro": {
        "en": "Every model derived from a model of this family, through any number of steps. "
              "Each branch opens and closes; the derivation type is on each edge; a merge "
              "is listed under each of its parents, with all of them named.",
        "ja": "このファミリーのモデルから何段でも派生したすべてのモデル。枝は開閉でき、各辺に"
              "派生の種類を示す。マージは各親の下に表示し、すべての親を示す。",
        "fr": "Tous les modèles dérivés d'un modèle de cette famille, en un nombre quelconque "
              "d'étapes. Chaque branche s'ouvre et se ferme ; le type de dérivation figure sur "
              "chaque arête ; une fusion apparaît sous chacun de ses parents, tous nommés.",
    },
    "merge_of": {"en": "merge of", "ja": "マージ元", "fr": "fusion de"},
    "expand_all": {"en": "Expand all", "ja": "すべて開く", "fr": "Tout déplier"},
    "collapse_all": {"en": "Collapse all", "ja": "すべて閉じる", "fr": "Tout replier"},
    "descendants": {"en": "descendants", "ja": "子孫", "fr": "descendants"},
    "see_above": {"en": "shown above", "ja": "上に表示済み", "fr": "voir plus haut"},
    "family_index_intro": {
        "en": "Foreign model families with Japanese descendants, with how many; each opens "
              "its family tree.",
        "ja": "日本語の子孫モデルを持つ海外モデルファミリーとその子孫の数。名前から系統樹を開く。",
        "fr": "Familles de modèles étrangers ayant des descendants japonais, avec leur nombre ; "
              "chacune ouvre son arbre généalogique.",
    },
    "all_family_trees": {"en": "All family trees", "ja": "すべての系統樹",
                         "fr": "Tous les arbres généalogiques"},
    # --- end of charts and family trees ---
}


LANGUAGE_COOKIE = "lang"
"""The cookie that keeps the reader's ``?lang=`` choice for the next pages."""


def ui(key: str, language: str) -> str:
    """A piece of page chrome in ``language`` (English when missing)."""
    texts = UI_TEXT.get(key, {})
    return texts.get(language) or texts.get("en") or key
