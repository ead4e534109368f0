# staging: deployed from main after approval. Values follow the deployment guide's table.
environment = "staging"
aws_region  = "eu-west-1"

app_env   = "staging"
log_level = "INFO"

db_instance_class        = "db.t3.small"
db_allocated_storage     = 50
multi_az_database        = false
db_backup_retention_days = 7
deletion_protection      = false

cache_node_type = "cache.t3.small"
cache_num_nodes = 1

task_cpu         = 512
task_memory      = 1024
gunicorn_workers = 2
autoscaling_min  = 2
autoscaling_max  = 4

enable_detailed_monitoring = true
enable_circuit_breaker     = true

# Replace with the environment's ACM certificate and DNS names.
certificate_arn = "arn:aws:acm:eu-west-1:222222222222:certificate/00000000-0000-0000-0000-000000000002"
api_base_url    = "https://api.staging.interactions.example.com"
public_base_url = "https://staging.interactions.example.com"
alarm_email     = "ops-staging@example.com"
