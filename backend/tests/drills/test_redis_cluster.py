"""REDIS_CLUSTER=true against a real local Redis Cluster: six `redis-server --cluster-enabled yes`
(three masters, three replicas) on free loopback ports in a temporary directory, torn down after.

The cache, the deny-list and the login rate limits all live in the cluster; keys read together
share a slot; a master killed under load leaves the API answering and loses no write.
"""
from __future__ import annotations

import shutil
import subprocess
import tempfile
import threading
import time
import uuid
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest
import redis
import requests
from flask_migrate import upgrade
from redis.cluster import RedisCluster

from ims import create_app
from ims.auth import principal_cache
from ims.config import build_settings
from ims.extensions import db
from ims.sites import generation
from ims.sites import provisioning
from tests.builders import PASSWORD, interaction_body, login
from tests.conftest import _admin, settings_for
from tests.servers import ServedApp, bounded_until
from tests.local_http import closed_port

NODES = 6


class LocalRedisCluster:
    def __init__(self):
        self.dir = Path(tempfile.mkdtemp(prefix="ims-redis-cluster-"))
        self.ports = self._free_ports(NODES)
        self.bus_ports = self._free_ports(NODES, exclude=set(self.ports))
        self.processes: dict[int, subprocess.Popen] = {}

    @staticmethod
    def _free_ports(count: int, exclude: set[int] = frozenset()) -> list[int]:
        ports: list[int] = []
        while len(ports) < count:
            port = closed_port()
            if port not in ports and port not in exclude:
                ports.append(port)
        return ports

    @property
    def url(self) -> str:
        return f"redis://127.0.0.1:{self.ports[0]}/0"

    def start(self) -> None:
        binary = shutil.which("redis-server") or "/usr/bin/redis-server"
        for port, bus in zip(self.ports, self.bus_ports):
            self.processes[port] = subprocess.Popen(
                [binary, "--port", str(port), "--bind", "127.0.0.1", "--cluster-enabled", "yes",
                 "--cluster-port", str(bus), "--cluster-config-file", f"nodes-{port}.conf",
                 "--cluster-node-timeout", "1000", "--repl-diskless-sync-delay", "0", "--save", "", "--appendonly", "no", "--dir", str(self.dir)],
                stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        for port in self.ports:
            assert bounded_until(lambda: self._answers(port)), f"redis-server on {port} did not start"
        cli = shutil.which("redis-cli") or "/usr/bin/redis-cli"
        subprocess.run([cli, "--cluster", "create", *(f"127.0.0.1:{p}" for p in self.ports),
                        "--cluster-replicas", "1", "--cluster-yes"],
                       check=True, capture_output=True, timeout=60)
        assert bounded_until(self.healthy, attempts=100), "the cluster did not reach cluster_state:ok"
        assert bounded_until(self.replicas_online, attempts=100), "the replicas did not finish their first sync"

    def _answers(self, port: int) -> bool:
        try:
            return redis.Redis(port=port, socket_connect_timeout=0.2).ping()
        except redis.RedisError:
            return False

    def healthy(self) -> bool:
        """Every live node sees state ok and three masters cover the slots."""
        for port, process in self.processes.items():
            if process.poll() is not None:
                continue
            try:
                info = redis.Redis(port=port, socket_connect_timeout=0.2).cluster("info")
            except redis.RedisError:
                return False
            if info.get("cluster_state") != "ok":
                return False
        return True

    def replicas_online(self) -> bool:
        masters = [redis.Redis(port=p).info("replication") for p in self.ports]
        masters = [m for m in masters if m["role"] == "master"]
        return len(masters) == NODES // 2 and all(m.get("slave0", {}).get("state") == "online" for m in masters)

    def client(self) -> RedisCluster:
        return RedisCluster(host="127.0.0.1", port=self.ports[0], socket_connect_timeout=0.5)

    def master_port_of(self, key: str) -> int:
        return self.client().get_node_from_key(key).port

    def kill(self, port: int) -> None:
        process = self.processes[port]
        process.kill()
        process.wait(timeout=10)

    def remove(self) -> None:
        for process in self.processes.values():
            if process.poll() is None:
                process.kill()
                process.wait(timeout=10)
        shutil.rmtree(self.dir, ignore_errors=True)


@pytest.fixture(scope="module")
def cluster():
    local = LocalRedisCluster()
    try:
        local.start()
        yield local
    finally:
        local.remove()


@pytest.fixture(scope="module")
def cluster_app(cluster):
    name = f"ims_test_cluster_{uuid.uuid4().hex[:8]}"
    _admin(f"CREATE DATABASE {name}")
    try:
        settings = build_settings({"REDIS_URL": cluster.url, "REDIS_CLUSTER": "true"})
        prefix = f"ims-test-{uuid.uuid4().hex[:6]}:"
        app = create_app(settings_for(
            f"postgresql://postgres@127.0.0.1:5432/{name}", REDIS_URL=cluster.url, REDIS_CLUSTER=True,
            REDIS_KEY_PREFIX=prefix, LOGIN_RATE_LIMIT="5/minute", RATELIMIT_KEY_PREFIX=prefix + "ratelimit",
            RATELIMIT_STORAGE_URI=settings["RATELIMIT_STORAGE_URI"],
            # one user's 8 threads: the per-user search bound (tested in test_expensive_work) is not under test
            FINDER_CONCURRENT_PER_USER=100))
        with app.app_context():
            upgrade()
            site = provisioning.ensure_site("Cluster site")
            provisioning.ensure_user("clustered", email="clustered@example.com", password=PASSWORD, site=site, role="editor")
            db.session.commit()
            app.site_id = site.id
            db.session.remove()
        yield app
    finally:
        _admin(f"DROP DATABASE IF EXISTS {name} WITH (FORCE)")


def _login(client) -> dict:
    response = login(client, "clustered")
    assert response.status_code == 200, response.get_data(as_text=True)
    return {"Authorization": f"Bearer {response.get_json()['access_token']}"}


def test_cluster_setting_selects_cluster_clients_for_cache_and_rate_limits():
    settings = build_settings({"REDIS_URL": "redis://cache.internal:6379/0", "REDIS_CLUSTER": "true"})
    assert settings["REDIS_CLUSTER"] is True
    assert settings["RATELIMIT_STORAGE_URI"] == "redis+cluster://cache.internal:6379"
    assert build_settings({"REDIS_URL": "redis://cache.internal:6379/0"})["RATELIMIT_STORAGE_URI"] == \
        "redis://cache.internal:6379/0"


def test_keys_read_together_share_a_slot(cluster_app, cluster):
    prefix = cluster_app.config["REDIS_KEY_PREFIX"]
    client = cluster.client()
    with cluster_app.test_request_context("/api/interactions?search=x&page=2"):
        from ims.interactions import finder_cache

        page_key = finder_cache.key_for(7)
    assert client.keyslot(prefix + generation.key(7)) == client.keyslot(prefix + page_key)
    assert client.keyslot(prefix + generation.key(7)) != client.keyslot(prefix + generation.key(8))
    assert prefix + principal_cache.key_for_user(3) != prefix + principal_cache.key_for_user(4)


def test_cache_deny_list_and_rate_limits_live_in_the_cluster(cluster_app, cluster):
    client = cluster_app.test_client()
    headers = {**_login(client), "X-Site-ID": str(cluster_app.site_id)}
    assert client.get("/api/interactions", headers=headers).headers["X-Cache"] == "MISS"
    assert client.get("/api/interactions", headers=headers).headers["X-Cache"] == "HIT"
    assert client.post("/api/interactions", json=interaction_body(title="Clustered"), headers=headers).status_code == 201
    after_write = client.get("/api/interactions", headers=headers)
    assert after_write.headers["X-Cache"] == "MISS" and after_write.get_json()["total"] == 1

    prefix = cluster_app.config["REDIS_KEY_PREFIX"]
    stored = list(cluster.client().scan_iter(match=prefix + "*", target_nodes=RedisCluster.PRIMARIES))
    assert any(b":finder:" in key for key in stored) and any(b"principal" in key for key in stored)
    limits = list(cluster.client().scan_iter(match=f"*{prefix}ratelimit*", target_nodes=RedisCluster.PRIMARIES))
    assert limits, "no rate-limit counter in the cluster"

    assert client.post("/api/auth/logout", headers=headers).status_code == 204
    assert client.get("/api/interactions", headers=headers).status_code == 401

    statuses = [login(client, "clustered", "wrong-" + PASSWORD)
                .status_code for _ in range(6)]
    assert statuses[-1] == 429, statuses  # 5/minute, counted in the cluster


def test_a_master_killed_under_load_keeps_the_api_answering_and_loses_no_write(cluster_app, cluster, figures):
    cluster_app.extensions["ims_limiter"].reset()
    client = cluster_app.test_client()
    headers = {**_login(client), "X-Site-ID": str(cluster_app.site_id)}
    prefix = cluster_app.config["REDIS_KEY_PREFIX"]
    victim = cluster.master_port_of(prefix + generation.key(cluster_app.site_id))
    results, lock = [], threading.Lock()
    queries = [{}, {"search": "killed"}, {"sort": "title"}, {"page_size": 5}]

    with ServedApp(cluster_app) as served:
        def work(n: int):
            started = time.perf_counter()
            try:
                if n % 4 == 0:
                    response = requests.post(served.url + "/api/interactions", headers=headers, timeout=15,
                                             json=interaction_body(title=f"killed master {n}"))
                else:
                    response = requests.get(served.url + "/api/interactions", headers=headers, timeout=15,
                                            params=queries[n % len(queries)])
            except requests.RequestException:
                response = None
            with lock:
                results.append((n, response, time.perf_counter() - started))

        total = 240
        with ThreadPoolExecutor(8) as pool:
            futures = [pool.submit(work, n) for n in range(total)]
            assert bounded_until(lambda: len(results) >= total // 4, attempts=300)
            cluster.kill(victim)
            killed_after = len(results)
            for future in futures:
                future.result(timeout=120)
        failed_over = bounded_until(cluster.healthy, attempts=150)

        bad = [(n, r.status_code if r is not None else None) for n, r, _ in results
               if r is None or r.status_code not in (200, 201)]
        assert not bad, bad[:10]
        acknowledged = {r.json()["title"] for n, r, _ in results if n % 4 == 0}
        with cluster_app.app_context():
            stored = set(db.session.execute(db.text("SELECT title FROM interactions")).scalars())
            db.session.remove()
        assert acknowledged <= stored

        seen = []

        def cached_and_complete():
            answers = [requests.get(served.url + "/api/interactions", headers=headers, params={"page_size": 100},
                                    timeout=15) for _ in range(2)]
            seen.append([(a.headers.get("X-Cache"), a.json()["total"]) for a in answers])
            return answers[1].headers.get("X-Cache") == "HIT" and {a.json()["total"] for a in answers} == {len(stored)}

        assert failed_over, "no replica took over the killed master's slots"
        assert bounded_until(cached_and_complete, attempts=40, pause=0.25), (len(stored), seen[-3:])
    figures.update(nodes=NODES, killed_master_port_after_requests=killed_after, requests=len(results),
                   writes_acknowledged=len(acknowledged), writes_found=len(acknowledged & stored),
                   non_2xx=len(bad), slowest_ms=round(max(t for _, _, t in results) * 1000))


def test_the_api_starts_and_answers_while_the_cluster_is_unreachable(database_url):
    nowhere = f"redis://127.0.0.1:{closed_port()}/0"
    app = create_app(settings_for(database_url, REDIS_URL=nowhere, REDIS_CLUSTER=True,
                                  RATELIMIT_STORAGE_URI=build_settings(
                                      {"REDIS_URL": nowhere, "REDIS_CLUSTER": "true"})["RATELIMIT_STORAGE_URI"]))
    with app.app_context():
        upgrade()
    client = app.test_client()
    assert client.get("/api/health").status_code == 200
    assert login(client, "nobody", "x" * 12).status_code == 401
    assert client.get("/api/health/db").get_json()["cache"]["status"] == "degraded"
