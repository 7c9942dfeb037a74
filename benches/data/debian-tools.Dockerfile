FROM debian:bookworm
LABEL description="CI toolbox image"
ARG DEBIAN_FRONTEND=noninteractive
RUN set -eux; \
    apt-get update; \
    apt-get install -y --no-install-recommends \
        bash \
        ca-certificates \
        curl \
        git \
        gnupg \
        jq \
        lsb-release \
        make \
        openssh-client \
        python3 \
        python3-pip \
        rsync \
        shellcheck \
        unzip \
        wget \
        xz-utils \
        zip \
    ; \
    rm -rf /var/lib/apt/lists/*
RUN curl -fsSL https://download.example.com/linux/debian/gpg | gpg --dearmor -o /usr/share/keyrings/example.gpg && \
    echo "deb [arch=$(dpkg --print-architecture) signed-by=/usr/share/keyrings/example.gpg] https://download.example.com/linux/debian $(lsb_release -cs) stable" > /etc/apt/sources.list.d/example.list && \
    apt-get update && apt-get install -y example-cli && rm -rf /var/lib/apt/lists/*
ENV PATH="/opt/tools/bin:${PATH}" \
    LANG=C.UTF-8
COPY scripts/ /opt/tools/bin/
RUN chmod +x /opt/tools/bin/*
SHELL ["/bin/bash", "-o", "pipefail", "-c"]
WORKDIR /work
CMD ["bash"]
