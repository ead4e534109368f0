"""ecs/task-definition-template.json: envsubst-style rendering, registration in moto's ECS, secrets handling."""
import ast
import json
import re

import boto3
import pytest
from moto import mock_aws

from conftest import ROOT, TERRAFORM, blocks, declared, jsonencoded, load_hcl, resources_of, unwrap

TEMPLATE = ROOT / "ecs" / "task-definition-template.json"
PLACEHOLDER = re.compile(r"\$\{([A-Za-z_][A-Za-z0-9_]*)\}")
MIGRATE_TEMPLATE = ROOT / "ecs" / "migrate-task-definition-template.json"
SECRET_NAMES = {"DB_PASSWORD", "SECRET_KEY", "SECRET_KEY_FALLBACKS", "AUTH0_CLIENT_SECRET", "SENDGRID_API_KEY", "REDIS_URL",
                "DB_USER"}

SAMPLE = {
    "ENVIRONMENT": "prod",
    "AWS_REGION": "us-east-1",
    "IMAGE_URI": "123456789012.dkr.ecr.us-east-1.amazonaws.com/interaction-mgmt/backend:1.0.0-prod-abcdef12",
    "APP_VERSION": "1.0.0-prod-abcdef12",
    "TASK_ROLE_ARN": "arn:aws:iam::123456789012:role/interaction-management-prod-backend-task",
    "EXECUTION_ROLE_ARN": "arn:aws:iam::123456789012:role/interaction-management-prod-backend-execution",
    "CPU": "4096",
    "MEMORY": "8192",
    "STORAGE_GIB": "100",
    "APP_ENV": "production",
    "LOG_LEVEL": "INFO",
    "DB_HOST": "interaction-management-prod-db.abc.us-east-1.rds.amazonaws.com",
    "DB_PORT": "5432",
    "DB_NAME": "interactions",
    "DB_READ_HOST": "interaction-management-prod-db-read.abc.us-east-1.rds.amazonaws.com",
    "DB_SECRET_ARN": "arn:aws:secretsmanager:us-east-1:123456789012:secret:rds!db-1234-AbCdEf",
    "DB_APP_SECRET_ARN": "arn:aws:secretsmanager:us-east-1:123456789012:secret:interaction-management-prod/database-app-AbC123",
    "APP_SECRET_ARN": "arn:aws:secretsmanager:us-east-1:123456789012:secret:interaction-management-prod/backend-XyZ123",
    "REDIS_CLUSTER": "true",
    "REDIS_KEY_PREFIX": "ims:",
    "FORWARDED_ALLOW_IPS": "10.0.0.0/20,10.0.16.0/20",
    "AUTH0_DOMAIN": "example.eu.auth0.com",
    "AUTH0_AUDIENCE": "https://api.interactions.example.com",
    "AUTH0_CLIENT_ID": "abc123",
    "SENDGRID_FROM_EMAIL": "no-reply@example.com",
    "CORS_ORIGINS": "https://interactions.example.com",
    "PUBLIC_BASE_URL": "https://interactions.example.com",
    "LOGIN_RATE_LIMIT": "10/minute",
    "CACHE_TTL_SECONDS": "60",
    "GUNICORN_WORKERS": "3",
}


def render(text: str, values: dict) -> str:
    """What `envsubst` does with the template's ${VAR} placeholders."""
    return PLACEHOLDER.sub(lambda m: values[m.group(1)], text)


@pytest.fixture(scope="module")
def text() -> str:
    return TEMPLATE.read_text(encoding="utf-8")


@pytest.fixture(scope="module")
def rendered(text) -> dict:
    output = render(text, SAMPLE)
    assert "${" not in output and "$" not in output.replace("$$", ""), "placeholders left after rendering"
    return json.loads(output)


def test_only_numbers_are_unquoted_placeholders(text):
    """ECS wants ephemeralStorage.sizeInGiB as a number, so that one placeholder stands bare."""
    assert re.findall(r'"sizeInGiB": \$\{(\w+)\}', text) == ["STORAGE_GIB"]
    json.loads(text.replace("${STORAGE_GIB}", "0"))  # every other placeholder sits inside a JSON string


def test_sample_values_cover_exactly_the_templates_placeholders(text):
    migrate = set(PLACEHOLDER.findall(MIGRATE_TEMPLATE.read_text(encoding="utf-8")))
    assert set(PLACEHOLDER.findall(text)) | migrate == set(SAMPLE)


def test_terraform_provides_every_placeholder_but_the_images(text):
    outputs = {}
    for path in TERRAFORM.glob("*.tf"):
        outputs.update(blocks(load_hcl(path), "output"))
    provided = set(unwrap(outputs["task_definition_variables"]["value"]))
    placeholders = set(PLACEHOLDER.findall(text)) | set(PLACEHOLDER.findall(MIGRATE_TEMPLATE.read_text(encoding="utf-8")))
    assert provided | {"IMAGE_URI", "APP_VERSION"} == placeholders


def test_family_matches_the_terraform_bootstrap_revision(rendered):
    bootstrap = resources_of(TERRAFORM / "modules" / "api_service", "aws_ecs_task_definition")["bootstrap"]
    assert unwrap(bootstrap["family"]) == "${var.name}-backend"
    assert rendered["family"] == "interaction-management-prod-backend"  # var.name = interaction-management-<env>


def test_container_logs_to_the_guides_log_group_and_checks_health(rendered):
    container = rendered["containerDefinitions"][0]
    options = container["logConfiguration"]["options"]
    assert container["logConfiguration"]["logDriver"] == "awslogs"
    assert options["awslogs-group"] == "/ecs/interaction-management-backend"
    # liveness: ECS restarts a container that fails it; readiness (/api/health/ready) is the ALB's
    assert "/api/health'" in " ".join(container["healthCheck"]["command"])
    assert rendered["ephemeralStorage"] == {"sizeInGiB": 100}
    assert container["portMappings"][0]["containerPort"] == 8000
    assert container["readonlyRootFilesystem"] is True


def test_secrets_come_from_secrets_manager_or_ssm_never_plain_environment(rendered):
    container = rendered["containerDefinitions"][0]
    environment = {item["name"]: item["value"] for item in container["environment"]}
    secrets = {item["name"]: item["valueFrom"] for item in container["secrets"]}
    assert SECRET_NAMES <= set(secrets)
    assert not SECRET_NAMES & set(environment), "a secret is passed as plain environment"
    assert not {"DATABASE_URL", "DB_PASSWORD", "AWS_SECRET_ACCESS_KEY"} & set(environment)
    for name, reference in secrets.items():
        assert re.match(r"arn:aws:(secretsmanager|ssm):", reference), f"{name}: {reference}"


def ssm_settings_the_api_reads() -> set:
    """SSM_SETTINGS of backend/ims/config_sources.py: the only parameter names the API takes from /<env>/."""
    tree = ast.parse((ROOT / "backend" / "ims" / "config_sources.py").read_text(encoding="utf-8"))
    [value] = [node.value for node in tree.body if isinstance(node, ast.Assign)
               and any(getattr(target, "id", None) == "SSM_SETTINGS" for target in node.targets)]
    return set(ast.literal_eval(value.args[0]))


def test_parameter_store_holds_only_tunables_and_no_secret_comes_from_it(rendered):
    """A parameter write must not redirect links, mail or callers: those are task environment or secret."""
    config = load_hcl(TERRAFORM / "config.tf")
    parameters = {name for entry in config.get("resource", []) for name in entry.get("aws_ssm_parameter", {})}
    assert parameters == {"setting"}
    [ssm_settings] = [unwrap(body["ssm_settings"]) for body in config.get("locals", []) if "ssm_settings" in body]
    assert set(ssm_settings) <= ssm_settings_the_api_reads()
    security = {"PUBLIC_BASE_URL", "SENDGRID_API_KEY", "SENDGRID_FROM_EMAIL", "CORS_ORIGINS", "LOGIN_RATE_LIMIT",
                "SECRET_KEY", "REDIS_URL", "AUTH0_DOMAIN", "TRUSTED_PROXY_HOPS"}
    assert not security & (set(ssm_settings) | ssm_settings_the_api_reads())
    container = rendered["containerDefinitions"][0]
    secrets = {s["name"]: s["valueFrom"] for s in container["secrets"]}
    assert secrets["SENDGRID_API_KEY"] == SAMPLE["APP_SECRET_ARN"] + ":SENDGRID_API_KEY::"
    assert not [name for name, reference in secrets.items() if reference.startswith("arn:aws:ssm:")]
    environment = {e["name"]: e["value"] for e in container["environment"]}
    assert environment["PUBLIC_BASE_URL"] == SAMPLE["PUBLIC_BASE_URL"]
    initial = jsonencoded(unwrap(resources_of(TERRAFORM, "aws_secretsmanager_secret_version")["app"]["secret_string"]))
    assert initial["SENDGRID_API_KEY"] == "unset"


def test_api_connects_as_the_least_privilege_role_and_migrations_as_the_owner(rendered):
    api = {s["name"]: s["valueFrom"] for s in rendered["containerDefinitions"][0]["secrets"]}
    assert api["DB_USER"].startswith(SAMPLE["DB_APP_SECRET_ARN"]) and api["DB_PASSWORD"].startswith(SAMPLE["DB_APP_SECRET_ARN"])
    assert not any(SAMPLE["DB_SECRET_ARN"] in v for v in api.values()), "the API must not hold the owner's credentials"
    migrate = json.loads(render(MIGRATE_TEMPLATE.read_text(encoding="utf-8"), SAMPLE))
    container = migrate["containerDefinitions"][0]
    secrets = {s["name"]: s["valueFrom"] for s in container["secrets"]}
    assert secrets["DB_USER"].startswith(SAMPLE["DB_SECRET_ARN"]) and secrets["DB_PASSWORD"].startswith(SAMPLE["DB_SECRET_ARN"])
    assert secrets["APP_DB_PASSWORD"].startswith(SAMPLE["DB_APP_SECRET_ARN"])
    assert secrets["APP_DB_USER"] == SAMPLE["DB_APP_SECRET_ARN"] + ":username::"  # a rotation alternates two roles
    # Migrate as the owner, then create or update the API's role and its grants (flask grant-app-role).
    assert container["command"][:2] == ["sh", "-c"]
    # No $ in the command: envsubst, as the guide renders templates, would empty it.
    assert container["command"][2] == ("flask --app ims db upgrade && "
                                       "flask --app ims grant-app-role --role-env APP_DB_USER --password-env APP_DB_PASSWORD")
    secret = jsonencoded(unwrap(resources_of(TERRAFORM, "aws_secretsmanager_secret_version")["db_app"]["secret_string"]))
    assert secret["username"] == "ims_app"
    assert unwrap(declared(TERRAFORM, "locals")["backend_secrets"])["DB_USER"] == \
        "${aws_secretsmanager_secret.db_app.arn}:username::"


def test_database_tls_is_verified_against_the_rds_bundle_in_the_image(rendered):
    environment = {e["name"]: e["value"] for e in rendered["containerDefinitions"][0]["environment"]}
    assert environment["DB_SSLMODE"] == "verify-full"
    bundle = environment["PGSSLROOTCERT"]
    assert bundle == "/etc/ssl/certs/rds-global-bundle.pem"
    dockerfile = (ROOT / "docker" / "backend" / "Dockerfile").read_text(encoding="utf-8")
    assert "https://truststore.pki.rds.amazonaws.com/global/global-bundle.pem" in dockerfile
    assert bundle in dockerfile


def test_proxy_settings_trust_exactly_the_alb(rendered):
    environment = {e["name"]: e["value"] for e in rendered["containerDefinitions"][0]["environment"]}
    assert environment["TRUSTED_PROXY_HOPS"] == "1"
    assert environment["FORWARDED_ALLOW_IPS"] == SAMPLE["FORWARDED_ALLOW_IPS"]
    config = unwrap(declared(TERRAFORM, "locals")["backend_environment"])
    assert config["FORWARDED_ALLOW_IPS"] == '${join(",",module.network.public_subnet_cidrs)}'
    assert config["TRUSTED_PROXY_HOPS"] == "1"


def test_plain_settings_use_the_guides_names(rendered):
    environment = {item["name"] for item in rendered["containerDefinitions"][0]["environment"]}
    assert {"APP_ENV", "LOG_LEVEL", "DB_HOST", "DB_PORT", "DB_NAME", "DB_SSLMODE", "REDIS_TLS", "REDIS_CLUSTER", "AUTH0_DOMAIN",
            "AUTH0_AUDIENCE", "AUTH0_CLIENT_ID", "SENDGRID_FROM_EMAIL", "AWS_SSM_PATH", "CORS_ORIGINS",
            "LOGIN_RATE_LIMIT", "CACHE_TTL_SECONDS", "PUBLIC_BASE_URL"} <= environment


@mock_aws
def test_rendered_template_registers_in_ecs(rendered):
    ecs = boto3.client("ecs", region_name=SAMPLE["AWS_REGION"])
    response = ecs.register_task_definition(**rendered)
    registered = response["taskDefinition"]
    assert registered["family"] == rendered["family"]
    assert registered["revision"] == 1
    assert registered["cpu"] == "4096" and registered["memory"] == "8192"
    assert registered["containerDefinitions"][0]["image"] == SAMPLE["IMAGE_URI"]
    assert {s["name"] for s in registered["containerDefinitions"][0]["secrets"]} >= SECRET_NAMES
    described = ecs.describe_task_definition(taskDefinition=rendered["family"])["taskDefinition"]
    assert described["taskRoleArn"] == SAMPLE["TASK_ROLE_ARN"]
    assert described["executionRoleArn"] == SAMPLE["EXECUTION_ROLE_ARN"]
