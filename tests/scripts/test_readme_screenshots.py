"""``scripts/readme_screenshots.py`` takes the README's pictures from a real server in headless
Chromium: both PNG files are written, show a section of the page (not an empty or whole-page
capture), stay under the size limit, and the server it started is gone afterwards."""

from __future__ import annotations

import re
import shutil
import socket
import subprocess
import sys
from pathlib import Path

import png
import pytest

CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")
ROOT = Path(__file__).resolve().parents[2]
SCRIPT = ROOT / "scripts" / "readme_screenshots.py"

pytestmark = [pytest.mark.browser,
              pytest.mark.skipif(CHROMIUM is None, reason="no headless chromium")]


def colours(path: Path) -> tuple[int, int, int]:
    """Width, height and the number of distinct colours (sampled) of a PNG."""
    width, height, rows, _ = png.Reader(filename=str(path)).asRGBA8()
    seen: set[bytes] = set()
    for y, row in enumerate(rows):
        if y % 4 == 0:
            data = bytes(row)
            seen.update(data[i:i + 4] for i in range(0, len(data), 16))
    return width, height, len(seen)


def test_the_pictures_are_sections_of_the_live_pages(tmp_path: Path) -> None:
    done = subprocess.run([sys.executable, str(SCRIPT), "--out", str(tmp_path)],
                          capture_output=True, text=True, timeout=300, check=False)
    assert done.returncode == 0, done.stdout + done.stderr
    lineage, charts = tmp_path / "lineage.png", tmp_path / "home-charts.png"
    for picture in (lineage, charts):
        assert 0 < picture.stat().st_size < 300_000
    width, height, distinct = colours(lineage)
    # a strip of the page, as wide as its content: the lineage section, not the window
    assert 800 <= width <= 1300 and 150 <= height < 600
    assert distinct > 20  # boxes, edges, anti-aliased text: not a blank capture
    width, height, distinct = colours(charts)
    assert 800 <= width <= 1300 and height >= 500 and distinct > 50
    assert f"{lineage}:" in done.stdout and f"{charts}:" in done.stdout
    # the server it started on a free loopback port is stopped
    served = re.search(r"served by http://127\.0\.0\.1:(\d+)", done.stdout)
    assert served, done.stdout
    with socket.socket() as probe:
        assert probe.connect_ex(("127.0.0.1", int(served.group(1)))) != 0
