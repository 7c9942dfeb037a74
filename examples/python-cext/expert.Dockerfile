# Hand-optimized: build the C extension into a virtualenv in a build stage (compiler and
# headers stay there), ship the venv on a slim base with only python3, non-root user.
# The build metadata is copied before the source so the build tools' layer is reused.
FROM debian:bookworm-slim AS build
RUN apt-get update \
 && apt-get install -y --no-install-recommends ca-certificates gcc libc6-dev python3-dev python3-venv \
 && rm -rf /var/lib/apt/lists/*
RUN python3 -m venv /opt/venv \
 && /opt/venv/bin/pip install --no-cache-dir --disable-pip-version-check "setuptools>=61" wheel
WORKDIR /src
COPY pyproject.toml setup.py ./
COPY src ./src
RUN /opt/venv/bin/pip install --no-cache-dir --disable-pip-version-check --no-build-isolation . \
 && /opt/venv/bin/pip uninstall -y --disable-pip-version-check pip setuptools wheel

FROM debian:bookworm-slim
RUN apt-get update \
 && apt-get install -y --no-install-recommends python3 \
 && rm -rf /var/lib/apt/lists/*
COPY --from=build /opt/venv /opt/venv
ENV PATH=/opt/venv/bin:$PATH PYTHONDONTWRITEBYTECODE=1
USER 65534:65534
ENTRYPOINT ["faststats"]
