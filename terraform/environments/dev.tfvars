# dev: deployed from feature/** branches.
# The first block is the deployment guide's per-environment table (Deployment Environments >
# Environment Variables), variable names in lower case; .ci/infra checks it against
# .ci/infra/guide/environment-table.md. The second block is the guide's resource specification.
log_level                  = "DEBUG"
app_env                    = "development"
db_instance_class          = "db.t3.small"
cache_instance_class       = "cache.t2.micro"
autoscaling_min            = 1
autoscaling_max            = 1
multi_az_database          = false
enable_detailed_monitoring = false

# Compute 2 vCPUs, memory 4 GB, storage 20 GB (21 GiB: the smallest explicit Fargate size),
# single-AZ database, one cache node.
environment                = "dev"
task_cpu                   = 2048
task_memory                = 4096
task_ephemeral_storage_gib = 21
db_allocated_storage       = 20
cache_cluster_mode         = false
cache_replicas             = 0

gunicorn_workers         = 4
db_backup_retention_days = 7
deletion_protection      = false
enable_circuit_breaker   = true

# Replace with the environment's own AWS account, the same id as in backend/dev.hcl: Terraform
# refuses credentials of any other account (one account per environment).
aws_account_id = "111111111111"

# Replace with the environment's ACM certificate (covering both hosts), DNS names and alarm address.
certificate_arn = "arn:aws:acm:us-east-1:111111111111:certificate/00000000-0000-0000-0000-000000000001"
api_base_url    = "https://api.dev.interactions.example.com"
public_base_url = "https://dev.interactions.example.com"
alarm_email     = ""
