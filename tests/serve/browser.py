"""Headless Chromium driven through the DevTools protocol, with no library but the standard one.

``chromium --remote-debugging-pipe`` reads protocol commands on file descriptor 3 and writes
answers and events on descriptor 4, each message JSON ended by a NUL byte. That is enough to
type into a page, press keys, read the DOM and take screenshots, where ``--dump-dom`` can only
look at a page that nobody touched.

An optional Content-Security-Policy is added to every document the page loads (through the
protocol's ``Fetch`` domain), and every violation the page reports is recorded: the page is
tested under the policy the server sends in production.
"""

from __future__ import annotations

import base64
import json
import os
import shutil
import subprocess
import time
from pathlib import Path
from types import TracebackType
from typing import Any

import pytest

CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")

needs_chromium = pytest.mark.skipif(
    CHROMIUM is None, reason="chromium is not installed "
    "(apt-get install -y chromium fonts-ipafont-gothic)")

# Without the background-networking flags Chromium keeps trying hosts this machine cannot reach.
HEADLESS_FLAGS = (
    "--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
    "--disable-component-update", "--no-first-run", "--disable-dev-shm-usage",
    "--hide-scrollbars",
)


def run_headless(tmp_path: Path, *args: str, timeout: float = 90
                 ) -> subprocess.CompletedProcess[str]:
    """One headless Chromium run (``--dump-dom``, ``--screenshot=…``) with its own profile in
    ``tmp_path``; for pages nobody types into (see :class:`Browser` for those)."""
    assert CHROMIUM is not None
    return subprocess.run(
        [CHROMIUM, *HEADLESS_FLAGS, f"--user-data-dir={tmp_path / 'profile'}", *args],
        capture_output=True, text=True, timeout=timeout, check=False,
    )


def screenshot_and_dom(tmp_path: Path, url: str, name: str, *, height: int,
                       min_bytes: int) -> str:
    """A screenshot of ``url`` in a 1280 × ``height`` window, kept in ``tmp_path`` as
    ``name`` (its path printed, for a look at the layout), at least ``min_bytes`` large;
    then the page's DOM."""
    screenshot = tmp_path / name
    shot = run_headless(tmp_path, f"--window-size=1280,{height}", f"--screenshot={screenshot}",
                        url)
    assert screenshot.is_file() and screenshot.stat().st_size > min_bytes, shot.stderr[-2000:]
    print(f"screenshot of {url}: {screenshot}")
    return run_headless(tmp_path, "--dump-dom", url).stdout

_RECORD_VIOLATIONS = """
window.__cspViolations = [];
document.addEventListener("securitypolicyviolation", function (e) {
  window.__cspViolations.push(e.violatedDirective + " " + (e.blockedURI || "inline") + " "
                              + (e.sourceFile || "") + ":" + e.lineNumber);
});
"""


def _as_fds_3_and_4(commands: int, answers: int) -> None:
    """In the child: the command pipe as fd 3 and the answer pipe as fd 4 (either may already
    sit on the other's number, so both are first moved out of the way)."""
    commands, answers = os.dup(commands), os.dup(answers)
    os.dup2(commands, 3)
    os.dup2(answers, 4)


class BrowserError(RuntimeError):
    """A protocol command failed, or the browser did not answer in time."""


class Browser:
    """``with Browser(tmp_path, csp=…) as page:`` … ``page.open(url)`` … ``page.eval(js)``."""

    def __init__(self, profile: Path, *, csp: str | None = None,
                 width: int = 1280, height: int = 900) -> None:
        assert CHROMIUM is not None, "chromium is not installed"
        self.csp = csp
        to_browser_r, self._to_browser = os.pipe()
        self._from_browser, from_browser_w = os.pipe()
        # the child sees our pipe ends as its fds 3 (commands in) and 4 (answers out)
        self.process = subprocess.Popen(
            [CHROMIUM, "--headless", "--no-sandbox", "--disable-gpu", "--no-first-run",
             "--disable-background-networking", "--disable-dev-shm-usage",
             "--remote-debugging-pipe", f"--user-data-dir={profile}",
             f"--window-size={width},{height}", "about:blank"],
            stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
            pass_fds=(3, 4), preexec_fn=lambda: _as_fds_3_and_4(to_browser_r, from_browser_w),
        )
        os.close(to_browser_r)
        os.close(from_browser_w)
        self._buffer = b""
        self._next_id = 0
        self.events: list[dict[str, Any]] = []
        self._replies: dict[int, dict[str, Any]] = {}
        self.session = ""

    def __enter__(self) -> Browser:
        targets = self.command("Target.getTargets")["targetInfos"]
        page = next(t for t in targets if t["type"] == "page")
        self.session = self.command("Target.attachToTarget", targetId=page["targetId"],
                                    flatten=True)["sessionId"]
        self.command("Page.enable")
        self.command("Runtime.enable")
        self.command("Network.enable")
        self.command("Page.addScriptToEvaluateOnNewDocument", source=_RECORD_VIOLATIONS)
        if self.csp:
            self.command("Fetch.enable", patterns=[
                {"resourceType": "Document", "requestStage": "Response"}])
        return self

    def __exit__(self, kind: type[BaseException] | None, error: BaseException | None,
                 trace: TracebackType | None) -> None:
        self.process.kill()
        self.process.wait(10)
        os.close(self._to_browser)
        os.close(self._from_browser)

    # the protocol

    def _send(self, method: str, params: dict[str, Any], session: str | None) -> int:
        self._next_id += 1
        message: dict[str, Any] = {"id": self._next_id, "method": method, "params": params}
        if session:
            message["sessionId"] = session
        os.write(self._to_browser, json.dumps(message).encode() + b"\0")
        return self._next_id

    def _receive(self, deadline: float) -> dict[str, Any]:
        while b"\0" not in self._buffer:
            if time.monotonic() > deadline:
                raise BrowserError("the browser did not answer in time")
            chunk = os.read(self._from_browser, 1 << 20)
            if not chunk:
                raise BrowserError("the browser closed its pipe")
            self._buffer += chunk
        raw, self._buffer = self._buffer.split(b"\0", 1)
        message: dict[str, Any] = json.loads(raw)
        if message.get("method") == "Fetch.requestPaused":
            self._add_policy(message)
        elif "method" in message:
            self.events.append(message)
        elif "id" in message:
            self._replies[int(message["id"])] = message
        return message

    def _add_policy(self, event: dict[str, Any]) -> None:
        params = event["params"]
        headers = [h for h in params.get("responseHeaders", [])
                   if h["name"].lower() != "content-security-policy"]
        headers.append({"name": "Content-Security-Policy", "value": self.csp})
        body = self.command("Fetch.getResponseBody", requestId=params["requestId"])
        data = body["body"] if body.get("base64Encoded") else base64.b64encode(
            body["body"].encode()).decode()
        self._send("Fetch.fulfillRequest", {
            "requestId": params["requestId"], "responseCode": params.get("responseStatusCode", 200),
            "responseHeaders": headers, "body": data}, self.session)

    def command(self, method: str, timeout: float = 30, **params: Any) -> dict[str, Any]:
        """Send one command (to the page once attached) and return its result."""
        session = self.session if self.session and not method.startswith("Target.") else None
        wanted = self._send(method, params, session)
        deadline = time.monotonic() + timeout
        while wanted not in self._replies:
            self._receive(deadline)
        message = self._replies.pop(wanted)
        if "error" in message:
            raise BrowserError(f"{method}: {message['error']}")
        result: dict[str, Any] = message.get("result", {})
        return result

    # what the tests do

    def eval(self, expression: str, timeout: float = 30) -> Any:
        """The value of a JavaScript expression in the page (promises awaited)."""
        result = self.command("Runtime.evaluate", timeout=timeout, expression=expression,
                              awaitPromise=True, returnByValue=True)
        if "exceptionDetails" in result:
            raise BrowserError(f"{expression!r}: {result['exceptionDetails']}")
        return result["result"].get("value")

    def wait_for(self, expression: str, timeout: float = 20) -> Any:
        """Poll ``expression`` until it is truthy; its value."""
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            value = self.eval(expression)
            if value:
                return value
            time.sleep(0.1)
        raise BrowserError(f"still false after {timeout} s: {expression}")

    def open(self, url: str) -> None:
        """Load ``url`` and wait for its load event."""
        self.events.clear()
        self.command("Page.navigate", url=url)
        deadline = time.monotonic() + 30
        while not any(e.get("method") == "Page.loadEventFired" for e in self.events):
            self._receive(deadline)

    def type_text(self, text: str) -> None:
        """Type ``text`` where the focus is (as an input method would insert it)."""
        self.command("Input.insertText", text=text)

    def press(self, key: str, code: str, key_code: int, *, modifiers: int = 0) -> None:
        """Press and release a key (``modifiers``: 2 is Ctrl)."""
        for kind in ("rawKeyDown", "keyUp"):
            self.command("Input.dispatchKeyEvent", type=kind, key=key, code=code,
                         windowsVirtualKeyCode=key_code, modifiers=modifiers)

    def requested_urls(self) -> list[str]:
        """Every URL the page asked for since it was opened (documents, scripts, fetches)."""
        return [e["params"]["request"]["url"] for e in self.events
                if e.get("method") == "Network.requestWillBeSent"]

    def violations(self) -> list[str]:
        """The Content-Security-Policy violations the page reported."""
        found: list[str] = self.eval("window.__cspViolations || []")
        return found

    def screenshot(self, target: Path) -> Path:
        data = self.command("Page.captureScreenshot", format="png")["data"]
        target.write_bytes(base64.b64decode(data))
        return target
