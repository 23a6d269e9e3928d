package dnsevent_test

import (
	"encoding/binary"
	"net/netip"
	"strings"
	"testing"

	"github.com/medtap/medtap/flow/internal/udptest"
	"github.com/medtap/medtap/flow/llmnrflow"
	"github.com/medtap/medtap/flow/mdnsflow"
)

// wire writes a DNS message: names uncompressed, labels split at dots.
type wire struct {
	b      []byte
	counts [4]int
}

func newWire(id, flags uint16) *wire {
	return &wire{b: []byte{byte(id >> 8), byte(id), byte(flags >> 8), byte(flags), 0, 0, 0, 0, 0, 0, 0, 0}}
}

func (w *wire) name(s string) *wire {
	for _, l := range strings.Split(s, ".") {
		if l != "" {
			w.b = append(append(w.b, byte(len(l))), l...)
		}
	}
	w.b = append(w.b, 0)
	return w
}

func (w *wire) q(name string, typ, class uint16) *wire {
	w.counts[0]++
	w.name(name)
	w.b = binary.BigEndian.AppendUint16(binary.BigEndian.AppendUint16(w.b, typ), class)
	return w
}

func (w *wire) rr(sec int, name string, typ, class uint16, ttl uint32, data []byte) *wire {
	w.counts[sec]++
	w.name(name)
	w.b = binary.BigEndian.AppendUint16(binary.BigEndian.AppendUint16(w.b, typ), class)
	w.b = binary.BigEndian.AppendUint16(binary.BigEndian.AppendUint32(w.b, ttl), uint16(len(data)))
	w.b = append(w.b, data...)
	return w
}

func (w *wire) msg() []byte {
	for i, c := range w.counts {
		binary.BigEndian.PutUint16(w.b[4+2*i:], uint16(c))
	}
	return w.b
}

func txt(ss ...string) []byte {
	var b []byte
	for _, s := range ss {
		b = append(append(b, byte(len(s))), s...)
	}
	return b
}

var (
	mdnsGroup = netip.MustParseAddrPort("224.0.0.251:5353")
	printer   = netip.MustParseAddrPort("10.215.0.8:5353")
	asker     = netip.MustParseAddrPort("10.215.0.3:5353")
	oneShot   = netip.MustParseAddrPort("10.215.0.3:40000")
	llmnrPeer = netip.MustParseAddrPort("10.215.0.6:5355")
)

func TestKinds(t *testing.T) {
	a4 := []byte{10, 215, 0, 8}
	tests := []struct {
		name, proto string
		src, dst    netip.AddrPort
		msg         []byte
		want        []string
	}{
		{"QU question with a known answer", mdnsflow.Name, asker, mdnsGroup,
			newWire(0, 0).q("_ipp._tcp.local", 12, 0x8001).
				rr(1, "_ipp._tcp.local", 12, 1, 4000, newWire(0, 0).name("Lab Printer._ipp._tcp.local").b[12:]).msg(),
			[]string{`query {,"id":0,"questions":[{"name":"_ipp._tcp.local","type":"PTR","unicast_response":true}],"answers":[{"name":"_ipp._tcp.local","type":"PTR","ttl":4000,"target":"Lab Printer._ipp._tcp.local"}],"services":["_ipp._tcp.local"],"instances":["Lab Printer._ipp._tcp.local"]}`}},
		{"unicast response with the printer's model", mdnsflow.Name, printer, asker,
			newWire(0, 0x8400).rr(1, "Lab Printer._ipp._tcp.local", 16, 0x8001, 4500,
				txt("txtvers=1", "usb_MFG=HP", "usb_MDL=LaserJet 4250", "ty=HP LaserJet 4250", "TY=dup", "adminurl", "=x")).
				rr(3, "lab-printer.local", 1, 0x8001, 120, a4).msg(),
			[]string{`response {,"id":0,"answers":[{"name":"Lab Printer._ipp._tcp.local","type":"TXT","ttl":4500,"cache_flush":true,"txt":{"txtvers":"1","usb_MFG":"HP","usb_MDL":"LaserJet 4250","ty":"HP LaserJet 4250","adminurl":true}}],"additional":[{"name":"lab-printer.local","type":"A","ttl":120,"cache_flush":true,"addr":"10.215.0.8"}],"hosts":["lab-printer.local"],"addresses":["10.215.0.8"],"services":["_ipp._tcp.local"],"instances":["Lab Printer._ipp._tcp.local"]} vendor=HP LaserJet 4250 host=lab-printer.local`}},
		{"legacy unicast answer, with the question and id", mdnsflow.Name, printer, oneShot,
			newWire(77, 0x8400).q("lab-printer.local", 1, 1).rr(1, "lab-printer.local", 1, 1, 10, a4).msg(),
			[]string{`response {,"id":77,"questions":[{"name":"lab-printer.local","type":"A"}],"answers":[{"name":"lab-printer.local","type":"A","ttl":10,"addr":"10.215.0.8"}],"hosts":["lab-printer.local"],"addresses":["10.215.0.8"]} host=lab-printer.local`}},
		{"goodbye", mdnsflow.Name, printer, mdnsGroup,
			newWire(0, 0x8400).rr(1, "lab-printer.local", 1, 0x8001, 0, a4).msg(),
			[]string{`goodbye {,"id":0,"answers":[{"name":"lab-printer.local","type":"A","ttl":0,"cache_flush":true,"addr":"10.215.0.8"}],"hosts":["lab-printer.local"],"addresses":["10.215.0.8"]} host=lab-printer.local`}},
		{"NSEC, other types, an unusual class", mdnsflow.Name, printer, mdnsGroup,
			newWire(0, 0x8400).rr(1, "lab-printer.local", 47, 0x8001, 120, append(newWire(0, 0).name("lab-printer.local").b[12:], 0, 4, 0x40, 0, 0, 8)).
				rr(1, "x.local", 99, 3, 1, []byte{1, 2}).msg(),
			[]string{`announcement {,"id":0,"answers":[{"name":"lab-printer.local","type":"NSEC","ttl":120,"cache_flush":true,"next":"lab-printer.local","types":["A","AAAA"]},{"name":"x.local","type":"TYPE99","class":"CH","ttl":1,"rdlength":2}]}`}},
		{"a record after a malformed one is not reported", mdnsflow.Name, printer, mdnsGroup,
			newWire(0, 0x8400).rr(1, "a.local", 1, 1, 1, a4).rr(1, "b.local", 1, 1, 1, []byte{1, 2, 3}).rr(1, "c.local", 1, 1, 1, a4).msg(),
			[]string{`announcement {,"id":0,"answers":[{"name":"a.local","type":"A","ttl":1,"addr":"10.215.0.8"}],"hosts":["a.local"],"addresses":["10.215.0.8"]} host=a.local`,
				`error {,"offset":54,"error":"dnsmsg: malformed record data at offset 54"}`}},
		{"nothing that parses", mdnsflow.Name, printer, mdnsGroup, []byte{0, 0, 0x84, 0, 0, 1, 0, 0, 0, 0, 0, 0, 0xC0, 12},
			[]string{`error {,"offset":12,"error":"dnsmsg: bad compression pointer at offset 12"}`}},
		{"LLMNR response in conflict", llmnrflow.Name, llmnrPeer, oneShot,
			newWire(9, 0x8500).q("ward3-pc", 1, 1).rr(1, "ward3-pc", 1, 1, 30, []byte{10, 215, 0, 6}).msg(),
			[]string{`response {,"id":9,"conflict":true,"tentative":true,"questions":[{"name":"ward3-pc","type":"A"}],"answers":[{"name":"ward3-pc","type":"A","ttl":30,"addr":"10.215.0.6"}],"hosts":["ward3-pc"],"addresses":["10.215.0.6"]} host=ward3-pc`}},
		{"LLMNR query", llmnrflow.Name, oneShot, netip.MustParseAddrPort("224.0.0.252:5355"),
			newWire(9, 0).q("ward3-pc", 28, 1).msg(),
			[]string{`query {,"id":9,"questions":[{"name":"ward3-pc","type":"AAAA"}]}`}},
		{"LLMNR has no QU or cache-flush bit, nor vendors", llmnrflow.Name, llmnrPeer, oneShot,
			newWire(9, 0x8000|3).q("ward3-pc", 1, 0x8001).rr(1, "ward3-pc", 13, 0x8001, 30, txt("X86", "WINDOWS")).msg(),
			[]string{`response {,"id":9,"rcode":"NXDOMAIN","questions":[{"name":"ward3-pc","type":"A"}],"answers":[{"name":"ward3-pc","type":"HINFO","ttl":30,"cpu":"X86","os":"WINDOWS"}]}`}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := udptest.Deliver(t, tt.proto, tt.src, tt.dst, tt.msg)
			if strings.Join(got, "\n") != strings.Join(tt.want, "\n") {
				t.Errorf("got\n%s\nwant\n%s", strings.Join(got, "\n"), strings.Join(tt.want, "\n"))
			}
		})
	}
}

// TestLimits checks the caps on what one event writes: records per
// section, TXT pairs per record, names per summary.
func TestLimits(t *testing.T) {
	w := newWire(0, 0x8400)
	for i := range 300 {
		w.rr(1, "h"+strings.Repeat("x", i%50)+".local", 1, 1, 1, []byte{10, 215, 0, byte(i)})
	}
	var strs []string
	for i := range 40 {
		strs = append(strs, "k"+strings.Repeat("y", i)+"=v")
	}
	w.rr(3, "t.local", 16, 1, 1, txt(strs...))
	got := udptest.Deliver(t, mdnsflow.Name, printer, mdnsGroup, w.msg())
	if len(got) != 1 {
		t.Fatalf("%d events", len(got))
	}
	for _, want := range []string{`"records_dropped":44`, `"txt_dropped":8`} {
		if !strings.Contains(got[0], want) {
			t.Errorf("no %s", want)
		}
	}
	if n := strings.Count(got[0], `"type":"A"`); n != 256 {
		t.Errorf("%d A records written, want 256", n)
	}
	hosts := got[0][strings.Index(got[0], `"hosts":[`):]
	hosts = hosts[:strings.IndexByte(hosts, ']')]
	if n := strings.Count(hosts, ","); n != 31 {
		t.Errorf("%d hosts, want 32", n+1)
	}
}
