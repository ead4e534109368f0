output "cluster_name" {
  description = "ECS cluster name."
  value       = aws_ecs_cluster.this.name
}

output "service_names" {
  description = "Service name by colour."
  value       = { for colour, svc in aws_ecs_service.colour : colour => svc.name }
}

output "task_role_arn" {
  description = "Role of the running API."
  value       = aws_iam_role.task.arn
}

output "execution_role_arn" {
  description = "Role ECS uses to start tasks."
  value       = module.service_base.execution_role_arn
}

output "security_group_id" {
  description = "Security group of the API tasks."
  value       = module.service_base.security_group_id
}

output "log_group_name" {
  description = "API log group."
  value       = module.service_base.log_group_name
}

output "task_family" {
  description = "Task definition family."
  value       = aws_ecs_task_definition.bootstrap.family
}

output "cluster_arn" {
  description = "ECS cluster ARN."
  value       = aws_ecs_cluster.this.arn
}
