#!/bin/sh
# Installs what the test suite needs on a fresh Debian machine: Go modules,
# the C toolchain the race detector uses, and GNU patch (the hardening plan
# is applied with it). Safe to run again.
set -eu
missing=""
command -v gcc >/dev/null 2>&1 || missing="$missing gcc libc6-dev"
command -v patch >/dev/null 2>&1 || missing="$missing patch"
if [ -n "$missing" ]; then
	if [ "$(id -u)" -eq 0 ]; then
		apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq $missing
	else
		echo "deps: please install:$missing" >&2
		exit 1
	fi
fi
go mod download
