output "id" {
  description = "Security group id, for the data store's network settings."
  value       = aws_security_group.this.id
}
