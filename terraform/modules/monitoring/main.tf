# Dashboard and the guide's four alarms, all notifying one SNS topic.
# The dashboard body is cloudwatch/dashboard.json rendered with this
# environment's names; the alarms mirror cloudwatch/alarms.json (a test keeps
# the two in step).

resource "aws_sns_topic" "alarms" {
  name              = "${var.name}-alarms"
  kms_master_key_id = var.kms_key_arn
}

resource "aws_sns_topic_subscription" "email" {
  count     = var.alarm_email == "" ? 0 : 1
  topic_arn = aws_sns_topic.alarms.arn
  protocol  = "email"
  endpoint  = var.alarm_email
}

resource "aws_cloudwatch_dashboard" "this" {
  dashboard_name = var.name
  dashboard_body = templatefile(var.dashboard_template_path, {
    aws_region                    = var.aws_region
    environment                   = var.environment
    alb_arn_suffix                = var.alb_arn_suffix
    blue_target_group_arn_suffix  = var.target_group_arn_suffixes["blue"]
    green_target_group_arn_suffix = var.target_group_arn_suffixes["green"]
    ecs_cluster_name              = var.ecs_cluster_name
    ecs_service_blue_name         = var.ecs_service_names["blue"]
    ecs_service_green_name        = var.ecs_service_names["green"]
    rds_instance_id               = var.rds_instance_id
    redis_cluster_id              = var.redis_cluster_id
  })
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

# CPU above 70 % for 10 minutes, per colour (the idle colour reports nothing).
resource "aws_cloudwatch_metric_alarm" "cpu" {
  for_each            = var.ecs_service_names
  alarm_name          = "${var.name}-backend-${each.key}-cpu"
  alarm_description   = "API CPU above 70 % for 10 minutes (${each.key})"
  namespace           = "AWS/ECS"
  metric_name         = "CPUUtilization"
  statistic           = "Average"
  period              = 60
  evaluation_periods  = 10
  datapoints_to_alarm = 10
  threshold           = 70
  comparison_operator = "GreaterThanThreshold"
  treat_missing_data  = "notBreaching"
  dimensions          = { ClusterName = var.ecs_cluster_name, ServiceName = each.value }
  alarm_actions       = [aws_sns_topic.alarms.arn]
  ok_actions          = [aws_sns_topic.alarms.arn]
}

# Memory above 75 % for 10 minutes, per colour.
resource "aws_cloudwatch_metric_alarm" "memory" {
  for_each            = var.ecs_service_names
  alarm_name          = "${var.name}-backend-${each.key}-memory"
  alarm_description   = "API memory above 75 % for 10 minutes (${each.key})"
  namespace           = "AWS/ECS"
  metric_name         = "MemoryUtilization"
  statistic           = "Average"
  period              = 60
  evaluation_periods  = 10
  datapoints_to_alarm = 10
  threshold           = 75
  comparison_operator = "GreaterThanThreshold"
  treat_missing_data  = "notBreaching"
  dimensions          = { ClusterName = var.ecs_cluster_name, ServiceName = each.value }
  alarm_actions       = [aws_sns_topic.alarms.arn]
  ok_actions          = [aws_sns_topic.alarms.arn]
}
