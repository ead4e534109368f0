# prod: deployed from release/** with blue-green switching.
# The first block is the deployment guide's per-environment table (Deployment Environments >
# Environment Variables), variable names in lower case; .ci/infra checks it against
# .ci/infra/guide/environment-table.md. The second block is the guide's resource specification.
log_level                  = "INFO"
app_env                    = "production"
db_instance_class          = "db.t3.medium"
cache_instance_class       = "cache.t3.small"
autoscaling_min            = 2
autoscaling_max            = 6
multi_az_database          = true
enable_detailed_monitoring = true

# Compute 4 vCPUs and 8 GB per task (2-6 tasks), storage 100 GB + 500 GB database,
# Multi-AZ database, cache in cluster mode (two shards, one replica each).
environment                = "prod"
task_cpu                   = 4096
task_memory                = 8192
task_ephemeral_storage_gib = 100
db_allocated_storage       = 500
cache_cluster_mode         = true
cache_shards               = 2
cache_replicas             = 1

gunicorn_workers         = 8
db_backup_retention_days = 30
deletion_protection      = true
# Production switches colours with the deploy tool, which checks health and rolls back itself.
enable_circuit_breaker = false

# Replace with the environment's own AWS account, the same id as in backend/prod.hcl: Terraform
# refuses credentials of any other account (one account per environment).
aws_account_id = "333333333333"

# Replace with the environment's ACM certificate (covering both hosts), DNS names and alarm address.
certificate_arn = "arn:aws:acm:us-east-1:333333333333:certificate/00000000-0000-0000-0000-000000000003"
api_base_url    = "https://api.interactions.example.com"
public_base_url = "https://interactions.example.com"
alarm_email     = "alerts@example.com"
