"""Evaluates the names Terraform gives AWS resources, per environment, from the HCL itself.

python-hcl2 parses the configuration; this module resolves the small part of the expression
language that names are built from (var., local., each.key over a literal set, count.index,
terraform.workspace, trimprefix) with the values of a tfvars file. A name built from anything
else cannot be checked before apply and is reported as such rather than guessed.
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

from conftest import TERRAFORM, load_hcl, module_files, unwrap


class Unknown(Exception):
    """The expression depends on something only known at apply time."""


UNKNOWN = object()
NAME_ATTRIBUTES = {"name", "name_prefix", "bucket", "bucket_prefix", "identifier", "identifier_prefix",
                   "replication_group_id", "family", "dashboard_name", "alarm_name", "final_snapshot_identifier"}


@dataclass
class Resource:
    module: str          # "root" or the module call's name
    kind: str            # aws_lb, ...
    label: str           # the resource's name in HCL
    key: str | None      # each.key / count.index of this instance
    body: dict
    scope: dict

    def attribute(self, path: str):
        """The evaluated value at a dotted path (`access_logs.prefix`), or None when absent."""
        value = self.body
        for part in path.split("."):
            value = unwrap(value)
            if not isinstance(value, dict) or part not in value:
                return None
            value = value[part]
        return evaluate(unwrap(value), {**self.scope, "each": {"key": self.key, "value": self.key},
                                        "count": {"index": self.key}})

    def __str__(self) -> str:
        suffix = f'["{self.key}"]' if self.key is not None else ""
        prefix = "" if self.module == "root" else f"module.{self.module}."
        return f"{prefix}{self.kind}.{self.label}{suffix}"


def _closing_brace(text: str, start: int) -> int:
    depth = 0
    for index in range(start, len(text)):
        if text[index] == "{":
            depth += 1
        elif text[index] == "}":
            depth -= 1
            if depth == 0:
                return index
    raise ValueError(f"unbalanced braces in {text!r}")


def evaluate(value, scope: dict):
    """A literal stays as it is; a string template has each ${...} resolved."""
    if not isinstance(value, str) or "${" not in value:
        return value
    whole = re.fullmatch(r"\$\{(.*)\}", value, re.S)
    if whole and _closing_brace(value, 1) == len(value) - 1:
        return expression(whole.group(1).strip(), scope)
    out, index = [], 0
    while (start := value.find("${", index)) >= 0:
        end = _closing_brace(value, start + 1)
        out.append(value[index:start])
        out.append(str(expression(value[start + 2:end].strip(), scope)))
        index = end + 1
    out.append(value[index:])
    return "".join(out)


def expression(expr: str, scope: dict):
    if expr == "terraform.workspace":
        return scope["workspace"]
    reference = re.fullmatch(r"(var|local|each|count)\.([A-Za-z_][\w-]*)", expr)
    if reference:
        kind, name = reference.groups()
        value = scope.get(kind, {}).get(name, UNKNOWN)
        if value is UNKNOWN or value is None:
            raise Unknown(expr)
        return evaluate(value, scope)
    call = re.fullmatch(r'trimprefix\((.+), "([^"]*)"\)', expr)
    if call:
        return str(expression(call.group(1).strip(), scope)).removeprefix(call.group(2))
    literal_set = re.fullmatch(r"toset\(\[(.*)\]\)", expr)
    if literal_set:
        return [item.strip().strip("'\"") for item in literal_set.group(1).split(",") if item.strip()]
    string = re.fullmatch(r'"([^"$]*)"', expr)
    if string:
        return string.group(1)
    raise Unknown(expr)


def _settle(definitions: dict, scope: dict, kind: str) -> dict:
    """Resolves definitions that refer to each other (locals) as far as they can be."""
    resolved = {name: UNKNOWN for name in definitions}
    scope = {**scope, kind: resolved}
    for _ in range(len(definitions) + 1):
        for name, raw in definitions.items():
            try:
                resolved[name] = evaluate(raw, scope)
            except Unknown:
                resolved[name] = UNKNOWN
    return resolved


def _locals(directory: Path) -> dict:
    merged = {}
    for path in module_files(directory):
        for entry in load_hcl(path).get("locals", []):
            merged.update({k: unwrap(v) for k, v in entry.items() if not k.startswith("__")})
    return merged


def _blocks(directory: Path, kind: str) -> dict:
    merged = {}
    for path in module_files(directory):
        for entry in load_hcl(path).get(kind, []):
            merged.update(entry)
    return merged


def _defaults(directory: Path) -> dict:
    return {name: unwrap(spec["default"]) for name, spec in _blocks(directory, "variable").items() if "default" in spec}


def _resources(module: str, directory: Path, scope: dict) -> list[Resource]:
    """The resources of one module instance and of the modules it calls, recursively."""
    scope = {**scope, "local": _settle(_locals(directory), scope, "local")}
    found = []
    for path in module_files(directory):
        for entry in load_hcl(path).get("resource", []):
            for kind, instances in entry.items():
                for label, body in instances.items():
                    keys: list = [None]
                    if "for_each" in body:
                        try:
                            keys = list(evaluate(unwrap(body["for_each"]), scope))
                        except Unknown:
                            keys = ["<unknown for_each key>"]
                    elif "count" in body:
                        keys = ["0"]
                    found += [Resource(module, kind, label, key, body, scope) for key in keys]
    for name, call in _blocks(directory, "module").items():
        child = (directory / unwrap(call["source"])).resolve()
        inputs = dict(_defaults(child))
        for argument, raw in call.items():
            try:
                inputs[argument] = evaluate(unwrap(raw), scope)
            except Unknown:
                inputs[argument] = UNKNOWN
        label = name if module == "root" else f"{module}.module.{name}"
        found += _resources(label, child, {"var": inputs, "workspace": scope["workspace"]})
    return found


def resources(tfvars: dict, workspace: str) -> list[Resource]:
    """Every resource instance of the root module and the modules it calls, for one environment."""
    return _resources("root", TERRAFORM, {"var": {**_defaults(TERRAFORM), **tfvars}, "workspace": workspace})
