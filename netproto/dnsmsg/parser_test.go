package dnsmsg

import (
	"errors"
	"flag"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

var update = flag.Bool("update", false, "rewrite the golden files")

func checkGolden(t *testing.T, name, got string) {
	t.Helper()
	path := filepath.Join("testdata", name)
	if *update {
		if err := os.WriteFile(path, []byte(got), 0o644); err != nil {
			t.Fatal(err)
		}
		return
	}
	want, err := os.ReadFile(path)
	if err != nil {
		t.Fatalf("%v (run go test -update)", err)
	}
	if string(want) != got {
		wl, gl := strings.Split(string(want), "\n"), strings.Split(got, "\n")
		for i := 0; i < len(wl) || i < len(gl); i++ {
			var w, g string
			if i < len(wl) {
				w = wl[i]
			}
			if i < len(gl) {
				g = gl[i]
			}
			if w != g {
				t.Fatalf("%s differs at line %d:\nwant %s\ngot  %s", name, i+1, w, g)
			}
		}
	}
}

// TestCapturesGolden parses every datagram of the real-peer captures and
// compares every entry with testdata/<capture>.golden.
func TestCapturesGolden(t *testing.T) {
	for _, name := range []string{"mdns", "llmnr"} {
		t.Run(name, func(t *testing.T) {
			var sb strings.Builder
			for i, msg := range pcapUDP(t, filepath.Join("testdata", name+".pcap")) {
				sb.WriteString("# packet " + itoa(i+1) + "\n" + summary(msg))
				if strings.Contains(summary(msg), "error") {
					t.Errorf("packet %d: %s", i+1, summary(msg))
				}
			}
			checkGolden(t, name+".golden", sb.String())
		})
	}
}

func TestAnnouncement(t *testing.T) {
	want := `header id=0 qr=1 opcode=QUERY aa=1 tc=0 rcode=NOERROR
answer CT Scanner._dicom._tcp.local TXT IN ttl=4500 flush "txtvers=1" "aet=CT_SCANNER" "modality=CT" "model=Somatom Go" "manufacturer=Siemens"
answer _services._dns-sd._udp.local PTR IN ttl=4500 _dicom._tcp.local
answer _dicom._tcp.local PTR IN ttl=4500 CT Scanner._dicom._tcp.local
answer CT Scanner._dicom._tcp.local SRV IN ttl=120 flush 0 0 104 mtnm-ct1.local
additional mtnm-ct1.local A IN ttl=120 flush 10.215.0.2
additional mtnm-ct1.local AAAA IN ttl=120 flush fd11:215::2
additional mtnm-ct1.local HINFO IN ttl=120 flush "X86_64" "LINUX"
additional CT Scanner._dicom._tcp.local NSEC IN ttl=120 flush CT Scanner._dicom._tcp.local TXT SRV
`
	if got := summary(announcement()); got != want {
		t.Errorf("got\n%s\nwant\n%s", got, want)
	}
}

// TestQueries covers what the captures lack: a QU question, known
// answers, a truncated query, a probe's authority section, an LLMNR
// conflict.
func TestQueries(t *testing.T) {
	tests := []struct {
		name string
		msg  []byte
		want string
	}{
		{"qu-known-answer", newBuilder(0, FlagTruncated).
			question("_dicom._tcp.local", TypePTR, 0x8001).
			rr(SectionAnswer, "_dicom._tcp.local", TypePTR, 1, 4000, func(b *builder) { b.name("MR Console._dicom._tcp.local") }).msg(),
			`header id=0 qr=0 opcode=QUERY aa=0 tc=1 rcode=NOERROR
question _dicom._tcp.local PTR IN QU
answer _dicom._tcp.local PTR IN ttl=4000 MR Console._dicom._tcp.local
`},
		{"probe", newBuilder(0, 0).
			question("mtnm-ct1.local", TypeANY, 0x8001).
			rr(SectionAuthority, "mtnm-ct1.local", TypeA, 1, 120, func(b *builder) { b.bytes(10, 215, 0, 2) }).msg(),
			`header id=0 qr=0 opcode=QUERY aa=0 tc=0 rcode=NOERROR
question mtnm-ct1.local ANY IN QU
authority mtnm-ct1.local A IN ttl=120 10.215.0.2
`},
		{"llmnr-conflict", newBuilder(7, FlagResponse|FlagConflict|FlagTentative).
			question("ward3-pc", TypeA, 1).
			rr(SectionAnswer, "ward3-pc", TypeA, 1, 30, func(b *builder) { b.bytes(10, 215, 0, 9) }).msg(),
			`header id=7 qr=1 opcode=QUERY aa=1 tc=0 rcode=NOERROR
question ward3-pc A IN
answer ward3-pc A IN ttl=30 10.215.0.9
`},
		{"nxdomain-opt", newBuilder(0x1234, FlagResponse|Flags(RCodeNameError)).
			question("nobody.example", TypeAAAA, 1).
			rr(SectionAdditional, "", TypeOPT, 1232, 0, nil).msg(),
			`header id=4660 qr=1 opcode=QUERY aa=0 tc=0 rcode=NXDOMAIN
question nobody.example AAAA IN
additional . OPT CLASS1232 ttl=0 len=0
`},
		{"escapes", newBuilder(0, FlagResponse).
			rr(SectionAnswer, "a.b", TypeNULL, 1, 1, func(b *builder) { b.bytes(1, 2, 3) }).msg(),
			`header id=0 qr=1 opcode=QUERY aa=0 tc=0 rcode=NOERROR
answer a.b NULL IN ttl=1 len=3
`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := summary(tt.msg); got != tt.want {
				t.Errorf("got\n%s\nwant\n%s", got, tt.want)
			}
			var p Parser
			h, _ := p.Start(tt.msg)
			if tt.name == "llmnr-conflict" && (!h.Flags.Conflict() || !h.Flags.Tentative()) {
				t.Errorf("flags %#x: conflict and tentative not seen", h.Flags)
			}
		})
	}
}

// TestMalformed checks that hostile messages stop the parser with the
// right sentinel at the right offset, and never loop.
func TestMalformed(t *testing.T) {
	withCounts := func(qd, an int, body ...byte) []byte {
		b := newBuilder(0, 0)
		b.counts[0], b.counts[1] = qd, an
		return append(b.msg(), body...)
	}
	long := func() []byte { // 5 labels of 63 bytes: 320 bytes
		var body []byte
		for range 5 {
			body = append(body, 63)
			body = append(body, strings.Repeat("a", 63)...)
		}
		return withCounts(1, 0, append(body, 0, 0, 1, 0, 1)...)
	}
	tests := []struct {
		name    string
		msg     []byte
		entries int
		err     error
		off     int64
	}{
		{"short header", []byte{0, 1, 2}, 0, ErrTruncated, 3},
		{"counts past the end", withCounts(3, 0, 0, 0, 1, 0, 1), 1, ErrTruncated, 17},
		{"huge counts", withCounts(65535, 65535), 0, ErrTruncated, 12},
		{"label past the end", withCounts(1, 0, 5, 'a', 'b'), 0, ErrTruncated, 12},
		{"no type", withCounts(1, 0, 0, 0), 0, ErrTruncated, 13},
		{"reserved label", withCounts(1, 0, 0x40, 0, 0, 1, 0, 1), 0, ErrLabel, 12},
		{"pointer to itself", withCounts(1, 0, 0xC0, 12, 0, 1, 0, 1), 0, ErrPointer, 12},
		{"pointer into the header", withCounts(1, 0, 0xC0, 2, 0, 1, 0, 1), 0, ErrPointer, 12},
		{"forward pointer", withCounts(1, 0, 0xC0, 18, 0, 1, 0, 1, 0, 0, 1, 0, 1), 0, ErrPointer, 12},
		{"loop through a label", withCounts(2, 0, 1, 'a', 0, 0, 1, 0, 1, 1, 'b', 0xC0, 19, 0, 1, 0, 1), 1, ErrPointer, 21},
		{"cut pointer", withCounts(1, 0, 0xC0), 0, ErrTruncated, 12},
		{"name too long", long(), 0, ErrNameTooLong, 12 + 3*64}, // the fourth label makes 256 bytes
		{"rdata past the end", withCounts(0, 1, 0, 0, 1, 0, 1, 0, 0, 0, 0, 0, 9, 1, 2), 0, ErrTruncated, 21},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var p Parser
			_, err := p.Start(tt.msg)
			n := 0
			for p.Next() {
				n++
			}
			if err == nil {
				err = p.Err()
			}
			if n != tt.entries {
				t.Errorf("%d entries, want %d", n, tt.entries)
			}
			var e *Error
			if !errors.Is(err, tt.err) || !errors.As(err, &e) || e.Offset != tt.off {
				t.Fatalf("error %v, want %v at offset %d", err, tt.err, tt.off)
			}
			if e.ByteOffset() != e.Offset || e.Offset < 0 || e.Offset > int64(len(tt.msg)) {
				t.Errorf("offset %d outside the message", e.Offset)
			}
			if p.Next() {
				t.Error("Next after an error reported an entry")
			}
		})
	}
}

// TestPointerChain checks MaxPointers: a name reached through a chain of
// n pointers parses when n is within the limit and fails past it.
func TestPointerChain(t *testing.T) {
	const chain = 40
	msg := append(newBuilder(0, 0).msg(), 1, 'x', 0) // "x" at offset 12
	prev := HeaderLen
	for range chain {
		at := len(msg)
		msg = append(msg, 0xC0|byte(prev>>8), byte(prev))
		prev = at
	}
	for _, tt := range []struct {
		max int
		ok  bool
	}{{0, false}, {DefaultMaxPointers, false}, {chain - 1, false}, {chain, true}, {100, true}, {1 << 20, true}} {
		end, f := walkName(msg, prev, tt.max)
		if (f.err == nil) != tt.ok {
			t.Errorf("MaxPointers %d: %v, want ok=%v", tt.max, f.err, tt.ok)
		}
		if f.err == nil && (end != prev+2 || Name{msg, prev}.String() != "x") {
			t.Errorf("MaxPointers %d: end %d, name %q", tt.max, end, Name{msg, prev})
		}
	}
}

// TestPointerCap checks that no setting of MaxPointers lets a name follow
// more than 255 pointers, and that a name so reached still decodes whole.
func TestPointerCap(t *testing.T) {
	chainOf := func(n int) ([]byte, int) {
		msg := append(newBuilder(0, 0).msg(), 1, 'x', 0)
		prev := HeaderLen
		for range n {
			at := len(msg)
			msg = append(msg, 0xC0|byte(prev>>8), byte(prev))
			prev = at
		}
		return msg, prev
	}
	msg, at := chainOf(255)
	if _, f := walkName(msg, at, 1<<20); f.err != nil {
		t.Fatalf("255 pointers: %v", f.err)
	}
	if got := (Name{msg, at}).String(); got != "x" {
		t.Errorf("name %q after 255 pointers", got)
	}
	msg, at = chainOf(256)
	if _, f := walkName(msg, at, 1<<20); f.err != ErrPointer {
		t.Errorf("256 pointers: %v, want ErrPointer", f.err)
	}
}
