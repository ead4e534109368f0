# Public ALB with a blue and a green API target group and the frontend's. The
# HTTPS listener's default action forwards to the live API colour, the test
# listener to the idle one; the deploy tool (python -m ims_deploy) switches
# both, so Terraform ignores later changes to their default actions. Requests
# for the frontend host (from CloudFront) and for /assets/* go to the frontend
# service through listener rules, which no colour switch touches.

data "aws_elb_service_account" "this" {}

resource "aws_security_group" "alb" {
  name        = "${var.name}-alb"
  description = "Public HTTPS entry point of the API"
  vpc_id      = var.vpc_id
  tags        = { Name = "${var.name}-alb" }
}

resource "aws_vpc_security_group_ingress_rule" "https" {
  security_group_id = aws_security_group.alb.id
  description       = "HTTPS from the internet"
  cidr_ipv4         = "0.0.0.0/0"
  ip_protocol       = "tcp"
  from_port         = 443
  to_port           = 443
}

resource "aws_vpc_security_group_ingress_rule" "http" {
  #checkov:skip=CKV_AWS_260:Port 80 only answers with a redirect to HTTPS (see aws_lb_listener.http); no content is served over plain HTTP.
  security_group_id = aws_security_group.alb.id
  description       = "HTTP from the internet, redirected to HTTPS"
  cidr_ipv4         = "0.0.0.0/0"
  ip_protocol       = "tcp"
  from_port         = 80
  to_port           = 80
}

resource "aws_vpc_security_group_egress_rule" "to_tasks" {
  security_group_id = aws_security_group.alb.id
  description       = "To the API tasks in the VPC"
  cidr_ipv4         = var.vpc_cidr
  ip_protocol       = "tcp"
  from_port         = var.target_port
  to_port           = var.target_port
}

resource "aws_vpc_security_group_egress_rule" "to_frontend" {
  security_group_id = aws_security_group.alb.id
  description       = "To the frontend tasks in the VPC"
  cidr_ipv4         = var.vpc_cidr
  ip_protocol       = "tcp"
  from_port         = var.frontend_port
  to_port           = var.frontend_port
}

resource "aws_lb" "this" {
  #checkov:skip=CKV2_AWS_76:The attached web ACL includes AWSManagedRulesKnownBadInputsRuleSet (Log4j); checkov does not follow the association resource.
  # Load balancer names are limited to 32 characters: the short prefix keeps staging's within it.
  name                       = "${var.short_name}-alb"
  load_balancer_type         = "application"
  internal                   = false
  security_groups            = [aws_security_group.alb.id]
  subnets                    = var.public_subnet_ids
  drop_invalid_header_fields = true
  enable_deletion_protection = var.deletion_protection
  idle_timeout               = 60

  access_logs {
    bucket  = module.logs.id
    prefix  = "alb"
    enabled = true
  }

  depends_on = [aws_s3_bucket_policy.logs]
}

resource "aws_lb_target_group" "colour" {
  #checkov:skip=CKV_AWS_378:TLS ends at the ALB; the hop to the tasks stays inside private subnets and security groups admit only the ALB.
  for_each             = toset(["blue", "green"])
  name                 = "${var.short_name}-${each.key}"
  port                 = var.target_port
  protocol             = "HTTP"
  target_type          = "ip"
  vpc_id               = var.vpc_id
  deregistration_delay = 30

  # Readiness, not liveness: 503 while the API cannot serve (its database role missing or without
  # grants, the schema behind the code, the database down). ECS's container check stays on the
  # liveness path /api/health, so such a task is taken out of traffic but not restarted.
  health_check {
    path                = "/api/health/ready"
    matcher             = "200"
    interval            = 15
    timeout             = 5
    healthy_threshold   = 2
    unhealthy_threshold = 3
  }

  tags = { Colour = each.key }
}

# The frontend (nginx + the built SPA): rolling updates, checked on /health,
# which answers 200 only once the container can serve the app.
resource "aws_lb_target_group" "frontend" {
  #checkov:skip=CKV_AWS_378:TLS ends at the ALB; the hop to the tasks stays inside private subnets and security groups admit only the ALB.
  name                 = "${var.short_name}-frontend"
  port                 = var.frontend_port
  protocol             = "HTTP"
  target_type          = "ip"
  vpc_id               = var.vpc_id
  deregistration_delay = 30

  health_check {
    path                = "/health"
    matcher             = "200"
    interval            = 15
    timeout             = 5
    healthy_threshold   = 2
    unhealthy_threshold = 3
  }

  tags = { Service = "frontend" }
}

resource "aws_lb_listener_rule" "frontend_host" {
  listener_arn = aws_lb_listener.https.arn
  priority     = 10

  action {
    type             = "forward"
    target_group_arn = aws_lb_target_group.frontend.arn
  }

  condition {
    host_header {
      values = [var.frontend_host]
    }
  }
}

# CloudFront's fallback origin for hashed assets not (yet) in the S3 bucket.
resource "aws_lb_listener_rule" "frontend_assets" {
  listener_arn = aws_lb_listener.https.arn
  priority     = 20

  action {
    type             = "forward"
    target_group_arn = aws_lb_target_group.frontend.arn
  }

  condition {
    path_pattern {
      values = ["/assets/*"]
    }
  }
}

resource "aws_lb_listener" "https" {
  load_balancer_arn = aws_lb.this.arn
  port              = 443
  protocol          = "HTTPS"
  ssl_policy        = "ELBSecurityPolicy-TLS13-1-2-2021-06"
  certificate_arn   = var.certificate_arn

  default_action {
    type             = "forward"
    target_group_arn = aws_lb_target_group.colour["blue"].arn
  }

  # The live colour belongs to the deploy tool after the first apply.
  lifecycle {
    ignore_changes = [default_action]
  }
}

# Test listener (HTTPS 8443). The ALB health-checks only target groups that some
# listener names, so without this the idle colour's targets stay `unused` and a
# blue-green deploy can never prove them healthy. Its forward action names both
# colours: the idle one at weight 1, the live one at weight 0 (named, so still
# health-checked, but sent no requests). The deploy tool repoints it
# (--test-listener-arn) to the new colour before polling target health, and back
# to the old colour after the switch, so the colour a rollback returns to is
# always checked.
#
# A separate listener rather than a header-matched rule on the 443 listener: a
# header rule is reachable by anyone on the internet who sends that header (the
# header would have to be a secret), and it would mix deploy state into the
# production listener's rules. A port of its own is closed by the security group
# unless test_listener_cidrs opens it (operators' VPN, say); the ALB's own health
# checks need no ingress at all.
resource "aws_lb_listener" "test" {
  load_balancer_arn = aws_lb.this.arn
  port              = var.test_listener_port
  protocol          = "HTTPS"
  ssl_policy        = "ELBSecurityPolicy-TLS13-1-2-2021-06"
  certificate_arn   = var.certificate_arn

  default_action {
    type = "forward"
    forward {
      target_group {
        arn    = aws_lb_target_group.colour["green"].arn
        weight = 1
      }
      target_group {
        arn    = aws_lb_target_group.colour["blue"].arn
        weight = 0
      }
    }
  }

  # Which colour is idle belongs to the deploy tool after the first apply.
  lifecycle {
    ignore_changes = [default_action]
  }
}

resource "aws_vpc_security_group_ingress_rule" "test_listener" {
  for_each          = toset(var.test_listener_cidrs)
  security_group_id = aws_security_group.alb.id
  description       = "Test listener (idle colour) for deployers"
  cidr_ipv4         = each.value
  ip_protocol       = "tcp"
  from_port         = var.test_listener_port
  to_port           = var.test_listener_port
}

resource "aws_lb_listener" "http" {
  load_balancer_arn = aws_lb.this.arn
  port              = 80
  protocol          = "HTTP"

  default_action {
    type = "redirect"
    redirect {
      port        = "443"
      protocol    = "HTTPS"
      status_code = "HTTP_301"
    }
  }
}

# ---------------------------------------------------------------- WAF

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

  # The core rule set's 8 KB body limit, everywhere but the JSON API.
  rule {
    name     = "body-size-outside-api"
    priority = 3
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
    priority = 4
    action {
      block {}
    }
    statement {
      and_statement {
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

resource "aws_wafv2_web_acl_association" "this" {
  resource_arn = aws_lb.this.arn
  web_acl_arn  = aws_wafv2_web_acl.this.arn
}

resource "aws_cloudwatch_log_group" "waf" {
  # WAF requires the aws-waf-logs- prefix.
  name              = "aws-waf-logs-${var.name}-api"
  retention_in_days = var.log_retention_days
  kms_key_id        = var.kms_key_arn
}

resource "aws_wafv2_web_acl_logging_configuration" "this" {
  log_destination_configs = [aws_cloudwatch_log_group.waf.arn]
  resource_arn            = aws_wafv2_web_acl.this.arn
}

# ---------------------------------------------------------------- access logs

module "logs" {
  source             = "../log_bucket"
  bucket_prefix      = "${var.short_name}-alb-logs-"
  force_destroy      = !var.deletion_protection
  log_retention_days = var.log_retention_days
}

data "aws_iam_policy_document" "logs" {
  statement {
    sid       = "AlbAccessLogs"
    actions   = ["s3:PutObject"]
    resources = ["${module.logs.arn}/alb/*"]
    principals {
      type        = "AWS"
      identifiers = [data.aws_elb_service_account.this.arn]
    }
  }
  statement {
    sid     = "DenyInsecureTransport"
    effect  = "Deny"
    actions = ["s3:*"]
    resources = [
      module.logs.arn,
      "${module.logs.arn}/*",
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

resource "aws_s3_bucket_policy" "logs" {
  bucket = module.logs.id
  policy = data.aws_iam_policy_document.logs.json
}
