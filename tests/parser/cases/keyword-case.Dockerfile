from alpine
Run echo mixed
workDIR /x
