# A private S3 bucket with the baseline every bucket here gets: public access
# blocked, ACLs off unless a log writer needs them, versioning, encryption (SSE-S3,
# or SSE-KMS with a key), replaced versions and unfinished uploads expiring, and a
# policy that refuses any request not made over TLS. Callers add statements of their
# own (who may write or read) through policy_documents.

resource "aws_s3_bucket" "this" {
  #checkov:skip=CKV_AWS_145:The log buckets take no key (kms_key_arn null): ALB access logs and CloudFront standard logs can only be delivered to SSE-S3 buckets; the SPA bucket passes a KMS key.
  #checkov:skip=CKV_AWS_144:No bucket here is replicated to a second region: access logs may be lost with the region, and the SPA is rebuilt from git by every deployment.
  #checkov:skip=CKV_AWS_18:Log buckets are the access-log targets themselves (logging them would recurse); other buckets log through access_log.
  #checkov:skip=CKV2_AWS_62:Nothing consumes object events of these buckets (access logs, the SPA's built files).
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
      sse_algorithm     = var.kms_key_arn == null ? "AES256" : "aws:kms"
      kms_master_key_id = var.kms_key_arn
    }
    bucket_key_enabled = var.kms_key_arn != null
  }
}

resource "aws_s3_bucket_lifecycle_configuration" "this" {
  bucket = aws_s3_bucket.this.id
  rule {
    id     = var.lifecycle_rule_id
    status = "Enabled"
    filter {}
    dynamic "expiration" {
      for_each = var.expiration_days == null ? [] : [var.expiration_days]
      content {
        days = expiration.value
      }
    }
    noncurrent_version_expiration {
      noncurrent_days = 30
    }
    abort_incomplete_multipart_upload {
      days_after_initiation = 7
    }
  }
}

resource "aws_s3_bucket_logging" "this" {
  count         = var.access_log == null ? 0 : 1
  bucket        = aws_s3_bucket.this.id
  target_bucket = var.access_log.bucket
  target_prefix = var.access_log.prefix
}

data "aws_iam_policy_document" "this" {
  source_policy_documents = var.policy_documents

  statement {
    sid     = "DenyInsecureTransport"
    effect  = "Deny"
    actions = ["s3:*"]
    resources = [
      aws_s3_bucket.this.arn,
      "${aws_s3_bucket.this.arn}/*",
    ]
    principals {
      type        = "*"
      identifiers = ["*"]
    }
    condition {
      test     = "Bool"
      variable = "aws:SecureTransport"
      values   = ["false"]
    }
  }
}

resource "aws_s3_bucket_policy" "this" {
  bucket = aws_s3_bucket.this.id
  policy = data.aws_iam_policy_document.this.json
}
