"""Gunicorn settings for production-like runs, all overridable from the environment."""
import multiprocessing
import os

bind = os.environ.get("GUNICORN_BIND", f"0.0.0.0:{os.environ.get('PORT', '8000')}")
workers = int(os.environ.get("GUNICORN_WORKERS", multiprocessing.cpu_count() * 2 + 1))
threads = int(os.environ.get("GUNICORN_THREADS", "4"))
worker_class = os.environ.get("GUNICORN_WORKER_CLASS", "gthread")
timeout = int(os.environ.get("GUNICORN_TIMEOUT", "30"))
graceful_timeout = int(os.environ.get("GUNICORN_GRACEFUL_TIMEOUT", "30"))
keepalive = int(os.environ.get("GUNICORN_KEEPALIVE", "5"))
max_requests = int(os.environ.get("GUNICORN_MAX_REQUESTS", "0"))
max_requests_jitter = int(os.environ.get("GUNICORN_MAX_REQUESTS_JITTER", "0"))
# The app writes its own JSON access log line per request; gunicorn's would duplicate it.
accesslog = None
errorlog = "-"
loglevel = os.environ.get("LOG_LEVEL", "info").lower()
# Client address and scheme come from the app's ProxyFix, which trusts exactly TRUSTED_PROXY_HOPS entries of
# X-Forwarded-For/-Proto. Gunicorn's own forwarded-header handling (the scheme) is kept to the addresses
# in FORWARDED_ALLOW_IPS (the task definition sets the load balancer's subnets), loopback otherwise.
forwarded_allow_ips = os.environ.get("FORWARDED_ALLOW_IPS", "127.0.0.1,::1")


def post_worker_init(worker):
    """Each worker warms up (pool, Redis, the hot path's compiled statements: ims/warmup.py) before it
    accepts its first connection, so the first minute after a deploy is not paid by its first users."""
    from ims.warmup import warm

    warm(worker.wsgi, connections=worker.cfg.threads)
