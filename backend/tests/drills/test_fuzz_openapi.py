"""Property-based fuzzing of every documented operation (schemathesis over /api/openapi.json).

Valid and invalid requests are generated from the document itself and sent with a real token and
X-Site-ID; every answer must be documented, match its schema, never be a 5xx, and every error
must use the envelope. A stateful run follows the links from a created interaction to its
reads, updates and deletes.
"""
from __future__ import annotations

import hypothesis
import pytest
import schemathesis
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from schemathesis import GenerationMode
from schemathesis.core.parameters import ParameterLocation
from schemathesis.generation.stateful import run_state_machine_as_test
from schemathesis.specs.openapi.checks import negative_data_rejection, positive_data_acceptance

from ims import background
from ims.saved_views.schemas import PARAM_NAMES
from tests.builders import headers_for, make_interaction, make_user, token_for, upload_file
from tests.drills.conftest import assert_envelope

EXAMPLES_PER_OPERATION = {GenerationMode.POSITIVE: 30, GenerationMode.NEGATIVE: 20}
WRITES = {("POST", "/api/interactions"), ("PUT", "/api/interactions/{interaction_id}")}
VIEW_WRITES = {("POST", "/api/views"), ("PATCH", "/api/views/{view_id}")}
ADMIN_PATHS = ("/api/site/", "/api/interactions/deleted")
ZONES = ("Europe/Berlin", "UTC", "America/New_York", "Asia/Kolkata")
IMPORT_FILES = {"ready.csv": b"Subject,Type,Owner,Start,End\r\nA,Call,B,2026-03-02T10:00:00Z,2026-03-02T11:00:00Z\r\n",
                "ambiguous.csv": b"Subject,Type,Owner,Start,End\r\nA,Call,B,02/03/2026 10:00,02/03/2026 11:00\r\n"}
# Rules the document cannot express (a known IANA zone, end after start, trimmed text) make most
# schema-valid bodies a 422; that is correct, so acceptance of positive data is not asserted.
# The strategy below makes a share of the write bodies pass those rules so the success paths run too.
NOT_ASSERTED = [positive_data_acceptance]
FUZZ_SETTINGS = dict(deadline=None, database=None, derandomize=True, suppress_health_check=list(HealthCheck),
                     phases=[hypothesis.Phase.explicit, hypothesis.Phase.generate])


class WsgiResponse:
    """What our own checks need from a schemathesis response."""

    def __init__(self, response):
        self.status_code = response.status_code
        self._response = response
        self.mimetype = response.headers.get("Content-Type", "").split(";")[0]

    def get_json(self, silent=True):
        try:
            return self._response.json()
        except ValueError:
            return None

    def get_data(self, as_text=True):
        return self._response.text


@pytest.fixture
def fuzz_world(app, world):
    for n in range(3):
        make_interaction(world.hq, world.editor, title=f"Fuzz seed {n}")
    make_interaction(world.field, world.field_editor, title="Other site")
    world.fuzz_admin = make_user("fuzzadmin", {world.hq: "admin"})
    for filename in ("ready.csv", "ambiguous.csv"):  # imports to read, change, preview, run and undo
        upload_file(app.test_client(), headers_for(world.editor, world.hq), IMPORT_FILES[filename], filename)
    yield world
    assert background.wait_idle(60)  # the runs the fuzzing started end before the tables are emptied


@pytest.fixture
def schema(app, fuzz_world):
    return schemathesis.openapi.from_wsgi("/api/openapi.json", app)


class Tally:
    def __init__(self):
        self.requests = 0
        self.by_status: dict[int, int] = {}
        self.server_errors = 0

    def record(self, status: int) -> None:
        self.requests += 1
        self.by_status[status] = self.by_status.get(status, 0) + 1
        self.server_errors += status >= 500


# The in-process WSGI transport returns the body as sent and does not undo a Content-Encoding the way an HTTP
# client does; compression has its own tests (tests/test_web_serving.py).
UNCOMPRESSED = {"Accept-Encoding": "identity"}


def headers_for_case(case, world) -> dict:
    # Logging out revokes the token it is sent with: that operation gets a token of its own.
    # Site administration is fuzzed as an admin of the site, so its success paths run too.
    user = world.fuzz_admin if case.operation.path.startswith(ADMIN_PATHS) else world.editor
    headers = {**headers_for(user, world.hq), **UNCOMPRESSED}
    if case.operation.path == "/api/auth/logout":
        headers["Authorization"] = f"Bearer {token_for(user)}"
    return headers


def strategy_for(operation, mode):
    strategy = operation.as_strategy(generation_mode=mode)
    if mode is GenerationMode.POSITIVE and (operation.method.upper(), operation.path) in VIEW_WRITES:
        return st.tuples(strategy, st.lists(st.sampled_from(PARAM_NAMES), unique=True, max_size=4)).map(finder_names)
    if mode is not GenerationMode.POSITIVE or (operation.method.upper(), operation.path) not in WRITES:
        return strategy

    def plausible(drawn):
        case, zone, hours = drawn
        if isinstance(case.body, dict):
            case.body["timezone"] = zone
            case.body["start_datetime"] = "2026-03-02T10:00:00+01:00"
            case.body["end_datetime"] = f"2026-03-02T{10 + hours:02d}:00:00+01:00"
        return case

    return st.tuples(strategy, st.sampled_from(ZONES), st.integers(0, 9)).map(plausible)


def finder_names(drawn):
    """A view's parameters under the Finder's own names (any other name is a 422), so views get saved too."""
    case, names = drawn
    if isinstance(case.body, dict) and isinstance(case.body.get("params"), dict):
        values = list(case.body["params"].values())
        case.body["params"] = {name: values[n] if n < len(values) else "x" for n, name in enumerate(names)}
    return case


def sent_valid(case) -> bool:
    """A case drawn invalid in its headers alone goes out valid: every request carries the fuzz user's own
    Authorization and X-Site-ID (headers_for_case), so its acceptance is no failure."""
    meta = case.meta
    if meta is None or not meta.is_negative_at(ParameterLocation.HEADER):
        return False
    return not any(meta.is_negative_at(where) for where in ParameterLocation if where is not ParameterLocation.HEADER)


def check(case, response, tally: Tally, headers: dict, excluded=NOT_ASSERTED) -> None:
    tally.record(response.status_code)
    assert response.status_code < 500, f"{case.method} {case.formatted_path}: {response.status_code} {response.text[:300]}"
    if response.status_code >= 400:
        assert_envelope(WsgiResponse(response))
    # Passing the headers marks the token as ours: schemathesis then also replays the request
    # without it and with a forged one, and expects 401/403 wherever the document requires a token.
    case.validate_response(response, excluded_checks=excluded, headers=headers)


def test_every_operation_answers_documented_shapes_and_never_5xx(schema, fuzz_world, figures):
    tally = Tally()
    operations = [result.ok() for result in schema.get_all_operations()]
    assert len(operations) >= 16
    for operation in operations:
        for mode, examples in EXAMPLES_PER_OPERATION.items():
            @settings(max_examples=examples, **FUZZ_SETTINGS)
            @given(case=strategy_for(operation, mode))
            def run(case):
                headers = headers_for_case(case, fuzz_world)
                check(case, case.call(headers=headers), tally, headers,
                      excluded=[*NOT_ASSERTED, negative_data_rejection] if sent_valid(case) else NOT_ASSERTED)

            try:
                run()
            except hypothesis.errors.Unsatisfiable:
                # An operation without parameters or body has no invalid form to generate.
                assert mode is GenerationMode.NEGATIVE
    figures.update(operations=len(operations), requests=tally.requests, server_errors=tally.server_errors,
                   statuses={str(k): v for k, v in sorted(tally.by_status.items())})
    assert tally.server_errors == 0


def test_stateful_sequences_follow_created_interactions(schema, fuzz_world, figures):
    tally = Tally()
    headers = {**headers_for(fuzz_world.editor, fuzz_world.hq), **UNCOMPRESSED}

    class Machine(schema.as_state_machine()):
        def get_call_kwargs(self, case):
            return {"headers": headers}

        def validate_response(self, response, case, **kwargs):
            # Every step is sent with the editor's headers (get_call_kwargs): a step drawn as "without
            # Authorization" goes out with it and is rightly accepted. Invalid data's rejection is asserted
            # per operation by the test above; here the sequences, shapes and statuses are.
            check(case, response, tally, headers, excluded=[*NOT_ASSERTED, negative_data_rejection])
            # A run of an import or a bulk change goes on in the background: let it end, so the next step
            # meets the same state on every replay (the sequence must not depend on timing).
            assert background.wait_idle(60)

    run_state_machine_as_test(Machine, settings=settings(max_examples=25, stateful_step_count=8, **FUZZ_SETTINGS))
    figures.update(requests=tally.requests, server_errors=tally.server_errors,
                   statuses={str(k): v for k, v in sorted(tally.by_status.items())})
    assert tally.requests > 0 and tally.server_errors == 0
