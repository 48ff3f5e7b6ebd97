# One image for every kx process; the command picks which one:
#   web <service> --port 8000 | worker <service> | migrate | demo    (see docker-compose.yml)
FROM python:3.11-slim

# WeasyPrint (learning's PDF packs) needs Pango and HarfBuzz from the system; the packs ask for
# DejaVu Sans, so that is the font installed.
RUN apt-get update \
    && apt-get install -y --no-install-recommends \
        libpango-1.0-0 libpangoft2-1.0-0 libharfbuzz-subset0 fonts-dejavu-core \
    && rm -rf /var/lib/apt/lists/*

ENV PYTHONDONTWRITEBYTECODE=1 \
    PYTHONUNBUFFERED=1 \
    PIP_NO_CACHE_DIR=1 \
    PIP_DISABLE_PIP_VERSION_CHECK=1 \
    PIP_ROOT_USER_ACTION=ignore

# Install the project as a package, then drop the sources: processes import only what was installed.
WORKDIR /src
COPY pyproject.toml README.md ./
COPY shared ./shared
COPY services ./services
RUN pip install . && rm -rf /src

# A user without privileges; its home is KX_VAR_DIR, where expenses keeps receipt files
# (a volume in docker-compose.yml). The folder exists here so that a new volume inherits its owner.
RUN useradd --system --user-group --home-dir /var/lib/kx --shell /usr/sbin/nologin kx \
    && mkdir -p /var/lib/kx/receipts \
    && chown -R kx:kx /var/lib/kx \
    && chmod 700 /var/lib/kx/receipts
ENV KX_VAR_DIR=/var/lib/kx
WORKDIR /var/lib/kx
USER kx

EXPOSE 8000
ENTRYPOINT ["kx"]
CMD ["--help"]
