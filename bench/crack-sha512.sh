#!/bin/bash
# Compares how many sha512crypt guesses (5000 rounds, the default) one core
# checks a second: bastion's internal/crypt (go test -bench), OpenSSL's
# "passwd -6" over a file of passwords, and John the Ripper when installed
# (its sha512crypt format in jumbo builds, else the core build's generic
# crypt(3) format on a sha512crypt hash).
#
# Every figure is guesses per second of CPU time (user + system), so other
# work on a busy machine does not lower it, and John and OpenSSL run on one
# thread. N (default 2000) sets how many passwords OpenSSL and John try;
# BENCHTIME (default 3s) how long go test runs.
set -eu
cd "$(dirname "$0")/.."
n=${N:-2000}
salt=16charsaltvalue1
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

# cpu_seconds CMD...: runs CMD with output discarded and prints the user +
# system CPU seconds it used.
cpu_seconds() {
	local TIMEFORMAT='%U %S' t
	t=$({ time "$@" >/dev/null 2>&1; } 2>&1)
	echo "$t" | awk '{ print $1 + $2 }'
}

rate() { awk -v n="$1" -v s="$2" 'BEGIN { if (s > 0) printf "%.0f", n / s; else print "n/a" }'; }

echo "sha512crypt, 5000 rounds, 16-character salt: guesses/s on one core"

out=$(go test -run '^$' -bench '^BenchmarkVerify$/^sha512$' -benchtime="${BENCHTIME:-3s}" ./internal/crypt/)
line=$(echo "$out" | grep '^BenchmarkVerify/sha512')
bastion=$(echo "$line" | awk '{ for (i = 1; i < NF; i++) if ($(i+1) == "guesses/cpu-s") print int($i) }')
nsop=$(echo "$line" | awk '{ for (i = 1; i < NF; i++) if ($(i+1) == "ns/op") print $i }')
printf '%-44s %8s  (%s ns/op wall)\n' "bastion internal/crypt (Go)" "$bastion" "$nsop"

i=1
while [ "$i" -le "$n" ]; do
	echo "guess$i"
	i=$((i + 1))
done >"$tmp/words"

if command -v openssl >/dev/null 2>&1; then
	s=$(cpu_seconds openssl passwd -6 -salt "$salt" -in "$tmp/words")
	printf '%-44s %8s\n' "openssl passwd -6 ($(openssl version | cut -d' ' -f1-2))" "$(rate "$n" "$s")"
else
	echo "openssl: not installed"
fi

if ! command -v john >/dev/null 2>&1; then
	echo "john: not installed"
	exit 0
fi
# John keeps its pot file and logs in ~/.john whatever it is asked to do;
# remove that directory afterwards if this script made it.
had_dir=0
[ -d "$HOME/.john" ] && had_dir=1
if john --list=formats 2>/dev/null | tr ', ' '\n\n' | grep -qx sha512crypt; then
	# Jumbo: its own SIMD sha512crypt; "c/s virtual" is per CPU second.
	r=$(OMP_NUM_THREADS=1 john --test=5 --format=sha512crypt 2>&1 | grep -m1 'c/s virtual' |
		sed 's/.*real, *\([0-9.K]*\) c\/s virtual.*/\1/')
	printf '%-44s %8s\n' "john --format=sha512crypt (jumbo)" "$r"
else
	# Core John has no sha512crypt format of its own: it cracks such
	# hashes through the system's crypt(3). Time a wordlist run against
	# a hash whose password is not in the list.
	echo "u:$(openssl passwd -6 -salt "$salt" 'not-in-the-list')" >"$tmp/hashes"
	s=$(cd "$tmp" && OMP_NUM_THREADS=1 cpu_seconds john --session="$tmp/john" --format=crypt --wordlist="$tmp/words" "$tmp/hashes")
	printf '%-44s %8s\n' "john --format=crypt (core, via crypt(3))" "$(rate "$n" "$s")"
fi
if [ "$had_dir" -eq 0 ]; then
	rm -rf "$HOME/.john"
fi
