output "primary_endpoint" {
  description = "Primary endpoint host name (REDIS_HOST)."
  value       = aws_elasticache_replication_group.this.primary_endpoint_address
}

output "port" {
  description = "Redis port (REDIS_PORT)."
  value       = aws_elasticache_replication_group.this.port
}

output "auth_token" {
  description = "AUTH token; stored only in the app secret."
  value       = random_password.auth_token.result
  sensitive   = true
}

output "member_cluster_id" {
  description = "First member cluster (CloudWatch CacheClusterId dimension)."
  value       = "${aws_elasticache_replication_group.this.id}-001"
}
