"""Exit codes and the errors that end a command with one of them."""

OK = 0
USAGE = 2  # bad flags, template or variables; services/listener that do not fit together
AWS = 3  # an AWS call failed (permissions, unknown cluster/listener, throttling, no credentials)
NOT_SWITCHED = 4  # new colour never became stable/healthy, or a switch was refused: traffic unchanged
ROLLED_BACK = 5  # deploy switched, targets turned unhealthy while baking, traffic switched back
STUCK = 6  # baking failed and the old colour had no healthy targets either: needs an operator
MIGRATION_FAILED = 7  # the one-off migration task exited non-zero, never ran, or did not stop in time
INTERRUPTED = 130
PIPE_CLOSED = 141  # stdout's reader went away (`ims-deploy --json status | head`): 128 + SIGPIPE


class DeployError(Exception):
    """An expected failure: printed as one line, mapped to an exit code."""

    exit_code = 1


class UsageError(DeployError):
    exit_code = USAGE


class AwsError(DeployError):
    exit_code = AWS


class NotSwitched(DeployError):
    exit_code = NOT_SWITCHED


class Stuck(DeployError):
    exit_code = STUCK
