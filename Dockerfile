# syntax=docker/dockerfile:1
# The connector image as Airbyte builds Python connectors: the package pip-installed on Airbyte's
# python-connector-base image, run as its non-root `airbyte` user, with the console script as entrypoint.
# Build from the repository root: docker build -t <registry>/source-brightpearl:0.2.0 .
# (docs/airbyte-oss.md takes it from there to a connector in Airbyte Open Source.)

# Pinned by digest, the same reference as connectorBuildOptions.baseImage in metadata.yaml (a unit test keeps the two
# equal): a tag alone can be re-pushed, the digest names one image. python-connector-base 4.0.2 runs Python 3.11.
ARG BASE_IMAGE=docker.io/airbyte/python-connector-base:4.0.2@sha256:9fdb1888c4264cf6fee473649ecb593f56f58e5d0096a87ee0b231777e2e3e73

FROM ${BASE_IMAGE} AS builder
WORKDIR /airbyte/integration_code
# Only what the wheel is built from (.dockerignore keeps everything else, secrets/ included, out of the context).
COPY pyproject.toml README.md manifest.yaml spec.json ./
COPY schemas ./schemas
COPY source_brightpearl ./source_brightpearl
RUN pip install --no-cache-dir .

FROM ${BASE_IMAGE}
WORKDIR /airbyte/integration_code
# The installed package and its console script, without the sources or the build's pip cache.
COPY --from=builder /usr/local /usr/local
USER airbyte
# Airbyte reads AIRBYTE_ENTRYPOINT to know what to run when it overrides the image's entrypoint.
ENV AIRBYTE_ENTRYPOINT="source-brightpearl"
ENTRYPOINT ["source-brightpearl"]
LABEL io.airbyte.name=airbyte/source-brightpearl
LABEL io.airbyte.version=0.2.0
