package syslogconf

import (
	"strings"

	"bastion/internal/parse"
)

// legacyAction reads an action written in the traditional form and fills
// in the rule, or returns what is wrong with it.
func (r *Rule) legacyAction(text string) string {
	r.Action = text
	words := parse.Fields(text)
	if len(words) == 0 {
		return "rule " + quote(clip(r.Filter)) + " has no action"
	}
	first, rest := words[0], words[1:]
	if first == "-" || (strings.HasPrefix(first, "-") && first[1] != '/' && first[1] != '?') {
		return "'-' must be followed by a file path in " + quote(clip(first))
	}
	if strings.HasPrefix(first, "-") {
		r.NoSync = true
		first = first[1:]
	}
	switch c := first[0]; {
	case c == '/':
		r.Kind = KindFile
		r.Target, r.Template, _ = strings.Cut(first, ";")
		if len(rest) > 0 {
			r.Options = rest
		}
		return ""
	case c == '?':
		r.Kind = KindDynamicFile
		r.Target, r.Template, _ = strings.Cut(first[1:], ";")
		if r.Target == "" {
			return "dynamic file action without a template name"
		}
	case first == "~" || strings.EqualFold(first, "stop"):
		r.Kind = KindDiscard
	case c == '|':
		r.Kind = KindPipe
		r.Target, r.Template, _ = strings.Cut(first[1:], ";")
		if r.Target == "" {
			return "pipe action without a path"
		}
	case c == '^':
		r.Kind = KindProgram
		r.Target, r.Template, _ = strings.Cut(first[1:], ";")
		if r.Target == "" {
			return "program action without a path"
		}
	case c == '@':
		if msg := r.remote(first); msg != "" {
			return msg
		}
	case c == ':':
		if msg := r.module(first); msg != "" {
			return msg
		}
	case first == "*":
		r.Kind = KindAllUsers
	case strings.EqualFold(first, "errlog"):
		r.Kind = KindErrlog
	default:
		users, tmpl, _ := strings.Cut(first, ";")
		if !userList(users) {
			return "unrecognised action " + quote(clip(first))
		}
		r.Kind = KindUser
		r.Target, r.Template = users, tmpl
	}
	if len(rest) > 0 {
		return "unexpected " + quote(clip(strings.Join(rest, " "))) + " after the action"
	}
	return ""
}

// remote reads "@host", "@@host:port", "@[v6addr]:port" and "@@(o)host".
func (r *Rule) remote(s string) string {
	r.Kind = KindRemote
	r.Protocol = "udp"
	s = s[1:]
	if strings.HasPrefix(s, "@") {
		r.Protocol = "tcp"
		s = s[1:]
	}
	if strings.HasPrefix(s, "(") {
		end := strings.IndexByte(s, ')')
		if end < 0 {
			return "unterminated ( of forwarding options in " + quote(clip(r.Action))
		}
		s = s[end+1:]
	}
	s, r.Template, _ = strings.Cut(s, ";")
	host, portText := s, ""
	switch {
	case strings.HasPrefix(s, "["):
		end := strings.IndexByte(s, ']')
		if end < 0 {
			return "unterminated [ in log host " + quote(clip(s))
		}
		host = s[1:end]
		rest := s[end+1:]
		if rest != "" {
			if rest[0] != ':' {
				return "unexpected " + quote(rest) + " after log host " + quote(host)
			}
			portText = rest[1:]
		}
	case strings.Count(s, ":") == 1:
		host, portText, _ = strings.Cut(s, ":")
	}
	if host == "" {
		return "log host missing in " + quote(clip(r.Action))
	}
	r.Target = host
	if portText != "" {
		n, msg := port(portText)
		if msg != "" {
			return msg
		}
		r.Port = n
	}
	return ""
}

// module reads ":module:parameters", such as ":omusrmsg:*".
func (r *Rule) module(s string) string {
	name, args, ok := strings.Cut(s[1:], ":")
	if !ok || name == "" {
		return "module action " + quote(clip(s)) + ": want :module:parameters"
	}
	args, r.Template, _ = strings.Cut(args, ";")
	switch strings.ToLower(name) {
	case "omusrmsg":
		switch {
		case args == "*":
			r.Kind = KindAllUsers
		case userList(args):
			r.Kind = KindUser
			r.Target = args
		default:
			return "omusrmsg wants * or a list of users, got " + quote(clip(args))
		}
	case "omrelp":
		r.Kind = KindRemote
		r.Protocol = "relp"
		host, portText, _ := strings.Cut(args, ":")
		if host == "" {
			return "log host missing in " + quote(clip(s))
		}
		r.Target = host
		if portText != "" {
			n, msg := port(portText)
			if msg != "" {
				return msg
			}
			r.Port = n
		}
	default:
		r.Kind = KindModule
		r.Target = name
	}
	return ""
}

// userList reports whether s is a comma-separated list of user names.
func userList(s string) bool {
	if s == "" {
		return false
	}
	for _, u := range strings.Split(s, ",") {
		if u == "" {
			return false
		}
		for i := 0; i < len(u); i++ {
			if c := u[i]; !(isLetter(c) || isDigit(c) || c == '_' || c == '-' || c == '.' || c == '$') {
				return false
			}
		}
	}
	return true
}

// scriptAction fills in the rule from the parameters of action(...), or
// returns what is wrong with them.
func (r *Rule) scriptAction(params map[string]string) string {
	r.Params = params
	r.Template = params["template"]
	typ := moduleName(strings.ToLower(params["type"]))
	if typ == "" {
		return "action() without type"
	}
	need := func(key string) (string, string) {
		v := params[key]
		if v == "" {
			return "", "action(type=\"" + typ + "\") without " + key
		}
		return v, ""
	}
	var msg string
	switch typ {
	case "omfile":
		if d := params["dynafile"]; d != "" {
			r.Kind, r.Target = KindDynamicFile, d
			break
		}
		r.Kind = KindFile
		r.Target, msg = need("file")
	case "omfwd", "omrelp":
		r.Kind = KindRemote
		r.Target, msg = need("target")
		r.Protocol = strings.ToLower(params["protocol"])
		if typ == "omrelp" {
			r.Protocol = "relp"
		} else if r.Protocol == "" {
			r.Protocol = "udp"
		}
		if v, ok := params["port"]; ok && msg == "" {
			r.Port, msg = port(v)
		}
	case "omusrmsg":
		var users string
		users, msg = need("users")
		switch {
		case msg != "":
		case users == "*":
			r.Kind = KindAllUsers
		default:
			r.Kind, r.Target = KindUser, users
		}
	case "omprog":
		r.Kind = KindProgram
		r.Target, msg = need("binary")
	case "ompipe":
		r.Kind = KindPipe
		r.Target, msg = need("pipe")
	case "omdiscard":
		r.Kind = KindDiscard
	default:
		r.Kind, r.Target = KindModule, typ
	}
	return msg
}
