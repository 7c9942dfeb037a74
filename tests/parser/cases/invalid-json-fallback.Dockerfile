FROM alpine
CMD ['echo', 'single']
CMD ["echo", "unterminated"
CMD ["echo", "open string]
RUN echo '["not", "json"]'
ENTRYPOINT ["a"] trailing
COPY ['a b', 'c']
