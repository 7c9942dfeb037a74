# escape=`
FROM alpine
RUN echo a `
    b
COPY <<EOF /x
line
EOF
CMD ["x"]
