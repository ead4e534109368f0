# CloudFront in front of the frontend: edge caching and static asset storage
# (the guide's appendix: "S3 | Static asset storage | CloudFront distribution
# for edge caching"). Pages, /config.js and /health come from the frontend
# service through the ALB (CloudFront forwards the viewer's Host, so the ALB's
# frontend-host rule picks the frontend and TLS is verified against the
# frontend host). Hashed /assets/* come from a private S3 bucket (KMS, origin
# access control), cached for a year, with the frontend service as fallback
# origin for any asset not yet copied to the bucket.

data "aws_cloudfront_cache_policy" "optimized" {
  name = "Managed-CachingOptimized"
}

data "aws_cloudfront_cache_policy" "disabled" {
  name = "Managed-CachingDisabled"
}

data "aws_cloudfront_origin_request_policy" "all_viewer" {
  name = "Managed-AllViewer"
}

# The SPA's built assets: KMS-encrypted, read only by this distribution (origin
# access control), its access logged to the log bucket below.
module "site" {
  source            = "../hardened_bucket"
  bucket_prefix     = "${var.short_name}-spa-" # at most 37 characters (AWS appends 26)
  force_destroy     = var.force_destroy
  kms_key_arn       = var.kms_key_arn
  lifecycle_rule_id = "expire-replaced-builds"
  access_log        = { bucket = module.logs.id, prefix = "s3/" }
  policy_documents  = [data.aws_iam_policy_document.site.json]
}

data "aws_iam_policy_document" "site" {
  statement {
    sid       = "CloudFrontRead"
    actions   = ["s3:GetObject"]
    resources = ["${module.site.arn}/*"]
    principals {
      type        = "Service"
      identifiers = ["cloudfront.amazonaws.com"]
    }
    condition {
      test     = "StringEquals"
      variable = "AWS:SourceArn"
      values   = [aws_cloudfront_distribution.this.arn]
    }
  }
}

# ---------------------------------------------------------------- logs

# CloudFront standard logging writes through the bucket ACL, so ACLs stay enabled here.
module "logs" {
  source            = "../hardened_bucket"
  bucket_prefix     = "${var.short_name}-spa-logs-"
  force_destroy     = var.force_destroy
  lifecycle_rule_id = "expire-access-logs"
  expiration_days   = var.log_retention_days
  object_ownership  = "BucketOwnerPreferred"
}

# ---------------------------------------------------------------- CloudFront

resource "aws_cloudfront_origin_access_control" "site" {
  name                              = "${var.name}-spa"
  description                       = "SPA bucket of ${var.name}"
  origin_access_control_origin_type = "s3"
  signing_behavior                  = "always"
  signing_protocol                  = "sigv4"
}

resource "aws_cloudfront_response_headers_policy" "security" {
  name = "${var.name}-spa-security-headers"

  security_headers_config {
    content_security_policy {
      content_security_policy = "default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; img-src 'self' data:; font-src 'self' data:; connect-src 'self' ${join(" ", var.connect_src)}; frame-src 'self' ${join(" ", var.frame_src)}; frame-ancestors 'none'; base-uri 'self'; form-action 'self'; object-src 'none'"
      override                = true
    }
    content_type_options {
      override = true
    }
    frame_options {
      frame_option = "DENY"
      override     = true
    }
    referrer_policy {
      referrer_policy = "strict-origin-when-cross-origin"
      override        = true
    }
    strict_transport_security {
      access_control_max_age_sec = 31536000
      include_subdomains         = true
      preload                    = true
      override                   = true
    }
    xss_protection {
      protection = true
      mode_block = true
      override   = true
    }
  }
}

resource "aws_cloudfront_distribution" "this" {
  #checkov:skip=CKV_AWS_68:Only static files are served here; a CloudFront WAF would need a us-east-1 web ACL, and the API behind the ALB has its own WAF.
  #checkov:skip=CKV2_AWS_47:See CKV_AWS_68: no code runs behind this distribution, the API's web ACL carries the Log4j rules.
  #checkov:skip=CKV_AWS_310:A single S3 origin in the environment's region; an origin group would need a replicated bucket for a static site rebuilt on every deploy.
  #checkov:skip=CKV_AWS_374:Staff of several sites use the SPA from wherever they are; no geographic restriction is wanted.
  enabled             = true
  is_ipv6_enabled     = true
  comment             = "Interaction Management frontend (${var.name})"
  price_class         = "PriceClass_100"
  aliases             = [var.frontend_host]
  default_root_object = "index.html"

  # The frontend service (nginx) through the ALB, addressed by the API's host name,
  # which resolves to the ALB and is on its certificate: without the viewer's Host
  # (the assets fallback) the ALB's /assets/* rule still picks the frontend.
  origin {
    domain_name = var.origin_domain_name
    origin_id   = "frontend-service"
    custom_origin_config {
      http_port              = 80
      https_port             = 443
      origin_protocol_policy = "https-only"
      origin_ssl_protocols   = ["TLSv1.2"]
    }
  }

  origin {
    domain_name              = module.site.bucket_regional_domain_name
    origin_id                = "assets-bucket"
    origin_access_control_id = aws_cloudfront_origin_access_control.site.id
  }

  # A hashed asset missing from the bucket is fetched from the frontend service.
  origin_group {
    origin_id = "assets"
    failover_criteria {
      status_codes = [403, 404]
    }
    member {
      origin_id = "assets-bucket"
    }
    member {
      origin_id = "frontend-service"
    }
  }

  # index.html, client-side routes, /config.js and /health: never cached at the edge.
  default_cache_behavior {
    target_origin_id           = "frontend-service"
    viewer_protocol_policy     = "redirect-to-https"
    allowed_methods            = ["GET", "HEAD", "OPTIONS"]
    cached_methods             = ["GET", "HEAD"]
    compress                   = true
    cache_policy_id            = data.aws_cloudfront_cache_policy.disabled.id
    origin_request_policy_id   = data.aws_cloudfront_origin_request_policy.all_viewer.id
    response_headers_policy_id = aws_cloudfront_response_headers_policy.security.id
  }

  ordered_cache_behavior {
    path_pattern               = "/assets/*"
    target_origin_id           = "assets"
    viewer_protocol_policy     = "redirect-to-https"
    allowed_methods            = ["GET", "HEAD"]
    cached_methods             = ["GET", "HEAD"]
    compress                   = true
    cache_policy_id            = data.aws_cloudfront_cache_policy.optimized.id
    response_headers_policy_id = aws_cloudfront_response_headers_policy.security.id
  }

  restrictions {
    geo_restriction {
      restriction_type = "none"
    }
  }

  viewer_certificate {
    acm_certificate_arn      = var.certificate_arn
    ssl_support_method       = "sni-only"
    minimum_protocol_version = "TLSv1.2_2021"
  }

  logging_config {
    bucket          = module.logs.bucket_domain_name
    prefix          = "cloudfront/"
    include_cookies = false
  }
}
