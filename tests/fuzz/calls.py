"""Turning a generated case into a request a handler will actually read: who is calling, which
existing thing the path names, and the request itself, sent through the app's TestClient."""

from __future__ import annotations

import enum
import itertools
from typing import Any

from fastapi.testclient import TestClient
from hypothesis import strategies as st
from schemathesis import APIOperation, Case

from tests.fuzz.world import World
from tests.hub.helpers import CHANNEL_KEY
from ticketing.console.auth import CSRF_COOKIE, CSRF_HEADER, SESSION_COOKIE

CSRF_TOKEN = "fuzz-csrf-token"
_idempotency_keys = itertools.count(1)


class Identity(enum.StrEnum):
    """Who sends the request. Anonymous requests keep whatever credentials were generated."""

    ANONYMOUS = "anonymous"
    SERVICE = "service"  # the action server's X-Api-Key
    CUSTOMER = "customer"  # X-Api-Key + the verified customer's X-Verification-Token
    STAFF = "staff"  # an admin's bearer token
    CONSOLE_COOKIE = "console-cookie"  # the console's session cookie + CSRF header
    CHAT = "chat"  # a web chat's X-Chat-Token
    CHANNEL = "channel"  # a REST integration's X-Channel-Key


def identities(operation: APIOperation) -> list[Identity]:
    """The callers `operation` declares (by its headers and security), the one that gets
    furthest first, since Hypothesis draws the first option most often; anonymous last."""
    headers = {parameter.name.lower() for parameter in operation.headers}
    bearer = bool(operation.definition.raw.get("security"))
    options = [
        identity
        for identity, applies in (
            (Identity.CHAT, "x-chat-token" in headers),
            (Identity.CHANNEL, "x-channel-key" in headers),
            (Identity.CUSTOMER, "x-verification-token" in headers),
            (Identity.STAFF, bearer),
            (Identity.CONSOLE_COOKIE, bearer and operation.path.startswith("/api/console/")),
            (Identity.SERVICE, "x-api-key" in headers),
        )
        if applies
    ]
    return [*options, Identity.ANONYMOUS]


def authenticate(case: Case, identity: Identity, world: World) -> None:
    """Replace the generated credentials with working ones for `identity`."""
    headers = case.headers
    if identity in {Identity.SERVICE, Identity.CUSTOMER}:
        headers["X-Api-Key"] = world.service_key
        headers.pop("Authorization", None)  # a staff token would win over the service key
    if identity == Identity.CUSTOMER:
        headers["X-Verification-Token"] = world.verification_token
    if identity == Identity.STAFF:
        headers["Authorization"] = f"Bearer {world.staff_token}"
    if identity == Identity.CONSOLE_COOKIE:
        headers.pop("Authorization", None)
        headers["Cookie"] = f"{SESSION_COOKIE}={world.staff_token}; {CSRF_COOKIE}={CSRF_TOKEN}"
        headers[CSRF_HEADER] = CSRF_TOKEN
    if identity == Identity.CHAT:
        headers["X-Chat-Token"] = world.chat_token
    if identity == Identity.CHANNEL:
        headers.update(CHANNEL_KEY)


def prepare(case: Case, world: World, data: st.DataObject) -> Identity:
    """Pick a caller, an Idempotency-Key (sometimes the previous one again, to hit replays and
    conflicts) and, half of the time each, existing things for path parameters and for the
    top-level body fields of the same names."""
    identity = data.draw(st.sampled_from(identities(case.operation)), label="identity")
    authenticate(case, identity, world)
    if "idempotency-key" in {p.name.lower() for p in case.operation.headers}:
        number = next(_idempotency_keys)
        reuse = data.draw(st.booleans(), label="reuse idempotency key")
        case.headers["Idempotency-Key"] = f"fuzz-key-{number - 1 if reuse else number:06d}"
    for values in (case.path_parameters, case.body):
        if not isinstance(values, dict):
            continue
        for name in [name for name in values if name in world.known]:
            if data.draw(st.booleans(), label=f"existing {name}"):
                values[name] = data.draw(st.sampled_from(world.known[name]))
    return identity


def send(client: TestClient, case: Case) -> Any:
    """The case as an HTTP request through the app (lifespan, middleware and all)."""
    request: dict[str, Any] = case.as_transport_kwargs(base_url=str(client.base_url))
    request.pop("cookies", None)  # none are declared; the console's travel in the Cookie header
    if isinstance(request.get("data"), (bytes, str)):
        request["content"] = request.pop("data")  # raw bytes: httpx's name for them
    return client.request(**request)
