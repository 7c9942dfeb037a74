FROM alpine
CMD ["echo", "hi"]
ENTRYPOINT   [ "/bin/sh" ,"-c" ]   
RUN ["echo", "\u00e9t\u00e9", "tab\there", "quote\""]
SHELL ["/bin/bash", "-o", "pipefail", "-c"]
CMD []
RUN ["café ☕"]
