package flow

import (
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/tls"
	"crypto/x509"
	"crypto/x509/pkix"
	"encoding/json"
	"math/big"
	"net"
	"net/netip"
	"strings"
	"sync"
	"testing"
	"time"
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
	e := NewEngine(Config{}, SinkFunc(func(ev *Event) {
		if ev.Proto == "tls" {
			lines = append(lines, ev.Kind+" "+string(ev.Detail.AppendJSON(nil)))
		}
	}))
	client := netip.MustParseAddrPort("10.0.0.5:50123")
	server := netip.MustParseAddrPort("10.0.0.9:2762")
	e.Packet(t0, LinkRaw, rawTCP(client, server, 0, FlagSYN, nil))
	e.Packet(t0, LinkRaw, rawTCP(server, client, 0, FlagSYN|FlagACK, nil))
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
			e.Packet(t0, LinkRaw, rawTCP(src, dst, seq[i], FlagACK, w[:n]))
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
	want := []string{
		`client-hello ,"server_name":"pacs.example.org","versions":["TLS 1.3","TLS 1.2"],"alpn":["dicom"],"service":"dicom"`,
		`server-hello ,"versions":["TLS 1.3"]`,
	}
	if lines[0] != want[0] || !strings.HasPrefix(lines[1], want[1]) {
		t.Fatalf("events\n%s\n%s\nwant\n%s\n%s...", lines[0], lines[1], want[0], want[1])
	}
}

func TestTLSGarbage(t *testing.T) {
	var kinds []string
	e := NewEngine(Config{Protocols: []string{"tls"}}, SinkFunc(func(ev *Event) { kinds = append(kinds, ev.Proto+"/"+ev.Kind) }))
	client := netip.MustParseAddrPort("10.0.0.5:50123")
	server := netip.MustParseAddrPort("10.0.0.9:2762")
	// A handshake record header declaring a 16 MiB hello, then junk.
	e.Packet(t0, LinkRaw, rawTCP(client, server, 1, FlagACK, []byte{0x16, 3, 1, 0xff, 0xff, 1, 0xff, 0xff, 0xff}))
	for i := range 10 {
		e.Packet(t0, LinkRaw, rawTCP(client, server, 10+uint32(i)*1400, FlagACK, make([]byte, 1400)))
	}
	e.Flush()
	got := strings.Join(kinds, " ")
	if !strings.Contains(got, "tls/error") {
		t.Fatalf("events %s", got)
	}
}
