"""ecs/task-definition-template.json: envsubst-style rendering, registration in moto's ECS, secrets handling."""
import json
import re

import boto3
import pytest
from moto import mock_aws

from conftest import ROOT, TERRAFORM, blocks, load_hcl, unwrap

TEMPLATE = ROOT / "ecs" / "task-definition-template.json"
PLACEHOLDER = re.compile(r"\$\{([A-Za-z_][A-Za-z0-9_]*)\}")
SECRET_NAMES = {"DB_PASSWORD", "SECRET_KEY", "AUTH0_CLIENT_SECRET", "SENDGRID_API_KEY", "REDIS_URL", "DB_USER"}

SAMPLE = {
    "ENVIRONMENT": "prod",
    "AWS_REGION": "eu-west-1",
    "AWS_ACCOUNT_ID": "123456789012",
    "IMAGE_URI": "123456789012.dkr.ecr.eu-west-1.amazonaws.com/interaction-management-prod-backend:1.0.0-prod-abcdef12",
    "APP_VERSION": "1.0.0-prod-abcdef12",
    "TASK_ROLE_ARN": "arn:aws:iam::123456789012:role/interaction-management-prod-backend-task",
    "EXECUTION_ROLE_ARN": "arn:aws:iam::123456789012:role/interaction-management-prod-backend-execution",
    "CPU": "1024",
    "MEMORY": "2048",
    "APP_ENV": "production",
    "LOG_LEVEL": "WARNING",
    "DB_HOST": "interaction-management-prod-db.abc.eu-west-1.rds.amazonaws.com",
    "DB_PORT": "5432",
    "DB_NAME": "interactions",
    "DB_SECRET_ARN": "arn:aws:secretsmanager:eu-west-1:123456789012:secret:rds!db-1234-AbCdEf",
    "APP_SECRET_ARN": "arn:aws:secretsmanager:eu-west-1:123456789012:secret:interaction-management-prod/backend-XyZ123",
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


def test_template_is_json_before_rendering(text):
    json.loads(text)


def test_sample_values_cover_exactly_the_templates_placeholders(text):
    assert set(PLACEHOLDER.findall(text)) == set(SAMPLE)


def test_terraform_provides_every_placeholder_but_the_images(text):
    outputs = {}
    for path in TERRAFORM.glob("*.tf"):
        outputs.update(blocks(load_hcl(path), "output"))
    provided = set(unwrap(outputs["task_definition_variables"]["value"]))
    assert provided | {"IMAGE_URI", "APP_VERSION"} == set(PLACEHOLDER.findall(text))


def test_family_matches_the_terraform_bootstrap_revision(rendered):
    ecs = (TERRAFORM / "modules" / "ecs" / "main.tf").read_text(encoding="utf-8")
    assert 'family                   = "${var.name}-backend"' in ecs
    assert rendered["family"] == "interaction-management-prod-backend"  # var.name = interaction-management-<env>


def test_container_logs_to_the_guides_log_group_and_checks_health(rendered):
    container = rendered["containerDefinitions"][0]
    options = container["logConfiguration"]["options"]
    assert container["logConfiguration"]["logDriver"] == "awslogs"
    assert options["awslogs-group"] == "/ecs/interaction-management-backend"
    assert "/api/health" in " ".join(container["healthCheck"]["command"])
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


def test_plain_settings_use_the_guides_names(rendered):
    environment = {item["name"] for item in rendered["containerDefinitions"][0]["environment"]}
    assert {"APP_ENV", "LOG_LEVEL", "DB_HOST", "DB_PORT", "DB_NAME", "DB_SSLMODE", "REDIS_TLS", "AUTH0_DOMAIN",
            "AUTH0_AUDIENCE", "AUTH0_CLIENT_ID", "SENDGRID_FROM_EMAIL", "AWS_SSM_PATH", "CORS_ORIGINS",
            "LOGIN_RATE_LIMIT", "CACHE_TTL_SECONDS", "PUBLIC_BASE_URL"} <= environment


@mock_aws
def test_rendered_template_registers_in_ecs(rendered):
    ecs = boto3.client("ecs", region_name=SAMPLE["AWS_REGION"])
    response = ecs.register_task_definition(**rendered)
    registered = response["taskDefinition"]
    assert registered["family"] == rendered["family"]
    assert registered["revision"] == 1
    assert registered["cpu"] == "1024" and registered["memory"] == "2048"
    assert registered["containerDefinitions"][0]["image"] == SAMPLE["IMAGE_URI"]
    assert {s["name"] for s in registered["containerDefinitions"][0]["secrets"]} >= SECRET_NAMES
    described = ecs.describe_task_definition(taskDefinition=rendered["family"])["taskDefinition"]
    assert described["taskRoleArn"] == SAMPLE["TASK_ROLE_ARN"]
    assert described["executionRoleArn"] == SAMPLE["EXECUTION_ROLE_ARN"]
