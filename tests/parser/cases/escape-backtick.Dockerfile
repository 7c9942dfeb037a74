# escape=`
FROM mcr.microsoft.com/windows/servercore:ltsc2022
RUN dir C:\Windows `
    && echo done
COPY app\ C:\app\
WORKDIR C:\app
