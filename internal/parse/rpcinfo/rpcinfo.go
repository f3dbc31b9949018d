// Package rpcinfo reads the output of rpcinfo -p, the list of RPC programs
// registered with the portmapper, so that bastion can name the RPC services
// (which have no fixed port) behind the ports a host listens on.
//
// The form it reads:
//
//	program vers proto   port  service
//	 100000    4   tcp    111  portmapper
//	 100024    1   udp  42037  status
//	 300667    1   tcp  32770
//
// The service column is empty when the program has no name in /etc/rpc.
package rpcinfo

import (
	"fmt"
	"io"
	"strconv"
	"strings"

	"bastion/internal/parse"
)

// Entry is one registration of an RPC program.
type Entry struct {
	Line    int    // 1-based line number in the file
	Program int    // RPC program number, such as 100000
	Version int    // program version
	Proto   string // transport: tcp or udp
	Port    int    // port number
	Service string // name from /etc/rpc, or ""
}

// Parse reads rpcinfo -p output. The header and blank lines are skipped. It
// returns every entry it could read, together with an error naming each bad
// line.
func Parse(r io.Reader, name string) ([]Entry, error) {
	lines, err := parse.ReadLines(r, name)
	if err != nil {
		return nil, err
	}
	var errs parse.Errors
	var entries []Entry
	for i, line := range lines {
		f := parse.Fields(strings.TrimSuffix(line, "\r"))
		if len(f) == 0 || f[0] == "program" {
			continue
		}
		e, err := parseRow(f)
		if err != nil {
			errs.Add(name, i+1, "%v", err)
			continue
		}
		e.Line = i + 1
		entries = append(entries, e)
	}
	return entries, errs.Err()
}

func parseRow(f []string) (Entry, error) {
	var e Entry
	if strings.HasPrefix(f[0], "rpcinfo:") {
		// rpcinfo: can't contact portmapper: RPC: Remote system error - Connection refused
		return e, fmt.Errorf("rpcinfo failed: %s", strings.Join(f, " "))
	}
	if len(f) < 4 || len(f) > 5 {
		return e, fmt.Errorf("expected program, version, protocol, port and service, found %d fields", len(f))
	}
	var err error
	if e.Program, err = number(f[0], "program", 1<<32-1); err != nil {
		return e, err
	}
	if e.Version, err = number(f[1], "version", 1<<32-1); err != nil {
		return e, err
	}
	e.Proto = f[2]
	if !isWord(e.Proto) {
		return e, fmt.Errorf("protocol %q is not a word", e.Proto)
	}
	if e.Port, err = number(f[3], "port", 65535); err != nil {
		return e, err
	}
	if len(f) == 5 {
		e.Service = f[4]
	}
	return e, nil
}

func number(s, what string, max uint64) (int, error) {
	n, err := strconv.ParseUint(s, 10, 64)
	if err != nil || n > max {
		return 0, fmt.Errorf("%s %q is not a number from 0 to %d", what, s, max)
	}
	return int(n), nil
}

// isWord reports whether s is a lower-case transport name such as tcp,
// udp or tcp6.
func isWord(s string) bool {
	if s == "" {
		return false
	}
	for i := 0; i < len(s); i++ {
		c := s[i]
		if !('a' <= c && c <= 'z' || '0' <= c && c <= '9') {
			return false
		}
	}
	return true
}
