variable "name" {
  description = "Name prefix, e.g. interaction-management-prod (the ACL is <name>-api)."
  type        = string
}

variable "kms_key_arn" {
  description = "KMS key for the WAF log group."
  type        = string
}

variable "log_retention_days" {
  description = "Retention of the WAF log group."
  type        = number
}

variable "auth_requests_per_5_minutes" {
  description = "Requests to /api/auth/* one client address may make in 5 minutes before WAF blocks it (the API's LOGIN_RATE_LIMIT still applies per minute)."
  type        = number
  default     = 100
}
