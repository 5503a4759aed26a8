"""Content negotiation (jllm_kg.serve.conneg): properties over generated Accept headers."""

from __future__ import annotations

import itertools

from hypothesis import given
from hypothesis import strategies as st

from jllm_kg.formats import HTML
from jllm_kg.serve.conneg import (
    FORMAT_NAMES,
    GRAPH_OFFERS,
    RESULT_OFFERS,
    choose,
    format_parameter,
    negotiate,
    prefers_html,
)
from jllm_kg.serve.i18n import LANGUAGES, preferred_languages

OFFER_SETS = (RESULT_OFFERS, GRAPH_OFFERS, (HTML, *RESULT_OFFERS), (HTML, *GRAPH_OFFERS))
KNOWN_TYPES = sorted({t for offers in OFFER_SETS for o in offers for t in (o.media_type,
                                                                           *o.aliases)})
MEDIA_RANGES = st.sampled_from([*KNOWN_TYPES, "*/*", "text/*", "application/*", "image/png",
                                "application/pdf"])
QUALITIES = st.sampled_from([None, "0", "0.001", "0.1", "0.5", "0.8", "0.9", "1", "1.0"])
offer_sets = st.sampled_from(OFFER_SETS)


@st.composite
def accept_items(draw: st.DrawFn) -> tuple[str, str | None]:
    return draw(MEDIA_RANGES), draw(QUALITIES)


def header(items: list[tuple[str, str | None]], *, spaces: bool = False) -> str:
    parts = [media if q is None else f"{media};q={q}" for media, q in items]
    return (" , " if spaces else ",").join(parts)


def quality(items: list[tuple[str, str | None]], media_type: str) -> float:
    """RFC 9110 §12.5.1, written independently of the code under test: the most specific
    matching range gives the quality (the highest one among equally specific duplicates)."""
    main = media_type.split("/")[0]
    best: tuple[int, float] | None = None
    for media, q in items:
        r_main, r_sub = media.split("/")
        if r_main == "*" and r_sub == "*":
            level = 0
        elif r_main == main and r_sub == "*":
            level = 1
        elif media == media_type:
            level = 2
        else:
            continue
        value = 1.0 if q is None else float(q)
        if best is None or (level, value) > best:
            best = (level, value)
    return 0.0 if best is None else best[1]


@given(offer_sets, st.lists(accept_items(), min_size=1, max_size=6))
def test_choice_is_an_acceptable_offer_of_best_quality(offers, items) -> None:
    chosen = negotiate(header(items), offers)
    qualities = {o: quality(items, o.media_type) for o in offers}
    if chosen is None:
        # nothing offered is acceptable: by canonical type nor by an alias named explicitly
        assert all(q == 0 for q in qualities.values())
        assert not any(media in o.aliases and (q is None or float(q) > 0)
                       for o in offers for media, q in items)
        return
    assert chosen in offers
    named_alias = [float(q or 1) for media, q in items if media in chosen.aliases]
    assert max([qualities[chosen], *named_alias]) > 0
    # no offer is strictly better by its canonical type
    assert max([qualities[chosen], *named_alias]) >= max(qualities.values())


@given(offer_sets, st.lists(accept_items(), min_size=1, max_size=6), st.randoms())
def test_order_spacing_and_case_of_the_header_do_not_matter(offers, items, random) -> None:
    chosen = negotiate(header(items), offers)
    shuffled = list(items)
    random.shuffle(shuffled)
    assert negotiate(header(shuffled, spaces=True), offers) == chosen
    assert negotiate(header(items).upper(), offers) == chosen


@given(offer_sets, st.sampled_from(["", "   ", "garbage", "*/html", ";q=0.5"]))
def test_no_usable_range_means_the_preferred_offer(offers, text) -> None:
    assert negotiate(text or None, offers) is offers[0]
    assert negotiate(text, offers) is offers[0]


@given(offer_sets, st.data())
def test_a_named_canonical_type_wins_over_wildcards(offers, data) -> None:
    wanted = data.draw(st.sampled_from(offers))
    wildcard = data.draw(st.sampled_from(["*/*", "text/*", "application/*"]))
    q = data.draw(st.sampled_from(["0.1", "0.5", "0.9"]))
    assert negotiate(f"{wildcard};q={q}, {wanted.media_type}", offers) is wanted
    assert negotiate(f"{wanted.media_type};charset=utf-8", offers) is wanted


@given(offer_sets, st.data())
def test_refusing_the_choice_changes_it(offers, data) -> None:
    items = data.draw(st.lists(accept_items(), min_size=1, max_size=5))
    chosen = negotiate(header(items), offers)
    if chosen is None:
        return
    names = {chosen.media_type, *chosen.aliases}
    kept = [(media, q) for media, q in items if media not in names]
    refused = header([*kept, *((media, "0") for media in sorted(names))])
    assert negotiate(refused, offers) is not chosen


@given(st.lists(accept_items(), max_size=6))
def test_html_only_when_named_and_ranked_first(items) -> None:
    text = header(items)
    wants_html = prefers_html(text, RESULT_OFFERS)
    named = [float(q or 1) for media, q in items if media == "text/html"]
    if wants_html:
        assert named and max(named) > 0
        assert negotiate(text, (HTML, *RESULT_OFFERS)) is HTML
    if not named:
        assert not wants_html


@given(offer_sets, st.sampled_from(sorted(FORMAT_NAMES)))
def test_format_names_pick_an_offer_of_that_name_or_none(offers, name) -> None:
    chosen = format_parameter(name, offers)
    assert chosen is None or chosen in offers
    assert format_parameter(name.upper(), offers) == chosen
    if chosen is not None:
        assert format_parameter(chosen.media_type, offers) is chosen


LANGUAGE_TAGS = st.sampled_from(["en", "en-GB", "ja", "ja-JP", "fr", "fr-CH", "de", "zh-Hant",
                                 "*"])


@given(st.lists(st.tuples(LANGUAGE_TAGS, QUALITIES), max_size=6),
       st.sampled_from([None, "", "en", "ja", "fr", "de"]))
def test_languages_are_ordered_by_the_readers_ranking(items, override) -> None:
    text = ",".join(tag if q is None else f"{tag};q={q}" for tag, q in items)
    order = preferred_languages(text, override)
    assert sorted(order) == sorted(LANGUAGES)
    if override in LANGUAGES:
        assert order[0] == override

    def rank(language: str) -> float:
        """The quality of the most specific tag naming ``language`` (RFC 4647 lookup by
        primary subtag), else that of ``*``, else 0."""
        named = [float(q or 1) for tag, q in items if tag.split("-")[0] == language]
        star = [float(q or 1) for tag, q in items if tag == "*"]
        return max(named) if named else (max(star) if star else 0.0)

    ranked = [lang for lang in order if lang != override]
    assert all(rank(earlier) >= rank(later) for earlier, later in itertools.pairwise(ranked))


@given(offer_sets, st.sampled_from(sorted(FORMAT_NAMES)), st.lists(accept_items(), max_size=4),
       st.booleans())
def test_a_format_parameter_overrides_accept(offers, name, items, html) -> None:
    expected = format_parameter(name, (*offers, HTML) if html else offers)
    assert choose(name, header(items), offers, html=html) == expected


@given(offer_sets, st.lists(accept_items(), max_size=4))
def test_without_a_format_parameter_accept_decides(offers, items) -> None:
    text = header(items)
    assert choose(None, text, offers) == negotiate(text, offers)
    if HTML not in offers and choose(None, text, offers, html=True) is HTML:
        assert prefers_html(text, offers)
