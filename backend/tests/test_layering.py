"""Static checks of how the backend is layered, read from the source (ast), so they cannot regress
quietly: the shared modules at the top of `ims/` sit below every feature, features build on one
another in one direction only (site features on auth, auth reading only the sites' tables), and use
cases commit in one place (`ims.unit_of_work.transaction`)."""
from __future__ import annotations

import ast
from pathlib import Path

import pytest

IMS = Path(__file__).resolve().parent.parent / "ims"


def _module_name(path: Path) -> str:
    parts = path.relative_to(IMS.parent).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def _imports(path: Path) -> set[str]:
    return _imports_in(path.read_text(), _module_name(path), is_package=path.name == "__init__.py")


def _imports_in(source: str, module: str, *, is_package: bool = False) -> set[str]:
    """Every module the source of `module` imports, anywhere in it (function-level imports too), as
    absolute names; `from x import y` also counts as importing `x.y`, which may be a module."""
    package = module.split(".") if is_package else module.split(".")[:-1]
    found = set()
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, ast.Import):
            found.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom):
            base = ".".join(package[:len(package) - node.level + 1]) if node.level else ""
            source_module = ".".join(part for part in (base, node.module) if part)
            found.add(source_module)
            found.update(f"{source_module}.{alias.name}" for alias in node.names)
    return found


def _modules(*packages: str) -> list[Path]:
    return sorted(path for package in packages for path in (IMS / package).rglob("*.py"))


def _within(name: str, package: str) -> bool:
    return name == package or name.startswith(package + ".")


@pytest.mark.parametrize("path", _modules("auth"), ids=lambda p: p.name)
def test_auth_reads_only_the_tables_of_sites(path):
    """Sites' features (the site guard, members, invitations, provisioning) build on sign-in, sessions
    and lockout; auth needs of sites only the membership tables the principal is read from."""
    assert not _features_of_sites(_imports(path))


def _features_of_sites(imported: set[str]) -> set[str]:
    return {name for name in imported
            if _within(name, "ims.sites") and name != "ims.sites" and not _within(name, "ims.sites.models")}


def test_the_sites_tables_import_no_feature():
    imported = _imports(IMS / "sites" / "models.py")
    assert not {name for name in imported if _within(name, "ims.auth") or name.startswith("ims.sites.")}


def test_the_layering_check_sees_a_reversed_import():
    """The check above catches auth importing a sites feature, written relatively or lazily."""
    lazy = "def later():\n    from ..sites.invitations import invite\n"
    assert _features_of_sites(_imports_in(lazy, "ims.auth.principal")) == {"ims.sites.invitations",
                                                                           "ims.sites.invitations.invite"}
    assert _features_of_sites(_imports_in("from ..sites import routes\n", "ims.auth.routes")) == {"ims.sites.routes"}
    assert not _features_of_sites(_imports_in("from ..sites.models import Site\n", "ims.auth.models"))


FEATURES = ("auth", "sites", "interactions", "account", "audit_log", "notifications", "timezones", "saved_views", "insights",
            "imports", "bulk")
TABLES_OF_SITES = "sites.models"  # below auth although in the sites package: it imports no feature
# What each feature may import of the others: one direction, lower ones first (a feature that may
# import sites may import its tables too). Anything else is a shared piece living inside a feature
# (move it to a top-level module) or a feature calling upwards.
FEATURE_MAY_IMPORT = {
    "notifications": set(),
    TABLES_OF_SITES: set(),
    "auth": {"notifications", TABLES_OF_SITES},
    "sites": {"auth", "notifications"},
    "account": {"auth", "notifications"},
    "interactions": {"auth", "sites"},
    "audit_log": {"auth", "sites"},
    "timezones": {"auth"},
    "saved_views": {"auth", "sites", "interactions"},  # a view keeps the Finder's query parameters
    "insights": {"auth", "sites", "interactions"},  # the Finder's query, counted
    "imports": {"auth", "sites", "interactions"},  # rows checked by the interaction schema, stored as records
    "bulk": {"auth", "sites", "interactions"},  # the Finder's query, its records written batch by batch
}
# The shared modules at the top of ims/ that may import features, and why: they assemble the features.
SHARED_MAY_IMPORT_FEATURES = {
    "__init__.py": "the app factory registers every feature's blueprint",
    "cli.py": "the command line runs features' use cases (provisioning, purge, demo data)",
    "demo.py": "the demo data is made through the features' own provisioning and models",
    "warmup.py": "a fresh worker runs the features' hot statements once before it takes traffic",
}


def _layer_of(name: str) -> str | None:
    """The feature (or the sites' tables) a module belongs to; None for a shared module."""
    if _within(name, f"ims.{TABLES_OF_SITES}"):
        return TABLES_OF_SITES
    return next((feature for feature in FEATURES if name.startswith(f"ims.{feature}.")), None)


def _features_imported(path: Path) -> set[str]:
    """`from ..sites import x` names `ims.sites` and `ims.sites.x`: the second says which part it is."""
    return {layer for name in _imports(path) if (layer := _layer_of(name))}


def _may_import(layer: str) -> set[str]:
    allowed = {layer, *FEATURE_MAY_IMPORT[layer]}
    return allowed | ({TABLES_OF_SITES} if "sites" in allowed else set())


def _shared_modules() -> list[Path]:
    return sorted(path for path in IMS.glob("*.py") if path.name not in SHARED_MAY_IMPORT_FEATURES)


@pytest.mark.parametrize("path", _shared_modules(), ids=lambda p: p.name)
def test_shared_modules_import_no_feature(path):
    assert not _features_imported(path), f"{path.name} is shared: move what it needs of a feature below it"


@pytest.mark.parametrize("name", sorted(SHARED_MAY_IMPORT_FEATURES))
def test_each_shared_module_allowed_a_feature_still_needs_one(name):
    assert _features_imported(IMS / name), f"{name} imports no feature: drop it from SHARED_MAY_IMPORT_FEATURES"


def test_every_feature_package_is_placed():
    packages = {path.parent.name for path in IMS.glob("*/__init__.py")}
    assert packages == set(FEATURES) == set(FEATURE_MAY_IMPORT) - {TABLES_OF_SITES}


@pytest.mark.parametrize("path", _modules(*FEATURES), ids=lambda p: p.relative_to(IMS).as_posix())
def test_features_import_one_another_in_one_direction(path):
    layer = _layer_of(_module_name(path) + ("." if path.name == "__init__.py" else ""))
    upwards = _features_imported(path) - _may_import(layer)
    assert not upwards, f"{path.relative_to(IMS)} imports {sorted(upwards)}: move the shared piece below both"


def test_the_directions_have_no_cycle():
    """A feature that may import another must not be importable by it, directly or through others."""
    def below(feature: str, seen: tuple = ()) -> set[str]:
        assert feature not in seen, f"cycle: {' -> '.join((*seen, feature))}"
        return {lower for direct in FEATURE_MAY_IMPORT[feature] for lower in {direct, *below(direct, (*seen, feature))}}

    for feature in FEATURE_MAY_IMPORT:
        below(feature)


def test_the_layering_check_sees_a_shared_module_importing_a_feature():
    """The check above reads lazy and relative imports of a top-level module as importing the feature."""
    lazy = "def later():\n    from .sites.context import site_required\n"
    assert {_layer_of(name) for name in _imports_in(lazy, "ims.paging")} == {"sites"}
    assert {_layer_of(name) for name in _imports_in("from ..sites import models\n", "ims.auth.x")} == {None,
                                                                                                       TABLES_OF_SITES}


COMMITTING = ("commit", "rollback")
# The few places that may end a transaction outside a use case, and why.
MAY_COMMIT = {
    "unit_of_work.py": "the unit of work itself",
    "errors.py": "an unhandled error rolls back what its request left open",
    "health.py": "a failed probe rolls back so the session can be reused",
    "read_replica.py": "a read that failed on the replica lets it go before the primary answers it",
}


def _ends_transactions(path: Path) -> list[int]:
    return [node.lineno for node in ast.walk(ast.parse(path.read_text()))
            if isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute)
            and node.func.attr in COMMITTING]


@pytest.mark.parametrize("path", [path for path in sorted(IMS.rglob("*.py"))
                                  if path.relative_to(IMS).as_posix() not in MAY_COMMIT],
                         ids=lambda p: p.relative_to(IMS).as_posix())
def test_use_cases_commit_only_through_the_unit_of_work(path):
    calls = _ends_transactions(path)
    assert not calls, f"{path.name} commits or rolls back at lines {calls}: decorate the use case with @transaction"


@pytest.mark.parametrize("name", sorted(MAY_COMMIT))
def test_each_exception_to_the_unit_of_work_is_still_needed(name):
    assert _ends_transactions(IMS / name), f"{name} no longer ends transactions: drop it from MAY_COMMIT"
