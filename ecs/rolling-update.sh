#!/usr/bin/env bash
# Rolling update of one ECS service to a registered task definition: the deployment guide's
# `aws ecs update-service` and `aws ecs wait services-stable`, plus the check the waiter lacks.
# When the deployment circuit breaker gives up it rolls the service back, and the service then
# becomes stable again on the old revision, so a stable service alone proves nothing.
#
#   usage: ecs/rolling-update.sh CLUSTER SERVICE TASK_DEFINITION_ARN
set -euo pipefail

if [ "$#" -ne 3 ]; then
  echo "usage: $0 CLUSTER SERVICE TASK_DEFINITION_ARN" >&2
  exit 2
fi
cluster="$1" service="$2" task_definition="$3"

aws ecs update-service --cluster "$cluster" --service "$service" --task-definition "$task_definition" \
  --query 'service.serviceName' --output text
echo "waiting for ${service} to be stable"
aws ecs wait services-stable --cluster "$cluster" --services "$service"
# shellcheck disable=SC2016 # backquotes are JMESPath literals
primary="$(aws ecs describe-services --cluster "$cluster" --services "$service" \
  --query 'services[0].deployments[?status==`PRIMARY`].taskDefinition | [0]' --output text)"
if [ "$primary" != "$task_definition" ]; then
  echo "::error::${service} runs ${primary}, not ${task_definition}: the circuit breaker rolled it back" >&2
  exit 1
fi
echo "${service} runs ${task_definition}"
