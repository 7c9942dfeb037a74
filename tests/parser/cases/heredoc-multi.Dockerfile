FROM alpine
COPY <<A <<B /dest/
in A
B
A
in B
A
B
RUN <<X python3
print('x')
X
RUN --mount=type=cache,target=/root/.cache <<EOF
pip install x
EOF
RUN <<A cat && <<B cat
a
A
b
B
