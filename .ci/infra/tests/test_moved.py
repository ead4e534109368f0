"""Refactoring the modules never replaces a deployed object: every resource address an existing
environment may hold in state (.ci/infra/terraform-addresses.txt) is still declared, or a moved
block in terraform/moved.tf takes it to one that is. Both sides come from parsed HCL."""
import functools
import re

import pytest

from conftest import ROOT, TERRAFORM, load_hcl, resource_addresses, unwrap

DEPLOYED = ROOT / ".ci" / "infra" / "terraform-addresses.txt"


def deployed_addresses() -> list[str]:
    lines = DEPLOYED.read_text(encoding="utf-8").splitlines()
    return [line for line in lines if line and not line.startswith("#")]


@functools.cache
def current_addresses() -> frozenset[str]:
    return frozenset(resource_addresses(TERRAFORM))


@functools.cache
def moves() -> list[tuple[str, str]]:
    """(from, to) of every moved block of the root module, without the ${ }."""
    return [(unwrap(block["from"])[2:-1], unwrap(block["to"])[2:-1])
            for block in load_hcl(TERRAFORM / "moved.tf").get("moved", [])]


def without_keys(address: str) -> str:
    return re.sub(r"\[[^\]]*\]", "", address)


def after_moves(address: str, blocks: list[tuple[str, str]]) -> str:
    """Where Terraform finds an object of `address` once the moved blocks are applied: a block
    moves the resource itself, one of its instances (from = x.y["key"]; that every instance has
    its block is test_a_resource_moved_instance_by_instance_moves_every_instance's), or
    (from = module.x) everything inside that module call."""
    for _ in range(len(blocks) + 1):
        for source, target in blocks:
            if address == without_keys(source):
                address = without_keys(target)
                break
            if address.startswith(source + "."):
                address = without_keys(target) + address[len(source):]
                break
        else:
            return address
    raise AssertionError(f"moved blocks go round in a circle from {address}")


def test_the_list_of_deployed_addresses_is_a_real_layout():
    deployed = deployed_addresses()
    assert len(deployed) == len(set(deployed)) > 100
    assert "module.alb.aws_lb.this" in deployed and "module.database.aws_db_instance.this" in deployed


@pytest.mark.parametrize("address", deployed_addresses())
def test_every_deployed_address_is_still_declared_or_moved(address):
    assert after_moves(address, moves()) in current_addresses(), (
        f"{address} is neither declared any more nor moved to a declared address: "
        "an existing environment's plan would destroy it (add a moved block to terraform/moved.tf)")


def test_every_moved_block_leads_from_an_address_no_longer_declared_to_one_that_is():
    current = current_addresses()
    for source, target in moves():
        source = without_keys(source)
        assert not any(a == source or a.startswith(source + ".") for a in current), f"{source} is still declared"
        target = without_keys(target)
        assert any(a == target or a.startswith(target + ".") for a in current), f"moved to nothing: {target}"


def test_a_resource_moved_instance_by_instance_moves_every_instance():
    """Resources of one layout moved instance by instance into the same resource (cpu["blue"],
    memory["green"], ... -> utilisation[...]) had the same for_each, so each moves the same keys
    and lands on keys of its own: a forgotten instance would be destroyed and created anew."""
    keys_by_source: dict[tuple[str, str], set[str]] = {}
    landed: list[str] = []
    for source, target in moves():
        key = re.fullmatch(r"(.*)\[([^\]]*)\]", source)
        if key:
            keys_by_source.setdefault((without_keys(target), key.group(1)), set()).add(key.group(2))
            landed.append(target)
    assert len(landed) == len(set(landed)), "two instances moved to one address"
    by_target: dict[str, list[set[str]]] = {}
    for (target, _source), keys in keys_by_source.items():
        by_target.setdefault(target, []).append(keys)
    for target, key_sets in by_target.items():
        assert all(keys == key_sets[0] for keys in key_sets), f"instances moved to {target}: {key_sets}"
