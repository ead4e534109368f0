# What every ECS service of the system stands on, whatever it runs: its log group, a
# task security group open to the load balancer only, the execution role ECS starts
# its tasks with, and CPU target tracking on its scalable targets. The caller keeps
# what differs: the task definition, the service and its autoscaling targets.

resource "aws_cloudwatch_log_group" "this" {
  name              = var.log_group_name
  retention_in_days = var.log_retention_days
  kms_key_id        = var.kms_key_arn
}

resource "aws_security_group" "tasks" {
  name        = "${var.name}-tasks"
  description = var.security_group_description
  vpc_id      = var.vpc_id
  tags        = { Name = "${var.name}-tasks" }
}

resource "aws_vpc_security_group_ingress_rule" "from_alb" {
  security_group_id            = aws_security_group.tasks.id
  description                  = var.ingress_description
  referenced_security_group_id = var.alb_security_group_id
  ip_protocol                  = "tcp"
  from_port                    = var.container_port
  to_port                      = var.container_port
}

# Outbound traffic by purpose (https, postgres, ...): TCP to one port of one range.
resource "aws_vpc_security_group_egress_rule" "this" {
  for_each          = var.egress
  security_group_id = aws_security_group.tasks.id
  description       = each.value.description
  cidr_ipv4         = each.value.cidr_ipv4
  ip_protocol       = "tcp"
  from_port         = each.value.port
  to_port           = each.value.port
}

# Execution role: what ECS itself needs to start a task (pull, log, inject secrets).
module "execution_role" {
  source             = "../execution_role"
  name               = var.name
  ecr_repository_arn = var.ecr_repository_arn
  log_group_arn      = aws_cloudwatch_log_group.this.arn
  kms_key_arn        = var.kms_key_arn
  secret_arns        = var.secret_arns
}

# One CPU target-tracking policy per scalable target the caller declares.
resource "aws_appautoscaling_policy" "cpu" {
  for_each           = var.cpu_scaled_resource_ids
  name               = "${var.cpu_policy_name_prefix}${each.key}-cpu"
  policy_type        = "TargetTrackingScaling"
  service_namespace  = "ecs"
  resource_id        = each.value
  scalable_dimension = "ecs:service:DesiredCount"

  target_tracking_scaling_policy_configuration {
    target_value       = var.cpu_target_percent
    scale_in_cooldown  = 300
    scale_out_cooldown = 60
    predefined_metric_specification {
      predefined_metric_type = "ECSServiceAverageCPUUtilization"
    }
  }
}
