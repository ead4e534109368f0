"""Terraform without a Terraform binary: HCL parsing, variable/module wiring, tfvars table, outputs, checkov."""
import re

import pytest

from conftest import (ROOT, TERRAFORM, blocks, declared, expressions, load_hcl, module_dirs, module_files,
                      resources_of, unwrap)

ALL_HCL = sorted([*TERRAFORM.rglob("*.tf"), *TERRAFORM.rglob("*.tfvars"), *TERRAFORM.rglob("*.hcl")])
ENVIRONMENTS = ["dev", "staging", "prod"]

GUIDE_OUTPUTS = [
    "vpc_id", "alb_dns_name", "alb_listener_arn", "blue_target_group_arn", "green_target_group_arn",
    "ecs_cluster_name", "ecs_service_blue_name", "ecs_service_green_name", "ecr_repository_url",
    "rds_endpoint", "redis_endpoint", "cloudfront_distribution_id", "cloudfront_domain_name",
    "frontend_bucket_name", "sns_alarm_topic_arn",
    # What the pipelines read (CONTRACTS) and what the guide's verification commands take.
    "ecs_service_frontend_name", "ecr_repository_frontend_url", "ecr_repository_backend_url",
    "subnet_ids", "rds_identifier", "cache_cluster_id", "alb_name",
]

META_ARGUMENTS = {"source", "version", "providers", "depends_on", "count", "for_each", "__start_line__", "__end_line__"}


def _tfvars(env: str) -> dict:
    return {k: unwrap(v) for k, v in load_hcl(TERRAFORM / "environments" / f"{env}.tfvars").items()}


_resources = resources_of


@pytest.mark.parametrize("path", ALL_HCL, ids=lambda p: str(p.relative_to(ROOT)))
def test_every_hcl_file_parses(path):
    load_hcl(path)


@pytest.mark.parametrize("directory", module_dirs(), ids=lambda p: str(p.relative_to(ROOT)))
def test_every_variable_used_is_declared_in_its_module(directory):
    used = set(re.findall(r"\bvar\.([A-Za-z_][A-Za-z0-9_-]*)", expressions(directory)))
    missing = used - set(declared(directory, "variable"))
    assert not missing, f"undeclared variables in {directory.name}: {sorted(missing)}"


@pytest.mark.parametrize("directory", module_dirs(), ids=lambda p: str(p.relative_to(ROOT)))
def test_every_local_used_is_defined_in_its_module(directory):
    used = set(re.findall(r"\blocal\.([A-Za-z_][A-Za-z0-9_]*)", expressions(directory)))
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


@pytest.mark.parametrize("directory", module_dirs(), ids=lambda p: str(p.relative_to(ROOT)))
def test_module_calls_match_module_interfaces(directory):
    text = expressions(directory, leave_out=("moved",))  # a moved block names addresses, not outputs
    for name, body in declared(directory, "module").items():
        source = unwrap(body["source"])
        module_dir = (directory / source).resolve()
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
def test_tfvars_values_pass_the_variable_validations(env):
    values = _tfvars(env)
    assert values["environment"] == env
    assert values["app_env"] in {"development", "staging", "production"}
    assert values["log_level"] in {"DEBUG", "INFO", "WARNING", "ERROR"}
    assert 21 <= values["task_ephemeral_storage_gib"] <= 200
    for url in ("api_base_url", "public_base_url"):
        assert re.fullmatch(r"https://[a-z0-9.-]+", values[url]), url


@pytest.mark.parametrize("env", ENVIRONMENTS)
def test_s3_backend_config_is_the_guides(env):
    """backend/<env>.hcl holds what the guide's init line passes, and the account the state belongs to
    (test_state_and_accounts.py)."""
    config = {k: unwrap(v) for k, v in load_hcl(TERRAFORM / "backend" / f"{env}.hcl").items()}
    assert config.pop("allowed_account_ids") == _tfvars(env)["aws_account_id"]
    assert config == {"bucket": f"interaction-mgmt-tfstate-{env}", "key": "infrastructure/terraform.tfstate",
                      "region": "us-east-1"}


def test_state_is_encrypted_and_locked_without_extra_init_arguments():
    backend = unwrap(unwrap(load_hcl(TERRAFORM / "versions.tf")["terraform"][0]["backend"])["s3"])
    assert unwrap(backend["encrypt"]) is True and unwrap(backend["use_lockfile"]) is True
    required = unwrap(load_hcl(TERRAFORM / "versions.tf")["terraform"][0]["required_version"])
    assert required.startswith(">= 1.10"), "use_lockfile needs Terraform 1.10"


def test_ecr_repositories_have_the_guides_names():
    modules = declared(TERRAFORM, "module")
    names = {unwrap(modules[m]["name"]) for m in ("ecr_frontend", "ecr_backend")}
    assert names == {"interaction-mgmt/frontend", "interaction-mgmt/backend"}


def test_backend_is_s3_with_partial_configuration():
    terraform = load_hcl(TERRAFORM / "versions.tf")["terraform"][0]
    assert "s3" in unwrap(terraform["backend"])


def test_workspace_must_match_environment():
    guard = _resources(TERRAFORM, "terraform_data")["workspace_guard"]
    precondition = unwrap(unwrap(guard["lifecycle"])["precondition"])
    assert unwrap(precondition["condition"]) == "${terraform.workspace == var.environment}"


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


def test_alb_has_blue_green_groups_checked_on_api_readiness_and_a_listener_left_to_the_deploy_tool():
    alb = TERRAFORM / "modules" / "alb"
    groups = _resources(alb, "aws_lb_target_group")["colour"]
    assert "blue" in str(groups["for_each"]) and "green" in str(groups["for_each"])
    # readiness (503 while the API cannot serve), while ECS's container check stays liveness
    assert unwrap(unwrap(groups["health_check"])["path"]) == "/api/health/ready"
    container_check = str(_resources(TERRAFORM / "modules" / "api_service", "aws_ecs_task_definition"))
    assert re.search(r"/api/health\b(?!/)", container_check) and "/api/health/ready" not in container_check
    listeners = _resources(alb, "aws_lb_listener")
    assert unwrap(listeners["https"]["port"]) == 443
    assert "default_action" in str(listeners["https"]["lifecycle"])
    assert unwrap(unwrap(listeners["http"]["default_action"])["type"]) == "redirect"


def test_ecs_services_leave_task_definition_and_count_to_the_deploy_tool():
    service = _resources(TERRAFORM / "modules" / "api_service", "aws_ecs_service")["colour"]
    ignored = str(service["lifecycle"])
    assert "task_definition" in ignored and "desired_count" in ignored
    breaker = unwrap(service["deployment_circuit_breaker"])
    assert unwrap(breaker["enable"]) == "${var.enable_circuit_breaker}"
    assert unwrap(breaker["rollback"]) == "${var.enable_circuit_breaker}"


def test_only_the_live_colour_runs_tasks_outside_a_deploy():
    """Production serves from 2 to 6 API tasks: blue starts live at autoscaling_min..max, green idle at 0/0."""
    ecs = TERRAFORM / "modules" / "api_service"
    assert unwrap(declared(ecs, "locals")["initial"]) == {
        "blue": {"count": "${var.autoscaling_min}", "min": "${var.autoscaling_min}", "max": "${var.autoscaling_max}"},
        "green": {"count": 0, "min": 0, "max": 0},
    }
    service = _resources(ecs, "aws_ecs_service")["colour"]
    assert unwrap(service["desired_count"]) == "${local.initial[each.key].count}"
    target = _resources(ecs, "aws_appautoscaling_target")["colour"]
    assert unwrap(target["max_capacity"]) == "${local.initial[each.key].max}"
    assert "max_capacity" in str(target["lifecycle"])
    prod = _tfvars("prod")
    assert (prod["autoscaling_min"], prod["autoscaling_max"]) == (2, 6)


def test_frontend_runs_as_its_own_service_with_rolling_updates_and_the_circuit_breaker():
    frontend = TERRAFORM / "modules" / "frontend"
    service = _resources(frontend, "aws_ecs_service")["frontend"]
    assert unwrap(service["name"]) == "${var.name}-frontend"
    breaker = unwrap(service["deployment_circuit_breaker"])
    assert unwrap(breaker["enable"]) is True and unwrap(breaker["rollback"]) is True
    assert unwrap(unwrap(service["deployment_controller"])["type"]) == "ECS"
    assert unwrap(service["deployment_minimum_healthy_percent"]) == 100
    group = _resources(TERRAFORM / "modules" / "alb", "aws_lb_target_group")["frontend"]
    assert unwrap(unwrap(group["health_check"])["path"]) == "/health"
    definition = _resources(frontend, "aws_ecs_task_definition")["bootstrap"]
    assert "/health" in str(definition["container_definitions"])
    environment = blocks(load_hcl(TERRAFORM / "config.tf"), "locals")["frontend_environment"]
    assert set(unwrap(environment)) == {"REACT_APP_API_URL", "REACT_APP_AUTH0_DOMAIN", "REACT_APP_AUTH0_CLIENT_ID",
                                        "REACT_APP_AUTH0_AUDIENCE", "NODE_ENV"}


def test_alb_sends_the_frontend_host_and_assets_to_the_frontend_and_the_rest_to_the_live_colour():
    alb = TERRAFORM / "modules" / "alb"
    rules = _resources(alb, "aws_lb_listener_rule")
    routes = unwrap(declared(alb, "locals")["frontend_routes"])
    assert unwrap(rules["frontend"]["for_each"]) == "${local.frontend_routes}"
    assert "host_header" in str(rules["frontend"]["condition"])
    assert routes["host"]["host_header"] == ["${var.frontend_host}"] and routes["host"]["path_pattern"] == []
    assert routes["assets"]["path_pattern"] == ["/assets/*"] and routes["assets"]["host_header"] == []
    for rule in rules.values():
        assert "aws_lb_target_group.frontend.arn" in str(rule["action"])


def test_cloudfront_caches_assets_from_s3_and_passes_pages_to_the_frontend_service():
    site = _resources(TERRAFORM / "modules" / "static_site", "aws_cloudfront_distribution")["this"]
    default = unwrap(site["default_cache_behavior"])
    assert unwrap(default["target_origin_id"]) == "frontend-service"
    assert "disabled" in unwrap(default["cache_policy_id"]) and "all_viewer" in unwrap(default["origin_request_policy_id"])
    assets = unwrap(site["ordered_cache_behavior"])
    assert unwrap(assets["path_pattern"]) == "/assets/*" and "optimized" in unwrap(assets["cache_policy_id"])
    group = unwrap(site["origin_group"])
    members = [unwrap(m["origin_id"]) for m in group["member"]]
    assert members == ["assets-bucket", "frontend-service"]


def test_autoscaling_on_cpu_and_request_count():
    """The API scales on requests itself and on CPU through the module both services stand on."""
    api = TERRAFORM / "modules" / "api_service"
    base = (api / unwrap(declared(api, "module")["service_base"]["source"])).resolve()
    policies = [*_resources(api, "aws_appautoscaling_policy").values(),
                *_resources(base, "aws_appautoscaling_policy").values()]
    metrics = {unwrap(unwrap(unwrap(policy["target_tracking_scaling_policy_configuration"])
                             ["predefined_metric_specification"])["predefined_metric_type"]) for policy in policies}
    assert {"ECSServiceAverageCPUUtilization", "ALBRequestCountPerTarget"} <= metrics


def test_database_backups_encryption_and_prod_deletion_protection():
    db = _resources(TERRAFORM / "modules" / "database", "aws_db_instance")["this"]
    assert unwrap(db["storage_encrypted"]) is True
    assert unwrap(db["backup_retention_period"]) == "${var.backup_retention_days}"
    assert unwrap(db["deletion_protection"]) == "${var.deletion_protection}"
    assert unwrap(db["manage_master_user_password"]) is True
    for env in ENVIRONMENTS:
        assert _tfvars(env)["db_backup_retention_days"] >= 7


def test_the_read_replica_is_optional_encrypted_and_named_to_the_api_as_db_read_host():
    module = TERRAFORM / "modules" / "database"
    replica = _resources(module, "aws_db_instance")["read_replica"]
    assert unwrap(replica["count"]) == "${var.read_replica_enabled ? 1 : 0}"
    assert unwrap(declared(module, "variable")["read_replica_enabled"]["default"]) is False
    assert unwrap(declared(TERRAFORM, "variable")["db_read_replica_enabled"]["default"]) is False
    assert unwrap(replica["replicate_source_db"]) == "${aws_db_instance.this.identifier}"
    assert unwrap(replica["storage_encrypted"]) is True and unwrap(replica["kms_key_id"]) == "${var.kms_key_arn}"
    assert unwrap(replica["publicly_accessible"]) is False
    assert unwrap(replica["vpc_security_group_ids"]) == "${module.security_group.id}"
    # the parameter group forces TLS on the replica too; the API reaches it with the primary's sslmode
    assert unwrap(replica["parameter_group_name"]) == "${aws_db_parameter_group.this.name}"
    environment = unwrap(declared(TERRAFORM, "locals")["backend_environment"])
    assert environment["DB_READ_HOST"] == "${local.db_read_address}"
    # a point-in-time copy has no replica: the managed one streams from the instance it replaced
    assert unwrap(declared(TERRAFORM, "locals")["db_read_address"]) == (
        '${local.db_restored ? "" : module.database.read_replica_address}')


def test_redis_encrypted_at_rest_and_in_transit():
    redis = _resources(TERRAFORM / "modules" / "cache", "aws_elasticache_replication_group")["this"]
    assert unwrap(redis["at_rest_encryption_enabled"]) is True
    assert unwrap(redis["transit_encryption_enabled"]) is True


def test_cluster_mode_gives_shards_and_tells_the_api():
    redis = _resources(TERRAFORM / "modules" / "cache", "aws_elasticache_replication_group")["this"]
    assert "var.cluster_mode ? var.shards" in unwrap(redis["num_node_groups"])
    assert "cluster.on" in unwrap(redis["parameter_group_name"])
    environment = unwrap(declared(TERRAFORM, "locals")["backend_environment"])
    assert environment["REDIS_CLUSTER"] == "${tostring(var.cache_cluster_mode)}"
    assert _tfvars("prod")["cache_cluster_mode"] is True and _tfvars("staging")["cache_cluster_mode"] is False


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


def _waf_rules() -> dict:
    acl = _resources(TERRAFORM / "modules" / "waf", "aws_wafv2_web_acl")["this"]
    return {unwrap(rule["name"]): rule for rule in acl["rule"]}


def test_waf_core_rule_set_body_limit_does_not_block_a_long_interaction_save():
    """SizeRestrictions_BODY (8 KB) would 403 a save with long description and notes: it only counts."""
    common = _waf_rules()["aws-common"]
    group = unwrap(unwrap(common["statement"])["managed_rule_group_statement"])
    override = unwrap(group["rule_action_override"])
    assert unwrap(override["name"]) == "SizeRestrictions_BODY"
    assert "count" in unwrap(override["action_to_use"])
    # A legitimate save is bigger than 8 KB but far below the API's limit.
    description = notes = "Ü" * 5000  # two bytes each in UTF-8
    body = len(f'{{"title": "x", "description": "{description}", "notes": "{notes}"}}'.encode())
    assert 8 * 1024 < body < 100_000


def test_waf_keeps_body_limits_outside_and_on_the_api():
    rules = _waf_rules()
    # The API is told apart by one rule's label: requests whose path starts with /api/.
    label = unwrap(declared(TERRAFORM / "modules" / "waf", "locals")["api_label"])
    assert label and not label.startswith("awswaf:"), "the label belongs in the web ACL's own namespace"
    api_path = rules["api-path"]
    assert "count" in unwrap(api_path["action"]) and unwrap(unwrap(api_path["rule_label"])["name"]) == "${local.api_label}"
    path_match = str(api_path["statement"])
    assert "'/api/'" in path_match and "STARTS_WITH" in path_match and "uri_path" in path_match
    outside = str(rules["body-size-outside-api"]["statement"])
    assert "awswaf:managed:aws:core-rule-set:SizeRestrictions_Body" in outside and "not_statement" in outside
    assert "'${local.api_label}'" in outside.split("not_statement", 1)[1]
    api = str(rules["api-body-over-100kb"]["statement"])
    assert "content-length" in api and "'size': [5]" in api and "'GT'" in api
    assert "'${local.api_label}'" in api
    priorities = {name: unwrap(rule["priority"]) for name, rule in rules.items()}
    # Labels reach only rules evaluated after the rule group that sets them.
    assert priorities["aws-common"] < priorities["body-size-outside-api"]
    assert priorities["api-path"] < min(priorities["body-size-outside-api"], priorities["api-body-over-100kb"])
    assert len(set(priorities.values())) == len(priorities)


def test_waf_rate_limits_the_auth_endpoints_per_client_address():
    rule = _waf_rules()["auth-rate-limit"]
    assert "block" in unwrap(rule["action"])
    statement = unwrap(unwrap(rule["statement"])["rate_based_statement"])
    assert unwrap(statement["aggregate_key_type"]) == "IP"
    assert unwrap(statement["evaluation_window_sec"]) == 300
    assert "'/api/auth/'" in str(statement["scope_down_statement"]) and "STARTS_WITH" in str(statement["scope_down_statement"])
    limit = declared(TERRAFORM / "modules" / "waf", "variable")["auth_requests_per_5_minutes"]
    assert 10 <= unwrap(limit["default"]) <= 300


def test_the_load_balancer_is_protected_by_the_web_acl_and_waf_logs_its_requests():
    association = _resources(TERRAFORM / "modules" / "alb", "aws_wafv2_web_acl_association")["this"]
    assert unwrap(association["resource_arn"]) == "${aws_lb.this.arn}"
    assert unwrap(association["web_acl_arn"]) == "${var.web_acl_arn}"
    assert unwrap(declared(TERRAFORM, "module")["alb"]["web_acl_arn"]) == "${module.waf.web_acl_arn}"
    assert unwrap(declared(TERRAFORM / "modules" / "waf", "output")["web_acl_arn"]["value"]) == "${aws_wafv2_web_acl.this.arn}"
    waf = TERRAFORM / "modules" / "waf"
    logging = _resources(waf, "aws_wafv2_web_acl_logging_configuration")["this"]
    assert unwrap(logging["resource_arn"]) == "${aws_wafv2_web_acl.this.arn}"
    assert unwrap(logging["log_destination_configs"]) == "${aws_cloudwatch_log_group.this.arn}"
    assert unwrap(_resources(waf, "aws_cloudwatch_log_group")["this"]["name"]).startswith("aws-waf-logs-")


def _types(directory, block: str) -> set[str]:
    return {kind for path in module_files(directory) for entry in load_hcl(path).get(block, []) for kind in entry}


@pytest.mark.parametrize("directory", module_dirs()[1:], ids=lambda p: p.name)
def test_every_module_states_the_roots_constraints_for_what_it_uses_and_has_a_readme(directory):
    root = load_hcl(TERRAFORM / "versions.tf")["terraform"][0]
    own = load_hcl(directory / "versions.tf")["terraform"][0]
    assert unwrap(own["required_version"]) == unwrap(root["required_version"])
    providers = unwrap(own["required_providers"])
    used = {kind.split("_")[0] for kind in _types(directory, "resource") | _types(directory, "data")} - {"terraform"}
    assert set(providers) == used, f"{directory.name} uses {sorted(used)}, requires {sorted(providers)}"
    for name, spec in providers.items():
        assert spec == unwrap(root["required_providers"])[name], name
    readme = (directory / "README.md").read_text(encoding="utf-8")
    assert readme.startswith(f"# {directory.name}\n") and "Used by:" in readme


def test_every_bucket_is_a_hardened_bucket_and_the_tls_only_policy_is_written_once():
    buckets = [d.name for d in module_dirs() if _resources(d, "aws_s3_bucket")]
    assert buckets == ["hardened_bucket"]
    written = [d.name for d in module_dirs() for text in [expressions(d)] if "aws:SecureTransport" in text]
    assert written == ["hardened_bucket"]
    statement = unwrap(blocks(load_hcl(TERRAFORM / "modules" / "hardened_bucket" / "main.tf"), "data")
                       ["aws_iam_policy_document"]["this"]["statement"])
    assert unwrap(statement["effect"]) == "Deny" and unwrap(statement["condition"])["values"] == [["false"]]
    assert unwrap(unwrap(_resources(TERRAFORM / "modules" / "hardened_bucket", "aws_s3_bucket_policy")["this"]
                         ["policy"])) == "${data.aws_iam_policy_document.this.json}"
    calls = {(d.name, name): unwrap(call["source"]) for d in module_dirs() for name, call in declared(d, "module").items()}
    assert {call for call, source in calls.items() if source == "../hardened_bucket"} == {
        ("alb", "logs"), ("static_site", "site"), ("static_site", "logs")}
