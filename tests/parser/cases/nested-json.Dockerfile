FROM alpine
CMD [["echo"], "x"]
RUN [1, 2]
COPY ["a", null]
