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

# Out to the services' tasks in the VPC, each on its container port.
resource "aws_vpc_security_group_egress_rule" "to_targets" {
  for_each = {
    api      = { description = "To the API tasks in the VPC", port = var.target_port }
    frontend = { description = "To the frontend tasks in the VPC", port = var.frontend_port }
  }
  security_group_id = aws_security_group.alb.id
  description       = each.value.description
  cidr_ipv4         = var.vpc_cidr
  ip_protocol       = "tcp"
  from_port         = each.value.port
  to_port           = each.value.port
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

  # The ALB checks on creation that it may write its logs: the bucket policy comes first.
  depends_on = [module.logs]
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

# What goes to the frontend service rather than the live API colour: the frontend host
# (CloudFront's origin requests) and /assets/* (CloudFront's fallback origin for hashed
# assets not yet in the S3 bucket). A rule's conditions all have to hold, so each of
# the two is a rule of its own.
locals {
  frontend_routes = {
    host   = { priority = 10, host_header = [var.frontend_host], path_pattern = [] }
    assets = { priority = 20, host_header = [], path_pattern = ["/assets/*"] }
  }
}

resource "aws_lb_listener_rule" "frontend" {
  for_each     = local.frontend_routes
  listener_arn = aws_lb_listener.https.arn
  priority     = each.value.priority

  action {
    type             = "forward"
    target_group_arn = aws_lb_target_group.frontend.arn
  }

  condition {
    dynamic "host_header" {
      for_each = length(each.value.host_header) > 0 ? [each.value.host_header] : []
      content {
        values = host_header.value
      }
    }
    dynamic "path_pattern" {
      for_each = length(each.value.path_pattern) > 0 ? [each.value.path_pattern] : []
      content {
        values = path_pattern.value
      }
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

# The web ACL itself is module.waf; the association belongs with what it protects.
resource "aws_wafv2_web_acl_association" "this" {
  resource_arn = aws_lb.this.arn
  web_acl_arn  = var.web_acl_arn
}

# ---------------------------------------------------------------- access logs

module "logs" {
  source            = "../hardened_bucket"
  bucket_prefix     = "${var.short_name}-alb-logs-"
  force_destroy     = !var.deletion_protection
  lifecycle_rule_id = "expire-access-logs"
  expiration_days   = var.log_retention_days
  policy_documents  = [data.aws_iam_policy_document.logs.json]
}

# The region's load balancer account writes the access logs.
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
}
