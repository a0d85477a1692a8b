"""JSON bodies of the widget's requests, refused early when too large or not JSON.

The app's input-limit middleware only guards `/api/`; the widget's endpoints are public, so
they read at most `max_body_bytes` and parse the JSON themselves.
"""

from __future__ import annotations

import json
from typing import Any, TypeVar

from fastapi import Request
from fastapi.exceptions import RequestValidationError
from pydantic import BaseModel, ValidationError

from ticketing.errors import DomainError, InvalidInputError

Model = TypeVar("Model", bound=BaseModel)


class BodyTooLargeError(DomainError):
    status_code = 413
    code = "too_large"


class NotJsonError(DomainError):
    status_code = 415
    code = "bad_type"


async def read_json(request: Request, model: type[Model]) -> Model:
    """The body as `model`: 413 when too large, 415 when not JSON, 422 when malformed."""
    limit: int = request.app.state.settings.max_body_bytes
    content_type = request.headers.get("content-type", "")
    if content_type.split(";")[0].strip().lower() != "application/json":
        raise NotJsonError("Send JSON with Content-Type: application/json.")
    declared = request.headers.get("content-length", "")
    if declared.isdigit() and int(declared) > limit:
        raise BodyTooLargeError(f"The body is larger than {limit} bytes.")
    body = bytearray()
    async for chunk in request.stream():
        body += chunk
        if len(body) > limit:
            raise BodyTooLargeError(f"The body is larger than {limit} bytes.")
    try:
        data: Any = json.loads(body)
    except ValueError as error:  # also UnicodeDecodeError
        raise InvalidInputError("The body is not valid JSON.", code="bad_json") from error
    try:
        return model.model_validate(data)
    except ValidationError as error:
        raise RequestValidationError(error.errors(include_url=False)) from error
