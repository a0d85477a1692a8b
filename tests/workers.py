"""`make test` runs the suite in two processes (pytest-xdist workers `gw0`, `gw1`). Tests empty
the PostgreSQL database and the Redis database they use, so each worker gets its own: the
configured database name with `_gw1` appended (created when missing), and the Redis database
one number lower per worker. Without xdist (`pytest` alone) the configured ones are used."""

from __future__ import annotations

import os
from urllib.parse import urlsplit, urlunsplit

import psycopg
from sqlalchemy.engine import make_url

WORKER = os.environ.get("PYTEST_XDIST_WORKER")  # "gw0", "gw1", ... or None


def worker_number() -> int:
    return int(WORKER.removeprefix("gw")) if WORKER else 0


def database_url(configured: str | None) -> str | None:
    """The worker's own database next to the configured one (created if it is missing)."""
    if not configured or not WORKER:
        return configured
    url = make_url(configured)
    name = f"{url.database}_{WORKER}"
    admin = url.set(drivername="postgresql").render_as_string(hide_password=False)
    with psycopg.connect(admin, autocommit=True) as connection:
        found = connection.execute("SELECT 1 FROM pg_database WHERE datname = %s", (name,))
        if found.fetchone() is None:
            connection.execute(f'CREATE DATABASE "{name}"')
    return url.set(database=name).render_as_string(hide_password=False)


def redis_url(configured: str | None) -> str | None:
    """The worker's own Redis database: the configured number minus the worker's number."""
    if not configured or not WORKER:
        return configured
    parts = urlsplit(configured)
    number = int(parts.path.strip("/") or 0) - worker_number()
    if number < 0:
        raise RuntimeError(f"{configured}: no Redis database left below it for {WORKER}")
    return urlunsplit(parts._replace(path=f"/{number}"))
