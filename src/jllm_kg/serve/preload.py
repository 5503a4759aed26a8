"""Imported by the query workers' fork server only: load the in-memory snapshot once there.

Query workers are forks of multiprocessing's fork server (see :mod:`jllm_kg.serve.pool`): under
``jllm-kg serve`` one per server, started by the master (``SharedForkServer``); else one per
process with a pool. When the process starting it names a ``memory`` snapshot in
:data:`~jllm_kg.serve.worker.PRELOAD_VARIABLE`, this module loads that snapshot at import, in
the fork server: every query worker forked afterwards starts with the store already in
memory, in pages it shares copy-on-write with the fork server and its sibling workers (the
store is read-only), instead of parsing and holding its own copy. A respawned worker is then
ready at once.

Anything going wrong here only means that the workers load their own copy: the fork server
must start whatever happens (an exception at import would take it down).
"""

from __future__ import annotations

import json
import os
import sys

from jllm_kg.serve import worker
from jllm_kg.serve.snapshot import Snapshot
from jllm_kg.serve.worker import PRELOAD_VARIABLE


def _preload() -> None:
    text = os.environ.get(PRELOAD_VARIABLE)
    if not text:
        return
    try:
        snapshot = Snapshot.from_json(json.loads(text))
        store = snapshot.open()
        worker.PRELOADED[snapshot] = (store, snapshot.open_merge(store))
    except Exception as error:  # the workers load their own copies
        print(f"jllm-kg: query workers will load the graph each: {error}", file=sys.stderr)


_preload()
