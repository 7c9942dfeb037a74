FROM alpine
RUN <<eo'f'
A $X
eof
RUN <<eo\'f
B
eo'f
RUN <<'e'o\'f
C
eo'f
RUN <<'one two'
D
one two
RUN <<$EOF
E
$EOF
RUN <<  SPACED
F
SPACED
RUN <<"DQ"
G
DQ
