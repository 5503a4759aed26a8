"""gunicorn's ``gthread`` worker, answering an over-long request line in the endpoint's style.

gunicorn refuses a request line over ``limit_request_line`` (at most 8190 bytes; 0 lifts the
limit altogether, and then it reads a request line of any length into memory) before the app
sees the request, with an HTML page of its own. This worker keeps the limit and answers that
refusal as every other error of the endpoint: plain text, with the way out (POST).
"""

from __future__ import annotations

import socket
from typing import Any

from gunicorn import util
from gunicorn.http.errors import LimitRequestLine
from gunicorn.workers.gthread import ThreadWorker

from jllm_kg.serve.protocol import USE_POST


class PlainErrorsWorker(ThreadWorker):
    """``gthread`` with a plain-text 414."""

    def handle_error(self, req: Any, client: socket.socket, addr: Any,
                     exc: BaseException) -> None:
        if not isinstance(exc, LimitRequestLine):
            super().handle_error(req, client, addr, exc)
            return
        self.log.warning("Refused a request line over %s bytes from ip=%s (414)",
                         self.cfg.limit_request_line, (addr or ("",))[0])
        body = (f"the request line is longer than {self.cfg.limit_request_line} bytes: "
                f"{USE_POST}\n").encode()
        head = ("HTTP/1.1 414 URI Too Long\r\nConnection: close\r\n"
                "Content-Type: text/plain; charset=utf-8\r\nX-Content-Type-Options: nosniff\r\n"
                f"Access-Control-Allow-Origin: *\r\nContent-Length: {len(body)}\r\n\r\n")
        try:
            util.write_nonblock(client, head.encode("latin-1") + body)
        except OSError:
            self.log.debug("Failed to send the 414 answer.")
