variable "name" {
  description = "Role name prefix, e.g. interaction-management-prod-backend (the role is <name>-execution)."
  type        = string
}

variable "ecr_repository_arn" {
  description = "Repository the tasks' image comes from."
  type        = string
}

variable "log_group_arn" {
  description = "Log group the tasks write to."
  type        = string
}

variable "kms_key_arn" {
  description = "KMS key of the images, secrets and parameters."
  type        = string
}

variable "secret_arns" {
  description = "Secrets Manager secrets injected into the task definition's secrets (none for the frontend)."
  type        = list(string)
  default     = []
}

variable "ssm_path_arn" {
  description = "SSM parameter path whose parameters may be injected; empty for none."
  type        = string
  default     = ""
}
