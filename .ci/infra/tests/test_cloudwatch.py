"""cloudwatch/dashboard.json and alarms.json: usable as committed, metric names real, in step with Terraform."""
import json
import re

import boto3
import pytest
from moto import mock_aws

from conftest import ROOT, TERRAFORM, declared, expressions, load_hcl, resources_of, unwrap

DASHBOARD = ROOT / "cloudwatch" / "dashboard.json"
ALARMS = ROOT / "cloudwatch" / "alarms.json"
MONITORING = TERRAFORM / "modules" / "monitoring" / "main.tf"
PLACEHOLDER = re.compile(r"\$\{([A-Za-z_][A-Za-z0-9_]*)\}")
REGION = "us-east-1"

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
    "name": "interaction-management-prod",
    "alb_arn_suffix": "app/ims-prod-alb/0123456789abcdef",
    "target_group_arn_suffix": "targetgroup/ims-prod-frontend/0123456789abcdef",
    "target": "frontend",
    "colour": "blue",
    "ecs_cluster_name": "interaction-management-prod",
    "ecs_service_name": "interaction-management-prod-backend-blue",
    "sns_alarm_topic_arn": f"arn:aws:sns:{REGION}:123456789012:InteractionManagementAlarms",
}
SEARCH = re.compile(r"SEARCH\('\{([^,}]+)((?:,[^,}]+)*)\} MetricName=\"(\w+)\"', '(\w+)', (\d+)\)")


def render(text: str, values: dict) -> str:
    return PLACEHOLDER.sub(lambda m: values[m.group(1)], text)


def metric_rows(dashboard: dict):
    """(widget title, options) of every row of every metric widget."""
    for widget in (w for w in dashboard["widgets"] if w["type"] == "metric"):
        for row in widget["properties"]["metrics"]:
            yield widget["properties"]["title"], row[-1] if isinstance(row[-1], dict) else {}


@pytest.fixture(scope="module")
def dashboard() -> dict:
    return json.loads(DASHBOARD.read_text(encoding="utf-8"))


@pytest.fixture(scope="module")
def alarms() -> list[dict]:
    return json.loads(ALARMS.read_text(encoding="utf-8"))["alarms"]


def test_dashboard_is_usable_as_committed_without_rendering():
    """The guide puts file://cloudwatch/dashboard.json as it is: no placeholders may be left for a template engine."""
    text = DASHBOARD.read_text(encoding="utf-8")
    assert "${" not in text and "%{" not in text


def test_every_dashboard_search_names_a_real_metric_and_statistic(dashboard):
    searches = 0
    for title, options in metric_rows(dashboard):
        for namespace, _dims, metric, stat, period in SEARCH.findall(options.get("expression", "")):
            searches += 1
            assert metric in KNOWN_METRICS.get(namespace, set()), f"{title}: {namespace} {metric}"
            assert re.fullmatch(r"Average|Sum|Minimum|Maximum|SampleCount|p\d{1,2}", stat), f"{title}: {stat}"
            assert period == "60"
    assert searches >= 15


def test_dashboard_shows_what_the_guide_asks_for(dashboard):
    seen = {(ns, m, stat) for _, o in metric_rows(dashboard)
            for ns, _d, m, stat, _p in SEARCH.findall(o.get("expression", ""))}
    for stat in ("p50", "p95", "p99"):
        assert ("AWS/ApplicationELB", "TargetResponseTime", stat) in seen
    metrics = {(ns, m) for ns, m, _ in seen}
    for wanted in [("AWS/ApplicationELB", "HTTPCode_Target_5XX_Count"), ("AWS/ApplicationELB", "RequestCount"),
                   ("AWS/ApplicationELB", "HealthyHostCount"), ("AWS/ApplicationELB", "UnHealthyHostCount"),
                   ("AWS/ECS", "CPUUtilization"), ("AWS/ECS", "MemoryUtilization"),
                   ("AWS/RDS", "DatabaseConnections"), ("AWS/RDS", "CPUUtilization"), ("AWS/RDS", "ReadLatency"),
                   ("AWS/ElastiCache", "CacheHits"), ("AWS/ElastiCache", "CacheMisses"),
                   ("AWS/ElastiCache", "Evictions")]:
        assert wanted in metrics, wanted


def test_dashboard_expressions_only_use_ids_defined_in_their_widget(dashboard):
    for widget in (w for w in dashboard["widgets"] if w["type"] == "metric"):
        rows = [row[-1] for row in widget["properties"]["metrics"]]
        ids = {o["id"] for o in rows if "id" in o}
        for options in rows:
            expression = re.sub(r"'[^']*'", "", options.get("expression", ""))  # drop SEARCH's quoted query
            used = set(re.findall(r"\b[a-z][A-Za-z0-9_]*\b", expression))  # functions are upper case
            assert used <= ids, f"{widget['properties']['title']}: unknown ids {used - ids}"


def test_terraform_puts_the_same_file_under_the_guides_name():
    dashboard = resources_of(MONITORING.parent, "aws_cloudwatch_dashboard")["this"]
    assert unwrap(dashboard["dashboard_name"]) == "InteractionManagementSystem"
    assert "file(var.dashboard_path)" in unwrap(dashboard["dashboard_body"])
    assert "templatefile" not in expressions(MONITORING.parent)
    root = declared(TERRAFORM, "module")["monitoring"]
    assert unwrap(root["dashboard_path"]) == "${path.root}/../cloudwatch/dashboard.json"
    regions = {w["properties"].get("region") for w in json.loads(DASHBOARD.read_text())["widgets"] if w["type"] == "metric"}
    assert regions == {"us-east-1"}, "Terraform swaps exactly this region string for the environment's"


@mock_aws
def test_moto_cloudwatch_accepts_the_dashboard(dashboard):
    cloudwatch = boto3.client("cloudwatch", region_name=REGION)
    response = cloudwatch.put_dashboard(DashboardName="InteractionManagementSystem", DashboardBody=json.dumps(dashboard))
    assert response.get("DashboardValidationMessages", []) == []
    stored = cloudwatch.get_dashboard(DashboardName="InteractionManagementSystem")
    assert json.loads(stored["DashboardBody"]) == dashboard


@mock_aws
def test_moto_cloudwatch_accepts_the_alarms(alarms):
    cloudwatch = boto3.client("cloudwatch", region_name=REGION)
    for alarm in alarms:
        request = json.loads(render(json.dumps({k: v for k, v in alarm.items() if k != "key"}), SAMPLE))
        for metric in [request] + [q["MetricStat"]["Metric"] for q in request.get("Metrics", []) if "MetricStat" in q]:
            if "MetricName" in metric:
                assert metric["MetricName"] in KNOWN_METRICS[metric["Namespace"]]
        cloudwatch.put_metric_alarm(**request)
    names = {a["AlarmName"] for a in cloudwatch.describe_alarms()["MetricAlarms"]}
    assert len(names) == 5


def test_alarms_have_the_guides_thresholds_and_durations(alarms):
    by_key = {a["key"]: a for a in alarms}
    expected = {  # key: (threshold, minutes)
        "response_time": (0.5, 5), "error_rate": (1, 5), "cpu": (70, 10), "memory": (75, 10),
    }
    assert set(by_key) == set(expected) | {"unhealthy_targets"}
    unhealthy = by_key["unhealthy_targets"]
    assert (unhealthy["MetricName"], unhealthy["Statistic"], unhealthy["Threshold"]) == ("UnHealthyHostCount", "Maximum", 0)
    for key, (threshold, minutes) in expected.items():
        alarm = by_key[key]
        assert alarm["Threshold"] == threshold, key
        assert alarm["Period"] * alarm["EvaluationPeriods"] == minutes * 60, key
        assert alarm["DatapointsToAlarm"] == alarm["EvaluationPeriods"], key
        assert alarm["ComparisonOperator"] == "GreaterThanThreshold"
        assert alarm["AlarmActions"] == ["${sns_alarm_topic_arn}"]
    assert by_key["response_time"]["ExtendedStatistic"] == "p95"


def _terraform_alarms() -> dict:
    """The monitoring module's alarms by alarms.json key: a resource each, but cpu and memory,
    entries of local.utilisation that the utilisation resource makes once per colour; those
    come back as the resource with the entry's metric and threshold in place of each.value's."""
    resources = _monitoring_resources("aws_cloudwatch_metric_alarm")
    utilisation = resources.pop("utilisation")
    assert unwrap(utilisation["for_each"]) == "${local.utilisation_alarms}"
    local = {}
    for entry in load_hcl(MONITORING).get("locals", []):
        local.update(entry)
    assert "local.utilisation" in unwrap(local["utilisation_alarms"]) and "local.colours" in unwrap(local["utilisation_alarms"])
    for key, values in unwrap(local["utilisation"]).items():
        resources[key] = {**utilisation, **{attribute: [values[attribute]] for attribute in ("metric_name", "threshold")
                                            if unwrap(utilisation[attribute]) == f"${{each.value.{attribute}}}"}}
    return resources


def test_terraform_alarms_match_alarms_json(alarms):
    resources = _terraform_alarms()
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


def _monitoring_resources(kind: str) -> dict:
    found = {}
    for entry in load_hcl(MONITORING).get("resource", []):
        found.update(entry.get(kind, {}))
    return found


def test_alarm_topic_has_the_guides_name_and_every_alarm_notifies_it():
    topic = _monitoring_resources("aws_sns_topic")["alarms"]
    assert unwrap(topic["name"]) == "InteractionManagementAlarms"
    for key, alarm in _monitoring_resources("aws_cloudwatch_metric_alarm").items():
        assert "aws_sns_topic.alarms.arn" in str(alarm["alarm_actions"]), key


def test_unhealthy_target_alarm_covers_every_target_group():
    alarm = _monitoring_resources("aws_cloudwatch_metric_alarm")["unhealthy_targets"]
    assert "blue" in str(alarm["for_each"]) and "green" in str(alarm["for_each"]) and "frontend" in str(alarm["for_each"])
    assert "TargetGroup" in str(alarm["dimensions"])


def test_logs_insights_queries_for_the_guides_three_diagnostics():
    queries = _monitoring_resources("aws_cloudwatch_query_definition")
    assert set(queries) == {"error_frequency", "slow_endpoints", "authentication_failures"}
    for key, query in queries.items():
        assert unwrap(query["log_group_names"]) == "${var.backend_log_group_name}", key
    # Field names the API writes (ims/logs.py: one JSON line per request from the ims.access logger).
    logs = (ROOT / "backend" / "ims" / "logs.py").read_text(encoding="utf-8")
    for field in ("duration_ms", "status", "path", "remote_addr", "level"):
        assert f'"{field}"' in logs, field
    assert "pct(duration_ms, 95)" in unwrap(queries["slow_endpoints"]["query_string"])
    assert "401" in unwrap(queries["authentication_failures"]["query_string"])
    assert '"ERROR"' in unwrap(queries["error_frequency"]["query_string"])
