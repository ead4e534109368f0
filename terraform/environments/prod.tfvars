# prod: deployed from release/** with blue-green switching. Values follow the deployment guide's table.
environment = "prod"
aws_region  = "eu-west-1"

app_env   = "production"
log_level = "WARNING"

db_instance_class        = "db.r6g.large"
db_allocated_storage     = 100
multi_az_database        = true
db_backup_retention_days = 30
deletion_protection      = true

cache_node_type = "cache.r6g.large"
cache_num_nodes = 2

task_cpu         = 1024
task_memory      = 2048
gunicorn_workers = 3
autoscaling_min  = 2
autoscaling_max  = 10

enable_detailed_monitoring = true
# Production switches colours with the deploy tool, which checks health and rolls back itself.
enable_circuit_breaker = false

# Replace with the environment's ACM certificate and DNS names.
certificate_arn = "arn:aws:acm:eu-west-1:333333333333:certificate/00000000-0000-0000-0000-000000000003"
api_base_url    = "https://api.interactions.example.com"
public_base_url = "https://interactions.example.com"
alarm_email     = "ops@example.com"
