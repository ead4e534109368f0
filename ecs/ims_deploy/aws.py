"""The only place that calls AWS: read calls always run, changes are only printed under --dry-run,
and every botocore failure becomes an AwsError with a one-line message."""

import json
import shlex
from typing import Any

import boto3
from botocore import xform_name
from botocore.exceptions import BotoCoreError, ClientError, NoRegionError

from ims_deploy.errors import AwsError
from ims_deploy.log import StepLog

READ_PREFIXES = ("describe_", "list_", "get_")


class Aws:
    def __init__(self, session: boto3.Session, region: str | None, dry_run: bool, log: StepLog):
        self._session = session
        self._region = region
        self._clients: dict[str, Any] = {}
        self.dry_run = dry_run
        self._log = log

    def read(self, service: str, operation: str, /, **params: Any) -> dict:
        """Run a read-only call; these run under --dry-run too, to plan what would change."""
        if not operation.startswith(READ_PREFIXES):
            raise ValueError(f"{operation} is not a read call; use change()")
        return self._invoke(service, operation, params)

    def change(self, service: str, operation: str, /, dry_run_result: Any = None, **params: Any) -> Any:
        """Run a mutating call, or under --dry-run print it as an AWS CLI command and return
        `dry_run_result` in its place."""
        if self.dry_run:
            self._log.step("dry-run", "would call " + cli_command(service, operation, params))
            return dry_run_result
        return self._invoke(service, operation, params)

    def _invoke(self, service: str, operation: str, params: dict) -> dict:
        try:
            return getattr(self._client(service), operation)(**params)
        except ClientError as exc:
            error = exc.response.get("Error", {})
            code = error.get("Code", "Error")
            message = error.get("Message") or str(exc)
            raise AwsError(f"{cli_name(service, operation)} failed: {code}: {message}") from None
        except NoRegionError:
            raise AwsError("no AWS region: pass --region or set AWS_REGION") from None
        except BotoCoreError as exc:
            raise AwsError(f"{cli_name(service, operation)} failed: {exc}") from None

    def _client(self, service: str):
        if service not in self._clients:
            try:
                self._clients[service] = self._session.client(service, region_name=self._region)
            except NoRegionError:
                raise AwsError("no AWS region: pass --region or set AWS_REGION") from None
        return self._clients[service]


def cli_name(service: str, operation: str) -> str:
    return f"{service} {operation.replace('_', '-')}"


def cli_command(service: str, operation: str, params: dict) -> str:
    """The AWS CLI command equivalent to a boto3 call, so ops can read (or paste and run) a dry run.

    Flags are named as the AWS CLI names them (botocore's xform_name), structures are given as
    JSON, and every value is quoted for a POSIX shell, so quotes, `$` and spaces in a value (an
    environment variable of the task definition, say) reach AWS as they are."""
    parts = ["aws", cli_name(service, operation)]
    for key, value in params.items():
        flag = "--" + xform_name(key, "-")
        if isinstance(value, bool):  # the AWS CLI spells booleans as --flag / --no-flag
            parts.append(flag if value else "--no-" + flag[2:])
        elif isinstance(value, (dict, list)):
            parts += [flag, shlex.quote(json.dumps(value, separators=(",", ":")))]
        else:
            parts += [flag, shlex.quote(str(value))]
    return " ".join(parts)
