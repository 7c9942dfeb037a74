# syntax=docker/dockerfile:1
FROM alpine
RUN <<EOF
echo hello
echo $HOME
EOF
RUN 3<<EOF cat /proc/self/fd/3
fd three
EOF
RUN <<-EOF
	echo tab-indented
	EOF
RUN cat <<EOF > /tmp/out
  kept indentation
# not a comment
\
EOF
