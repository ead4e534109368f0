output "web_acl_arn" {
  description = "ARN of the web ACL (module.alb associates it with the load balancer)."
  value       = aws_wafv2_web_acl.this.arn
}

output "log_group_name" {
  description = "CloudWatch log group of the web ACL's request log."
  value       = aws_cloudwatch_log_group.this.name
}
