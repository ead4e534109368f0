output "endpoint" {
  description = "host:port of the database."
  value       = aws_db_instance.this.endpoint
}

output "address" {
  description = "Host name of the database (DB_HOST)."
  value       = aws_db_instance.this.address
}

output "port" {
  description = "Port of the database (DB_PORT)."
  value       = aws_db_instance.this.port
}

output "db_name" {
  description = "Database name (DB_NAME)."
  value       = aws_db_instance.this.db_name
}

output "instance_id" {
  description = "Instance identifier (CloudWatch dimension)."
  value       = aws_db_instance.this.identifier
}

output "master_secret_arn" {
  description = "Secrets Manager secret (username, password) kept by RDS."
  value       = aws_db_instance.this.master_user_secret[0].secret_arn
}

output "read_replica_address" {
  description = "Host name of the read replica (DB_READ_HOST); empty without one."
  value       = join("", aws_db_instance.read_replica[*].address)
}
