FROM alpine
COPY --from=build --chown="app user" -- --not-a-flag /dst
CMD --anything=goes --bare echo hi
RUN --mount=type=bind,target=/x -- echo after
COPY --link=tr\ue a b
RUN -- --
