package mllp_test

import (
	"context"
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/tls"
	"crypto/x509"
	"crypto/x509/pkix"
	"errors"
	"fmt"
	"math/big"
	"net"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/medtap/medtap/hl7"
	"github.com/medtap/medtap/mllp"
)

func testMsg(id string) []byte {
	return []byte("MSH|^~\\&|SEND|FAC|RECV|FAC|20240101120000||ADT^A01^ADT_A01|" + id + "|P|2.5\rPID|1||" + id + "\r")
}

// startServer serves h on a loopback port and returns the address.
func startServer(t *testing.T, s *mllp.Server) string {
	t.Helper()
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	done := make(chan error, 1)
	go func() { done <- s.Serve(l) }()
	t.Cleanup(func() {
		ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
		defer cancel()
		s.Shutdown(ctx)
		if err := <-done; !errors.Is(err, mllp.ErrServerClosed) {
			t.Errorf("Serve: %v", err)
		}
	})
	return l.Addr().String()
}

func ackCode(t *testing.T, ack []byte) string {
	t.Helper()
	var m hl7.Message
	if err := m.Parse(ack); err != nil {
		t.Fatalf("ACK %q: %v", ack, err)
	}
	v, _ := m.Get("MSA-1")
	return v.String()
}

func TestServerClient(t *testing.T) {
	var mu sync.Mutex
	got := map[string]int{}
	h := mllp.HandlerFunc(func(ctx context.Context, req *mllp.Request) ([]byte, error) {
		id := req.Message.ControlID().String()
		mu.Lock()
		got[id]++
		mu.Unlock()
		switch id {
		case "fail":
			return nil, errors.New("disk full")
		case "reject":
			return nil, fmt.Errorf("unknown patient: %w", mllp.ErrReject)
		case "panic":
			panic("boom")
		case "custom":
			return hl7.AppendACK(nil, req.Message, hl7.CA, ""), nil
		}
		return nil, nil
	})
	addr := startServer(t, &mllp.Server{Handler: h})
	c := &mllp.Client{Addr: addr, Timeout: 5 * time.Second}
	defer c.Close()
	ctx := context.Background()
	for i := range 20 {
		id := fmt.Sprintf("M%d", i)
		ack, err := c.Send(ctx, testMsg(id))
		if err != nil {
			t.Fatalf("%s: %v", id, err)
		}
		if code := ackCode(t, ack); code != "AA" {
			t.Fatalf("%s: ACK %s", id, code)
		}
	}
	for _, tt := range []struct{ id, code, text string }{
		{"fail", "AE", "disk full"},
		{"reject", "AR", "unknown patient: mllp: message rejected"},
		{"panic", "AE", "mllp: handler panic: boom"},
	} {
		ack, err := c.Send(ctx, testMsg(tt.id))
		var ae *mllp.AckError
		if !errors.As(err, &ae) || ae.Code != tt.code || ae.Text != tt.text || !errors.Is(err, mllp.ErrNAK) {
			t.Errorf("%s: err %v, want %s %q", tt.id, err, tt.code, tt.text)
		}
		if ackCode(t, ack) != tt.code {
			t.Errorf("%s: ACK %q", tt.id, ack)
		}
	}
	if ack, err := c.Send(ctx, testMsg("custom")); err != nil || ackCode(t, ack) != "CA" {
		t.Errorf("custom ACK: %q %v", ack, err)
	}
	mu.Lock()
	defer mu.Unlock()
	for id, n := range got {
		if n != 1 {
			t.Errorf("%s handled %d times", id, n)
		}
	}
	if len(got) != 24 {
		t.Errorf("handled %d messages, want 24", len(got))
	}
}

// rawConn sends raw bytes and reads one framed answer.
func rawExchange(t *testing.T, addr string, data []byte) []byte {
	t.Helper()
	c, err := net.Dial("tcp", addr)
	if err != nil {
		t.Fatal(err)
	}
	defer c.Close()
	c.SetDeadline(time.Now().Add(5 * time.Second))
	if _, err := c.Write(data); err != nil {
		t.Fatal(err)
	}
	p, err := mllp.NewReader(c).ReadFrame()
	if err != nil {
		t.Fatal(err)
	}
	return append([]byte(nil), p...)
}

func TestServerRejectsMalformed(t *testing.T) {
	called := atomic.Int32{}
	h := mllp.HandlerFunc(func(ctx context.Context, req *mllp.Request) ([]byte, error) {
		called.Add(1)
		return nil, nil
	})
	addr := startServer(t, &mllp.Server{Handler: h, MaxFrameSize: 1000})
	if ack := rawExchange(t, addr, mllp.AppendFrame(nil, []byte("not hl7"))); ackCode(t, ack) != "AR" {
		t.Errorf("garbage: %q", ack)
	}
	big := append(testMsg("big"), strings.Repeat("OBX|1|TX|||x\r", 100)...)
	if ack := rawExchange(t, addr, mllp.AppendFrame(nil, big)); ackCode(t, ack) != "AR" {
		t.Errorf("too large: %q", ack)
	}
	// A message whose MSH parses is rejected with its control ID.
	if ack := rawExchange(t, addr, mllp.AppendFrame(nil, []byte("MSH|^~\\&|A|B|C|D|1||ADT^A01|CTL9|P|2.5\rbad segment\r"))); !strings.Contains(string(ack), "MSA|AR|CTL9|") {
		t.Errorf("bad segment: %q", ack)
	}
	// Junk before the frame is skipped.
	if ack := rawExchange(t, addr, append([]byte("junk\r\n"), mllp.AppendFrame(nil, testMsg("ok"))...)); ackCode(t, ack) != "AA" {
		t.Errorf("after junk: %q", ack)
	}
	if called.Load() != 1 {
		t.Errorf("handler called %d times, want 1", called.Load())
	}
}

func TestShutdownFinishesInFlight(t *testing.T) {
	entered := make(chan struct{})
	release := make(chan struct{})
	h := mllp.HandlerFunc(func(ctx context.Context, req *mllp.Request) ([]byte, error) {
		close(entered)
		<-release
		return nil, nil
	})
	s := &mllp.Server{Handler: h}
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	served := make(chan error, 1)
	go func() { served <- s.Serve(l) }()
	// An idle connection that Shutdown must close.
	idle, err := net.Dial("tcp", l.Addr().String())
	if err != nil {
		t.Fatal(err)
	}
	defer idle.Close()
	c := &mllp.Client{Addr: l.Addr().String(), Timeout: 10 * time.Second}
	defer c.Close()
	sent := make(chan error, 1)
	go func() {
		ack, err := c.Send(context.Background(), testMsg("inflight"))
		if err == nil && ackCode(t, ack) != "AA" {
			err = fmt.Errorf("ACK %q", ack)
		}
		sent <- err
	}()
	<-entered
	shut := make(chan error, 1)
	go func() {
		ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
		defer cancel()
		shut <- s.Shutdown(ctx)
	}()
	select {
	case err := <-shut:
		t.Fatalf("Shutdown returned before the handler finished: %v", err)
	case <-time.After(100 * time.Millisecond):
	}
	close(release)
	if err := <-sent; err != nil {
		t.Fatalf("in-flight message: %v", err)
	}
	if err := <-shut; err != nil {
		t.Fatalf("Shutdown: %v", err)
	}
	if err := <-served; !errors.Is(err, mllp.ErrServerClosed) {
		t.Fatalf("Serve: %v", err)
	}
	idle.SetReadDeadline(time.Now().Add(5 * time.Second))
	if _, err := idle.Read(make([]byte, 1)); err == nil {
		t.Error("idle connection still open after Shutdown")
	}
	if _, err := net.Dial("tcp", l.Addr().String()); err == nil {
		t.Error("listener still accepting after Shutdown")
	}
}

func TestIdleTimeoutAndReconnect(t *testing.T) {
	h := mllp.HandlerFunc(func(ctx context.Context, req *mllp.Request) ([]byte, error) { return nil, nil })
	addr := startServer(t, &mllp.Server{Handler: h, IdleTimeout: 50 * time.Millisecond})
	c := &mllp.Client{Addr: addr, Timeout: 5 * time.Second}
	defer c.Close()
	for i := range 3 {
		if _, err := c.Send(context.Background(), testMsg(fmt.Sprint(i))); err != nil {
			t.Fatalf("send %d: %v", i, err)
		}
		time.Sleep(150 * time.Millisecond) // the server drops the idle connection
	}
}

func TestMaxConns(t *testing.T) {
	h := mllp.HandlerFunc(func(ctx context.Context, req *mllp.Request) ([]byte, error) { return nil, nil })
	addr := startServer(t, &mllp.Server{Handler: h, MaxConns: 1})
	a := &mllp.Client{Addr: addr, Timeout: 5 * time.Second}
	if _, err := a.Send(context.Background(), testMsg("a")); err != nil {
		t.Fatal(err)
	}
	// The second connection waits in the backlog while the first is open.
	b := &mllp.Client{Addr: addr, Timeout: 200 * time.Millisecond}
	defer b.Close()
	if _, err := b.Send(context.Background(), testMsg("b")); !errors.Is(err, mllp.ErrAckTimeout) {
		t.Fatalf("second connection: %v, want ErrAckTimeout", err)
	}
	a.Close()
	b.Timeout = 5 * time.Second
	if _, err := b.Send(context.Background(), testMsg("b2")); err != nil {
		t.Fatalf("after the first closed: %v", err)
	}
}

func TestClientAckTimeoutAndMismatch(t *testing.T) {
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer l.Close()
	go func() {
		// First connection: read the message, never answer.
		c1, err := l.Accept()
		if err != nil {
			return
		}
		defer c1.Close()
		mllp.NewReader(c1).ReadFrame()
		// Second connection: a stale ACK, then the right one.
		c2, err := l.Accept()
		if err != nil {
			return
		}
		defer c2.Close()
		p, _ := mllp.NewReader(c2).ReadFrame()
		var m, stale hl7.Message
		m.Parse(p)
		stale.Parse(testMsg("old"))
		w := mllp.NewWriter(c2)
		w.WriteFrame(hl7.AppendACK(nil, &stale, hl7.AE, "stale"))
		w.WriteFrame(hl7.AppendACK(nil, &m, hl7.AA, ""))
		time.Sleep(2 * time.Second)
	}()
	c := &mllp.Client{Addr: l.Addr().String(), Timeout: 100 * time.Millisecond}
	defer c.Close()
	if _, err := c.Send(context.Background(), testMsg("one")); !errors.Is(err, mllp.ErrAckTimeout) {
		t.Fatalf("no answer: %v", err)
	}
	c.Timeout = 5 * time.Second
	ack, err := c.Send(context.Background(), testMsg("two"))
	if err != nil {
		t.Fatalf("after a stale ACK: %v", err)
	}
	var m hl7.Message
	m.Parse(ack)
	if v, _ := m.Get("MSA-2"); v.String() != "two" {
		t.Errorf("ACK for %q", v)
	}
}

func selfSigned(t *testing.T, name string, isCA bool) tls.Certificate {
	t.Helper()
	key, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	if err != nil {
		t.Fatal(err)
	}
	tmpl := &x509.Certificate{
		SerialNumber: big.NewInt(1), Subject: pkix.Name{CommonName: name},
		NotBefore: time.Now().Add(-time.Hour), NotAfter: time.Now().Add(time.Hour),
		DNSNames: []string{name}, IPAddresses: []net.IP{net.ParseIP("127.0.0.1")},
		ExtKeyUsage: []x509.ExtKeyUsage{x509.ExtKeyUsageServerAuth, x509.ExtKeyUsageClientAuth},
		KeyUsage:    x509.KeyUsageDigitalSignature | x509.KeyUsageCertSign, IsCA: isCA, BasicConstraintsValid: true,
	}
	der, err := x509.CreateCertificate(rand.Reader, tmpl, tmpl, &key.PublicKey, key)
	if err != nil {
		t.Fatal(err)
	}
	leaf, _ := x509.ParseCertificate(der)
	return tls.Certificate{Certificate: [][]byte{der}, PrivateKey: key, Leaf: leaf}
}

func TestMutualTLS(t *testing.T) {
	srvCert, cliCert := selfSigned(t, "server", true), selfSigned(t, "client", true)
	srvPool, cliPool := x509.NewCertPool(), x509.NewCertPool()
	srvPool.AddCert(srvCert.Leaf)
	cliPool.AddCert(cliCert.Leaf)
	var peer atomic.Value
	h := mllp.HandlerFunc(func(ctx context.Context, req *mllp.Request) ([]byte, error) {
		if req.TLS != nil && len(req.TLS.PeerCertificates) > 0 {
			peer.Store(req.TLS.PeerCertificates[0].Subject.CommonName)
		}
		return nil, nil
	})
	addr := startServer(t, &mllp.Server{Handler: h, TLSConfig: &tls.Config{
		Certificates: []tls.Certificate{srvCert}, ClientAuth: tls.RequireAndVerifyClientCert, ClientCAs: cliPool,
	}})
	c := &mllp.Client{Addr: addr, Timeout: 5 * time.Second, TLSConfig: &tls.Config{
		RootCAs: srvPool, ServerName: "server", Certificates: []tls.Certificate{cliCert},
	}}
	defer c.Close()
	if _, err := c.Send(context.Background(), testMsg("tls")); err != nil {
		t.Fatal(err)
	}
	if peer.Load() != "client" {
		t.Errorf("peer certificate %v", peer.Load())
	}
	// Without a client certificate the handshake fails.
	bad := &mllp.Client{Addr: addr, Timeout: 2 * time.Second, TLSConfig: &tls.Config{RootCAs: srvPool, ServerName: "server"}}
	defer bad.Close()
	if _, err := bad.Send(context.Background(), testMsg("notls")); err == nil {
		t.Error("client without a certificate was served")
	}
}

func TestCommitAcks(t *testing.T) {
	h := mllp.HandlerFunc(func(ctx context.Context, req *mllp.Request) ([]byte, error) {
		if req.Message.ControlID().Equal("bad") {
			return nil, errors.New("no")
		}
		if req.Message.ControlID().Equal("own") {
			return hl7.AppendACK(nil, req.Message, hl7.AE, "own"), nil
		}
		return nil, nil
	})
	addr := startServer(t, &mllp.Server{Handler: h, CommitAcks: true})
	c := &mllp.Client{Addr: addr, Timeout: 5 * time.Second}
	defer c.Close()
	if ack, err := c.Send(context.Background(), testMsg("good")); err != nil || string(ack) != "\x06" {
		t.Errorf("good: %q %v", ack, err)
	}
	_, err := c.Send(context.Background(), testMsg("bad"))
	var ae *mllp.AckError
	if !errors.As(err, &ae) || ae.Code != "NAK" {
		t.Errorf("bad: %v", err)
	}
	// A frame over MaxFrameSize is refused with a NAK too, not an HL7 ACK.
	small := startServer(t, &mllp.Server{Handler: h, CommitAcks: true, MaxFrameSize: 1000})
	big := append(testMsg("big"), strings.Repeat("OBX|1|TX|||x\r", 100)...)
	if ack := rawExchange(t, small, mllp.AppendFrame(nil, big)); string(ack) != "\x15" {
		t.Errorf("too large: %q", ack)
	}
	// An ACK returned by the handler decides by its MSA-1.
	_, err = c.Send(context.Background(), testMsg("own"))
	if !errors.As(err, &ae) || ae.Code != "NAK" {
		t.Errorf("own AE: %v", err)
	}
}
