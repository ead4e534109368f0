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

variable "aws_region" {
  description = "AWS region of the environment."
  type        = string
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
  description = "Initial RDS storage in GiB (autoscaled up to 5x)."
  type        = number
}

variable "multi_az_database" {
  description = "MULTI_AZ_DATABASE: run RDS with a synchronous standby in a second AZ."
  type        = bool
}

variable "db_backup_retention_days" {
  description = "Days of automated backups (point-in-time restore window)."
  type        = number
}

variable "deletion_protection" {
  description = "Protect the database and load balancer from deletion."
  type        = bool
}

variable "cache_node_type" {
  description = "ElastiCache Redis node type."
  type        = string
}

variable "cache_num_nodes" {
  description = "Redis nodes (primary + replicas); more than one enables automatic failover."
  type        = number
}

variable "task_cpu" {
  description = "Fargate task CPU units for the API."
  type        = number
}

variable "task_memory" {
  description = "Fargate task memory (MiB) for the API."
  type        = number
}

variable "gunicorn_workers" {
  description = "Gunicorn worker processes per task (about 2 per vCPU)."
  type        = number
}

variable "autoscaling_min" {
  description = "AUTOSCALING_MIN: minimum API tasks per service colour."
  type        = number
}

variable "autoscaling_max" {
  description = "AUTOSCALING_MAX: maximum API tasks per service colour."
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
  description = "ACM certificate (same region) for the API's HTTPS listener."
  type        = string
}

variable "api_base_url" {
  description = "Public URL of the API (the DNS name pointing at the ALB), e.g. https://api.example.com."
  type        = string
}

variable "public_base_url" {
  description = "PUBLIC_BASE_URL: public URL of the SPA, used in e-mailed links and CORS."
  type        = string
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
