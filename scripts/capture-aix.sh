#!/bin/ksh
# Captures the AIX state bastion reads from an offline root. Run as root on
# the AIX host; writes into the directory given (default ./capture), which
# then goes into the copied root as /var/lib/bastion/capture.
set -u
out=${1:-./capture}
mkdir -p "$out" || exit 2
netstat -Aan > "$out/netstat-Aan" 2>&1
rpcinfo -p > "$out/rpcinfo-p" 2>&1
lssrc -a > "$out/lssrc-a" 2>&1
no -a > "$out/no-a" 2>&1
oslevel -s > "$out/oslevel-s" 2>/dev/null || oslevel > "$out/oslevel" 2>&1
sedmgr > "$out/sedmgr" 2>&1
instfix -i > "$out/instfix-i" 2>&1
instfix -ik IY04477 > "$out/instfix-ik" 2>&1
# IP security filter rules, when the filter fileset is installed.
if command -v lsfilt >/dev/null 2>&1; then
	lsfilt -v 4 > "$out/lsfilt-v4" 2>/dev/null
	lsfilt -v 6 > "$out/lsfilt-v6" 2>/dev/null
fi
# The holder of each listening socket: rmsock only reports the owner of a
# socket in use, and every listener is in use.
: > "$out/rmsock"
netstat -Aan | awk '$2 ~ /^tcp/ && $NF == "LISTEN" { print $1, "tcpcb" }
                    $2 ~ /^udp/ && $6 == "*.*"    { print $1, "inpcb" }' |
while read pcb kind; do
	echo "# rmsock $pcb $kind" >> "$out/rmsock"
	rmsock "$pcb" "$kind" >> "$out/rmsock" 2>&1
done
# Filesets of the programs that start services.
files=$(awk '!/^#/ && NF >= 6 && $6 ~ /^\// { print $6 }' /etc/inetd.conf 2>/dev/null
	awk '/^[ \t]*start[ \t]/ { print $2 }' /etc/rc.tcpip /etc/rc.nfs 2>/dev/null)
lslpp -w $files > "$out/lslpp-w" 2>&1
echo "captured into $out"
