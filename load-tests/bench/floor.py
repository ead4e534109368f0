"""The floor: the least a cached Finder page can cost on this machine, measured in the same run.

A minimal WSGI app under the API's own gunicorn settings that checks the bearer token as the
API does (HS256, issuer, audience, expiry, with python-jose) and answers with one Redis GET
of a real Finder page; `scenario` loads it exactly as `finder_cached` loads the API. The
difference between the two is what the API's framework, routing, deny-list, principal and
generation checks cost on a hit.

gunicorn imports this module with the API's virtualenv; the harness's own imports stay lazy.
"""
from __future__ import annotations

import os

PAGE_KEY_ENV = "FLOOR_PAGE_KEY"


def _make_app():
    import redis
    from jose import JWTError, jwt

    secret, key = os.environ["SECRET_KEY"], os.environ[PAGE_KEY_ENV]
    client = redis.Redis.from_url(os.environ["REDIS_URL"], socket_connect_timeout=0.5, socket_timeout=0.5)

    def application(environ, start_response):
        if environ.get("PATH_INFO") in ("/api/health", "/api/health/ready"):
            start_response("200 OK", [("Content-Type", "application/json")])
            return [b'{"status":"ok"}']
        scheme, _, token = environ.get("HTTP_AUTHORIZATION", "").partition(" ")
        try:
            if scheme.lower() != "bearer":
                raise JWTError("no bearer token")
            jwt.decode(token, secret, algorithms=["HS256"], audience="ims-api", issuer="ims")
        except JWTError:
            start_response("401 Unauthorized", [("Content-Type", "application/json")])
            return [b'{"error":{"code":"unauthorized","message":"Sign in.","details":{}}}']
        body = client.get(key)
        if body is None:
            start_response("404 Not Found", [("Content-Type", "application/json")])
            return [b'{"error":{"code":"not_found","message":"No page seeded.","details":{}}}']
        start_response("200 OK", [("Content-Type", "application/json"), ("Content-Length", str(len(body)))])
        return [body]

    return application


_app = None


def application(environ, start_response):
    """Built at the first request in each worker, so importing this module needs nothing."""
    global _app
    if _app is None:
        _app = _make_app()
    return _app(environ, start_response)


def _free_port() -> int:
    import socket

    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def _seed(backend_dir: str, redis_url: str, key: str, body: bytes) -> None:
    import subprocess

    code = "import redis, sys; redis.Redis.from_url(sys.argv[1]).set(sys.argv[2], sys.stdin.buffer.read())"
    subprocess.run([os.path.join(backend_dir, ".venv/bin/python"), "-c", code, redis_url, key], input=body,
                   check=True, timeout=60)


async def scenario(ctx) -> dict:
    """`floor`: the same closed loop as `finder_cached` (16 connections, same duration) against the floor app."""
    from .loadgen import call, closed_loop, session
    from .server import ApiServer

    api = ctx.server
    key = api.env["REDIS_KEY_PREFIX"] + "floor:page"
    async with session(1) as http:
        _, body, _ = await call(http, "GET", ctx.url("/api/interactions"), headers=ctx.headers(1))
    _seed(api.backend_dir, api.env["REDIS_URL"], key, body)

    port = _free_port()
    floor = ApiServer(api.backend_dir, api.env["DATABASE_URL"], api.env["REDIS_URL"], api.env["REDIS_KEY_PREFIX"],
                      port, api.log_path)
    # the API's environment as it is (gunicorn settings, SECRET_KEY that signed the token), on its own port
    floor.env = {**api.env, PAGE_KEY_ENV: key, "GUNICORN_BIND": f"127.0.0.1:{port}"}
    floor.app, floor.pythonpath = "bench.floor:application", os.path.dirname(os.path.dirname(__file__))
    floor.start()
    try:
        async with session(16) as http:
            headers = ctx.headers(1)

            def action(index):
                return lambda: call(http, "GET", floor.base_url + "/api/interactions", headers=headers)

            summary = (await closed_loop(action, 16, ctx.duration_s)).summary()
    finally:
        floor.stop()
    return {"floor": {**summary, "connections": 16, "page_bytes": len(body)}}
