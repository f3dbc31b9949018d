#!/bin/sh
# Installs what the test suite needs on a fresh Debian machine: Go modules,
# and the C toolchain the race detector uses. Safe to run again.
set -eu
missing=""
command -v gcc >/dev/null 2>&1 || missing="$missing gcc libc6-dev"
if [ -n "$missing" ]; then
	if [ "$(id -u)" -eq 0 ]; then
		apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq $missing
	else
		echo "deps: please install:$missing" >&2
		exit 1
	fi
fi
go mod download
