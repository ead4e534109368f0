output "service_name" {
  description = "Frontend ECS service."
  value       = aws_ecs_service.frontend.name
}

output "task_family" {
  description = "Frontend task definition family."
  value       = aws_ecs_task_definition.bootstrap.family
}

output "execution_role_arn" {
  description = "Role ECS uses to start frontend tasks."
  value       = module.service_base.execution_role_arn
}

output "log_group_name" {
  description = "Frontend log group."
  value       = module.service_base.log_group_name
}
