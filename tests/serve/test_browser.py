"""One real browser: headless Chromium opens the query page, runs a saved query, sees the table.

The page's script fetches the result table and inserts it; ``--dump-dom`` prints the DOM after
the scripts ran (``--virtual-time-budget`` lets the fetch complete). Skipped when Debian's
``chromium`` is not installed (``apt-get install -y chromium fonts-ipafont-gothic``).
"""

from __future__ import annotations

from pathlib import Path

import pytest

from .browser import CHROMIUM, run_headless

pytestmark = pytest.mark.browser

@pytest.mark.skipif(CHROMIUM is None, reason="chromium is not installed "
                    "(apt-get install -y chromium fonts-ipafont-gothic)")
def test_query_page_runs_a_saved_query_and_shows_the_table(base: str, tmp_path: Path) -> None:
    result = run_headless(tmp_path, "--virtual-time-budget=10000", "--dump-dom",
                          f"{base}/query?saved=swallow-lineage&run=1", timeout=60)
    dom = result.stdout
    assert 'id="query"' in dom, result.stderr[-2000:]
    assert "prov:wasDerivedFrom+" in dom  # the saved query is in the editor
    table = dom[dom.index('<table class="results">'):]
    assert "<th>ancestor</th>" in table and "<th>label</th>" in table
    assert 'href="/id/model/meta-llama--Llama-2-70b-hf"' in table
    assert "Swallow 70B" in table
    assert "2 rows" in dom
