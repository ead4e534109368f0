# An S3 bucket for access logs (ALB, CloudFront): private, versioned, SSE-S3, expiring.

resource "aws_s3_bucket" "this" {
  #checkov:skip=CKV_AWS_145:ALB access logs and CloudFront standard logs can only be delivered to SSE-S3 buckets, not SSE-KMS.
  #checkov:skip=CKV_AWS_144:Access logs are not replicated to a second region; losing them with the region is acceptable.
  #checkov:skip=CKV_AWS_18:This is the log bucket itself; logging it would recurse.
  #checkov:skip=CKV2_AWS_62:Nothing consumes events from the log bucket.
  bucket_prefix = var.bucket_prefix
  force_destroy = var.force_destroy
}

resource "aws_s3_bucket_public_access_block" "this" {
  bucket                  = aws_s3_bucket.this.id
  block_public_acls       = true
  block_public_policy     = true
  ignore_public_acls      = true
  restrict_public_buckets = true
}

resource "aws_s3_bucket_ownership_controls" "this" {
  #checkov:skip=CKV2_AWS_65:CloudFront standard logging delivers through the bucket ACL, so that caller keeps ACLs enabled (object_ownership = BucketOwnerPreferred); public access is blocked.
  bucket = aws_s3_bucket.this.id
  rule {
    object_ownership = var.object_ownership
  }
}

resource "aws_s3_bucket_versioning" "this" {
  bucket = aws_s3_bucket.this.id
  versioning_configuration {
    status = "Enabled"
  }
}

resource "aws_s3_bucket_server_side_encryption_configuration" "this" {
  bucket = aws_s3_bucket.this.id
  rule {
    apply_server_side_encryption_by_default {
      sse_algorithm = "AES256"
    }
  }
}

resource "aws_s3_bucket_lifecycle_configuration" "this" {
  bucket = aws_s3_bucket.this.id
  rule {
    id     = "expire-access-logs"
    status = "Enabled"
    filter {}
    expiration {
      days = var.log_retention_days
    }
    noncurrent_version_expiration {
      noncurrent_days = 30
    }
    abort_incomplete_multipart_upload {
      days_after_initiation = 7
    }
  }
}
