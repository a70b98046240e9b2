# Debrief in a container: a slim Python, a non-root user, the data directory as a volume, and a health
# check on /readyz. Build: docker build -t debrief . ; run: see compose.yaml and docs/operating.md.
FROM python:3.11-slim

ENV PYTHONDONTWRITEBYTECODE=1 \
    PYTHONUNBUFFERED=1 \
    PIP_NO_CACHE_DIR=1 \
    PIP_DISABLE_PIP_VERSION_CHECK=1 \
    DEBRIEF_DATA_DIR=/data \
    DEBRIEF_OPS__HTTP_PORT=9464 \
    DEBRIEF_OPS__HTTP_HOST=0.0.0.0

RUN useradd --system --uid 10001 --home-dir /app --shell /usr/sbin/nologin debrief \
    && mkdir /data && chown debrief:debrief /data

WORKDIR /app
COPY pyproject.toml README.md ./
COPY bot ./bot
COPY cogs ./cogs
COPY fakediscord ./fakediscord
COPY sandbox ./sandbox
# The README's install command (the sandbox extra too, so `docker run -it debrief python -m bot sandbox` works).
RUN python3 -m venv .venv && . .venv/bin/activate && pip install -e '.[sandbox]'
ENV PATH=/app/.venv/bin:$PATH

VOLUME ["/data"]
USER debrief
EXPOSE 9464
# /readyz: the gateway is connected, its heartbeat acknowledged, and the database takes a write.
HEALTHCHECK --interval=30s --timeout=5s --start-period=60s --retries=3 \
    CMD ["python", "-c", "import urllib.request; urllib.request.urlopen('http://127.0.0.1:9464/readyz', timeout=4)"]
# SIGTERM (docker stop) closes the bot cleanly: the queue stops and the database is closed.
STOPSIGNAL SIGTERM
CMD ["python", "-m", "bot"]
