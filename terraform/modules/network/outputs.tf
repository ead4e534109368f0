output "vpc_id" {
  description = "VPC id."
  value       = aws_vpc.this.id
}

output "vpc_cidr" {
  description = "VPC address range."
  value       = aws_vpc.this.cidr_block
}

output "public_subnet_ids" {
  description = "Public subnets (ALB, NAT gateways)."
  value       = aws_subnet.public[*].id
}

output "app_subnet_ids" {
  description = "Private application subnets (ECS tasks)."
  value       = aws_subnet.app[*].id
}

output "data_subnet_ids" {
  description = "Private data subnets (RDS, ElastiCache)."
  value       = aws_subnet.data[*].id
}

output "public_subnet_cidrs" {
  description = "Address ranges of the public subnets (where the ALB's nodes live)."
  value       = aws_subnet.public[*].cidr_block
}
