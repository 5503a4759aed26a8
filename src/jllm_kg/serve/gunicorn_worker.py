"""gunicorn's ``gthread`` worker, answering the requests gunicorn itself refuses in the
endpoint's style.

gunicorn refuses a malformed request (a bad request line, header or ``Content-Length``) or one
over its limits (a request line over ``limit_request_line``, at most 8190 bytes; 0 would read a
request line of any length into memory) before the app sees it, with an HTML page of its own.
This worker answers those refusals as every other error of the endpoint: plain text, with
``nosniff``, and for a too long URL the way out (POST).
"""

from __future__ import annotations

import socket
from typing import Any

from gunicorn import util
from gunicorn.http.errors import (
    ConfigurationProblem,
    ExpectationFailed,
    ForbiddenProxyRequest,
    InvalidResponseHeader,
    InvalidResponseHeaderName,
    LimitRequestHeaders,
    LimitRequestLine,
    ParseException,
    UnsupportedTransferCoding,
)
from gunicorn.workers.gthread import ThreadWorker

from jllm_kg.serve.protocol import USE_POST

REFUSAL_STATUS: dict[type[Exception], tuple[int, str]] = {
    LimitRequestLine: (414, "URI Too Long"),
    LimitRequestHeaders: (431, "Request Header Fields Too Large"),
    ExpectationFailed: (417, "Expectation Failed"),
    ForbiddenProxyRequest: (403, "Forbidden"),
}
"""The status of a refusal that is not a plain 400 Bad Request (as gunicorn answers them)."""
NOT_THE_CLIENTS = (InvalidResponseHeader, InvalidResponseHeaderName, ConfigurationProblem,
                   UnsupportedTransferCoding)
"""Parse errors that gunicorn answers with a 5xx: left to gunicorn."""


class PlainErrorsWorker(ThreadWorker):
    """``gthread`` whose refusals of malformed or over-long requests are plain text."""

    def handle_error(self, req: Any, client: socket.socket, addr: Any,
                     exc: BaseException) -> None:
        if not isinstance(exc, ParseException) or isinstance(exc, NOT_THE_CLIENTS):
            super().handle_error(req, client, addr, exc)
            return
        status, reason = next((found for kind, found in REFUSAL_STATUS.items()
                               if isinstance(exc, kind)), (400, "Bad Request"))
        if isinstance(exc, LimitRequestLine):
            message = (f"the request line is longer than {self.cfg.limit_request_line} bytes: "
                       f"{USE_POST}")
        else:
            message = f"{reason.lower()}: {exc}"
        self.log.warning("Invalid request from ip=%s: %s (%s)", (addr or ("",))[0], exc, status)
        body = (message + "\n").encode()
        head = (f"HTTP/1.1 {status} {reason}\r\nConnection: close\r\n"
                "Content-Type: text/plain; charset=utf-8\r\nX-Content-Type-Options: nosniff\r\n"
                f"Access-Control-Allow-Origin: *\r\nContent-Length: {len(body)}\r\n\r\n")
        try:
            util.write_nonblock(client, head.encode("latin-1") + body)
        except OSError:
            self.log.debug("Failed to send the %s answer.", status)
