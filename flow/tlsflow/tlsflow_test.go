package tlsflow

import (
	"bytes"
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/tls"
	"crypto/x509"
	"crypto/x509/pkix"
	"encoding/json"
	"flag"
	"fmt"
	"math/big"
	"net"
	"net/netip"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/medtap/medtap/flow"
	"github.com/medtap/medtap/internal/flowtest"
	"github.com/medtap/medtap/internal/pkttest"
)

// recConn records what is written through it.
type recConn struct {
	net.Conn
	mu  *sync.Mutex
	out *[][]byte
}

func (c recConn) Write(b []byte) (int, error) {
	c.mu.Lock()
	*c.out = append(*c.out, append([]byte(nil), b...))
	c.mu.Unlock()
	return c.Conn.Write(b)
}

func selfSigned(t *testing.T) tls.Certificate {
	key, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	if err != nil {
		t.Fatal(err)
	}
	tmpl := &x509.Certificate{SerialNumber: big.NewInt(1), Subject: pkix.Name{CommonName: "pacs.example.org"},
		DNSNames: []string{"pacs.example.org"}, NotBefore: time.Now().Add(-time.Hour), NotAfter: time.Now().Add(time.Hour)}
	der, err := x509.CreateCertificate(rand.Reader, tmpl, tmpl, &key.PublicKey, key)
	if err != nil {
		t.Fatal(err)
	}
	return tls.Certificate{Certificate: [][]byte{der}, PrivateKey: key}
}

// TestTLSHello runs a real crypto/tls handshake, replays its bytes as a
// capture on the DICOM TLS port and checks the hello events.
func TestTLSHello(t *testing.T) {
	var mu sync.Mutex
	var c2s, s2c [][]byte
	a, b := net.Pipe()
	cfgS := &tls.Config{Certificates: []tls.Certificate{selfSigned(t)}, NextProtos: []string{"dicom"}}
	cfgC := &tls.Config{ServerName: "pacs.example.org", InsecureSkipVerify: true, NextProtos: []string{"dicom"}, MinVersion: tls.VersionTLS12}
	done := make(chan error, 1)
	go func() {
		s := tls.Server(recConn{b, &mu, &s2c}, cfgS)
		done <- s.Handshake()
	}()
	cl := tls.Client(recConn{a, &mu, &c2s}, cfgC)
	if err := cl.Handshake(); err != nil {
		t.Fatal(err)
	}
	if err := <-done; err != nil {
		t.Fatal(err)
	}
	a.Close()
	b.Close()

	var lines []string
	e := flowtest.NewEngine(t, flow.Config{}, flow.SinkFunc(func(ev *flow.Event) {
		if ev.Protocol == "tls" {
			lines = append(lines, string(ev.Kind)+" "+string(ev.Detail.AppendJSON(nil)))
		}
	}))
	client := netip.MustParseAddrPort("10.0.0.5:50123")
	server := netip.MustParseAddrPort("10.0.0.9:2762")
	e.Packet(pkttest.T0, flow.LinkRaw, pkttest.RawTCP(client, server, 0, flow.FlagSYN, nil))
	e.Packet(pkttest.T0, flow.LinkRaw, pkttest.RawTCP(server, client, 0, flow.FlagSYN|flow.FlagACK, nil))
	seq := [2]uint32{1, 1}
	// The first write of each side holds its hello; cut it into small
	// segments to exercise buffering across segments and records.
	for i, w := range [][]byte{c2s[0], s2c[0]} {
		src, dst := client, server
		if i == 1 {
			src, dst = server, client
		}
		for len(w) > 0 {
			n := min(len(w), 50)
			e.Packet(pkttest.T0, flow.LinkRaw, pkttest.RawTCP(src, dst, seq[i], flow.FlagACK, w[:n]))
			seq[i] += uint32(n)
			w = w[n:]
		}
	}
	e.Flush()
	if len(lines) != 2 {
		t.Fatalf("events %q", lines)
	}
	for _, l := range lines {
		var m map[string]any
		if err := json.Unmarshal([]byte("{"+strings.SplitN(l, " ", 2)[1][1:]+"}"), &m); err != nil {
			t.Fatalf("invalid JSON %q: %v", l, err)
		}
	}
	// The fingerprints depend on what crypto/tls offers; their values are
	// checked against tshark's in TestPeersAgainstTshark.
	want := []*regexp.Regexp{
		regexp.MustCompile(`^client-hello ,"server_name":"pacs.example.org","versions":\["TLS 1.3","TLS 1.2"\],"alpn":\["dicom"\],"service":"dicom",` +
			`"sni":"pacs.example.org","ja3":"[0-9a-f]{32}","ja3_full":"771,[0-9,-]+","ja4":"t13d[0-9]{4}dm_[0-9a-f]{12}_[0-9a-f]{12}"$`),
		regexp.MustCompile(`^server-hello ,"versions":\["TLS 1.3"\],"cipher":"0x130[1-3]","ja3s":"[0-9a-f]{32}","ja3s_full":"771,486[5-7],[0-9-]+"$`),
	}
	for i, l := range lines {
		if !want[i].MatchString(l) {
			t.Errorf("event\n%s\nwant\n%s", l, want[i])
		}
	}
}

func TestTLSGarbage(t *testing.T) {
	var kinds []string
	e := flowtest.NewEngine(t, flow.Config{Protocols: []string{"tls"}}, flow.SinkFunc(func(ev *flow.Event) { kinds = append(kinds, ev.Protocol+"/"+string(ev.Kind)) }))
	client := netip.MustParseAddrPort("10.0.0.5:50123")
	server := netip.MustParseAddrPort("10.0.0.9:2762")
	// A handshake record header declaring a 16 MiB hello, then junk.
	e.Packet(pkttest.T0, flow.LinkRaw, pkttest.RawTCP(client, server, 1, flow.FlagACK, []byte{0x16, 3, 1, 0xff, 0xff, 1, 0xff, 0xff, 0xff}))
	for i := range 10 {
		e.Packet(pkttest.T0, flow.LinkRaw, pkttest.RawTCP(client, server, 10+uint32(i)*1400, flow.FlagACK, make([]byte, 1400)))
	}
	e.Flush()
	got := strings.Join(kinds, " ")
	if !strings.Contains(got, "tls/error") {
		t.Fatalf("events %s", got)
	}
}

// TestDICOMOverTLS decodes storescu talking to storescp over TLS on 2762
// (dicom/ul's real-peer capture): the hellos are reported, with the
// service the port implies, and the DICOM decoder sees nothing.
func TestDICOMOverTLS(t *testing.T) {
	sink := &flowtest.JSONSink{Protocol: "tls"}
	e := flowtest.NewEngine(t, flow.Config{}, sink)
	flowtest.RunFile(t, e, "../../dicom/ul/testdata/tls.pcap")
	tls := sink.Lines
	if len(tls) < 2 || !strings.HasPrefix(tls[0], "client-hello ") || !strings.Contains(tls[0], `"service":"dicom"`) ||
		!strings.HasPrefix(tls[1], "server-hello ") {
		t.Errorf("tls: %q", tls)
	}
	if st := e.Stats(); st.ProtocolErrors["tls"] != 0 {
		t.Errorf("decode errors: %v", st.ProtocolErrors)
	}
}

var update = flag.Bool("update", false, "rewrite testdata/peers.golden")

// TestPeersGolden decodes the real-peer capture of
// netproto/tlshello/testdata and compares every event, with the
// identities it yields, with testdata/peers.golden.
func TestPeersGolden(t *testing.T) {
	var out bytes.Buffer
	e := flowtest.NewEngine(t, flow.Config{}, flow.SinkFunc(func(ev *flow.Event) {
		if ev.Protocol != Name {
			return
		}
		out.Write(flow.AppendEventJSON(nil, ev))
		out.WriteByte('\n')
		if id, ok := ev.Detail.(flow.Identifier); ok {
			id.Identify(ev.Kind, nil, func(i flow.Identity) {
				fmt.Fprintf(&out, "\tidentity source=%v kind=%s name=%q\n", i.Source, i.Kind, i.Name)
			})
		}
	}))
	flowtest.RunFile(t, e, peers)
	golden := filepath.Join("testdata", "peers.golden")
	if *update {
		if err := os.MkdirAll("testdata", 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(golden, out.Bytes(), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	want, err := os.ReadFile(golden)
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(out.Bytes(), want) {
		t.Errorf("events differ from %s (go test -update to rewrite):\n%s", golden, out.Bytes())
	}
}

// TestTLSAllocs runs recorded TLS 1.2 and 1.3 connections (OpenSSL's,
// with a certificate and a HelloRetryRequest) through the engine, a new
// flow each, in segments of 100 bytes so that hellos and certificates are
// gathered across them, and renders every event's JSON: after warming up,
// a connection allocates once, the decoder the engine asks Protocol.New
// for; decoding and fingerprinting allocate nothing.
func TestTLSAllocs(t *testing.T) {
	if pkttest.RaceEnabled {
		t.Skip("allocation counts differ under the race detector")
	}
	var conns [][2][]byte
	for _, name := range []string{"openssl-tls12", "openssl-tls13", "openssl-hrr"} {
		var c [2][]byte
		for i, ext := range []string{".c2s", ".s2c"} {
			b, err := os.ReadFile(filepath.Join("..", "..", "netproto", "tlshello", "testdata", name+ext))
			if err != nil {
				t.Fatal(err)
			}
			c[i] = b
		}
		conns = append(conns, c)
	}
	sink := &flowtest.CountSink{Buf: make([]byte, 0, 4096)}
	e := flowtest.NewEngine(t, flow.Config{Protocols: []string{Name}}, sink)
	server := netip.MustParseAddrPort("10.0.0.9:2762")
	var pkts [][]byte
	port := uint16(40000)
	build := func() {
		pkts = pkts[:0]
		for _, c := range conns {
			port++
			client := netip.AddrPortFrom(netip.MustParseAddr("10.0.0.5"), port)
			pkts = append(pkts, pkttest.RawTCP(client, server, 0, flow.FlagSYN, nil), pkttest.RawTCP(server, client, 0, flow.FlagSYN|flow.FlagACK, nil))
			// The directions alternate, a segment each: the client's
			// ChangeCipherSpec and second ClientHello come after the
			// server's HelloRetryRequest, as on the wire.
			seq := [2]uint32{1, 1}
			for w := c; len(w[0])+len(w[1]) > 0; {
				for i := range w {
					src, dst := client, server
					if i == 1 {
						src, dst = server, client
					}
					if n := min(len(w[i]), 100); n > 0 {
						pkts = append(pkts, pkttest.RawTCP(src, dst, seq[i], flow.FlagACK, w[i][:n]))
						seq[i] += uint32(n)
						w[i] = w[i][n:]
					}
				}
			}
			pkts = append(pkts, pkttest.RawTCP(client, server, seq[0], flow.FlagFIN|flow.FlagACK, nil),
				pkttest.RawTCP(server, client, seq[1], flow.FlagFIN|flow.FlagACK, nil))
		}
	}
	run := func() {
		for _, p := range pkts {
			if err := e.Packet(pkttest.T0, flow.LinkRaw, p); err != nil {
				t.Fatal(err)
			}
		}
	}
	for range 3 {
		build()
		run()
	}
	build()
	before := sink.Events
	if n := testing.AllocsPerRun(20, run); n != float64(len(conns)) {
		t.Errorf("%d connections allocate %.1f times, want one each (Protocol.New)", len(conns), n)
	}
	// Per run: TLS 1.2 client hello, server hello and certificate; TLS
	// 1.3 hellos; two client hellos, a HelloRetryRequest and a server
	// hello; the engine's start and end of each flow.
	if per := (sink.Events - before) / 21; per != 3+2+4+6 {
		t.Errorf("%d events per run", per)
	}
}

// FuzzTLSFlow runs a client and a server stream through the engine as one
// connection on the DICOM TLS port, cut in segments, and checks that every
// event is valid JSON and every decode error has an offset inside its
// stream.
func FuzzTLSFlow(f *testing.F) {
	for _, name := range []string{"openssl-tls12", "openssl-tls10", "openssl-hrr", "curl-h2"} {
		var c [2][]byte
		for i, ext := range []string{".c2s", ".s2c"} {
			b, err := os.ReadFile(filepath.Join("..", "..", "netproto", "tlshello", "testdata", name+ext))
			if err != nil {
				f.Fatal(err)
			}
			c[i] = b
		}
		f.Add(c[0], c[1], uint16(100))
	}
	f.Fuzz(func(t *testing.T, c2s, s2c []byte, seg uint16) {
		n := max(int(seg), 1)
		e := flowtest.NewEngine(t, flow.Config{Protocols: []string{Name}, MaxFlows: 4}, flow.SinkFunc(func(ev *flow.Event) {
			b := flow.AppendEventJSON(nil, ev)
			if !json.Valid(b) {
				t.Fatalf("invalid JSON %s", b)
			}
			if d, ok := ev.Detail.(*flow.DecodeErrorDetail); ok {
				size := len(c2s)
				if ev.Src.Port() == 2762 {
					size = len(s2c)
				}
				if d.Offset < 0 || d.Offset > int64(size) {
					t.Fatalf("error offset %d of %d bytes: %s", d.Offset, size, b)
				}
			}
		}))
		client := netip.MustParseAddrPort("10.0.0.5:50123")
		server := netip.MustParseAddrPort("10.0.0.9:2762")
		packet := func(src, dst netip.AddrPort, seq uint32, flags uint8, p []byte) {
			if err := e.Packet(pkttest.T0, flow.LinkRaw, pkttest.RawTCP(src, dst, seq, flags, p)); err != nil {
				t.Fatal(err)
			}
		}
		packet(client, server, 0, flow.FlagSYN, nil)
		packet(server, client, 0, flow.FlagSYN|flow.FlagACK, nil)
		seq := [2]uint32{1, 1}
		for w := [2][]byte{c2s, s2c}; len(w[0])+len(w[1]) > 0; {
			for i, ends := range [2][2]netip.AddrPort{{client, server}, {server, client}} {
				if m := min(len(w[i]), n); m > 0 {
					packet(ends[0], ends[1], seq[i], flow.FlagACK, w[i][:m])
					seq[i] += uint32(m)
					w[i] = w[i][m:]
				}
			}
		}
		e.Flush()
	})
}
