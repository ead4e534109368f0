"""A private PostgreSQL cluster with production's database settings, so the numbers describe what
production runs rather than the shared test server's defaults (128 MB of shared buffers).

The settings come from one place, Terraform:

- the parameters of `aws_db_parameter_group` in terraform/modules/database/main.tf, as written
  there (RDS-only ones such as `rds.force_ssl` have no PostgreSQL equivalent and are listed as
  skipped);
- every other setting is what RDS's default parameter group for the family gives an instance of
  production's class (`db_instance_class` in terraform/environments/prod.tfvars), computed with
  RDS's own formulas from the class's memory (DBInstanceClassMemory, taken as the nominal memory).

The cluster lives in a temporary directory on a free port and is removed afterwards.
"""
from __future__ import annotations

import os
import re
import shutil
import socket
import subprocess
import tempfile
import time

REPO = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
PARAMETER_GROUP = os.path.join(REPO, "terraform", "modules", "database", "main.tf")
PROD_TFVARS = os.path.join(REPO, "terraform", "environments", "prod.tfvars")
PG_BIN = os.environ.get("BENCH_PG_BIN", "/usr/lib/postgresql/15/bin")
GIB = 2**30
# Nominal memory of the RDS classes this project uses (AWS instance type pages).
INSTANCE_MEMORY_GIB = {"db.t3.micro": 1, "db.t3.small": 2, "db.t3.medium": 4, "db.t4g.medium": 4,
                       "db.t3.large": 8, "db.r6g.large": 16, "db.r6g.xlarge": 32, "db.r6g.2xlarge": 64,
                       "db.m6g.large": 8, "db.m6g.xlarge": 16}
RDS_ONLY = ("rds.",)


def terraform_parameters(path: str = PARAMETER_GROUP) -> dict[str, str]:
    """name -> value of every `parameter { name = … value = … }` in the aws_db_parameter_group."""
    text = open(path).read()
    group = re.search(r'resource\s+"aws_db_parameter_group"\s+"\w+"\s*\{(.*?)\n\}', text, re.S)
    if not group:
        raise RuntimeError(f"no aws_db_parameter_group in {path}")
    found = {}
    for block in re.findall(r"parameter\s*\{(.*?)\}", group.group(1), re.S):
        name = re.search(r'\bname\s*=\s*"([^"]+)"', block)
        value = re.search(r'\bvalue\s*=\s*"([^"]*)"', block)
        if name and value:
            found[name.group(1)] = value.group(1)
    return found


def production_instance_class(path: str = PROD_TFVARS) -> str:
    match = re.search(r'^\s*db_instance_class\s*=\s*"([^"]+)"', open(path).read(), re.M)
    if not match:
        raise RuntimeError(f"no db_instance_class in {path}")
    return match.group(1)


def rds_defaults(instance_class: str) -> dict[str, str]:
    """RDS's default parameter group formulas (postgres15) for the class's memory."""
    memory = INSTANCE_MEMORY_GIB[instance_class] * GIB  # DBInstanceClassMemory, bytes
    return {
        "shared_buffers": f"{memory // 32768 * 8 // 1024}MB",         # {DBInstanceClassMemory/32768} × 8 kB
        "effective_cache_size": f"{memory // 16384 * 8 // 1024}MB",   # {DBInstanceClassMemory/16384} × 8 kB
        "maintenance_work_mem": f"{max(memory * 1024 // 63963136, 65536)}kB",
        "max_connections": str(min(memory // 9531392, 5000)),
        "work_mem": "4MB", "random_page_cost": "4", "max_wal_size": "2GB", "checkpoint_timeout": "5min",
        "wal_buffers": "-1", "synchronous_commit": "on", "fsync": "on",
    }


def settings() -> tuple[dict[str, str], dict]:
    """(settings for the cluster, facts for the report)."""
    instance_class = production_instance_class()
    from_terraform = terraform_parameters()
    applied = {k: v for k, v in from_terraform.items() if not k.startswith(RDS_ONLY)}
    skipped = sorted(set(from_terraform) - set(applied))
    values = {**rds_defaults(instance_class), **applied}
    return values, {"instance_class": instance_class, "parameter_group": applied, "skipped": skipped,
                    "settings": values}


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


class ProductionLikePostgres:
    def __init__(self):
        self.values, self.facts = settings()
        explain_ms = os.environ.get("BENCH_AUTO_EXPLAIN_MS")
        if explain_ms:  # the plan of every statement slower than this, with its row counts, in postgres.log
            self.values.update({"session_preload_libraries": "auto_explain",
                                "auto_explain.log_min_duration": explain_ms, "auto_explain.log_analyze": "on",
                                "auto_explain.log_buffers": "on", "auto_explain.log_timing": "off"})
            self.facts["auto_explain_ms"] = explain_ms
        self.port = free_port()
        self.dir = tempfile.mkdtemp(prefix="ims-bench-pg-", dir=os.environ.get("BENCH_PG_DIR", "/var/tmp"))
        self.data = os.path.join(self.dir, "data")
        if os.geteuid() == 0:  # initdb refuses to run as root
            shutil.chown(self.dir, "postgres", "postgres")

    @property
    def admin_dsn(self) -> str:
        return f"postgresql://postgres@127.0.0.1:{self.port}/postgres"

    def _run(self, *args: str, timeout: float = 120) -> None:
        prefix = ["runuser", "-u", "postgres", "--"] if os.geteuid() == 0 else []
        done = subprocess.run([*prefix, *args], capture_output=True, text=True, timeout=timeout)
        if done.returncode != 0:
            raise RuntimeError(f"{args[0]} failed: {done.stderr[-2000:]}")

    def start(self) -> None:
        self._run(os.path.join(PG_BIN, "initdb"), "-D", self.data, "-U", "postgres", "--auth=trust", "--no-sync",
                  "-E", "UTF8", "--locale=C.UTF-8")
        self._start_server()

    def _start_server(self) -> None:
        options = [f"-p {self.port}", f"-k {self.dir}", "-c listen_addresses=127.0.0.1"]
        options += [f"-c {name}={value}" for name, value in self.values.items()]
        self._run(os.path.join(PG_BIN, "pg_ctl"), "-D", self.data, "-l", os.path.join(self.dir, "server.log"),
                  "-o", " ".join(options), "-w", "-t", "120", "start", timeout=180)

    def slow_statements(self, copy_to: str, keep: int = 5) -> dict:
        """Copy the server log (it logs statements over log_min_duration_statement, as production's
        does) and summarise it: how many statements were slow, and the slowest few (after loading)."""
        log_path = os.path.join(self.dir, "server.log")
        if not os.path.exists(log_path):
            return {}
        shutil.copyfile(log_path, copy_to)
        found = []
        for line in open(log_path, errors="replace"):
            match = re.search(r"duration: ([\d.]+) ms\s+statement: (.*)", line)
            if match and not re.match(r"\s*(CREATE|VACUUM|ANALYZE|COPY|ALTER|DROP)", match.group(2), re.I):
                found.append((float(match.group(1)), match.group(2)[:300]))
        found.sort(reverse=True)
        return {"count": len(found), "slowest": [{"ms": ms, "statement": text} for ms, text in found[:keep]]}

    def stop(self) -> None:
        if os.path.exists(os.path.join(self.data, "postmaster.pid")):
            try:
                self._run(os.path.join(PG_BIN, "pg_ctl"), "-D", self.data, "-m", "fast", "-w", "stop")
            except (RuntimeError, subprocess.TimeoutExpired):
                time.sleep(1)
        shutil.rmtree(self.dir, ignore_errors=True)


class StreamingReplica(ProductionLikePostgres):
    """A hot standby of a production-like cluster, as an RDS read replica is: `pg_basebackup -R` of the
    running cluster (initdb's pg_hba admits replication from 127.0.0.1; wal_level is `replica` by
    default) into a temporary directory, started with the same settings on a free port, streaming."""

    def __init__(self, source: ProductionLikePostgres):
        super().__init__()
        self.source = source

    def start(self) -> None:
        self._run(os.path.join(PG_BIN, "pg_basebackup"), "-h", "127.0.0.1", "-p", str(self.source.port),
                  "-U", "postgres", "-D", self.data, "--checkpoint=fast", "-X", "stream", "-R", timeout=3600)
        self._start_server()
