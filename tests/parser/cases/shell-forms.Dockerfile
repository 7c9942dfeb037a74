FROM alpine
ENTRYPOINT exec /app --flag
SHELL /bin/bash -c
CMD echo $HOME
SHELL []
RUN
MAINTAINER someone <me@example.com>
STOPSIGNAL SIGKILL
USER app:app
WORKDIR /srv/app dir
EXPOSE 80/tcp 443 8000-8010
EXPOSE
USER
