"""Terraform without a Terraform binary: HCL parsing, variable/module wiring, tfvars table, outputs, checkov."""
import re
import subprocess

import pytest

from conftest import (ROOT, TERRAFORM, blocks, declared, load_hcl, module_dirs, module_files, run,
                      unwrap)

ALL_HCL = sorted([*TERRAFORM.rglob("*.tf"), *TERRAFORM.rglob("*.tfvars"), *TERRAFORM.rglob("*.hcl")])
ENVIRONMENTS = ["dev", "staging", "prod"]

# The deployment guide's per-environment table (guide name -> Terraform variable -> value per env).
EXPECTED_TABLE = {
    "ENVIRONMENT": ("environment", {"dev": "dev", "staging": "staging", "prod": "prod"}),
    "APP_ENV": ("app_env", {"dev": "development", "staging": "staging", "prod": "production"}),
    "LOG_LEVEL": ("log_level", {"dev": "DEBUG", "staging": "INFO", "prod": "WARNING"}),
    "DB_INSTANCE_CLASS": ("db_instance_class", {"dev": "db.t3.micro", "staging": "db.t3.small", "prod": "db.r6g.large"}),
    "CACHE_NODE_TYPE": ("cache_node_type", {"dev": "cache.t3.micro", "staging": "cache.t3.small", "prod": "cache.r6g.large"}),
    "AUTOSCALING_MIN": ("autoscaling_min", {"dev": 1, "staging": 2, "prod": 2}),
    "AUTOSCALING_MAX": ("autoscaling_max", {"dev": 2, "staging": 4, "prod": 10}),
    "MULTI_AZ_DATABASE": ("multi_az_database", {"dev": False, "staging": False, "prod": True}),
    "ENABLE_DETAILED_MONITORING": ("enable_detailed_monitoring", {"dev": False, "staging": True, "prod": True}),
    "TASK_CPU": ("task_cpu", {"dev": 256, "staging": 512, "prod": 1024}),
    "TASK_MEMORY": ("task_memory", {"dev": 512, "staging": 1024, "prod": 2048}),
    "CIRCUIT_BREAKER": ("enable_circuit_breaker", {"dev": True, "staging": True, "prod": False}),
    "DELETION_PROTECTION": ("deletion_protection", {"dev": False, "staging": False, "prod": True}),
}

GUIDE_OUTPUTS = [
    "vpc_id", "alb_dns_name", "alb_listener_arn", "blue_target_group_arn", "green_target_group_arn",
    "ecs_cluster_name", "ecs_service_blue_name", "ecs_service_green_name", "ecr_repository_url",
    "rds_endpoint", "redis_endpoint", "cloudfront_distribution_id", "cloudfront_domain_name",
    "frontend_bucket_name", "sns_alarm_topic_arn",
]

META_ARGUMENTS = {"source", "version", "providers", "depends_on", "count", "for_each", "__start_line__", "__end_line__"}


def _tfvars(env: str) -> dict:
    return {k: unwrap(v) for k, v in load_hcl(TERRAFORM / "environments" / f"{env}.tfvars").items()}


def _text(directory) -> str:
    return "\n".join(p.read_text(encoding="utf-8") for p in module_files(directory))


def _resources(directory, kind: str) -> dict:
    found = {}
    for path in module_files(directory):
        for entry in load_hcl(path).get("resource", []):
            found.update(entry.get(kind, {}))
    return found


@pytest.mark.parametrize("path", ALL_HCL, ids=lambda p: str(p.relative_to(ROOT)))
def test_every_hcl_file_parses(path):
    load_hcl(path)


@pytest.mark.parametrize("directory", module_dirs(), ids=lambda p: str(p.relative_to(ROOT)))
def test_every_variable_used_is_declared_in_its_module(directory):
    used = set(re.findall(r"\bvar\.([A-Za-z_][A-Za-z0-9_-]*)", _text(directory)))
    missing = used - set(declared(directory, "variable"))
    assert not missing, f"undeclared variables in {directory.name}: {sorted(missing)}"


@pytest.mark.parametrize("directory", module_dirs(), ids=lambda p: str(p.relative_to(ROOT)))
def test_every_local_used_is_defined_in_its_module(directory):
    used = set(re.findall(r"\blocal\.([A-Za-z_][A-Za-z0-9_]*)", _text(directory)))
    defined = set()
    for path in module_files(directory):
        for entry in load_hcl(path).get("locals", []):
            defined.update(k for k in entry if not k.startswith("__"))
    assert used <= defined, f"undefined locals in {directory.name}: {sorted(used - defined)}"


@pytest.mark.parametrize("directory", module_dirs(), ids=lambda p: str(p.relative_to(ROOT)))
def test_every_variable_and_output_has_a_description(directory):
    for kind in ("variable", "output"):
        for name, body in declared(directory, kind).items():
            assert unwrap(body.get("description")), f"{directory.name}: {kind} {name} has no description"


def test_module_calls_match_module_interfaces():
    text = _text(TERRAFORM)
    for name, body in declared(TERRAFORM, "module").items():
        source = unwrap(body["source"])
        module_dir = (TERRAFORM / source).resolve()
        assert module_dir.is_dir(), f"module {name}: {source} does not exist"
        variables = declared(module_dir, "variable")
        arguments = {k for k in body if k not in META_ARGUMENTS}
        assert arguments <= set(variables), f"module {name} passes unknown inputs {sorted(arguments - set(variables))}"
        required = {v for v, spec in variables.items() if "default" not in spec}
        assert required <= arguments, f"module {name} misses required inputs {sorted(required - arguments)}"
        outputs = set(declared(module_dir, "output"))
        referenced = set(re.findall(rf"\bmodule\.{name}\.([A-Za-z_][A-Za-z0-9_]*)", text))
        assert referenced <= outputs, f"module {name} has no outputs {sorted(referenced - outputs)}"


@pytest.mark.parametrize("env", ENVIRONMENTS)
def test_tfvars_set_every_root_variable_without_default_and_nothing_undeclared(env):
    variables = declared(TERRAFORM, "variable")
    required = {name for name, spec in variables.items() if "default" not in spec}
    values = _tfvars(env)
    assert required <= set(values), f"{env}.tfvars misses {sorted(required - set(values))}"
    assert set(values) <= set(variables), f"{env}.tfvars sets undeclared {sorted(set(values) - set(variables))}"


@pytest.mark.parametrize("env", ENVIRONMENTS)
def test_tfvars_match_the_guides_table(env):
    values = _tfvars(env)
    for guide_name, (variable, expected) in EXPECTED_TABLE.items():
        assert values[variable] == expected[env], f"{env}: {guide_name} ({variable}) is {values[variable]!r}, guide says {expected[env]!r}"
    assert values["autoscaling_min"] <= values["autoscaling_max"]


@pytest.mark.parametrize("env", ENVIRONMENTS)
def test_tfvars_values_pass_the_variable_validations(env):
    values = _tfvars(env)
    assert values["environment"] == env
    assert values["app_env"] in {"development", "staging", "production"}
    assert values["log_level"] in {"DEBUG", "INFO", "WARNING", "ERROR"}
    # Valid Fargate CPU/memory pairs.
    fargate = {256: {512, 1024, 2048}, 512: set(range(1024, 4097, 1024)), 1024: set(range(2048, 8193, 1024)),
               2048: set(range(4096, 16385, 1024)), 4096: set(range(8192, 30721, 1024))}
    assert values["task_memory"] in fargate[values["task_cpu"]]


@pytest.mark.parametrize("env", ENVIRONMENTS)
def test_s3_backend_config_per_environment(env):
    config = {k: unwrap(v) for k, v in load_hcl(TERRAFORM / "backend" / f"{env}.hcl").items()}
    assert {"bucket", "key", "region", "encrypt", "dynamodb_table"} <= set(config)
    assert config["encrypt"] is True


def test_backend_is_s3_with_partial_configuration():
    terraform = load_hcl(TERRAFORM / "versions.tf")["terraform"][0]
    assert "s3" in unwrap(terraform["backend"])


def test_workspace_must_match_environment():
    assert "terraform.workspace == var.environment" in _text(TERRAFORM)


def test_guide_outputs_exist():
    outputs = declared(TERRAFORM, "output")
    missing = [name for name in GUIDE_OUTPUTS if name not in outputs]
    assert not missing, f"missing outputs: {missing}"


def test_network_has_three_tiers_over_at_least_two_azs():
    variables = declared(TERRAFORM, "variable")
    assert unwrap(variables["vpc_cidr"]["default"]) == "10.0.0.0/16"
    assert unwrap(variables["availability_zone_count"]["default"]) >= 2
    subnets = _resources(TERRAFORM / "modules" / "network", "aws_subnet")
    assert set(subnets) == {"public", "app", "data"}


def test_alb_has_blue_green_groups_checked_on_api_health_and_a_listener_left_to_the_deploy_tool():
    alb = TERRAFORM / "modules" / "alb"
    groups = _resources(alb, "aws_lb_target_group")["colour"]
    assert "blue" in str(groups["for_each"]) and "green" in str(groups["for_each"])
    assert unwrap(unwrap(groups["health_check"])["path"]) == "/api/health"
    listeners = _resources(alb, "aws_lb_listener")
    assert unwrap(listeners["https"]["port"]) == 443
    assert "default_action" in str(listeners["https"]["lifecycle"])
    assert unwrap(unwrap(listeners["http"]["default_action"])["type"]) == "redirect"


def test_ecs_services_leave_task_definition_and_count_to_the_deploy_tool():
    service = _resources(TERRAFORM / "modules" / "ecs", "aws_ecs_service")["colour"]
    ignored = str(service["lifecycle"])
    assert "task_definition" in ignored and "desired_count" in ignored
    breaker = unwrap(service["deployment_circuit_breaker"])
    assert unwrap(breaker["enable"]) == "${var.enable_circuit_breaker}"
    assert unwrap(breaker["rollback"]) == "${var.enable_circuit_breaker}"


def test_autoscaling_on_cpu_and_request_count():
    text = _text(TERRAFORM / "modules" / "ecs")
    assert "ECSServiceAverageCPUUtilization" in text and "ALBRequestCountPerTarget" in text


def test_database_backups_encryption_and_prod_deletion_protection():
    db = _resources(TERRAFORM / "modules" / "database", "aws_db_instance")["this"]
    assert unwrap(db["storage_encrypted"]) is True
    assert unwrap(db["backup_retention_period"]) == "${var.backup_retention_days}"
    assert unwrap(db["deletion_protection"]) == "${var.deletion_protection}"
    assert unwrap(db["manage_master_user_password"]) is True
    for env in ENVIRONMENTS:
        assert _tfvars(env)["db_backup_retention_days"] >= 7


def test_redis_encrypted_at_rest_and_in_transit():
    redis = _resources(TERRAFORM / "modules" / "cache", "aws_elasticache_replication_group")["this"]
    assert unwrap(redis["at_rest_encryption_enabled"]) is True
    assert unwrap(redis["transit_encryption_enabled"]) is True


def test_checkov_reports_no_failed_terraform_checks(checkov_terraform):
    failed = checkov_terraform["results"].get("failed_checks", [])
    listing = "\n".join(f"{c['check_id']} {c['resource']} {c['file_path']}:{c['file_line_range']}" for c in failed)
    assert not failed, f"checkov failed checks:\n{listing}"
    assert checkov_terraform["summary"]["parsing_errors"] == 0
    assert checkov_terraform["summary"]["passed"] > 200


def test_every_checkov_skip_is_justified_inline(checkov_terraform):
    for check in checkov_terraform["results"].get("skipped_checks", []):
        reason = (check.get("check_result") or {}).get("suppress_comment", "")
        assert len(reason.split()) >= 5, f"{check['check_id']} on {check['resource']} skipped without a reason"


def test_hcl_layout_terraform_fmt_would_keep():
    """`terraform fmt -check` itself runs in ci.yml, where setup-terraform installs the binary.
    Here, without one, the parts of its layout that need no HCL formatter: two-space
    indentation, no tabs, no trailing blanks, one final newline."""
    for path in ALL_HCL:
        text = path.read_text(encoding="utf-8")
        name = path.relative_to(ROOT)
        assert text.endswith("\n") and not text.endswith("\n\n"), f"{name}: must end with one newline"
        for number, line in enumerate(text.splitlines(), 1):
            assert "\t" not in line, f"{name}:{number}: tab"
            assert line == line.rstrip(), f"{name}:{number}: trailing blanks"
            indent = len(line) - len(line.lstrip(" "))
            assert indent % 2 == 0, f"{name}:{number}: indentation of {indent} spaces"


def test_alb_has_a_test_listener_on_the_idle_colour_left_to_the_deploy_tool():
    alb = TERRAFORM / "modules" / "alb"
    test = _resources(alb, "aws_lb_listener")["test"]
    assert unwrap(test["protocol"]) == "HTTPS"
    assert "default_action" in str(test["lifecycle"])
    forward = unwrap(unwrap(test["default_action"])["forward"])
    weights = {unwrap(g["arn"]): unwrap(g["weight"]) for g in forward["target_group"]}
    assert sorted(weights.values()) == [0, 1]  # both colours named, so both are health-checked
    assert unwrap(declared(alb, "variable")["test_listener_cidrs"]["default"]) == []
    assert "alb_test_listener_arn" in declared(TERRAFORM, "output")
