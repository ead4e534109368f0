#!/usr/bin/env bash
# Rotate one secret of an environment and roll the API onto it without downtime (docs/DEPLOYMENT.md,
# "Rotate secrets"). Secrets reach a task only when it starts, so each rotation writes the secret, then
# restarts every backend service that runs tasks (`update-service --force-new-deployment`, then
# `wait services-stable`); a colour at 0 tasks reads the new value when it next starts.
#
#   usage: ecs/rotate-secret.sh sendgrid < file-holding-the-new-key
#          ecs/rotate-secret.sh secret-key      # new SECRET_KEY; the old one stays in SECRET_KEY_FALLBACKS
#          ecs/rotate-secret.sh end-overlap     # empties SECRET_KEY_FALLBACKS once old tokens have expired
#          ecs/rotate-secret.sh db-password     # the API's database role and password (two roles alternate)
#
# Run from the repository root with the environment's Terraform workspace selected; the names come from
# its outputs unless set: APP_SECRET_ID, DB_APP_SECRET_ID, ECS_CLUSTER, ECS_SERVICES ("blue green").
# No secret value is ever on a command line: values travel through stdin and jq's environment.
set -euo pipefail

usage() {
  sed -n 's/^#   usage: /usage: /p; s/^#          /       /p' "$0" | sed -n '1,4p' >&2
  exit 2
}
[ "$#" -eq 1 ] || usage

output() { terraform -chdir=terraform output -raw "$1"; }
ECS_CLUSTER="${ECS_CLUSTER:-$(output ecs_cluster_name)}"
ECS_SERVICES="${ECS_SERVICES:-$(output ecs_service_blue_name) $(output ecs_service_green_name)}"

random_secret() {  # letters and digits only: SECRET_KEY_FALLBACKS is a comma-separated list
  aws secretsmanager get-random-password --password-length "$1" --exclude-punctuation \
    --query RandomPassword --output text
}

secret_json() {
  aws secretsmanager get-secret-value --secret-id "$1" --version-stage AWSCURRENT --query SecretString --output text
}

# The secret's JSON changed by a jq program (values in jq's environment), stored as a new version
# (AWSCURRENT unless stages are given after the program); prints the version id.
put_changed() {
  local id="$1" program="$2"
  shift 2
  secret_json "$id" | jq -ce "$program" \
    | aws secretsmanager put-secret-value --secret-id "$id" --secret-string file:///dev/stdin "$@" \
        --query VersionId --output text
}

roll() {
  local service count
  for service in $ECS_SERVICES; do
    count="$(aws ecs describe-services --cluster "$ECS_CLUSTER" --services "$service" \
      --query 'services[0].desiredCount' --output text)"
    if [ "$count" = "0" ] || [ "$count" = "None" ]; then
      echo "${service}: no tasks; it reads the new value when it starts"
      continue
    fi
    aws ecs update-service --cluster "$ECS_CLUSTER" --service "$service" --force-new-deployment \
      --query 'service.serviceName' --output text >/dev/null
    aws ecs wait services-stable --cluster "$ECS_CLUSTER" --services "$service"
    echo "${service}: ${count} task(s) replaced; all read the new value"
  done
}

# Fallbacks without empty entries and without $NEW_KEY, as a jq array.
FALLBACKS='((.SECRET_KEY_FALLBACKS // "") | split(",") | map(select(. != "" and . != env.NEW_KEY)))'

rotate_secret_key() {
  local app_secret="${APP_SECRET_ID:-$(output app_secret_arn)}"
  NEW_KEY="$(random_secret 64)"
  export NEW_KEY
  # First every task learns the new key as a fallback, so none refuses what the others will sign with it…
  put_changed "$app_secret" ".SECRET_KEY_FALLBACKS = ([env.NEW_KEY] + ${FALLBACKS} | join(\",\"))" >/dev/null
  echo "SECRET_KEY: the new key is accepted everywhere before any task signs with it"
  roll
  # …then they sign with it, and the old key verifies what it signed until that expires.
  put_changed "$app_secret" ".SECRET_KEY_FALLBACKS = ([.SECRET_KEY] + ${FALLBACKS} | join(\",\"))
    | .SECRET_KEY = env.NEW_KEY" >/dev/null
  echo "SECRET_KEY: new tokens and reset links are signed with the new key; the old one is a fallback"
  roll
  echo "after TOKEN_TTL_SECONDS (24 h by default), run: ecs/rotate-secret.sh end-overlap"
}

end_overlap() {
  put_changed "${APP_SECRET_ID:-$(output app_secret_arn)}" '.SECRET_KEY_FALLBACKS = ""' >/dev/null
  echo "SECRET_KEY_FALLBACKS emptied: only the current key verifies"
  roll
}

rotate_sendgrid() {
  local app_secret="${APP_SECRET_ID:-$(output app_secret_arn)}"
  SENDGRID_KEY="$(cat)"
  SENDGRID_KEY="${SENDGRID_KEY%$'\n'}"
  export SENDGRID_KEY
  case "$SENDGRID_KEY" in
    SG.?*) ;;
    *) echo "the new key on stdin must be a SendGrid API key (SG.…); nothing changed" >&2; exit 1 ;;
  esac
  put_changed "$app_secret" '.SENDGRID_API_KEY = env.SENDGRID_KEY | .SECRET_KEY_FALLBACKS //= ""' >/dev/null
  echo "SENDGRID_API_KEY replaced in ${app_secret##*:secret:}"
  roll
  echo "now delete the old key in SendGrid (Settings > API Keys): no task uses it any more"
}

# The database role alternates between ims_app and ims_app_b: the role no task uses gets a new password
# (inside the VPC, by a one-off task of the migration task definition reading the secret's AWSPENDING
# version), then AWSCURRENT moves to it and the services roll. Tasks still on the other role keep
# connecting with its unchanged password until the roll has replaced them.
rotate_db_password() {
  local id="${DB_APP_SECRET_ID:-$(output db_app_secret_arn)}"
  local arn current user other pending first service family tmp task_definition task code
  arn="$(aws secretsmanager describe-secret --secret-id "$id" --query ARN --output text)"
  current="$(aws secretsmanager get-secret-value --secret-id "$id" --version-stage AWSCURRENT \
    --query VersionId --output text)"
  user="$(secret_json "$id" | jq -r .username)"
  if [ "$user" = "ims_app_b" ]; then other=ims_app; else other=ims_app_b; fi
  APP_DB_USER="$other" APP_DB_PASSWORD="$(random_secret 40)"
  export APP_DB_USER APP_DB_PASSWORD
  pending="$(put_changed "$id" '.username = env.APP_DB_USER | .password = env.APP_DB_PASSWORD' \
    --version-stages AWSPENDING)"
  unset APP_DB_PASSWORD

  first="${ECS_SERVICES%% *}"
  service="$(aws ecs describe-services --cluster "$ECS_CLUSTER" --services "$first" --query 'services[0]')"
  family="$(aws ecs describe-task-definition --task-definition "$(jq -r .taskDefinition <<<"$service")" \
    --query taskDefinition.family --output text)"
  tmp="$(mktemp -d)"
  aws ecs describe-task-definition --task-definition "${family%-backend}-migrate" --query taskDefinition \
    | jq --arg arn "$arn" -f "$(dirname "$0")/rotate-db-task.jq" > "$tmp/task-definition.json"
  task_definition="$(aws ecs register-task-definition --cli-input-json "file://$tmp/task-definition.json" \
    --query taskDefinition.taskDefinitionArn --output text)"
  rm -rf "$tmp"
  task="$(aws ecs run-task --cluster "$ECS_CLUSTER" --launch-type FARGATE --task-definition "$task_definition" \
    --network-configuration "$(jq -c .networkConfiguration <<<"$service")" --started-by rotate-db-password \
    --query 'tasks[0].taskArn' --output text)"
  echo "setting a new password for ${other} (task ${task##*/})"
  aws ecs wait tasks-stopped --cluster "$ECS_CLUSTER" --tasks "$task"
  code="$(aws ecs describe-tasks --cluster "$ECS_CLUSTER" --tasks "$task" \
    --query 'tasks[0].containers[0].exitCode' --output text)"
  if [ "$code" != "0" ]; then
    aws secretsmanager update-secret-version-stage --secret-id "$id" --version-stage AWSPENDING \
      --remove-from-version-id "$pending" >/dev/null
    echo "the task setting ${other}'s password failed (exit code ${code}; log group" \
      "/ecs/interaction-management-backend); nothing changed: the API still connects as ${user}" >&2
    exit 1
  fi
  aws secretsmanager update-secret-version-stage --secret-id "$id" --version-stage AWSCURRENT \
    --move-to-version-id "$pending" --remove-from-version-id "$current" >/dev/null
  aws secretsmanager update-secret-version-stage --secret-id "$id" --version-stage AWSPENDING \
    --remove-from-version-id "$pending" >/dev/null
  echo "the API's database secret names ${other} now"
  roll
  echo "every task connects as ${other}; ${user} keeps its old password until the next rotation"
}

case "$1" in
  sendgrid) rotate_sendgrid ;;
  secret-key) rotate_secret_key ;;
  end-overlap) end_overlap ;;
  db-password) rotate_db_password ;;
  *) usage ;;
esac
