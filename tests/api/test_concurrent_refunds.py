"""Twenty identical refund requests at once, over real HTTP to a real server process."""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
from concurrent.futures import ThreadPoolExecutor
from datetime import UTC, datetime
from pathlib import Path

import httpx
import pytest
from sqlalchemy import select

from tests.conftest import SERVICE_KEY
from tests.factories import make_customer, make_order
from ticketing.db import Database
from ticketing.refunds.models import Refund
from ticketing.returns.models import (
    ItemCondition,
    Return,
    ReturnItem,
    ReturnReason,
    ReturnResolution,
    ReturnStatus,
)

pytestmark = pytest.mark.slow


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


@pytest.fixture
def server(database: Database, tmp_path: Path):
    port = _free_port()
    env = {
        **os.environ,
        "SUPPORTBOT_DATABASE_URL": database.url,
        "SUPPORTBOT_SERVICE_API_KEYS": SERVICE_KEY,
        "SUPPORTBOT_SECRET_KEY": "concurrency-test-secret-0123456789",
        "SUPPORTBOT_ENVIRONMENT": "test",
    }
    env.pop("SUPPORTBOT_REDIS_URL", None)
    log = (tmp_path / "server.log").open("w")
    process = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "uvicorn",
            "--factory",
            "ticketing.app:create_app",
            "--host",
            "127.0.0.1",
            "--port",
            str(port),
            "--workers",
            "1",
        ],
        env=env,
        stdout=log,
        stderr=subprocess.STDOUT,
    )
    base = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        try:
            if httpx.get(f"{base}/api/health", timeout=1).status_code == 200:
                break
        except httpx.TransportError:
            time.sleep(0.1)
    else:
        process.kill()
        process.wait()
        log.close()
        pytest.fail("the server did not start: " + (tmp_path / "server.log").read_text())
    yield base
    process.terminate()
    process.wait(timeout=10)
    log.close()


def _received_return(database: Database):
    now = datetime.now(UTC)
    with database.session() as s:
        ada = make_customer(s)
        order = make_order(s, ada, now=now, delivered_days_ago=3)
        s.add(
            Return(
                rma_number="RMA-424242",
                order_id=order.id,
                status=ReturnStatus.RECEIVED,
                resolution=ReturnResolution.REFUND,
                reason=ReturnReason.DAMAGED,
                condition=ItemCondition.DAMAGED,
                items=[ReturnItem(order_item_id=i.id, quantity=i.quantity) for i in order.items],
            )
        )
    return ada, order


def _verify(base: str, order, customer) -> dict[str, str]:
    response = httpx.post(
        f"{base}/api/verifications",
        json={"order_number": order.number, "email": customer.email},
        headers={"X-Api-Key": SERVICE_KEY},
    )
    response.raise_for_status()
    return {"X-Api-Key": SERVICE_KEY, "X-Verification-Token": response.json()["token"]}


def _fire(base: str, url: str, headers_for: list[dict[str, str]]) -> list[httpx.Response]:
    with httpx.Client(base_url=base, timeout=60) as http, ThreadPoolExecutor(20) as pool:
        return list(
            pool.map(lambda h: http.post(url, json={"reason": "broken"}, headers=h), headers_for)
        )


def test_twenty_identical_requests_create_one_refund(server, database):
    ada, order = _received_return(database)
    headers = {**_verify(server, order, ada), "Idempotency-Key": "double-click-0001"}
    responses = _fire(server, f"/api/orders/{order.number}/refunds", [headers] * 20)
    assert {r.status_code for r in responses} == {201}
    assert len({r.json()["id"] for r in responses}) == 1
    assert sum(r.headers.get("Idempotent-Replayed") == "true" for r in responses) == 19
    with database.session() as s:
        refunds = s.scalars(select(Refund)).all()
    assert [str(r.amount) for r in refunds] == ["69.80"]


def test_twenty_requests_with_different_keys_still_move_money_once(server, database):
    ada, order = _received_return(database)
    base_headers = _verify(server, order, ada)
    headers = [{**base_headers, "Idempotency-Key": f"impatient-{n:04d}"} for n in range(20)]
    responses = _fire(server, f"/api/orders/{order.number}/refunds", headers)
    statuses = sorted(r.status_code for r in responses)
    assert statuses == [201] + [409] * 19, [r.text for r in responses if r.status_code >= 500]
    with database.session() as s:
        assert len(s.scalars(select(Refund)).all()) == 1
