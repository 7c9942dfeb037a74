#ESCAPE = `
#  Syntax=example/frontend:1  
FROM scratch
COPY a `
  /b
