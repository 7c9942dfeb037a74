#!/bin/sh
if [ "$1" = "--loud" ]; then echo "HELLO"; else echo "hello"; fi
