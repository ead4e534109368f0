"""docs/DEPLOYMENT.md names what the files define: outputs and template variables."""
import re

from conftest import ROOT
from test_terraform import GUIDE_OUTPUTS

DOC = (ROOT / "docs" / "DEPLOYMENT.md").read_text(encoding="utf-8")


def test_every_guide_output_is_documented():
    missing = [name for name in GUIDE_OUTPUTS if f"`{name}`" not in DOC]
    assert not missing, missing


def test_every_template_variable_is_documented():
    template = (ROOT / "ecs" / "task-definition-template.json").read_text(encoding="utf-8")
    names = set(re.findall(r"\$\{([A-Z0-9_]+)\}", template))
    missing = sorted(name for name in names if f"`{name}`" not in DOC)
    assert not missing, missing


def test_docs_say_the_checks_need_no_docker_engine_or_terraform_binary():
    assert "no Docker engine or Terraform binary on this machine" in DOC
    assert "bash .ci/infra/run" in DOC
