#!/usr/bin/env bash
# Restores an environment's database to a point in time as a copy with the live instance's network,
# parameters, encryption and availability, waits until it is available, and names it in the
# environment's tfvars (db_instance_identifier_override) so that the next apply and deploy point the
# API at it, and every one after them keeps it there. docs/DEPLOYMENT.md, "Restore to a point in time".
set -euo pipefail

usage() {
  cat <<'EOF'
Usage: ops/restore-to-time.sh ENVIRONMENT TIME [--source ID] [--target ID]

  ENVIRONMENT  dev, staging or prod
  TIME         UTC restore time, e.g. 2026-12-06T08:15:00Z (within the backup retention window;
               see LatestRestorableTime of `aws rds describe-db-instances`)
  --source ID  instance to restore from; default: the one the environment uses now
               (db_instance_identifier_override of terraform/environments/ENVIRONMENT.tfvars,
               else Terraform's interaction-management-ENVIRONMENT-db)
  --target ID  identifier of the copy; default: interaction-management-ENVIRONMENT-db-pitr-<TIME>

Copies from the source instance: DB subnet group, VPC security groups, DB parameter group,
Multi-AZ, instance class, storage type, IAM authentication, log exports, deletion protection,
backup retention, Performance Insights (with its KMS key), enhanced monitoring; the storage keeps the
source's KMS key (RDS restores an encrypted instance with its key) and the master password is
managed by RDS in Secrets Manager under the same key as the source's.
Then writes db_instance_identifier_override into terraform/environments/ENVIRONMENT.tfvars.
Next: commit that file, apply Terraform and deploy (the command prints how).

Environment: AWS_* as for the AWS CLI; RESTORE_POLL_SECONDS (30) and RESTORE_TIMEOUT_MINUTES (240)
bound the wait. Needs the AWS CLI and jq.
EOF
}

fail() { echo "restore-to-time: $*" >&2; exit 1; }

[ "${1:-}" = "--help" ] || [ "${1:-}" = "-h" ] && { usage; exit 0; }
[ $# -ge 2 ] || { usage >&2; exit 2; }
ENVIRONMENT="$1" TIME="$2"
shift 2
SOURCE="" TARGET=""
while [ $# -gt 0 ]; do
  case "$1" in
    --source) SOURCE="${2:?--source needs an identifier}"; shift 2 ;;
    --target) TARGET="${2:?--target needs an identifier}"; shift 2 ;;
    *) usage >&2; exit 2 ;;
  esac
done

case "$ENVIRONMENT" in dev | staging | prod) ;; *) fail "ENVIRONMENT must be dev, staging or prod" ;; esac
[[ "$TIME" =~ ^[0-9]{4}-[0-9]{2}-[0-9]{2}T[0-9]{2}:[0-9]{2}:[0-9]{2}Z$ ]] ||
  fail "TIME must be UTC as YYYY-MM-DDTHH:MM:SSZ, e.g. 2026-12-06T08:15:00Z"

ROOT="$(cd "$(dirname "$0")/.." && pwd)"
TFVARS="$ROOT/terraform/environments/${ENVIRONMENT}.tfvars"
[ -f "$TFVARS" ] || fail "no $TFVARS"
MANAGED="interaction-management-${ENVIRONMENT}-db"
OVERRIDE_LINE='^db_instance_identifier_override[[:space:]]*='
if [ -z "$SOURCE" ]; then
  SOURCE="$(sed -n "s/${OVERRIDE_LINE}[[:space:]]*\"\([^\"]*\)\".*/\1/p" "$TFVARS")"
  SOURCE="${SOURCE:-$MANAGED}"
fi
if [ -z "$TARGET" ]; then
  stamp="${TIME//[-:]/}"
  TARGET="${MANAGED}-pitr-$(echo "${stamp%Z}" | tr 'T' 't')"
fi
POLL="${RESTORE_POLL_SECONDS:-30}"
DEADLINE=$((SECONDS + ${RESTORE_TIMEOUT_MINUTES:-240} * 60))

describe() {
  aws rds describe-db-instances --db-instance-identifier "$1" --query 'DBInstances[0]' --output json
}

copy_json=""
wait_available() {  # leaves the instance's description in copy_json
  local status
  while :; do
    copy_json="$(describe "$1")"
    status="$(jq -r '.DBInstanceStatus' <<<"$copy_json")"
    echo "  $1: ${status}"
    [ "$status" = "available" ] && return 0
    case "$status" in failed | incompatible-* | inaccessible-encryption-credentials* | storage-full)
      fail "$1 is ${status}" ;;
    esac
    [ "$SECONDS" -lt "$DEADLINE" ] || fail "$1 is still ${status} after ${RESTORE_TIMEOUT_MINUTES:-240} minutes"
    sleep "$POLL"
  done
}

echo "source: ${SOURCE}"
source_json="$(describe "$SOURCE")"
field() { jq -r "($1) | select(. != null)" <<<"$source_json"; }
subnet_group="$(field '.DBSubnetGroup.DBSubnetGroupName')"
mapfile -t security_groups < <(jq -r '.VpcSecurityGroups[]?.VpcSecurityGroupId' <<<"$source_json")
parameter_group="$(field '.DBParameterGroups[0].DBParameterGroupName')"
[ -n "$subnet_group" ] && [ "${#security_groups[@]}" -gt 0 ] && [ -n "$parameter_group" ] ||
  fail "${SOURCE} has no subnet group, security group or parameter group to copy"
flag() { if [ "$(field "$1")" = "true" ]; then echo "--$2"; else echo "--no-$2"; fi; }
mapfile -t log_exports < <(jq -r '.EnabledCloudwatchLogsExports[]?' <<<"$source_json")
storage=(--storage-type "$(field '.StorageType')")
[ -n "$(field '.StorageType')" ] || storage=()
[ -n "$(field '.MaxAllocatedStorage')" ] && storage+=(--max-allocated-storage "$(field '.MaxAllocatedStorage')")
echo "  restorable until $(field '.LatestRestorableTime'); subnet group ${subnet_group}," \
  "security groups ${security_groups[*]}, parameter group ${parameter_group}, Multi-AZ $(field '.MultiAZ')," \
  "storage key $(field '.KmsKeyId')"

echo "restoring ${SOURCE} to ${TIME} as ${TARGET}"
aws rds restore-db-instance-to-point-in-time \
  --source-db-instance-identifier "$SOURCE" --target-db-instance-identifier "$TARGET" \
  --restore-time "$TIME" \
  --db-subnet-group-name "$subnet_group" --vpc-security-group-ids "${security_groups[@]}" \
  --db-parameter-group-name "$parameter_group" \
  "$(flag '.MultiAZ' multi-az)" --db-instance-class "$(field '.DBInstanceClass')" \
  ${storage[@]+"${storage[@]}"} --no-publicly-accessible \
  "$(flag '.IAMDatabaseAuthenticationEnabled' enable-iam-database-authentication)" \
  "$(flag '.DeletionProtection' deletion-protection)" --copy-tags-to-snapshot \
  ${log_exports[@]+--enable-cloudwatch-logs-exports "${log_exports[@]}"} \
  --tags "Key=Environment,Value=${ENVIRONMENT}" "Key=Project,Value=interaction-management" \
  "Key=RestoredFrom,Value=${SOURCE}" "Key=RestoreTime,Value=${TIME}" \
  --query 'DBInstance.DBInstanceStatus' --output text >/dev/null
wait_available "$TARGET"

# What a restore does not take: the backup window and retention (the copy's own restore window),
# Performance Insights, enhanced monitoring and a master password managed in Secrets Manager
# (the owner's secret the migrations read, DB_SECRET_ARN).
modify=(--backup-retention-period "$(field '.BackupRetentionPeriod')" --apply-immediately)
[ -n "$(field '.PreferredBackupWindow')" ] && modify+=(--preferred-backup-window "$(field '.PreferredBackupWindow')")
if [ "$(field '.PerformanceInsightsEnabled')" = "true" ]; then
  modify+=(--enable-performance-insights --performance-insights-kms-key-id "$(field '.PerformanceInsightsKMSKeyId')")
fi
if [ -n "$(field '.MonitoringRoleArn')" ]; then
  modify+=(--monitoring-interval "$(field '.MonitoringInterval')" --monitoring-role-arn "$(field '.MonitoringRoleArn')")
fi
# The copy's owner password gets a secret of its own: the source's is rotated for the source.
copy_secret="$(jq -r '.MasterUserSecret.SecretArn // empty' <<<"$copy_json")"
if [ -z "$copy_secret" ] || [ "$copy_secret" = "$(field '.MasterUserSecret.SecretArn')" ]; then
  modify+=(--manage-master-user-password)
  [ -n "$(field '.MasterUserSecret.KmsKeyId')" ] &&
    modify+=(--master-user-secret-kms-key-id "$(field '.MasterUserSecret.KmsKeyId')")
fi
aws rds modify-db-instance --db-instance-identifier "$TARGET" "${modify[@]}" \
  --query 'DBInstance.DBInstanceStatus' --output text >/dev/null
wait_available "$TARGET"
echo "restored: ${TARGET} at $(jq -r '.Endpoint.Address // "?"' <<<"$copy_json")" \
  "(Multi-AZ $(jq -r '.MultiAZ' <<<"$copy_json"), owner secret $(jq -r '.MasterUserSecret.SecretArn // "?"' <<<"$copy_json"))"

if grep -q "$OVERRIDE_LINE" "$TFVARS"; then
  sed -i "s|${OVERRIDE_LINE}.*|db_instance_identifier_override = \"${TARGET}\"|" "$TFVARS"
else
  printf '\n# The database restored to a point in time (ops/restore-to-time.sh); empty: the managed one.\ndb_instance_identifier_override = "%s"\n' \
    "$TARGET" >>"$TFVARS"
fi
cat <<EOF
switched terraform/environments/${ENVIRONMENT}.tfvars: db_instance_identifier_override = "${TARGET}"
next (until then the API still uses ${SOURCE}):
  1. commit terraform/environments/${ENVIRONMENT}.tfvars on the branch that deploys ${ENVIRONMENT}
  2. deploy: the pipeline applies Terraform and renders DB_HOST from the copy (dev, which only reads
     Terraform's outputs: terraform apply -var-file=environments/${ENVIRONMENT}.tfvars first)
${SOURCE} is left as it was; delete it only once the copy has served (it holds the writes after ${TIME}).
EOF
