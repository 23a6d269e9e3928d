package tlshello

import (
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/tls"
	"crypto/x509"
	"crypto/x509/pkix"
	"encoding/binary"
	"errors"
	"fmt"
	"math/big"
	"net"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"
)

// An ext is one extension of a hand-built hello.
type ext struct {
	typ  uint16
	body []byte
}

// clientHello builds a ClientHello body: legacy version, a random of 32
// bytes, session id, cipher suites, compression methods [0], and the
// extensions block unless exts is nil.
func clientHello(version uint16, sid []byte, ciphers []uint16, exts []ext) []byte {
	b := binary.BigEndian.AppendUint16(nil, version)
	b = append(b, make([]byte, 32)...)
	b = append(b, byte(len(sid)))
	b = append(b, sid...)
	b = binary.BigEndian.AppendUint16(b, uint16(2*len(ciphers)))
	for _, c := range ciphers {
		b = binary.BigEndian.AppendUint16(b, c)
	}
	b = append(b, 1, 0)
	return appendExts(b, exts)
}

// serverHello builds a ServerHello body.
func serverHello(version uint16, cipher uint16, exts []ext) []byte {
	b := binary.BigEndian.AppendUint16(nil, version)
	b = append(b, make([]byte, 32)...)
	b = append(b, 0)
	b = binary.BigEndian.AppendUint16(b, cipher)
	b = append(b, 0)
	return appendExts(b, exts)
}

func appendExts(b []byte, exts []ext) []byte {
	if exts == nil {
		return b
	}
	var block []byte
	for _, e := range exts {
		block = binary.BigEndian.AppendUint16(block, e.typ)
		block = binary.BigEndian.AppendUint16(block, uint16(len(e.body)))
		block = append(block, e.body...)
	}
	b = binary.BigEndian.AppendUint16(b, uint16(len(block)))
	return append(b, block...)
}

func vec16of(b []byte) []byte {
	return append(binary.BigEndian.AppendUint16(nil, uint16(len(b))), b...)
}

func extSNI(host string) ext {
	return ext{0, vec16of(append([]byte{0}, vec16of([]byte(host))...))}
}

func extALPN(protos ...string) ext {
	var l []byte
	for _, p := range protos {
		l = append(append(l, byte(len(p))), p...)
	}
	return ext{16, vec16of(l)}
}

// extU16 builds an extension holding a list of 16-bit values with a
// one-byte (supported_versions) or two-byte length.
func extU16(typ uint16, lenBytes int, vals ...uint16) ext {
	var l []byte
	for _, v := range vals {
		l = binary.BigEndian.AppendUint16(l, v)
	}
	if lenBytes == 1 {
		return ext{typ, append([]byte{byte(len(l))}, l...)}
	}
	return ext{typ, vec16of(l)}
}

// handshakeMsg prefixes body with a handshake header.
func handshakeMsg(typ HandshakeType, body []byte) []byte {
	n := len(body)
	return append([]byte{byte(typ), byte(n >> 16), byte(n >> 8), byte(n)}, body...)
}

// records cuts payload into records of content type typ of at most max bytes.
func records(typ ContentType, max int, payload []byte) []byte {
	var b []byte
	for first := true; first || len(payload) > 0; first = false {
		n := min(len(payload), max)
		b = append(b, byte(typ), 3, 1, byte(n>>8), byte(n))
		b = append(b, payload[:n]...)
		payload = payload[n:]
	}
	return b
}

// recConn records what is written through it.
type recConn struct {
	net.Conn
	mu  *sync.Mutex
	out *[]byte
}

func (c recConn) Write(b []byte) (int, error) {
	c.mu.Lock()
	*c.out = append(*c.out, b...)
	c.mu.Unlock()
	return c.Conn.Write(b)
}

var (
	certOnce sync.Once
	cert     tls.Certificate
)

func selfSigned(t testing.TB) tls.Certificate {
	certOnce.Do(func() {
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
		cert = tls.Certificate{Certificate: [][]byte{der}, PrivateKey: key}
	})
	return cert
}

// A session is a crypto/tls handshake over loopback TCP (net.Pipe does not
// buffer, and the two flights of a HelloRetryRequest cross): what each side
// wrote, what the server's crypto/tls read from the ClientHello and what the
// client negotiated.
type session struct {
	c2s, s2c []byte
	info     tls.ClientHelloInfo
	state    tls.ConnectionState
}

func handshake(t testing.TB, cfgC, cfgS *tls.Config) session {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer ln.Close()
	var mu sync.Mutex
	var s session
	cfgS = cfgS.Clone()
	cfgS.Certificates = []tls.Certificate{selfSigned(t)}
	cfgS.GetConfigForClient = func(h *tls.ClientHelloInfo) (*tls.Config, error) {
		mu.Lock()
		if s.info.CipherSuites == nil { // the first ClientHello
			s.info = *h
		}
		mu.Unlock()
		return nil, nil
	}
	done := make(chan error, 1)
	go func() {
		c, err := ln.Accept()
		if err != nil {
			done <- err
			return
		}
		defer c.Close()
		c.SetDeadline(time.Now().Add(10 * time.Second))
		done <- tls.Server(recConn{c, &mu, &s.s2c}, cfgS).Handshake()
	}()
	c, err := net.Dial("tcp", ln.Addr().String())
	if err != nil {
		t.Fatal(err)
	}
	defer c.Close()
	c.SetDeadline(time.Now().Add(10 * time.Second))
	cl := tls.Client(recConn{c, &mu, &s.c2s}, cfgC)
	if err := cl.Handshake(); err != nil {
		t.Fatal(err)
	}
	if err := <-done; err != nil {
		t.Fatal(err)
	}
	s.state = cl.ConnectionState()
	mu.Lock()
	defer mu.Unlock()
	return s
}

// goSessions are crypto/tls handshakes of several shapes.
func goSessions(t testing.TB) map[string]session {
	alpn := []string{"dicom", "http/1.1"}
	return map[string]session{
		"tls13": handshake(t, &tls.Config{ServerName: "pacs.example.org", InsecureSkipVerify: true, NextProtos: alpn},
			&tls.Config{NextProtos: []string{"dicom"}}),
		"tls12": handshake(t, &tls.Config{ServerName: "pacs.example.org", InsecureSkipVerify: true, NextProtos: alpn, MaxVersion: tls.VersionTLS12},
			&tls.Config{NextProtos: []string{"dicom"}}),
		"tls12-rsa-kx": handshake(t, &tls.Config{InsecureSkipVerify: true, MaxVersion: tls.VersionTLS12,
			CipherSuites: []uint16{tls.TLS_ECDHE_ECDSA_WITH_AES_128_CBC_SHA}}, &tls.Config{}),
		"tls10": handshake(t, &tls.Config{ServerName: "lis.example.org", InsecureSkipVerify: true, MinVersion: tls.VersionTLS10, MaxVersion: tls.VersionTLS10},
			&tls.Config{MinVersion: tls.VersionTLS10}),
		"hrr": handshake(t, &tls.Config{ServerName: "pacs.example.org", InsecureSkipVerify: true, CurvePreferences: []tls.CurveID{tls.CurveP256, tls.CurveP384}},
			&tls.Config{CurvePreferences: []tls.CurveID{tls.CurveP384}}),
	}
}

// readStreams returns the recorded streams in testdata: name.c2s and name.s2c.
func readStreams(t testing.TB) map[string][]byte {
	t.Helper()
	files, err := filepath.Glob(filepath.Join("testdata", "*.[cs]2[cs]"))
	if err != nil || len(files) == 0 {
		t.Fatalf("no streams in testdata: %v", err)
	}
	m := map[string][]byte{}
	for _, f := range files {
		b, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		m[filepath.Base(f)] = b
	}
	return m
}

// decodeAll feeds stream to d in chunks of the given size, flushes, and
// returns one line per item and error. It fails t when Next stops making
// progress, an offset lies outside the stream, a hello differs from what
// ParseClientHello or ParseServerHello make of its body, or the decoder
// holds bytes at the end.
func decodeAll(t testing.TB, d *Decoder, stream []byte, chunk int) []string {
	t.Helper()
	var out []string
	calls := 0
	drain := func() {
		for {
			if calls++; calls > 2*len(stream)+10 {
				t.Fatal("no progress")
			}
			it, err := d.Next()
			if err == ErrNeedMore {
				return
			}
			if err != nil {
				var e *Error
				if !errors.As(err, &e) || e.Offset < 0 || e.Offset > int64(len(stream)) {
					t.Fatalf("error %v for %d bytes", err, len(stream))
				}
				out = append(out, "error: "+err.Error())
				continue
			}
			if it.Offset < 0 || it.Offset >= int64(len(stream)) {
				t.Fatalf("item at %d of %d bytes", it.Offset, len(stream))
			}
			agree(t, stream, it)
			out = append(out, describe(it))
		}
	}
	for p := stream; ; {
		n := min(chunk, len(p))
		d.Feed(p[:n])
		p = p[n:]
		drain()
		if len(p) == 0 {
			break
		}
	}
	d.Flush()
	drain()
	if d.Buffered() != 0 {
		t.Fatalf("%d bytes buffered after Flush", d.Buffered())
	}
	return out
}

// recordBody returns the body of the message of it when the message fills
// a record of its own.
func recordBody(stream []byte, it Item) ([]byte, bool) {
	start := int(it.Offset) + 4
	if it.Offset < 5 || start+it.Length > len(stream) || stream[it.Offset-5] != byte(ContentHandshake) ||
		stream[it.Offset-4] != 3 || int(binary.BigEndian.Uint16(stream[it.Offset-2:])) != 4+it.Length {
		return nil, false
	}
	return stream[start : start+it.Length], true
}

// agree checks a hello or certificate item whose message fills its record
// against the parse functions.
func agree(t testing.TB, stream []byte, it Item) {
	t.Helper()
	body, ok := recordBody(stream, it)
	if !ok {
		return
	}
	switch it.Kind {
	case KindClientHello:
		if h, err := ParseClientHello(body); err != nil || describeClient(&h) != describeClient(it.ClientHello) {
			t.Fatalf("ParseClientHello: %v", err)
		}
	case KindServerHello:
		if h, err := ParseServerHello(body); err != nil || describeServer(&h) != describeServer(it.ServerHello) {
			t.Fatalf("ParseServerHello: %v", err)
		}
	case KindCertificate:
		n := int(body[3])<<16 | int(body[4])<<8 | int(body[5])
		if c, err := ParseCertificate(body[6 : 6+n]); err != nil || describeCert(&c) != describeCert(it.Certificate) {
			t.Fatalf("ParseCertificate: %v", err)
		}
	}
}

// hellos returns the bodies of the hellos in streams whose message fills its
// record, and their total length.
func hellos(streams ...[]byte) (clients, servers [][]byte, size int) {
	for _, stream := range streams {
		var d Decoder
		d.Feed(stream)
		for {
			it, err := d.Next()
			if err == ErrNeedMore {
				break
			}
			body, ok := recordBody(stream, it)
			switch {
			case !ok:
				continue
			case it.Kind == KindClientHello:
				clients = append(clients, body)
			case it.Kind == KindServerHello:
				servers = append(servers, body)
			default:
				continue
			}
			size += len(body)
		}
	}
	return clients, servers, size
}

// describe returns a line that says everything the item holds.
func describe(it Item) string {
	switch it.Kind {
	case KindClientHello:
		return fmt.Sprintf("@%d client-hello len=%d %s", it.Offset, it.Length, describeClient(it.ClientHello))
	case KindServerHello:
		return fmt.Sprintf("@%d server-hello len=%d %s", it.Offset, it.Length, describeServer(it.ServerHello))
	case KindEncrypted:
		return fmt.Sprintf("@%d encrypted %s", it.Offset, it.Record)
	case KindCertificate:
		return fmt.Sprintf("@%d certificate len=%d %s", it.Offset, it.Length, describeCert(it.Certificate))
	}
	return fmt.Sprintf("@%d %s %s len=%d", it.Offset, it.Kind, it.Type, it.Length)
}

func describeCert(c *Certificate) string {
	sum := c.SHA256()
	return fmt.Sprintf("v%d serial=%x subject=%q issuer=%q cn=%q issuer_cn=%q not_before=%s not_after=%s self_signed=%v key=%x sig=%x ext=%d sha256=%x",
		c.Version, c.SerialNumber, nameString(c.Subject), nameString(c.Issuer), c.Subject.CommonName().String(), c.Issuer.CommonName().String(),
		c.NotBefore.Format(time.RFC3339), c.NotAfter.Format(time.RFC3339), c.SelfSigned(), c.PublicKeyAlgorithm, c.SignatureAlgorithm,
		len(c.Extensions), sum[:8])
}

// nameString writes every attribute of n as oid=value.
func nameString(n Name) string {
	var s []string
	for it := n.Iter(); it.Next(); {
		v := it.Value()
		s = append(s, fmt.Sprintf("%x=%02x:%s", it.Type(), v.Tag, v.String()))
	}
	return strings.Join(s, ",")
}

// certList builds the body of a Certificate message (TLS 1.2) holding
// certs.
func certList(certs ...[]byte) []byte {
	var l []byte
	for _, c := range certs {
		n := len(c)
		l = append(append(l, byte(n>>16), byte(n>>8), byte(n)), c...)
	}
	n := len(l)
	return append([]byte{byte(n >> 16), byte(n >> 8), byte(n)}, l...)
}

func describeClient(h *ClientHello) string {
	var alpn []string
	for it := h.ALPN.Iter(); it.Next(); {
		alpn = append(alpn, string(it.Bytes()))
	}
	return fmt.Sprintf("version=%q max=%q sid=%d sni=%q alpn=%q versions=%s ciphers=%s comp=%x exts=%s groups=%s sigalgs=%s points=%x ja3=%s",
		h.Version, h.MaxVersion(), len(h.SessionID), h.ServerName, alpn, hex16(h.SupportedVersions), hex16(h.CipherSuites),
		h.CompressionMethods, extTypes(h.Extensions), hex16(h.SupportedGroups), hex16(h.SignatureAlgorithms), h.ECPointFormats, h.AppendJA3Full(nil))
}

func describeServer(h *ServerHello) string {
	alpn := ""
	if h.ALPN != nil {
		alpn = string(h.ALPN.First())
	}
	return fmt.Sprintf("version=%q selected=%q hrr=%v sid=%d cipher=%04x comp=%d alpn=%q exts=%s points=%x ja3s=%s",
		h.Version, h.SelectedVersion(), h.IsHelloRetryRequest(), len(h.SessionID), h.CipherSuite, h.CompressionMethod,
		alpn, extTypes(h.Extensions), h.ECPointFormats, h.AppendJA3SFull(nil))
}

func hex16(l Uint16List) string {
	var s []string
	for it := l.Iter(); it.Next(); {
		s = append(s, fmt.Sprintf("%04x", it.Value()))
	}
	return "[" + strings.Join(s, ",") + "]"
}

func extTypes(e Extensions) string {
	var s []string
	for it := e.Iter(); it.Next(); {
		s = append(s, fmt.Sprint(uint16(it.Type())))
	}
	return "[" + strings.Join(s, ",") + "]"
}

// refJA3 returns the JA3 string of h (before its MD5): version, ciphers,
// extensions, groups and point formats in decimal, without GREASE values.
// It is a second implementation, for checking AppendJA3Full.
func refJA3(h *ClientHello) string {
	var exts []uint16
	for it := h.Extensions.Iter(); it.Next(); {
		exts = append(exts, uint16(it.Type()))
	}
	var points []uint16
	for _, p := range h.ECPointFormats {
		points = append(points, uint16(p))
	}
	return fmt.Sprintf("%d,%s,%s,%s,%s", h.Version, dec(values(h.CipherSuites)), dec(exts), dec(values(h.SupportedGroups)), dec(points))
}

// refJA3S returns the JA3S string of h: version, cipher, extensions.
func refJA3S(h *ServerHello) string {
	var exts []uint16
	for it := h.Extensions.Iter(); it.Next(); {
		exts = append(exts, uint16(it.Type()))
	}
	return fmt.Sprintf("%d,%d,%s", h.Version, h.CipherSuite, dec(exts))
}

func values(l Uint16List) []uint16 {
	var v []uint16
	for it := l.Iter(); it.Next(); {
		v = append(v, it.Value())
	}
	return v
}

func dec(v []uint16) string {
	var s []string
	for _, x := range v {
		if !IsGREASE(x) {
			s = append(s, fmt.Sprint(x))
		}
	}
	return strings.Join(s, "-")
}
