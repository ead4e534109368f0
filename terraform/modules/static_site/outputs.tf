output "bucket_name" {
  description = "SPA bucket."
  value       = module.site.id
}

output "distribution_id" {
  description = "CloudFront distribution id (for invalidations)."
  value       = aws_cloudfront_distribution.this.id
}

output "distribution_arn" {
  description = "CloudFront distribution ARN."
  value       = aws_cloudfront_distribution.this.arn
}

output "domain_name" {
  description = "CloudFront domain name of the SPA."
  value       = aws_cloudfront_distribution.this.domain_name
}
