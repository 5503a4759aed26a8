"""One real browser: headless Chromium opens the query page, runs a saved query, sees the table.

The page's script fetches the result table and inserts it; ``--dump-dom`` prints the DOM after
the scripts ran (``--virtual-time-budget`` lets the fetch complete). Skipped when Debian's
``chromium`` is not installed (``apt-get install -y chromium fonts-ipafont-gothic``).
"""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

import pytest

pytestmark = pytest.mark.browser

CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")


def chromium(tmp_path: Path, *args: str) -> subprocess.CompletedProcess[str]:
    assert CHROMIUM is not None
    return subprocess.run(
        [CHROMIUM, "--headless", "--no-sandbox", "--disable-gpu",
         "--disable-background-networking", "--no-first-run", "--disable-dev-shm-usage",
         f"--user-data-dir={tmp_path / 'profile'}", *args],
        capture_output=True, text=True, timeout=60, check=False,
    )


@pytest.mark.skipif(CHROMIUM is None, reason="chromium is not installed "
                    "(apt-get install -y chromium fonts-ipafont-gothic)")
def test_query_page_runs_a_saved_query_and_shows_the_table(base: str, tmp_path: Path) -> None:
    result = chromium(tmp_path, "--virtual-time-budget=10000", "--dump-dom",
                      f"{base}/query?saved=swallow-lineage&run=1")
    dom = result.stdout
    assert 'id="query"' in dom, result.stderr[-2000:]
    assert "prov:wasDerivedFrom+" in dom  # the saved query is in the editor
    table = dom[dom.index('<table class="results">'):]
    assert "<th>ancestor</th>" in table and "<th>label</th>" in table
    assert 'href="/id/model/meta-llama--Llama-2-70b-hf"' in table
    assert "Swallow 70B" in table
    assert "2 rows" in dom
