"""Every AWS name Terraform generates, for dev, staging and prod, against the provider's rules.

Names are computed from the HCL with each environment's tfvars (hcl_names.py), never copied
here. The rules are AWS's (service API references) as the AWS provider validates them at plan
time: a name that breaks one makes `terraform plan` or `apply` fail for that environment.
"""
import re

import pytest

from conftest import TERRAFORM, load_hcl, unwrap
from hcl_names import NAME_ATTRIBUTES, Unknown, resources

ENVIRONMENTS = ["dev", "staging", "prod"]
S3_SUFFIX = 26  # characters AWS appends to a bucket_prefix


def _no_double_hyphen_or_trailing(name: str) -> str | None:
    if "--" in name or name.endswith("-"):
        return "two hyphens in a row or a trailing hyphen"
    return None


def _bucket(name: str) -> str | None:
    if not 3 <= len(name) <= 63:
        return f"{len(name)} characters (3-63)"
    if not re.fullmatch(r"[a-z0-9][a-z0-9.-]*[a-z0-9]", name) or ".." in name:
        return "lower-case letters, digits, dots and hyphens, starting and ending with a letter or digit"
    if name.startswith(("xn--", "sthree-")) or name.endswith(("-s3alias", "--ol-s3")):
        return "reserved prefix or suffix"
    return None


def rule(maximum: int, pattern: str = r".+", minimum: int = 1, extra=None):
    def check(name: str) -> str | None:
        if not minimum <= len(name) <= maximum:
            return f"{len(name)} characters ({minimum}-{maximum})"
        if not re.fullmatch(pattern, name):
            return f"does not match {pattern}"
        return extra(name) if extra else None
    return check


ALNUM_HYPHEN = r"[A-Za-z0-9](?:[A-Za-z0-9-]*[A-Za-z0-9])?"
ECS_NAME = rule(255, r"[A-Za-z0-9_-]+")
IAM_NAME = r"[\w+=,.@-]+"
RDS_ID = rule(63, r"[a-z][a-z0-9-]*", extra=_no_double_hyphen_or_trailing)

# (resource type, attribute path) -> check. Lengths and characters from the AWS API references.
RULES = {
    ("aws_lb", "name"): rule(32, ALNUM_HYPHEN, extra=lambda n: "starts with internal-" if n.startswith("internal-") else None),
    ("aws_lb", "access_logs.prefix"): rule(
        200, r"[^/].*[^/]|[^/]", extra=lambda p: "contains AWSLogs" if "AWSLogs" in p else None),
    ("aws_lb_target_group", "name"): rule(32, ALNUM_HYPHEN),
    ("aws_s3_bucket", "bucket"): _bucket,
    ("aws_s3_bucket", "bucket_prefix"): lambda p: (
        f"{len(p)} characters (at most {63 - S3_SUFFIX})" if len(p) > 63 - S3_SUFFIX else _bucket(p + "a" * S3_SUFFIX)),
    ("aws_iam_role", "name"): rule(64, IAM_NAME),
    ("aws_iam_role_policy", "name"): rule(128, IAM_NAME),
    ("aws_elasticache_replication_group", "replication_group_id"): rule(
        40, r"[a-z][a-z0-9-]*", extra=_no_double_hyphen_or_trailing),
    ("aws_elasticache_subnet_group", "name"): rule(255, r"[a-z0-9-]+"),
    ("aws_db_instance", "identifier"): RDS_ID,
    ("aws_db_instance", "final_snapshot_identifier"): rule(255, r"[A-Za-z][A-Za-z0-9-]*", extra=_no_double_hyphen_or_trailing),
    ("aws_db_subnet_group", "name"): rule(255, r"[a-z0-9 ._-]+", extra=lambda n: "reserved" if n == "default" else None),
    ("aws_db_parameter_group", "name"): rule(255, r"[a-z][a-z0-9-]*", extra=_no_double_hyphen_or_trailing),
    ("aws_security_group", "name"): rule(255, r"[\x20-\x7e]+", extra=lambda n: "starts with sg-" if n.startswith("sg-") else None),
    ("aws_ecs_cluster", "name"): ECS_NAME,
    ("aws_ecs_service", "name"): ECS_NAME,
    ("aws_ecs_task_definition", "family"): ECS_NAME,
    ("aws_cloudwatch_log_group", "name"): rule(512, r"[.\-_/#A-Za-z0-9]+"),
    ("aws_ecr_repository", "name"): rule(256, r"(?:[a-z0-9]+(?:[._-][a-z0-9]+)*/)*[a-z0-9]+(?:[._-][a-z0-9]+)*", minimum=2),
    ("aws_sns_topic", "name"): rule(256, r"[A-Za-z0-9_-]+"),
    ("aws_cloudwatch_dashboard", "dashboard_name"): rule(255, r"[A-Za-z0-9_-]+"),
    ("aws_cloudwatch_metric_alarm", "alarm_name"): rule(255, r"[\x20-\x7e]+"),
    ("aws_cloudwatch_query_definition", "name"): rule(255, r"[\x20-\x7e]+"),
    ("aws_wafv2_web_acl", "name"): rule(128, r"[\w-]+"),
    ("aws_secretsmanager_secret", "name"): rule(512, r"[A-Za-z0-9/_+=.@-]+"),
    ("aws_kms_alias", "name"): rule(256, r"alias/[A-Za-z0-9/_-]+", extra=lambda n: "reserved" if n.startswith("alias/aws/") else None),
    ("aws_cloudfront_origin_access_control", "name"): rule(64),
    ("aws_cloudfront_response_headers_policy", "name"): rule(128, r"[A-Za-z0-9_-]+"),
    ("aws_appautoscaling_policy", "name"): rule(255, r"[^:/|]+"),
    ("aws_ssm_parameter", "name"): rule(1011, r"/?[A-Za-z0-9_.\-/]+"),
}


def _tfvars(env: str) -> dict:
    return {k: unwrap(v) for k, v in load_hcl(TERRAFORM / "environments" / f"{env}.tfvars").items()}


def _names(env: str) -> list[tuple[str, str, str]]:
    """(resource, attribute, name) for every checked name of the environment."""
    named = []
    for resource in resources(_tfvars(env), env):
        for (kind, path), _ in RULES.items():
            if kind != resource.kind:
                continue
            try:
                value = resource.attribute(path)
            except Unknown as unknown:
                pytest.fail(f"{env}: {resource}.{path} depends on {unknown}, known only at apply time")
            if value is not None:
                named.append((str(resource), path, value))
    return named


@pytest.mark.parametrize("env", ENVIRONMENTS)
def test_every_generated_name_follows_the_providers_rules(env):
    problems = [f"{resource}.{path} = {name!r}: {RULES[(_kind(resource), path)](name)}"
                for resource, path, name in _names(env)
                if RULES[(_kind(resource), path)](name)]
    assert not problems, f"{env}:\n" + "\n".join(problems)


def _kind(resource: str) -> str:
    """aws_lb of module.alb.aws_lb.this or module.alb.module.logs.aws_s3_bucket.this["x"]."""
    return re.sub(r"\[.*\]$", "", resource).split(".")[-2]


@pytest.mark.parametrize("env", ENVIRONMENTS)
def test_cache_member_ids_fit_the_cache_cluster_id_limit(env):
    """ElastiCache names member clusters <group>-0001-001 (cluster mode) or <group>-001: 50 characters at most."""
    for resource in resources(_tfvars(env), env):
        if resource.kind == "aws_elasticache_replication_group":
            assert len(resource.attribute("replication_group_id") + "-0001-001") <= 50


NOT_NAMES = {("aws_db_parameter_group", "family")}  # an engine family (postgres15), not a name
REFERENCE = re.compile(r"\$\{(aws_|module\.|data\.|var\.[a-z_]*(arn|id))[^}]*\}")


def test_every_named_resource_type_has_a_rule():
    """A new resource type with a name must get its rule here; references to other resources are not names."""
    seen = set()
    for resource in resources(_tfvars("staging"), "staging"):
        seen |= {(resource.kind, a) for a in NAME_ATTRIBUTES
                 if a in resource.body and not REFERENCE.fullmatch(str(unwrap(resource.body[a])))} - NOT_NAMES
    unchecked = sorted(f"{kind}.{attribute}" for kind, attribute in seen if (kind, attribute) not in RULES)
    assert not unchecked, f"no naming rule for: {unchecked}"


@pytest.mark.parametrize("env", ENVIRONMENTS)
def test_names_are_the_guides_where_it_gives_them(env):
    names = {(r, p): n for r, p, n in _names(env)}
    by_kind: dict[str, set] = {}
    for (resource, _path), name in names.items():
        by_kind.setdefault(_kind(resource), set()).add(name)
    assert by_kind["aws_ecr_repository"] == {"interaction-mgmt/frontend", "interaction-mgmt/backend"}
    assert by_kind["aws_sns_topic"] == {"InteractionManagementAlarms"}
    assert by_kind["aws_cloudwatch_dashboard"] == {"InteractionManagementSystem"}
    assert "/ecs/interaction-management-backend" in by_kind["aws_cloudwatch_log_group"]
    assert f"interaction-management-{env}-frontend" in by_kind["aws_ecs_service"]


def test_the_check_catches_the_staging_load_balancer_name_it_was_written_for():
    """The old staging ALB name was 34 characters; the rule must refuse it."""
    assert RULES[("aws_lb", "name")]("interaction-management-staging-alb")
    assert RULES[("aws_s3_bucket", "bucket_prefix")]("interaction-management-staging-spa-logs-")
