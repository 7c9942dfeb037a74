# escape=x
FROM scratch
RUN echo \
  y
