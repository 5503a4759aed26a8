"""A TCP listener on a free loopback port that counts the connections it receives.

The SERVICE tests point queries at it: a connection counted here is a request the server
sent out. Every connection is closed at once, so a client that did get through fails fast
instead of waiting for an answer.
"""

from __future__ import annotations

import socket
import threading
import time
from types import TracebackType


class Listener:
    """``with Listener() as listener:`` … ``listener.url`` … ``listener.connections(wait=…)``."""

    def __init__(self) -> None:
        self._socket = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
        self._socket.bind(("127.0.0.1", 0))
        self._socket.listen(64)
        self._socket.settimeout(0.1)
        self.port = int(self._socket.getsockname()[1])
        self.url = f"http://127.0.0.1:{self.port}/sparql"
        self._count = 0
        self._lock = threading.Lock()
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._accept, name="listener", daemon=True)
        self._thread.start()

    def _accept(self) -> None:
        while not self._stop.is_set():
            try:
                connection, _ = self._socket.accept()
            except TimeoutError:
                continue
            except OSError:
                return
            with self._lock:
                self._count += 1
            connection.close()

    def connections(self, *, wait: float = 0.0) -> int:
        """Connections accepted so far, after waiting ``wait`` seconds for stragglers."""
        time.sleep(wait)
        with self._lock:
            return self._count

    def __enter__(self) -> Listener:
        return self

    def __exit__(self, kind: type[BaseException] | None, error: BaseException | None,
                 trace: TracebackType | None) -> None:
        self._stop.set()
        self._thread.join(2)
        self._socket.close()
