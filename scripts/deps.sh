#!/bin/sh
# Installs what the test suite needs on a fresh Debian machine: Go modules,
# the C toolchain the race detector uses, GNU patch (the hardening plan is
# applied with it), and, as root, what the live tests (which need root) use:
# a real inetd (openbsd-inetd), /etc/services (netbase) and pkill (procps),
# which the fix runs to make inetd re-read its configuration; and the mail,
# FTP, SNMP and cron packages whose default configuration the live audit
# test reads (postfix, preseeded as an Internet Site so that it writes a
# main.cf; vsftpd, snmpd, cron, at); the password tools the weak-password
# tests hash with (openssl, mkpasswd from whois); the real sshd whose
# sshd -T the sshd_config evaluator is checked against (openssh-server);
# and the packet filters the reachability tests load into namespaces of
# their own (nftables, iptables, iproute2). Safe to run again; silent on
# success.
set -eu
missing=""
command -v gcc >/dev/null 2>&1 || missing="$missing gcc libc6-dev"
command -v patch >/dev/null 2>&1 || missing="$missing patch"
if [ "$(id -u)" -eq 0 ]; then
	[ -x /usr/sbin/inetd ] || missing="$missing openbsd-inetd"
	[ -e /etc/services ] || missing="$missing netbase"
	command -v pkill >/dev/null 2>&1 || missing="$missing procps"
	[ -e /etc/postfix/main.cf ] || missing="$missing postfix"
	[ -e /etc/vsftpd.conf ] || missing="$missing vsftpd"
	[ -e /etc/snmp/snmpd.conf ] || missing="$missing snmpd"
	[ -e /etc/crontab ] && [ -x /usr/sbin/cron ] || missing="$missing cron"
	[ -x /usr/bin/at ] || missing="$missing at"
	command -v openssl >/dev/null 2>&1 || missing="$missing openssl"
	command -v mkpasswd >/dev/null 2>&1 || missing="$missing whois"
	[ -x /usr/sbin/sshd ] || missing="$missing openssh-server"
	command -v nft >/dev/null 2>&1 || missing="$missing nftables"
	command -v iptables-save >/dev/null 2>&1 || missing="$missing iptables"
	command -v ip >/dev/null 2>&1 || missing="$missing iproute2"
fi
if [ -n "$missing" ]; then
	if [ "$(id -u)" -eq 0 ]; then
		log=$(mktemp)
		# postfix asks how it is used; as an Internet Site its postinst
		# writes a default main.cf.
		if ! { printf '%s\n' 'postfix postfix/main_mailer_type select Internet Site' \
			'postfix postfix/mailname string bastion-test.example' | debconf-set-selections &&
			apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq $missing; } >"$log" 2>&1; then
			cat "$log" >&2
			rm -f "$log"
			exit 1
		fi
		rm -f "$log"
	else
		echo "deps: please install:$missing" >&2
		exit 1
	fi
fi
go mod download
