# One environment of the Interaction Management System (workspace = environment).

data "aws_caller_identity" "current" {}

locals {
  name       = "interaction-management-${var.environment}"
  short_name = "ims-${var.environment}"
  account_id = data.aws_caller_identity.current.account_id
  is_prod    = var.environment == "prod"

  log_retention_days = 365
  auth0_origin       = var.auth0_domain == "" ? [] : ["https://${var.auth0_domain}"]
  ssm_prefix         = "/${var.environment}"
  frontend_host      = trimprefix(var.public_base_url, "https://")

  # ElastiCache no longer creates clusters on T2 nodes, so the guide's cache.t2.micro
  # (dev) runs on its successor of the same size (docs/DEPLOYMENT.md says so).
  retired_cache_node_types = {
    "cache.t2.micro"  = "cache.t3.micro"
    "cache.t2.small"  = "cache.t3.small"
    "cache.t2.medium" = "cache.t3.medium"
  }
  cache_node_type = lookup(local.retired_cache_node_types, var.cache_instance_class, var.cache_instance_class)
}

# A workspace must match the tfvars it is applied with.
resource "terraform_data" "workspace_guard" {
  lifecycle {
    precondition {
      condition     = terraform.workspace == var.environment
      error_message = "Select the workspace of the environment first: terraform workspace select ${var.environment}"
    }
  }
}

module "network" {
  source             = "./modules/network"
  name               = local.name
  vpc_cidr           = var.vpc_cidr
  az_count           = var.availability_zone_count
  single_nat_gateway = !local.is_prod
  kms_key_arn        = aws_kms_key.this.arn
  log_retention_days = local.log_retention_days
}

# The guide's repositories (Container Deployment > Amazon ECR Setup).
module "ecr_frontend" {
  source       = "./modules/ecr"
  name         = "interaction-mgmt/frontend"
  kms_key_arn  = aws_kms_key.this.arn
  force_delete = !var.deletion_protection
}

module "ecr_backend" {
  source       = "./modules/ecr"
  name         = "interaction-mgmt/backend"
  kms_key_arn  = aws_kms_key.this.arn
  force_delete = !var.deletion_protection
}

# The API's web ACL, attached to the load balancer by module.alb.
module "waf" {
  source             = "./modules/waf"
  name               = local.name
  kms_key_arn        = aws_kms_key.this.arn
  log_retention_days = local.log_retention_days
}

module "alb" {
  source              = "./modules/alb"
  name                = local.name
  short_name          = local.short_name
  vpc_id              = module.network.vpc_id
  vpc_cidr            = module.network.vpc_cidr
  public_subnet_ids   = module.network.public_subnet_ids
  target_port         = 8000
  certificate_arn     = var.certificate_arn
  deletion_protection = var.deletion_protection
  log_retention_days  = local.log_retention_days
  test_listener_cidrs = var.test_listener_cidrs
  frontend_host       = local.frontend_host
  web_acl_arn         = module.waf.web_acl_arn
}

module "api_service" {
  source                    = "./modules/api_service"
  name                      = local.name
  environment               = var.environment
  aws_region                = var.aws_region
  vpc_id                    = module.network.vpc_id
  vpc_cidr                  = module.network.vpc_cidr
  app_subnet_ids            = module.network.app_subnet_ids
  alb_security_group_id     = module.alb.security_group_id
  alb_arn_suffix            = module.alb.alb_arn_suffix
  target_group_arns         = module.alb.target_group_arns
  target_group_arn_suffixes = module.alb.target_group_arn_suffixes
  ecr_repository_url        = module.ecr_backend.repository_url
  ecr_repository_arn        = module.ecr_backend.repository_arn
  image_tag                 = var.backend_image_tag
  task_cpu                  = var.task_cpu
  task_memory               = var.task_memory
  ephemeral_storage_gib     = var.task_ephemeral_storage_gib
  environment_variables     = local.backend_environment
  secrets                   = local.backend_secrets
  secret_arns               = [local.db_master_secret_arn, aws_secretsmanager_secret.app.arn, aws_secretsmanager_secret.db_app.arn]
  kms_key_arn               = aws_kms_key.this.arn
  log_retention_days        = local.log_retention_days
  autoscaling_min           = var.autoscaling_min
  autoscaling_max           = var.autoscaling_max
  enable_circuit_breaker    = var.enable_circuit_breaker
  detailed_monitoring       = var.enable_detailed_monitoring
}

module "frontend" {
  source                = "./modules/frontend"
  name                  = local.name
  environment           = var.environment
  aws_region            = var.aws_region
  vpc_id                = module.network.vpc_id
  app_subnet_ids        = module.network.app_subnet_ids
  alb_security_group_id = module.alb.security_group_id
  target_group_arn      = module.alb.frontend_target_group_arn
  cluster_id            = module.api_service.cluster_arn
  cluster_name          = module.api_service.cluster_name
  ecr_repository_url    = module.ecr_frontend.repository_url
  ecr_repository_arn    = module.ecr_frontend.repository_arn
  image_tag             = var.frontend_image_tag
  environment_variables = local.frontend_environment
  kms_key_arn           = aws_kms_key.this.arn
  log_retention_days    = local.log_retention_days
  autoscaling_min       = var.autoscaling_min
  autoscaling_max       = var.autoscaling_max
}

module "database" {
  source                     = "./modules/database"
  name                       = local.name
  vpc_id                     = module.network.vpc_id
  subnet_ids                 = module.network.data_subnet_ids
  allowed_security_group_ids = [module.api_service.security_group_id]
  instance_class             = var.db_instance_class
  allocated_storage          = var.db_allocated_storage
  multi_az                   = var.multi_az_database
  read_replica_enabled       = var.db_read_replica_enabled
  backup_retention_days      = var.db_backup_retention_days
  deletion_protection        = var.deletion_protection
  detailed_monitoring        = var.enable_detailed_monitoring
  kms_key_arn                = aws_kms_key.this.arn
}

module "cache" {
  source                     = "./modules/cache"
  name                       = local.name
  vpc_id                     = module.network.vpc_id
  subnet_ids                 = module.network.data_subnet_ids
  allowed_security_group_ids = [module.api_service.security_group_id]
  node_type                  = local.cache_node_type
  cluster_mode               = var.cache_cluster_mode
  shards                     = var.cache_shards
  replicas                   = var.cache_replicas
  kms_key_arn                = aws_kms_key.this.arn
  apply_immediately          = !local.is_prod
}

module "static_site" {
  source             = "./modules/static_site"
  name               = local.name
  short_name         = local.short_name
  frontend_host      = local.frontend_host
  certificate_arn    = var.cloudfront_certificate_arn == "" ? var.certificate_arn : var.cloudfront_certificate_arn
  origin_domain_name = trimprefix(var.api_base_url, "https://")
  kms_key_arn        = aws_kms_key.this.arn
  connect_src        = concat([var.api_base_url], local.auth0_origin)
  frame_src          = local.auth0_origin
  log_retention_days = local.log_retention_days
  force_destroy      = !var.deletion_protection
}

module "monitoring" {
  source                    = "./modules/monitoring"
  name                      = local.name
  aws_region                = var.aws_region
  dashboard_path            = "${path.root}/../cloudwatch/dashboard.json"
  alb_arn_suffix            = module.alb.alb_arn_suffix
  target_group_arn_suffixes = merge(module.alb.target_group_arn_suffixes, { frontend = module.alb.frontend_target_group_arn_suffix })
  ecs_cluster_name          = module.api_service.cluster_name
  ecs_service_names         = module.api_service.service_names
  backend_log_group_name    = module.api_service.log_group_name
  kms_key_arn               = aws_kms_key.this.arn
  alarm_email               = var.alarm_email
}
