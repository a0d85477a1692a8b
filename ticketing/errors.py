"""Domain errors: each carries a stable code and a message the bot can pass on to a customer."""

from __future__ import annotations

from typing import Any, ClassVar

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from pydantic import BaseModel, Field
from starlette.exceptions import HTTPException as StarletteHTTPException


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


class ErrorEntry(BaseModel):
    """One reason a request was refused."""

    msg: str = Field(description="What went wrong and what to do next, in plain words")
    code: str = Field(description="Stable machine-readable reason, e.g. `order_not_found`")
    loc: list[str] | None = Field(default=None, description="Where the invalid input is")
    context: dict[str, Any] | None = Field(default=None, description="Details, e.g. a limit")


class ErrorBody(BaseModel):
    """Every error answer of the app: `{"detail": [{"msg", "code"}]}`."""

    detail: list[ErrorEntry]


ERROR_DESCRIPTIONS = {
    400: "The request could not be read",
    401: "Missing or invalid credentials",
    403: "The caller may not do this",
    404: "Nothing with this id that the caller may see",
    409: "Not possible in the current state; `msg` says why",
    413: "The body is too large",
    415: "The body is not JSON",
    422: "Invalid input",
    429: "Too many attempts: wait `Retry-After` seconds",
    503: "A dependency is down",
}


def error_responses(
    *status_codes: int, descriptions: dict[int, str] | None = None
) -> dict[int | str, dict[str, Any]]:
    """`responses=` for a route: these refusals, documented in the app's format (with a more
    specific description where `descriptions` has one)."""
    specific = descriptions or {}
    return {
        code: {"model": ErrorBody, "description": specific.get(code, ERROR_DESCRIPTIONS[code])}
        for code in status_codes
    }


HTTP_ERROR_CODES = {400: "bad_request", 404: "not_found", 405: "method_not_allowed"}


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


def _http_error_response(_request: Request, exc: Exception) -> JSONResponse:
    """Errors the framework raises itself (unknown path, wrong method, unreadable body)."""
    assert isinstance(exc, StarletteHTTPException)  # noqa: S101
    if isinstance(exc.__cause__, UnicodeDecodeError):
        # FastAPI answers a body that is not UTF-8 with a bare 400; it is invalid JSON like any
        # other, so it gets the same 422 as a syntax error.
        entry = {"msg": "The body is not valid JSON: send UTF-8 encoded JSON.", "code": "bad_json"}
        return JSONResponse({"detail": [entry]}, status_code=422)
    entry = {"msg": str(exc.detail), "code": HTTP_ERROR_CODES.get(exc.status_code, "http_error")}
    return JSONResponse({"detail": [entry]}, status_code=exc.status_code, headers=exc.headers)


def install_error_handlers(app: FastAPI) -> None:
    """Render domain, validation and framework errors as `{"detail": [{"msg", "code"}]}`."""
    app.add_exception_handler(DomainError, _domain_error_response)
    app.add_exception_handler(RequestValidationError, _validation_error_response)
    app.add_exception_handler(StarletteHTTPException, _http_error_response)
