package mllp

import (
	"bytes"
	"context"
	"crypto/tls"
	"errors"
	"fmt"
	"io"
	"net"
	"net/netip"
	"os"
	"sync"
	"sync/atomic"
	"time"

	"github.com/medtap/medtap/hl7"
)

// A Request is one message received by a [Server].
type Request struct {
	// Payload is the frame payload; valid until the handler returns.
	Payload []byte
	// Message is Payload parsed; valid until the handler returns.
	Message *hl7.Message
	// RemoteAddr is the peer's address.
	RemoteAddr net.Addr
	// TLS is the connection state of a TLS connection, else nil.
	TLS *tls.ConnectionState
}

// A Handler handles each message a Server receives. It returns the ACK
// message to send back (an HL7 message without MLLP framing), or nil to let
// the server send a plain AA acknowledgement. An error makes the server
// send AE with the error text (AR if the error wraps [ErrReject]). The
// server writes the acknowledgement only after the handler returned, so a
// handler that stores the message before returning never loses an ACKed
// message. ServeMLLP may be called concurrently for different connections,
// never for two messages of one connection.
type Handler interface {
	ServeMLLP(ctx context.Context, req *Request) (ack []byte, err error)
}

// HandlerFunc adapts a function to [Handler].
type HandlerFunc func(ctx context.Context, req *Request) ([]byte, error)

// ServeMLLP calls f.
func (f HandlerFunc) ServeMLLP(ctx context.Context, req *Request) ([]byte, error) {
	return f(ctx, req)
}

// ErrReject, wrapped in a handler's error, makes the server answer AR
// (reject: do not resend) instead of AE (error: may resend).
var ErrReject = errors.New("mllp: message rejected")

// ErrServerClosed is returned by Serve after Shutdown or Close.
var ErrServerClosed = errors.New("mllp: server closed")

// Defaults for Server fields left zero.
const (
	DefaultIdleTimeout      = 5 * time.Minute
	DefaultReadTimeout      = time.Minute
	DefaultFrameTimeout     = 30 * time.Second
	DefaultWriteTimeout     = time.Minute
	DefaultMaxConns         = 1024
	DefaultMaxConnsPerAddr  = 64
	DefaultMaxBufferedBytes = 256 << 20
)

// keepBuf is the most a connection keeps of its read buffer between
// frames; a buffer grown larger for a frame is dropped once the frame has
// been answered.
const keepBuf = 64 << 10

// A Server receives HL7 messages over MLLP, hands each to its Handler and
// acknowledges it. A message that does not parse is answered AR without
// calling the handler; a handler that fails or panics gets AE (or AR), never
// silence. The zero value of every limit selects its default.
//
// Hostile or broken clients are held to the limits: MaxConns and
// MaxConnsPerAddr for connections, IdleTimeout, ReadTimeout and
// FrameTimeout for slow ones, MaxFrameSize for one frame and
// MaxBufferedBytes for the frames of all connections together. [Server.Stats]
// counts what they refused.
type Server struct {
	Addr      string      // TCP address for ListenAndServe, e.g. ":2575"
	Handler   Handler     // must be set
	TLSConfig *tls.Config // if set, connections use TLS (set ClientAuth for mutual TLS)

	// IdleTimeout bounds the wait for the next frame to start.
	IdleTimeout time.Duration
	// ReadTimeout bounds reading one frame from its first byte (bytes
	// before its start block included), and the TLS handshake.
	ReadTimeout time.Duration
	// FrameTimeout bounds the time from a frame's start block to its end
	// block, however steadily bytes arrive in between, so a client sending
	// a byte a second holds a connection no longer (default
	// DefaultFrameTimeout, 30 s). A frame ends at the earlier of ReadTimeout
	// and FrameTimeout; the connection is then closed without an answer
	// and counted in ServerStats.FrameTimeouts.
	FrameTimeout time.Duration
	// WriteTimeout bounds writing one acknowledgement.
	WriteTimeout time.Duration
	// MaxConns caps the connections served at once; more wait in the
	// listen backlog.
	MaxConns int
	// MaxConnsPerAddr caps the connections served at once from one IP
	// address (default DefaultMaxConnsPerAddr, 64), so that one host
	// cannot take every MaxConns slot. A connection over it is closed as
	// soon as it is accepted, before anything is read or sent, and counted
	// in ServerStats.Refused. Set it to MaxConns to lift it. Connections
	// whose remote address is not an IP address are not counted.
	MaxConnsPerAddr int
	// MaxBufferedBytes caps the memory that the frame buffers of all
	// connections hold together (default DefaultMaxBufferedBytes, 256
	// MiB), beyond the first 4 KiB of each, which every connection may
	// use to read the start of a message (at most MaxConns × 4 KiB more,
	// 4 MiB by default). A connection whose buffer would have to grow
	// past it for the frame it is receiving gets an answer at once (a NAK
	// with CommitAcks, else an AE acknowledgement carrying the control ID
	// if the frame's MSH segment has arrived: the sender may resend
	// later), is counted in ServerStats.OverBudget and closed. Messages
	// already received are answered as usual. A buffer grows by doubling
	// up to MaxFrameSize, so with the defaults about 16 frames of 16 MiB
	// fit at once; between frames a connection keeps at most 64 KiB of
	// buffer, and none once closed.
	MaxBufferedBytes int
	// MaxFrameSize caps a message (default DefaultMaxFrameSize); a longer
	// one is answered AR and skipped.
	MaxFrameSize int
	// CommitAcks makes the server answer in MLLP release 2 style: a commit
	// acknowledgement frame (<SB><ACK><EB><CR>) when the handler succeeded,
	// a negative one (<SB><NAK><EB><CR>) when it failed, instead of an HL7
	// ACK message. An ACK the handler returns is not sent: its MSA-1 decides
	// (AA or CA: ACK, else NAK).
	CommitAcks bool
	// ErrorLog receives connection errors if set.
	ErrorLog func(format string, args ...any)

	mu        sync.Mutex
	listeners map[net.Listener]struct{}
	conns     map[*serverConn]struct{}
	perAddr   map[netip.Addr]int // connections served per remote address
	sem       chan struct{}
	done      chan struct{}
	closing   atomic.Bool
	wg        sync.WaitGroup

	accepted, refused, frameTimeouts, overBudget, tooLarge atomic.Uint64
	buffered, peakBuffered                                 atomic.Int64
}

type serverConn struct {
	c      net.Conn
	addr   netip.Addr  // remote IP address, if valid
	active atomic.Bool // handling a message
}

// ServerStats counts what a [Server] served and refused, and the memory its
// frame buffers hold.
type ServerStats struct {
	Conns         uint64 // connections served (accepted and not refused)
	ActiveConns   uint64 // connections being served now
	Refused       uint64 // connections closed at accept: over MaxConnsPerAddr for their address
	FrameTimeouts uint64 // connections closed because a frame did not end within FrameTimeout (or ReadTimeout)
	OverBudget    uint64 // connections answered and closed because their frame would take the buffers over MaxBufferedBytes
	TooLarge      uint64 // frames over MaxFrameSize, answered AR (NAK) and skipped
	BufferedBytes uint64 // bytes of frame buffers all connections hold now, beyond the first 4 KiB of each (see MaxBufferedBytes)
	PeakBuffered  uint64 // the most BufferedBytes has been, never above MaxBufferedBytes
}

// Stats returns the server's counters. It may be called at any time, from
// any goroutine.
func (s *Server) Stats() ServerStats {
	s.mu.Lock()
	active := len(s.conns)
	s.mu.Unlock()
	return ServerStats{
		Conns:         s.accepted.Load(),
		ActiveConns:   uint64(active),
		Refused:       s.refused.Load(),
		FrameTimeouts: s.frameTimeouts.Load(),
		OverBudget:    s.overBudget.Load(),
		TooLarge:      s.tooLarge.Load(),
		BufferedBytes: uint64(s.buffered.Load()),
		PeakBuffered:  uint64(s.peakBuffered.Load()),
	}
}

// account records that a connection's buffer changes from old to new
// bytes, refusing growth past MaxBufferedBytes. The first minBuf bytes of
// each buffer are not counted, so that every connection can read the
// start of a message (its MSH segment for the answer, all of a typical
// message) whatever the others hold.
func (s *Server) account(old, new int) bool {
	d := int64(max(new-minBuf, 0) - max(old-minBuf, 0))
	if d <= 0 {
		s.buffered.Add(d)
		return true
	}
	limit := int64(s.MaxBufferedBytes)
	if limit <= 0 {
		limit = DefaultMaxBufferedBytes
	}
	for {
		cur := s.buffered.Load()
		if cur+d > limit {
			return false
		}
		if s.buffered.CompareAndSwap(cur, cur+d) {
			for p := s.peakBuffered.Load(); cur+d > p && !s.peakBuffered.CompareAndSwap(p, cur+d); p = s.peakBuffered.Load() {
			}
			return true
		}
	}
}

// remoteIP returns the IP address of a connection's peer, or the invalid
// Addr if it has none.
func remoteIP(a net.Addr) netip.Addr {
	if ta, ok := a.(*net.TCPAddr); ok {
		ip, _ := netip.AddrFromSlice(ta.IP)
		return ip.Unmap()
	}
	if a == nil {
		return netip.Addr{}
	}
	ap, _ := netip.ParseAddrPort(a.String())
	return ap.Addr().Unmap()
}

func (s *Server) init() {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.done == nil {
		s.done = make(chan struct{})
		n := s.MaxConns
		if n <= 0 {
			n = DefaultMaxConns
		}
		s.sem = make(chan struct{}, n)
		s.listeners = map[net.Listener]struct{}{}
		s.conns = map[*serverConn]struct{}{}
		s.perAddr = map[netip.Addr]int{}
	}
}

func dur(d, def time.Duration) time.Duration {
	if d <= 0 {
		return def
	}
	return d
}

func (s *Server) logf(format string, args ...any) {
	if s.ErrorLog != nil {
		s.ErrorLog(format, args...)
	}
}

// ListenAndServe listens on s.Addr and serves; see Serve.
func (s *Server) ListenAndServe() error {
	if s.closing.Load() {
		return ErrServerClosed
	}
	addr := s.Addr
	if addr == "" {
		addr = ":2575"
	}
	l, err := net.Listen("tcp", addr)
	if err != nil {
		return err
	}
	return s.Serve(l)
}

// Serve accepts connections on l (wrapped in TLS if TLSConfig is set) and
// serves each on its own goroutine. It returns ErrServerClosed after
// Shutdown or Close, or the listener's error.
func (s *Server) Serve(l net.Listener) error {
	if s.Handler == nil {
		return errors.New("mllp: Server.Handler is nil")
	}
	s.init()
	if s.TLSConfig != nil {
		l = tls.NewListener(l, s.TLSConfig)
	}
	s.mu.Lock()
	if s.closing.Load() {
		s.mu.Unlock()
		l.Close()
		return ErrServerClosed
	}
	s.listeners[l] = struct{}{}
	s.mu.Unlock()
	defer func() {
		s.mu.Lock()
		delete(s.listeners, l)
		s.mu.Unlock()
		l.Close()
	}()
	var backoff time.Duration
	for {
		select {
		case s.sem <- struct{}{}:
		case <-s.done:
			return ErrServerClosed
		}
		c, err := l.Accept()
		if err != nil {
			<-s.sem
			if s.closing.Load() {
				return ErrServerClosed
			}
			var ne net.Error
			if errors.As(err, &ne) && ne.Timeout() {
				backoff = min(max(2*backoff, 5*time.Millisecond), time.Second)
				time.Sleep(backoff)
				continue
			}
			return err
		}
		backoff = 0
		sc := &serverConn{c: c}
		sc.addr = remoteIP(c.RemoteAddr())
		s.mu.Lock()
		if s.closing.Load() {
			s.mu.Unlock()
			c.Close()
			<-s.sem
			return ErrServerClosed
		}
		if sc.addr.IsValid() {
			if s.perAddr[sc.addr] >= s.maxPerAddr() {
				s.mu.Unlock()
				s.refused.Add(1)
				c.Close()
				<-s.sem
				continue
			}
			s.perAddr[sc.addr]++
		}
		s.accepted.Add(1)
		s.conns[sc] = struct{}{}
		s.wg.Add(1)
		s.mu.Unlock()
		go s.serveConn(sc)
	}
}

func (s *Server) maxPerAddr() int {
	if s.MaxConnsPerAddr > 0 {
		return s.MaxConnsPerAddr
	}
	return DefaultMaxConnsPerAddr
}

// deadlineReader keeps the read deadline of a connection waiting for a
// frame: the idle timeout until its first bytes arrive, then the read
// timeout from there, and the frame timeout from its start block if that
// comes sooner.
type deadlineReader struct {
	c           net.Conn
	r           *Reader // whose frame is timed
	read, frame time.Duration
	started     bool      // the first bytes arrived
	framed      bool      // the start block arrived
	deadline    time.Time // the deadline set
	frameEnd    time.Time // the frame's deadline, once framed
}

// wait sets the idle deadline for the next frame.
func (d *deadlineReader) wait(idle time.Duration) {
	d.started, d.framed = false, false
	d.deadline = time.Now().Add(idle)
	d.c.SetReadDeadline(d.deadline)
}

func (d *deadlineReader) Read(p []byte) (int, error) {
	if !d.framed && d.r.inProgress() {
		// The start block came with the bytes read last.
		d.framed = true
		d.frameEnd = time.Now().Add(d.frame)
		if d.frameEnd.Before(d.deadline) {
			d.deadline = d.frameEnd
			d.c.SetReadDeadline(d.deadline)
		}
	}
	n, err := d.c.Read(p)
	if n > 0 && !d.started {
		d.started = true
		d.deadline = time.Now().Add(d.read)
		if d.framed && d.frameEnd.Before(d.deadline) {
			d.deadline = d.frameEnd
		}
		d.c.SetReadDeadline(d.deadline)
	}
	return n, err
}

func (s *Server) serveConn(sc *serverConn) {
	defer func() {
		sc.c.Close()
		s.mu.Lock()
		delete(s.conns, sc)
		if sc.addr.IsValid() {
			if s.perAddr[sc.addr]--; s.perAddr[sc.addr] <= 0 {
				delete(s.perAddr, sc.addr)
			}
		}
		s.mu.Unlock()
		<-s.sem
		s.wg.Done()
	}()
	c := sc.c
	req := Request{RemoteAddr: c.RemoteAddr()}
	if tc, ok := c.(*tls.Conn); ok {
		c.SetDeadline(time.Now().Add(dur(s.ReadTimeout, DefaultReadTimeout)))
		if err := tc.Handshake(); err != nil {
			s.logf("mllp: TLS handshake with %v: %v", c.RemoteAddr(), err)
			return
		}
		st := tc.ConnectionState()
		req.TLS = &st
	}
	dr := &deadlineReader{c: c, read: dur(s.ReadTimeout, DefaultReadTimeout), frame: dur(s.FrameTimeout, DefaultFrameTimeout)}
	r := NewReader(dr)
	dr.r = r
	r.MaxFrameSize = s.MaxFrameSize
	r.acct = s.account
	defer r.release()
	w := NewWriter(c)
	var msg hl7.Message
	var ack []byte
	idle := dur(s.IdleTimeout, DefaultIdleTimeout)
	for {
		dr.wait(idle)
		if s.closing.Load() {
			return
		}
		payload, err := r.ReadFrame()
		if err != nil {
			var fe *FrameError
			switch {
			case errors.As(err, &fe):
				// Too large: reject it and carry on with the next frame.
				s.tooLarge.Add(1)
				r.shrink(keepBuf)
				sc.active.Store(true)
				ack = s.appendAck(ack[:0], &hl7.Message{}, hl7.AR, "message too large")
				err = s.write(c, w, ack)
				sc.active.Store(false)
				if err != nil {
					return
				}
				continue
			case errors.Is(err, errOverBudget):
				s.overBudget.Add(1)
				s.logf("mllp: frame from %v over the buffer budget: answered and closed", c.RemoteAddr())
				s.refuse(sc, w, r, ack[:0])
				return
			case errors.Is(err, os.ErrDeadlineExceeded) && r.inProgress() && !s.closing.Load():
				s.frameTimeouts.Add(1)
				s.logf("mllp: frame from %v not complete in time: closed", c.RemoteAddr())
				return
			}
			if err != io.EOF && !s.closing.Load() {
				s.logf("mllp: reading from %v: %v", c.RemoteAddr(), err)
			}
			return
		}
		sc.active.Store(true)
		if _, commit := IsCommitAck(payload); commit {
			sc.active.Store(false)
			continue // a stray commit acknowledgement: nothing to answer
		}
		ack = s.handle(&req, &msg, payload, ack[:0])
		if len(payload) > keepBuf {
			// Let go of the frame and of indexes sized for it.
			msg = hl7.Message{}
		}
		r.shrink(keepBuf)
		err = s.write(c, w, ack)
		sc.active.Store(false)
		if err != nil {
			s.logf("mllp: writing to %v: %v", c.RemoteAddr(), err)
			return
		}
		if cap(ack) > keepBuf {
			ack = nil
		}
	}
}

// refuse answers the frame in progress on a connection whose buffer may
// not grow (a NAK, or AE with the frame's control ID if its MSH segment
// arrived), then waits briefly for the client to stop sending, so that
// closing does not reset the connection before the answer is read.
func (s *Server) refuse(sc *serverConn, w *Writer, r *Reader, ack []byte) {
	var m hl7.Message
	if p := r.partial(); len(p) > 0 {
		if i := bytes.IndexAny(p, "\r\n"); i > 0 {
			m.Parse(p[:i])
		}
	}
	ack = s.appendAck(ack, &m, hl7.AE, "server busy: frame buffers full, resend later")
	r.release()
	sc.active.Store(true)
	err := s.write(sc.c, w, ack)
	sc.active.Store(false)
	if err != nil {
		return
	}
	if cw, ok := sc.c.(interface{ CloseWrite() error }); ok {
		cw.CloseWrite()
	}
	sc.c.SetReadDeadline(time.Now().Add(time.Second))
	buf := make([]byte, 4096)
	for n := 0; n < 1<<20; {
		k, err := sc.c.Read(buf)
		if err != nil {
			return
		}
		n += k
	}
}

func (s *Server) write(c net.Conn, w *Writer, ack []byte) error {
	c.SetWriteDeadline(time.Now().Add(dur(s.WriteTimeout, DefaultWriteTimeout)))
	return w.WriteFrame(ack)
}

// appendAck appends the answer to msg: an HL7 ACK with code and text or,
// with CommitAcks, a commit acknowledgement (ACK for AA and CA, else NAK).
func (s *Server) appendAck(dst []byte, msg *hl7.Message, code hl7.AckCode, text string) []byte {
	if s.CommitAcks {
		return append(dst, commitCode(code.Accepted()))
	}
	return hl7.AppendACK(dst, msg, code, text)
}

func commitCode(ok bool) byte {
	if ok {
		return CommitACK
	}
	return CommitNAK
}

// handle parses the message, calls the handler and returns the answer.
func (s *Server) handle(req *Request, msg *hl7.Message, payload, ack []byte) []byte {
	if err := msg.Parse(payload); err != nil {
		// Answer with the control ID if at least the MSH segment parses,
		// so that the sender can match the rejection.
		if i := bytes.IndexAny(payload, "\r\n"); i > 0 {
			msg.Parse(payload[:i])
		}
		return s.appendAck(ack, msg, hl7.AR, err.Error())
	}
	req.Payload, req.Message = payload, msg
	out, err := s.call(req)
	req.Payload, req.Message = nil, nil
	switch {
	case err != nil && errors.Is(err, ErrReject):
		return s.appendAck(ack, msg, hl7.AR, err.Error())
	case err != nil:
		return s.appendAck(ack, msg, hl7.AE, err.Error())
	case out != nil && s.CommitAcks:
		// The handler's own ACK decides by its MSA-1.
		var m hl7.Message
		ok := false
		if m.Parse(out) == nil {
			a, _ := m.Ack()
			ok = a.Result().Accepted()
		}
		return append(ack, commitCode(ok))
	case out != nil:
		return append(ack, out...)
	}
	return s.appendAck(ack, msg, hl7.AA, "")
}

func (s *Server) call(req *Request) (ack []byte, err error) {
	defer func() {
		if p := recover(); p != nil {
			ack, err = nil, fmt.Errorf("mllp: handler panic: %v", p)
			s.logf("%v", err)
		}
	}()
	return s.Handler.ServeMLLP(context.Background(), req)
}

// Shutdown stops accepting connections, closes idle ones, lets every
// message being handled finish and be acknowledged, then returns. If ctx
// ends first, it closes the remaining connections and returns ctx's error.
func (s *Server) Shutdown(ctx context.Context) error {
	s.init()
	s.mu.Lock()
	if !s.closing.Swap(true) {
		close(s.done)
	}
	for l := range s.listeners {
		l.Close()
	}
	s.mu.Unlock()
	t := time.NewTicker(10 * time.Millisecond)
	defer t.Stop()
	for {
		s.mu.Lock()
		n := len(s.conns)
		for sc := range s.conns {
			if !sc.active.Load() {
				sc.c.SetReadDeadline(time.Now()) // wake a reader waiting for a frame
			}
		}
		s.mu.Unlock()
		if n == 0 {
			s.wg.Wait()
			return nil
		}
		select {
		case <-ctx.Done():
			s.Close()
			return ctx.Err()
		case <-t.C:
		}
	}
}

// Close closes the listeners and every connection at once, in-flight
// messages included (their senders get no ACK and will resend).
func (s *Server) Close() error {
	s.init()
	s.mu.Lock()
	if !s.closing.Swap(true) {
		close(s.done)
	}
	for l := range s.listeners {
		l.Close()
	}
	for sc := range s.conns {
		sc.c.Close()
	}
	s.mu.Unlock()
	return nil
}
