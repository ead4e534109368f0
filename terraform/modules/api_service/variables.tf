variable "name" {
  description = "Name prefix, e.g. interaction-management-prod (also the cluster name)."
  type        = string
}

variable "environment" {
  description = "Short environment name (log stream prefix, SSM path)."
  type        = string
}

variable "aws_region" {
  description = "Region of the environment."
  type        = string
}

variable "vpc_id" {
  description = "VPC of the tasks."
  type        = string
}

variable "vpc_cidr" {
  description = "VPC range (database and cache live inside it)."
  type        = string
}

variable "app_subnet_ids" {
  description = "Private application subnets."
  type        = list(string)
}

variable "alb_security_group_id" {
  description = "Security group of the load balancer."
  type        = string
}

variable "alb_arn_suffix" {
  description = "Load balancer ARN suffix (request-count scaling)."
  type        = string
}

variable "target_group_arns" {
  description = "Target group ARN by colour."
  type        = map(string)
}

variable "target_group_arn_suffixes" {
  description = "Target group ARN suffix by colour."
  type        = map(string)
}

variable "ecr_repository_url" {
  description = "Backend image repository."
  type        = string
}

variable "ecr_repository_arn" {
  description = "Backend image repository ARN."
  type        = string
}

variable "image_tag" {
  description = "Image tag of the bootstrap revision."
  type        = string
}

variable "container_port" {
  description = "Port gunicorn listens on."
  type        = number
  default     = 8000
}

variable "task_cpu" {
  description = "Fargate CPU units."
  type        = number
}

variable "task_memory" {
  description = "Fargate memory (MiB)."
  type        = number
}

variable "ephemeral_storage_gib" {
  description = "Fargate ephemeral storage per task (GiB, 21-200)."
  type        = number
}

variable "environment_variables" {
  description = "Plain settings of the API container."
  type        = map(string)
}

variable "secrets" {
  description = "Secret settings: variable name to Secrets Manager / SSM reference."
  type        = map(string)
}

variable "secret_arns" {
  description = "Secrets Manager secrets the execution role may inject."
  type        = list(string)
}

variable "kms_key_arn" {
  description = "KMS key of the environment."
  type        = string
}

variable "log_retention_days" {
  description = "Retention of the API log group."
  type        = number
}

variable "autoscaling_min" {
  description = "Minimum tasks of the live colour."
  type        = number
}

variable "autoscaling_max" {
  description = "Maximum tasks of the live colour."
  type        = number
}

variable "cpu_target_percent" {
  description = "Average CPU the scaling policy aims for."
  type        = number
  default     = 60
}

variable "requests_per_target" {
  description = "ALB requests per task per minute the scaling policy aims for."
  type        = number
  default     = 1000
}

variable "enable_circuit_breaker" {
  description = "Deployment circuit breaker with rollback."
  type        = bool
}

variable "detailed_monitoring" {
  description = "Enhanced Container Insights."
  type        = bool
}
