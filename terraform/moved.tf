# Addresses that changed in a refactoring, so that `terraform plan` on an existing
# environment shows moves, not a destroy and a create. Keep each block until every
# environment has applied past it (.ci/infra/tests/test_moved.py checks that every
# address of the earlier layout is either still declared or moved here).

# The API's service module was named after the AWS service (ecs); its name now says
# what it runs.
moved {
  from = module.ecs
  to   = module.api_service
}

# The web ACL lived inside the ALB module; it has a module of its own now. The
# association stays with the load balancer it protects (module.alb).
moved {
  from = module.alb.aws_wafv2_web_acl.this
  to   = module.waf.aws_wafv2_web_acl.this
}

moved {
  from = module.alb.aws_cloudwatch_log_group.waf
  to   = module.waf.aws_cloudwatch_log_group.this
}

moved {
  from = module.alb.aws_wafv2_web_acl_logging_configuration.this
  to   = module.waf.aws_wafv2_web_acl_logging_configuration.this
}

# Both buckets with the TLS-only policy were built by hand; the hardened bucket
# module (modules/hardened_bucket) builds every bucket now. The log buckets already
# were module calls (module.logs), so their addresses stay; the ALB log bucket's
# policy moves into its module, and the SPA bucket becomes module.site.
moved {
  from = module.alb.aws_s3_bucket_policy.logs
  to   = module.alb.module.logs.aws_s3_bucket_policy.this
}

moved {
  from = module.static_site.aws_s3_bucket.site
  to   = module.static_site.module.site.aws_s3_bucket.this
}

moved {
  from = module.static_site.aws_s3_bucket_public_access_block.site
  to   = module.static_site.module.site.aws_s3_bucket_public_access_block.this
}

moved {
  from = module.static_site.aws_s3_bucket_ownership_controls.site
  to   = module.static_site.module.site.aws_s3_bucket_ownership_controls.this
}

moved {
  from = module.static_site.aws_s3_bucket_versioning.site
  to   = module.static_site.module.site.aws_s3_bucket_versioning.this
}

moved {
  from = module.static_site.aws_s3_bucket_server_side_encryption_configuration.site
  to   = module.static_site.module.site.aws_s3_bucket_server_side_encryption_configuration.this
}

moved {
  from = module.static_site.aws_s3_bucket_lifecycle_configuration.site
  to   = module.static_site.module.site.aws_s3_bucket_lifecycle_configuration.this
}

moved {
  from = module.static_site.aws_s3_bucket_logging.site
  to   = module.static_site.module.site.aws_s3_bucket_logging.this[0]
}

moved {
  from = module.static_site.aws_s3_bucket_policy.site
  to   = module.static_site.module.site.aws_s3_bucket_policy.this
}

# The API and the frontend built their log group, task security group and rules,
# execution role and CPU policy the same way; modules/ecs_service_base builds them for
# both now. The earlier module.ecs addresses reach these through the rename above
# (module.ecs -> module.api_service -> module.api_service.module.service_base). The
# API's CPU policies keep their colour keys; the frontend's single policy becomes the
# "frontend" key, its egress rules take their purpose as key.

moved {
  from = module.api_service.aws_cloudwatch_log_group.backend
  to   = module.api_service.module.service_base.aws_cloudwatch_log_group.this
}

moved {
  from = module.api_service.aws_security_group.tasks
  to   = module.api_service.module.service_base.aws_security_group.tasks
}

moved {
  from = module.api_service.aws_vpc_security_group_ingress_rule.from_alb
  to   = module.api_service.module.service_base.aws_vpc_security_group_ingress_rule.from_alb
}

moved {
  from = module.api_service.aws_vpc_security_group_egress_rule.postgres
  to   = module.api_service.module.service_base.aws_vpc_security_group_egress_rule.this["postgres"]
}

moved {
  from = module.api_service.aws_vpc_security_group_egress_rule.redis
  to   = module.api_service.module.service_base.aws_vpc_security_group_egress_rule.this["redis"]
}

moved {
  from = module.api_service.aws_vpc_security_group_egress_rule.https
  to   = module.api_service.module.service_base.aws_vpc_security_group_egress_rule.this["https"]
}

moved {
  from = module.api_service.module.execution_role
  to   = module.api_service.module.service_base.module.execution_role
}

moved {
  from = module.api_service.aws_appautoscaling_policy.cpu
  to   = module.api_service.module.service_base.aws_appautoscaling_policy.cpu
}

moved {
  from = module.frontend.aws_cloudwatch_log_group.frontend
  to   = module.frontend.module.service_base.aws_cloudwatch_log_group.this
}

moved {
  from = module.frontend.aws_security_group.tasks
  to   = module.frontend.module.service_base.aws_security_group.tasks
}

moved {
  from = module.frontend.aws_vpc_security_group_ingress_rule.from_alb
  to   = module.frontend.module.service_base.aws_vpc_security_group_ingress_rule.from_alb
}

moved {
  from = module.frontend.aws_vpc_security_group_egress_rule.https
  to   = module.frontend.module.service_base.aws_vpc_security_group_egress_rule.this["https"]
}

moved {
  from = module.frontend.module.execution_role
  to   = module.frontend.module.service_base.module.execution_role
}

moved {
  from = module.frontend.aws_appautoscaling_policy.cpu
  to   = module.frontend.module.service_base.aws_appautoscaling_policy.cpu["frontend"]
}

# The two listener rules that send requests to the frontend service are one rule per
# route now (local.frontend_routes in modules/alb).
moved {
  from = module.alb.aws_lb_listener_rule.frontend_host
  to   = module.alb.aws_lb_listener_rule.frontend["host"]
}

moved {
  from = module.alb.aws_lb_listener_rule.frontend_assets
  to   = module.alb.aws_lb_listener_rule.frontend["assets"]
}

# The API's CPU and memory alarms were two resources of the same shape, each once per
# colour; they are one resource over local.utilisation_alarms now, moved instance by
# instance (the names in AWS stay <name>-backend-<colour>-<cpu|memory>).
moved {
  from = module.monitoring.aws_cloudwatch_metric_alarm.cpu["blue"]
  to   = module.monitoring.aws_cloudwatch_metric_alarm.utilisation["blue-cpu"]
}

moved {
  from = module.monitoring.aws_cloudwatch_metric_alarm.cpu["green"]
  to   = module.monitoring.aws_cloudwatch_metric_alarm.utilisation["green-cpu"]
}

moved {
  from = module.monitoring.aws_cloudwatch_metric_alarm.memory["blue"]
  to   = module.monitoring.aws_cloudwatch_metric_alarm.utilisation["blue-memory"]
}

moved {
  from = module.monitoring.aws_cloudwatch_metric_alarm.memory["green"]
  to   = module.monitoring.aws_cloudwatch_metric_alarm.utilisation["green-memory"]
}

# The load balancer's two egress rules (to the API's and the frontend's tasks) are one
# resource over the two services now.
moved {
  from = module.alb.aws_vpc_security_group_egress_rule.to_tasks
  to   = module.alb.aws_vpc_security_group_egress_rule.to_targets["api"]
}

moved {
  from = module.alb.aws_vpc_security_group_egress_rule.to_frontend
  to   = module.alb.aws_vpc_security_group_egress_rule.to_targets["frontend"]
}

# The database's and the cache's security groups (reachable from the API tasks on one
# port) come from one module, modules/store_security_group, now.
moved {
  from = module.database.aws_security_group.db
  to   = module.database.module.security_group.aws_security_group.this
}

moved {
  from = module.database.aws_vpc_security_group_ingress_rule.from_app
  to   = module.database.module.security_group.aws_vpc_security_group_ingress_rule.from_app
}

moved {
  from = module.cache.aws_security_group.redis
  to   = module.cache.module.security_group.aws_security_group.this
}

moved {
  from = module.cache.aws_vpc_security_group_ingress_rule.from_app
  to   = module.cache.module.security_group.aws_vpc_security_group_ingress_rule.from_app
}
