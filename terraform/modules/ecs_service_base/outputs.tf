output "log_group_name" {
  description = "Log group of the service's tasks."
  value       = aws_cloudwatch_log_group.this.name
}

output "log_configuration" {
  description = "The container definition's logConfiguration: awslogs into the log group, streams under the prefix."
  value = {
    logDriver = "awslogs"
    options = {
      awslogs-group         = aws_cloudwatch_log_group.this.name
      awslogs-region        = var.aws_region
      awslogs-stream-prefix = var.log_stream_prefix
    }
  }
}

output "log_group_arn" {
  description = "ARN of the log group."
  value       = aws_cloudwatch_log_group.this.arn
}

output "security_group_id" {
  description = "Security group of the service's tasks."
  value       = aws_security_group.tasks.id
}

output "execution_role_arn" {
  description = "Role ECS uses to start the service's tasks."
  value       = module.execution_role.arn
}

output "ecs_tasks_assume_role_policy" {
  description = "Trust policy for ECS tasks of this account, for the service's own task role."
  value       = module.execution_role.ecs_tasks_assume_role_policy
}
