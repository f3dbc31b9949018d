// Package rmsock reads a captured run of the AIX rmsock command, which names
// the process that holds a socket. AIX netstat cannot show processes, so
// bastion pairs each PCB address of netstat -Aan with what rmsock says of it.
//
// rmsock takes a PCB address but prints the socket address, which differs,
// so a bare list of results cannot be matched to netstat rows. The capture
// bastion documents is made by a loop that prints each command before
// running it, so that every result follows the command it answers:
//
//	for pcb in $(netstat -Aan | awk '$2 ~ /^tcp/ && $NF == "LISTEN" {print $1}'); do
//	    echo "# rmsock $pcb tcpcb"; rmsock $pcb tcpcb 2>&1
//	done
//	for pcb in $(netstat -Aan | awk '$2 ~ /^udp/ {print $1}'); do
//	    echo "# rmsock $pcb inpcb"; rmsock $pcb inpcb 2>&1
//	done
//
// which gives
//
//	# rmsock f1000f0000287bc0 tcpcb
//	The socket 0xf1000f0000287808 is being held by proccess 21496092 (sshd).
//	# rmsock f1000f0000140600 inpcb
//	The socket 0xf1000f0000140208 is being held by proccess 3801262 (portmap).
//
// A command line may carry a "# ", "$ " or "+ " prompt (the last is what
// sh -x prints) or none. Note that rmsock removes a socket that no process
// holds; on listening sockets of running daemons it only reports the owner.
package rmsock

import (
	"fmt"
	"io"
	"path"
	"strconv"
	"strings"

	"bastion/internal/parse"
)

// Holder is the result of one rmsock command.
type Holder struct {
	Line    int    // 1-based line number of the result line
	PCB     string // address given to rmsock, lower case, without 0x
	Kind    string // address type given to rmsock: tcpcb, inpcb, socket, ripcb or rawcb
	Socket  string // socket address rmsock printed, lower case, without 0x; "" if none
	PID     int    // holding process, when Held and not Kernel
	Command string // holding process's command name, as rmsock printed it in parentheses
	Held    bool   // the socket is held: by process PID, or by the kernel if Kernel
	Kernel  bool   // the socket is held by the kernel or a kernel extension
	Message string // the result text, for every result but a holding process
}

// kinds are the address types rmsock accepts.
var kinds = map[string]bool{
	"tcpcb": true, "inpcb": true, "socket": true, "ripcb": true, "rawcb": true,
}

// command is an rmsock command line awaiting its result.
type command struct {
	line      int
	pcb, kind string
	bad       bool // the command line itself was reported as bad
}

// Parse reads a capture of rmsock commands and their results. Blank lines
// are skipped, and so are other lines that carry a prompt (comments and
// other commands). Every other line is the result of the rmsock command
// before it; each command has at most one result. Parse returns every
// result it could read, together with an error naming each bad line.
func Parse(r io.Reader, name string) ([]Holder, error) {
	lines, err := parse.ReadLines(r, name)
	if err != nil {
		return nil, err
	}
	var errs parse.Errors
	var holders []Holder
	var cmd *command
	for i, line := range lines {
		lineNo := i + 1
		text := strings.TrimSpace(line)
		if text == "" {
			continue
		}
		rest, prompt := stripPrompt(text)
		if f := parse.Fields(rest); isCommand(f) {
			c, err := parseCommand(f)
			if err != nil {
				errs.Add(name, lineNo, "%v", err)
				c.bad = true
			}
			c.line = lineNo
			cmd = &c
			continue
		}
		if prompt {
			continue
		}
		if cmd == nil {
			errs.Add(name, lineNo, "no rmsock command before this result")
			continue
		}
		c := cmd
		cmd = nil
		if c.bad {
			continue
		}
		h, err := parseResult(text)
		if err != nil {
			errs.Add(name, lineNo, "%v", err)
			continue
		}
		h.Line, h.PCB, h.Kind = lineNo, c.pcb, c.kind
		holders = append(holders, h)
	}
	return holders, errs.Err()
}

// stripPrompt removes a leading "#", "$" or "+" (any number of "+", as
// nested sh -x traces print) and the blanks after it, and reports whether
// there was one.
func stripPrompt(s string) (string, bool) {
	switch {
	case strings.HasPrefix(s, "#"), strings.HasPrefix(s, "$"):
		s = s[1:]
	case strings.HasPrefix(s, "+"):
		s = strings.TrimLeft(s, "+")
	default:
		return s, false
	}
	return strings.TrimLeft(s, " \t"), true
}

// isCommand reports whether fields start an rmsock command rather than an
// rmsock error message ("rmsock : Unable to read kernel address ...").
func isCommand(f []string) bool {
	return len(f) > 0 && path.Base(f[0]) == "rmsock" && (len(f) == 1 || !strings.HasPrefix(f[1], ":"))
}

// parseCommand reads "rmsock ADDRESS TYPE", allowing trailing shell
// redirections such as 2>&1.
func parseCommand(f []string) (command, error) {
	args := f[1:]
	for len(args) > 0 && isRedirect(args[len(args)-1]) {
		args = args[:len(args)-1]
	}
	if len(args) != 2 {
		return command{}, fmt.Errorf("rmsock command needs an address and an address type, found %d arguments", len(args))
	}
	addr := strings.ToLower(args[0])
	addr = strings.TrimPrefix(addr, "0x")
	if !isHex(addr) {
		return command{}, fmt.Errorf("rmsock address %q is not hexadecimal", args[0])
	}
	if !kinds[args[1]] {
		return command{}, fmt.Errorf("unknown rmsock address type %q", args[1])
	}
	return command{pcb: addr, kind: args[1]}, nil
}

func isRedirect(s string) bool {
	s = strings.TrimLeft(s, "0123456789&")
	return strings.HasPrefix(s, ">") || strings.HasPrefix(s, "<")
}

// parseResult reads one line of rmsock output.
func parseResult(text string) (Holder, error) {
	h := Holder{Message: text}
	rest, ok := strings.CutPrefix(text, "The socket ")
	if !ok {
		rest, ok = strings.CutPrefix(text, "socket ")
	}
	if !ok {
		// "Wait for exiting processes ...", "It is not a socket",
		// "rmsock : Unable to read kernel address ...", and others.
		return h, nil
	}
	addr, rest, _ := strings.Cut(rest, " ")
	if a := strings.ToLower(addr); strings.HasPrefix(a, "0x") && isHex(a[2:]) {
		h.Socket = a[2:]
	} else {
		return h, fmt.Errorf("socket address %q is not hexadecimal", addr)
	}
	by, ok := strings.CutPrefix(rest, "is being held by ")
	if !ok {
		return h, nil // "socket 0x... is removed."
	}
	by = strings.TrimSuffix(by, ".")
	if strings.HasPrefix(by, "Kernel") {
		h.Held, h.Kernel = true, true
		return h, nil
	}
	word, by, _ := strings.Cut(by, " ")
	if !isProcess(word) {
		return h, fmt.Errorf("expected \"process\" after \"held by\", found %q", word)
	}
	pid, by, _ := strings.Cut(by, " ")
	n, err := strconv.Atoi(pid)
	if err != nil || n < 0 {
		return h, fmt.Errorf("process ID %q is not a number", pid)
	}
	if len(by) < 2 || by[0] != '(' || by[len(by)-1] != ')' {
		return h, fmt.Errorf("expected the command name in parentheses after the process ID, found %q", by)
	}
	h.Held, h.PID, h.Command, h.Message = true, n, by[1:len(by)-1], ""
	return h, nil
}

// isProcess matches proc+ess: AIX prints "proccess".
func isProcess(w string) bool {
	w, ok := strings.CutPrefix(w, "proc")
	if !ok {
		return false
	}
	return strings.TrimLeft(w, "c") == "ess"
}

func isHex(s string) bool {
	if s == "" {
		return false
	}
	for i := 0; i < len(s); i++ {
		c := s[i]
		if !('0' <= c && c <= '9' || 'a' <= c && c <= 'f' || 'A' <= c && c <= 'F') {
			return false
		}
	}
	return true
}
