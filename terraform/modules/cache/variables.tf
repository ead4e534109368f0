variable "name" {
  description = "Name prefix, e.g. interaction-management-prod."
  type        = string
}

variable "vpc_id" {
  description = "VPC of the cache."
  type        = string
}

variable "subnet_ids" {
  description = "Private data subnets."
  type        = list(string)
}

variable "allowed_security_group_ids" {
  description = "Security groups allowed to connect (the API tasks)."
  type        = list(string)
}

variable "node_type" {
  description = "Cache node type."
  type        = string
}

variable "cluster_mode" {
  description = "Redis cluster mode: var.shards node groups instead of one primary."
  type        = bool
}

variable "shards" {
  description = "Node groups in cluster mode."
  type        = number
  default     = 2
}

variable "replicas" {
  description = "Replicas per node group (or of the single primary); one or more enables failover."
  type        = number
}

variable "kms_key_arn" {
  description = "KMS key for encryption at rest."
  type        = string
}

variable "apply_immediately" {
  description = "Apply changes now instead of in the maintenance window."
  type        = bool
}
