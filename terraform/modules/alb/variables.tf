variable "name" {
  description = "Name prefix, e.g. interaction-management-prod."
  type        = string
}

variable "short_name" {
  description = "Short prefix for names limited to 32 characters (load balancer, target groups)."
  type        = string
}

variable "vpc_id" {
  description = "VPC of the load balancer."
  type        = string
}

variable "vpc_cidr" {
  description = "VPC range the tasks live in."
  type        = string
}

variable "public_subnet_ids" {
  description = "Public subnets for the ALB."
  type        = list(string)
}

variable "target_port" {
  description = "Port the API containers listen on."
  type        = number
}

variable "certificate_arn" {
  description = "ACM certificate of the HTTPS listener."
  type        = string
}

variable "deletion_protection" {
  description = "Protect the ALB from deletion."
  type        = bool
}


variable "log_retention_days" {
  description = "Days before an access log expires."
  type        = number
}

variable "test_listener_port" {
  description = "Port of the HTTPS test listener that forwards to the idle colour."
  type        = number
  default     = 8443
}

variable "test_listener_cidrs" {
  description = "IPv4 ranges allowed to reach the test listener (none by default; the ALB's health checks need no ingress)."
  type        = list(string)
  default     = []
}

variable "frontend_port" {
  description = "Port the frontend (nginx) containers listen on."
  type        = number
  default     = 8080
}

variable "frontend_host" {
  description = "Host name of the SPA (CloudFront forwards it); requests for it go to the frontend service."
  type        = string
}

variable "web_acl_arn" {
  description = "Web ACL attached to the load balancer (module.waf)."
  type        = string
}
