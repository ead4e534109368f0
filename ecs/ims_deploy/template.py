"""Render the task-definition template the way `envsubst` would, but strictly and JSON-safely."""

import difflib
import json
import re
from typing import Mapping

from ims_deploy.errors import UsageError

PLACEHOLDER = re.compile(r"\$\{([A-Za-z_][A-Za-z0-9_]*)\}")

# Fields describe-task-definition returns but register-task-definition rejects, so a template
# copied from the console or from `aws ecs describe-task-definition` still registers.
READ_ONLY_FIELDS = (
    "taskDefinitionArn",
    "revision",
    "status",
    "requiresAttributes",
    "compatibilities",
    "registeredAt",
    "registeredBy",
    "deregisteredAt",
)


def placeholders(text: str) -> list[str]:
    """The variable names a template refers to, sorted, each once."""
    return sorted(set(PLACEHOLDER.findall(text)))


def parse_vars(pairs: list[str]) -> dict[str, str]:
    """`--var KEY=VALUE` flags as a dict; the last one of a key wins."""
    values = {}
    for pair in pairs:
        key, sep, value = pair.partition("=")
        if not sep or not re.fullmatch(r"[A-Za-z_][A-Za-z0-9_]*", key):
            raise UsageError(f"--var wants KEY=VALUE, got {pair!r}")
        values[key] = value
    return values


def render(text: str, variables: Mapping[str, str]) -> str:
    """Substitute every `${NAME}`; an unset name is an error that lists all of them.

    Values are escaped for a JSON string, because the placeholders sit inside JSON strings and a
    quote or backslash in a value (a password, a JSON blob) must not break the document.
    """
    missing = [name for name in placeholders(text) if name not in variables]
    if missing:
        raise UsageError("template variables not set: " + ", ".join(missing))
    return PLACEHOLDER.sub(lambda m: json.dumps(variables[m.group(1)])[1:-1], text)


def task_definition_request(text: str, variables: Mapping[str, str], source: str) -> dict:
    """The keyword arguments for `ecs.register_task_definition` from a template's text."""
    rendered = render(text, variables)
    try:
        document = json.loads(rendered)
    except json.JSONDecodeError as exc:
        raise UsageError(f"{source}: not valid JSON after rendering: {exc}") from None
    if not isinstance(document, dict):
        raise UsageError(f"{source}: expected a JSON object")
    for field in ("family", "containerDefinitions"):
        if not document.get(field):
            raise UsageError(f"{source}: missing {field!r}")
    return {key: value for key, value in document.items() if key not in READ_ONLY_FIELDS}


def check_given(text: str, given: Mapping[str, str]) -> None:
    """Every `--var` must name a placeholder of the template: a misspelt one would otherwise be
    ignored while the environment (or nothing) fills the real one in."""
    names = placeholders(text)
    for key in given:
        if key not in names:
            close = difflib.get_close_matches(key, names, n=1)
            hint = f" (did you mean {close[0]}?)" if close else f" (it has: {', '.join(names) or 'none'})"
            raise UsageError(f"--var {key}: the template has no ${{{key}}}{hint}")


def load_task_definition(path: str, environ: Mapping[str, str], given: Mapping[str, str] | None = None) -> dict:
    """The register_task_definition request from the template at `path`: `${NAME}` from `given`
    (the --var flags, each of which must be a placeholder) or else from `environ`."""
    try:
        with open(path, encoding="utf-8") as handle:
            text = handle.read()
    except OSError as exc:
        raise UsageError(f"cannot read template {path}: {exc.strerror}") from None
    given = given or {}
    check_given(text, given)
    return task_definition_request(text, {**environ, **given}, path)
