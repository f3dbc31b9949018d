package policy

import (
	"maps"
	"slices"
)

// role is one entry of the role table: a name a policy can give under
// "roles", what the role is, and the service names it allows.
type role struct {
	name  string
	title string
	// services are the names the role allows: well-known port names (as
	// /etc/services spells them), inetd service names, RPC program names,
	// daemon base names and systemd unit names.
	services []string
	// router marks the role that sets Policy.Router.
	router bool
}

// rpcbind holds the names of the RPC portmapper, which every RPC service
// needs.
var rpcbind = []string{"portmap", "rpcbind", "sunrpc"}

// roleTable is the one place the roles are defined. The JSON schema of the
// policy file (docs/policy.schema.json) lists the same names; a test checks
// that the two agree.
var roleTable = []role{
	{name: "mail-server", title: "receives mail over SMTP",
		services: []string{"smtp", "submission", "smtps", "submissions",
			"sendmail", "postfix", "master", "exim", "exim4"}},
	{name: "ftp-server", title: "serves files over FTP",
		services: []string{"ftp", "ftpd", "in.ftpd", "wu-ftpd", "vsftpd", "proftpd", "pure-ftpd"}},
	{name: "nfs-server", title: "exports file systems over NFS",
		services: concat([]string{"nfs", "nfsd", "rpc.nfsd", "mountd", "rpc.mountd",
			"statd", "rpc.statd", "status", "lockd", "rpc.lockd", "nlockmgr", "biod",
			"nfs-server", "nfs-kernel-server", "nfs-mountd", "rpc-statd"}, rpcbind)},
	{name: "nfs-client", title: "mounts file systems over NFS",
		services: concat([]string{"biod", "statd", "rpc.statd", "status",
			"lockd", "rpc.lockd", "nlockmgr", "rpc-statd"}, rpcbind)},
	{name: "name-server", title: "answers DNS queries",
		services: []string{"domain", "named", "named8", "named9", "bind9", "unbound", "dnsmasq"}},
	{name: "print-server", title: "accepts print jobs from the network",
		services: []string{"printer", "ipp", "lpd", "cupsd", "cups", "qdaemon", "piobe"}},
	{name: "x-display", title: "runs a graphical display or CDE desktop",
		services: []string{"X11", "X", "Xorg", "xdmcp", "dtlogin", "dtgreet", "dtspc", "dtspcd",
			"xdm", "gdm", "gdm3", "lightdm", "sddm", "display-manager"}},
	{name: "web-server", title: "serves HTTP",
		services: []string{"http", "https", "httpd", "apache2", "nginx", "lighttpd"}},
	{name: "time-server", title: "serves time over NTP",
		services: []string{"ntp", "ntpd", "xntpd", "ntpsec", "chronyd", "chrony"}},
	{name: "snmp-managed", title: "answers SNMP queries from a management station",
		services: []string{"snmp", "snmpd", "snmpdv1", "snmpdv3", "snmpdv3ne", "smux", "dpid2",
			"hostmibd", "snmpmibd", "aixmibd"}},
	{name: "log-host", title: "receives syslog messages from other hosts",
		services: []string{"syslog", "syslog-tls", "syslogd", "rsyslogd", "rsyslog", "syslog-ng"}},
	{name: "nis-server", title: "serves NIS maps",
		services: concat([]string{"ypserv", "ypbind", "yppasswdd", "rpc.yppasswdd",
			"ypupdated", "rpc.ypupdated", "ypxfrd", "rpc.ypxfrd"}, rpcbind)},
	{name: "nis-client", title: "looks up NIS maps",
		services: concat([]string{"ypbind"}, rpcbind)},
	{name: "dhcp-server", title: "hands out addresses over DHCP or BOOTP",
		services: []string{"bootps", "dhcpv6-server", "dhcpd", "dhcpd3", "dhcpsd",
			"isc-dhcp-server", "kea-dhcp4", "kea-dhcp6"}},
	{name: "file-server-smb", title: "serves files to Windows clients over SMB",
		services: []string{"netbios-ns", "netbios-dgm", "netbios-ssn", "microsoft-ds",
			"smbd", "nmbd", "samba"}},
	{name: "router", title: "forwards packets between networks (sets router: true; routing daemons must be named under services)",
		router: true},
}

// base is what every policy allows: what a general-purpose server needs.
// It is remote login over SSH, and daemons that work locally and do not
// listen. Local logging needs no entry, since it is not a network service;
// syslogd's reception of remote messages (UDP 514) is, and is allowed only
// by naming "syslog" under services or by the log-host role. For the same
// reason no syslog daemon is in this list: a row names its daemon, and a
// daemon listed here would allow whatever that daemon listens on.
var base = []string{"ssh", "sshd", "cron", "crond", "atd"}

func concat(a, b []string) []string {
	return append(slices.Clip(a), b...)
}

// Roles returns the role table: each role name with the service names it
// allows. The map is a copy; changing it changes no policy.
//
// The roles are:
//
//   - mail-server: smtp, submission, smtps, submissions, sendmail, postfix,
//     master, exim, exim4
//   - ftp-server: ftp, ftpd, in.ftpd, wu-ftpd, vsftpd, proftpd, pure-ftpd
//   - nfs-server: nfs, nfsd, mountd, statd, status, lockd, nlockmgr, biod
//     (and their rpc. forms), the NFS units, and the portmapper (portmap,
//     rpcbind, sunrpc)
//   - nfs-client: biod, statd, lockd (and their rpc. and RPC program
//     names), and the portmapper
//   - name-server: domain, named, bind9, unbound, dnsmasq
//   - print-server: printer, ipp, lpd, cupsd, cups, qdaemon, piobe
//   - x-display: X11, X, Xorg, xdmcp, dtlogin, dtgreet, dtspc, dtspcd and
//     the display managers (xdm, gdm, gdm3, lightdm, sddm)
//   - web-server: http, https, httpd, apache2, nginx, lighttpd
//   - time-server: ntp, ntpd, xntpd, ntpsec, chronyd, chrony
//   - snmp-managed: snmp, snmpd (and the AIX snmpdv1, snmpdv3, snmpdv3ne),
//     smux, dpid2 and the AIX MIB subagents
//   - log-host: remote syslog reception: syslog, syslog-tls, syslogd,
//     rsyslogd, rsyslog, syslog-ng
//   - nis-server: ypserv, ypbind, yppasswdd, ypupdated, ypxfrd (and their
//     rpc. forms), and the portmapper
//   - nis-client: ypbind and the portmapper
//   - dhcp-server: bootps, dhcpv6-server, dhcpd, dhcpd3, dhcpsd,
//     isc-dhcp-server, kea-dhcp4, kea-dhcp6
//   - file-server-smb: netbios-ns, netbios-dgm, netbios-ssn, microsoft-ds,
//     smbd, nmbd, samba
//   - router: no services; it sets Policy.Router
func Roles() map[string][]string {
	m := make(map[string][]string, len(roleTable))
	for _, r := range roleTable {
		m[r.name] = slices.Clone(r.services)
	}
	return m
}

// RoleNames returns the role names, sorted.
func RoleNames() []string {
	return slices.Sorted(maps.Keys(Roles()))
}

// RoleTitle returns a one-line description of a role, or "" for an unknown
// role.
func RoleTitle(name string) string {
	if r := lookupRole(name); r != nil {
		return r.title
	}
	return ""
}

// Base returns the service names every policy allows, the default included.
func Base() []string {
	return slices.Clone(base)
}

func lookupRole(name string) *role {
	for i := range roleTable {
		if roleTable[i].name == name {
			return &roleTable[i]
		}
	}
	return nil
}
