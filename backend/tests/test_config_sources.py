"""Settings read from AWS (moto: the `aws` fixture): SSM parameters under a path, one Secrets Manager
secret, and which source wins."""
from __future__ import annotations

import json

import pytest

from ims.config import ConfigError, build_settings
from ims.production_guards import check_production
from tests.settings_builders import STRONG_KEY


def test_ssm_parameters_under_the_path_become_settings(aws):
    ssm, _ = aws
    ssm.put_parameter(Name="/prod/CACHE_TTL_SECONDS", Value="20", Type="String")
    ssm.put_parameter(Name="/prod/MAIL_MAX_ATTEMPTS", Value="3", Type="SecureString")
    ssm.put_parameter(Name="/staging/CACHE_TTL_SECONDS", Value="not-this-one", Type="String")
    settings = build_settings({"APP_ENV": "production", "AWS_SSM_PATH": "/prod/", "AWS_REGION": "eu-west-1",
                               "REDIS_HOST": "cache.internal", "DB_HOST": "rds.internal", "SECRET_KEY": STRONG_KEY,
                               "DB_SSLMODE": "verify-full"})
    assert settings["CACHE_TTL_SECONDS"] == 20 and settings["MAIL_MAX_ATTEMPTS"] == 3
    check_production(settings)


def test_secret_json_becomes_settings(aws):
    _, secrets = aws
    secrets.create_secret(Name="ims/prod", SecretString=json.dumps({"SECRET_KEY": STRONG_KEY,
                                                                    "SENDGRID_API_KEY": "SG.x"}))
    settings = build_settings({"AWS_SECRET_ID": "ims/prod", "AWS_REGION": "eu-west-1"})
    assert settings["SECRET_KEY"] == STRONG_KEY and settings["SENDGRID_API_KEY"] == "SG.x"


def test_secret_key_fallbacks_are_a_comma_separated_list_newest_first(aws):
    _, secrets = aws
    older, oldest = STRONG_KEY[::-1], STRONG_KEY.upper()
    secrets.create_secret(Name="ims/prod", SecretString=json.dumps({"SECRET_KEY": STRONG_KEY,
                                                                    "SECRET_KEY_FALLBACKS": f"{older}, {oldest},"}))
    assert build_settings({"AWS_SECRET_ID": "ims/prod", "AWS_REGION": "eu-west-1"})["SECRET_KEY_FALLBACKS"] == [
        older, oldest]
    assert build_settings({})["SECRET_KEY_FALLBACKS"] == []


def test_environment_wins_over_secret_which_wins_over_ssm(aws):
    ssm, secrets = aws
    for name, value in {"LOGIN_RATE_LIMIT": "1/minute", "CACHE_TTL_SECONDS": "11", "LOG_LEVEL": "debug"}.items():
        ssm.put_parameter(Name=f"/prod/{name}", Value=value, Type="String")
    secrets.create_secret(Name="ims/prod", SecretString=json.dumps({"LOGIN_RATE_LIMIT": "2/minute",
                                                                    "CACHE_TTL_SECONDS": "22"}))
    settings = build_settings({"AWS_SSM_PATH": "/prod", "AWS_SECRET_ID": "ims/prod", "AWS_REGION": "eu-west-1",
                               "CACHE_TTL_SECONDS": "33"})
    assert (settings["LOGIN_RATE_LIMIT"], settings["CACHE_TTL_SECONDS"]) == ("2/minute", 33)
    assert settings["LOG_LEVEL"] == "DEBUG"


@pytest.mark.parametrize("raw", ["not json at all", "[1, 2]"])
def test_a_secret_that_is_not_a_json_object_is_refused(aws, raw):
    _, secrets = aws
    secrets.create_secret(Name="ims/prod", SecretString=raw)
    with pytest.raises(ConfigError, match="secret ims/prod is not a JSON object"):
        build_settings({"AWS_SECRET_ID": "ims/prod", "AWS_REGION": "eu-west-1"})
