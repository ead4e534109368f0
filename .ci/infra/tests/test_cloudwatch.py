"""cloudwatch/dashboard.json and alarms.json: accepted by moto's CloudWatch, metric names real, in step with Terraform."""
import json
import re

import boto3
import pytest
from moto import mock_aws

from conftest import ROOT, TERRAFORM, load_hcl, unwrap

DASHBOARD = ROOT / "cloudwatch" / "dashboard.json"
ALARMS = ROOT / "cloudwatch" / "alarms.json"
MONITORING = TERRAFORM / "modules" / "monitoring" / "main.tf"
PLACEHOLDER = re.compile(r"\$\{([A-Za-z_][A-Za-z0-9_]*)\}")
REGION = "eu-west-1"

# Metric names AWS publishes in each namespace (from the CloudWatch metrics pages of
# ELB, ECS/Container Insights, RDS and ElastiCache); a typo here would draw an empty graph.
KNOWN_METRICS = {
    "AWS/ApplicationELB": {
        "ActiveConnectionCount", "ConsumedLCUs", "HealthyHostCount", "HTTPCode_ELB_3XX_Count",
        "HTTPCode_ELB_4XX_Count", "HTTPCode_ELB_5XX_Count", "HTTPCode_Target_2XX_Count",
        "HTTPCode_Target_3XX_Count", "HTTPCode_Target_4XX_Count", "HTTPCode_Target_5XX_Count",
        "NewConnectionCount", "ProcessedBytes", "RejectedConnectionCount", "RequestCount",
        "RequestCountPerTarget", "TargetConnectionErrorCount", "TargetResponseTime", "UnHealthyHostCount",
    },
    "AWS/ECS": {"CPUReservation", "CPUUtilization", "MemoryReservation", "MemoryUtilization"},
    "AWS/RDS": {
        "BinLogDiskUsage", "CPUUtilization", "DatabaseConnections", "DiskQueueDepth", "FreeableMemory",
        "FreeStorageSpace", "NetworkReceiveThroughput", "NetworkTransmitThroughput", "ReadIOPS",
        "ReadLatency", "ReadThroughput", "ReplicaLag", "SwapUsage", "WriteIOPS", "WriteLatency",
        "WriteThroughput",
    },
    "AWS/ElastiCache": {
        "CacheHitRate", "CacheHits", "CacheMisses", "CPUUtilization", "CurrConnections", "CurrItems",
        "DatabaseMemoryUsagePercentage", "EngineCPUUtilization", "Evictions", "FreeableMemory",
        "NetworkBytesIn", "NetworkBytesOut", "NewConnections", "ReplicationLag",
    },
}

SAMPLE = {
    "aws_region": REGION,
    "environment": "prod",
    "alb_arn_suffix": "app/interaction-management-prod-alb/0123456789abcdef",
    "blue_target_group_arn_suffix": "targetgroup/ims-prod-blue/0123456789abcdef",
    "green_target_group_arn_suffix": "targetgroup/ims-prod-green/fedcba9876543210",
    "ecs_cluster_name": "interaction-management-prod",
    "ecs_service_blue_name": "interaction-management-prod-backend-blue",
    "ecs_service_green_name": "interaction-management-prod-backend-green",
    "rds_instance_id": "interaction-management-prod-db",
    "redis_cluster_id": "interaction-management-prod-redis-001",
}


def render(text: str, values: dict) -> str:
    return PLACEHOLDER.sub(lambda m: values[m.group(1)], text)


def expand(rows: list) -> list[tuple[str, str, dict]]:
    """(namespace, metric name, options) of each metric row, resolving the "." and "..." shorthands."""
    expanded, previous = [], []
    for row in rows:
        options = row[-1] if isinstance(row[-1], dict) else {}
        items = row[:-1] if options else list(row)
        if items and items[0] == "...":
            tail = items[1:]
            items = previous[:len(previous) - len(tail)] + tail if tail else list(previous)
        else:
            items = [previous[i] if item == "." else item for i, item in enumerate(items)]
        if "expression" in options:
            expanded.append(("", "", options))
            continue
        previous = items
        expanded.append((items[0], items[1], options))
    return expanded


def terraform_template_keys() -> set[str]:
    call = re.search(r"templatefile\(var\.dashboard_template_path, \{(.*?)\}\)", MONITORING.read_text(), re.S)
    return set(re.findall(r"^\s*(\w+)\s*=", call.group(1), re.M))


@pytest.fixture(scope="module")
def dashboard() -> dict:
    return json.loads(render(DASHBOARD.read_text(encoding="utf-8"), SAMPLE))


@pytest.fixture(scope="module")
def alarms() -> list[dict]:
    return json.loads(ALARMS.read_text(encoding="utf-8"))["alarms"]


def test_dashboard_placeholders_are_exactly_what_terraform_passes():
    assert set(PLACEHOLDER.findall(DASHBOARD.read_text(encoding="utf-8"))) == terraform_template_keys() == set(SAMPLE)


def test_every_dashboard_metric_exists_in_its_namespace(dashboard):
    for widget in (w for w in dashboard["widgets"] if w["type"] == "metric"):
        for namespace, metric, _ in expand(widget["properties"]["metrics"]):
            if namespace:
                assert metric in KNOWN_METRICS.get(namespace, set()), f"{widget['properties']['title']}: {namespace} {metric}"


def test_dashboard_shows_what_the_guide_asks_for(dashboard):
    seen = {(ns, m, o.get("stat")) for w in dashboard["widgets"] if w["type"] == "metric"
            for ns, m, o in expand(w["properties"]["metrics"])}
    for stat in ("p50", "p95", "p99"):
        assert ("AWS/ApplicationELB", "TargetResponseTime", stat) in seen
    metrics = {(ns, m) for ns, m, _ in seen}
    for wanted in [("AWS/ApplicationELB", "HTTPCode_Target_5XX_Count"), ("AWS/ApplicationELB", "RequestCount"),
                   ("AWS/ECS", "CPUUtilization"), ("AWS/ECS", "MemoryUtilization"),
                   ("AWS/RDS", "DatabaseConnections"), ("AWS/RDS", "CPUUtilization"), ("AWS/RDS", "ReadLatency"),
                   ("AWS/ElastiCache", "CacheHits"), ("AWS/ElastiCache", "CacheMisses"),
                   ("AWS/ElastiCache", "Evictions")]:
        assert wanted in metrics, wanted


def test_dashboard_expressions_only_use_ids_defined_in_their_widget(dashboard):
    for widget in (w for w in dashboard["widgets"] if w["type"] == "metric"):
        rows = expand(widget["properties"]["metrics"])
        ids = {o["id"] for _, _, o in rows if "id" in o}
        for _, _, options in rows:
            if "expression" in options:
                used = set(re.findall(r"\b[a-z][A-Za-z0-9_]*\b", options["expression"]))  # functions are upper case
                assert used <= ids, f"{widget['properties']['title']}: unknown ids {used - ids}"


@mock_aws
def test_moto_cloudwatch_accepts_the_dashboard(dashboard):
    cloudwatch = boto3.client("cloudwatch", region_name=REGION)
    body = json.dumps(dashboard)
    response = cloudwatch.put_dashboard(DashboardName="interaction-management-prod", DashboardBody=body)
    assert response.get("DashboardValidationMessages", []) == []
    stored = cloudwatch.get_dashboard(DashboardName="interaction-management-prod")
    assert json.loads(stored["DashboardBody"]) == dashboard


@mock_aws
def test_moto_cloudwatch_accepts_the_alarms(alarms):
    cloudwatch = boto3.client("cloudwatch", region_name=REGION)
    values = {**SAMPLE, "name": "interaction-management-prod", "colour": "blue",
              "ecs_service_name": SAMPLE["ecs_service_blue_name"],
              "sns_alarm_topic_arn": f"arn:aws:sns:{REGION}:123456789012:interaction-management-prod-alarms"}
    for alarm in alarms:
        request = json.loads(render(json.dumps({k: v for k, v in alarm.items() if k != "key"}), values))
        for metric in [request] + [q["MetricStat"]["Metric"] for q in request.get("Metrics", []) if "MetricStat" in q]:
            if "MetricName" in metric:
                assert metric["MetricName"] in KNOWN_METRICS[metric["Namespace"]]
        cloudwatch.put_metric_alarm(**request)
    names = {a["AlarmName"] for a in cloudwatch.describe_alarms()["MetricAlarms"]}
    assert len(names) == 4


def test_alarms_have_the_guides_thresholds_and_durations(alarms):
    by_key = {a["key"]: a for a in alarms}
    expected = {  # key: (threshold, minutes)
        "response_time": (0.5, 5), "error_rate": (1, 5), "cpu": (70, 10), "memory": (75, 10),
    }
    assert set(by_key) == set(expected)
    for key, (threshold, minutes) in expected.items():
        alarm = by_key[key]
        assert alarm["Threshold"] == threshold, key
        assert alarm["Period"] * alarm["EvaluationPeriods"] == minutes * 60, key
        assert alarm["DatapointsToAlarm"] == alarm["EvaluationPeriods"], key
        assert alarm["ComparisonOperator"] == "GreaterThanThreshold"
        assert alarm["AlarmActions"] == ["${sns_alarm_topic_arn}"]
    assert by_key["response_time"]["ExtendedStatistic"] == "p95"


def test_terraform_alarms_match_alarms_json(alarms):
    resources = {}
    for entry in load_hcl(MONITORING).get("resource", []):
        resources.update(entry.get("aws_cloudwatch_metric_alarm", {}))
    assert set(resources) == {a["key"] for a in alarms}
    for alarm in alarms:
        resource = resources[alarm["key"]]
        assert float(unwrap(resource["threshold"])) == alarm["Threshold"], alarm["key"]
        assert int(unwrap(resource["evaluation_periods"])) == alarm["EvaluationPeriods"], alarm["key"]
        assert int(unwrap(resource["datapoints_to_alarm"])) == alarm["DatapointsToAlarm"], alarm["key"]
        assert unwrap(resource["comparison_operator"]) == alarm["ComparisonOperator"]
        assert "aws_sns_topic.alarms.arn" in str(resource["alarm_actions"])
        if "MetricName" in alarm:
            assert unwrap(resource["metric_name"]) == alarm["MetricName"]
            assert unwrap(resource["namespace"]) == alarm["Namespace"]
            assert int(unwrap(resource["period"])) == alarm["Period"]
        else:
            queries = resource["metric_query"]
            expression = next(unwrap(q["expression"]) for q in queries if "expression" in q)
            assert expression == alarm["Metrics"][0]["Expression"]
