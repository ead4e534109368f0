# The frontend as the deployment guide runs it: nginx serving the built SPA
# (docker/frontend/Dockerfile, ECR interaction-mgmt/frontend) as its own ECS
# service "<name>-frontend" behind the ALB. REACT_APP_* and NODE_ENV are read
# when the container starts. Deploys are rolling updates guarded by the
# deployment circuit breaker, which rolls a failing release back by itself.

locals {
  container_name = "frontend"
}

resource "aws_cloudwatch_log_group" "frontend" {
  name              = "/ecs/interaction-management-frontend"
  retention_in_days = var.log_retention_days
  kms_key_id        = var.kms_key_arn
}

resource "aws_security_group" "tasks" {
  name        = "${var.name}-frontend-tasks"
  description = "Frontend tasks: traffic from the ALB only"
  vpc_id      = var.vpc_id
  tags        = { Name = "${var.name}-frontend-tasks" }
}

resource "aws_vpc_security_group_ingress_rule" "from_alb" {
  security_group_id            = aws_security_group.tasks.id
  description                  = "nginx port from the load balancer"
  referenced_security_group_id = var.alb_security_group_id
  ip_protocol                  = "tcp"
  from_port                    = var.container_port
  to_port                      = var.container_port
}

resource "aws_vpc_security_group_egress_rule" "https" {
  security_group_id = aws_security_group.tasks.id
  description       = "HTTPS through NAT: image pulls from ECR, CloudWatch Logs"
  cidr_ipv4         = "0.0.0.0/0"
  ip_protocol       = "tcp"
  from_port         = 443
  to_port           = 443
}

# ECS pulls the image and writes logs; the container itself calls no AWS API, so it has no task role.
module "execution_role" {
  source             = "../execution_role"
  name               = "${var.name}-frontend"
  ecr_repository_arn = var.ecr_repository_arn
  log_group_arn      = aws_cloudwatch_log_group.frontend.arn
  kms_key_arn        = var.kms_key_arn
}

# First revision only; the pipeline registers later ones with the image it pushed.
resource "aws_ecs_task_definition" "bootstrap" {
  family                   = "${var.name}-frontend"
  requires_compatibilities = ["FARGATE"]
  network_mode             = "awsvpc"
  cpu                      = var.task_cpu
  memory                   = var.task_memory
  execution_role_arn       = module.execution_role.arn

  runtime_platform {
    operating_system_family = "LINUX"
    cpu_architecture        = "X86_64"
  }

  # The image's entrypoint writes /config.js and renders the nginx configuration at
  # start (REACT_APP_* and NODE_ENV of this environment); nginx keeps its temporary
  # files under /tmp. Those three places are volumes, the rest of the root is read-only.
  volume {
    name = "tmp"
  }
  volume {
    name = "nginx-conf"
  }
  volume {
    name = "app-config"
  }

  container_definitions = jsonencode([{
    name                   = local.container_name
    image                  = "${var.ecr_repository_url}:${var.image_tag}"
    essential              = true
    readonlyRootFilesystem = true
    user                   = "101:101"
    portMappings           = [{ containerPort = var.container_port, protocol = "tcp" }]
    mountPoints = [
      { sourceVolume = "tmp", containerPath = "/tmp", readOnly = false },
      { sourceVolume = "nginx-conf", containerPath = "/etc/nginx/conf.d", readOnly = false },
      { sourceVolume = "app-config", containerPath = "/var/lib/app-config", readOnly = false },
    ]
    environment = [for k, v in var.environment_variables : { name = k, value = tostring(v) }]
    healthCheck = {
      command     = ["CMD", "wget", "-q", "-O", "/dev/null", "http://127.0.0.1:${var.container_port}/health"]
      interval    = 30
      timeout     = 5
      retries     = 3
      startPeriod = 10
    }
    logConfiguration = {
      logDriver = "awslogs"
      options = {
        awslogs-group         = aws_cloudwatch_log_group.frontend.name
        awslogs-region        = var.aws_region
        awslogs-stream-prefix = var.environment
      }
    }
  }])
}

resource "aws_ecs_service" "frontend" {
  name                   = "${var.name}-frontend"
  cluster                = var.cluster_id
  task_definition        = aws_ecs_task_definition.bootstrap.arn
  desired_count          = var.autoscaling_min
  launch_type            = "FARGATE"
  platform_version       = "LATEST"
  propagate_tags         = "SERVICE"
  enable_execute_command = false

  deployment_minimum_healthy_percent = 100
  deployment_maximum_percent         = 200
  health_check_grace_period_seconds  = 30

  deployment_controller {
    type = "ECS"
  }

  deployment_circuit_breaker {
    enable   = true
    rollback = true
  }

  network_configuration {
    subnets          = var.app_subnet_ids
    security_groups  = [aws_security_group.tasks.id]
    assign_public_ip = false
  }

  load_balancer {
    target_group_arn = var.target_group_arn
    container_name   = local.container_name
    container_port   = var.container_port
  }

  # The pipeline owns the revision (aws ecs update-service); autoscaling owns the count.
  lifecycle {
    ignore_changes = [task_definition, desired_count]
  }
}

resource "aws_appautoscaling_target" "frontend" {
  service_namespace  = "ecs"
  resource_id        = "service/${var.cluster_name}/${aws_ecs_service.frontend.name}"
  scalable_dimension = "ecs:service:DesiredCount"
  min_capacity       = var.autoscaling_min
  max_capacity       = var.autoscaling_max
}

resource "aws_appautoscaling_policy" "cpu" {
  name               = "${var.name}-frontend-cpu"
  policy_type        = "TargetTrackingScaling"
  service_namespace  = aws_appautoscaling_target.frontend.service_namespace
  resource_id        = aws_appautoscaling_target.frontend.resource_id
  scalable_dimension = aws_appautoscaling_target.frontend.scalable_dimension

  target_tracking_scaling_policy_configuration {
    target_value       = 60
    scale_in_cooldown  = 300
    scale_out_cooldown = 60
    predefined_metric_specification {
      predefined_metric_type = "ECSServiceAverageCPUUtilization"
    }
  }
}
