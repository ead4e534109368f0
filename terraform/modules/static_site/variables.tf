variable "name" {
  description = "Name prefix, e.g. interaction-management-prod."
  type        = string
}

variable "kms_key_arn" {
  description = "KMS key of the SPA bucket (its policy lets CloudFront decrypt)."
  type        = string
}

variable "connect_src" {
  description = "Origins the SPA may call (API, Auth0) for the Content-Security-Policy."
  type        = list(string)
}

variable "frame_src" {
  description = "Origins the SPA may frame (Auth0 silent login)."
  type        = list(string)
}

variable "log_retention_days" {
  description = "Retention of access logs."
  type        = number
}

variable "force_destroy" {
  description = "Allow destroying non-empty buckets (not in production)."
  type        = bool
}
