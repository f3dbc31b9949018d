#!/bin/sh
# Times "bastion services" on this machine, live, with the built binary:
# hyperfine when installed, else the mean of N runs.
set -eu
cd "$(dirname "$0")/.."
CGO_ENABLED=0 go build -trimpath -o bin/bastion ./cmd/bastion
n=${N:-50}
if command -v hyperfine >/dev/null 2>&1; then
	hyperfine -N --warmup 3 --runs "$n" 'bin/bastion services -q --format json' \
		'bin/bastion services -q --root testdata/roots/aix433-default --format json'
	exit 0
fi
for args in "services -q --format json" "services -q --root testdata/roots/aix433-default --format json"; do
	start=$(date +%s%N)
	i=0
	while [ $i -lt "$n" ]; do bin/bastion $args >/dev/null; i=$((i + 1)); done
	end=$(date +%s%N)
	echo "bastion $args: mean $(( (end - start) / n / 1000000 )) ms over $n runs"
done
