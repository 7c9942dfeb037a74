FROM alpine
COPY ["a b", "c", "/dst/"]
COPY a
COPY --from=0 /x /y
ADD https://example.com/f.tgz /f
copy lower case
