"""Rendering the task-definition template, envsubst-style but strict and JSON-safe."""

import json
from pathlib import Path

import pytest

from ims_deploy.errors import UsageError
from ims_deploy.template import load_task_definition, parse_vars, placeholders, render, task_definition_request

REAL_TEMPLATE = Path(__file__).resolve().parents[1] / "task-definition-template.json"


def test_placeholders_are_replaced_from_the_variables():
    assert render('{"image": "${REPO}:${TAG}"}', {"REPO": "ims", "TAG": "v2"}) == '{"image": "ims:v2"}'


def test_all_unset_variables_are_named_at_once():
    with pytest.raises(UsageError, match="template variables not set: A, B$"):
        render("${B} ${A} ${B} ${C}", {"C": "x"})


def test_values_are_escaped_for_json_strings():
    text = render('{"v": "${V}"}', {"V": 'a "quoted"\\path\nline'})
    assert json.loads(text) == {"v": 'a "quoted"\\path\nline'}


def test_bare_dollars_are_left_alone():
    assert render('{"cmd": "echo $HOME ${X}"}', {"X": "1"}) == '{"cmd": "echo $HOME 1"}'


def test_fields_that_registration_rejects_are_dropped():
    request = task_definition_request(json.dumps({
        "family": "ims-backend", "containerDefinitions": [{"name": "api"}],
        "taskDefinitionArn": "arn", "revision": 3, "status": "ACTIVE", "compatibilities": ["FARGATE"],
    }), {}, "t.json")
    assert request == {"family": "ims-backend", "containerDefinitions": [{"name": "api"}]}


@pytest.mark.parametrize("text, message", [
    ("{not json", "not valid JSON"),
    ("[]", "expected a JSON object"),
    ('{"family": "x"}', "missing 'containerDefinitions'"),
])
def test_broken_templates_are_usage_errors(text, message):
    with pytest.raises(UsageError, match=message):
        task_definition_request(text, {}, "t.json")


def test_missing_template_file_is_a_usage_error(tmp_path):
    with pytest.raises(UsageError, match="cannot read template"):
        load_task_definition(str(tmp_path / "absent.json"), {})


def test_var_flags_parse_and_reject_malformed_pairs():
    assert parse_vars(["A=1", "B=x=y", "A=2"]) == {"A": "2", "B": "x=y"}
    with pytest.raises(UsageError):
        parse_vars(["1A=x"])


def test_the_real_template_renders_completely():
    text = REAL_TEMPLATE.read_text()
    names = placeholders(text)
    # STORAGE_GIB stands bare in the template: ECS wants ephemeralStorage.sizeInGiB as a number.
    values = {name: "21" if name == "STORAGE_GIB" else f"value-of-{name}" for name in names}
    request = load_task_definition(str(REAL_TEMPLATE), values)

    rendered = json.dumps(request)
    assert "${" not in rendered
    assert request["family"]
    assert all(c.get("name") and c.get("image") for c in request["containerDefinitions"])
