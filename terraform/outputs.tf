# Outputs named in the deployment guide (docs/DEPLOYMENT.md lists them), plus
# what the deploy workflows need to render ecs/task-definition-template.json.

output "vpc_id" {
  description = "VPC of the environment."
  value       = module.network.vpc_id
}

output "alb_dns_name" {
  description = "DNS name of the API load balancer (point the API's DNS record here)."
  value       = module.alb.alb_dns_name
}

output "alb_listener_arn" {
  description = "Production HTTPS listener; the deploy tool switches its default action."
  value       = module.alb.listener_arn
}

output "alb_test_listener_arn" {
  description = "Test listener (HTTPS 8443) forwarding to the idle colour; passed to the deploy tool as --test-listener-arn."
  value       = module.alb.test_listener_arn
}

output "blue_target_group_arn" {
  description = "Target group of the blue service."
  value       = module.alb.target_group_arns["blue"]
}

output "green_target_group_arn" {
  description = "Target group of the green service."
  value       = module.alb.target_group_arns["green"]
}

output "ecs_cluster_name" {
  description = "ECS cluster."
  value       = module.api_service.cluster_name
}

output "ecs_service_blue_name" {
  description = "Blue ECS service."
  value       = module.api_service.service_names["blue"]
}

output "ecs_service_green_name" {
  description = "Green ECS service."
  value       = module.api_service.service_names["green"]
}

output "ecr_repository_url" {
  description = "Backend image repository (the same as ecr_repository_backend_url)."
  value       = module.ecr_backend.repository_url
}

output "ecr_repository_backend_url" {
  description = "ECR repository interaction-mgmt/backend (GitHub secret ECR_REPOSITORY_BACKEND)."
  value       = module.ecr_backend.repository_url
}

output "ecr_repository_frontend_url" {
  description = "ECR repository interaction-mgmt/frontend (GitHub secret ECR_REPOSITORY_FRONTEND)."
  value       = module.ecr_frontend.repository_url
}

output "ecs_service_frontend_name" {
  description = "Frontend ECS service <name>-frontend (GitHub secret ECS_SERVICE_FRONTEND); rolling updates with the circuit breaker."
  value       = module.frontend.service_name
}

output "ecs_frontend_task_family" {
  description = "Task definition family of the frontend."
  value       = module.frontend.task_family
}

output "ecs_frontend_execution_role_arn" {
  description = "Execution role of the frontend task definition."
  value       = module.frontend.execution_role_arn
}

output "frontend_target_group_arn" {
  description = "Target group of the frontend service."
  value       = module.alb.frontend_target_group_arn
}

output "alb_name" {
  description = "Load balancer name (aws elbv2 describe-load-balancers --names)."
  value       = module.alb.alb_name
}

output "rds_identifier" {
  description = "RDS instance identifier (aws rds describe-db-instances --db-instance-identifier)."
  value       = local.db_instance_id
}

output "cache_cluster_id" {
  description = "First member cache cluster (aws elasticache describe-cache-clusters --cache-cluster-id)."
  value       = module.cache.member_cluster_id
}

output "subnet_ids" {
  description = "Public, private app and private data subnets."
  value = {
    public = module.network.public_subnet_ids
    app    = module.network.app_subnet_ids
    data   = module.network.data_subnet_ids
  }
}

output "backend_autoscaling" {
  description = "Task limits the deploy tool gives the live API colour (the idle one gets 0/0 after the bake)."
  value       = { min = var.autoscaling_min, max = var.autoscaling_max }
}

output "log_insights_query_names" {
  description = "Logs Insights query definitions (error frequency, slow endpoints, authentication failures)."
  value       = module.monitoring.query_definition_names
}

output "rds_endpoint" {
  description = "PostgreSQL endpoint (host:port)."
  value       = local.db_endpoint
}

output "redis_endpoint" {
  description = "Redis endpoint host (the configuration endpoint in cluster mode)."
  value       = module.cache.primary_endpoint
}

output "cloudfront_distribution_id" {
  description = "CloudFront distribution of the SPA (for invalidations)."
  value       = module.static_site.distribution_id
}

output "cloudfront_domain_name" {
  description = "CloudFront domain of the SPA."
  value       = module.static_site.domain_name
}

output "frontend_bucket_name" {
  description = "S3 bucket the SPA's hashed assets (dist/assets) are copied to, under assets/."
  value       = module.static_site.bucket_name
}

output "sns_alarm_topic_arn" {
  description = "SNS topic of the CloudWatch alarms."
  value       = module.monitoring.sns_topic_arn
}

# ---------------------------------------------------------------- for the deploy workflows

output "ecs_task_role_arn" {
  description = "TASK_ROLE_ARN of the task definition template."
  value       = module.api_service.task_role_arn
}

output "ecs_execution_role_arn" {
  description = "EXECUTION_ROLE_ARN of the task definition template."
  value       = module.api_service.execution_role_arn
}

output "ecs_task_security_group_id" {
  description = "Security group for one-off tasks (migrations)."
  value       = module.api_service.security_group_id
}

output "private_app_subnet_ids" {
  description = "Subnets for one-off tasks (migrations)."
  value       = module.network.app_subnet_ids
}

output "db_host" {
  description = "DB_HOST of the task definition template."
  value       = local.db_address
}

output "db_port" {
  description = "DB_PORT of the task definition template."
  value       = local.db_port
}

output "db_name" {
  description = "DB_NAME of the task definition template."
  value       = module.database.db_name
}

output "db_secret_arn" {
  description = "DB_SECRET_ARN: RDS-managed secret of the owner role (migrations only)."
  value       = local.db_master_secret_arn
}

output "db_app_secret_arn" {
  description = "DB_APP_SECRET_ARN: the API's least-privilege role (username, password)."
  value       = aws_secretsmanager_secret.db_app.arn
}

output "app_secret_arn" {
  description = "APP_SECRET_ARN: SECRET_KEY, REDIS_URL, AUTH0_CLIENT_SECRET."
  value       = aws_secretsmanager_secret.app.arn
}

output "cloudwatch_dashboard_name" {
  description = "CloudWatch dashboard of the environment."
  value       = module.monitoring.dashboard_name
}

# Every ${VAR} of ecs/task-definition-template.json except IMAGE_URI and
# APP_VERSION, which the workflow knows from the image it pushed.
output "task_definition_variables" {
  description = "Values for rendering ecs/task-definition-template.json (export each as an environment variable)."
  value = {
    ENVIRONMENT         = var.environment
    AWS_REGION          = var.aws_region
    TASK_ROLE_ARN       = module.api_service.task_role_arn
    EXECUTION_ROLE_ARN  = module.api_service.execution_role_arn
    CPU                 = tostring(var.task_cpu)
    MEMORY              = tostring(var.task_memory)
    STORAGE_GIB         = tostring(var.task_ephemeral_storage_gib)
    APP_ENV             = local.backend_environment["APP_ENV"]
    LOG_LEVEL           = local.backend_environment["LOG_LEVEL"]
    DB_HOST             = local.backend_environment["DB_HOST"]
    DB_PORT             = local.backend_environment["DB_PORT"]
    DB_NAME             = local.backend_environment["DB_NAME"]
    DB_READ_HOST        = local.backend_environment["DB_READ_HOST"]
    DB_SECRET_ARN       = local.db_master_secret_arn
    DB_APP_SECRET_ARN   = aws_secretsmanager_secret.db_app.arn
    APP_SECRET_ARN      = aws_secretsmanager_secret.app.arn
    REDIS_CLUSTER       = local.backend_environment["REDIS_CLUSTER"]
    REDIS_KEY_PREFIX    = local.backend_environment["REDIS_KEY_PREFIX"]
    FORWARDED_ALLOW_IPS = local.backend_environment["FORWARDED_ALLOW_IPS"]
    AUTH0_DOMAIN        = local.backend_environment["AUTH0_DOMAIN"]
    AUTH0_AUDIENCE      = local.backend_environment["AUTH0_AUDIENCE"]
    AUTH0_CLIENT_ID     = local.backend_environment["AUTH0_CLIENT_ID"]
    SENDGRID_FROM_EMAIL = local.backend_environment["SENDGRID_FROM_EMAIL"]
    CORS_ORIGINS        = local.backend_environment["CORS_ORIGINS"]
    PUBLIC_BASE_URL     = local.backend_environment["PUBLIC_BASE_URL"]
    LOGIN_RATE_LIMIT    = local.backend_environment["LOGIN_RATE_LIMIT"]
    CACHE_TTL_SECONDS   = local.backend_environment["CACHE_TTL_SECONDS"]
    GUNICORN_WORKERS    = local.backend_environment["GUNICORN_WORKERS"]
  }
}

# The frontend container's environment (REACT_APP_*, NODE_ENV), read at its start.
output "spa_config" {
  description = "REACT_APP_* and NODE_ENV of the frontend container in this environment."
  value       = local.frontend_environment
}
