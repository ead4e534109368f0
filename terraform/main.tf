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

module "ecr" {
  source       = "./modules/ecr"
  name         = "${local.name}-backend"
  kms_key_arn  = aws_kms_key.this.arn
  force_delete = !var.deletion_protection
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
  kms_key_arn         = aws_kms_key.this.arn
  log_retention_days  = local.log_retention_days
  test_listener_cidrs = var.test_listener_cidrs
}

module "ecs" {
  source                    = "./modules/ecs"
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
  ecr_repository_url        = module.ecr.repository_url
  ecr_repository_arn        = module.ecr.repository_arn
  image_tag                 = var.backend_image_tag
  task_cpu                  = var.task_cpu
  task_memory               = var.task_memory
  environment_variables     = local.backend_environment
  secrets                   = local.backend_secrets
  secret_arns               = [module.database.master_secret_arn, aws_secretsmanager_secret.app.arn]
  kms_key_arn               = aws_kms_key.this.arn
  log_retention_days        = local.log_retention_days
  autoscaling_min           = var.autoscaling_min
  autoscaling_max           = var.autoscaling_max
  enable_circuit_breaker    = var.enable_circuit_breaker
  detailed_monitoring       = var.enable_detailed_monitoring
}

module "database" {
  source                     = "./modules/database"
  name                       = local.name
  vpc_id                     = module.network.vpc_id
  subnet_ids                 = module.network.data_subnet_ids
  allowed_security_group_ids = [module.ecs.security_group_id]
  instance_class             = var.db_instance_class
  allocated_storage          = var.db_allocated_storage
  multi_az                   = var.multi_az_database
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
  allowed_security_group_ids = [module.ecs.security_group_id]
  node_type                  = var.cache_node_type
  num_nodes                  = var.cache_num_nodes
  kms_key_arn                = aws_kms_key.this.arn
  apply_immediately          = !local.is_prod
}

module "static_site" {
  source             = "./modules/static_site"
  name               = local.name
  kms_key_arn        = aws_kms_key.this.arn
  connect_src        = concat([var.api_base_url], local.auth0_origin)
  frame_src          = local.auth0_origin
  log_retention_days = local.log_retention_days
  force_destroy      = !var.deletion_protection
}

module "monitoring" {
  source                    = "./modules/monitoring"
  name                      = local.name
  environment               = var.environment
  aws_region                = var.aws_region
  dashboard_template_path   = "${path.root}/../cloudwatch/dashboard.json"
  alb_arn_suffix            = module.alb.alb_arn_suffix
  target_group_arn_suffixes = module.alb.target_group_arn_suffixes
  ecs_cluster_name          = module.ecs.cluster_name
  ecs_service_names         = module.ecs.service_names
  rds_instance_id           = module.database.instance_id
  redis_cluster_id          = module.cache.member_cluster_id
  kms_key_arn               = aws_kms_key.this.arn
  alarm_email               = var.alarm_email
}
