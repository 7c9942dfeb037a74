# check=skip=JSONArgsRecommended;error=true
# syntax=docker/dockerfile:1
FROM scratch
