#!/bin/sh
echo "hello, executable"
