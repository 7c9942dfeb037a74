FROM scratch
# escape=`
RUN echo \
  x
