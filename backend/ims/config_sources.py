"""Where settings come from besides the process environment: SSM Parameter Store (tunables only) and one
Secrets Manager secret. `config.build_settings` lays the environment over what these return."""
from __future__ import annotations

import json
import logging
from typing import Mapping

log = logging.getLogger(__name__)


class ConfigError(RuntimeError):
    """The configuration is unusable; the message says what to fix."""


# The only settings read from SSM Parameter Store: tunables that change how much or how fast, never whom
# the API trusts or where it sends people. Anyone who may write a parameter under /<env>/ could otherwise
# point every reset and invitation link at their own site (PUBLIC_BASE_URL), send the mail through their
# own SendGrid account and read it (SENDGRID_API_KEY, SENDGRID_FROM_EMAIL), let their own web origin call
# the API with a member's token (CORS_ORIGINS), lift the sign-in throttle (LOGIN_RATE_LIMIT), or redirect
# the database, Redis, Auth0, mail host, keys, proxy hops and production guards. Those come from the task
# definition's environment (rendered by Terraform) or its Secrets Manager secret only; a parameter with
# their name is ignored with a warning. Enforced by tests/drills/test_config_sources.py.
SSM_SETTINGS = frozenset({
    "LOG_LEVEL", "CACHE_TTL_SECONDS", "FINDER_COUNT_CAP", "FINDER_SEARCH_COUNT_CAP",
    "DB_POOL_SIZE", "DB_MAX_OVERFLOW", "DB_STATEMENT_TIMEOUT_MS", "MAIL_RETRY_SECONDS", "MAIL_MAX_ATTEMPTS",
})


def load_aws_sources(environ: Mapping[str, str]) -> dict[str, str]:
    """Read SSM parameters under AWS_SSM_PATH and one Secrets Manager secret (a JSON object).

    Parameter `/prod/LOG_LEVEL` becomes setting `LOG_LEVEL`, for the names in SSM_SETTINGS only. The secret wins over SSM;
    the process environment wins over both (see `build_settings`).
    """
    values: dict[str, str] = {}
    path = environ.get("AWS_SSM_PATH")
    secret_id = environ.get("AWS_SECRET_ID")
    if not path and not secret_id:
        return values
    import boto3  # imported lazily: only deployments that use AWS pay for it

    region = environ.get("AWS_REGION") or environ.get("AWS_DEFAULT_REGION")
    if path:
        ignored: list[str] = []
        ssm = boto3.client("ssm", region_name=region)
        prefix = path if path.endswith("/") else path + "/"
        for page in ssm.get_paginator("get_parameters_by_path").paginate(
            Path=prefix.rstrip("/") or "/", Recursive=True, WithDecryption=True
        ):
            for param in page["Parameters"]:
                name = param["Name"].rsplit("/", 1)[-1].upper()
                if name in SSM_SETTINGS:
                    values[name] = param["Value"]
                else:
                    ignored.append(name)
        if ignored:
            log.warning("SSM parameters ignored (only tunables are read from SSM; security settings come from the "
                        "task definition or Secrets Manager): %s", ", ".join(sorted(ignored)))
    if secret_id:
        sm = boto3.client("secretsmanager", region_name=region)
        raw = sm.get_secret_value(SecretId=secret_id)["SecretString"]
        try:
            secret = json.loads(raw)
        except ValueError as exc:
            raise ConfigError(f"secret {secret_id} is not a JSON object") from exc
        if not isinstance(secret, dict):
            raise ConfigError(f"secret {secret_id} is not a JSON object")
        values.update({k.upper(): str(v) for k, v in secret.items()})
    log.info("loaded %d settings from AWS", len(values))
    return values
