# syntax=docker/dockerfile:1.7
# The supportbot Rasa server: Rasa 3.6 in its own environment (bot/rasa.lock), with the model
# TRAINED WHILE THE IMAGE IS BUILT. The image is the model: a tag names exactly one model, a
# rollout is a new image, a rollback is the old tag, and nothing has to be copied to the servers.
# Training takes minutes (bot/model_cache.py, the same step as `make model`); it reruns only when
# a training input changes (rasa.lock, domain.yml, config.yml, data/, bot/).
#
#   docker build -f deploy/docker/rasa.Dockerfile --build-context wheels=/opt/wheels \
#     -t supportbot-rasa:TAG .
# (`wheels`: the folder with the CPU torch wheel bot/rasa.lock pins: the NLU pipeline's sentence
# embeddings need it; linux/amd64 only.)
#
# Configuration at run time (deploy/rasa/endpoints.yml reads it): SUPPORTBOT_ACTIONS_URL and
# SUPPORTBOT_ACTIONS_TOKEN (sent to the action servers), the tracker store's SUPPORTBOT_RASA_DB_*
# and the lock store's SUPPORTBOT_RASA_REDIS_*. Only Rasa's
# REST channel is served (the backend's hub is its only client); the HTTP API stays off.

# Replaced by `--build-context wheels=DIR` (compose: additional_contexts); left empty, the
# COPY of the torch wheel below fails and names the missing file.
FROM scratch AS wheels

FROM python:3.11-slim AS build
# A compiler for the few locked packages that only ship sources (multidict 5.2 builds a C
# extension); it stays in this stage.
# hadolint ignore=DL3008
RUN apt-get update \
    && apt-get install -y --no-install-recommends build-essential \
    && rm -rf /var/lib/apt/lists/*
ENV UV_COMPILE_BYTECODE=1 \
    UV_LINK_MODE=copy \
    UV_PYTHON_DOWNLOADS=never
RUN pip install --no-cache-dir uv==0.13.9
WORKDIR /app
COPY --from=wheels torch-2.13.0+cpu-cp311-cp311-manylinux_2_28_x86_64.whl /opt/wheels/
COPY bot/rasa.lock bot/rasa.lock
RUN uv venv -p python3.11 /app/.venv-rasa \
    && VIRTUAL_ENV=/app/.venv-rasa uv pip sync --find-links /opt/wheels bot/rasa.lock
COPY domain.yml config.yml ./
COPY data data
COPY bot bot
# models/<hash of the training inputs>.tar.gz, offline (model_cache.py turns telemetry and
# downloads off), then fail the build if it is not there.
RUN /app/.venv-rasa/bin/python bot/model_cache.py \
    && /app/.venv-rasa/bin/python bot/model_cache.py --check

FROM python:3.11-slim
RUN useradd --system --uid 10001 --user-group --create-home --home-dir /home/rasa rasa
WORKDIR /app
COPY --from=build /app/.venv-rasa /app/.venv-rasa
COPY --from=build /app/bot /app/bot
COPY --from=build /app/models /app/models
COPY credentials.yml ./
COPY deploy/rasa/endpoints.yml deploy/rasa/endpoints.yml
ENV PATH=/app/.venv-rasa/bin:$PATH \
    PYTHONUNBUFFERED=1 \
    HF_HUB_OFFLINE=1 \
    TRANSFORMERS_OFFLINE=1 \
    RASA_TELEMETRY_ENABLED=false \
    SQLALCHEMY_SILENCE_UBER_WARNING=1
USER 10001:10001
EXPOSE 5005
# `/` answers once the model is loaded (Rasa loads it before it listens).
HEALTHCHECK --interval=15s --timeout=5s --start-period=180s --retries=3 \
    CMD ["python", "-c", "import sys, urllib.request; sys.exit(urllib.request.urlopen('http://127.0.0.1:5005/', timeout=4).status != 200)"]
# `--model models`: the newest model in the folder, the one trained above (or, to load models
# from a volume instead, mount one over /app/models: see docs/runbook.md).
CMD ["rasa", "run", "--model", "models", "--endpoints", "deploy/rasa/endpoints.yml", "--credentials", "credentials.yml", "--interface", "0.0.0.0", "--port", "5005"]
