"""What every page and document shares: the page chrome, CORS headers and the error answers."""

from __future__ import annotations

from urllib.parse import urlencode

from flask import Blueprint, Response, current_app, render_template, request
from markupsafe import Markup
from werkzeug.exceptions import HTTPException

from jllm_kg.serve.i18n import LANGUAGE_COOKIE, LANGUAGES, ui
from jllm_kg.serve.pool import QueryStopped
from jllm_kg.serve.protocol import ClientError
from jllm_kg.serve.service import QueryFailed
from jllm_kg.serve.web.context import languages, site, text_response, wants_html

chrome = Blueprint("chrome", __name__)
LANGUAGE_COOKIE_DAYS = 365


def error_response(status: int, message: str) -> Response:
    """An error page for a browser, plain text for anything else."""
    if wants_html():
        html = render_template("error.html", status=status, message=message)
        return Response(html, status=status, content_type="text/html; charset=utf-8")
    return text_response(status, message)


@chrome.app_context_processor
def page_chrome() -> dict[str, object]:
    lang = languages()[0]

    def filled(key: str, **parts: str) -> Markup:
        # the text is escaped and the parts (links the template built) go in as they are
        return Markup.escape(ui(key, lang)).format(**{k: Markup(v) for k, v in parts.items()})

    return {
        "lang": lang,
        "t": lambda key: ui(key, lang),
        "tf": filled,
        "number": lambda n: f"{n:,}".replace(",", ui("thousands", lang)),
        "languages": LANGUAGES,
        "root": request.script_root,
        "lang_link": lambda code: request.path + "?" + urlencode(
            {**{k: v for k, v in request.args.items() if k != "lang"}, "lang": code}
        ),
    }


@chrome.after_app_request
def remember_language(response: Response) -> Response:
    """Keep a valid ``?lang=`` in a cookie, so that the next click stays in that language."""
    if response.mimetype == "text/html":
        # a page's language follows these headers: a shared cache must keep them apart
        response.vary.add("Accept-Language")
        response.vary.add("Cookie")
    chosen = request.args.get("lang")
    if chosen in LANGUAGES and request.cookies.get(LANGUAGE_COOKIE) != chosen:
        response.set_cookie(LANGUAGE_COOKIE, chosen, max_age=LANGUAGE_COOKIE_DAYS * 86400,
                            path=request.script_root or "/", samesite="Lax", httponly=True)
    return response


@chrome.after_app_request
def cors(response: Response) -> Response:
    response.headers["Access-Control-Allow-Origin"] = "*"
    response.headers.setdefault("X-Content-Type-Options", "nosniff")
    if request.method == "OPTIONS":
        # a preflight (a script that sends Accept-Language, say) must be told what it may do
        response.headers["Access-Control-Allow-Methods"] = response.headers.get(
            "Allow", "GET, HEAD, OPTIONS")
        response.headers["Access-Control-Allow-Headers"] = "Content-Type, Accept, Accept-Language"
        response.headers["Access-Control-Max-Age"] = "86400"
    return response


@chrome.app_errorhandler(ClientError)
def client_error(error: ClientError) -> Response:
    return error_response(error.status, error.message)


@chrome.app_errorhandler(QueryStopped)
def stopped(error: QueryStopped) -> Response:
    return error_response(503, str(error))


@chrome.app_errorhandler(QueryFailed)
def failed(error: QueryFailed) -> Response:
    status = 503 if error.reply.status in {"too_large", "memory"} else 500
    return error_response(status, f"query failed: {error.reply.message}")


@chrome.app_errorhandler(HTTPException)
def http_error(error: HTTPException) -> Response:
    message = error.description or error.name
    if error.code == 413:
        message = f"request body larger than the limit of {site().config.max_body_bytes} bytes"
    response = error_response(error.code or 500, f"{error.name}: {message}")
    valid_methods: list[str] | None = getattr(error, "valid_methods", None)
    if error.code == 405:
        response.headers["Allow"] = ", ".join(
            sorted(valid_methods or ["GET", "HEAD", "POST", "OPTIONS"])
        )
    return response


@chrome.app_errorhandler(Exception)
def unexpected(error: Exception) -> Response:
    current_app.logger.exception("unexpected error")
    return error_response(500, f"internal error ({type(error).__name__})")


@chrome.route("/update", methods=["GET", "POST"])
def update() -> Response:
    raise ClientError(403, "this endpoint is read-only: SPARQL Update is not accepted")
