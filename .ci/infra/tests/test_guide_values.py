"""The tfvars against the deployment guide's per-environment table and resource specifications,
read from the copy in .ci/infra/guide/environment-table.md (see its note for the source)."""
import re

import pytest

from conftest import ROOT, TERRAFORM, declared, load_hcl, unwrap

GUIDE = (ROOT / ".ci" / "infra" / "guide" / "environment-table.md").read_text(encoding="utf-8")
COLUMNS = {"Development": "dev", "Staging": "staging", "Production": "prod"}
ENVIRONMENTS = list(COLUMNS.values())
SECTIONS = {"dev": "Development Environment", "staging": "Staging Environment", "prod": "Production Environment"}
# Valid Fargate CPU units -> memory sizes (MiB) for Linux tasks.
FARGATE = {256: {512, 1024, 2048}, 512: set(range(1024, 4097, 1024)), 1024: set(range(2048, 8193, 1024)),
           2048: set(range(4096, 16385, 1024)), 4096: set(range(8192, 30721, 1024)),
           8192: set(range(16384, 61441, 4096)), 16384: set(range(32768, 122881, 8192))}


def tfvars(env: str) -> dict:
    return {k: unwrap(v) for k, v in load_hcl(TERRAFORM / "environments" / f"{env}.tfvars").items()}


def typed(cell: str):
    if cell in ("true", "false"):
        return cell == "true"
    return int(cell) if cell.isdigit() else cell


def guide_table() -> dict[str, dict[str, object]]:
    """{VARIABLE: {env: value}} from the markdown table."""
    lines = [l for l in GUIDE.splitlines() if l.startswith("|")]
    header = [c.strip() for c in lines[0].strip("|").split("|")]
    table = {}
    for line in lines[2:]:
        cells = [c.strip() for c in line.strip("|").split("|")]
        table[cells[0]] = {COLUMNS[h]: typed(c) for h, c in zip(header[1:], cells[1:])}
    return table


def spec(env: str) -> dict[str, str]:
    """`- Key: value` lines of the environment's Resource Specifications."""
    section = GUIDE.split(f"### {SECTIONS[env]}", 1)[1].split("###", 1)[0]
    return dict(re.findall(r"^- (\w+): (.+)$", section, re.M))


def test_the_copy_holds_the_eight_variables_of_the_guide():
    assert set(guide_table()) == {"LOG_LEVEL", "APP_ENV", "DB_INSTANCE_CLASS", "CACHE_INSTANCE_CLASS", "AUTOSCALING_MIN",
                                  "AUTOSCALING_MAX", "MULTI_AZ_DATABASE", "ENABLE_DETAILED_MONITORING"}


@pytest.mark.parametrize("env", ENVIRONMENTS)
def test_tfvars_equal_the_guides_table(env):
    values = tfvars(env)
    for name, per_env in guide_table().items():
        variable = name.lower()
        assert variable in declared(TERRAFORM, "variable"), f"no Terraform variable {variable}"
        assert values.get(variable) == per_env[env], f"{env}: {variable} is {values.get(variable)!r}, the guide says {per_env[env]!r}"


@pytest.mark.parametrize("env", ENVIRONMENTS)
def test_task_size_is_the_guides_compute_and_memory_and_a_valid_fargate_size(env):
    values, specification = tfvars(env), spec(env)
    vcpus = int(re.match(r"(\d+) vCPUs", specification["Compute"]).group(1))
    gigabytes = int(re.match(r"(\d+) GB", specification["Memory"]).group(1))
    assert values["task_cpu"] == vcpus * 1024
    assert values["task_memory"] == gigabytes * 1024
    assert values["task_memory"] in FARGATE[values["task_cpu"]], "not a Fargate size"


@pytest.mark.parametrize("env", ENVIRONMENTS)
def test_storage_is_the_guides(env):
    values, specification = tfvars(env), spec(env)
    amounts = [int(n) for n in re.findall(r"(\d+) GB", specification["Storage"])]
    # Task storage: the first amount in GB, as GiB (never less; Fargate's explicit sizes start at 21 GiB).
    assert amounts[0] <= values["task_ephemeral_storage_gib"] <= max(amounts[0], 21)
    if "Database" in specification["Storage"]:  # production: "100 GB SSD + 500 GB Database"
        assert values["db_allocated_storage"] == amounts[1]
    else:
        assert values["db_allocated_storage"] == amounts[0]


@pytest.mark.parametrize("env", ENVIRONMENTS)
def test_database_and_cache_are_the_guides(env):
    values, specification = tfvars(env), spec(env)
    database = specification["Database"]
    assert database.split()[0] == values["db_instance_class"]
    assert values["multi_az_database"] == ("Multi-AZ" in database)
    assert "single AZ" not in database or not values["multi_az_database"]
    cache = specification["Cache"]
    assert cache.split()[0] == values["cache_instance_class"]
    assert values["cache_cluster_mode"] == ("cluster mode" in cache)
    replicated = "replication" in cache or "cluster mode" in cache
    assert (values["cache_replicas"] >= 1) == replicated


@pytest.mark.parametrize("env", ENVIRONMENTS)
def test_autoscaling_range_is_the_guides(env):
    values, compute = tfvars(env), spec(env)["Compute"]
    match = re.search(r"Auto-scaling \((\d+)-(\d+) instances\)", compute)
    if match:
        assert (values["autoscaling_min"], values["autoscaling_max"]) == (int(match.group(1)), int(match.group(2)))


def test_region_is_us_east_1_by_default_and_no_environment_moves_it():
    assert unwrap(declared(TERRAFORM, "variable")["aws_region"]["default"]) == "us-east-1"
    for env in ENVIRONMENTS:
        assert "aws_region" not in tfvars(env)


def test_retired_cache_node_types_run_on_their_documented_successor():
    """ElastiCache no longer creates T2 clusters; the tfvars keep the guide's value, Terraform maps it."""
    local = declared(TERRAFORM, "locals")
    assert unwrap(local["retired_cache_node_types"])["cache.t2.micro"] == "cache.t3.micro"
    assert unwrap(local["cache_node_type"]) == \
        "${lookup(local.retired_cache_node_types,var.cache_instance_class,var.cache_instance_class)}"
    assert unwrap(declared(TERRAFORM, "module")["cache"]["node_type"]) == "${local.cache_node_type}"
    docs = (ROOT / "docs" / "DEPLOYMENT.md").read_text(encoding="utf-8")
    assert "cache.t2.micro" in docs and "cache.t3.micro" in docs
