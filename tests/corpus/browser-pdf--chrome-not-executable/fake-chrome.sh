#!/bin/sh
echo "not a browser" >&2
exit 1
