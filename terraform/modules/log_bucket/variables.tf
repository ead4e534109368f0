variable "bucket_prefix" {
  description = "Prefix of the bucket name; AWS appends a unique suffix."
  type        = string
}

variable "force_destroy" {
  description = "Allow Terraform to delete the bucket with its logs (never in production)."
  type        = bool
}

variable "log_retention_days" {
  description = "Days before a log object expires."
  type        = number
}

variable "object_ownership" {
  description = "BucketOwnerEnforced (ACLs off), or BucketOwnerPreferred for CloudFront standard logging, which writes through ACLs."
  type        = string
  default     = "BucketOwnerEnforced"
}
