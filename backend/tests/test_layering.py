"""Static checks of how the backend is layered, read from the source (ast), so they cannot regress
quietly: site features build on auth, auth reads only the sites' tables, and use cases commit
in one place (`ims.unit_of_work.transaction`)."""
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


COMMITTING = ("commit", "rollback")
# The few places that may end a transaction outside a use case, and why.
MAY_COMMIT = {
    "unit_of_work.py": "the unit of work itself",
    "errors.py": "an unhandled error rolls back what its request left open",
    "health.py": "a failed probe rolls back so the session can be reused",
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
