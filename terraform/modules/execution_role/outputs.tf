output "arn" {
  description = "Execution role ARN."
  value       = aws_iam_role.execution.arn
}

output "ecs_tasks_assume_role_policy" {
  description = "Trust policy for ECS tasks of this account (for the service's task role)."
  value       = data.aws_iam_policy_document.ecs_tasks_assume.json
}
