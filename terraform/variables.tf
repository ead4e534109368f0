# Root inputs. Those without a default are the per-environment table of the
# deployment guide and are set in environments/<env>.tfvars.

variable "environment" {
  description = "Short environment name; also the Terraform workspace and the SSM path prefix (/<environment>/)."
  type        = string
  validation {
    condition     = contains(["dev", "staging", "prod"], var.environment)
    error_message = "environment must be dev, staging or prod."
  }
}

variable "aws_account_id" {
  description = "The environment's own AWS account (one per environment; the same id as allowed_account_ids in backend/<environment>.hcl). The provider refuses credentials of any other account."
  type        = string
  validation {
    condition     = can(regex("^[0-9]{12}$", var.aws_account_id))
    error_message = "aws_account_id must be the 12 digits of the environment's AWS account."
  }
}

variable "aws_region" {
  description = "AWS region of the environment (the guide deploys to us-east-1)."
  type        = string
  default     = "us-east-1"
}

variable "app_env" {
  description = "APP_ENV of the API: development, staging or production."
  type        = string
  validation {
    condition     = contains(["development", "staging", "production"], var.app_env)
    error_message = "app_env must be development, staging or production."
  }
}

variable "log_level" {
  description = "LOG_LEVEL of the API."
  type        = string
  validation {
    condition     = contains(["DEBUG", "INFO", "WARNING", "ERROR"], var.log_level)
    error_message = "log_level must be DEBUG, INFO, WARNING or ERROR."
  }
}

variable "db_instance_class" {
  description = "RDS PostgreSQL instance class."
  type        = string
}

variable "db_allocated_storage" {
  description = "RDS storage in GiB (the guide's Storage per environment; 500 GB Database in production). Autoscaled up to 2x."
  type        = number
}

variable "multi_az_database" {
  description = "MULTI_AZ_DATABASE: run RDS with a synchronous standby in a second AZ."
  type        = bool
}

variable "db_read_replica_enabled" {
  description = "A streaming read replica of RDS for the Finder, insights and exports (passed to the API as DB_READ_HOST)."
  type        = bool
  default     = false
}

variable "db_backup_retention_days" {
  description = "Days of automated backups (point-in-time restore window)."
  type        = number
}

variable "db_instance_identifier_override" {
  description = "Identifier of an RDS instance restored to a point in time (ops/restore-to-time.sh) that the API and the migrations use instead of the managed one; empty: the managed one. Set in environments/<env>.tfvars so that every apply and deploy renders DB_HOST from it."
  type        = string
  default     = ""
  validation {
    condition     = can(regex("^([a-z][a-z0-9-]{0,62})?$", var.db_instance_identifier_override))
    error_message = "db_instance_identifier_override must be empty or an RDS instance identifier (lower-case letters, digits, hyphens)."
  }
}

variable "deletion_protection" {
  description = "Protect the database and load balancer from deletion."
  type        = bool
}

variable "cache_instance_class" {
  description = "CACHE_INSTANCE_CLASS: ElastiCache Redis node type. Retired T2 types (no longer accepted for new clusters) run as their T3 equivalent, see local.cache_node_type."
  type        = string
}

variable "cache_cluster_mode" {
  description = "Redis in cluster mode (shards); the API then uses a cluster-aware client (REDIS_CLUSTER=true)."
  type        = bool
}

variable "cache_shards" {
  description = "Node groups (shards) in cluster mode; ignored otherwise."
  type        = number
  default     = 2
}

variable "cache_replicas" {
  description = "Read replicas per shard (or of the single primary); one or more enables automatic failover."
  type        = number
}

variable "task_cpu" {
  description = "Fargate task CPU units for the API (the guide's Compute: 1024 per vCPU)."
  type        = number
}

variable "task_memory" {
  description = "Fargate task memory (MiB) for the API (the guide's Memory)."
  type        = number
}

variable "task_ephemeral_storage_gib" {
  description = "Fargate ephemeral storage per task in GiB (the guide's Storage; an explicit size is 21-200 GiB)."
  type        = number
  validation {
    condition     = var.task_ephemeral_storage_gib >= 21 && var.task_ephemeral_storage_gib <= 200
    error_message = "task_ephemeral_storage_gib must be between 21 and 200."
  }
}

variable "gunicorn_workers" {
  description = "Gunicorn worker processes per task (about 2 per vCPU)."
  type        = number
}

variable "autoscaling_min" {
  description = "AUTOSCALING_MIN: minimum tasks of the live API colour and of the frontend service."
  type        = number
}

variable "autoscaling_max" {
  description = "AUTOSCALING_MAX: maximum tasks of the live API colour and of the frontend service (the idle colour runs none outside a deployment)."
  type        = number
}

variable "enable_detailed_monitoring" {
  description = "ENABLE_DETAILED_MONITORING: enhanced Container Insights and 15 s RDS enhanced monitoring."
  type        = bool
}

variable "enable_circuit_breaker" {
  description = "ECS deployment circuit breaker with rollback for rolling deployments (dev, staging)."
  type        = bool
}

variable "certificate_arn" {
  description = "ACM certificate in the environment's region covering the API host and the frontend host (ALB HTTPS listener; also CloudFront's when the region is us-east-1)."
  type        = string
}

variable "cloudfront_certificate_arn" {
  description = "ACM certificate in us-east-1 for CloudFront's frontend host; empty: certificate_arn (right when the region is us-east-1)."
  type        = string
  default     = ""
}

variable "api_base_url" {
  description = "Public URL of the API (a DNS name pointing at the ALB), e.g. https://api.example.com. REACT_APP_API_URL of the frontend."
  type        = string
  validation {
    condition     = can(regex("^https://[a-z0-9.-]+$", var.api_base_url))
    error_message = "api_base_url must be https://<host> without a path."
  }
}

variable "public_base_url" {
  description = "PUBLIC_BASE_URL: public URL of the SPA (a DNS name pointing at CloudFront), used in e-mailed links and CORS."
  type        = string
  validation {
    condition     = can(regex("^https://[a-z0-9.-]+$", var.public_base_url))
    error_message = "public_base_url must be https://<host> without a path."
  }
}

variable "alarm_email" {
  description = "Address subscribed to the alarm topic; empty for none."
  type        = string
}

variable "vpc_cidr" {
  description = "VPC address range."
  type        = string
  default     = "10.0.0.0/16"
}

variable "availability_zone_count" {
  description = "Availability zones to spread subnets over (at least two)."
  type        = number
  default     = 2
}

variable "backend_image_tag" {
  description = "Image tag of the bootstrap task definition; later revisions come from the deploy tool."
  type        = string
  default     = "bootstrap"
}

variable "frontend_image_tag" {
  description = "Image tag of the frontend's bootstrap task definition; later revisions come from the pipeline."
  type        = string
  default     = "bootstrap"
}

variable "auth0_domain" {
  description = "AUTH0_DOMAIN; empty for local login."
  type        = string
  default     = ""
}

variable "auth0_audience" {
  description = "AUTH0_AUDIENCE."
  type        = string
  default     = ""
}

variable "auth0_client_id" {
  description = "AUTH0_CLIENT_ID."
  type        = string
  default     = ""
}

variable "sendgrid_from_email" {
  description = "SENDGRID_FROM_EMAIL."
  type        = string
  default     = "no-reply@example.com"
}

variable "login_rate_limit" {
  description = "LOGIN_RATE_LIMIT of the API."
  type        = string
  default     = "10/minute"
}

variable "cache_ttl_seconds" {
  description = "CACHE_TTL_SECONDS of the Finder cache."
  type        = number
  default     = 60
}

variable "test_listener_cidrs" {
  description = "IPv4 ranges (deployers' VPN, say) allowed to reach the ALB test listener on 8443, which forwards to the idle colour. Empty: closed; the ALB still health-checks the idle colour through it."
  type        = list(string)
  default     = []
}
