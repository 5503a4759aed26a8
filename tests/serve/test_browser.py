"""One real browser: headless Chromium opens the query page, runs a saved query, sees the table.

The page's script fetches the result table and inserts it; ``--dump-dom`` prints the DOM after
the scripts ran (``--virtual-time-budget`` lets the fetch complete). Skipped when Debian's
``chromium`` is not installed (``apt-get install -y chromium fonts-ipafont-gothic``).
"""

from __future__ import annotations

from pathlib import Path

import pytest

from .browser import Browser, needs_chromium, run_headless

pytestmark = pytest.mark.browser

@needs_chromium
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


INSTRUCT = "tokyotech-llm--Llama-3-Swallow-70B-Instruct-v0.1"
PROVENANCE_LAYOUT = """(() => {
  const table = document.querySelector('table.derivations');
  const main = document.querySelector('main');
  const sources = Array.from(document.querySelectorAll('table.facts:not(.derivations) td.sources'));
  const textHeight = td => { const r = document.createRange(); r.selectNodeContents(td);
                             return r.getBoundingClientRect().height; };
  return {
    tableRight: table.getBoundingClientRect().right,
    mainRight: main.getBoundingClientRect().right,
    rows: table.tBodies[0].rows.length,
    lineLinks: Array.from(table.querySelectorAll('a.line')).map(a => a.href),
    legend: Array.from(document.querySelectorAll('dl.legend dt')).map(e => e.textContent),
    legendShown: document.querySelector('dl.legend').getBoundingClientRect().height > 0,
    tallestSources: Math.max(...sources.map(textHeight)),
    lineHeight: parseFloat(getComputedStyle(sources[0]).lineHeight),
  };
})()"""


@needs_chromium
@pytest.mark.parametrize("lang", ["en", "ja", "fr"])
def test_model_page_provenance_is_compact_and_fits_in_each_language(
        project_base: str, tmp_path: Path, lang: str) -> None:
    with Browser(tmp_path / "profile", width=1280, height=1000) as page:
        page.open(f"{project_base}/id/model/{INSTRUCT}?lang={lang}")
        layout = page.eval(PROVENANCE_LAYOUT)
        shot = page.screenshot(tmp_path / f"model-{lang}.png")
        violations = page.violations()
    print(f"screenshot of the model page in {lang}: {shot}")
    assert violations == []
    # a row per source of each derivation, each linking to its line (fr and ja state the
    # instruction tuning at line 124)
    assert layout["rows"] == len(layout["lineLinks"]) >= 2
    assert sum(link.endswith("#L124") for link in layout["lineLinks"]) >= 2
    assert layout["tableRight"] <= layout["mainRight"] + 1
    assert layout["legend"] == ["en 2025-12", "fr 2025-10", "fr 2025-12", "ja 2024-07",
                                "ja 2025-12"] and layout["legendShown"]
    # the short names keep every sources cell within two lines (five versions state most
    # facts; two long names took five lines)
    assert layout["tallestSources"] < 2.5 * layout["lineHeight"]
