#!/bin/sh
# Captures the Linux state bastion reads from an offline root. Run as root on
# the host; writes into the directory given (default ./capture), which then
# goes into the copied root as /var/lib/bastion/capture.
set -u
out=${1:-./capture}
mkdir -p "$out/proc/net" || exit 2
ss -tulpn > "$out/ss-tulpn" 2>&1
for t in tcp tcp6 udp udp6; do cat "/proc/net/$t" > "$out/proc/net/$t" 2>/dev/null; done
command -v rpcinfo >/dev/null 2>&1 && rpcinfo -p > "$out/rpcinfo-p" 2>&1
command -v nft >/dev/null 2>&1 && nft -j list ruleset > "$out/nft-j-list-ruleset" 2>/dev/null
command -v iptables-save >/dev/null 2>&1 && iptables-save > "$out/iptables-save" 2>/dev/null
command -v ip6tables-save >/dev/null 2>&1 && ip6tables-save > "$out/ip6tables-save" 2>/dev/null
sysctl -a > "$out/sysctl-a" 2>/dev/null
cat /proc/cpuinfo > "$out/proc/cpuinfo" 2>/dev/null
command -v ip >/dev/null 2>&1 && ip -o link > "$out/ip-o-link" 2>/dev/null
if command -v dnf >/dev/null 2>&1; then
	dnf -q updateinfo list > "$out/updateinfo-list" 2>/dev/null
elif command -v yum >/dev/null 2>&1; then
	yum -q updateinfo list > "$out/updateinfo-list" 2>/dev/null
fi
echo "captured into $out"
