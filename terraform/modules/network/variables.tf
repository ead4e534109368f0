variable "name" {
  description = "Name prefix, e.g. interaction-management-prod."
  type        = string
}

variable "vpc_cidr" {
  description = "VPC address range."
  type        = string
}

variable "az_count" {
  description = "Availability zones to use (at least two)."
  type        = number
  validation {
    condition     = var.az_count >= 2 && var.az_count <= 3
    error_message = "az_count must be 2 or 3."
  }
}

variable "single_nat_gateway" {
  description = "Share one NAT gateway between AZs (cheaper, not AZ-resilient)."
  type        = bool
}

variable "kms_key_arn" {
  description = "KMS key for the flow log group."
  type        = string
}

variable "log_retention_days" {
  description = "Flow log retention."
  type        = number
}
