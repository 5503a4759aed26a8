"""The history's cache on disk: what reading a row or a list version gave, by its content.

Between two commits almost nothing of the list changes, so the history reads a row once: the
cache maps a row (its text and the table and section it stands in) to what was read from it,
and a list version (its blob and the ``parts/`` tree its includes come from) to its summary. A
run after one new commit reads only that commit's new rows.

What a row gives depends on the code and the curated tables as much as on its text, so the
cache file is named after a stamp of both (every ``.py`` file of the package and every curated
table): any change to either starts a new, empty cache instead of serving stale readings.
Values are pickles, written and read only by this package (the file is a cache, not a format).
"""

from __future__ import annotations

import hashlib
import pickle
import sqlite3
from functools import cache
from pathlib import Path
from types import TracebackType

from jllm_kg.paths import curated_dir

__all__ = ["HistoryCache", "code_stamp"]

_PACKAGE_DIR = Path(__file__).resolve().parent.parent
_KINDS = ("row", "reading", "version")


@cache
def code_stamp() -> str:
    """SHA-256 (16 hex digits) of the package's Python files and the curated tables."""
    digest = hashlib.sha256()
    files = sorted(_PACKAGE_DIR.rglob("*.py")) + sorted(curated_dir().glob("*.yaml"))
    for path in files:
        digest.update(path.name.encode("utf-8") + b"\0" + path.read_bytes() + b"\0")
    return digest.hexdigest()[:16]


class HistoryCache:
    """A SQLite file of pickled readings keyed by content; ``None`` folder: memory only."""

    def __init__(self, folder: Path | None) -> None:
        self.hits = 0
        self.misses = 0
        # what this run already read or wrote: a row stands in hundreds of versions, and
        # unpickling it each time would cost more than the SQL lookup saves
        self._memo: dict[tuple[str, str], object] = {}
        if folder is None:
            self.path: Path | None = None
            self._db = sqlite3.connect(":memory:")
        else:
            folder.mkdir(parents=True, exist_ok=True)
            self.path = folder / f"history-{code_stamp()}.sqlite"
            self._db = sqlite3.connect(self.path)
        for kind in _KINDS:
            self._db.execute(f"CREATE TABLE IF NOT EXISTS {kind} "
                             "(key TEXT PRIMARY KEY, value BLOB NOT NULL)")

    def __enter__(self) -> HistoryCache:
        return self

    def __exit__(self, kind: type[BaseException] | None, error: BaseException | None,
                 trace: TracebackType | None) -> None:
        self.close()

    def get(self, kind: str, key: str) -> object | None:
        remembered = self._memo.get((kind, key))
        if remembered is not None:
            self.hits += 1
            return remembered
        found = self._db.execute(f"SELECT value FROM {_table(kind)} WHERE key = ?",
                                 (key,)).fetchone()
        if found is None:
            self.misses += 1
            return None
        self.hits += 1
        value = pickle.loads(found[0])
        self._memo[(kind, key)] = value
        return value

    def put(self, kind: str, key: str, value: object) -> None:
        self._memo[(kind, key)] = value
        self._db.execute(f"INSERT OR REPLACE INTO {_table(kind)} (key, value) VALUES (?, ?)",
                         (key, pickle.dumps(value, protocol=pickle.HIGHEST_PROTOCOL)))

    def close(self) -> None:
        self._db.commit()
        self._db.close()


def _table(kind: str) -> str:
    if kind not in _KINDS:
        raise ValueError(f"unknown cache kind {kind!r} (one of {', '.join(_KINDS)})")
    return kind
