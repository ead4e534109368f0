output "sns_topic_arn" {
  description = "Alarm topic."
  value       = aws_sns_topic.alarms.arn
}

output "dashboard_name" {
  description = "CloudWatch dashboard."
  value       = aws_cloudwatch_dashboard.this.dashboard_name
}

output "query_definition_names" {
  description = "Logs Insights query definitions."
  value = [
    aws_cloudwatch_query_definition.error_frequency.name,
    aws_cloudwatch_query_definition.slow_endpoints.name,
    aws_cloudwatch_query_definition.authentication_failures.name,
  ]
}
