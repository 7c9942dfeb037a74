# escape=`

FROM busybox
RUN echo `
  hi