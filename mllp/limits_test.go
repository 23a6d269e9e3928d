package mllp_test

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"net"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/medtap/medtap/hl7"
	"github.com/medtap/medtap/mllp"
)

// dialFrom connects to addr from the loopback address local (127.0.0.2
// works on Linux without configuration).
func dialFrom(local, addr string) (net.Conn, error) {
	d := net.Dialer{LocalAddr: &net.TCPAddr{IP: net.ParseIP(local)}, Timeout: 5 * time.Second}
	return d.Dial("tcp", addr)
}

// needSecondLoopback skips the test where 127.0.0.2 cannot be used as a
// source address.
func needSecondLoopback(t *testing.T) {
	t.Helper()
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer l.Close()
	c, err := dialFrom("127.0.0.2", l.Addr().String())
	if err != nil {
		t.Skipf("cannot connect from 127.0.0.2: %v", err)
	}
	c.Close()
}

// waitFor polls cond every 10 ms for at most d.
func waitFor(d time.Duration, cond func() bool) bool {
	for end := time.Now().Add(d); time.Now().Before(end); time.Sleep(10 * time.Millisecond) {
		if cond() {
			return true
		}
	}
	return cond()
}

// closedByPeer reports whether the server closed c (without sending
// anything) within d.
func closedByPeer(c net.Conn, d time.Duration) bool {
	c.SetReadDeadline(time.Now().Add(d))
	n, err := c.Read(make([]byte, 1))
	var ne net.Error
	return n == 0 && err != nil && !(errors.As(err, &ne) && ne.Timeout())
}

func okHandler() mllp.Handler {
	return mllp.HandlerFunc(func(ctx context.Context, req *mllp.Request) ([]byte, error) { return nil, nil })
}

// TestServerPerAddrCap checks that connections over MaxConnsPerAddr from one
// address are closed at once and counted, while another address is served.
func TestServerPerAddrCap(t *testing.T) {
	needSecondLoopback(t)
	s := &mllp.Server{Handler: okHandler(), MaxConnsPerAddr: 2}
	addr := startServer(t, s)
	var held []net.Conn
	defer func() {
		for _, c := range held {
			c.Close()
		}
	}()
	for range 2 {
		c, err := dialFrom("127.0.0.1", addr)
		if err != nil {
			t.Fatal(err)
		}
		held = append(held, c)
	}
	if !waitFor(5*time.Second, func() bool { return s.Stats().ActiveConns == 2 }) {
		t.Fatalf("stats %+v, want 2 active connections", s.Stats())
	}
	third, err := dialFrom("127.0.0.1", addr)
	if err != nil {
		t.Fatal(err)
	}
	defer third.Close()
	if !closedByPeer(third, 5*time.Second) {
		t.Error("third connection from 127.0.0.1 not closed")
	}
	other, err := dialFrom("127.0.0.2", addr)
	if err != nil {
		t.Fatal(err)
	}
	defer other.Close()
	other.SetDeadline(time.Now().Add(5 * time.Second))
	other.Write(mllp.AppendFrame(nil, testMsg("other")))
	if p, err := mllp.NewReader(other).ReadFrame(); err != nil || ackCode(t, p) != "AA" {
		t.Errorf("from 127.0.0.2: %q %v", p, err)
	}
	if st := s.Stats(); st.Refused != 1 || st.Conns != 3 {
		t.Errorf("stats %+v, want 1 refused of 4", st)
	}
	// A slot freed by a closed connection can be used again.
	held[0].Close()
	held = held[1:]
	if !waitFor(5*time.Second, func() bool { return s.Stats().ActiveConns == 2 }) {
		t.Fatalf("stats %+v after a close", s.Stats())
	}
	again := &mllp.Client{Addr: addr, Timeout: 5 * time.Second}
	defer again.Close()
	if _, err := again.Send(context.Background(), testMsg("again")); err != nil {
		t.Errorf("after a slot was freed: %v", err)
	}
}

// TestServerSlowClients holds 1,000 connections from 127.0.0.2 that send
// the start of a frame and then one byte a second, while a client from
// 127.0.0.1 sends a message every 100 ms. MaxConns is 512, so that the slow
// connections alone could take every slot; MaxConnsPerAddr (default 64)
// leaves the rest to other addresses, so the good client's ACKs keep
// coming. The only timed assertion is a generous bound on its ACK latency:
// 5 s, against at most a few milliseconds in runs on 2 shared vCPUs, so
// that a machine that stalls for seconds still passes; without the
// per-address cap the first ACK waits for the slow connections' 60 s read
// timeout.
func TestServerSlowClients(t *testing.T) {
	const slow, good = 1000, 20
	const bound = 5 * time.Second
	needSecondLoopback(t)
	s := &mllp.Server{Handler: okHandler(), MaxConns: 512}
	addr := startServer(t, s)

	// Dial the slow connections, 16 at a time.
	conns := make([]net.Conn, slow)
	var wg sync.WaitGroup
	next := atomic.Int64{}
	for range 16 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := next.Add(1) - 1; i < slow; i = next.Add(1) - 1 {
				c, err := dialFrom("127.0.0.2", addr)
				if err != nil {
					continue
				}
				c.SetWriteDeadline(time.Now().Add(time.Second))
				c.Write([]byte("\x0bMSH|"))
				conns[i] = c
			}
		}()
	}
	wg.Wait()
	dialed := 0
	for _, c := range conns {
		if c != nil {
			dialed++
		}
	}
	defer func() {
		for _, c := range conns {
			if c != nil {
				c.Close()
			}
		}
	}()
	if dialed < slow/2 {
		t.Fatalf("only %d of %d slow connections dialed", dialed, slow)
	}
	if !waitFor(10*time.Second, func() bool { st := s.Stats(); return st.Refused+st.ActiveConns >= uint64(dialed) }) {
		t.Fatalf("stats %+v: not every slow connection accepted", s.Stats())
	}

	// One byte a second on every slow connection still open.
	stop := make(chan struct{})
	fed := make(chan struct{})
	go func() {
		defer close(fed)
		tick := time.NewTicker(time.Second)
		defer tick.Stop()
		for range 30 { // bounded: the test is over long before
			select {
			case <-stop:
				return
			case <-tick.C:
			}
			for i, c := range conns {
				if c == nil {
					continue
				}
				c.SetWriteDeadline(time.Now().Add(100 * time.Millisecond))
				if _, err := c.Write([]byte("x")); err != nil {
					c.Close()
					conns[i] = nil
				}
			}
		}
	}()
	defer func() { close(stop); <-fed }()

	c := &mllp.Client{Addr: addr, Timeout: 10 * time.Second}
	defer c.Close()
	var worst time.Duration
	for i := range good {
		t0 := time.Now()
		if _, err := c.Send(context.Background(), testMsg(fmt.Sprint("G", i))); err != nil {
			t.Fatalf("good client, message %d: %v (stats %+v)", i, err, s.Stats())
		}
		worst = max(worst, time.Since(t0))
		time.Sleep(100 * time.Millisecond)
	}
	st := s.Stats()
	t.Logf("%d slow connections from 127.0.0.2: %d served, %d refused; %d ACKs to 127.0.0.1, slowest %v", dialed, st.ActiveConns-1, st.Refused, good, worst)
	if worst > bound {
		t.Errorf("slowest ACK took %v, want at most %v", worst, bound)
	}
	if want := uint64(dialed - mllp.DefaultMaxConnsPerAddr); st.Refused != want {
		t.Errorf("refused %d connections, want %d", st.Refused, want)
	}
	if st.FrameTimeouts != 0 || st.OverBudget != 0 {
		t.Errorf("stats %+v", st)
	}
}

// TestServerBufferBudget has 100 clients each send the first 15 MB of a
// frame and never finish it. The server's buffers stay within
// MaxBufferedBytes (the default, 256 MiB) by its own accounting; the
// clients whose frames do not fit get an AE acknowledgement with their
// control ID and are closed; once every client has gone the buffers are
// released.
func TestServerBufferBudget(t *testing.T) {
	if testing.Short() {
		t.Skip("moves about 300 MB over loopback")
	}
	const clients, size = 100, 15_000_000
	// Every client comes from 127.0.0.1: lift the per-address cap, which
	// refused clients still draining could otherwise reach.
	s := &mllp.Server{Handler: okHandler(), MaxConnsPerAddr: 2 * clients}
	addr := startServer(t, s)
	body := bytes.Repeat([]byte("OBX|1|ED|PDF||"+strings.Repeat("A", 85)+"\r"), size/100)
	type result struct {
		writeErr error
		ack      []byte
	}
	results := make([]result, clients)
	conns := make([]net.Conn, clients)
	var wg sync.WaitGroup
	var written atomic.Int64 // clients whose Write returned
	for i := range clients {
		c, err := net.Dial("tcp", addr)
		if err != nil {
			t.Fatal(err)
		}
		conns[i] = c
		c.SetDeadline(time.Now().Add(20 * time.Second))
		wg.Add(2)
		go func() {
			defer wg.Done()
			head := fmt.Sprintf("\x0bMSH|^~\\&|S|F|R|F|20240101||ORU^R01|BIG%d|P|2.5\r", i)
			defer written.Add(1)
			_, err := c.Write([]byte(head))
			if err == nil {
				_, err = c.Write(body)
			}
			results[i].writeErr = err
		}()
		go func() {
			defer wg.Done()
			// The answer, if the server refuses the frame; a survivor
			// reads nothing until it is closed below.
			if p, err := mllp.NewReader(c).ReadFrame(); err == nil {
				results[i].ack = append([]byte(nil), p...)
			}
		}()
	}
	// Every client has either been refused or sent its 15 MB, all of which
	// the server holds.
	done := func() bool {
		st := s.Stats()
		return written.Load() == clients && st.OverBudget+st.ActiveConns == clients && st.BufferedBytes >= st.ActiveConns*size
	}
	if !waitFor(15*time.Second, done) {
		t.Errorf("stats %+v: clients still sending", s.Stats())
	}
	st := s.Stats()
	t.Logf("%d clients × 15 MB unfinished frames: %d held (%d MiB buffered, peak %d MiB), %d refused over budget",
		clients, st.ActiveConns, st.BufferedBytes>>20, st.PeakBuffered>>20, st.OverBudget)
	if st.PeakBuffered > mllp.DefaultMaxBufferedBytes || st.BufferedBytes > mllp.DefaultMaxBufferedBytes {
		t.Errorf("buffered %d, peak %d: over the budget of %d", st.BufferedBytes, st.PeakBuffered, mllp.DefaultMaxBufferedBytes)
	}
	if st.OverBudget == 0 || st.ActiveConns == 0 {
		t.Errorf("stats %+v: want some frames held and some refused", st)
	}
	for _, c := range conns {
		c.Close()
	}
	wg.Wait()
	refused := 0
	for i, r := range results {
		if r.ack == nil {
			continue
		}
		refused++
		var m hl7.Message
		if err := m.Parse(r.ack); err != nil {
			t.Errorf("client %d: answer %q: %v", i, r.ack, err)
			continue
		}
		code, _ := m.Get("MSA-1")
		id, _ := m.Get("MSA-2")
		if code.String() != "AE" || id.String() != fmt.Sprint("BIG", i) {
			t.Errorf("client %d: answer %q", i, r.ack)
		}
	}
	if refused != int(st.OverBudget) {
		t.Errorf("%d clients read an answer, %d were refused", refused, st.OverBudget)
	}
	if !waitFor(10*time.Second, func() bool { st := s.Stats(); return st.ActiveConns == 0 && st.BufferedBytes == 0 }) {
		t.Errorf("after the clients closed: stats %+v", s.Stats())
	}
}

// TestServerBudgetAnswers checks the answer to a frame over
// MaxBufferedBytes: AE with the control ID, or a NAK with CommitAcks; the
// handler is not called.
func TestServerBudgetAnswers(t *testing.T) {
	called := atomic.Int32{}
	h := mllp.HandlerFunc(func(ctx context.Context, req *mllp.Request) ([]byte, error) {
		called.Add(1)
		return nil, nil
	})
	big := append(testMsg("HUGE"), strings.Repeat("OBX|1|TX|||x\r", 20000)...) // 260 KB
	for _, commit := range []bool{false, true} {
		s := &mllp.Server{Handler: h, MaxBufferedBytes: 64 << 10, CommitAcks: commit}
		addr := startServer(t, s)
		ack := rawExchange(t, addr, mllp.AppendFrame(nil, big))
		switch {
		case commit && string(ack) != "\x15":
			t.Errorf("CommitAcks: %q, want a NAK", ack)
		case !commit && !strings.Contains(string(ack), "MSA|AE|HUGE|"):
			t.Errorf("%q, want AE for HUGE", ack)
		}
		// A message that fits is still served.
		if ack := rawExchange(t, addr, mllp.AppendFrame(nil, testMsg("small"))); commit && string(ack) != "\x06" || !commit && ackCode(t, ack) != "AA" {
			t.Errorf("small message: %q", ack)
		}
		if st := s.Stats(); st.OverBudget != 1 || st.PeakBuffered > 64<<10 {
			t.Errorf("stats %+v", st)
		}
	}
	if called.Load() != 2 {
		t.Errorf("handler called %d times, want 2", called.Load())
	}
}

// TestServerFrameTimeout checks that FrameTimeout closes a connection whose
// frame started but does not end, however steadily its bytes come, while
// the idle and read timeouts are far away.
func TestServerFrameTimeout(t *testing.T) {
	s := &mllp.Server{Handler: okHandler(), FrameTimeout: 300 * time.Millisecond, ReadTimeout: time.Minute, IdleTimeout: time.Minute}
	addr := startServer(t, s)
	c, err := net.Dial("tcp", addr)
	if err != nil {
		t.Fatal(err)
	}
	defer c.Close()
	closed := make(chan struct{})
	go func() {
		defer close(closed)
		c.SetReadDeadline(time.Now().Add(10 * time.Second))
		io.Copy(io.Discard, c)
	}()
	c.Write([]byte("\x0bMSH|^~\\&|"))
	gone := false
	for range 100 { // a byte every 50 ms, 5 s at most
		select {
		case <-closed:
			gone = true
		case <-time.After(50 * time.Millisecond):
			c.Write([]byte("x"))
		}
		if gone {
			break
		}
	}
	if !gone {
		t.Fatal("slow frame still open after 5 s")
	}
	if st := s.Stats(); st.FrameTimeouts != 1 {
		t.Errorf("stats %+v, want 1 frame timeout", st)
	}
	// A frame that ends in time is served, even after a slow start (a
	// second server, whose frame timeout leaves room on a loaded machine).
	s = &mllp.Server{Handler: okHandler(), FrameTimeout: 2 * time.Second, ReadTimeout: time.Minute, IdleTimeout: time.Minute}
	addr = startServer(t, s)
	g, err := net.Dial("tcp", addr)
	if err != nil {
		t.Fatal(err)
	}
	defer g.Close()
	g.SetDeadline(time.Now().Add(5 * time.Second))
	f := mllp.AppendFrame(nil, testMsg("intime"))
	g.Write(f[:10])
	time.Sleep(200 * time.Millisecond)
	g.Write(f[10:])
	if p, err := mllp.NewReader(g).ReadFrame(); err != nil || ackCode(t, p) != "AA" {
		t.Errorf("frame in time: %q %v", p, err)
	}
}

// TestServerReleasesBuffers checks that a connection does not keep the
// buffer of a large frame once it is answered, and that closing gives
// everything back.
func TestServerReleasesBuffers(t *testing.T) {
	s := &mllp.Server{Handler: okHandler()}
	addr := startServer(t, s)
	c := &mllp.Client{Addr: addr, Timeout: 5 * time.Second}
	big := append(testMsg("big"), strings.Repeat("OBX|1|TX|||xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx\r", 20000)...) // 1.1 MB
	if _, err := c.Send(context.Background(), big); err != nil {
		t.Fatal(err)
	}
	if st := s.Stats(); st.BufferedBytes > 64<<10 || st.PeakBuffered < uint64(len(big)) {
		t.Errorf("after a 1.1 MB frame: stats %+v, want at most 64 KiB kept", st)
	}
	if _, err := c.Send(context.Background(), testMsg("small")); err != nil {
		t.Fatal(err)
	}
	c.Close()
	// A large frame and the next ones in one write: the buffer is
	// replaced while it holds the start of the next frame.
	raw, err := net.Dial("tcp", addr)
	if err != nil {
		t.Fatal(err)
	}
	defer raw.Close()
	raw.SetDeadline(time.Now().Add(5 * time.Second))
	stream := mllp.AppendFrame(nil, big)
	for _, id := range []string{"next1", "next2"} {
		stream = mllp.AppendFrame(stream, testMsg(id))
	}
	raw.Write(stream)
	r := mllp.NewReader(raw)
	for _, id := range []string{"big", "next1", "next2"} {
		p, err := r.ReadFrame()
		if err != nil || !strings.Contains(string(p), "MSA|AA|"+id+"\r") {
			t.Fatalf("ACK for %s: %q %v", id, p, err)
		}
	}
	raw.Close()
	if !waitFor(10*time.Second, func() bool { return s.Stats().BufferedBytes == 0 }) {
		t.Errorf("after close: stats %+v", s.Stats())
	}
}
