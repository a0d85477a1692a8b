"""The action server: rasa_sdk's app with this project's actions, on loopback unless `--host`
says otherwise, answering only callers that send the shared token (Rasa sends it as `?token=`,
from `action_endpoint.token` in endpoints.yml). `GET /health` stays open for probes.

    SUPPORTBOT_ACTIONS_TOKEN=... python -m actions.server [--host 127.0.0.1] [--port 5055]

Every other option is rasa_sdk's own (`python -m rasa_sdk --help`). The token comes from the
environment only, never the command line (which `ps` shows): SUPPORTBOT_ACTIONS_TOKEN is
required, at least 32 characters when SUPPORTBOT_ENVIRONMENT is production.
"""

from __future__ import annotations

import argparse
import hmac
import logging
import os
import sys
from collections.abc import Sequence

from sanic import Sanic, response
from sanic.request import Request
from sanic.response import HTTPResponse

DEFAULT_HOST = "127.0.0.1"
ENVIRONMENTS = ("development", "test", "production")
MIN_PRODUCTION_TOKEN_CHARS = 32
# The query parameter Rasa's EndpointConfig puts the token in (its default `token_name`).
TOKEN_PARAMETER = "token"  # noqa: S105 - a parameter name, not a secret
OPEN_PATHS = frozenset({"/health"})


class ConfigurationError(Exception):
    """The action server must not start with this configuration."""


def configured_token() -> str:
    """SUPPORTBOT_ACTIONS_TOKEN, checked against SUPPORTBOT_ENVIRONMENT's rules."""
    environment = os.environ.get("SUPPORTBOT_ENVIRONMENT", "development").strip().lower()
    if environment not in ENVIRONMENTS:
        raise ConfigurationError(
            f"SUPPORTBOT_ENVIRONMENT must be one of {', '.join(ENVIRONMENTS)} (got {environment!r})"
        )
    token = os.environ.get("SUPPORTBOT_ACTIONS_TOKEN", "").strip()
    if not token:
        raise ConfigurationError(
            "SUPPORTBOT_ACTIONS_TOKEN is not set: the action server answers only callers that "
            "send it (Rasa reads the same variable in endpoints.yml; `supportbot run` sets both)"
        )
    if environment == "production" and len(token) < MIN_PRODUCTION_TOKEN_CHARS:
        raise ConfigurationError(
            f"SUPPORTBOT_ACTIONS_TOKEN must be at least {MIN_PRODUCTION_TOKEN_CHARS} characters "
            f"in production (e.g. `openssl rand -hex 32`)"
        )
    return token


def require_token(app: Sanic, token: str) -> None:
    """Refuse every request but `GET /health` that lacks `?token=<token>` (401) or sends
    another one (403)."""
    expected = token.encode()

    @app.middleware("request")
    async def authenticate(request: Request) -> HTTPResponse | None:
        if request.path in OPEN_PATHS and request.method in {"GET", "HEAD"}:
            return None
        provided = request.args.get(TOKEN_PARAMETER) or ""
        if hmac.compare_digest(provided.encode(), expected):
            return None
        if not provided:
            body = {"error": "the action server needs its token", "code": "token_missing"}
            return response.json(body, status=401)
        return response.json({"error": "wrong token", "code": "token_invalid"}, status=403)


def create_app(
    token: str,
    actions: str = "actions",
    cors_origins: str | list[str] | None = None,
    auto_reload: bool = False,
) -> Sanic:
    """rasa_sdk's app serving `actions`, behind the token check."""
    from rasa_sdk.endpoint import create_app as create_rasa_sdk_app

    app = create_rasa_sdk_app(actions, cors_origins=cors_origins, auto_reload=auto_reload)
    require_token(app, token)
    return app


def build_parser() -> argparse.ArgumentParser:
    """rasa_sdk's options plus `--host`; `--actions` defaults to this package."""
    from rasa_sdk.endpoint import create_argument_parser

    parser = create_argument_parser()
    parser.description = (
        "Serve the assistant's custom actions to Rasa. Only requests with "
        "?token=$SUPPORTBOT_ACTIONS_TOKEN are answered, except GET /health."
    )
    parser.add_argument(
        "--host",
        default=DEFAULT_HOST,
        help=f"interface to listen on (default: {DEFAULT_HOST}; containers pass 0.0.0.0)",
    )
    parser.set_defaults(actions="actions")
    return parser


def main(argv: Sequence[str] | None = None) -> None:
    """Check the configuration, then serve until stopped (as `python -m rasa_sdk` does)."""
    from rasa_sdk import utils
    from rasa_sdk.constants import APPLICATION_ROOT_LOGGER_NAME
    from rasa_sdk.endpoint import create_ssl_context
    from rasa_sdk.plugin import plugin_manager

    args = build_parser().parse_args(argv)
    try:
        token = configured_token()
    except ConfigurationError as error:
        sys.stderr.write(f"actions: {error}\n")
        raise SystemExit(2) from None
    logging.getLogger("matplotlib").setLevel(logging.WARN)
    utils.configure_colored_logging(args.loglevel)
    utils.configure_file_logging(
        logging.getLogger(APPLICATION_ROOT_LOGGER_NAME),
        args.log_file,
        args.loglevel,
        args.logging_config_file,
    )
    utils.update_sanic_log_level()
    app = create_app(token, args.actions, cors_origins=args.cors, auto_reload=args.auto_reload)
    plugin_manager().hook.attach_sanic_app_extensions(app=app)
    ssl_context = create_ssl_context(args.ssl_certificate, args.ssl_keyfile, args.ssl_password)
    scheme = "https" if ssl_context else "http"
    logging.getLogger(__name__).info(
        "Action endpoint is up and running on %s://%s:%s", scheme, args.host, args.port
    )
    # No access log: Rasa's token is in every request's query string.
    app.run(
        args.host,
        args.port,
        ssl=ssl_context,
        workers=utils.number_of_sanic_workers(),
        access_log=False,
    )


if __name__ == "__main__":
    main()
