package host

import (
	"bytes"
	"errors"
	"net/netip"
	"strings"

	"bastion/internal/parse/netstat"
	"bastion/internal/parse/procnet"
	"bastion/internal/parse/rmsock"
	"bastion/internal/parse/rpcinfo"
	"bastion/internal/parse/ss"
	"bastion/internal/target"
)

// sockets fills in the listening sockets: from the running kernel on a live
// Linux host, otherwise from output captured on the host.
func (b *builder) sockets() {
	switch {
	case b.t.Live() && liveSockets != nil && b.f.Platform.OS != target.AIX:
		socks, err := liveSockets(b)
		if err != nil {
			b.gap("/proc/net", "listening sockets", err)
			break
		}
		b.f.Sockets, b.f.Observed, b.f.ObservedFrom = socks, true, "live (/proc/net)"
	case b.f.Platform.OS == target.AIX:
		b.aixSockets()
	default:
		b.linuxCapturedSockets()
	}
	b.rpcPorts()
	if !b.f.Observed {
		b.t.AddGap(target.Gap{Path: target.CaptureDir, What: "listening sockets",
			Reason: "no live or captured socket state; rows are predicted from configuration"})
	}
}

// aixSockets reads captured netstat -Aan output and the rmsock output that
// names the process holding each socket.
func (b *builder) aixSockets() {
	name := target.CapturePath(target.CaptureNetstat)
	data, err := b.t.Capture(target.CaptureNetstat)
	if err != nil {
		if !isNotExist(err) {
			b.gap(name, "listening sockets", err)
		}
		return
	}
	socks, err := netstat.Parse(bytes.NewReader(data), name)
	b.parseGaps(err, "listening sockets")
	holders := map[string]rmsock.Holder{}
	if data, err := b.t.Capture(target.CaptureRmsock); err == nil {
		hs, err := rmsock.Parse(bytes.NewReader(data), target.CapturePath(target.CaptureRmsock))
		b.parseGaps(err, "processes holding sockets")
		for _, h := range hs {
			if h.Held {
				holders[h.PCB] = h
			}
		}
	} else {
		b.gap(target.CapturePath(target.CaptureRmsock), "processes holding sockets", err)
	}
	for _, s := range socks {
		if !s.Listening() {
			continue
		}
		proto := strings.TrimRight(s.Proto, "46")
		sock := Socket{Proto: proto, Address: s.Local, Port: s.LocalPort, IPv6: strings.HasSuffix(s.Proto, "6")}
		if h, ok := holders[strings.TrimPrefix(strings.ToLower(s.PCB), "0x")]; ok {
			sock.PID, sock.Command = h.PID, h.Command
		}
		b.f.Sockets = append(b.f.Sockets, sock)
	}
	b.f.Observed, b.f.ObservedFrom = true, "captured "+name
}

// linuxCapturedSockets reads captured ss -tulpn output, or a copy of
// /proc/net.
func (b *builder) linuxCapturedSockets() {
	if data, err := b.t.Capture(target.CaptureSS); err == nil {
		name := target.CapturePath(target.CaptureSS)
		socks, err := ss.Parse(bytes.NewReader(data), name)
		b.parseGaps(err, "listening sockets")
		for _, s := range socks {
			if s.State != "LISTEN" && s.State != "UNCONN" {
				continue
			}
			sock := Socket{Proto: s.Proto, Address: s.Local, Port: s.Port, IPv6: s.LocalAddr.Is6() && !s.LocalAddr.Is4In6()}
			if strings.HasPrefix(s.Local, "[") {
				sock.IPv6 = true
			}
			if len(s.Processes) > 0 {
				sock.PID, sock.Command = s.Processes[0].PID, s.Processes[0].Name
			}
			b.f.Sockets = append(b.f.Sockets, sock)
		}
		b.f.Observed, b.f.ObservedFrom = true, "captured "+name
		return
	}
	socks, ok := b.procNet(target.CapturePath(target.CaptureProcNet))
	if ok {
		b.f.Sockets, b.f.Observed = socks, true
		b.f.ObservedFrom = "captured " + target.CapturePath(target.CaptureProcNet)
	}
}

// procNet reads the tcp, tcp6, udp and udp6 tables under dir and returns the
// listening sockets, with the socket inode in PID's place until the caller
// maps it. ok is false when none of the tables could be read.
func (b *builder) procNet(dir string) (out []Socket, ok bool) {
	for _, proto := range []string{"tcp", "tcp6", "udp", "udp6"} {
		name := dir + "/" + proto
		data, err := b.t.ReadFile(name)
		if err != nil {
			if !isNotExist(err) {
				b.gap(name, "listening sockets", err)
			}
			continue
		}
		ok = true
		socks, err := procnet.Parse(bytes.NewReader(data), name, proto)
		b.parseGaps(err, "listening sockets")
		for _, s := range socks {
			if !s.Listening() {
				continue
			}
			out = append(out, Socket{
				Proto:   strings.TrimSuffix(proto, "6"),
				Address: addrString(s.Local.Addr()),
				Port:    int(s.Local.Port()),
				IPv6:    proto == "tcp6" || proto == "udp6",
				inode:   s.Inode,
			})
		}
	}
	return out, ok
}

// rpcPorts reads captured rpcinfo -p output.
func (b *builder) rpcPorts() {
	data, err := b.t.Capture(target.CaptureRPCInfo)
	if err != nil {
		return
	}
	name := target.CapturePath(target.CaptureRPCInfo)
	es, err := rpcinfo.Parse(bytes.NewReader(data), name)
	b.parseGaps(err, "RPC registrations")
	for _, e := range es {
		b.f.RPCPorts = append(b.f.RPCPorts, RPCPort{Program: e.Program, Version: e.Version, Proto: e.Proto, Port: e.Port, Service: e.Service})
	}
}

// addrString prints an address the way netstat users read it: "*" for the
// unspecified address.
func addrString(a netip.Addr) string {
	if a.IsUnspecified() {
		return "*"
	}
	if a.Is4In6() {
		a = a.Unmap()
	}
	return a.String()
}

// liveSockets reads the live host's listening sockets with their processes;
// nil where the platform has no live reader.
var liveSockets func(b *builder) ([]Socket, error)

var errNoProcNet = errors.New("no socket tables under /proc/net")
