FROM alpine
RUN <<﻿EOF
echo hi
EOF
COPY <<﻿ /x
