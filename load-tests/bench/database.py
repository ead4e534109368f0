"""The benchmark's own database: created, migrated with the app's migrations, given sites and users."""
from __future__ import annotations

import os
import subprocess

import psycopg

from .dataset import SITES

PASSWORD = "bench-password-1"
MIXED_USERS = 100


def admin_dsn() -> str:
    return os.environ.get("BENCH_PG_ADMIN_DSN", "postgresql://postgres@127.0.0.1:5432/postgres")


def dsn_for(name: str) -> str:
    base = admin_dsn().rsplit("/", 1)[0]
    return f"{base}/{name}"


def recreate(name: str) -> None:
    with psycopg.connect(admin_dsn(), autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        conn.execute(f'CREATE DATABASE "{name}"')


def drop(name: str) -> None:
    with psycopg.connect(admin_dsn(), autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def exists_with_rows(name: str, n: int) -> bool:
    with psycopg.connect(admin_dsn(), autocommit=True) as conn:
        if not conn.execute("SELECT 1 FROM pg_database WHERE datname = %s", (name,)).fetchone():
            return False
    with psycopg.connect(dsn_for(name)) as conn:
        try:
            return conn.execute("SELECT count(*) FROM interactions").fetchone()[0] == n
        except psycopg.Error:
            return False


def migrate(backend_dir: str, env: dict) -> None:
    done = subprocess.run([os.path.join(backend_dir, ".venv/bin/flask"), "--app", "ims", "db", "upgrade"],
                          cwd=backend_dir, env=env, timeout=600, capture_output=True, text=True)
    if done.returncode != 0:
        raise RuntimeError(f"flask db upgrade failed:\n{done.stderr[-3000:]}")


def password_hash(backend_dir: str) -> str:
    """Argon2id with the app's default cost, computed once by the app's own hasher library."""
    code = ("from argon2 import PasswordHasher; import sys; "
            "print(PasswordHasher(time_cost=3, memory_cost=64 * 1024).hash(sys.argv[1]))")
    out = subprocess.run([os.path.join(backend_dir, ".venv/bin/python"), "-c", code, PASSWORD],
                         check=True, timeout=60, capture_output=True, text=True)
    return out.stdout.strip()


def create_sites_and_users(dsn: str, hashed: str) -> dict:
    """Sites 1..10; `bench-admin` (admin everywhere), one editor per site, 100 mixed users (editors)."""
    with psycopg.connect(dsn) as conn:
        for site in range(1, SITES + 1):
            conn.execute("INSERT INTO sites (id, name, created_at, data_version) VALUES (%s, %s, now(), 1)",
                         (site, f"Bench Site {site:02d}"))
        conn.execute("SELECT setval(pg_get_serial_sequence('sites', 'id'), %s)", (SITES,))

        def user(name: str, site: int, role: str, sites=None) -> int:
            uid = conn.execute(
                "INSERT INTO users (username, email, display_name, password_hash, is_active, default_site_id)"
                " VALUES (%s, %s, %s, %s, true, %s) RETURNING id",
                (name, f"{name}@bench.example.com", name.replace("-", " ").title(), hashed, site),
            ).fetchone()[0]
            for s in sites or (site,):
                conn.execute("INSERT INTO site_memberships (user_id, site_id, role) VALUES (%s, %s, %s)",
                             (uid, s, role))
            return uid

        admin = user("bench-admin", 1, "admin", range(1, SITES + 1))
        editors = {site: user(f"bench-editor-{site:02d}", site, "editor") for site in range(1, SITES + 1)}
        mixed = [f"bench-user-{i:03d}" for i in range(MIXED_USERS)]
        for i, name in enumerate(mixed):
            user(name, i % SITES + 1, "editor")
    return {"admin": admin, "editors": editors, "mixed": mixed}
