variable "bucket_prefix" {
  description = "Prefix of the bucket name (at most 37 characters); AWS appends a unique suffix."
  type        = string
}

variable "force_destroy" {
  description = "Allow Terraform to delete the bucket with its objects (never in production)."
  type        = bool
}

variable "kms_key_arn" {
  description = "KMS key for SSE-KMS; null for SSE-S3 (the only encryption ALB and CloudFront log delivery accept)."
  type        = string
  default     = null
}

variable "object_ownership" {
  description = "BucketOwnerEnforced (ACLs off), or BucketOwnerPreferred for CloudFront standard logging, which writes through ACLs."
  type        = string
  default     = "BucketOwnerEnforced"
}

variable "lifecycle_rule_id" {
  description = "Id of the lifecycle rule (expiring replaced versions, and current ones after expiration_days)."
  type        = string
}

variable "expiration_days" {
  description = "Days before a current object expires (logs); null keeps current objects."
  type        = number
  default     = null
}

variable "access_log" {
  description = "Where S3 server access logs of this bucket go (bucket and key prefix); null for none (a log bucket itself). An object, not a bare name: whether it is null is known at plan time even while the target's name is not."
  type = object({
    bucket = string
    prefix = string
  })
  default = null
}

variable "policy_documents" {
  description = "Policy documents (JSON) with the caller's own statements; merged with the TLS-only statement into the bucket policy."
  type        = list(string)
  default     = []
}
