variable "name" {
  description = "Name of the service, e.g. interaction-management-prod-backend (security group <name>-tasks, execution role <name>-execution)."
  type        = string
}

variable "log_group_name" {
  description = "Log group of the tasks, as the deployment guide names it."
  type        = string
}

variable "aws_region" {
  description = "Region of the environment (where the tasks send their logs)."
  type        = string
}

variable "log_stream_prefix" {
  description = "Start of the tasks' log stream names (the short environment name)."
  type        = string
}

variable "log_retention_days" {
  description = "Retention of the log group."
  type        = number
}

variable "kms_key_arn" {
  description = "KMS key of the environment (log group, image, secrets)."
  type        = string
}

variable "vpc_id" {
  description = "VPC of the tasks."
  type        = string
}

variable "security_group_description" {
  description = "What the tasks' security group guards."
  type        = string
}

variable "alb_security_group_id" {
  description = "Security group of the load balancer, the only source of inbound traffic."
  type        = string
}

variable "container_port" {
  description = "Port the container listens on."
  type        = number
}

variable "ingress_description" {
  description = "Description of the rule letting the load balancer in."
  type        = string
}

variable "egress" {
  description = "Outbound TCP rules by purpose: description, IPv4 range and port."
  type = map(object({
    description = string
    cidr_ipv4   = string
    port        = number
  }))
}

variable "ecr_repository_arn" {
  description = "Repository the tasks' image comes from."
  type        = string
}

variable "secret_arns" {
  description = "Secrets Manager secrets the task definition injects (none for the frontend)."
  type        = list(string)
  default     = []
}

variable "cpu_scaled_resource_ids" {
  description = "Autoscaling resource ids (service/<cluster>/<service>) to track CPU on, by the key that ends the policy's name."
  type        = map(string)
}

variable "cpu_policy_name_prefix" {
  description = "Start of each CPU policy's name: <prefix><key>-cpu."
  type        = string
}

variable "cpu_target_percent" {
  description = "Average CPU utilisation the service is scaled to keep."
  type        = number
}
