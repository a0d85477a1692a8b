"""Every refusal, the framework's own included, comes as `{"detail": [{"msg", "code"}]}`, and
the OpenAPI document describes that format (found by the fuzzer: tests/fuzz/)."""

from __future__ import annotations

from tests.api.helpers import codes
from tests.conftest import new_key
from tests.contract import assert_documented


def test_a_body_that_is_not_utf8_is_invalid_json(client, service_headers):
    response = client.post(
        "/api/tickets",
        content=b'{"subject": "\xff\xfe broken"}',
        headers={
            **service_headers,
            "Idempotency-Key": new_key(),
            "Content-Type": "application/json",
        },
    )
    assert response.status_code == 422, response.text
    assert codes(response) == ["bad_json"]
    assert "UTF-8" in response.json()["detail"][0]["msg"]
    assert_documented(client, response)


def test_unknown_paths_and_methods_are_refused_in_the_app_format(client):
    unknown = client.get("/api/no-such-thing")
    assert unknown.status_code == 404
    assert codes(unknown) == ["not_found"]

    wrong_method = client.delete("/api/health")
    assert wrong_method.status_code == 405
    assert codes(wrong_method) == ["method_not_allowed"]
    assert wrong_method.headers["allow"] == "GET"


def test_validation_errors_are_documented_in_the_app_format(client, service_headers):
    schema = client.get("/openapi.json").json()
    documented = {
        response["content"]["application/json"]["schema"]["$ref"]
        for operations in schema["paths"].values()
        for operation in operations.values()
        for status, response in operation["responses"].items()
        if status == "422"
    }
    assert documented == {"#/components/schemas/ErrorBody"}
    assert "HTTPValidationError" not in schema["components"]["schemas"]

    refused = client.post(
        "/api/tickets",
        json={"category": "nonsense", "subject": "", "description": "x"},
        headers={**service_headers, "Idempotency-Key": new_key()},
    )
    assert refused.status_code == 422
    assert {tuple(entry["loc"]) for entry in refused.json()["detail"]} == {
        ("body", "category"),
        ("body", "subject"),
    }
    assert_documented(client, refused)
