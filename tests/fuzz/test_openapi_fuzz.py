"""Property-based fuzzing of every operation in the OpenAPI schema (Schemathesis + Hypothesis).

For each operation, valid and invalid requests generated from the schema are sent with working
credentials most of the time (so bodies reach the handlers) and without them the rest. Every
answer must not be a 5xx, must use a status code the operation declares, and must match the
declared content type and body schema. The examples are bounded and derandomized, and
Hypothesis keeps no example database, so the run is the same every time and writes nothing.
"""

from __future__ import annotations

from typing import Any

import pytest
import schemathesis
from fastapi.testclient import TestClient
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from schemathesis import APIOperation, Case, CheckFunction, GenerationMode
from schemathesis.checks import not_a_server_error
from schemathesis.core.failures import FailureGroup
from schemathesis.specs.openapi.checks import (
    content_type_conformance,
    response_headers_conformance,
    response_schema_conformance,
    status_code_conformance,
)

from tests.fuzz.calls import prepare, send
from tests.fuzz.conftest import fuzz_settings
from tests.fuzz.world import World
from ticketing.app import create_app
from ticketing.db import Database

EXAMPLES_PER_OPERATION = 25

CHECKS: list[CheckFunction] = [
    not_a_server_error,
    status_code_conformance,
    content_type_conformance,
    response_headers_conformance,
    response_schema_conformance,
]

# Known schema gaps, to relax while a fix is under way: operation label -> (the checks
# relaxed for it, why). Only those checks are relaxed, only for those operations: a 5xx or any
# other violation still fails; the test is xfail when the relaxed check finds the gap. None now.
KNOWN_GAPS: dict[str, tuple[list[CheckFunction], str]] = {}


# Known server errors under repair: xfail for exactly that exception (any other failure still
# fails). None now.
KNOWN_SERVER_ERRORS: dict[str, tuple[type[BaseException], str]] = {}


def _schema() -> schemathesis.BaseSchema:
    """The app's own OpenAPI document (building it touches no database)."""
    app = create_app(fuzz_settings(), database=Database("sqlite://"))
    return schemathesis.openapi.from_dict(app.openapi())


SCHEMA = _schema()
OPERATIONS: dict[str, APIOperation] = {
    result.ok().label: result.ok() for result in SCHEMA.get_all_operations()
}


def _labels() -> list[Any]:
    """Every operation, those with a known server error marked xfail for that error only."""
    labels: list[Any] = []
    for label in OPERATIONS:
        if label in KNOWN_SERVER_ERRORS:
            raises, bug = KNOWN_SERVER_ERRORS[label]
            label = pytest.param(
                label, marks=pytest.mark.xfail(raises=raises, reason=bug, strict=False)
            )
        labels.append(label)
    return labels


def _strategy(operation: APIOperation) -> st.SearchStrategy[Case]:
    """Requests that fit the schema, and requests that break it in one place."""
    return st.one_of(
        operation.as_strategy(GenerationMode.POSITIVE),
        operation.as_strategy(GenerationMode.NEGATIVE),
    )


@pytest.mark.slow
@pytest.mark.parametrize("label", _labels())
def test_operation_conforms_to_its_schema(
    label: str, fuzz_client: tuple[TestClient, World]
) -> None:
    client, world = fuzz_client
    operation = OPERATIONS[label]
    relaxed, bug = KNOWN_GAPS.get(label, ([], ""))
    checks = [check for check in CHECKS if check not in relaxed]
    gap_found: list[Any] = []

    @settings(
        max_examples=EXAMPLES_PER_OPERATION,
        derandomize=True,
        database=None,
        deadline=None,
        suppress_health_check=[
            HealthCheck.too_slow,
            HealthCheck.filter_too_much,
            HealthCheck.data_too_large,
            HealthCheck.large_base_example,
        ],
    )
    @given(case=_strategy(operation), data=st.data())
    def fuzz(case: Case, data: st.DataObject) -> None:
        prepare(case, world, data)
        response = send(client, case)
        case.validate_response(response, checks=checks)
        if relaxed:
            try:
                case.validate_response(response, checks=relaxed)
            except FailureGroup as failures:
                gap_found.append(failures)

    fuzz()
    if gap_found:
        pytest.xfail(f"known bug, reported: {bug}")
