# staging: deployed from main after approval.
# The first block is the deployment guide's per-environment table (Deployment Environments >
# Environment Variables), variable names in lower case; .ci/infra checks it against
# .ci/infra/guide/environment-table.md. The second block is the guide's resource specification.
log_level                  = "INFO"
app_env                    = "staging"
db_instance_class          = "db.t3.medium"
cache_instance_class       = "cache.t3.small"
autoscaling_min            = 1
autoscaling_max            = 2
multi_az_database          = true
enable_detailed_monitoring = true

# Compute 2 vCPUs, memory 4 GB, storage 50 GB, Multi-AZ database, cache with replication.
environment                = "staging"
task_cpu                   = 2048
task_memory                = 4096
task_ephemeral_storage_gib = 50
db_allocated_storage       = 50
cache_cluster_mode         = false
cache_replicas             = 1

gunicorn_workers         = 4
db_backup_retention_days = 7
deletion_protection      = false
enable_circuit_breaker   = true

# Replace with the environment's own AWS account, the same id as in backend/staging.hcl: Terraform
# refuses credentials of any other account (one account per environment).
aws_account_id = "222222222222"

# Replace with the environment's ACM certificate (covering both hosts), DNS names and alarm address.
certificate_arn = "arn:aws:acm:us-east-1:222222222222:certificate/00000000-0000-0000-0000-000000000002"
api_base_url    = "https://api.staging.interactions.example.com"
public_base_url = "https://staging.interactions.example.com"
alarm_email     = "alerts@example.com"
