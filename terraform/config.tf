# API configuration: plain settings go into the task definition's environment;
# tunables also into SSM under /<env>/ (read by the app at start-up,
# AWS_SSM_PATH); secrets live in Secrets Manager and reach the container only
# through the task definition's `secrets` (never plain environment). Nothing
# that decides where links point, who sends mail or who may call the API is
# read from SSM: one parameter write must not redirect them (docs/SECURITY.md).

resource "random_password" "secret_key" {
  length  = 64
  special = false
}

# SECRET_KEY (and SECRET_KEY_FALLBACKS, the keys it replaced, during a
# rotation's overlap window), REDIS_URL (with the AUTH token), AUTH0_CLIENT_SECRET
# and SENDGRID_API_KEY. Operators fill AUTH0_CLIENT_SECRET and SENDGRID_API_KEY
# with put-secret-value and rotate with ecs/rotate-secret.sh; Terraform keeps only
# the first version.
resource "aws_secretsmanager_secret" "app" {
  #checkov:skip=CKV2_AWS_57:Holds third-party keys (SendGrid, Auth0) and SECRET_KEY, which a Lambda cannot rotate alone: they change with the provider or with an overlap window; ecs/rotate-secret.sh sendgrid (or secret-key) rotates the SendGrid key and SECRET_KEY (docs/DEPLOYMENT.md, "Rotate secrets").
  name                    = "${local.name}/backend"
  description             = "Interaction Management API secrets (${var.environment})"
  kms_key_id              = aws_kms_key.this.arn
  recovery_window_in_days = local.is_prod ? 30 : 7
}

resource "aws_secretsmanager_secret_version" "app" {
  secret_id = aws_secretsmanager_secret.app.id
  secret_string = jsonencode({
    SECRET_KEY           = random_password.secret_key.result
    SECRET_KEY_FALLBACKS = ""
    REDIS_URL            = "rediss://:${module.cache.auth_token}@${module.cache.primary_endpoint}:${module.cache.port}/0"
    AUTH0_CLIENT_SECRET  = ""
    SENDGRID_API_KEY     = "unset"
  })

  lifecycle {
    ignore_changes = [secret_string]
  }
}

# The API connects as a least-privilege role (DML on the application's tables, no
# DDL); migrations keep the owner (the RDS master user, DB_SECRET_ARN). The
# migration task (ecs/migrate-task-definition-template.json) creates or updates
# the secret's role (`ims_app`; a password rotation alternates it with
# `ims_app_b`, so running tasks keep connecting) and its grants with
# `flask grant-app-role --role-env APP_DB_USER` right after the migrations.
resource "random_password" "db_app" {
  length  = 40
  special = false
}

resource "aws_secretsmanager_secret" "db_app" {
  #checkov:skip=CKV2_AWS_57:The role's password is set inside the VPC by a one-off task from this secret's pending version; ecs/rotate-secret.sh db-password rotates it between two roles without downtime (docs/DEPLOYMENT.md, "Rotate secrets").
  name                    = "${local.name}/database-app"
  description             = "Least-privilege PostgreSQL role of the Interaction Management API (${var.environment})"
  kms_key_id              = aws_kms_key.this.arn
  recovery_window_in_days = local.is_prod ? 30 : 7
}

resource "aws_secretsmanager_secret_version" "db_app" {
  secret_id = aws_secretsmanager_secret.db_app.id
  secret_string = jsonencode({
    username = "ims_app"
    password = random_password.db_app.result
  })

  lifecycle {
    ignore_changes = [secret_string]
  }
}

resource "aws_ssm_parameter" "setting" {
  for_each    = local.ssm_settings
  name        = "${local.ssm_prefix}/${each.key}"
  description = "API setting ${each.key}"
  type        = "SecureString"
  key_id      = aws_kms_key.this.arn
  value       = each.value
}

locals {
  # Tunables only (SSM_SETTINGS in backend/ims/config_sources.py); the app ignores any other name.
  ssm_settings = {
    CACHE_TTL_SECONDS = tostring(var.cache_ttl_seconds)
  }

  # The same names as ecs/task-definition-template.json.
  backend_environment = {
    APP_ENV             = var.app_env
    LOG_LEVEL           = var.log_level
    APP_VERSION         = var.backend_image_tag
    DB_HOST             = local.db_address
    DB_PORT             = tostring(local.db_port)
    DB_NAME             = module.database.db_name
    DB_READ_HOST        = local.db_read_address
    DB_SSLMODE          = "verify-full"
    PGSSLROOTCERT       = local.rds_ca_bundle
    REDIS_TLS           = "true"
    REDIS_CLUSTER       = tostring(var.cache_cluster_mode)
    REDIS_KEY_PREFIX    = local.db_cache_prefix
    TRUSTED_PROXY_HOPS  = "1"
    FORWARDED_ALLOW_IPS = join(",", module.network.public_subnet_cidrs)
    AUTH0_DOMAIN        = var.auth0_domain
    AUTH0_AUDIENCE      = var.auth0_audience
    AUTH0_CLIENT_ID     = var.auth0_client_id
    SENDGRID_FROM_EMAIL = var.sendgrid_from_email
    AWS_SSM_PATH        = "${local.ssm_prefix}/"
    AWS_REGION          = var.aws_region
    CORS_ORIGINS        = var.public_base_url
    PUBLIC_BASE_URL     = var.public_base_url
    LOGIN_RATE_LIMIT    = var.login_rate_limit
    CACHE_TTL_SECONDS   = tostring(var.cache_ttl_seconds)
    GUNICORN_WORKERS    = tostring(var.gunicorn_workers)
    GUNICORN_THREADS    = "4"
  }

  # The RDS CA bundle baked into docker/backend/Dockerfile; libpq reads PGSSLROOTCERT,
  # so sslmode=verify-full checks the server's certificate and host name against it.
  rds_ca_bundle = "/etc/ssl/certs/rds-global-bundle.pem"

  # Every key named here must be in the secret (a task cannot start without it); SECRET_KEY_FALLBACKS
  # is empty outside a rotation's overlap window (ecs/rotate-secret.sh).
  backend_secrets = {
    DB_USER              = "${aws_secretsmanager_secret.db_app.arn}:username::"
    DB_PASSWORD          = "${aws_secretsmanager_secret.db_app.arn}:password::"
    SECRET_KEY           = "${aws_secretsmanager_secret.app.arn}:SECRET_KEY::"
    SECRET_KEY_FALLBACKS = "${aws_secretsmanager_secret.app.arn}:SECRET_KEY_FALLBACKS::"
    REDIS_URL            = "${aws_secretsmanager_secret.app.arn}:REDIS_URL::"
    AUTH0_CLIENT_SECRET  = "${aws_secretsmanager_secret.app.arn}:AUTH0_CLIENT_SECRET::"
    SENDGRID_API_KEY     = "${aws_secretsmanager_secret.app.arn}:SENDGRID_API_KEY::"
  }
}

# The frontend container's runtime settings, read at start (docker/frontend).
locals {
  frontend_environment = {
    REACT_APP_API_URL         = var.api_base_url
    REACT_APP_AUTH0_DOMAIN    = var.auth0_domain
    REACT_APP_AUTH0_CLIENT_ID = var.auth0_client_id
    REACT_APP_AUTH0_AUDIENCE  = var.auth0_audience
    NODE_ENV                  = var.app_env == "development" ? "development" : "production"
  }
}
