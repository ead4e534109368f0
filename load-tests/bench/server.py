"""The API under gunicorn in its production configuration, on loopback, with its memory watched."""
from __future__ import annotations

import os
import secrets
import signal
import subprocess
import json
import time
import urllib.request

import psutil


class ApiServer:
    # what gunicorn serves, and where it imports it from (the floor app lives in this harness)
    app = "ims:create_app()"
    pythonpath: str | None = None

    def __init__(self, backend_dir: str, database_url: str, redis_url: str, redis_prefix: str, port: int,
                 log_path: str, extra_env: dict | None = None):
        self.backend_dir = backend_dir
        self.port = port
        self.base_url = f"http://127.0.0.1:{port}"
        self.log_path = log_path
        self.env = {
            **os.environ,
            "APP_ENV": "production",
            "DATABASE_URL": database_url,
            "REDIS_URL": redis_url,
            "REDIS_KEY_PREFIX": redis_prefix,
            "SECRET_KEY": secrets.token_hex(32),
            "LOG_LEVEL": os.environ.get("BENCH_LOG_LEVEL", "INFO"),
            # every simulated user logs in from 127.0.0.1: the per-address login limit would refuse them
            "LOGIN_RATE_LIMIT": "100000/minute",
            "GUNICORN_BIND": f"127.0.0.1:{port}",
            **(extra_env or {}),
        }
        self.process: subprocess.Popen | None = None

    def start(self, timeout_s: float = 60) -> float:
        """Start gunicorn and wait until the API is ready as the load balancer asks it (`/api/health/ready`,
        answered by a worker that has finished its warm-up) and every worker is forked; returns the seconds
        that took."""
        began = time.monotonic()
        log = open(self.log_path, "ab")
        self.process = subprocess.Popen(
            [os.path.join(self.backend_dir, ".venv/bin/gunicorn"), "-c", "gunicorn.conf.py",
             *(["--pythonpath", self.pythonpath] if self.pythonpath else []), self.app],
            cwd=self.backend_dir, env=self.env, stdout=log, stderr=subprocess.STDOUT, start_new_session=True,
        )
        deadline = time.monotonic() + timeout_s
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise RuntimeError(f"gunicorn exited with {self.process.returncode}; see {self.log_path}")
            try:
                with urllib.request.urlopen(self.base_url + "/api/health/ready", timeout=1) as response:
                    if response.status == 200 and len(self.workers()) >= self.expected_workers():
                        return time.monotonic() - began
            except OSError:
                pass
            time.sleep(0.2)
        self.stop()
        raise RuntimeError(f"the API did not become healthy in {timeout_s:.0f} s; see {self.log_path}")

    def restart(self, timeout_s: float = 60) -> float:
        """A deploy of the same release: new processes, the same database and Redis; seconds until ready."""
        self.stop()
        return self.start(timeout_s)

    def expected_workers(self) -> int:
        return int(self.env.get("GUNICORN_WORKERS", "1"))

    def workers(self) -> list[psutil.Process]:
        if not self.process:
            return []
        try:
            return psutil.Process(self.process.pid).children()
        except psutil.NoSuchProcess:
            return []

    def rss_bytes(self) -> int:
        """Resident memory of the master and all workers."""
        total = 0
        for proc in [psutil.Process(self.process.pid), *self.workers()]:
            try:
                total += proc.memory_info().rss
            except psutil.NoSuchProcess:
                pass
        return total

    def stop(self) -> None:
        if not self.process or self.process.poll() is not None:
            return
        self.process.send_signal(signal.SIGTERM)
        try:
            self.process.wait(timeout=35)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait(timeout=10)


def login(base_url: str, username: str, password: str) -> str:
    request = urllib.request.Request(base_url + "/api/auth/login", method="POST",
                                     data=json.dumps({"username": username, "password": password}).encode(),
                                     headers={"Content-Type": "application/json"})
    with urllib.request.urlopen(request, timeout=30) as response:
        return json.load(response)["access_token"]
