"""The query editor (/query): the vendored Yasqe files, and the page in headless Chromium under
the site's Content-Security-Policy, typed into as a reader would, in ja, en and fr."""

from __future__ import annotations

import hashlib
import json
import re
from html.parser import HTMLParser
from pathlib import Path

import pytest
import requests

from jllm_kg.serve.i18n import ui

from .browser import Browser, needs_chromium

ROOT = Path(__file__).resolve().parents[2]
VENDORED = ROOT / "src/jllm_kg/serve/static/vendor/yasqe"
LOCK = ROOT / "vendor/yasqe/package-lock.json"
HTML = {"Accept": "text/html"}
# The policy the server's HTML pages carry (scripts and styles from the site only); a server that
# sends its own policy is tested under that one instead.
POLICY = ("default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
          "object-src 'none'; base-uri 'self'; form-action 'self'; frame-ancestors 'none'")
CTRL = 2
MODEL_QUERY_TAIL = " ?label }\nORDER BY ?label"



def test_vendored_files_are_the_locked_release() -> None:
    lock = json.loads(LOCK.read_text(encoding="utf-8"))
    pinned = json.loads((LOCK.parent / "package.json").read_text())["dependencies"]
    assert lock["packages"]["node_modules/@zazuko/yasqe"]["version"] == pinned["@zazuko/yasqe"]
    recorded = dict(reversed(line.split()) for line in
                    (VENDORED / "VENDORED").read_text().splitlines())
    assert set(recorded) == {"yasqe.min.js", "yasqe.min.css"}
    for name, digest in recorded.items():
        assert hashlib.sha256((VENDORED / name).read_bytes()).hexdigest() == digest, name
    # every package the build bundles has its licence in LICENSES.txt (types are not bundled)
    licences = (VENDORED / "LICENSES.txt").read_text(encoding="utf-8")
    for key, entry in lock["packages"].items():
        name = key.removeprefix("node_modules/")
        if key and not name.startswith("@types/"):
            assert f"{name} {entry['version']}" in licences, name


class _Assets(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.scripts: list[str | None] = []
        self.inline_scripts = 0
        self.styles: list[str] = []
        self._in_script = False

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        values = dict(attrs)
        if tag == "script":
            self.scripts.append(values.get("src"))
            self._in_script = True
        if tag == "link" and values.get("rel") == "stylesheet":
            self.styles.append(values.get("href") or "")
        assert "style" not in values and not any(k.startswith("on") for k in values), (tag, attrs)

    def handle_endtag(self, tag: str) -> None:
        self._in_script = self._in_script and tag != "script"

    def handle_data(self, data: str) -> None:
        if self._in_script and data.strip():
            self.inline_scripts += 1


def test_page_loads_the_editor_from_the_site_itself(base: str) -> None:
    page = requests.get(f"{base}/query", headers=HTML, timeout=30)
    assert page.status_code == 200
    assets = _Assets()
    assets.feed(page.text)
    assert assets.inline_scripts == 0
    assert "/static/vendor/yasqe/yasqe.min.js" in assets.scripts
    assert "/static/vendor/yasqe/yasqe.min.css" in assets.styles
    for url, kind in [*((s, "javascript") for s in assets.scripts),
                      *((s, "css") for s in assets.styles)]:
        assert url and url.startswith("/"), url  # from the site: the server works offline
        r = requests.get(base + url, timeout=30)
        assert r.status_code == 200 and kind in r.headers["Content-Type"], url


def _policy(base: str) -> str:
    sent = requests.get(f"{base}/query", headers=HTML, timeout=30).headers
    return sent.get("Content-Security-Policy") or POLICY


def _rows(page: Browser) -> list[list[str]]:
    """The result table's cells: the link target of a linked cell, else its text."""
    found: list[list[str]] = page.eval("""
      Array.from(document.querySelectorAll('#output table.results tbody tr')).map(tr =>
        Array.from(tr.cells).map(td => {
          const a = td.querySelector('a');
          const text = td.firstChild ? td.firstChild.textContent.trim() : '';
          return a ? a.getAttribute('href') : text;
        }))""")
    return found


def _start(page: Browser, base: str, lang: str) -> None:
    page.open(f"{base}/query?lang={lang}")
    page.wait_for("!!window.jllmEditor")
    page.eval("window.jllmEditor.setValue(''); window.jllmEditor.focus(); true")


@needs_chromium
@pytest.mark.browser
@pytest.mark.parametrize("lang", ["ja", "en", "fr"])
def test_reader_types_completes_runs_and_reads_linked_rows(
        base: str, tmp_path: Path, lang: str) -> None:
    expected = requests.get(f"{base}/sparql", timeout=30, params={
        "format": "json",
        "query": "PREFIX jllm: <https://w3id.org/jllm-kg/ontology#>\n"
                 "PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#>\n"
                 "SELECT ?m ?label { ?m a jllm:Model ; rdfs:label ?label } ORDER BY ?label"}
    ).json()["results"]["bindings"]
    assert expected
    with Browser(tmp_path / "profile", csp=_policy(base)) as page:
        _start(page, base, lang)
        assert page.eval("document.querySelector('#run').textContent") == ui("run", lang)
        page.type_text("SELECT ?m ?label WHERE {\n?m a jllm:Mo")
        # writing an undeclared prefix declares it; Ctrl+Space offers our classes
        page.wait_for("window.jllmEditor.getValue().startsWith("
                      "'PREFIX jllm: <https://w3id.org/jllm-kg/ontology#>')")
        page.press(" ", "Space", 32, modifiers=CTRL)
        hints = page.wait_for("Array.from(document.querySelectorAll('.CodeMirror-hints li'))"
                              ".map(li => li.textContent)")
        assert "jllm:Model" in hints and "jllm:ModelFamily" in hints
        page.press("Enter", "Enter", 13)
        page.type_text(" ; rdfs:")
        page.wait_for("window.jllmEditor.getValue().includes("
                      "'PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#>')")
        page.type_text("label" + MODEL_QUERY_TAIL)
        query = page.eval("window.jllmEditor.getValue()")
        assert "?m a jllm:Model ; rdfs:label ?label }" in query
        page.press("Enter", "Enter", 13, modifiers=CTRL)
        page.wait_for("!!document.querySelector('#output table.results')")
        rows = _rows(page)
        assert rows == [[re.sub(r"^https://w3id.org/jllm-kg", "", b["m"]["value"]),
                         b["label"]["value"]] for b in expected]
        # the downloads carry the same query
        links = page.eval("Array.from(document.querySelectorAll('#output .downloads a'))"
                          ".map(a => a.href)")
        assert any("format=csv" in link for link in links)
        csv = requests.get(next(link for link in links if "format=csv" in link), timeout=30)
        assert csv.status_code == 200 and len(csv.text.strip().splitlines()) == len(rows) + 1
        assert page.violations() == []
        # everything came from the site: the editor works offline
        requested = page.requested_urls()
        assert any(url.endswith("/ontology/context.jsonld") for url in requested)
        assert [url for url in requested if not url.startswith(base + "/")] == []
        print("screenshot:", page.screenshot(tmp_path / f"editor-{lang}.png"))


@needs_chromium
@pytest.mark.browser
def test_errors_are_marked_where_they_are(base: str, tmp_path: Path) -> None:
    broken = "SELECT * WHERE {\n  ?s ?p ?o .\n  FILTER(?x = )\n} LIMIT 1"
    with Browser(tmp_path / "profile", csp=_policy(base)) as page:
        _start(page, base, "en")
        page.type_text(broken)
        # the editor's own parser marks the line as it is typed
        marked = page.wait_for("""(() => {
          const y = window.jllmEditor, lines = [];
          for (let i = 0; i < y.lineCount(); i++) {
            const info = y.lineInfo(i);
            if (info.gutterMarkers && info.gutterMarkers.gutterErrorBar) lines.push(i + 1);
          }
          return lines; })()""")
        assert marked == [3]
        # hovering the marker explains the error (and breaks no rule of the policy)
        x, y = page.eval("""(() => { const r = document.querySelector('.parseErrorIcon')
          .getBoundingClientRect(); return [r.x + r.width / 2, r.y + r.height / 2]; })()""")
        page.command("Input.dispatchMouseEvent", type="mouseMoved", x=x, y=y)
        tip = page.wait_for("(document.querySelector('.parseErrorIcon .yasqe_tooltip') || {})"
                            ".textContent")
        assert tip.startswith("This line is invalid. Expected: ") and "STRSTARTS" in tip
        assert page.violations() == []
        page.press("Enter", "Enter", 13, modifiers=CTRL)
        message = page.wait_for("document.querySelector('#output .error') && "
                                "document.querySelector('#output .error').textContent")
        at = re.search(r"error at (\d+):(\d+)", message)
        assert at, message
        # the server's position is marked in the editor too
        line = page.eval("""(() => { const y = window.jllmEditor;
          for (let i = 0; i < y.lineCount(); i++) {
            if ((y.lineInfo(i).bgClass || '').includes('query-error-line')) return i + 1; }
          return 0; })()""")
        assert line == min(int(at.group(1)), broken.count("\n") + 1)
        assert page.eval("document.querySelectorAll('.query-error-mark').length") == 1
        # editing clears the server's mark
        page.type_text(" ")
        assert page.eval("document.querySelectorAll('.query-error-mark').length") == 0
        assert page.violations() == []
