"""mimalloc for the processes that spend their CPU in Oxigraph: the store's build and the
query workers.

Oxigraph allocates and frees small buffers at a high rate (a key per index entry while the bulk
loader sorts, terms and tuples while a query is evaluated). With glibc's allocator a fifth of
the bulk loader's CPU went to ``malloc`` and ``free`` (``perf``, 600 k quads); with mimalloc
preloaded the ``--store`` build took 1.44x ``oxigraph load``'s CPU instead of 1.92x, and an
aggregation mix evaluated in 2.9-3.0 ms per query instead of 3.5-3.7 ms (same run, in
process). A library can only be preloaded into a process that is started (``exec``), so it is
given to the build's child process and to the query workers' fork server; the master and the
HTTP workers keep the C library's allocator.

>>> library = mimalloc_library()
>>> library is None or library.name.startswith("libmimalloc.so")
True
"""

from __future__ import annotations

import contextlib
import functools
import os
from collections.abc import Iterator, Mapping
from importlib import metadata
from pathlib import Path

PRELOAD = "LD_PRELOAD"


@functools.cache
def mimalloc_library() -> Path | None:
    """mimalloc's shared library from the ``cmeel-mimalloc`` package (a dependency on Linux
    x86_64 and aarch64), or ``None`` where it is not installed."""
    try:
        files = metadata.files("cmeel-mimalloc") or []
    except metadata.PackageNotFoundError:
        return None
    for file in files:
        if file.name.startswith("libmimalloc.so"):
            path = Path(str(file.locate()))
            if path.is_file():
                return path
    return None


def with_mimalloc(env: Mapping[str, str]) -> dict[str, str]:
    """A copy of ``env`` whose ``LD_PRELOAD`` starts with mimalloc (unchanged without it)."""
    out = dict(env)
    library = mimalloc_library()
    if library is not None and str(library) not in out.get(PRELOAD, "").split():
        out[PRELOAD] = " ".join(filter(None, [str(library), out.get(PRELOAD)]))
    return out


@contextlib.contextmanager
def preloading_mimalloc() -> Iterator[None]:
    """Inside the block, processes this one starts (``exec``) get mimalloc preloaded; the
    variable is restored afterwards, so that no later child inherits it. For starters that
    take the environment of this process, such as multiprocessing's fork server."""
    before = os.environ.get(PRELOAD)
    os.environ.update({PRELOAD: value} if (value := with_mimalloc(os.environ).get(PRELOAD))
                      else {})
    try:
        yield
    finally:
        if before is None:
            os.environ.pop(PRELOAD, None)
        else:
            os.environ[PRELOAD] = before
