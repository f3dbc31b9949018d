package postfix

import (
	"strconv"
	"strings"
)

// DefaultsFor returns the built-in values of the main.cf parameters that
// decide how exposed a Postfix server is, for the compatibility_level
// compat as main.cf sets it ("" when it does not: Postfix then uses level
// 0). It returns a new map on each call.
//
// Several defaults changed with the compatibility level that Postfix 3.0
// introduced; Postfix's own default is an expression on the level, which
// DefaultsFor resolves:
//
//	mynetworks_style                          subnet below level 2, host from 2
//	relay_domains                             $mydestination below level 2, empty from 2
//	smtpd_relay_restrictions                  empty below level 1, else permit_mynetworks,
//	                                          permit_sasl_authenticated, defer_unauth_destination
//	smtpd_relay_before_recipient_restrictions no below level 3.6, yes from 3.6
//
// Below level 1 no smtpd_relay_restrictions apply, so smtpd_recipient_
// restrictions alone decide relaying; Postfix before 2.10, which has no
// smtpd_relay_restrictions, behaves the same way.
//
// Host-dependent values (myhostname, mydomain, mynetworks) are not
// included; references to them stay as written in File.Expand. The
// version, mail_version, is not known from the files and is given as
// "3.x".
func DefaultsFor(compat string) map[string]string {
	level := strings.TrimSpace(compat)
	if level == "" {
		level = "0"
	}
	d := map[string]string{
		"compatibility_level":          level,
		"mail_name":                    "Postfix",
		"mail_version":                 "3.x",
		"smtpd_banner":                 "$myhostname ESMTP $mail_name",
		"inet_interfaces":              "all",
		"mydestination":                "$myhostname, localhost.$mydomain, localhost",
		"myorigin":                     "$myhostname",
		"mynetworks_style":             "subnet",
		"relay_domains":                "$mydestination",
		"smtpd_relay_restrictions":     "",
		"smtpd_recipient_restrictions": "",
		"smtpd_client_restrictions":    "",
		"smtpd_helo_restrictions":      "",
		"smtpd_sender_restrictions":    "",
		"smtpd_helo_required":          "no",
		"disable_vrfy_command":         "no",
		"smtpd_sasl_auth_enable":       "no",
		"smtpd_tls_security_level":     "",
		"smtpd_tls_auth_only":          "no",

		"smtpd_relay_before_recipient_restrictions": "no",
	}
	if levelAtLeast(level, "1") {
		d["smtpd_relay_restrictions"] = "permit_mynetworks, permit_sasl_authenticated, defer_unauth_destination"
	}
	if levelAtLeast(level, "2") {
		d["mynetworks_style"] = "host"
		d["relay_domains"] = ""
	}
	if levelAtLeast(level, "3.6") {
		d["smtpd_relay_before_recipient_restrictions"] = "yes"
	}
	return d
}

// levelAtLeast compares two compatibility levels as Postfix's <level
// operator does: as dotted numbers, "major[.minor[.patch]]", missing parts
// counting as 0. A level that is not such a number counts as 0.
func levelAtLeast(level, want string) bool {
	a, b := levelParts(level), levelParts(want)
	for i := range a {
		if a[i] != b[i] {
			return a[i] > b[i]
		}
	}
	return true
}

// levelParts splits a compatibility level into its three numbers.
func levelParts(s string) [3]int {
	var out [3]int
	parts := strings.Split(s, ".")
	if len(parts) > 3 {
		return out
	}
	for i, p := range parts {
		n, err := strconv.Atoi(p)
		if err != nil || n < 0 || p == "" || p[0] == '+' {
			return [3]int{}
		}
		out[i] = n
	}
	return out
}
