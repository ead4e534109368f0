output "alb_arn" {
  description = "Load balancer ARN."
  value       = aws_lb.this.arn
}

output "alb_arn_suffix" {
  description = "Load balancer ARN suffix (CloudWatch dimension)."
  value       = aws_lb.this.arn_suffix
}

output "alb_dns_name" {
  description = "Load balancer DNS name."
  value       = aws_lb.this.dns_name
}

output "security_group_id" {
  description = "Security group of the load balancer."
  value       = aws_security_group.alb.id
}

output "listener_arn" {
  description = "Production HTTPS listener whose default action the deploy tool switches."
  value       = aws_lb_listener.https.arn
}

output "test_listener_arn" {
  description = "Test listener forwarding to the idle colour; the deploy tool repoints it."
  value       = aws_lb_listener.test.arn
}

output "target_group_arns" {
  description = "Target group ARN by colour (blue, green)."
  value       = { for colour, tg in aws_lb_target_group.colour : colour => tg.arn }
}

output "target_group_arn_suffixes" {
  description = "Target group ARN suffix by colour (CloudWatch dimension)."
  value       = { for colour, tg in aws_lb_target_group.colour : colour => tg.arn_suffix }
}

output "alb_name" {
  description = "Load balancer name (aws elbv2 describe-load-balancers --names)."
  value       = aws_lb.this.name
}

output "frontend_target_group_arn" {
  description = "Target group of the frontend service (available once a listener rule uses it, as ECS requires)."
  value       = aws_lb_target_group.frontend.arn
  depends_on  = [aws_lb_listener_rule.frontend]
}

output "frontend_target_group_arn_suffix" {
  description = "Frontend target group ARN suffix (CloudWatch dimension)."
  value       = aws_lb_target_group.frontend.arn_suffix
}
