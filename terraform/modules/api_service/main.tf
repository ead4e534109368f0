# ECS Fargate cluster running the API as two services, blue and green, each
# behind its own target group. Blue starts live with autoscaling_min tasks;
# green, the idle colour, runs none: a blue-green deploy starts the new release
# there, switches the listener, bakes, then scales the old colour to 0, so
# production serves from autoscaling_min to autoscaling_max tasks (2-6) and runs
# a second set only during a deploy and its bake. After the first apply the
# deploy tool owns the task definition revision, the desired count and the
# autoscaling limits of both services.

data "aws_caller_identity" "current" {}

locals {
  container_name = "backend"
  ssm_path_arn   = "arn:aws:ssm:${var.aws_region}:${data.aws_caller_identity.current.account_id}:parameter/${var.environment}"
  colours        = toset(["blue", "green"])
  # Initial task counts and autoscaling limits by colour: blue live, green idle.
  initial = {
    blue  = { count = var.autoscaling_min, min = var.autoscaling_min, max = var.autoscaling_max }
    green = { count = 0, min = 0, max = 0 }
  }
}

resource "aws_ecs_cluster" "this" {
  #checkov:skip=CKV_AWS_65:Container Insights is always on: "enhanced" with detailed monitoring, "enabled" otherwise; checkov cannot evaluate the conditional.
  name = var.name

  setting {
    name  = "containerInsights"
    value = var.detailed_monitoring ? "enhanced" : "enabled"
  }
}

resource "aws_ecs_cluster_capacity_providers" "this" {
  cluster_name       = aws_ecs_cluster.this.name
  capacity_providers = ["FARGATE"]

  default_capacity_provider_strategy {
    capacity_provider = "FARGATE"
    weight            = 1
  }
}

# The log group (name fixed by the deployment guide; one environment per AWS account),
# the tasks' security group, the execution role and CPU scaling, as for the frontend.
module "service_base" {
  source                     = "../ecs_service_base"
  aws_region                 = var.aws_region
  log_stream_prefix          = var.environment
  name                       = "${var.name}-backend"
  log_group_name             = "/ecs/interaction-management-backend"
  log_retention_days         = var.log_retention_days
  kms_key_arn                = var.kms_key_arn
  vpc_id                     = var.vpc_id
  security_group_description = "API tasks: traffic from the ALB only"
  alb_security_group_id      = var.alb_security_group_id
  container_port             = var.container_port
  ingress_description        = "API port from the load balancer"
  egress = {
    postgres = { description = "PostgreSQL in the data subnets", cidr_ipv4 = var.vpc_cidr, port = 5432 }
    redis    = { description = "Redis in the data subnets", cidr_ipv4 = var.vpc_cidr, port = 6379 }
    https    = { description = "HTTPS through NAT: ECR, Secrets Manager, SSM, Auth0, SendGrid", cidr_ipv4 = "0.0.0.0/0", port = 443 }
  }
  ecr_repository_arn = var.ecr_repository_arn
  secret_arns        = var.secret_arns
  cpu_scaled_resource_ids = {
    blue  = aws_appautoscaling_target.colour["blue"].resource_id
    green = aws_appautoscaling_target.colour["green"].resource_id
  }
  cpu_policy_name_prefix = "${var.name}-backend-"
  cpu_target_percent     = var.cpu_target_percent
}

# ---------------------------------------------------------------- IAM

# Task role: what the running API may call (its SSM configuration path only).
resource "aws_iam_role" "task" {
  name               = "${var.name}-backend-task"
  assume_role_policy = module.service_base.ecs_tasks_assume_role_policy
}

data "aws_iam_policy_document" "task" {
  statement {
    sid       = "ReadConfiguration"
    actions   = ["ssm:GetParametersByPath", "ssm:GetParameters", "ssm:GetParameter"]
    resources = [local.ssm_path_arn, "${local.ssm_path_arn}/*"]
  }
  statement {
    sid       = "DecryptConfiguration"
    actions   = ["kms:Decrypt"]
    resources = [var.kms_key_arn]
  }
}

resource "aws_iam_role_policy" "task" {
  name   = "read-configuration"
  role   = aws_iam_role.task.id
  policy = data.aws_iam_policy_document.task.json
}

# ---------------------------------------------------------------- task definition

# First revision only, so the services can be created; the deploy tool
# registers later ones from ecs/task-definition-template.json.
resource "aws_ecs_task_definition" "bootstrap" {
  family                   = "${var.name}-backend"
  requires_compatibilities = ["FARGATE"]
  network_mode             = "awsvpc"
  cpu                      = var.task_cpu
  memory                   = var.task_memory
  execution_role_arn       = module.service_base.execution_role_arn
  task_role_arn            = aws_iam_role.task.arn

  runtime_platform {
    operating_system_family = "LINUX"
    cpu_architecture        = "X86_64"
  }

  ephemeral_storage {
    size_in_gib = var.ephemeral_storage_gib
  }

  volume {
    name = "tmp"
  }

  container_definitions = jsonencode([{
    name                   = local.container_name
    image                  = "${var.ecr_repository_url}:${var.image_tag}"
    essential              = true
    readonlyRootFilesystem = true
    user                   = "10001:10001"
    portMappings           = [{ containerPort = var.container_port, protocol = "tcp" }]
    mountPoints            = [{ sourceVolume = "tmp", containerPath = "/tmp", readOnly = false }]
    environment            = [for k, v in var.environment_variables : { name = k, value = tostring(v) }]
    secrets                = [for k, v in var.secrets : { name = k, valueFrom = v }]
    healthCheck = {
      command     = ["CMD", "python", "-c", "import urllib.request,sys; sys.exit(0 if urllib.request.urlopen('http://127.0.0.1:${var.container_port}/api/health', timeout=4).status == 200 else 1)"]
      interval    = 30
      timeout     = 5
      retries     = 3
      startPeriod = 30
    }
    logConfiguration = module.service_base.log_configuration
  }])
}

# ---------------------------------------------------------------- services

resource "aws_ecs_service" "colour" {
  for_each               = local.colours
  name                   = "${var.name}-backend-${each.key}"
  cluster                = aws_ecs_cluster.this.id
  task_definition        = aws_ecs_task_definition.bootstrap.arn
  desired_count          = local.initial[each.key].count
  launch_type            = "FARGATE"
  platform_version       = "LATEST"
  propagate_tags         = "SERVICE"
  enable_execute_command = false

  deployment_minimum_healthy_percent = 100
  deployment_maximum_percent         = 200
  health_check_grace_period_seconds  = 60

  deployment_controller {
    type = "ECS"
  }

  # Rolling deployments within one colour roll back on their own where enabled.
  deployment_circuit_breaker {
    enable   = var.enable_circuit_breaker
    rollback = var.enable_circuit_breaker
  }

  network_configuration {
    subnets          = var.app_subnet_ids
    security_groups  = [module.service_base.security_group_id]
    assign_public_ip = false
  }

  load_balancer {
    target_group_arn = var.target_group_arns[each.key]
    container_name   = local.container_name
    container_port   = var.container_port
  }

  lifecycle {
    ignore_changes = [task_definition, desired_count]
  }

  tags = { Colour = each.key }
}

# ---------------------------------------------------------------- autoscaling

resource "aws_appautoscaling_target" "colour" {
  for_each           = local.colours
  service_namespace  = "ecs"
  resource_id        = "service/${aws_ecs_cluster.this.name}/${aws_ecs_service.colour[each.key].name}"
  scalable_dimension = "ecs:service:DesiredCount"
  min_capacity       = local.initial[each.key].min
  max_capacity       = local.initial[each.key].max

  # The deploy tool gives the new live colour these limits and the old one 0/0 after the bake.
  lifecycle {
    ignore_changes = [min_capacity, max_capacity]
  }
}

resource "aws_appautoscaling_policy" "requests" {
  for_each           = local.colours
  name               = "${var.name}-backend-${each.key}-requests"
  policy_type        = "TargetTrackingScaling"
  service_namespace  = aws_appautoscaling_target.colour[each.key].service_namespace
  resource_id        = aws_appautoscaling_target.colour[each.key].resource_id
  scalable_dimension = aws_appautoscaling_target.colour[each.key].scalable_dimension

  target_tracking_scaling_policy_configuration {
    target_value       = var.requests_per_target
    scale_in_cooldown  = 300
    scale_out_cooldown = 60
    predefined_metric_specification {
      predefined_metric_type = "ALBRequestCountPerTarget"
      resource_label         = "${var.alb_arn_suffix}/${var.target_group_arn_suffixes[each.key]}"
    }
  }
}
