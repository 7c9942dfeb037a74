FROM alpine
RUN echo first \
      second \  
	 third
RUN echo a\
\
  b
\
RUN echo after-lone-escape
