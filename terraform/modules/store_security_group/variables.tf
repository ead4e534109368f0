variable "name" {
  description = "Security group name, e.g. interaction-management-prod-db."
  type        = string
}

variable "description" {
  description = "What the group guards and who may reach it."
  type        = string
}

variable "vpc_id" {
  description = "VPC of the data store."
  type        = string
}

variable "allowed_security_group_ids" {
  description = "Security groups allowed to connect (the API tasks)."
  type        = list(string)
}

variable "port" {
  description = "The data store's TCP port."
  type        = number
}

variable "ingress_description" {
  description = "Description of the rule letting each allowed group in."
  type        = string
}
