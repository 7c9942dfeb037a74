FROM python:3.12-slim-bookworm AS base
ENV PYTHONDONTWRITEBYTECODE=1 \
    PYTHONUNBUFFERED=1 \
    PIP_NO_CACHE_DIR=1 \
    PIP_DISABLE_PIP_VERSION_CHECK=1

RUN apt-get update \
 && apt-get install -y --no-install-recommends \
      build-essential \
      libpq-dev \
      curl \
      ca-certificates \
      # image processing
      libjpeg62-turbo-dev \
      zlib1g-dev \
 && rm -rf /var/lib/apt/lists/*

WORKDIR /srv
COPY requirements.txt requirements-dev.txt ./
RUN --mount=type=cache,target=/root/.cache/pip,sharing=locked \
    pip install --upgrade pip wheel setuptools && \
    pip install -r requirements.txt

COPY --link src/ ./src/
COPY --link pyproject.toml README.md ./
RUN pip install --no-deps -e .

ARG GIT_SHA=unknown
LABEL maintainer="platform team <platform@example.com>" git_sha=$GIT_SHA
RUN useradd --create-home --uid 10001 appuser
USER appuser
EXPOSE 8000
STOPSIGNAL SIGINT
CMD ["gunicorn", "--bind", "0.0.0.0:8000", "--workers", "4", "app.wsgi:application"]
