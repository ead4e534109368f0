variable "name" {
  description = "Name prefix, e.g. interaction-management-prod; the service is <name>-frontend."
  type        = string
}

variable "environment" {
  description = "Short environment name (log stream prefix)."
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

variable "app_subnet_ids" {
  description = "Private application subnets."
  type        = list(string)
}

variable "alb_security_group_id" {
  description = "Security group of the load balancer."
  type        = string
}

variable "target_group_arn" {
  description = "Frontend target group."
  type        = string
}

variable "cluster_id" {
  description = "ECS cluster ARN."
  type        = string
}

variable "cluster_name" {
  description = "ECS cluster name (autoscaling resource id)."
  type        = string
}

variable "ecr_repository_url" {
  description = "Frontend image repository (interaction-mgmt/frontend)."
  type        = string
}

variable "ecr_repository_arn" {
  description = "Frontend image repository ARN."
  type        = string
}

variable "image_tag" {
  description = "Image tag of the bootstrap revision."
  type        = string
}

variable "container_port" {
  description = "Port nginx listens on."
  type        = number
  default     = 8080
}

variable "task_cpu" {
  description = "Fargate CPU units of a frontend task."
  type        = number
  default     = 256
}

variable "task_memory" {
  description = "Fargate memory (MiB) of a frontend task."
  type        = number
  default     = 512
}

variable "environment_variables" {
  description = "REACT_APP_* and NODE_ENV of the container."
  type        = map(string)
}

variable "kms_key_arn" {
  description = "KMS key of the environment (log group, image decryption)."
  type        = string
}

variable "log_retention_days" {
  description = "Retention of the frontend log group."
  type        = number
}

variable "autoscaling_min" {
  description = "Minimum frontend tasks."
  type        = number
}

variable "autoscaling_max" {
  description = "Maximum frontend tasks."
  type        = number
}
