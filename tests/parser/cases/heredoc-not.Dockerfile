FROM alpine
USER <<X
RUN "<<NOHEREDOC"
RUN ["<<EOF"]
RUN echo <<
RUN cat<<EOF
RUN echo done
