# dev: deployed from feature/** branches. Values follow the deployment guide's table.
environment = "dev"
aws_region  = "eu-west-1"

app_env   = "development"
log_level = "DEBUG"

db_instance_class        = "db.t3.micro"
db_allocated_storage     = 20
multi_az_database        = false
db_backup_retention_days = 7
deletion_protection      = false

cache_node_type = "cache.t3.micro"
cache_num_nodes = 1

task_cpu         = 256
task_memory      = 512
gunicorn_workers = 2
autoscaling_min  = 1
autoscaling_max  = 2

enable_detailed_monitoring = false
enable_circuit_breaker     = true

# Replace with the environment's ACM certificate and DNS names.
certificate_arn = "arn:aws:acm:eu-west-1:111111111111:certificate/00000000-0000-0000-0000-000000000001"
api_base_url    = "https://api.dev.interactions.example.com"
public_base_url = "https://dev.interactions.example.com"
alarm_email     = ""
