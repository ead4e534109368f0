# The guide's monitoring: dashboard InteractionManagementSystem (the committed
# cloudwatch/dashboard.json, the same body `aws cloudwatch put-dashboard` puts),
# the four alarms plus one on unhealthy targets, all notifying the SNS topic
# InteractionManagementAlarms, and Logs Insights queries for diagnostics. The
# alarms mirror cloudwatch/alarms.json (a test keeps the two in step).

locals {
  colours = toset(["blue", "green"])
  # The API service's utilisation alarms by alarms.json key, and one instance of each
  # per colour ("blue-cpu", ...).
  utilisation = {
    cpu    = { label = "CPU", metric_name = "CPUUtilization", threshold = 70 }
    memory = { label = "memory", metric_name = "MemoryUtilization", threshold = 75 }
  }
  utilisation_alarms = {
    for pair in setproduct(local.colours, keys(local.utilisation)) :
    "${pair[0]}-${pair[1]}" => merge(local.utilisation[pair[1]], { colour = pair[0] })
  }
}

resource "aws_sns_topic" "alarms" {
  name              = "InteractionManagementAlarms"
  kms_master_key_id = var.kms_key_arn
}

resource "aws_sns_topic_subscription" "email" {
  count     = var.alarm_email == "" ? 0 : 1
  topic_arn = aws_sns_topic.alarms.arn
  protocol  = "email"
  endpoint  = var.alarm_email
}

# The file's graphs find this account's metrics with SEARCH expressions, so one
# body serves every environment; only its region is that of the guide (us-east-1).
resource "aws_cloudwatch_dashboard" "this" {
  dashboard_name = "InteractionManagementSystem"
  dashboard_body = replace(file(var.dashboard_path), "\"region\": \"us-east-1\"", "\"region\": \"${var.aws_region}\"")
}

# p95 response time above 500 ms for 5 minutes.
resource "aws_cloudwatch_metric_alarm" "response_time" {
  alarm_name          = "${var.name}-api-response-time-p95"
  alarm_description   = "API p95 response time above 500 ms for 5 minutes"
  namespace           = "AWS/ApplicationELB"
  metric_name         = "TargetResponseTime"
  extended_statistic  = "p95"
  period              = 60
  evaluation_periods  = 5
  datapoints_to_alarm = 5
  threshold           = 0.5
  comparison_operator = "GreaterThanThreshold"
  treat_missing_data  = "notBreaching"
  dimensions          = { LoadBalancer = var.alb_arn_suffix }
  alarm_actions       = [aws_sns_topic.alarms.arn]
  ok_actions          = [aws_sns_topic.alarms.arn]
}

# 5xx responses (from the targets and the ALB itself) above 1 % of requests for 5 minutes.
resource "aws_cloudwatch_metric_alarm" "error_rate" {
  alarm_name          = "${var.name}-api-5xx-rate"
  alarm_description   = "API 5xx responses above 1 % of requests for 5 minutes"
  evaluation_periods  = 5
  datapoints_to_alarm = 5
  threshold           = 1
  comparison_operator = "GreaterThanThreshold"
  treat_missing_data  = "notBreaching"
  alarm_actions       = [aws_sns_topic.alarms.arn]
  ok_actions          = [aws_sns_topic.alarms.arn]

  metric_query {
    id          = "rate"
    expression  = "100 * (FILL(target5xx, 0) + FILL(elb5xx, 0)) / requests"
    label       = "5xx rate (%)"
    return_data = true
  }

  metric_query {
    id = "target5xx"
    metric {
      namespace   = "AWS/ApplicationELB"
      metric_name = "HTTPCode_Target_5XX_Count"
      dimensions  = { LoadBalancer = var.alb_arn_suffix }
      period      = 60
      stat        = "Sum"
    }
  }

  metric_query {
    id = "elb5xx"
    metric {
      namespace   = "AWS/ApplicationELB"
      metric_name = "HTTPCode_ELB_5XX_Count"
      dimensions  = { LoadBalancer = var.alb_arn_suffix }
      period      = 60
      stat        = "Sum"
    }
  }

  metric_query {
    id = "requests"
    metric {
      namespace   = "AWS/ApplicationELB"
      metric_name = "RequestCount"
      dimensions  = { LoadBalancer = var.alb_arn_suffix }
      period      = 60
      stat        = "Sum"
    }
  }
}

# CPU above 70 % and memory above 75 % for 10 minutes, per colour (the idle colour
# reports nothing): cloudwatch/alarms.json's cpu and memory, one alarm per colour each.
resource "aws_cloudwatch_metric_alarm" "utilisation" {
  for_each            = local.utilisation_alarms
  alarm_name          = "${var.name}-backend-${each.key}"
  alarm_description   = "API ${each.value.label} above ${each.value.threshold} % for 10 minutes (${each.value.colour})"
  namespace           = "AWS/ECS"
  metric_name         = each.value.metric_name
  statistic           = "Average"
  period              = 60
  evaluation_periods  = 10
  datapoints_to_alarm = 10
  threshold           = each.value.threshold
  comparison_operator = "GreaterThanThreshold"
  treat_missing_data  = "notBreaching"
  dimensions          = { ClusterName = var.ecs_cluster_name, ServiceName = var.ecs_service_names[each.value.colour] }
  alarm_actions       = [aws_sns_topic.alarms.arn]
  ok_actions          = [aws_sns_topic.alarms.arn]
}

# Health-check failures: any target the ALB finds unhealthy for 3 minutes, per
# target group (blue, green, frontend).
resource "aws_cloudwatch_metric_alarm" "unhealthy_targets" {
  for_each            = toset(["blue", "green", "frontend"])
  alarm_name          = "${var.name}-${each.key}-unhealthy-targets"
  alarm_description   = "ALB health checks fail on ${each.key} targets for 3 minutes"
  namespace           = "AWS/ApplicationELB"
  metric_name         = "UnHealthyHostCount"
  statistic           = "Maximum"
  period              = 60
  evaluation_periods  = 3
  datapoints_to_alarm = 3
  threshold           = 0
  comparison_operator = "GreaterThanThreshold"
  treat_missing_data  = "notBreaching"
  dimensions          = { LoadBalancer = var.alb_arn_suffix, TargetGroup = var.target_group_arn_suffixes[each.key] }
  alarm_actions       = [aws_sns_topic.alarms.arn]
  ok_actions          = [aws_sns_topic.alarms.arn]
}

# ---------------------------------------------------------------- Logs Insights

# The API logs one JSON line per request (logger ims.access: method, path,
# status, duration_ms, remote_addr) and its errors with level ERROR.
resource "aws_cloudwatch_query_definition" "error_frequency" {
  name            = "InteractionManagement/error-frequency"
  log_group_names = [var.backend_log_group_name]
  query_string    = <<-EOT
    fields @timestamp, level, logger, message, status, path
    | filter level in ["ERROR", "CRITICAL"] or status >= 500
    | stats count(*) as errors by bin(5m) as period, logger
    | sort period desc
  EOT
}

resource "aws_cloudwatch_query_definition" "slow_endpoints" {
  name            = "InteractionManagement/slow-endpoints"
  log_group_names = [var.backend_log_group_name]
  query_string    = <<-EOT
    fields method, path, duration_ms
    | filter logger = "ims.access"
    | stats count(*) as requests, avg(duration_ms) as avg_ms, pct(duration_ms, 95) as p95_ms, max(duration_ms) as max_ms by method, path
    | filter p95_ms > 500
    | sort p95_ms desc
    | limit 25
  EOT
}

resource "aws_cloudwatch_query_definition" "authentication_failures" {
  name            = "InteractionManagement/authentication-failures"
  log_group_names = [var.backend_log_group_name]
  query_string    = <<-EOT
    fields @timestamp, path, status, remote_addr
    | filter logger = "ims.access" and path like "/api/auth/" and status in [401, 423, 429]
    | stats count(*) as failures by bin(5m) as period, path, status, remote_addr
    | sort period desc, failures desc
  EOT
}
