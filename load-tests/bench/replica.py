"""The Finder on a read replica beside the same on the primary: `search_uncached`'s searches (cache
bypassed, same seed, same duration) against the bench's API (everything on the primary), then against
a second API with DB_READ_HOST on a streaming replica.

With `--postgres production` the replica is a real hot standby of the bench's cluster
(`pgcluster.StreamingReplica`, `pg_basebackup -R`). On the shared server (the smoke run) there is no
cluster of the bench's own to copy: DB_READ_HOST names the shared server itself, which measures the
routing (the replica's position read, the generation check) but not a second machine; the result says
which. Either way the API's read connections open on the replica (`application_name` ims-api-read in
its `pg_stat_activity`) at the end prove the reads went there.
"""
from __future__ import annotations

import asyncio
import dataclasses
import os
import socket
from urllib.parse import urlsplit

import psycopg

from .pgcluster import StreamingReplica
from .scenarios import search_uncached
from .server import ApiServer, login


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def _read_connections(host: str, port: int) -> int:
    """The API's connections to the replica's server (its read pool names itself ims-api-read)."""
    with psycopg.connect(host=host, port=port, user="postgres", dbname="postgres") as conn:
        return int(conn.execute("SELECT count(*) FROM pg_stat_activity WHERE application_name = 'ims-api-read'")
                   .fetchone()[0])


def finder_replica(ctx) -> dict:
    primary = asyncio.run(search_uncached(ctx))["search_uncached"]
    cluster, replica = getattr(ctx, "cluster", None), None
    if cluster is not None:
        replica = StreamingReplica(cluster)
        replica.start()
        host, port, kind = "127.0.0.1", replica.port, "streaming replica (pg_basebackup -R)"
    else:
        parts = urlsplit(ctx.dsn)
        host, port, kind = parts.hostname or "127.0.0.1", parts.port or 5432, "the shared server itself (routing only)"
    env, log_path = ctx.server.env, os.path.join(os.path.dirname(ctx.server.log_path), "server-replica.log")
    prefix = env["REDIS_KEY_PREFIX"] + "replica:"
    server = ApiServer(ctx.server.backend_dir, env["DATABASE_URL"], env["REDIS_URL"], prefix, _free_port(), log_path,
                       extra_env={"DB_READ_HOST": host, "DB_READ_PORT": str(port)})
    try:
        server.start()
        on_replica = dataclasses.replace(ctx, base_url=server.base_url, server=server,
                                         token=login(server.base_url, "bench-admin", ctx.password))
        summary = asyncio.run(search_uncached(on_replica))["search_uncached"]
        connections = _read_connections(host, port)
    finally:
        server.stop()
        if replica is not None:
            replica.stop()
    return {"finder_primary": primary,
            "finder_replica": {**summary, "replica": kind, "replica_read_connections": connections}}
