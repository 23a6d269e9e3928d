package tcpsig

import (
	"encoding/binary"
	"errors"
	"strings"
	"testing"
)

// linuxSYN is the first SYN of handshakes.pcap: Linux 6.18 (curl in
// namespace mtts-c1) to 10.212.0.2:80, IPv4 and TCP headers:
//
//	45 00 00 3c 41 51 40 00 40 06 e3 b6 0a d4 00 0b  E..<AQ@.@.......
//	0a d4 00 02 e5 80 00 50 b0 95 0e ce 00 00 00 00  .......P........
//	a0 02 fa f0 15 e3 00 00 02 04 05 b4 04 02 08 0a  ................
//	e9 da 4d 63 00 00 00 00 01 03 03 0a              ..Mc........
var linuxSYN = []byte{
	0x45, 0x00, 0x00, 0x3c, 0x41, 0x51, 0x40, 0x00, 0x40, 0x06, 0xe3, 0xb6, 0x0a, 0xd4, 0x00, 0x0b,
	0x0a, 0xd4, 0x00, 0x02, 0xe5, 0x80, 0x00, 0x50, 0xb0, 0x95, 0x0e, 0xce, 0x00, 0x00, 0x00, 0x00,
	0xa0, 0x02, 0xfa, 0xf0, 0x15, 0xe3, 0x00, 0x00, 0x02, 0x04, 0x05, 0xb4, 0x04, 0x02, 0x08, 0x0a,
	0xe9, 0xda, 0x4d, 0x63, 0x00, 0x00, 0x00, 0x00, 0x01, 0x03, 0x03, 0x0a,
}

// linuxSYNACK is the server's answer to linuxSYN (Linux 6.18 too):
//
//	45 00 00 3c 00 00 40 00 40 06 25 08 0a d4 00 02  E..<..@.@.%.....
//	0a d4 00 0b 00 50 e5 80 eb 50 b2 24 b0 95 0e cf  .....P...P.$....
//	a0 12 fe 88 15 e3 00 00 02 04 05 b4 04 02 08 0a  ................
//	83 56 7a e0 e9 da 4d 63 01 03 03 0a              .Vz...Mc....
var linuxSYNACK = []byte{
	0x45, 0x00, 0x00, 0x3c, 0x00, 0x00, 0x40, 0x00, 0x40, 0x06, 0x25, 0x08, 0x0a, 0xd4, 0x00, 0x02,
	0x0a, 0xd4, 0x00, 0x0b, 0x00, 0x50, 0xe5, 0x80, 0xeb, 0x50, 0xb2, 0x24, 0xb0, 0x95, 0x0e, 0xcf,
	0xa0, 0x12, 0xfe, 0x88, 0x15, 0xe3, 0x00, 0x00, 0x02, 0x04, 0x05, 0xb4, 0x04, 0x02, 0x08, 0x0a,
	0x83, 0x56, 0x7a, 0xe0, 0xe9, 0xda, 0x4d, 0x63, 0x01, 0x03, 0x03, 0x0a,
}

// hdr describes a packet for the table tests; build makes its headers.
type hdr struct {
	v6      bool
	ttl     uint8
	tos     uint8  // IPv4 TOS or IPv6 traffic class
	id      uint16 // IPv4
	frag    uint16 // IPv4 flags and fragment offset: 0x4000 is DF
	ipOpts  int    // IPv4 option bytes (a multiple of 4)
	flow    uint32 // IPv6 flow label
	flags   uint8
	ns      bool
	seq     uint32
	ack     uint32
	win     uint16
	urg     uint16
	opts    []byte
	payload int
	peerMSS uint16
}

func (h hdr) build() (ip, tcp []byte) {
	if h.v6 {
		ip = make([]byte, 40)
		binary.BigEndian.PutUint32(ip, 6<<28|uint32(h.tos)<<20|h.flow)
		ip[6], ip[7] = 6, h.ttl
	} else {
		ip = make([]byte, 20+h.ipOpts)
		ip[0] = 0x40 | byte(len(ip)/4)
		ip[1] = h.tos
		binary.BigEndian.PutUint16(ip[4:], h.id)
		binary.BigEndian.PutUint16(ip[6:], h.frag)
		ip[8], ip[9] = h.ttl, 6
	}
	tcp = make([]byte, 20+len(h.opts))
	binary.BigEndian.PutUint32(tcp[4:], h.seq)
	binary.BigEndian.PutUint32(tcp[8:], h.ack)
	tcp[12] = byte(len(tcp)/4) << 4
	if h.ns {
		tcp[12] |= 1
	}
	tcp[13] = h.flags
	binary.BigEndian.PutUint16(tcp[14:], h.win)
	binary.BigEndian.PutUint16(tcp[18:], h.urg)
	copy(tcp[20:], h.opts)
	return ip, tcp
}

const (
	syn    = flagSYN
	synack = flagSYN | flagACK
	df     = 0x4000
)

// Option bytes.
var (
	optMSS1460 = []byte{2, 4, 0x05, 0xb4}
	optSOK     = []byte{4, 2}
	optNOP     = []byte{1}
	optWS7     = []byte{3, 3, 7}
	optTS      = []byte{8, 10, 0, 0, 0, 1, 0, 0, 0, 0}
)

func opts(parts ...[]byte) []byte {
	var b []byte
	for _, p := range parts {
		b = append(b, p...)
	}
	return b
}

func mssOpt(v uint16) []byte { return []byte{2, 4, byte(v >> 8), byte(v)} }

func tsOpt(ts1, ts2 uint32) []byte {
	b := []byte{8, 10}
	b = binary.BigEndian.AppendUint32(b, ts1)
	return binary.BigEndian.AppendUint32(b, ts2)
}

var sigTests = []struct {
	name string
	h    hdr
	want string
}{
	{"Linux SYN", hdr{ttl: 64, id: 1, frag: df, flags: syn, seq: 1, win: 64240,
		opts: opts(optMSS1460, optSOK, optTS, optNOP, optWS7)},
		"4:64+0:0:1460:mss*44,7:mss,sok,ts,nop,ws:df,id+:0"},
	{"Windows SYN seen 15 hops away", hdr{ttl: 113, id: 0x1234, frag: df, flags: syn, seq: 1, win: 64240,
		opts: opts(optMSS1460, optNOP, []byte{3, 3, 8}, optNOP, optNOP, optSOK)},
		"4:113+15:0:1460:mss*44,8:mss,nop,ws,nop,nop,sok:df,id+:0"},
	{"distance past MaxDistance", hdr{ttl: 92, frag: df, flags: syn, seq: 1, win: 8192},
		"4:92+?:0:0:8192,0::df:0"},
	{"TTL 1", hdr{ttl: 1, frag: df, flags: syn, seq: 1, win: 1}, "4:1+31:0:0:1,0::df:0"},
	{"TTL 255", hdr{ttl: 255, frag: df, flags: syn, seq: 1, win: 1}, "4:255+0:0:0:1,0::df:0"},
	{"IPv4 options and zero ID without DF", hdr{ttl: 64, ipOpts: 8, flags: syn, seq: 1, win: 5},
		"4:64+0:8:0:5,0::id-:0"},
	{"reserved IP flag", hdr{ttl: 64, id: 7, frag: 0x8000, flags: syn, seq: 1, win: 5},
		"4:64+0:0:0:5,0::0+:0"},
	{"IPv6 with flow label", hdr{v6: true, ttl: 64, flow: 0x12345, flags: syn, seq: 1, win: 64800,
		opts: opts(mssOpt(1440), optSOK, optTS, optNOP, optWS7)},
		"6:64+0:0:1440:mss*45,7:mss,sok,ts,nop,ws:flow:0"},
	{"IPv6 ECN in traffic class", hdr{v6: true, ttl: 255, tos: 0x02, flags: syn, seq: 1, win: 2880,
		opts: mssOpt(1000)}, "6:255+0:0:1000:mss*2,0:mss:ecn:0"},
	{"IPv4 ECN", hdr{ttl: 64, tos: 0x01, frag: df, flags: syn, seq: 1, win: 1}, "4:64+0:0:0:1,0::df,ecn:0"},
	{"ECE and CWR", hdr{ttl: 64, frag: df, flags: syn | flagECE | flagCWR, seq: 1, win: 1}, "4:64+0:0:0:1,0::df,ecn:0"},
	{"NS bit", hdr{ttl: 64, frag: df, flags: syn, ns: true, seq: 1, win: 1}, "4:64+0:0:0:1,0::df,ecn:0"},
	{"zero sequence number", hdr{ttl: 64, frag: df, flags: syn, win: 1}, "4:64+0:0:0:1,0::df,seq-:0"},
	// p0f tests one bit of a SYN's acknowledgement number: bit 24.
	{"ack+ when bit 24 is set", hdr{ttl: 64, frag: df, flags: syn, seq: 1, ack: 0x01000000, win: 1},
		"4:64+0:0:0:1,0::df,ack+:0"},
	{"no ack+ when only bit 0 is set", hdr{ttl: 64, frag: df, flags: syn, seq: 1, ack: 1, win: 1},
		"4:64+0:0:0:1,0::df:0"},
	{"zero ACK of a SYN+ACK", hdr{ttl: 64, frag: df, flags: synack, seq: 1, win: 1}, "4:64+0:0:0:1,0::df,ack-:0"},
	{"urgent pointer without URG", hdr{ttl: 64, frag: df, flags: syn, seq: 1, win: 1, urg: 9},
		"4:64+0:0:0:1,0::df,uptr+:0"},
	{"URG and PSH", hdr{ttl: 64, frag: df, flags: syn | flagURG | flagPSH, seq: 1, win: 1, urg: 9},
		"4:64+0:0:0:1,0::df,urgf+,pushf+:0"},
	{"payload", hdr{ttl: 64, frag: df, flags: syn, seq: 1, win: 1, payload: 3}, "4:64+0:0:0:1,0::df:+"},
	{"zero first timestamp, second set on a SYN", hdr{ttl: 64, frag: df, flags: syn, seq: 1, win: 1,
		opts: opts(tsOpt(0, 5), optNOP, optNOP)}, "4:64+0:0:0:1,0:ts,nop,nop:df,ts1-,ts2+:0"},
	{"second timestamp of a SYN+ACK", hdr{ttl: 64, frag: df, flags: synack, seq: 1, ack: 1, win: 1,
		opts: opts(tsOpt(3, 5), optNOP, optNOP)}, "4:64+0:0:0:1,0:ts,nop,nop:df:0"},
	{"window scale over 14", hdr{ttl: 64, frag: df, flags: syn, seq: 1, win: 1,
		opts: opts([]byte{3, 3, 15}, optNOP)}, "4:64+0:0:0:1,15:ws,nop:df,exws:0"},
	{"end of options and zero padding", hdr{ttl: 64, frag: df, flags: syn, seq: 1, win: 1,
		opts: opts(optMSS1460, []byte{0, 0, 0, 0})}, "4:64+0:0:1460:1,0:mss,eol+3:df:0"},
	{"non-zero padding", hdr{ttl: 64, frag: df, flags: syn, seq: 1, win: 1,
		opts: []byte{0, 0, 5, 0}}, "4:64+0:0:0:1,0:eol+3:df,opt+:0"},
	// p0f reads past the first non-zero padding byte: when it is the
	// last, nothing is left and it does not notice.
	{"non-zero last padding byte", hdr{ttl: 64, frag: df, flags: syn, seq: 1, win: 1,
		opts: []byte{0, 0, 0, 5}}, "4:64+0:0:0:1,0:eol+3:df:0"},
	{"MSS with a wrong length", hdr{ttl: 64, frag: df, flags: syn, seq: 1, win: 1,
		opts: []byte{2, 9, 0x05, 0xb4}}, "4:64+0:0:1460:1,0:mss:df,bad:0"},
	{"timestamp cut short", hdr{ttl: 64, frag: df, flags: syn, seq: 1, win: 1,
		opts: []byte{1, 1, 8, 10, 0, 0, 0, 1}}, "4:64+0:0:0:1,0:nop,nop,ts:df,bad:0"},
	{"SACK with an impossible length", hdr{ttl: 64, frag: df, flags: syn, seq: 1, win: 1,
		opts: []byte{5, 9, 1, 1}}, "4:64+0:0:0:1,0:sack:df,bad:0"},
	{"SACK", hdr{ttl: 64, frag: df, flags: synack, seq: 1, ack: 1, win: 1,
		opts: []byte{1, 1, 5, 10, 0, 0, 0, 1, 0, 0, 0, 2}}, "4:64+0:0:0:1,0:nop,nop,sack:df:0"},
	{"unknown options", hdr{ttl: 64, frag: df, flags: syn, seq: 1, win: 1,
		opts: []byte{30, 4, 0, 0, 253, 2, 1, 1}}, "4:64+0:0:0:1,0:?30,?253,nop,nop:df:0"},
	{"unknown option longer than the header", hdr{ttl: 64, frag: df, flags: syn, seq: 1, win: 1,
		opts: []byte{30, 8, 0, 0}}, "4:64+0:0:0:1,0:?30:df,bad:0"},
	{"unknown option of length 1", hdr{ttl: 64, frag: df, flags: syn, seq: 1, win: 1,
		opts: []byte{1, 1, 30, 1}}, "4:64+0:0:0:1,0:nop,nop,?30:df,bad:0"},
	{"more than MaxOptions", hdr{ttl: 64, frag: df, flags: syn, seq: 1, win: 1,
		opts: []byte(strings.Repeat("\x01", 28))},
		"4:64+0:0:0:1,0:" + strings.Repeat("nop,", 23) + "nop:df,bad:0"},
	{"MaxOptions exactly", hdr{ttl: 64, frag: df, flags: syn, seq: 1, win: 1,
		opts: []byte(strings.Repeat("\x01", 24))},
		"4:64+0:0:0:1,0:" + strings.Repeat("nop,", 23) + "nop:df:0"},
	{"SYN+ACK with p0f's probe MSS", hdr{ttl: 64, frag: df, flags: synack, seq: 1, ack: 1, win: 1,
		opts: mssOpt(SpecialMSS)}, "4:64+0:0:*:1,0:mss:df:0"},
	{"SYN with p0f's probe MSS", hdr{ttl: 64, frag: df, flags: syn, seq: 1, win: 1,
		opts: mssOpt(SpecialMSS)}, "4:64+0:0:1331:1,0:mss:df:0"},
	{"window a multiple of MSS-12 with timestamps", hdr{ttl: 64, frag: df, flags: syn, seq: 1, win: 13880,
		opts: opts(mssOpt(1400), optNOP, optNOP, tsOpt(1, 0))}, "4:64+0:0:1400:mss*10,0:mss,nop,nop,ts:df:0"},
	{"same window, zero first timestamp", hdr{ttl: 64, frag: df, flags: syn, seq: 1, win: 13880,
		opts: opts(mssOpt(1400), optNOP, optNOP, tsOpt(0, 0))}, "4:64+0:0:1400:13880,0:mss,nop,nop,ts:df,ts1-:0"},
	{"window a multiple of 1460 with another MSS", hdr{ttl: 64, frag: df, flags: syn, seq: 1, win: 2920,
		opts: mssOpt(1000)}, "4:64+0:0:1000:mss*2,0:mss:df:0"},
	{"window a multiple of MSS+40", hdr{ttl: 64, frag: df, flags: syn, seq: 1, win: 4500,
		opts: optMSS1460}, "4:64+0:0:1460:mtu*3,0:mss:df:0"},
	{"window a multiple of the MSS and the actual headers", hdr{ttl: 64, ipOpts: 4, frag: df, flags: syn, seq: 1, win: 3 * 1048,
		opts: mssOpt(1000)}, "4:64+0:4:1000:mtu*3,0:mss:df:0"},
	{"IPv6 window a multiple of 1440", hdr{v6: true, ttl: 64, flags: syn, seq: 1, win: 2880,
		opts: mssOpt(1220)}, "6:64+0:0:1220:mss*2,0:mss::0"},
	{"MSS below 100", hdr{ttl: 64, frag: df, flags: syn, seq: 1, win: 99 * 3, opts: mssOpt(99)},
		"4:64+0:0:99:297,0:mss:df:0"},
	{"window a multiple of the peer's MSS", hdr{ttl: 64, frag: df, flags: synack, seq: 1, ack: 1, win: 3 * 1220,
		opts: mssOpt(1100), peerMSS: 1220}, "4:64+0:0:1100:mss*3,0:mss:df:0"},
	{"window a multiple of the peer's MSS-12", hdr{ttl: 64, frag: df, flags: synack, seq: 1, ack: 1, win: 3 * 1208,
		opts: mssOpt(1100), peerMSS: 1220}, "4:64+0:0:1100:mss*3,0:mss:df:0"},
	// A peer MSS below 12 gives a negative divisor, whose multiple p0f
	// does not write; nor one over 32767.
	{"peer MSS below 12", hdr{ttl: 64, frag: df, flags: synack, seq: 1, ack: 1, win: 77,
		opts: mssOpt(1000), peerMSS: 5}, "4:64+0:0:1000:77,0:mss:df:0"},
	{"multiple over 32767", hdr{ttl: 64, frag: df, flags: synack, seq: 1, ack: 1, win: 65535,
		opts: mssOpt(1000), peerMSS: 1}, "4:64+0:0:1000:65535,0:mss:df:0"},
	{"multiple of 32767", hdr{ttl: 64, frag: df, flags: synack, seq: 1, ack: 1, win: 32767,
		opts: mssOpt(1000), peerMSS: 1}, "4:64+0:0:1000:mss*32767,0:mss:df:0"},
	{"zero window", hdr{ttl: 64, frag: df, flags: syn, seq: 1, opts: optMSS1460}, "4:64+0:0:1460:0,0:mss:df:0"},
}

func TestFromHeaders(t *testing.T) {
	for _, tt := range sigTests {
		t.Run(tt.name, func(t *testing.T) {
			ip, tcp := tt.h.build()
			s, err := FromHeaders(ip, tcp, tt.h.payload, tt.h.peerMSS)
			if err != nil {
				t.Fatal(err)
			}
			if got := s.String(); got != tt.want {
				t.Errorf("got  %s\nwant %s", got, tt.want)
			}
			if got := string(s.AppendTo([]byte("x"))); got != "x"+tt.want {
				t.Errorf("AppendTo appended %q", got)
			}
		})
	}
}

func TestLinuxSYN(t *testing.T) {
	s, err := FromHeaders(linuxSYN[:20], linuxSYN[20:], 0, 0)
	if err != nil {
		t.Fatal(err)
	}
	want := Signature{
		Version: 4, TTL: 64, Flags: flagSYN, MSS: 1460, Window: 64240,
		WindowMultiple: 44, WindowUnit: WindowMSS, WScale: 10,
		Options:    [MaxOptions]Option{OptMSS, OptSOK, OptTS, OptNOP, OptWS},
		NumOptions: 5, Quirks: QuirkDF | QuirkNonZeroID,
	}
	if s != want {
		t.Errorf("got  %+v\nwant %+v", s, want)
	}
	if d, ok := s.Distance(); s.InitialTTL() != 64 || d != 0 || !ok {
		t.Errorf("InitialTTL %d, Distance %d %v", s.InitialTTL(), d, ok)
	}
	if !IsSYN(s.Flags) || IsSYNACK(s.Flags) {
		t.Errorf("IsSYN/IsSYNACK of %#x", s.Flags)
	}
	// What p0f printed for these packets.
	if got, want := s.String(), "4:64+0:0:1460:mss*44,10:mss,sok,ts,nop,ws:df,id+:0"; got != want {
		t.Errorf("SYN %s, want %s", got, want)
	}
	sa, err := FromHeaders(linuxSYNACK[:20], linuxSYNACK[20:], 0, s.MSS)
	if err != nil {
		t.Fatal(err)
	}
	if got, want := sa.String(), "4:64+0:0:1460:mss*45,10:mss,sok,ts,nop,ws:df:0"; got != want || !IsSYNACK(sa.Flags) {
		t.Errorf("SYN+ACK %s, want %s", got, want)
	}
}

func TestInitialTTL(t *testing.T) {
	for _, tt := range []struct {
		ttl, initial, dist uint8
		ok                 bool
	}{
		{0, 32, 32, true}, {32, 32, 0, true}, {33, 64, 31, true}, {64, 64, 0, true},
		{65, 128, 63, false}, {93, 128, 35, true}, {92, 128, 36, false}, {128, 128, 0, true},
		{129, 255, 126, false}, {220, 255, 35, true}, {219, 255, 36, false}, {255, 255, 0, true},
	} {
		s := Signature{Version: 4, TTL: tt.ttl}
		d, ok := s.Distance()
		if s.InitialTTL() != tt.initial || d != tt.dist || ok != tt.ok {
			t.Errorf("TTL %d: initial %d, distance %d %v; want %d, %d %v", tt.ttl, s.InitialTTL(), d, ok, tt.initial, tt.dist, tt.ok)
		}
	}
}

func TestFlags(t *testing.T) {
	for _, tt := range []struct {
		flags       uint8
		syn, synack bool
	}{
		{flagSYN, true, false}, {flagSYN | flagPSH | flagURG | flagECE | flagCWR, true, false},
		{flagSYN | flagACK, false, true}, {flagSYN | flagACK | flagECE, false, true},
		{flagSYN | flagFIN, false, false}, {flagSYN | flagRST, false, false},
		{flagSYN | flagACK | flagRST, false, false}, {flagACK, false, false}, {0, false, false},
	} {
		if IsSYN(tt.flags) != tt.syn || IsSYNACK(tt.flags) != tt.synack {
			t.Errorf("flags %#x: IsSYN %v IsSYNACK %v", tt.flags, IsSYN(tt.flags), IsSYNACK(tt.flags))
		}
	}
}

func TestErrors(t *testing.T) {
	ip, tcp := hdr{ttl: 64, flags: syn}.build()
	badDoff := append([]byte(nil), tcp...)
	badDoff[12] = 4 << 4
	longDoff := append([]byte(nil), tcp...)
	longDoff[12] = 6 << 4
	ip6, _ := hdr{v6: true}.build()
	for _, tt := range []struct {
		name    string
		ip, tcp []byte
		want    error
		offset  int64
	}{
		{"empty IP header", nil, tcp, ErrTruncated, 0},
		{"short IPv4 header", ip[:19], tcp, ErrTruncated, 19},
		{"IPv4 header length 16", []byte{0x44, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0}, tcp, ErrHeaderLength, 0},
		{"IPv4 options cut", append([]byte{0x46}, ip[1:]...), tcp, ErrTruncated, 20},
		{"short IPv6 header", ip6[:39], tcp, ErrTruncated, 39},
		{"IP version 5", append([]byte{0x55}, ip[1:]...), tcp, ErrVersion, 0},
		{"short TCP header", ip, tcp[:19], ErrTruncated, 39},
		{"TCP data offset 16", ip, badDoff, ErrHeaderLength, 32},
		{"TCP options cut", ip, longDoff, ErrTruncated, 40},
		{"TCP options cut after IPv6", ip6, longDoff, ErrTruncated, 60},
	} {
		t.Run(tt.name, func(t *testing.T) {
			s, err := FromHeaders(tt.ip, tt.tcp, 0, 0)
			var e *Error
			if !errors.Is(err, tt.want) || !errors.As(err, &e) || e.ByteOffset() != tt.offset {
				t.Fatalf("err %v, want %v at offset %d", err, tt.want, tt.offset)
			}
			if !s.IsZero() || s.String() != "" {
				t.Errorf("signature %v with the error", s)
			}
			if !strings.HasPrefix(err.Error(), "tcpsig: ") {
				t.Errorf("message %q", err)
			}
		})
	}
}

func TestNames(t *testing.T) {
	if got := (QuirkDF | QuirkOptBad | QuirkFlow).String(); got != "df,flow,bad" {
		t.Errorf("Quirks.String = %q", got)
	}
	if got := Quirks(1 << 20).String(); got != "Quirks(0x100000)" {
		t.Errorf("unknown quirk = %q", got)
	}
	if got := (QuirkECN | 1<<31).String(); got != "ecn,Quirks(0x80000000)" {
		t.Errorf("known and unknown quirks = %q", got)
	}
	for o, want := range map[Option]string{OptEOL: "eol", OptNOP: "nop", OptMSS: "mss", OptWS: "ws",
		OptSOK: "sok", OptSACK: "sack", OptTS: "ts", 6: "?6", 255: "?255"} {
		if o.String() != want {
			t.Errorf("Option(%d) = %q, want %q", o, o.String(), want)
		}
	}
	for u, want := range map[WindowUnit]string{WindowPlain: "plain", WindowMSS: "mss", WindowMTU: "mtu", 9: "WindowUnit(9)"} {
		if u.String() != want {
			t.Errorf("WindowUnit(%d) = %q", u, u.String())
		}
	}
}

// TestMaxLen checks the longest text a Signature can have against MaxLen:
// every field at its widest, whether FromHeaders can make it or not.
func TestMaxLen(t *testing.T) {
	s := Signature{
		Version: 255, TTL: 100, IPOptLen: 255, Flags: flagSYN, MSS: 65535, Window: 65535,
		WindowMultiple: 65535, WindowUnit: WindowMSS, WScale: 255, NumOptions: 255,
		EOLPad: 255, Quirks: ^Quirks(0), Payload: true,
	}
	got := s.String()
	if len(got) > MaxLen {
		t.Errorf("%d bytes, MaxLen %d: %s", len(got), MaxLen, got)
	}
	t.Logf("%d bytes: %s", len(got), got)
}
