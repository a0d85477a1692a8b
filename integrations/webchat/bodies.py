"""JSON bodies of the widget's requests, parsed and validated with a clear error.

Size and content type are checked before any view runs, by the app's input-limit middleware
(`ticketing/security/input_limits.py`), which covers `/chat/api/` like every JSON route.
"""

from __future__ import annotations

import json
from typing import Any, TypeVar

from fastapi import Request
from fastapi.exceptions import RequestValidationError
from pydantic import BaseModel, ValidationError

from ticketing.errors import InvalidInputError

Model = TypeVar("Model", bound=BaseModel)


async def read_json(request: Request, model: type[Model]) -> Model:
    """The body as `model`: 422 when it is not JSON or does not fit the model."""
    try:
        data: Any = json.loads(await request.body())
    except ValueError as error:  # also UnicodeDecodeError
        raise InvalidInputError("The body is not valid JSON.", code="bad_json") from error
    try:
        return model.model_validate(data)
    except ValidationError as error:
        raise RequestValidationError(error.errors(include_url=False)) from error
