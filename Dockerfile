# The team's shared tokenbudget: the app on the locked, hashed requirements, started by the same
# entry script the tests run (scripts/workspace-entry.sh: wait for the database, migrate, serve).
# Run it with compose.yaml (the app and PostgreSQL): `docker compose up -d --build`.
FROM python:3.11-slim
ENV PYTHONDONTWRITEBYTECODE=1 PYTHONUNBUFFERED=1 PIP_DISABLE_PIP_VERSION_CHECK=1
WORKDIR /app
COPY requirements-pip.lock requirements.lock ./
RUN python -m pip install --no-cache-dir --require-hashes -r requirements-pip.lock \
 && python -m pip install --no-cache-dir --require-hashes -r requirements.lock
COPY . .
RUN useradd --create-home --uid 10001 tokenbudget && chown -R tokenbudget /app
USER tokenbudget
EXPOSE 8501
HEALTHCHECK --interval=15s --timeout=5s --start-period=60s \
  CMD python -c "import urllib.request; urllib.request.urlopen('http://127.0.0.1:8501/_stcore/health', timeout=4)"
CMD ["scripts/workspace-entry.sh"]
