"""The answer cache (jllm_kg.serve.cache): its bounds hold whatever is put in it."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from jllm_kg.serve.cache import AnswerCache

puts = st.lists(st.tuples(st.integers(0, 20), st.binary(max_size=300)), max_size=60)


@given(st.integers(1, 10), st.integers(8, 2000), puts)
def test_bounds_hold_and_the_newest_small_answer_is_kept(max_entries, max_bytes, items) -> None:
    cache = AnswerCache(max_entries=max_entries, max_bytes=max_bytes)
    for key, body in items:
        cache.put(("q", key), "json", body)
        if len(body) <= max_bytes // 8:
            assert cache.get(("q", key)) == ("json", body)
        kept = [cache.get(("q", k)) for k in range(21)]
        present = [item for item in kept if item is not None]
        assert len(cache) == len(present) <= max_entries
        assert sum(len(b) for _, b in present) <= max_bytes


def test_least_recently_used_goes_first() -> None:
    cache = AnswerCache(max_entries=2, max_bytes=1000)
    cache.put("a", "json", b"1")
    cache.put("b", "json", b"2")
    assert cache.get("a") is not None  # "a" is now more recent than "b"
    cache.put("c", "json", b"3")
    assert (cache.get("a"), cache.get("b"), cache.get("c")) == (("json", b"1"), None,
                                                                 ("json", b"3"))


def test_disabled_cache_keeps_nothing() -> None:
    cache = AnswerCache(max_entries=0, max_bytes=1000)
    cache.put("a", "json", b"1")
    assert cache.get("a") is None and len(cache) == 0
