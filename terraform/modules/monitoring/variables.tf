variable "name" {
  description = "Name prefix, e.g. interaction-management-prod."
  type        = string
}

variable "aws_region" {
  description = "Region of the metrics."
  type        = string
}

variable "dashboard_path" {
  description = "Path of cloudwatch/dashboard.json."
  type        = string
}

variable "backend_log_group_name" {
  description = "API log group the Logs Insights queries read."
  type        = string
}

variable "alb_arn_suffix" {
  description = "LoadBalancer dimension."
  type        = string
}

variable "target_group_arn_suffixes" {
  description = "TargetGroup dimension by colour (blue, green) and frontend."
  type        = map(string)
}

variable "ecs_cluster_name" {
  description = "ClusterName dimension."
  type        = string
}

variable "ecs_service_names" {
  description = "ServiceName dimension by colour."
  type        = map(string)
}

variable "kms_key_arn" {
  description = "KMS key of the SNS topic."
  type        = string
}

variable "alarm_email" {
  description = "Address subscribed to alarms; empty for none."
  type        = string
}
