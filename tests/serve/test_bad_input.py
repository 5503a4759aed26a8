"""Bad input on a real server: a 4xx with a message in plain text, never a 500 or a crash.

Paths that are no IRI, relative dataset IRIs and over-long URLs, each as the attacker sends it.
"""

from __future__ import annotations

import hashlib
import os
import signal
import socket
import time
from collections.abc import Iterator
from pathlib import Path
from urllib.parse import urlsplit

import pytest
import requests

from .conftest import Server, start_server, stop_server

URL_LIMIT = 2000
DEFAULT_NESTING_LIMIT = 64


def nested_groups(levels: int) -> str:
    """A group pattern nested ``levels`` deep: 3000 levels (about 6 KB) crashed a worker."""
    return "SELECT * WHERE " + "{" * levels + " ?s ?p ?o " + "}" * levels


def raw_get(base: str, target: str) -> tuple[int, dict[str, str], bytes]:
    """Send ``GET target`` byte for byte (no client-side normalisation of the path)."""
    return raw_request(base, f"GET {target} HTTP/1.1\r\nHost: {urlsplit(base).netloc}\r\n"
                       "Connection: close\r\n\r\n")


def raw_request(base: str, request: str) -> tuple[int, dict[str, str], bytes]:
    """Send ``request`` as written; the status, headers (lower-case names) and body."""
    parts = urlsplit(base)
    with socket.create_connection((parts.hostname, parts.port), timeout=30) as sock:
        sock.sendall(request.encode("latin-1"))
        data = b""
        while chunk := sock.recv(65536):
            data += chunk
    head, _, body = data.partition(b"\r\n\r\n")
    status_line, *header_lines = head.decode("latin-1").split("\r\n")
    headers = {}
    for line in header_lines:
        name, _, value = line.partition(":")
        headers[name.strip().lower()] = value.strip()
    return int(status_line.split()[1]), headers, body


def assert_plain_refusal(status: int, headers: dict[str, str], body: bytes, expected: int
                         ) -> str:
    assert status == expected, body[:500]
    assert headers["content-type"].startswith("text/plain")
    assert headers["x-content-type-options"] == "nosniff"
    text = body.decode("utf-8")
    assert text.strip() and "Traceback" not in text and "internal error" not in text
    return text


@pytest.mark.parametrize("path", ["/id/model/%ff%fe", "/id/model/a%25zz", "/id/model/a%5B%5D",
                                  "/id/model/a%7Cb", "/id/model/%00"])
def test_a_path_that_is_no_iri_is_404(base: str, path: str) -> None:
    text = assert_plain_refusal(*raw_get(base, path), 404)
    assert "no resource" in text and "not a valid IRI" in text


@pytest.mark.parametrize("parameter", ["default-graph-uri", "named-graph-uri"])
@pytest.mark.parametrize("value", ["etc/passwd", "../x", "#frag", "//host/x"])
def test_a_relative_dataset_iri_is_400(base: str, parameter: str, value: str) -> None:
    r = requests.get(f"{base}/sparql", params={"query": "ASK {}", parameter: value})
    assert_plain_refusal(r.status_code, {k.lower(): v for k, v in r.headers.items()},
                         r.content, 400)
    assert parameter in r.text and "absolute IRI" in r.text
    r = requests.post(f"{base}/sparql", data={"query": "ASK {}", parameter: value})
    assert r.status_code == 400 and parameter in r.text


def test_a_get_longer_than_the_request_line_is_414_in_plain_text(base: str) -> None:
    # gunicorn refuses a request line over 8190 bytes before the app sees it; its worker answers
    # in the endpoint's style
    query = "ASK {}" + " " * 9000
    r = requests.get(f"{base}/sparql", params={"query": query})
    text = assert_plain_refusal(r.status_code, {k.lower(): v for k, v in r.headers.items()},
                                r.content, 414)
    assert "POST" in text and "application/sparql-query" in text
    r = requests.post(f"{base}/sparql", data=query.encode(),
                      headers={"Content-Type": "application/sparql-query"})
    assert r.status_code == 200 and r.json()["boolean"] is True


MALFORMED_HEADERS = [
    ("Content-Type: application/sparql-query\r\nContent-Length: abc\r\n", "CONTENT-LENGTH"),
    ("A header without its colon\r\n", "Invalid"),
    ("Content-Length: 5\r\nContent-Length: 6\r\n", "CONTENT-LENGTH"),
]


@pytest.fixture(scope="module")
def gunicorn_base(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """The same endpoint behind gunicorn (``--server gunicorn``), whose own refusals of
    malformed requests the project's worker class answers in plain text."""
    running = start_server(Path(tmp_path_factory.mktemp("gunicorn")), "--server", "gunicorn")
    yield running.url
    stop_server(running)


@pytest.mark.parametrize(("headers", "says"), MALFORMED_HEADERS)
def test_a_request_gunicorn_refuses_is_plain_text_too(gunicorn_base: str, headers: str,
                                                      says: str) -> None:
    request = (f"POST /sparql HTTP/1.1\r\nHost: {urlsplit(gunicorn_base).netloc}\r\n"
               f"{headers}Connection: close\r\n\r\nASK {{}}")
    text = assert_plain_refusal(*raw_request(gunicorn_base, request), 400)
    assert says in text and "<html>" not in text


@pytest.mark.parametrize(("headers", "says"), MALFORMED_HEADERS)
def test_a_request_granian_refuses_is_a_4xx(base: str, headers: str, says: str) -> None:
    # granian (the default front) refuses these itself, before the app: a 4xx without a body
    request = (f"POST /sparql HTTP/1.1\r\nHost: {urlsplit(base).netloc}\r\n{headers}"
               "Connection: close\r\n\r\nASK {}")
    status, _, body = raw_request(base, request)
    assert 400 <= status < 500, (status, body[:200])


# What granian's HTTP parser (hyper) answers itself, before any Python runs: a status line
# and no body, with no hook to change it (granian's HTTP/1 settings are the header timeout,
# keep-alive, the buffer size and pipelining). The README's "Bad input" section says so.
GRANIAN_OWN_REFUSALS = [
    ("GET /sparql?query=" + "a" * 70_000 + " HTTP/1.1\r\n", 414),  # a URI over 64 KiB
]
# A head over granian's 400 KiB read buffer usually gets a bare 431 too, but not always: one
# CI run under load got a 200 for a 500 KB header, so that answer is not pinned here.


@pytest.mark.parametrize(("start", "status"), GRANIAN_OWN_REFUSALS, ids=["uri-64k"])
def test_what_granian_refuses_itself_is_a_bare_status(base: str, start: str, status: int) -> None:
    request = f"{start}Host: {urlsplit(base).netloc}\r\nConnection: close\r\n\r\n"
    answer, headers, body = raw_request(base, request)
    assert (answer, body, headers["content-length"]) == (status, b"", "0")


@pytest.fixture(scope="module")
def short_url_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Server]:
    """A server with a short URL limit, and a nesting limit lifted far past what crashes."""
    running = start_server(Path(tmp_path_factory.mktemp("short-url")),
                           "--max-url", str(URL_LIMIT), "--max-nesting", "100000")
    yield running
    stop_server(running)


@pytest.mark.parametrize("path", ["/sparql", "/query"])
def test_the_url_limit_is_the_apps_own(short_url_server: Server, path: str) -> None:
    # a URL under the HTTP server's limit but over --max-url: the app's 414 (the same answer
    # under any HTTP server in front)
    long_query = "ASK {}" + " " * URL_LIMIT
    r = requests.get(f"{short_url_server.url}{path}", params={"query": long_query})
    text = assert_plain_refusal(r.status_code, {k.lower(): v for k, v in r.headers.items()},
                                r.content, 414)
    assert f"the limit is {URL_LIMIT}" in text and "POST" in text
    r = requests.get(f"{short_url_server.url}{path}", params={"query": "ASK {}"})
    assert r.status_code == 200


def gzip_file_name(data: bytes) -> str | None:
    """The original file name a gzip member's header states (RFC 1952 FNAME), if any."""
    assert data[:2] == b"\x1f\x8b"
    flags = data[3]
    position = 10
    if flags & 0x04:  # FEXTRA
        position += 2 + int.from_bytes(data[position:position + 2], "little")
    if not flags & 0x08:  # FNAME
        return None
    return data[position:data.index(b"\0", position)].decode("latin-1")


def test_the_dump_unzips_to_its_own_name(base: str) -> None:
    r = requests.get(f"{base}/dumps/jllm-kg.nq.gz")
    assert r.status_code == 200
    assert gzip_file_name(r.content) == "jllm-kg.nq"


@pytest.mark.parametrize("levels", [3000, DEFAULT_NESTING_LIMIT + 1])
def test_deep_nesting_is_refused_before_execution(base: str, levels: int) -> None:
    query = nested_groups(levels)
    r = requests.post(f"{base}/sparql", data=query.encode(),
                      headers={"Content-Type": "application/sparql-query"})
    text = assert_plain_refusal(r.status_code, {k.lower(): v for k, v in r.headers.items()},
                                r.content, 400)
    assert f"{levels} levels deep" in text and f"the limit is {DEFAULT_NESTING_LIMIT}" in text
    r = requests.get(f"{base}/query", params={"query": nested_groups(DEFAULT_NESTING_LIMIT + 1)},
                     headers={"Accept": "text/html"})
    assert r.status_code == 400 and "levels deep" in r.text


def test_nesting_within_the_limit_and_brackets_in_strings_run(base: str) -> None:
    query = nested_groups(DEFAULT_NESTING_LIMIT)
    r = requests.post(f"{base}/sparql", data=query.encode(),
                      headers={"Content-Type": "application/sparql-query"})
    assert r.status_code == 200, r.text
    query = f'ASK {{ FILTER("{"{(" * 500}" != "") }} # {"[" * 500}'
    r = requests.get(f"{base}/sparql", params={"query": query})
    assert r.status_code == 200 and r.json()["boolean"] is True


def test_a_worker_crash_is_logged_with_its_cause(short_url_server: Server) -> None:
    # with the nesting limit lifted, the 3000-level pattern overflows the worker's stack
    query = nested_groups(3000)
    r = requests.post(f"{short_url_server.url}/sparql", data=query.encode(),
                      headers={"Content-Type": "application/sparql-query"})
    assert r.status_code == 503 and "SIGSEGV" in r.text
    digest = hashlib.sha256(query.encode()).hexdigest()[:16]
    deadline = time.monotonic() + 10
    while f"sha256:{digest}" not in short_url_server.log_text() and time.monotonic() < deadline:
        time.sleep(0.2)
    line = next(line for line in short_url_server.log_text().splitlines()
                if f"sha256:{digest}" in line)
    assert "died (signal SIGSEGV)" in line and f"({len(query)} characters)" in line
    # the pool replaced the worker: the server still answers
    r = requests.get(f"{short_url_server.url}/sparql", params={"query": "ASK {}"})
    assert r.status_code == 200


def query_workers(server: Server) -> list[int]:
    """The query worker processes of ``server``: the children of its forkserver."""
    group = os.getpgid(server.process.pid)
    found: dict[int, tuple[int, str]] = {}
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            fields = (entry / "stat").read_text().rsplit(")", 1)[1].split()
            command = (entry / "cmdline").read_bytes().replace(b"\0", b" ").decode()
        except OSError:
            continue
        if int(fields[2]) == group:
            found[int(entry.name)] = (int(fields[1]), command)
    return [pid for pid, (parent, _) in found.items()
            if "multiprocessing.forkserver" in found.get(parent, (0, ""))[1]]


def is_running(pid: int) -> bool:
    """Whether ``pid`` exists and is no zombie."""
    try:
        state = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0]
    except OSError:
        return False
    return state != "Z"


def test_a_worker_dying_while_idle_is_logged(short_url_server: Server) -> None:
    deadline = time.monotonic() + 30
    while len(query_workers(short_url_server)) < 2 and time.monotonic() < deadline:
        time.sleep(0.2)  # the pool is whole again after the crash of an earlier test
    victim = query_workers(short_url_server)[0]
    os.kill(victim, signal.SIGSEGV)
    deadline = time.monotonic() + 10
    while is_running(victim) and time.monotonic() < deadline:
        time.sleep(0.05)  # dead before the next query picks it: it dies while idle
    expected = f"query worker {victim} died while idle (signal SIGSEGV)"
    attempt = 0
    while expected not in short_url_server.log_text() and time.monotonic() < deadline:
        attempt += 1  # a new query each time: a repeated one is answered from the cache
        r = requests.get(f"{short_url_server.url}/sparql",
                         params={"query": f"ASK {{}} # {attempt}"})
        # a successor may still be starting (2 s time limit, loaded machine): busy, not failed
        assert r.status_code == 200 or "busy" in r.text, r.text
    assert expected in short_url_server.log_text()
