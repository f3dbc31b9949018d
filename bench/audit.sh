#!/bin/sh
# Times "bastion audit" on this machine, live, with the built binary (every
# rule: the packet filter, the package lists, the daemons' executables are
# read), and on the AIX fixture root. The audit exits 1 when it finds
# something, so exit codes are ignored. hyperfine when installed, else the
# mean of N runs.
set -eu
cd "$(dirname "$0")/.."
CGO_ENABLED=0 go build -trimpath -o bin/bastion ./cmd/bastion
n=${N:-30}
if command -v hyperfine >/dev/null 2>&1; then
	hyperfine -N -i --warmup 3 --runs "$n" 'bin/bastion audit -q --format json' \
		'bin/bastion audit -q --root testdata/roots/aix433-default --format json'
	exit 0
fi
for args in "audit -q --format json" "audit -q --root testdata/roots/aix433-default --format json"; do
	start=$(date +%s%N)
	i=0
	while [ $i -lt "$n" ]; do bin/bastion $args >/dev/null || true; i=$((i + 1)); done
	end=$(date +%s%N)
	echo "bastion $args: mean $(( (end - start) / n / 1000000 )) ms over $n runs"
done
