#!/bin/sh
# Stands in for Chromium: if auditmark ever starts a browser for this run, it leaves a mark.
echo started > browser-started
exit 1
