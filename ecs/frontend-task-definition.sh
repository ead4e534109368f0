#!/usr/bin/env bash
# Registers the frontend service's next task definition: the revision the service runs now, with
# a new image (ecs/with-image.jq), so the environment Terraform gave it (REACT_APP_*, NODE_ENV)
# stays. Prints the new revision's ARN, for ecs/rolling-update.sh:
#
#   bash ecs/rolling-update.sh CLUSTER SERVICE "$(bash ecs/frontend-task-definition.sh CLUSTER SERVICE IMAGE)"
#
#   usage: ecs/frontend-task-definition.sh CLUSTER SERVICE IMAGE
set -euo pipefail

if [ "$#" -ne 3 ]; then
  echo "usage: $0 CLUSTER SERVICE IMAGE" >&2
  exit 2
fi
cluster="$1" service="$2" image="$3"
here="$(cd "$(dirname "$0")" && pwd)"
rendered="$(mktemp)"
trap 'rm -f "$rendered"' EXIT

current="$(aws ecs describe-services --cluster "$cluster" --services "$service" \
  --query 'services[0].taskDefinition' --output text)"
aws ecs describe-task-definition --task-definition "$current" --query taskDefinition \
  | jq --arg image "$image" -f "$here/with-image.jq" > "$rendered"
aws ecs register-task-definition --cli-input-json "file://$rendered" \
  --query 'taskDefinition.taskDefinitionArn' --output text
