"""What a command did, for the closing log line and for --json."""

from dataclasses import dataclass, field

from ims_deploy.errors import OK


@dataclass
class Outcome:
    command: str
    result: str  # switched | stopped | rolled_back | nothing_to_do | failed
    message: str
    exit_code: int = OK
    details: dict = field(default_factory=dict)

    def as_json(self) -> dict:
        return {"command": self.command, "result": self.result, "message": self.message,
                "exit_code": self.exit_code, **self.details}
