package mllp

import (
	"bytes"
	"context"
	"crypto/tls"
	"errors"
	"fmt"
	"io"
	"net"
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
	DefaultIdleTimeout  = 5 * time.Minute
	DefaultReadTimeout  = time.Minute
	DefaultWriteTimeout = time.Minute
	DefaultMaxConns     = 1024
)

// A Server receives HL7 messages over MLLP, hands each to its Handler and
// acknowledges it. A message that does not parse is answered AR without
// calling the handler; a handler that fails or panics gets AE (or AR), never
// silence. The zero value of every limit selects its default.
type Server struct {
	Addr      string      // TCP address for ListenAndServe, e.g. ":2575"
	Handler   Handler     // must be set
	TLSConfig *tls.Config // if set, connections use TLS (set ClientAuth for mutual TLS)

	// IdleTimeout bounds the wait for the next frame to start.
	IdleTimeout time.Duration
	// ReadTimeout bounds reading one frame from its first byte.
	ReadTimeout time.Duration
	// WriteTimeout bounds writing one acknowledgement.
	WriteTimeout time.Duration
	// MaxConns caps the connections served at once; more wait in the
	// listen backlog.
	MaxConns int
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
	sem       chan struct{}
	done      chan struct{}
	closing   atomic.Bool
	wg        sync.WaitGroup
}

type serverConn struct {
	c      net.Conn
	active atomic.Bool // handling a message
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
		s.mu.Lock()
		if s.closing.Load() {
			s.mu.Unlock()
			c.Close()
			<-s.sem
			return ErrServerClosed
		}
		s.conns[sc] = struct{}{}
		s.wg.Add(1)
		s.mu.Unlock()
		go s.serveConn(sc)
	}
}

// deadlineReader moves the read deadline from the idle timeout to the
// frame timeout when the first bytes of a frame arrive.
type deadlineReader struct {
	c       net.Conn
	started bool
	read    time.Duration
}

func (d *deadlineReader) Read(p []byte) (int, error) {
	n, err := d.c.Read(p)
	if n > 0 && !d.started {
		d.started = true
		d.c.SetReadDeadline(time.Now().Add(d.read))
	}
	return n, err
}

func (s *Server) serveConn(sc *serverConn) {
	defer func() {
		sc.c.Close()
		s.mu.Lock()
		delete(s.conns, sc)
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
	dr := &deadlineReader{c: c, read: dur(s.ReadTimeout, DefaultReadTimeout)}
	r := NewReader(dr)
	r.MaxFrameSize = s.MaxFrameSize
	w := NewWriter(c)
	var msg hl7.Message
	var ack []byte
	idle := dur(s.IdleTimeout, DefaultIdleTimeout)
	for {
		dr.started = false
		c.SetReadDeadline(time.Now().Add(idle))
		if s.closing.Load() {
			return
		}
		payload, err := r.ReadFrame()
		if err != nil {
			var fe *FrameError
			if errors.As(err, &fe) {
				// Too large: reject it and carry on with the next frame.
				sc.active.Store(true)
				ack = s.appendAck(ack[:0], &hl7.Message{}, hl7.AR, "message too large")
				err = s.write(c, w, ack)
				sc.active.Store(false)
				if err != nil {
					return
				}
				continue
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
		err = s.write(c, w, ack)
		sc.active.Store(false)
		if err != nil {
			s.logf("mllp: writing to %v: %v", c.RemoteAddr(), err)
			return
		}
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
