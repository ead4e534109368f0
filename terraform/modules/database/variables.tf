variable "name" {
  description = "Name prefix, e.g. interaction-management-prod."
  type        = string
}

variable "vpc_id" {
  description = "VPC of the database."
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

variable "instance_class" {
  description = "RDS instance class."
  type        = string
}

variable "allocated_storage" {
  description = "Initial storage in GiB."
  type        = number
}

variable "multi_az" {
  description = "Synchronous standby in a second AZ."
  type        = bool
}

variable "backup_retention_days" {
  description = "Automated backup retention (point-in-time restore window)."
  type        = number
}

variable "deletion_protection" {
  description = "Refuse deletion and keep a final snapshot."
  type        = bool
}

variable "detailed_monitoring" {
  description = "15 s enhanced monitoring instead of 60 s."
  type        = bool
}

variable "kms_key_arn" {
  description = "KMS key for storage, Performance Insights and the master secret."
  type        = string
}

variable "db_name" {
  description = "Database name (DB_NAME)."
  type        = string
  default     = "interactions"
}

variable "username" {
  description = "Master user name (DB_USER)."
  type        = string
  default     = "ims"
}

variable "read_replica_enabled" {
  description = "A streaming read replica for the Finder, insights and exports (DB_READ_HOST); false: every read on the primary."
  type        = bool
  default     = false
}

variable "read_replica_instance_class" {
  description = "Instance class of the read replica; null: the primary's."
  type        = string
  default     = null
}
