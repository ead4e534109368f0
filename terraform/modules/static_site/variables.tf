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

variable "short_name" {
  description = "Short prefix for bucket name prefixes (at most 37 characters with the suffix)."
  type        = string
}

variable "frontend_host" {
  description = "Host name of the SPA, served by this distribution (alias)."
  type        = string
}

variable "certificate_arn" {
  description = "ACM certificate in us-east-1 covering frontend_host."
  type        = string
}

variable "origin_domain_name" {
  description = "A host name of the ALB on its certificate (the API's), the origin of the frontend service."
  type        = string
}
