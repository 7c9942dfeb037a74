
# escape=`
FROM scratch
RUN echo \
  x
