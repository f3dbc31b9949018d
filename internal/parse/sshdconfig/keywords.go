package sshdconfig

import "strings"

// Mode says how sshd combines several directives of one keyword.
type Mode int

// The ways sshd combines repeated directives.
const (
	// First: the first directive obtained wins, with all its arguments.
	// Most keywords work this way.
	First Mode = iota
	// Append: every directive adds its arguments (Port, HostKey,
	// AllowUsers...).
	Append
	// Last: each directive overwrites the previous one (MaxStartups,
	// IPQoS...).
	Last
	// Ignored: sshd accepts the keyword but does nothing with it
	// (Protocol, and options it reports as deprecated or unsupported).
	Ignored
)

// Kind says what the argument of a keyword looks like, so that Parse can
// report values sshd refuses and Setting.Value can print the value the way
// sshd -T does.
type Kind int

// The kinds of argument.
const (
	// Text is anything else: paths, names, patterns.
	Text Kind = iota
	// Flag is yes or no, in any case.
	Flag
	// Choice is one word of Info.Choices, in any case.
	Choice
	// Int is a decimal number.
	Int
	// Time is a time such as 90, 2m or 1h30m; Value gives it in seconds.
	Time
	// List is a comma-separated algorithm list that may start with '+'
	// (append to the default), '-' (remove from it) or '^' (put first).
	List
	// Rest takes the rest of the line as one argument, quotes and all
	// (ForceCommand, AuthorizedKeysCommand...).
	Rest
)

// Info is what bastion knows about one keyword of OpenSSH 9.2 as Debian 12
// ships it.
type Info struct {
	// Name is the keyword in the spelling of the manual page.
	Name string
	// Match is true when the keyword may appear inside a Match block.
	Match bool
	// Mode is how repeated directives combine.
	Mode Mode
	// Kind is what the argument looks like.
	Kind Kind
	// Choices are the accepted words of a Choice keyword, each mapped to
	// the word Setting.Value reports for it (sshd accepts aliases such as
	// "without-password" for "prohibit-password").
	Choices map[string]string
	// Default is the value sshd uses when no directive sets the keyword,
	// as separate arguments; for a List keyword the algorithm names. Nil
	// when the default is "nothing" (AllowUsers, Subsystem...).
	Default []string
	// Note explains an odd keyword: one sshd ignores, or a default that
	// depends on the build.
	Note string
}

// alias is one spelling of a keyword: the canonical keyword and whether
// this spelling may appear in a Match block (an alias may differ from its
// target: DSAAuthentication is global only, PubkeyAuthentication is not).
type alias struct {
	canon string
	match bool
}

// Dir is where sshd looks for an Include given as a relative path.
const Dir = "/etc/ssh"

var (
	flagChoices = map[string]string{"yes": "yes", "no": "no"}
	fwdChoices  = map[string]string{"yes": "yes", "all": "yes", "no": "no", "local": "local", "remote": "remote"}
)

// The default algorithm lists of OpenSSH 9.2p1 as Debian 12 builds it
// (sshd -T with an empty configuration), and every algorithm that build
// knows, which '+' and '^' patterns are matched against.
var (
	defCiphers = split("chacha20-poly1305@openssh.com,aes128-ctr,aes192-ctr,aes256-ctr," +
		"aes128-gcm@openssh.com,aes256-gcm@openssh.com")
	allCiphers = split("3des-cbc,aes128-cbc,aes192-cbc,aes256-cbc,aes128-ctr,aes192-ctr,aes256-ctr," +
		"aes128-gcm@openssh.com,aes256-gcm@openssh.com,chacha20-poly1305@openssh.com")

	defMACs = split("umac-64-etm@openssh.com,umac-128-etm@openssh.com,hmac-sha2-256-etm@openssh.com," +
		"hmac-sha2-512-etm@openssh.com,hmac-sha1-etm@openssh.com,umac-64@openssh.com,umac-128@openssh.com," +
		"hmac-sha2-256,hmac-sha2-512,hmac-sha1")
	allMACs = split("hmac-sha1,hmac-sha1-96,hmac-sha2-256,hmac-sha2-512,hmac-md5,hmac-md5-96," +
		"umac-64@openssh.com,umac-128@openssh.com,hmac-sha1-etm@openssh.com,hmac-sha1-96-etm@openssh.com," +
		"hmac-sha2-256-etm@openssh.com,hmac-sha2-512-etm@openssh.com,hmac-md5-etm@openssh.com," +
		"hmac-md5-96-etm@openssh.com,umac-64-etm@openssh.com,umac-128-etm@openssh.com")

	// Debian 12's 9.2 also offers the sntrup761 exchange under the name
	// later releases gave it, ahead of the "@openssh.com" one.
	defKex = split("sntrup761x25519-sha512,sntrup761x25519-sha512@openssh.com,curve25519-sha256," +
		"curve25519-sha256@libssh.org,ecdh-sha2-nistp256,ecdh-sha2-nistp384,ecdh-sha2-nistp521," +
		"diffie-hellman-group-exchange-sha256,diffie-hellman-group16-sha512," +
		"diffie-hellman-group18-sha512,diffie-hellman-group14-sha256")
	allKex = split("diffie-hellman-group1-sha1,diffie-hellman-group14-sha1,diffie-hellman-group14-sha256," +
		"diffie-hellman-group16-sha512,diffie-hellman-group18-sha512,diffie-hellman-group-exchange-sha1," +
		"diffie-hellman-group-exchange-sha256,ecdh-sha2-nistp256,ecdh-sha2-nistp384,ecdh-sha2-nistp521," +
		"curve25519-sha256,curve25519-sha256@libssh.org,sntrup761x25519-sha512," +
		"sntrup761x25519-sha512@openssh.com")

	defKeys = split("ssh-ed25519-cert-v01@openssh.com,ecdsa-sha2-nistp256-cert-v01@openssh.com," +
		"ecdsa-sha2-nistp384-cert-v01@openssh.com,ecdsa-sha2-nistp521-cert-v01@openssh.com," +
		"sk-ssh-ed25519-cert-v01@openssh.com,sk-ecdsa-sha2-nistp256-cert-v01@openssh.com," +
		"rsa-sha2-512-cert-v01@openssh.com,rsa-sha2-256-cert-v01@openssh.com,ssh-ed25519," +
		"ecdsa-sha2-nistp256,ecdsa-sha2-nistp384,ecdsa-sha2-nistp521,sk-ssh-ed25519@openssh.com," +
		"sk-ecdsa-sha2-nistp256@openssh.com,rsa-sha2-512,rsa-sha2-256")
	allKeys = split("ssh-ed25519,ssh-ed25519-cert-v01@openssh.com,sk-ssh-ed25519@openssh.com," +
		"sk-ssh-ed25519-cert-v01@openssh.com,ecdsa-sha2-nistp256,ecdsa-sha2-nistp256-cert-v01@openssh.com," +
		"ecdsa-sha2-nistp384,ecdsa-sha2-nistp384-cert-v01@openssh.com,ecdsa-sha2-nistp521," +
		"ecdsa-sha2-nistp521-cert-v01@openssh.com,sk-ecdsa-sha2-nistp256@openssh.com," +
		"sk-ecdsa-sha2-nistp256-cert-v01@openssh.com,webauthn-sk-ecdsa-sha2-nistp256@openssh.com," +
		"ssh-dss,ssh-dss-cert-v01@openssh.com,ssh-rsa,ssh-rsa-cert-v01@openssh.com,rsa-sha2-256," +
		"rsa-sha2-256-cert-v01@openssh.com,rsa-sha2-512,rsa-sha2-512-cert-v01@openssh.com")

	defSigs = split("ssh-ed25519,ecdsa-sha2-nistp256,ecdsa-sha2-nistp384,ecdsa-sha2-nistp521," +
		"sk-ssh-ed25519@openssh.com,sk-ecdsa-sha2-nistp256@openssh.com,rsa-sha2-512,rsa-sha2-256")
	allSigs = split("ssh-ed25519,sk-ssh-ed25519@openssh.com,ecdsa-sha2-nistp256,ecdsa-sha2-nistp384," +
		"ecdsa-sha2-nistp521,sk-ecdsa-sha2-nistp256@openssh.com,webauthn-sk-ecdsa-sha2-nistp256@openssh.com," +
		"ssh-dss,ssh-rsa,rsa-sha2-256,rsa-sha2-512")
)

func split(s string) []string { return strings.Split(s, ",") }

// algorithms gives, for each List keyword, its default list and every
// name the build supports.
var algorithms = map[string][2][]string{
	"ciphers":                     {defCiphers, allCiphers},
	"macs":                        {defMACs, allMACs},
	"kexalgorithms":               {defKex, allKex},
	"hostkeyalgorithms":           {defKeys, allKeys},
	"pubkeyacceptedalgorithms":    {defKeys, allKeys},
	"hostbasedacceptedalgorithms": {defKeys, allKeys},
	"casignaturealgorithms":       {defSigs, allSigs},
}

// Supported returns every algorithm name OpenSSH 9.2 (Debian 12) knows for
// a List keyword such as "ciphers", or nil for another keyword.
func Supported(keyword string) []string {
	return append([]string(nil), algorithms[Canonical(keyword)][1]...)
}

// infos is the keyword table, by canonical lower-case keyword.
var infos = map[string]*Info{}

// aliases maps every accepted lower-case spelling to its canonical keyword.
var aliases = map[string]alias{}

func def(name string, match bool, mode Mode, kind Kind, dflt []string, note string) *Info {
	in := &Info{Name: name, Match: match, Mode: mode, Kind: kind, Default: dflt, Note: note}
	k := strings.ToLower(name)
	infos[k] = in
	aliases[k] = alias{k, match}
	return in
}

func choice(name string, match bool, choices map[string]string, dflt string) {
	def(name, match, First, Choice, []string{dflt}, "").Choices = choices
}

func init() {
	const g, m = false, true
	w := func(s ...string) []string { return s }

	// Authentication.
	choice("PermitRootLogin", m, map[string]string{"yes": "yes", "no": "no",
		"prohibit-password": "prohibit-password", "without-password": "prohibit-password",
		"forced-commands-only": "forced-commands-only"}, "prohibit-password")
	def("PasswordAuthentication", m, First, Flag, w("yes"), "")
	def("PermitEmptyPasswords", m, First, Flag, w("no"), "")
	def("KbdInteractiveAuthentication", m, First, Flag, w("yes"), "")
	def("PubkeyAuthentication", m, First, Flag, w("yes"), "")
	def("PubkeyAuthOptions", m, First, Text, w("none"), "")
	def("HostbasedAuthentication", m, First, Flag, w("no"), "")
	def("HostbasedUsesNameFromPacketOnly", m, First, Flag, w("no"), "")
	choice("IgnoreRhosts", m, map[string]string{"yes": "yes", "no": "no", "shosts-only": "shosts-only"}, "yes")
	def("IgnoreUserKnownHosts", g, First, Flag, w("no"), "")
	def("KerberosAuthentication", m, First, Flag, w("no"), "")
	def("KerberosOrLocalPasswd", g, First, Flag, w("yes"), "")
	def("KerberosTicketCleanup", g, First, Flag, w("yes"), "")
	def("GSSAPIAuthentication", m, First, Flag, w("no"), "")
	def("GSSAPICleanupCredentials", g, First, Flag, w("yes"), "")
	def("GSSAPIStrictAcceptorCheck", g, First, Flag, w("yes"), "")
	def("GSSAPIKeyExchange", g, First, Flag, w("no"), "a Debian addition")
	def("GSSAPIStoreCredentialsOnRekey", g, First, Flag, w("no"), "a Debian addition")
	def("GSSAPIKexAlgorithms", g, First, Text, nil, "a Debian addition")
	def("UsePAM", g, First, Flag, w("no"), "Debian's shipped sshd_config sets it to yes")
	def("AuthenticationMethods", m, First, Text, w("any"), "")
	def("MaxAuthTries", m, First, Int, w("6"), "")
	def("LoginGraceTime", g, First, Time, w("120"), "")
	def("PermitUserEnvironment", g, First, Text, w("no"), "yes, no, or a pattern list of variable names")
	def("StrictModes", g, First, Flag, w("yes"), "")
	def("AuthorizedKeysFile", m, First, Text, w(".ssh/authorized_keys", ".ssh/authorized_keys2"), "")
	def("AuthorizedKeysCommand", m, First, Rest, w("none"), "")
	def("AuthorizedKeysCommandUser", m, First, Text, w("none"), "")
	def("AuthorizedPrincipalsFile", m, First, Text, w("none"), "")
	def("AuthorizedPrincipalsCommand", m, First, Rest, w("none"), "")
	def("AuthorizedPrincipalsCommandUser", m, First, Text, w("none"), "")
	def("TrustedUserCAKeys", m, First, Text, w("none"), "")
	def("RevokedKeys", m, First, Text, w("none"), "")
	def("RequiredRSASize", m, First, Int, w("1024"), "")
	def("SecurityKeyProvider", g, First, Text, w("internal"), "")

	// Who may log in.
	def("AllowUsers", m, Append, Text, nil, "")
	def("DenyUsers", m, Append, Text, nil, "")
	def("AllowGroups", m, Append, Text, nil, "")
	def("DenyGroups", m, Append, Text, nil, "")

	// Algorithms.
	def("Ciphers", g, First, List, defCiphers, "")
	def("MACs", g, First, List, defMACs, "")
	def("KexAlgorithms", g, First, List, defKex, "")
	def("HostKeyAlgorithms", g, First, List, defKeys, "")
	def("PubkeyAcceptedAlgorithms", m, First, List, defKeys, "")
	def("HostbasedAcceptedAlgorithms", m, First, List, defKeys, "")
	def("CASignatureAlgorithms", m, First, List, defSigs, "")
	def("Protocol", g, Ignored, Text, w("2"), "ignored since OpenSSH 7.4, which speaks only protocol 2")

	// Listening and the daemon.
	def("Port", g, Append, Int, w("22"), "")
	def("ListenAddress", g, Append, Text, w("0.0.0.0", "::"), "every address, on each Port")
	choice("AddressFamily", g, map[string]string{"any": "any", "inet": "inet", "inet6": "inet6"}, "any")
	def("HostKey", g, Append, Text, w("/etc/ssh/ssh_host_rsa_key", "/etc/ssh/ssh_host_ecdsa_key", "/etc/ssh/ssh_host_ed25519_key"), "")
	def("HostCertificate", g, Append, Text, nil, "")
	def("HostKeyAgent", g, First, Text, w("none"), "")
	def("PidFile", g, First, Text, w("/run/sshd.pid"), "")
	def("ModuliFile", g, First, Text, w("/etc/ssh/moduli"), "")
	def("SyslogFacility", g, First, Text, w("AUTH"), "")
	def("LogLevel", m, First, Text, w("INFO"), "")
	def("LogVerbose", m, First, Text, nil, "")
	def("MaxStartups", g, Last, Text, w("10:30:100"), "")
	def("PerSourceMaxStartups", g, Last, Text, w("none"), "")
	def("PerSourceNetBlockSize", g, Last, Text, w("32:128"), "")
	def("MaxSessions", m, First, Int, w("10"), "")
	def("ClientAliveInterval", m, First, Time, w("0"), "")
	def("ClientAliveCountMax", m, First, Int, w("3"), "")
	def("UnusedConnectionTimeout", m, First, Time, w("none"), "a time, or none")
	def("ChannelTimeout", m, First, Text, nil, "")
	def("TCPKeepAlive", g, First, Flag, w("yes"), "")
	def("UseDNS", g, First, Flag, w("no"), "")
	choice("Compression", g, map[string]string{"yes": "yes", "delayed": "yes", "no": "no"}, "yes")
	def("RekeyLimit", m, First, Text, w("0", "0"), "")
	def("IPQoS", m, Last, Text, w("lowdelay", "throughput"), "")
	def("VersionAddendum", g, First, Rest, w("none"), "")
	def("DebianBanner", g, First, Flag, w("yes"), "a Debian addition")
	def("FingerprintHash", g, Last, Text, w("SHA256"), "")
	def("RDomain", m, First, Text, nil, "not supported on Linux")
	def("Include", m, Append, Text, nil, "")
	def("Match", m, Append, Text, nil, "")

	// Sessions.
	def("Banner", m, First, Text, w("none"), "")
	def("PrintMotd", g, First, Flag, w("yes"), "")
	def("PrintLastLog", g, First, Flag, w("yes"), "")
	def("PermitTTY", m, First, Flag, w("yes"), "")
	def("PermitUserRC", m, First, Flag, w("yes"), "")
	def("ForceCommand", m, First, Rest, w("none"), "")
	def("ChrootDirectory", m, First, Text, w("none"), "")
	def("AcceptEnv", m, Append, Text, nil, "")
	def("SetEnv", m, First, Text, nil, "")
	def("Subsystem", g, Append, Text, nil, "Debian's shipped sshd_config sets sftp")
	def("XAuthLocation", g, First, Text, w("/usr/bin/xauth"), "")
	def("ExposeAuthInfo", m, First, Flag, w("no"), "")

	// Forwarding.
	def("X11Forwarding", m, First, Flag, w("no"), "")
	def("X11DisplayOffset", m, First, Int, w("10"), "")
	def("X11UseLocalhost", m, First, Flag, w("yes"), "")
	choice("AllowTcpForwarding", m, fwdChoices, "yes")
	choice("AllowStreamLocalForwarding", m, fwdChoices, "yes")
	def("AllowAgentForwarding", m, First, Flag, w("yes"), "")
	def("DisableForwarding", m, First, Flag, w("no"), "")
	choice("GatewayPorts", m, map[string]string{"yes": "yes", "no": "no", "clientspecified": "clientspecified"}, "no")
	choice("PermitTunnel", m, map[string]string{"yes": "yes", "no": "no", "point-to-point": "point-to-point", "ethernet": "ethernet"}, "no")
	def("PermitOpen", m, First, Text, w("any"), "")
	def("PermitListen", m, First, Text, w("any"), "")
	def("StreamLocalBindMask", m, Last, Text, w("0177"), "")
	def("StreamLocalBindUnlink", m, First, Flag, w("no"), "")

	// Other spellings of a keyword, and whether they may be in a Match.
	for k, a := range map[string]alias{
		"challengeresponseauthentication": {"kbdinteractiveauthentication", m},
		"skeyauthentication":              {"kbdinteractiveauthentication", m},
		"pubkeyacceptedkeytypes":          {"pubkeyacceptedalgorithms", m},
		"hostbasedacceptedkeytypes":       {"hostbasedacceptedalgorithms", m},
		"dsaauthentication":               {"pubkeyauthentication", g},
		"hostdsakey":                      {"hostkey", g},
		"keepalive":                       {"tcpkeepalive", g},
	} {
		aliases[k] = a
	}

	// Keywords sshd 9.2 accepts and ignores, reporting them as deprecated
	// or unsupported.
	for _, k := range []string{"pamauthenticationviakbdint", "serverkeybits", "keyregenerationinterval",
		"rhostsauthentication", "checkmail", "uselogin", "verifyreversemapping", "reversemappingcheck",
		"useprivilegeseparation", "kerberostgtpassing", "afstokenpassing", "kerberosgetafstoken"} {
		def(k, g, Ignored, Text, nil, "deprecated or unsupported; sshd ignores it")
	}
	for _, k := range []string{"rhostsrsaauthentication", "rsaauthentication", "authorizedkeysfile2"} {
		def(k, m, Ignored, Text, nil, "deprecated; sshd ignores it")
	}
}

// Canonical returns the lower-case canonical form of a keyword: aliases
// such as ChallengeResponseAuthentication become the keyword they stand
// for. An unknown keyword is returned in lower case.
func Canonical(keyword string) string {
	k := strings.ToLower(keyword)
	if a, ok := aliases[k]; ok {
		return a.canon
	}
	return k
}

// Lookup returns what bastion knows about a keyword (any spelling, any
// case). ok is false for a keyword sshd 9.2 does not know, which another
// build may.
func Lookup(keyword string) (Info, bool) {
	in, ok := infos[Canonical(keyword)]
	if !ok {
		return Info{}, false
	}
	return *in, true
}

// allowedInMatch reports whether a keyword as written may appear in a
// Match block, and whether sshd knows it at all.
func allowedInMatch(written string) (allowed, known bool) {
	a, ok := aliases[strings.ToLower(written)]
	if !ok {
		return true, false
	}
	return a.match, true
}
