"""Domain errors: each carries a stable code and a message the bot can pass on to a customer."""

from __future__ import annotations

from typing import Any, ClassVar

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse


class DomainError(Exception):
    """Base of every error a service raises on purpose; views render it as JSON."""

    status_code: ClassVar[int] = 400
    code: ClassVar[str] = "error"

    def __init__(self, msg: str, *, code: str | None = None, **context: Any) -> None:
        super().__init__(msg)
        self.msg = msg
        self.error_code = code or self.code
        self.context = context

    def detail(self) -> dict[str, Any]:
        """The error as one entry of the `detail` list."""
        entry: dict[str, Any] = {"msg": self.msg, "code": self.error_code}
        if self.context:
            entry["context"] = self.context
        return entry


class NotFoundError(DomainError):
    status_code = 404
    code = "not_found"


class NotAllowedError(DomainError):
    """A business rule says no; the message says why in words a customer understands."""

    status_code = 409
    code = "not_allowed"


class ConflictError(DomainError):
    status_code = 409
    code = "conflict"


class InvalidInputError(DomainError):
    status_code = 422
    code = "invalid_input"


class AuthenticationError(DomainError):
    status_code = 401
    code = "not_authenticated"


class PermissionDeniedError(DomainError):
    status_code = 403
    code = "permission_denied"


class RateLimitedError(DomainError):
    status_code = 429
    code = "rate_limited"

    def __init__(self, msg: str, *, retry_after: int) -> None:
        super().__init__(msg, retry_after_seconds=retry_after)
        self.retry_after = retry_after


class ServiceUnavailableError(DomainError):
    status_code = 503
    code = "service_unavailable"


def _domain_error_response(_request: Request, exc: Exception) -> JSONResponse:
    assert isinstance(exc, DomainError)  # noqa: S101 - registered for DomainError only
    headers = {}
    if isinstance(exc, RateLimitedError):
        headers["Retry-After"] = str(exc.retry_after)
    if isinstance(exc, AuthenticationError):
        headers["WWW-Authenticate"] = "Bearer"
    return JSONResponse({"detail": [exc.detail()]}, status_code=exc.status_code, headers=headers)


def _validation_error_response(_request: Request, exc: Exception) -> JSONResponse:
    assert isinstance(exc, RequestValidationError)  # noqa: S101
    detail = [
        {
            "msg": error.get("msg", "invalid value"),
            "code": "invalid_input",
            "loc": [str(part) for part in error.get("loc", ())],
        }
        for error in exc.errors()
    ]
    return JSONResponse({"detail": detail}, status_code=422)


def install_error_handlers(app: FastAPI) -> None:
    """Render domain and validation errors as `{"detail": [{"msg", "code"}]}`."""
    app.add_exception_handler(DomainError, _domain_error_response)
    app.add_exception_handler(RequestValidationError, _validation_error_response)
