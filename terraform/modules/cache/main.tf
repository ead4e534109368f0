# ElastiCache Redis 7 for the Finder cache, the signed-in principals and rate
# limits: encrypted at rest (KMS) and in transit (TLS + AUTH token). One primary
# with replicas, or (cluster_mode) several shards each with replicas.
#
# Eviction: the default parameter groups keep maxmemory-policy volatile-lru, and
# every key the API writes has a TTL, so a full node may evict any of them (the
# local docker-compose runs allkeys-lru, the same in effect). That is safe by
# design: nothing here is the only copy of security state. Sign-outs, "sign out
# everywhere", resets and deactivations live in PostgreSQL; an evicted principal
# or tombstone costs one database read, never a signed-out token let back in.

module "security_group" {
  source                     = "../store_security_group"
  name                       = "${var.name}-redis"
  description                = "Redis, reachable from the API tasks only"
  vpc_id                     = var.vpc_id
  allowed_security_group_ids = var.allowed_security_group_ids
  port                       = 6379
  ingress_description        = "Redis from the API tasks"
}

resource "aws_elasticache_subnet_group" "this" {
  name       = "${var.name}-redis"
  subnet_ids = var.subnet_ids
}

resource "random_password" "auth_token" {
  length  = 48
  special = false
}

resource "aws_elasticache_replication_group" "this" {
  #checkov:skip=CKV2_AWS_50:Failover is on whenever there is a replica (staging, prod); dev runs one node of rebuildable cache data.
  replication_group_id = "${var.name}-redis"
  description          = "Interaction Management ${var.name} cache"
  engine               = "redis"
  engine_version       = "7.1"
  node_type            = var.node_type
  port                 = 6379
  parameter_group_name = var.cluster_mode ? "default.redis7.cluster.on" : "default.redis7"

  # Cluster mode: shards of a primary and replicas; otherwise one primary and its replicas.
  num_node_groups         = var.cluster_mode ? var.shards : null
  replicas_per_node_group = var.cluster_mode ? var.replicas : null
  num_cache_clusters      = var.cluster_mode ? null : 1 + var.replicas

  subnet_group_name  = aws_elasticache_subnet_group.this.name
  security_group_ids = [module.security_group.id]

  automatic_failover_enabled = var.cluster_mode || var.replicas > 0
  multi_az_enabled           = var.replicas > 0

  at_rest_encryption_enabled = true
  kms_key_id                 = var.kms_key_arn
  transit_encryption_enabled = true
  auth_token                 = random_password.auth_token.result

  # Only rebuildable data lives here; a day of snapshots covers operator mistakes.
  snapshot_retention_limit   = 1
  snapshot_window            = "01:00-02:00"
  maintenance_window         = "sun:04:30-sun:05:30"
  auto_minor_version_upgrade = true
  apply_immediately          = var.apply_immediately
}
