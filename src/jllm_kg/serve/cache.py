"""A bounded in-memory LRU cache of complete query answers.

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
"""

from __future__ import annotations

import threading
from collections import OrderedDict
from collections.abc import Hashable


class AnswerCache:
    """Thread-safe LRU of ``key → (format name, body)``; oversized answers are not kept."""

    def __init__(self, *, max_entries: int = 4096, max_bytes: int = 64 * 1024 * 1024) -> None:
        self.max_entries = max_entries
        self.max_bytes = max_bytes
        self._items: OrderedDict[Hashable, tuple[str, bytes]] = OrderedDict()
        self._bytes = 0
        self._lock = threading.Lock()
        self.hits = 0
        self.misses = 0

    def get(self, key: Hashable) -> tuple[str, bytes] | None:
        """The cached answer for ``key`` (and mark it recently used), or ``None``."""
        with self._lock:
            item = self._items.get(key)
            if item is None:
                self.misses += 1
                return None
            self._items.move_to_end(key)
            self.hits += 1
            return item

    def put(self, key: Hashable, format_name: str, body: bytes) -> None:
        """Keep an answer, evicting the least recently used ones to stay within bounds."""
        if self.max_entries <= 0 or len(body) > self.max_bytes // 8:
            return  # one huge answer must not flush everything else
        with self._lock:
            old = self._items.pop(key, None)
            if old is not None:
                self._bytes -= len(old[1])
            self._items[key] = (format_name, body)
            self._bytes += len(body)
            while self._items and (
                len(self._items) > self.max_entries or self._bytes > self.max_bytes
            ):
                _, (_, evicted) = self._items.popitem(last=False)
                self._bytes -= len(evicted)

    def clear(self) -> None:
        """Forget everything (after a reload)."""
        with self._lock:
            self._items.clear()
            self._bytes = 0

    def __len__(self) -> int:
        return len(self._items)
