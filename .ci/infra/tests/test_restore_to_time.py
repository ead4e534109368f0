"""ops/restore-to-time.sh with the real AWS CLI against moto, and the Terraform variable that keeps the
API on the restored copy (db_instance_identifier_override), followed through the HCL to DB_HOST.

The requests the CLI sends are recorded by a small proxy in front of the moto server: moto copies
a source instance's placement into a point-in-time copy whatever the request says, where RDS puts a
copy given no placement into the default subnet group and security group, single-AZ. So the request
itself is checked, and the guide's bare restore line is shown to fail the same check.
"""
import os
import re
import shutil
import subprocess
import threading
import urllib.parse
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest
import requests

from conftest import ROOT, TERRAFORM, declared, guide_line, load_hcl, run, tool, unwrap
from test_guide_cli import ENVIRONMENTS, REGION, Environment

RESTORE_TIME = "2026-12-06T08:15:00Z"
PLACEMENT = ("DBSubnetGroupName", "VpcSecurityGroupIds.VpcSecurityGroupId.1", "DBParameterGroupName", "MultiAZ")


class RecordingProxy:
    """Forwards every request to moto and keeps the query-protocol ones (RDS, EC2) as {Action: [params]}."""

    def __init__(self, upstream: str):
        calls: dict[str, list[dict]] = {}
        self.calls = calls

        class Handler(BaseHTTPRequestHandler):
            def log_message(self, *args):
                pass

            def _forward(self):
                body = self.rfile.read(int(self.headers.get("Content-Length") or 0))
                if "x-www-form-urlencoded" in self.headers.get("Content-Type", ""):
                    params = dict(urllib.parse.parse_qsl(body.decode(), keep_blank_values=True))
                    calls.setdefault(params.get("Action", "?"), []).append(params)
                headers = {k: v for k, v in self.headers.items() if k.lower() not in ("host", "content-length")}
                answer = requests.request(self.command, upstream + self.path, data=body, headers=headers, timeout=60)
                self.send_response(answer.status_code)
                for key, value in answer.headers.items():
                    if key.lower() not in ("content-length", "transfer-encoding", "connection", "content-encoding"):
                        self.send_header(key, value)
                self.send_header("Content-Length", str(len(answer.content)))
                self.end_headers()
                self.wfile.write(answer.content)

            do_GET = do_POST = do_PUT = do_DELETE = _forward

        self._httpd = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self._httpd.server_port}"
        threading.Thread(target=self._httpd.serve_forever, daemon=True).start()

    def close(self):
        self._httpd.shutdown()
        self._httpd.server_close()


class Database:
    """The environment's RDS instance as Terraform creates it (modules/database), in moto."""

    def __init__(self, aws: Environment, tfvars: dict):
        n = aws.name
        ec2, rds, kms = aws.client("ec2"), aws.client("rds"), aws.client("kms")
        vpc = ec2.create_vpc(CidrBlock="10.0.0.0/16")["Vpc"]["VpcId"]
        subnets = [ec2.create_subnet(VpcId=vpc, CidrBlock=f"10.0.{64 + 16 * i}.0/20",
                                     AvailabilityZone=f"{REGION}{zone}")["Subnet"]["SubnetId"]
                   for i, zone in enumerate("ab")]
        self.security_group = ec2.create_security_group(
            GroupName=n("module.database.module.security_group.aws_security_group.this"), Description="db", VpcId=vpc)["GroupId"]
        self.subnet_group = n("module.database.aws_db_subnet_group.this")
        rds.create_db_subnet_group(DBSubnetGroupName=self.subnet_group, DBSubnetGroupDescription="db",
                                   SubnetIds=subnets)
        self.parameter_group = n("module.database.aws_db_parameter_group.this")
        rds.create_db_parameter_group(DBParameterGroupName=self.parameter_group, DBParameterGroupFamily="postgres15",
                                      Description="db")
        self.key = kms.create_key(Description=f"{aws.env}")["KeyMetadata"]["Arn"]
        self.identifier = n("module.database.aws_db_instance.this")
        self.monitoring_role = f"arn:aws:iam::123456789012:role/{n('module.database.aws_iam_role.monitoring')}"
        self.multi_az, self.retention = tfvars["multi_az_database"], tfvars["db_backup_retention_days"]
        self.deletion_protection = tfvars["deletion_protection"]
        rds.create_db_instance(
            DBInstanceIdentifier=self.identifier, Engine="postgres", EngineVersion="15",
            DBInstanceClass=tfvars["db_instance_class"], AllocatedStorage=tfvars["db_allocated_storage"],
            StorageType="gp3", MultiAZ=self.multi_az, DBName="interactions", MasterUsername="ims",
            ManageMasterUserPassword=True, MasterUserSecretKmsKeyId=self.key, StorageEncrypted=True, KmsKeyId=self.key,
            DBSubnetGroupName=self.subnet_group, VpcSecurityGroupIds=[self.security_group],
            DBParameterGroupName=self.parameter_group, PubliclyAccessible=False,
            BackupRetentionPeriod=self.retention, PreferredBackupWindow="02:00-03:00",
            EnableIAMDatabaseAuthentication=True, EnableCloudwatchLogsExports=["postgresql", "upgrade"],
            EnablePerformanceInsights=True, PerformanceInsightsKMSKeyId=self.key,
            MonitoringInterval=60, MonitoringRoleArn=self.monitoring_role,
            DeletionProtection=self.deletion_protection, CopyTagsToSnapshot=True)
        self.owner_secret = rds.describe_db_instances(DBInstanceIdentifier=self.identifier)[
            "DBInstances"][0]["MasterUserSecret"]["SecretArn"]

    def misplaced(self, restore: dict) -> dict:
        """What a restore request leaves out or sets otherwise than the source: {parameter: sent}."""
        wanted = {"DBSubnetGroupName": self.subnet_group, "VpcSecurityGroupIds.VpcSecurityGroupId.1": self.security_group,
                  "DBParameterGroupName": self.parameter_group, "MultiAZ": str(self.multi_az).lower()}
        return {key: restore.get(key) for key in PLACEMENT if restore.get(key) != wanted[key]}


@pytest.fixture
def restore_env(request, moto_server, tmp_path):
    """Production unless a test is parametrized with `environment`."""
    requests.post(f"{moto_server}/moto-api/reset", timeout=30).raise_for_status()
    proxy = RecordingProxy(moto_server)
    aws = Environment(getattr(request, "param", "prod"), proxy.url, tmp_path)
    # The script edits terraform/environments/<env>.tfvars next to itself: a copy of both.
    (tmp_path / "ops").mkdir()
    shutil.copy(ROOT / "ops" / "restore-to-time.sh", tmp_path / "ops")
    (tmp_path / "terraform" / "environments").mkdir(parents=True)
    shutil.copy(TERRAFORM / "environments" / f"{aws.env}.tfvars", tmp_path / "terraform" / "environments")
    # awscli 1.x sends `rds` in us-east-1 to rds.amazonaws.com unless --endpoint-url is given (AWS CLI 2
    # honours AWS_ENDPOINT_URL): the same shim test_guide_cli.py adds to the guide's rds lines.
    shim = tmp_path / "bin"
    shim.mkdir()
    (shim / "aws").write_text(f'#!/bin/sh\nif [ "$1" = rds ]; then set -- "$@" --endpoint-url "$AWS_ENDPOINT_URL"; fi\n'
                              f'exec {tool("aws")} "$@"\n')
    (shim / "aws").chmod(0o755)
    aws.shim = shim
    tfvars = {k: unwrap(v) for k, v in load_hcl(tmp_path / "terraform" / "environments" / f"{aws.env}.tfvars").items()}
    aws.database, aws.proxy, aws.tfvars_path = Database(aws, tfvars), proxy, tmp_path / "terraform" / "environments" / f"{aws.env}.tfvars"
    yield aws
    proxy.close()


def script(aws: Environment, *args: str) -> subprocess.CompletedProcess:
    """ops/restore-to-time.sh as an operator runs it, with the real AWS CLI (behind the shim) on PATH."""
    path = os.pathsep.join([str(aws.shim), str(Path(tool("aws")).parent), aws.cli_env["PATH"]])
    return subprocess.run(["bash", "ops/restore-to-time.sh", *args], cwd=aws.workdir, capture_output=True, text=True,
                          env={**aws.cli_env, "PATH": path, "RESTORE_POLL_SECONDS": "0.1"}, timeout=300)


def restore(aws: Environment, *args: str) -> subprocess.CompletedProcess:
    return script(aws, aws.env, RESTORE_TIME, *args)


@pytest.mark.parametrize("restore_env", ENVIRONMENTS, indirect=True)
def test_restore_puts_the_copy_where_the_source_is_and_switches_the_tfvars(restore_env):
    aws, database = restore_env, restore_env.database
    result = restore(aws)
    assert result.returncode == 0, result.stderr + result.stdout
    target = f"interaction-management-{aws.env}-db-pitr-20261206t081500"

    [sent] = aws.proxy.calls["RestoreDBInstanceToPointInTime"]
    assert sent["SourceDBInstanceIdentifier"] == database.identifier and sent["TargetDBInstanceIdentifier"] == target
    assert sent["RestoreTime"] == RESTORE_TIME
    assert database.misplaced(sent) == {}
    assert sent["PubliclyAccessible"] == "false" and sent["EnableIAMDatabaseAuthentication"] == "true"
    assert sent["DeletionProtection"] == str(database.deletion_protection).lower()
    assert "KmsKeyId" not in sent  # RestoreDBInstanceToPointInTime takes none: the copy keeps the source's key
    # What the restore API does not take goes into one modify call: the keys, retention and monitoring.
    [modified] = aws.proxy.calls["ModifyDBInstance"]
    assert modified["DBInstanceIdentifier"] == target
    assert modified["BackupRetentionPeriod"] == str(database.retention)
    assert modified["MonitoringInterval"] == "60" and modified["MonitoringRoleArn"] == database.monitoring_role
    if "ManageMasterUserPassword" in modified:  # a copy restored without a secret of its own gets one
        assert modified["MasterUserSecretKmsKeyId"] == database.key

    copy = aws.client("rds").describe_db_instances(DBInstanceIdentifier=target)["DBInstances"][0]
    assert copy["DBInstanceStatus"] == "available" and copy["MultiAZ"] is database.multi_az
    assert copy["MasterUserSecret"]["SecretArn"] != database.owner_secret  # the owner's secret of the copy (DB_SECRET_ARN)
    tfvars = load_hcl(aws.tfvars_path)
    assert unwrap(tfvars["db_instance_identifier_override"]) == target
    assert f'db_instance_identifier_override = "{target}"' in result.stdout


def test_a_second_restore_starts_from_the_copy_in_use_and_replaces_the_override(restore_env):
    aws = restore_env
    assert restore(aws).returncode == 0
    first = unwrap(load_hcl(aws.tfvars_path)["db_instance_identifier_override"])
    again = restore(aws, "--target", f"interaction-management-{aws.env}-db-again")
    assert again.returncode == 0, again.stderr
    assert aws.proxy.calls["RestoreDBInstanceToPointInTime"][-1]["SourceDBInstanceIdentifier"] == first
    assert aws.tfvars_path.read_text().count("db_instance_identifier_override") == 1
    assert unwrap(load_hcl(aws.tfvars_path)["db_instance_identifier_override"]) == f"interaction-management-{aws.env}-db-again"


def test_the_guides_restore_line_leaves_the_copy_unplaced(restore_env):
    aws = restore_env
    result = aws.run(guide_line("aws rds restore-db-instance-to-point-in-time"),
                     **{"db-instance": aws.database.identifier, "timestamp": RESTORE_TIME})
    assert result.returncode == 0, result.stderr
    [sent] = aws.proxy.calls["RestoreDBInstanceToPointInTime"]
    assert set(aws.database.misplaced(sent)) == set(PLACEMENT)


def test_restore_refuses_a_time_that_is_not_utc(restore_env):
    result = script(restore_env, restore_env.env, "2026-12-06 08:15")
    assert result.returncode != 0 and "UTC" in result.stderr
    assert "RestoreDBInstanceToPointInTime" not in restore_env.proxy.calls
    help_text = script(restore_env, "--help")
    assert help_text.returncode == 0 and "Usage: ops/restore-to-time.sh ENVIRONMENT TIME" in help_text.stdout


# ---------------------------------------------------------------- the override in Terraform

def resolve(expression, override: str, local: dict):
    """Follows an HCL expression through locals, `x != ""` conditionals and tostring() to what it reads."""
    text = unwrap(expression)
    if isinstance(text, str) and text.startswith("${") and text.endswith("}"):
        text = text[2:-1].strip()
    if m := re.fullmatch(r"tostring\((.+)\)", text):
        return resolve(m.group(1), override, local)
    if m := re.fullmatch(r"(\S+) \? (\S+) : (\S+)", text):
        return resolve(m.group(2) if resolve(m.group(1), override, local) else m.group(3), override, local)
    if m := re.fullmatch(r'var\.db_instance_identifier_override (==|!=) ""', text):
        return (override == "") == (m.group(1) == "==")
    if text == "var.db_instance_identifier_override":
        return override
    if m := re.fullmatch(r'local\.(\w+)\["(\w+)"\]', text):
        return resolve(unwrap(local[m.group(1)])[m.group(2)], override, local)
    if m := re.fullmatch(r"local\.(\w+)", text):
        return resolve(local[m.group(1)], override, local)
    return text


@pytest.mark.parametrize("override, reads", [
    ("", "module.database.{}"),
    ("interaction-management-prod-db-pitr-20261206t081500", "data.aws_db_instance.restored[0].{}"),
])
def test_the_override_reaches_db_host_of_every_task_definition(override, reads):
    local, outputs = declared(TERRAFORM, "locals"), declared(TERRAFORM, "output")
    rendered = unwrap(outputs["task_definition_variables"]["value"])  # what the deploy renders the templates with
    api = unwrap(declared(TERRAFORM, "module")["api_service"])  # Terraform's own task definition
    assert unwrap(api["environment_variables"]) == "${local.backend_environment}"
    backend = unwrap(local["backend_environment"])
    assert resolve(rendered["DB_HOST"], override, local) == resolve(backend["DB_HOST"], override, local) == reads.format("address")
    assert resolve(backend["DB_PORT"], override, local) == reads.format("port")
    secret = "master_user_secret[0].secret_arn" if override else "master_secret_arn"
    assert resolve(rendered["DB_SECRET_ARN"], override, local) == reads.format(secret)
    assert "${local.db_master_secret_arn}" in unwrap(api["secret_arns"])  # the execution role may read it
    identifier = "var.db_instance_identifier_override" if override else "module.database.instance_id"
    assert resolve(outputs["rds_identifier"]["value"], override, local) == (override or identifier)
    # A cache namespace per database: the copy's API never reads pages cached from the source.
    prefix = '"ims:${var.db_instance_identifier_override}:"' if override else '"ims:"'
    assert resolve(rendered["REDIS_KEY_PREFIX"], override, local) == resolve(backend["REDIS_KEY_PREFIX"], override, local) == prefix
    restored = unwrap(declared(TERRAFORM, "data")["aws_db_instance"])["restored"]
    assert resolve(restored["db_instance_identifier"], override, local) == override


def test_the_override_is_off_unless_an_environment_sets_it():
    variable = declared(TERRAFORM, "variable")["db_instance_identifier_override"]
    assert unwrap(variable["default"]) == ""
    for env in ENVIRONMENTS:
        assert "db_instance_identifier_override" not in load_hcl(TERRAFORM / "environments" / f"{env}.tfvars")


def test_restore_script_passes_shellcheck():
    result = run([tool("shellcheck"), str(ROOT / "ops" / "restore-to-time.sh")])
    assert result.returncode == 0, result.stdout
