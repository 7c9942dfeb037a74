FROM debian
RUN apt-get update && \
    # install tools \
    apt-get install -y \

      curl \
  # trailing note
      git
RUN echo ok
