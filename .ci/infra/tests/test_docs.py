"""docs/DEPLOYMENT.md follows the deployment guide and names what the files define;
docs/deployment-conformance.md rules on every command line of the guide."""
import re

from conftest import GUIDE, ROOT
from test_terraform import GUIDE_OUTPUTS

DOC = (ROOT / "docs" / "DEPLOYMENT.md").read_text(encoding="utf-8")
CONFORMANCE = (ROOT / "docs" / "deployment-conformance.md").read_text(encoding="utf-8")
TEST_DIRECTORIES = [ROOT / ".ci" / "infra" / "tests", ROOT / "ecs" / "tests", ROOT / "backend" / "tests"]
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
    paths = [path for directory in TEST_DIRECTORIES for path in directory.rglob("*.py")]
    sources = "\n".join(path.read_text(encoding="utf-8") for path in paths)
    files = {path.stem for path in paths}
    unknown = sorted(n for n in names if f"def {n}(" not in sources and n not in files)
    assert not unknown, unknown


# The only reasons a "works as written" row may have no test: the proof needs what this machine lacks.
NEEDS_REAL = re.compile(r"\bneeds (?:real AWS|a Docker engine|a Terraform binary)\b")


def conformance_table_rows() -> list[tuple[str, str, str]]:
    """(row id, verdict, proven by) of every row of both tables; "as above" takes the row above's proof."""
    rows = []
    for line in CONFORMANCE.splitlines():
        cells = [c.strip() for c in re.split(r"(?<!\\)\|", line)[1:-1]]
        if len(cells) == 5 and re.fullmatch(r"[CS]\d+", cells[0]):
            proof = rows[-1][2] if cells[4] == "as above" and rows else cells[4]
            rows.append((cells[0], cells[3], proof))
    return rows


def test_every_works_as_written_row_names_the_test_that_proves_it():
    """A row that says "works as written" names a test function (a file or a folder is not a test);
    `—` only where the proof needs real AWS, a Docker engine or a Terraform binary, and the verdict says so."""
    defined = set()
    for directory in TEST_DIRECTORIES:
        for path in directory.rglob("*.py"):
            defined |= set(re.findall(r"^\s*(?:async )?def (test_\w+)\(", path.read_text(encoding="utf-8"), re.M))
    rows = conformance_table_rows()
    assert len(rows) > 100
    problems = []
    for row, verdict, proof in rows:
        if not verdict.startswith("works as written"):
            continue
        named = set(re.findall(r"\b(test_\w+)\b(?!\.py)", proof))
        if proof == "—":
            if not NEEDS_REAL.search(verdict):
                problems.append(f"{row}: no test, and the verdict does not say the proof needs real AWS, "
                                f"a Docker engine or a Terraform binary")
        elif not named:
            problems.append(f"{row}: {proof!r} names no test function")
        elif named - defined:
            problems.append(f"{row}: no such test {sorted(named - defined)}")
    assert not problems, "docs/deployment-conformance.md:\n" + "\n".join(problems)


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
