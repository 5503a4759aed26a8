"""A bounded in-memory LRU cache of complete query answers (on :class:`cachetools.LRUCache`).

The graph does not change between reloads, so an identical request (same query text, dataset
and format) has an identical answer. The cache is bounded both in entries and in bytes, and is
cleared whenever the graph is reloaded.

>>> cache = AnswerCache(max_entries=2, max_bytes=100)
>>> cache.put(("q1",), "json", b"a")
>>> cache.get(("q1",))
('json', b'a')
>>> cache.put(("q2",), "json", b"b"); cache.put(("q3",), "json", b"c")
>>> cache.get(("q1",)) is None
True
>>> cache.put(("big",), "json", b"x" * 60)  # over an eighth of the bytes: not kept
>>> (len(cache), cache.get(("big",)))
(2, None)
"""

from __future__ import annotations

import threading
from collections.abc import Hashable

from cachetools import LRUCache

Answer = tuple[str, bytes]
"""A cached answer: the format name and the serialized body."""


class AnswerCache:
    """Thread-safe LRU of ``key → (format name, body)``; oversized answers are not kept.

    Each entry weighs its body's size, but at least ``max_bytes / max_entries``: one
    :class:`~cachetools.LRUCache` weight bound then keeps both the bytes under ``max_bytes`` and
    the entries under ``max_entries``.
    """

    def __init__(self, *, max_entries: int = 4096, max_bytes: int = 64 * 1024 * 1024) -> None:
        self.max_entries = max_entries
        self.max_bytes = max_bytes
        unit = max(1, -(-max_bytes // max(1, max_entries)))  # rounded up: n * unit <= max_bytes
        self._items: LRUCache[Hashable, Answer] = LRUCache(
            maxsize=max(1, max_bytes), getsizeof=lambda answer: max(unit, len(answer[1]))
        )
        self._lock = threading.Lock()
        self.hits = 0
        self.misses = 0

    def get(self, key: Hashable) -> Answer | None:
        """The cached answer for ``key`` (and mark it recently used), or ``None``."""
        with self._lock:
            item = self._items.get(key)
            if item is None:
                self.misses += 1
            else:
                self.hits += 1
            return item

    def put(self, key: Hashable, format_name: str, body: bytes) -> None:
        """Keep an answer, evicting the least recently used ones to stay within bounds."""
        if self.max_entries <= 0 or len(body) > self.max_bytes // 8:
            return  # one huge answer must not flush everything else
        with self._lock:
            self._items[key] = (format_name, body)

    def clear(self) -> None:
        """Forget everything (after a reload)."""
        with self._lock:
            self._items.clear()

    def __len__(self) -> int:
        return len(self._items)
