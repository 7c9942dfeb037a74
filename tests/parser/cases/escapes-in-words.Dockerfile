FROM alpine
ENV A=b\ c D="e \"f\""
RUN echo \$HOME \

   done
LABEL x="a\
b"
