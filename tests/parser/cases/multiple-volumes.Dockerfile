FROM alpine
VOLUME /a /b   /c
VOLUME ["/d", "/e f"]
VOLUME
VOLUME [""]
