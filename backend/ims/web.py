"""What the API adds to every response (security headers, CORS) and how it serves the built SPA."""
from __future__ import annotations

import json
from pathlib import Path

from flask import Flask, Response, request, send_from_directory
from flask_compress import Compress
from flask_cors import CORS
from werkzeug.routing import PathConverter

from .errors import AppError

API_CSP = "default-src 'none'; frame-ancestors 'none'"
# An internal staff tool: no crawler indexes any of it (production's nginx answers the same).
ROBOTS_TXT = "User-agent: *\nDisallow: /\n"
COMPRESSED_TYPES = ["text/html", "text/css", "text/plain", "text/javascript", "application/javascript",
                    "application/json", "image/svg+xml"]
JSON_METHODS = {"POST", "PUT", "PATCH"}


class SpaPathConverter(PathConverter):
    """Any path outside /api: an unknown API URL must be a 404 for every method, not a 405 from the SPA route."""

    regex = r"(?!api(?:/|$))[^/].*?"


# The routes that take a file as multipart/form-data instead of JSON.
UPLOAD_PATHS = frozenset({"/api/imports"})


class UnsupportedMediaType(AppError, status=415, message="Send the body as application/json."):
    """A body sent as anything but JSON."""


class UnusableJson(AppError, status=400, message="The body is not valid JSON."):
    """JSON the layers after the parser cannot use (see `_reject_unusable_json`)."""


def _reject_unusable_json() -> None:
    """JSON that parses in principle but breaks the layers after the parser: nesting deep enough to
    exhaust the recursion limit, integers longer than Python will convert, or lone surrogates
    (\\ud800) that no UTF-8 column can store. Syntax errors are left to the schema layer, which names them."""
    data = request.get_data(cache=True)
    if not data:
        return
    try:
        json.dumps(json.loads(data), ensure_ascii=False).encode("utf-8")
    except RecursionError:
        raise UnusableJson("The body nests too deeply.") from None
    except UnicodeEncodeError:
        raise UnusableJson("The body contains text that is not valid Unicode (a lone surrogate).") from None
    except (json.JSONDecodeError, UnicodeDecodeError):
        return
    except ValueError:  # e.g. "Exceeds the limit (4300 digits) for integer string conversion"
        raise UnusableJson("The body holds a number too long to read.") from None


def install_security(app: Flask) -> None:
    if app.config["CORS_ORIGINS"]:
        CORS(app, resources={r"/api/*": {"origins": app.config["CORS_ORIGINS"]}},
             expose_headers=["ETag", "X-Cache", "X-Data-Stale", "X-Request-ID", "Content-Disposition", "Location",
                             "Retry-After"],
             allow_headers=["Authorization", "Content-Type", "X-Site-ID", "If-Match", "X-Request-ID"],
             max_age=600)

    @app.before_request
    def require_json_bodies():
        if request.method == "POST" and request.path in UPLOAD_PATHS and request.mimetype == "multipart/form-data":
            return  # a file upload, its body limit set by its own route (imports/routes.py)
        if request.method in JSON_METHODS and request.path.startswith("/api/"):
            if not request.is_json:
                if request.content_length or request.headers.get("Transfer-Encoding") or request.mimetype:
                    raise UnsupportedMediaType()
            else:
                _reject_unusable_json()

    @app.after_request
    def security_headers(response: Response):
        headers = response.headers
        headers.setdefault("X-Content-Type-Options", "nosniff")
        headers.setdefault("X-Frame-Options", "DENY")
        headers.setdefault("Referrer-Policy", "no-referrer")
        if request.path.startswith("/api/"):
            headers.setdefault("Content-Security-Policy", API_CSP)
            headers.setdefault("Cache-Control", "no-store")
        else:
            headers.setdefault("Content-Security-Policy", spa_csp(app))
        if app.config["HSTS_ENABLED"]:
            headers.setdefault("Strict-Transport-Security", "max-age=63072000; includeSubDomains")
        return response


def spa_csp(app: Flask) -> str:
    connect = ["'self'"]
    spa = app.config["SPA_CONFIG"]
    if spa.get("REACT_APP_API_URL"):
        connect.append(spa["REACT_APP_API_URL"].rstrip("/"))
    if spa.get("REACT_APP_AUTH0_DOMAIN"):
        connect.append(f"https://{spa['REACT_APP_AUTH0_DOMAIN']}")
    frames = f" https://{spa['REACT_APP_AUTH0_DOMAIN']}" if spa.get("REACT_APP_AUTH0_DOMAIN") else ""
    return ("default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; img-src 'self' data:; "
            f"font-src 'self' data:; connect-src {' '.join(connect)}; frame-src 'self'{frames}; "
            "frame-ancestors 'none'; base-uri 'self'; form-action 'self'; object-src 'none'")


def install_compression(app: Flask) -> None:
    """Brotli or gzip for text (the SPA's files, the API's JSON) when the client accepts it, as production's
    nginx does. Flask-Compress marks a compressed answer's strong ETag "<tag>:gzip"; it becomes the weak form of
    the unchanged tag instead (nginx's rule), so an interaction's ETag still works in If-Match and the SPA's
    files still revalidate with If-None-Match."""
    for key, value in (("COMPRESS_ALGORITHM", ["br", "gzip"]), ("COMPRESS_ALGORITHM_STREAMING", ["br", "gzip"]),
                       ("COMPRESS_MIMETYPES", COMPRESSED_TYPES), ("COMPRESS_REGISTER", False),
                       # Conditional and range requests are answered before compression, on the unchanged tag.
                       ("COMPRESS_EVALUATE_CONDITIONAL_REQUEST", False)):
        app.config.setdefault(key, value)
    compress = Compress(app)

    @app.after_request
    def compressed(response: Response):
        etag, weak = response.get_etag()
        response = compress.after_request(response)
        if etag and not weak and "Content-Encoding" in response.headers:
            response.set_etag(etag, weak=True)
        return response


def install_spa(app: Flask) -> None:
    """Serve frontend/dist at / with client-side routes falling back to index.html."""
    dist = Path(app.config["SPA_DIST"])
    app.url_map.converters["spa_path"] = SpaPathConverter

    @app.route("/config.js")
    def spa_config():
        body = "window.__APP_CONFIG__ = " + json.dumps(app.config["SPA_CONFIG"]) + ";\n"
        return Response(body, mimetype="application/javascript", headers={"Cache-Control": "no-cache"})

    @app.route("/robots.txt")
    def robots():
        return Response(ROBOTS_TXT, mimetype="text/plain", headers={"Cache-Control": "public, max-age=86400"})

    @app.route("/", defaults={"path": ""})
    @app.route("/<spa_path:path>")
    def spa(path: str):
        if not (dist / "index.html").is_file():
            return Response(
                "The SPA is not built. Run `make run` (or `cd frontend && npm ci && npm run build`).\n",
                status=404, mimetype="text/plain")
        if path and (dist / path).is_file():
            response = send_from_directory(dist, path)
            if path.startswith("assets/"):
                response.headers["Cache-Control"] = "public, max-age=31536000, immutable"
            return response
        response = send_from_directory(dist, "index.html")
        response.headers["Cache-Control"] = "no-cache"
        return response
