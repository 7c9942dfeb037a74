FROM alpine
ONBUILD RUN <<EOF
echo later
EOF
ONBUILD COPY ["<<X", "/x"]
