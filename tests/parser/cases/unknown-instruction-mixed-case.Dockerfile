FROM alpine
RuNN x
