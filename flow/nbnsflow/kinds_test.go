package nbnsflow

import (
	"encoding/binary"
	"net/netip"
	"strings"
	"testing"

	"github.com/medtap/medtap/flow/internal/udptest"
)

// encodeName returns a NetBIOS name, first-level encoded, with the root:
// name padded with spaces (the wildcard "*" with NULs), then suffix.
func encodeName(name string, suffix byte) []byte {
	pad := " "
	if name == "*" {
		pad = "\x00"
	}
	raw := []byte(name + strings.Repeat(pad, 15-len(name)) + " ")
	raw[15] = suffix
	out := []byte{32}
	for _, c := range raw {
		out = append(out, 'A'+c>>4, 'A'+c&0xF)
	}
	return append(out, 0)
}

// msg builds a message: id, flags, counts, then the parts as they are.
func msg(flags uint16, qd, an, ar int, parts ...[]byte) []byte {
	b := []byte{0x12, 0x34, byte(flags >> 8), byte(flags), 0, byte(qd), 0, byte(an), 0, 0, 0, byte(ar)}
	for _, p := range parts {
		b = append(b, p...)
	}
	return b
}

// rr is a record of type t (class IN) with ttl and data.
func rr(owner []byte, t uint16, ttl uint32, data []byte) []byte {
	b := append([]byte(nil), owner...)
	b = binary.BigEndian.AppendUint16(b, t)
	b = binary.BigEndian.AppendUint16(b, 1)
	b = binary.BigEndian.AppendUint32(b, ttl)
	b = binary.BigEndian.AppendUint16(b, uint16(len(data)))
	return append(b, data...)
}

// windowsNodeStatus is a node status response as Windows sends one, with
// the adapter's MAC address.
func windowsNodeStatus() []byte {
	table := []byte{3}
	for _, e := range []struct {
		name   string
		suffix byte
		flags  uint16
	}{{"WARD3-PC", 0x00, 0x0400}, {"HOSPITAL", 0x00, 0x8400}, {"WARD3-PC", 0x20, 0x0400}} {
		raw := []byte(e.name + strings.Repeat(" ", 15-len(e.name)))
		table = append(append(table, raw...), e.suffix)
		table = binary.BigEndian.AppendUint16(table, e.flags)
	}
	stats := append([]byte{0x00, 0x1a, 0x4b, 0x12, 0x34, 0x56}, make([]byte, 40)...)
	return msg(0x8400, 0, 1, 0, rr(encodeName("*", 0), 0x21, 0, append(table, stats...)))
}

var (
	client = netip.MustParseAddrPort("10.215.0.5:53144")
	server = netip.MustParseAddrPort("10.215.0.4:137")
	wins   = netip.MustParseAddrPort("10.215.0.9:137")
)

func nb(group bool, addr ...byte) []byte {
	f := byte(0)
	if group {
		f = 0x80
	}
	return append([]byte{f, 0}, addr...)
}

func TestKinds(t *testing.T) {
	tests := []struct {
		name     string
		src, dst netip.AddrPort
		msg      []byte
		want     string
	}{
		{"node status from Windows", server, client, windowsNodeStatus(),
			`node-status-response {,"id":4660,"name":"*<00><00><00><00><00><00><00><00><00><00><00><00><00><00><00>","ttl":0,"names":[{"name":"WARD3-PC<00>","suffix":"workstation","group":false,"node_type":"B","active":true},{"name":"HOSPITAL<00>","suffix":"domain","group":true,"node_type":"B","active":true},{"name":"WARD3-PC<20>","suffix":"server","group":false,"node_type":"B","active":true}],"mac":"00:1a:4b:12:34:56"} host=WARD3-PC`},
		{"negative name query response", server, client, msg(0x8583, 0, 1, 0, rr(encodeName("NOBODY", 0), 0x20, 0, nil)),
			`name-query-response {,"id":4660,"rcode":"name-error","name":"NOBODY<00>","suffix":"workstation","ttl":0}`},
		{"a name server answering for another host", wins, client, msg(0x8500, 0, 1, 0, rr(encodeName("LAB-PC", 0x20), 0x20, 300, nb(false, 10, 215, 0, 7))),
			`name-query-response {,"id":4660,"name":"LAB-PC<20>","suffix":"server","ttl":300,"group":false,"node_type":"B","addresses":["10.215.0.7"]}`},
		{"conflict", server, client, msg(0xAD06, 0, 1, 0, rr(encodeName("WARD3-PC", 0), 0x20, 0, nb(false, 10, 215, 0, 4))),
			`registration-response {,"id":4660,"rcode":"active","name":"WARD3-PC<00>","suffix":"workstation","ttl":0,"group":false,"node_type":"B","addresses":["10.215.0.4"]}`},
		{"release", client, server, msg(0x3010, 1, 0, 1, encodeName("LAB-PC", 0), []byte{0, 0x20, 0, 1}, rr([]byte{0xC0, 12}, 0x20, 0, nb(false, 10, 215, 0, 5))),
			`release {,"id":4660,"broadcast":true,"name":"LAB-PC<00>","suffix":"workstation","question_type":"NB","ttl":0,"group":false,"node_type":"B","addresses":["10.215.0.5"]}`},
		{"refresh to WINS, multihomed registration", client, wins, msg(0x4800, 1, 0, 1, encodeName("LAB-PC", 0), []byte{0, 0x20, 0, 1}, rr([]byte{0xC0, 12}, 0x20, 3600, nb(false, 10, 215, 0, 5))),
			`refresh {,"id":4660,"name":"LAB-PC<00>","suffix":"workstation","question_type":"NB","ttl":3600,"group":false,"node_type":"B","addresses":["10.215.0.5"]} host=LAB-PC`},
		{"multihomed registration", client, wins, msg(0x7800, 1, 0, 1, encodeName("LAB-PC", 0x20), []byte{0, 0x20, 0, 1}, rr([]byte{0xC0, 12}, 0x20, 3600, append(nb(false, 10, 215, 0, 5), nb(false, 10, 215, 0, 6)...))),
			`registration {,"id":4660,"multihomed":true,"name":"LAB-PC<20>","suffix":"server","question_type":"NB","ttl":3600,"group":false,"node_type":"B","addresses":["10.215.0.5","10.215.0.6"]} host=LAB-PC`},
		{"wack", wins, client, msg(0xBC00, 0, 1, 0, rr(encodeName("LAB-PC", 0), 0x0A, 2, []byte{0x29, 0x10})),
			`wack {,"id":4660,"name":"LAB-PC<00>","suffix":"workstation","ttl":2}`},
		{"unknown opcode", client, server, msg(0x1800, 1, 0, 0, encodeName("LAB-PC", 0), []byte{0, 0x20, 0, 1}),
			`other {,"id":4660,"opcode":"Opcode(3)","name":"LAB-PC<00>","suffix":"workstation","question_type":"NB"}`},
		{"group registration (no host)", client, server, msg(0x2910, 1, 0, 1, encodeName("HOSPITAL", 0), []byte{0, 0x20, 0, 1}, rr([]byte{0xC0, 12}, 0x20, 0, nb(true, 10, 215, 0, 5))),
			`registration {,"id":4660,"broadcast":true,"name":"HOSPITAL<00>","suffix":"domain","question_type":"NB","ttl":0,"group":true,"node_type":"B","addresses":["10.215.0.5"]}`},
		{"malformed NB data", server, client, msg(0x8500, 0, 1, 0, rr(encodeName("LAB-PC", 0), 0x20, 0, []byte{0, 0, 10, 215, 0})),
			`error {,"offset":56,"error":"nbns: malformed record data at offset 56"}`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := udptest.Deliver(t, Name, tt.src, tt.dst, tt.msg)
			if len(got) != 1 || got[0] != tt.want {
				t.Errorf("got  %q\nwant %q", got, tt.want)
			}
		})
	}
}
