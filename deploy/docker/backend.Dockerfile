# syntax=docker/dockerfile:1.7
# The supportbot backend: the FastAPI app (ticketing/ + integrations/) under uvicorn.
#
# Build from the repository root with BuildKit (docker compose does this for you):
#   docker build -f deploy/docker/backend.Dockerfile --build-context wheels=/opt/wheels \
#     -t supportbot-backend:TAG .
# `wheels` is a folder holding the CPU torch wheel that uv.lock names by path (below); every
# other package comes from PyPI, pinned by uv.lock. That wheel makes the image linux/amd64 only.
#
# No secret is baked in: the backend reads SUPPORTBOT_* environment variables at start-up and,
# with SUPPORTBOT_ENVIRONMENT=production (the default here), refuses development secrets.
# Workers: uvicorn reads WEB_CONCURRENCY (default 1).

# Replaced by `--build-context wheels=DIR` (compose: additional_contexts); left empty, the
# COPY of the torch wheel below fails and names the missing file.
FROM scratch AS wheels

FROM python:3.11-slim AS build
ENV UV_COMPILE_BYTECODE=1 \
    UV_LINK_MODE=copy \
    UV_PYTHON_DOWNLOADS=never \
    UV_PROJECT_ENVIRONMENT=/app/.venv
RUN pip install --no-cache-dir uv==0.13.9
WORKDIR /app
COPY --from=wheels torch-2.13.0+cpu-cp311-cp311-manylinux_2_28_x86_64.whl /opt/wheels/
# Dependencies first: this layer is reused while only the code changes.
COPY pyproject.toml uv.lock README.md ./
RUN uv sync --frozen --no-dev --no-install-project
# Then the project, installed editable as in a checkout: the settings find alembic.ini, the
# migrations and policy.yml next to the code.
COPY alembic.ini policy.yml ./
COPY ticketing ticketing
COPY integrations integrations
COPY actions actions
# bot.minilm: the sentence encoder (one torch thread, cached) the policy answers and reply
# suggestions share with the NLU pipeline.
COPY bot bot
RUN uv sync --frozen --no-dev \
    && /app/.venv/bin/python -m compileall -q ticketing integrations actions bot

FROM python:3.11-slim
RUN useradd --system --uid 10001 --user-group --create-home --home-dir /home/supportbot supportbot
WORKDIR /app
COPY --from=build /app /app
ENV PATH=/app/.venv/bin:$PATH \
    PYTHONUNBUFFERED=1 \
    PYTHONDONTWRITEBYTECODE=1 \
    SUPPORTBOT_ENVIRONMENT=production \
    HF_HUB_OFFLINE=1 \
    TRANSFORMERS_OFFLINE=1
USER 10001:10001
EXPOSE 8000
HEALTHCHECK --interval=15s --timeout=5s --start-period=30s --retries=3 \
    CMD ["python", "-c", "import sys, urllib.request; sys.exit(urllib.request.urlopen('http://127.0.0.1:8000/api/health', timeout=4).status != 200)"]
# Behind nginx or an ingress: the proxy's X-Forwarded-For is the customer's address, which the
# per-address rate limits count. Only the proxy may reach this port.
CMD ["uvicorn", "--factory", "ticketing.app:create_app", "--host", "0.0.0.0", "--port", "8000", "--proxy-headers", "--forwarded-allow-ips", "*", "--timeout-graceful-shutdown", "30"]
