FROM alpine
RUN echo C:\\
RUN echo three\\\
RUN echo next
