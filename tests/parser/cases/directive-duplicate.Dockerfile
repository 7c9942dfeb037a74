# escape=\
# escape=`
FROM scratch
