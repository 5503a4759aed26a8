"""The README's pictures, taken from a running server so that they show what the code draws now.

Starts ``jllm-kg serve`` (the packaged graph, or ``--data``) on a free loopback port
(``jllm_kg.serve.running``), opens the
pages in headless Chromium (driven through its DevTools pipe by ``tests/serve/browser.py``),
captures one section of each page as PNG under ``docs/img/``, then stops the server:

- ``lineage.png``: the lineage section of a model page (``--model``);
- ``home-charts.png``: the ecosystem charts of the home page.

Run: ``.venv/bin/python scripts/readme_screenshots.py [--out docs/img] [--model SLUG]``.
Each picture must stay under ``--max-bytes`` (300 KB): a larger one is an error (exit 1), so the
repository does not grow by accident.
"""

from __future__ import annotations

import argparse
import base64
import importlib.util
import sys
import tempfile
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from types import ModuleType
from typing import Any

from jllm_kg.serve.running import running_server

ROOT = Path(__file__).resolve().parent.parent
OUT = ROOT / "docs" / "img"
MAX_BYTES = 300_000
START_TIMEOUT = 120.0
CHART_TIMEOUT = "60"
"""Seconds the server gives a query: the home page's chart queries need more than a lookup."""


@dataclass(frozen=True)
class Shot:
    """One picture: the page, the CSS selector of the section to capture, the file name."""

    path: str
    selector: str
    file: str


def shots(model: str) -> tuple[Shot, ...]:
    return (
        Shot(f"/id/model/{model}?lang=en", "#lineage", "lineage.png"),
        Shot("/?lang=en", "section.charts", "home-charts.png"),
    )


def browser_module() -> ModuleType:
    """``tests/serve/browser.py``, the project's headless-Chromium driver (not packaged)."""
    spec = importlib.util.spec_from_file_location("jllm_kg_browser",
                                                  ROOT / "tests" / "serve" / "browser.py")
    if spec is None or spec.loader is None:
        raise RuntimeError("tests/serve/browser.py is missing")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def capture(page: Any, url: str, shot: Shot, target: Path) -> Path:
    """Open ``url`` + the shot's path in ``page`` (a ``browser.Browser``) and write the PNG of
    its section to ``target``."""
    page.open(url + shot.path)
    box = page.wait_for(
        f"(() => {{ const e = document.querySelector({shot.selector!r}); if (!e) return null;"
        " const r = e.getBoundingClientRect();"
        " return {x: r.left + scrollX, y: r.top + scrollY, width: r.width, height: r.height}; })()",
        timeout=60)
    margin = 8
    clip = {"x": max(box["x"] - margin, 0), "y": max(box["y"] - margin, 0),
            "width": box["width"] + 2 * margin, "height": box["height"] + 2 * margin, "scale": 1}
    data = page.command("Page.captureScreenshot", timeout=60, format="png",
                        captureBeyondViewport=True, clip=clip)["data"]
    target.write_bytes(base64.b64decode(data))
    return target


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--out", type=Path, default=OUT, help="folder of the PNG files")
    parser.add_argument("--model", default="Fujitsu-LLM-KG--Fujitsu-LLM-KG-8x7B_cpt",
                        help="slug of the model page whose lineage is shown")
    parser.add_argument("--data", type=Path, nargs="+", default=[],
                        help="RDF files or folders to serve instead of the packaged graph")
    parser.add_argument("--max-bytes", type=int, default=MAX_BYTES)
    args = parser.parse_args(argv)
    browser = browser_module()
    if browser.CHROMIUM is None:
        print("no chromium on PATH: the pictures need a headless Chromium", file=sys.stderr)
        return 2
    args.out.mkdir(parents=True, exist_ok=True)
    too_large = []
    with tempfile.TemporaryDirectory(prefix="jllm-kg-shots-") as folder:
        work = Path(folder)
        serve_args = ["--http-workers", "1", "--workers", "1", "--timeout", CHART_TIMEOUT]
        if args.data:
            serve_args += ["--data", *map(str, args.data)]
        with running_server(serve_args, log=work / "server.log",
                            ready_timeout=START_TIMEOUT) as server, \
                browser.Browser(work / "profile", width=1280, height=900) as page:
            url = server.url
            print(f"served by {url}")
            for shot in shots(args.model):
                written = capture(page, url, shot, args.out / shot.file)
                size = written.stat().st_size
                print(f"{written}: {size:,} bytes ({shot.path} {shot.selector})")
                if size > args.max_bytes:
                    too_large.append(f"{written} is {size:,} bytes (limit {args.max_bytes:,})")
    for message in too_large:
        print(message, file=sys.stderr)
    return 1 if too_large else 0


if __name__ == "__main__":
    sys.exit(main())
