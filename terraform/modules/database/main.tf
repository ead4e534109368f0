# RDS PostgreSQL 15 in the data subnets: encrypted with the environment's key,
# TLS enforced, master password generated and kept by RDS in Secrets Manager.

module "security_group" {
  source                     = "../store_security_group"
  name                       = "${var.name}-db"
  description                = "PostgreSQL, reachable from the API tasks only"
  vpc_id                     = var.vpc_id
  allowed_security_group_ids = var.allowed_security_group_ids
  port                       = 5432
  ingress_description        = "PostgreSQL from the API tasks"
}

resource "aws_db_subnet_group" "this" {
  name       = "${var.name}-db"
  subnet_ids = var.subnet_ids
}

resource "aws_db_parameter_group" "this" {
  name   = "${var.name}-postgres15"
  family = "postgres15"

  parameter {
    name  = "rds.force_ssl"
    value = "1"
  }

  # Slow statements and connections in the log, for the Finder's query plans.
  parameter {
    name  = "log_min_duration_statement"
    value = "500"
  }

  parameter {
    name  = "log_connections"
    value = "1"
  }

  parameter {
    name  = "log_statement"
    value = "ddl"
  }

  parameter {
    name         = "shared_preload_libraries"
    value        = "pg_stat_statements"
    apply_method = "pending-reboot"
  }
}

resource "aws_iam_role" "monitoring" {
  name = "${var.name}-rds-monitoring"
  assume_role_policy = jsonencode({
    Version = "2012-10-17"
    Statement = [{
      Effect    = "Allow"
      Action    = "sts:AssumeRole"
      Principal = { Service = "monitoring.rds.amazonaws.com" }
    }]
  })
}

resource "aws_iam_role_policy_attachment" "monitoring" {
  role       = aws_iam_role.monitoring.name
  policy_arn = "arn:aws:iam::aws:policy/service-role/AmazonRDSEnhancedMonitoringRole"
}

resource "aws_db_instance" "this" {
  identifier     = "${var.name}-db"
  engine         = "postgres"
  engine_version = "15"
  instance_class = var.instance_class

  db_name                       = var.db_name
  username                      = var.username
  manage_master_user_password   = true
  master_user_secret_kms_key_id = var.kms_key_arn
  port                          = 5432

  allocated_storage     = var.allocated_storage
  max_allocated_storage = var.allocated_storage * 5
  storage_type          = "gp3"
  storage_encrypted     = true
  kms_key_id            = var.kms_key_arn

  multi_az               = var.multi_az
  db_subnet_group_name   = aws_db_subnet_group.this.name
  vpc_security_group_ids = [module.security_group.id]
  publicly_accessible    = false
  parameter_group_name   = aws_db_parameter_group.this.name

  # Automated backups give point-in-time restore within the retention window.
  backup_retention_period   = var.backup_retention_days
  backup_window             = "02:00-03:00"
  maintenance_window        = "sun:03:30-sun:04:30"
  copy_tags_to_snapshot     = true
  deletion_protection       = var.deletion_protection
  skip_final_snapshot       = !var.deletion_protection
  final_snapshot_identifier = "${var.name}-db-final"
  delete_automated_backups  = !var.deletion_protection

  auto_minor_version_upgrade          = true
  iam_database_authentication_enabled = true
  enabled_cloudwatch_logs_exports     = ["postgresql", "upgrade"]
  performance_insights_enabled        = true
  performance_insights_kms_key_id     = var.kms_key_arn
  monitoring_interval                 = var.detailed_monitoring ? 15 : 60
  monitoring_role_arn                 = aws_iam_role.monitoring.arn

  apply_immediately = !var.deletion_protection
}

# An optional read replica (read_replica_enabled): the API's Finder, insights and exports read from it
# (DB_READ_HOST) while writes stay on the primary. It streams from the primary, shares its users and
# passwords, its key, security group and parameter group; it keeps no backups of its own.
resource "aws_db_instance" "read_replica" {
  count = var.read_replica_enabled ? 1 : 0
  #checkov:skip=CKV_AWS_157:A read replica is disposable: the primary is the Multi-AZ copy, and the API reads from the primary whenever the replica is away.
  #checkov:skip=CKV_AWS_133:Backups are the primary's; a replica is rebuilt from it, never restored.
  #checkov:skip=CKV_AWS_293:Deleting a read replica loses no data; the primary keeps deletion protection.
  #checkov:skip=CKV2_AWS_60:Snapshots are the primary's; a replica takes none of its own.

  identifier          = "${var.name}-db-read"
  replicate_source_db = aws_db_instance.this.identifier
  instance_class      = coalesce(var.read_replica_instance_class, var.instance_class)
  port                = 5432

  storage_type          = "gp3"
  max_allocated_storage = var.allocated_storage * 5
  storage_encrypted     = true
  kms_key_id            = var.kms_key_arn

  multi_az               = false
  vpc_security_group_ids = [module.security_group.id]
  publicly_accessible    = false
  parameter_group_name   = aws_db_parameter_group.this.name

  backup_retention_period = 0
  maintenance_window      = "sun:04:30-sun:05:30"
  copy_tags_to_snapshot   = true
  deletion_protection     = false
  skip_final_snapshot     = true

  auto_minor_version_upgrade          = true
  iam_database_authentication_enabled = true
  enabled_cloudwatch_logs_exports     = ["postgresql", "upgrade"]
  performance_insights_enabled        = true
  performance_insights_kms_key_id     = var.kms_key_arn
  monitoring_interval                 = var.detailed_monitoring ? 15 : 60
  monitoring_role_arn                 = aws_iam_role.monitoring.arn

  apply_immediately = !var.deletion_protection
}
