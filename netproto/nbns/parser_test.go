package nbns

import (
	"errors"
	"flag"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
)

var update = flag.Bool("update", false, "rewrite the golden files")

// TestCaptureGolden parses every datagram of the nmbd capture and
// compares every entry with testdata/nbns.golden.
func TestCaptureGolden(t *testing.T) {
	var sb strings.Builder
	for i, msg := range pcapUDP(t, filepath.Join("testdata", "nbns.pcap")) {
		s := summary(msg)
		if strings.Contains(s, "error") {
			t.Errorf("packet %d: %s", i+1, s)
		}
		sb.WriteString("# packet " + strconv.Itoa(i+1) + "\n" + s)
	}
	path := filepath.Join("testdata", "nbns.golden")
	if *update {
		if err := os.WriteFile(path, []byte(sb.String()), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	want, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	if string(want) != sb.String() {
		t.Errorf("nbns.golden differs (run go test -update and review the diff):\n%s", sb.String())
	}
}

func TestMessages(t *testing.T) {
	tests := []struct {
		name string
		msg  []byte
		want string
	}{
		{"registration", registration("WARD3-PC", 0x20, false), `header id=27678 r=0 opcode=registration aa=0 rd=1 b=1 rcode=success
question WARD3-PC<20> server NB
additional WARD3-PC<20> NB ttl=300000 10.215.0.4/B
`},
		{"group registration", registration("HOSPITAL", 0x1C, true), `header id=27678 r=0 opcode=registration aa=0 rd=1 b=1 rcode=success
question HOSPITAL<1c> domain-controllers NB
additional HOSPITAL<1c> NB ttl=300000 10.215.0.4/B/group
`},
		{"node status with a MAC", nodeStatus(), `header id=258 r=1 opcode=query aa=1 rd=0 b=0 rcode=success
answer *<00><00><00><00><00><00><00><00><00><00><00><00><00><00><00> NBSTAT ttl=0
  WARD3-PC<00> workstation H active
  HOSPITAL<00> domain H group active
  WARD3-PC<20> server H active
  HOSPITAL<1e> browser-election H group active
  mac 00:1a:4b:12:34:56
`},
		{"negative response", message(9, FlagResponse|FlagAuthoritative|FlagRecursionDesired|Flags(RCodeNameError), [4]int{0, 1, 0, 0},
			rr(name("NOBODY", 0), TypeNB, 0, nil)), `header id=9 r=1 opcode=query aa=1 rd=1 b=0 rcode=name-error
answer NOBODY<00> NB ttl=0
`},
		{"conflict", message(9, FlagResponse|Flags(OpRegistration)<<11|FlagAuthoritative|Flags(RCodeActive), [4]int{0, 1, 0, 0},
			rr(name("WARD3-PC", 0), TypeNB, 0, cat(u16(0), []byte{10, 215, 0, 8}))), `header id=9 r=1 opcode=registration aa=1 rd=0 b=0 rcode=active
answer WARD3-PC<00> NB ttl=0 10.215.0.8/B
`},
		{"refresh (Windows opcode 9), multihomed", message(3, Flags(OpRefreshAlt)<<11, [4]int{1, 0, 0, 1},
			name("LAB-PC", 0), u16(0x20), u16(1),
			rr([]byte{0xC0, 12}, TypeNB, 3600, cat(u16(0x2000), []byte{10, 215, 0, 5}, u16(0x2000), []byte{10, 215, 0, 6}))),
			`header id=3 r=0 opcode=refresh aa=0 rd=0 b=0 rcode=success
question LAB-PC<00> workstation NB
additional LAB-PC<00> NB ttl=3600 10.215.0.5/P 10.215.0.6/P
`},
		{"wack", message(4, FlagResponse|Flags(OpWACK)<<11|FlagAuthoritative, [4]int{0, 1, 0, 0},
			rr(name("LAB-PC", 0), TypeNULL, 2, u16(0x2910))), `header id=4 r=1 opcode=wack aa=1 rd=0 b=0 rcode=success
answer LAB-PC<00> NULL ttl=2
`},
		{"scope", message(5, 0, [4]int{1, 0, 0, 0}, encode("LAB-PC", 0x20), []byte{7}, []byte("medical"), []byte{3, 'n', 'e', 't', 0},
			u16(0x20), u16(1)), `header id=5 r=0 opcode=query aa=0 rd=0 b=0 rcode=success
question LAB-PC<20>.medical.net server NB
`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := summary(tt.msg); got != tt.want {
				t.Errorf("got\n%s\nwant\n%s", got, tt.want)
			}
			if !Sniff(tt.msg) {
				t.Error("Sniff = false")
			}
		})
	}
	// The WACK's data is the request's flags.
	var p Parser
	p.Start(tests[6].msg)
	p.Next()
	r := p.Resource()
	if f, err := r.WACK(); err != nil || f.Opcode() != OpRegistration || !f.Broadcast() {
		t.Errorf("WACK = %#x %v", f, err)
	}
}

func TestMalformed(t *testing.T) {
	bad := func(label []byte) []byte {
		return message(1, 0, [4]int{1, 0, 0, 0}, label, []byte{0}, u16(0x20), u16(1))
	}
	lower := encode("LAB", 0)
	lower[5] = 'a'
	tests := []struct {
		name string
		msg  []byte
		get  func(r *Resource) error
		err  error
		off  int64
	}{
		{"short header", []byte{1, 2, 3, 4}, nil, ErrTruncated, 4},
		{"31-byte label", bad(append([]byte{31}, encode("LAB", 0)[1:32]...)), nil, ErrName, 12},
		{"letter past P", bad(append([]byte{32, 'Q'}, encode("LAB", 0)[2:]...)), nil, ErrName, 12},
		{"lower case", bad(lower), nil, ErrName, 12},
		{"root name", bad(nil), nil, ErrName, 12},
		{"pointer loop", message(1, 0, [4]int{1, 0, 0, 0}, []byte{0xC0, 12}, u16(0x20), u16(1)), nil, ErrName, 12},
		{"truncated", message(1, 0, [4]int{1, 0, 0, 0}, encode("LAB", 0)), nil, ErrTruncated, 45},
		{"NB of 5 bytes", message(1, FlagResponse, [4]int{0, 1, 0, 0}, rr(name("LAB", 0), TypeNB, 0, []byte{0, 0, 1, 2, 3})),
			func(r *Resource) error { nb := r.NB(); nb.Next(); return nb.Err() }, ErrRData, 12 + 34 + 10},
		{"NB of NBSTAT", message(1, FlagResponse, [4]int{0, 1, 0, 0}, rr(name("LAB", 0), TypeNBSTAT, 0, []byte{0})),
			func(r *Resource) error { nb := r.NB(); return nb.Err() }, ErrRecordType, 12},
		{"name table past the data", message(1, FlagResponse, [4]int{0, 1, 0, 0}, rr(name("*", 0), TypeNBSTAT, 0, []byte{2, 'A'})),
			func(r *Resource) error { _, err := r.NodeStatus(); return err }, ErrRData, 12 + 34 + 10},
		{"empty NBSTAT", message(1, FlagResponse, [4]int{0, 1, 0, 0}, rr(name("*", 0), TypeNBSTAT, 0, nil)),
			func(r *Resource) error { _, err := r.NodeStatus(); return err }, ErrRData, 12 + 34 + 10},
		{"NodeStatus of NB", message(1, FlagResponse, [4]int{0, 1, 0, 0}, rr(name("*", 0), TypeNB, 0, nil)),
			func(r *Resource) error { _, err := r.NodeStatus(); return err }, ErrRecordType, 12},
		{"WACK of 3 bytes", message(1, FlagResponse, [4]int{0, 1, 0, 0}, rr(name("LAB", 0), TypeNULL, 0, []byte{1, 2, 3})),
			func(r *Resource) error { _, err := r.WACK(); return err }, ErrRData, 12 + 34 + 10},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var p Parser
			_, err := p.Start(tt.msg)
			for err == nil && p.Next() {
				if p.Section() != 0 && tt.get != nil {
					r := p.Resource()
					err = tt.get(&r)
				}
			}
			if err == nil {
				err = p.Err()
			}
			var e *Error
			if !errors.Is(err, tt.err) || !errors.As(err, &e) || e.Offset != tt.off || e.ByteOffset() != tt.off {
				t.Errorf("error %v, want %v at offset %d", err, tt.err, tt.off)
			}
		})
	}
}

func TestNodeStatusMACless(t *testing.T) {
	msg := message(1, FlagResponse, [4]int{0, 1, 0, 0}, rr(name("*", 0), TypeNBSTAT, 0, []byte{0, 1, 2}))
	var p Parser
	p.Start(msg)
	p.Next()
	r := p.Resource()
	s, err := r.NodeStatus()
	if err != nil || s.Len() != 0 {
		t.Fatal(s, err)
	}
	if _, ok := s.UnitID(); ok {
		t.Error("UnitID from 2 bytes of statistics")
	}
}

func TestStrings(t *testing.T) {
	for _, tt := range []struct{ got, want string }{
		{Suffix(0x20).String(), "server"}, {Suffix(0x42).String(), "Suffix(0x42)"}, {Suffix(0).Meaning(true), "domain"},
		{Suffix(0).Meaning(false), "workstation"}, {Suffix(1).Meaning(true), "master-browser"}, {Suffix(0x42).Meaning(false), ""},
		{Suffix(0x20).Meaning(true), "internet-group"}, {Suffix(0x1C).Meaning(true), "domain-controllers"},
		{Opcode(3).String(), "Opcode(3)"}, {OpMultihomedRegistration.String(), "multihomed-registration"},
		{OpRelease.String(), "release"}, {OpRefresh.String(), "refresh"}, {OpQuery.String(), "query"},
		{RCodeConflict.String(), "conflict"}, {RCode(9).String(), "RCode(9)"},
		{Type(5).String(), "Type(0x0005)"}, {TypeA.String(), "A"}, {TypeNS.String(), "NS"},
		{NodeM.String(), "M"},
	} {
		if tt.got != tt.want {
			t.Errorf("got %q, want %q", tt.got, tt.want)
		}
	}
	if !SuffixMasterBrowser.Domain() || SuffixServer.Domain() || !Suffix(0x1B).Domain() {
		t.Error("Domain")
	}
	var n Name
	copy(n.Raw[:], "\x01\x02__MSBROWSE__\x02\x01")
	if got := n.String(); got != "<01><02>__MSBROWSE__<02><01>" {
		t.Errorf("MSBROWSE = %q", got)
	}
	if got := string(n.AppendBase(nil)); got != "<01><02>__MSBROWSE__<02>" {
		t.Errorf("AppendBase = %q", got)
	}
}
