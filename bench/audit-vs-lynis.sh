#!/bin/sh
# Times a full "bastion audit" of this machine, live, against Lynis's
# "audit system" on the same machine, and prints the ratio. Lynis comes from
# Debian's lynis package; the script installs it when it can.
set -eu
cd "$(dirname "$0")/.."
CGO_ENABLED=0 go build -trimpath -o bin/bastion ./cmd/bastion
if ! command -v lynis >/dev/null 2>&1; then
	[ "$(id -u)" -eq 0 ] && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq lynis >/dev/null
fi
runs=${N:-3}
if command -v hyperfine >/dev/null 2>&1; then
	hyperfine -N -i --warmup 2 --runs "$runs" --export-json bench/out.json \
		'bin/bastion audit -q --format json' \
		'lynis audit system --quick --no-colors --no-log --no-plugins'
	python3 - <<'PY'
import json
r = json.load(open("bench/out.json"))["results"]
b, l = r[0]["mean"], r[1]["mean"]
print(f"bastion audit: {b*1000:.0f} ms, lynis audit system: {l*1000:.0f} ms, lynis/bastion = {l/b:.0f}x")
PY
	rm -f bench/out.json
	exit 0
fi
t0=$(date +%s%N); bin/bastion audit -q --format json >/dev/null || true; t1=$(date +%s%N)
lynis audit system --quick --no-colors --no-log --no-plugins >/dev/null 2>&1 || true; t2=$(date +%s%N)
echo "bastion audit: $(( (t1 - t0) / 1000000 )) ms, lynis: $(( (t2 - t1) / 1000000 )) ms"
