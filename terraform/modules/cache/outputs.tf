output "primary_endpoint" {
  description = "Endpoint host name the API connects to (REDIS_HOST): the configuration endpoint in cluster mode, else the primary endpoint."
  value       = var.cluster_mode ? aws_elasticache_replication_group.this.configuration_endpoint_address : aws_elasticache_replication_group.this.primary_endpoint_address
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
  description = "First member cluster (CacheClusterId of describe-cache-clusters and CloudWatch): <group>-0001-001 in cluster mode, <group>-001 otherwise."
  value       = var.cluster_mode ? "${var.name}-redis-0001-001" : "${var.name}-redis-001"
}

output "replication_group_id" {
  description = "Replication group id."
  value       = aws_elasticache_replication_group.this.id
}
