# The API's web ACL (regional, for the ALB): a per-address rate limit on the sign-in
# endpoints, AWS's core and known-bad-inputs rule sets, and request body limits (8 KB
# outside the JSON API, 100 KB on it). Its requests are logged to CloudWatch Logs.
# The load balancer's module attaches it (module.alb, web_acl_arn).

locals {
  # Label of requests to the JSON API, set by the rule "api-path"; in the web ACL's own
  # namespace (awswaf:<account>:webacl:<name>:), which a label match may leave out.
  api_label = "ims:api"
}

resource "aws_wafv2_web_acl" "this" {
  name  = "${var.name}-api"
  scope = "REGIONAL"

  default_action {
    allow {}
  }

  # Sign-in, password reset and token endpoints: per client address, over 5 minutes.
  rule {
    name     = "auth-rate-limit"
    priority = 0
    action {
      block {}
    }
    statement {
      rate_based_statement {
        limit                 = var.auth_requests_per_5_minutes
        evaluation_window_sec = 300
        aggregate_key_type    = "IP"
        scope_down_statement {
          byte_match_statement {
            search_string         = "/api/auth/"
            positional_constraint = "STARTS_WITH"
            field_to_match {
              uri_path {}
            }
            text_transformation {
              priority = 0
              type     = "LOWERCASE"
            }
          }
        }
      }
    }
    visibility_config {
      cloudwatch_metrics_enabled = true
      metric_name                = "auth-rate-limit"
      sampled_requests_enabled   = true
    }
  }

  # The core rule set blocks bodies over 8 KB (SizeRestrictions_BODY). A legitimate
  # interaction save (description and notes up to 5,000 characters each) is larger,
  # so that rule only counts here and labels the request; the next two rules apply
  # the limits: 8 KB outside the JSON API, 100 KB on it.
  rule {
    name     = "aws-common"
    priority = 1
    override_action {
      none {}
    }
    statement {
      managed_rule_group_statement {
        name        = "AWSManagedRulesCommonRuleSet"
        vendor_name = "AWS"
        rule_action_override {
          name = "SizeRestrictions_BODY"
          action_to_use {
            count {}
          }
        }
      }
    }
    visibility_config {
      cloudwatch_metrics_enabled = true
      metric_name                = "aws-common"
      sampled_requests_enabled   = true
    }
  }

  rule {
    name     = "aws-known-bad-inputs"
    priority = 2
    override_action {
      none {}
    }
    statement {
      managed_rule_group_statement {
        name        = "AWSManagedRulesKnownBadInputsRuleSet"
        vendor_name = "AWS"
      }
    }
    visibility_config {
      cloudwatch_metrics_enabled = true
      metric_name                = "aws-known-bad-inputs"
      sampled_requests_enabled   = true
    }
  }

  # Labels requests for the JSON API (a path under /api/) and lets them on; the two
  # body limits below tell the API from the rest by this label, so the path is
  # matched in one place.
  rule {
    name     = "api-path"
    priority = 3
    action {
      count {}
    }
    rule_label {
      name = local.api_label
    }
    statement {
      byte_match_statement {
        search_string         = "/api/"
        positional_constraint = "STARTS_WITH"
        field_to_match {
          uri_path {}
        }
        text_transformation {
          priority = 0
          type     = "NONE"
        }
      }
    }
    visibility_config {
      cloudwatch_metrics_enabled = true
      metric_name                = "api-path"
      sampled_requests_enabled   = true
    }
  }

  # The core rule set's 8 KB body limit, everywhere but the JSON API.
  rule {
    name     = "body-size-outside-api"
    priority = 4
    action {
      block {}
    }
    statement {
      and_statement {
        statement {
          label_match_statement {
            scope = "LABEL"
            key   = "awswaf:managed:aws:core-rule-set:SizeRestrictions_Body"
          }
        }
        statement {
          not_statement {
            statement {
              label_match_statement {
                scope = "LABEL"
                key   = local.api_label
              }
            }
          }
        }
      }
    }
    visibility_config {
      cloudwatch_metrics_enabled = true
      metric_name                = "body-size-outside-api"
      sampled_requests_enabled   = true
    }
  }

  # The JSON API's limit: a Content-Length of six digits or more (100,000 bytes and up).
  # WAF reads only the first 8 KB of an ALB request's body, so the header is what it can
  # measure; the API's own MAX_CONTENT_LENGTH still answers 413 to anything it lets by.
  rule {
    name     = "api-body-over-100kb"
    priority = 5
    action {
      block {}
    }
    statement {
      and_statement {
        statement {
          label_match_statement {
            scope = "LABEL"
            key   = local.api_label
          }
        }
        statement {
          size_constraint_statement {
            comparison_operator = "GT"
            size                = 5
            field_to_match {
              single_header {
                name = "content-length"
              }
            }
            text_transformation {
              priority = 0
              type     = "NONE"
            }
          }
        }
      }
    }
    visibility_config {
      cloudwatch_metrics_enabled = true
      metric_name                = "api-body-over-100kb"
      sampled_requests_enabled   = true
    }
  }

  visibility_config {
    cloudwatch_metrics_enabled = true
    metric_name                = "${var.name}-api"
    sampled_requests_enabled   = true
  }
}

resource "aws_cloudwatch_log_group" "this" {
  # WAF requires the aws-waf-logs- prefix.
  name              = "aws-waf-logs-${var.name}-api"
  retention_in_days = var.log_retention_days
  kms_key_id        = var.kms_key_arn
}

resource "aws_wafv2_web_acl_logging_configuration" "this" {
  log_destination_configs = [aws_cloudwatch_log_group.this.arn]
  resource_arn            = aws_wafv2_web_acl.this.arn
}
