ARG BASE=alpine
RUN echo too early
FROM $BASE
