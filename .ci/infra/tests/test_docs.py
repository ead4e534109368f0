"""docs/DEPLOYMENT.md follows the deployment guide and names what the files define;
docs/deployment-conformance.md rules on every command line of the guide."""
import re

from conftest import GUIDE, ROOT
from test_terraform import GUIDE_OUTPUTS

DOC = (ROOT / "docs" / "DEPLOYMENT.md").read_text(encoding="utf-8")
CONFORMANCE = (ROOT / "docs" / "deployment-conformance.md").read_text(encoding="utf-8")
COMMAND = re.compile(r"(aws|terraform|docker|docker-compose|envsubst|curl|k6|git|cd|GIT_HASH)\b")


def guide_commands() -> list[str]:
    commands, in_block = [], False
    for line in GUIDE.read_text(encoding="utf-8").splitlines():
        text = line.strip()
        if text.startswith("```"):
            in_block = not in_block
        elif in_block and COMMAND.match(text) and ": ${{" not in text and text not in commands:
            commands.append(text)
    return commands


def conformance_rows() -> dict[str, str]:
    """{command as written: verdict} from the first table (pipes inside cells are escaped)."""
    rows = {}
    for line in CONFORMANCE.splitlines():
        cells = [c.strip().replace("\\|", "|") for c in re.split(r"(?<!\\)\|", line)[1:-1]]
        if len(cells) == 5 and cells[2].startswith("`"):
            rows[cells[2][1:-1]] = cells[3]
    return rows


def test_every_command_of_the_guide_has_a_verdict():
    rows = conformance_rows()
    commands = guide_commands()
    assert len(commands) > 60
    missing = [c for c in commands if c not in rows]
    assert not missing, f"guide commands without a row in docs/deployment-conformance.md: {missing}"
    for command in commands:
        assert re.match(r"works as written|instead: ", rows[command]), f"{command}: {rows[command]}"


def test_the_known_wrong_lines_are_superseded():
    rows = conformance_rows()
    for opening in ("terraform init -backend-config=\"bucket=interaction-mgmt-tfstate-${terraform.workspace}\"",
                    "terraform workspace new dev", "aws ecs deploy --cli-input-json",
                    "aws elbv2 create-target-group", "aws ecs update-service --cluster <cluster> --service <service> --task-definition <new-task-def> --load-balancers",
                    "terraform plan -destroy -target=",
                    "aws elbv2 modify-listener"):  # forwards whether the colour runs tasks or not
        verdicts = [v for c, v in rows.items() if c.startswith(opening)]
        assert verdicts and all(v.startswith("instead: ") for v in verdicts), opening


def test_every_check_named_in_the_table_exists():
    names = set(re.findall(r"`(test_\w+)(?:\.py)?`", CONFORMANCE))
    sources = "\n".join(p.read_text(encoding="utf-8")
                        for p in [*(ROOT / ".ci" / "infra" / "tests").glob("*.py"), *(ROOT / "ecs" / "tests").glob("*.py")])
    files = {p.stem for p in [*(ROOT / ".ci" / "infra" / "tests").glob("*.py"), *(ROOT / "ecs" / "tests").glob("*.py")]}
    unknown = sorted(n for n in names if f"def {n}(" not in sources and n not in files)
    assert not unknown, unknown


# The three pipelines are one section here: they share one deploy job.
MERGED_SECTIONS = {name: "Development, Staging and Production Pipelines"
                   for name in ("Development Pipeline", "Staging Pipeline", "Production Pipeline")}


def test_deployment_doc_follows_the_guide_section_by_section():
    guide_headings = [h for h in re.findall(r"^#{2,3} (.+)$", GUIDE.read_text(encoding="utf-8"), re.M)]
    positions = []
    for heading in guide_headings:
        heading = MERGED_SECTIONS.get(heading, heading)
        match = re.search(rf"^#{{2,4}} {re.escape(heading)}\s*$", DOC, re.M)
        assert match, f"docs/DEPLOYMENT.md has no section {heading!r}"
        positions.append(match.start())
    assert positions == sorted(positions), "sections are not in the guide's order"


def test_every_guide_output_is_documented():
    missing = [name for name in GUIDE_OUTPUTS if f"`{name}`" not in DOC]
    assert not missing, missing


def test_every_template_variable_is_documented():
    for template in ("task-definition-template.json", "migrate-task-definition-template.json"):
        names = set(re.findall(r"\$\{([A-Z0-9_]+)\}", (ROOT / "ecs" / template).read_text(encoding="utf-8")))
        missing = sorted(name for name in names if f"`{name}`" not in DOC)
        assert not missing, (template, missing)


def test_docs_say_the_checks_need_no_docker_engine_or_terraform_binary():
    assert "no Docker engine or Terraform binary" in DOC
    assert "bash .ci/infra/run" in DOC
