# The frontend as the deployment guide runs it: nginx serving the built SPA
# (docker/frontend/Dockerfile, ECR interaction-mgmt/frontend) as its own ECS
# service "<name>-frontend" behind the ALB. REACT_APP_* and NODE_ENV are read
# when the container starts. Deploys are rolling updates guarded by the
# deployment circuit breaker, which rolls a failing release back by itself.

locals {
  container_name = "frontend"
}

# The log group, the tasks' security group, the execution role and CPU scaling, as
# for the API. ECS pulls the image and writes logs; the container itself calls no AWS
# API, so it has no task role and no secrets.
module "service_base" {
  source                     = "../ecs_service_base"
  aws_region                 = var.aws_region
  log_stream_prefix          = var.environment
  name                       = "${var.name}-frontend"
  log_group_name             = "/ecs/interaction-management-frontend"
  log_retention_days         = var.log_retention_days
  kms_key_arn                = var.kms_key_arn
  vpc_id                     = var.vpc_id
  security_group_description = "Frontend tasks: traffic from the ALB only"
  alb_security_group_id      = var.alb_security_group_id
  container_port             = var.container_port
  ingress_description        = "nginx port from the load balancer"
  egress = {
    https = { description = "HTTPS through NAT: image pulls from ECR, CloudWatch Logs", cidr_ipv4 = "0.0.0.0/0", port = 443 }
  }
  ecr_repository_arn      = var.ecr_repository_arn
  cpu_scaled_resource_ids = { frontend = aws_appautoscaling_target.frontend.resource_id }
  cpu_policy_name_prefix  = "${var.name}-"
  cpu_target_percent      = 60
}

# First revision only; the pipeline registers later ones with the image it pushed.
resource "aws_ecs_task_definition" "bootstrap" {
  family                   = "${var.name}-frontend"
  requires_compatibilities = ["FARGATE"]
  network_mode             = "awsvpc"
  cpu                      = var.task_cpu
  memory                   = var.task_memory
  execution_role_arn       = module.service_base.execution_role_arn

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
    logConfiguration = module.service_base.log_configuration
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
    security_groups  = [module.service_base.security_group_id]
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
