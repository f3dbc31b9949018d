// Package vsftpd reads vsftpd.conf, the configuration of the vsftpd FTP
// server, in the strict form vsftpd itself reads: one "option=value" per
// line with nothing around the '=', and comment lines that start with '#'
// in the first column.
//
// vsftpd refuses to start on a line it cannot read; this package reports
// such lines instead and keeps the others. An option the file does not set
// takes vsftpd's compiled-in default, which Defaults holds for the options
// bastion's rules ask about: anonymous FTP, above all, is on unless the file
// turns it off.
package vsftpd

import (
	"io"
	"strconv"
	"strings"

	"bastion/internal/parse"
)

// File is a parsed vsftpd.conf.
type File struct {
	// Name is the name the file was parsed under, used in error messages.
	Name string
	// Lines holds every physical line as read, without line endings.
	Lines []string
	// Options holds the settings in file order. When an option is set
	// more than once, the last setting is the one vsftpd uses.
	Options []Option
}

// Option is one "option=value" line.
type Option struct {
	// Line is the 1-based line number of the setting in the file.
	Line int
	// Name is the option name as written (vsftpd matches it exactly).
	Name string
	// Value is the text after the '=', as written.
	Value string
}

// Defaults holds vsftpd's compiled-in value, as vsftpd.conf would write it,
// of each option bastion's rules read. The values are those upstream
// vsftpd 3.0 sets in tunables_load_defaults (tunables.c), which the
// vsftpd.conf(5) manual repeats; distributions may patch some of them
// (Debian's manual, for one, gives anonymous_enable as NO) and ship a
// vsftpd.conf that sets most of them explicitly.
var Defaults = map[string]string{
	// tunable_anonymous_enable = 1: anonymous FTP is on unless turned off.
	"anonymous_enable": "YES",
	// tunable_local_enable = 0.
	"local_enable": "NO",
	// tunable_write_enable = 0.
	"write_enable": "NO",
	// tunable_anon_upload_enable = 0.
	"anon_upload_enable": "NO",
	// tunable_userlist_enable = 0.
	"userlist_enable": "NO",
	// tunable_userlist_deny = 1: the user list, when enabled, denies.
	"userlist_deny": "YES",
	// install_str_setting("/etc/vsftpd.user_list", &tunable_userlist_file);
	// RHEL's vsftpd.conf names /etc/vsftpd/user_list instead.
	"userlist_file": "/etc/vsftpd.user_list",
	// tunable_listen = 0: run from inetd, xinetd or a systemd socket.
	"listen": "NO",
	// tunable_listen_ipv6 = 0.
	"listen_ipv6": "NO",
	// tunable_ssl_enable = 0: no TLS at all.
	"ssl_enable": "NO",
	// tunable_force_local_logins_ssl = 1 (has effect only with ssl_enable).
	"force_local_logins_ssl": "YES",
	// tunable_xferlog_enable = 0 (the sample vsftpd.conf turns it on).
	"xferlog_enable": "NO",
	// tunable_chroot_local_user = 0.
	"chroot_local_user": "NO",
}

// boolOptions names vsftpd's boolean options (parseconf_bool_array in
// vsftpd 3.0's parseconf.c). vsftpd refuses a value other than YES, TRUE,
// 1, NO, FALSE or 0 (in any case) for them.
var boolOptions = setOf(
	"allow_anon_ssl", "allow_writeable_chroot", "anon_mkdir_write_enable",
	"anon_other_write_enable", "anon_upload_enable", "anon_world_readable_only",
	"anonymous_enable", "ascii_download_enable", "ascii_upload_enable",
	"async_abor_enable", "background", "check_shell", "chmod_enable",
	"chown_uploads", "chroot_list_enable", "chroot_local_user",
	"connect_from_port_20", "debug_ssl", "delete_failed_uploads",
	"deny_email_enable", "dirlist_enable", "dirmessage_enable",
	"download_enable", "dual_log_enable", "force_anon_data_ssl",
	"force_anon_logins_ssl", "force_dot_files", "force_local_data_ssl",
	"force_local_logins_ssl", "ftp_enable", "guest_enable", "hide_ids",
	"http_enable", "implicit_ssl", "isolate", "isolate_network", "listen",
	"listen_ipv6", "local_enable", "lock_upload_files", "log_ftp_protocol",
	"ls_recurse_enable", "mdtm_write", "no_anon_password", "no_log_lock",
	"one_process_model", "passwd_chroot_enable", "pasv_addr_resolve",
	"pasv_enable", "pasv_promiscuous", "port_enable", "port_promiscuous",
	"ptrace_sandbox", "require_cert", "require_ssl_reuse",
	"run_as_launching_user", "seccomp_sandbox", "secure_email_list_enable",
	"session_support", "setproctitle_enable", "ssl_enable",
	"ssl_request_cert", "ssl_sslv2", "ssl_sslv3", "ssl_tlsv1",
	"strict_ssl_read_eof", "strict_ssl_write_shutdown", "syslog_enable",
	"tcp_wrappers", "text_userdb_names", "tilde_user_enable",
	"use_localtime", "use_sendfile", "userlist_deny", "userlist_enable",
	"validate_cert", "virtual_use_local_privs", "write_enable",
	"xferlog_enable", "xferlog_std_format",
)

// uintOptions names vsftpd's numeric options (parseconf_uint_array).
// vsftpd reads a value starting with 0 as octal.
var uintOptions = setOf(
	"accept_timeout", "anon_max_rate", "anon_umask", "chown_upload_mode",
	"connect_timeout", "data_connection_timeout", "delay_failed_login",
	"delay_successful_login", "file_open_mode", "ftp_data_port",
	"idle_session_timeout", "listen_port", "local_max_rate", "local_umask",
	"max_clients", "max_login_fails", "max_per_ip", "pasv_max_port",
	"pasv_min_port", "trans_chunk_size",
)

func setOf(names ...string) map[string]bool {
	m := make(map[string]bool, len(names))
	for _, n := range names {
		m[n] = true
	}
	return m
}

// IsBool reports whether name is one of vsftpd's boolean options.
func IsBool(name string) bool { return boolOptions[name] }

// ParseBool reads a boolean value the way vsftpd does: YES, TRUE and 1 are
// true, NO, FALSE and 0 false, in any case. ok is false for anything else.
func ParseBool(value string) (b, ok bool) {
	switch strings.ToUpper(value) {
	case "YES", "TRUE", "1":
		return true, true
	case "NO", "FALSE", "0":
		return false, true
	}
	return false, false
}

// Get returns the last setting of the option name, which is the one vsftpd
// uses, and whether the file sets it at all.
func (f *File) Get(name string) (Option, bool) {
	for i := len(f.Options) - 1; i >= 0; i-- {
		if f.Options[i].Name == name {
			return f.Options[i], true
		}
	}
	return Option{}, false
}

// Value returns the value vsftpd uses for the option name: the file's last
// setting of it (set is then true), or else its entry in Defaults (or ""
// for an option Defaults does not hold).
func (f *File) Value(name string) (value string, set bool) {
	if o, ok := f.Get(name); ok {
		return o.Value, true
	}
	return Defaults[name], false
}

// Bool returns the value vsftpd uses for the boolean option name: the
// file's last setting of it (set is then true), or else its compiled-in
// default from Defaults (false for an option Defaults does not hold).
func (f *File) Bool(name string) (value, set bool) {
	v, set := f.Value(name)
	b, _ := ParseBool(v)
	return b, set
}

// Bytes returns the file text: every line as read, each ended by "\n".
func (f *File) Bytes() []byte { return parse.JoinLines(f.Lines) }

// Parse reads a vsftpd.conf from r; name is used in error messages. Each
// line vsftpd would refuse is reported and skipped: a line without '=', a
// blank next to the '=', an empty option name or value, an indented comment
// (vsftpd takes "#..." after blanks for an option name), a boolean option
// whose value is not a boolean, a numeric option whose value is not a
// number. Options vsftpd does not know are kept, since distributions add
// their own.
func Parse(r io.Reader, name string) (*File, error) {
	lines, err := parse.ReadLines(r, name)
	if err != nil {
		return nil, err
	}
	f := &File{Name: name, Lines: lines}
	var errs parse.Errors
	for i, line := range lines {
		if strings.HasPrefix(line, "#") || strings.Trim(line, " \t\v\f\r") == "" {
			continue
		}
		o, msg := parseOption(line)
		if msg != "" {
			errs.Add(name, i+1, "%s", msg)
			continue
		}
		o.Line = i + 1
		f.Options = append(f.Options, o)
	}
	return f, errs.Err()
}

// parseOption reads one setting line, or says what is wrong with it.
func parseOption(line string) (Option, string) {
	// vsftpd skips the blanks in front of a setting (but not in front of
	// a comment, which it checks for first).
	text := strings.TrimLeft(line, " \t\v\f\r")
	if strings.HasPrefix(text, "#") {
		return Option{}, "indented comment: vsftpd reads a comment only with '#' in the first column"
	}
	key, value, ok := strings.Cut(text, "=")
	switch {
	case !ok:
		return Option{}, "want option=value, no '=' in " + strconv.Quote(text)
	case key == "":
		return Option{}, "want option=value, no option name before '='"
	case strings.TrimRight(key, " \t") != key:
		return Option{}, "blank before '=' in " + strconv.Quote(text) + ": vsftpd does not recognise the option"
	case strings.ContainsAny(key, " \t"):
		return Option{}, "option name " + strconv.Quote(key) + " holds a blank"
	case strings.TrimLeft(value, " \t") != value:
		return Option{}, "blank after '=' in " + strconv.Quote(text) + ": vsftpd keeps it in the value"
	case value == "" && (boolOptions[key] || uintOptions[key]):
		return Option{}, "option " + key + " has no value"
	}
	if boolOptions[key] {
		if _, ok := ParseBool(value); !ok {
			return Option{}, "option " + key + " wants YES or NO, got " + strconv.Quote(value)
		}
	}
	if uintOptions[key] && !isDigits(value) {
		return Option{}, "option " + key + " wants a number, got " + strconv.Quote(value)
	}
	return Option{Name: key, Value: value}, ""
}

// isDigits reports a non-empty string of ASCII digits.
func isDigits(s string) bool {
	if s == "" {
		return false
	}
	for i := 0; i < len(s); i++ {
		if s[i] < '0' || s[i] > '9' {
			return false
		}
	}
	return true
}
