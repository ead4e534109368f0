"""Deployment settings for the configuration tests: a safe production environment to vary one variable
at a time, and AWS's settings sources (SSM Parameter Store, Secrets Manager) stood in for by moto."""
from __future__ import annotations

import secrets

import boto3
import pytest
from moto import mock_aws

STRONG_KEY = secrets.token_hex(32)  # generated: any key written into the repository is refused in production


def production(**environ) -> dict:
    return {"APP_ENV": "production", "DB_HOST": "db.internal", "DB_PASSWORD": "pw", "SECRET_KEY": STRONG_KEY,
            "REDIS_HOST": "cache.internal", "DB_SSLMODE": "verify-full", **environ}


@pytest.fixture
def aws(monkeypatch):
    """(ssm, secretsmanager) clients of moto's in-memory AWS in eu-west-1, with throwaway credentials."""
    for name, value in {"AWS_ACCESS_KEY_ID": "testing", "AWS_SECRET_ACCESS_KEY": "testing",
                        "AWS_SESSION_TOKEN": "testing", "AWS_DEFAULT_REGION": "eu-west-1"}.items():
        monkeypatch.setenv(name, value)
    with mock_aws():
        yield boto3.client("ssm", region_name="eu-west-1"), boto3.client("secretsmanager", region_name="eu-west-1")
