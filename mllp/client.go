package mllp

import (
	"bytes"
	"context"
	"crypto/tls"
	"errors"
	"net"
	"sync"
	"time"

	"github.com/medtap/medtap/hl7"
)

// DefaultAckTimeout is how long a Client waits for an acknowledgement
// unless configured.
const DefaultAckTimeout = 30 * time.Second

// A Client sends HL7 messages over one MLLP connection and waits for each
// acknowledgement, matching MSA-2 to the message's MSH-10. It dials on
// first use and again after any error, so a dropped connection costs one
// reconnect, not a failed message: a message whose write fails on a reused
// connection is sent once more on a new one. It is safe for concurrent use;
// messages are sent one at a time.
type Client struct {
	Addr      string      // host:port
	TLSConfig *tls.Config // if set, dial with TLS
	// Timeout bounds the wait for each acknowledgement (and dialing);
	// default DefaultAckTimeout.
	Timeout time.Duration
	// MaxFrameSize caps an acknowledgement (default DefaultMaxFrameSize).
	MaxFrameSize int

	mu   sync.Mutex
	conn net.Conn
	r    *Reader
	w    *Writer
	ack  hl7.Message
}

// An AckError reports a negative acknowledgement: an MSA-1 other than AA
// or CA (AE, AR, CE, CR or no known code; see [hl7.AckCode]), or an MLLP
// release 2 NAK. It wraps ErrNAK. It points at no place in the stream, so
// it carries no offset.
type AckError struct {
	Code string // MSA-1 as sent, or "NAK"
	Text string // MSA-3, else ERR-8, unescaped, if any
}

func (e *AckError) Error() string {
	if e.Text == "" {
		return "mllp: message not accepted: " + e.Code
	}
	return "mllp: message not accepted: " + e.Code + ": " + e.Text
}

func (e *AckError) Unwrap() error { return ErrNAK }

func (c *Client) dial(ctx context.Context) error {
	d := net.Dialer{Timeout: dur(c.Timeout, DefaultAckTimeout)}
	var conn net.Conn
	var err error
	if c.TLSConfig != nil {
		td := tls.Dialer{NetDialer: &d, Config: c.TLSConfig}
		conn, err = td.DialContext(ctx, "tcp", c.Addr)
	} else {
		conn, err = d.DialContext(ctx, "tcp", c.Addr)
	}
	if err != nil {
		return err
	}
	c.conn = conn
	if c.r == nil {
		c.r = NewReader(conn)
		c.w = NewWriter(conn)
	} else {
		c.r.Reset(conn)
		c.w.Reset(conn)
	}
	c.r.MaxFrameSize = c.MaxFrameSize
	return nil
}

func (c *Client) drop() {
	if c.conn != nil {
		c.conn.Close()
		c.conn = nil
	}
}

// Close closes the connection, if any.
func (c *Client) Close() error {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.drop()
	return nil
}

// Send sends msg (an HL7 message without framing) and waits for its
// acknowledgement, which it returns (a copy, the caller's to keep). A
// negative acknowledgement gives the ACK and an *AckError. ACKs for other
// control IDs (late answers to earlier messages) are skipped. On timeout
// the connection is closed and ErrAckTimeout returned.
func (c *Client) Send(ctx context.Context, msg []byte) ([]byte, error) {
	var m hl7.Message
	if err := m.Parse(msg); err != nil {
		return nil, err
	}
	ctrl := m.ControlID().Bytes()
	c.mu.Lock()
	defer c.mu.Unlock()
	timeout := dur(c.Timeout, DefaultAckTimeout)
	deadline := time.Now().Add(timeout)
	if d, ok := ctx.Deadline(); ok && d.Before(deadline) {
		deadline = d
	}
	// send writes msg, on a new connection if there is none.
	send := func() error {
		if c.conn == nil {
			if err := c.dial(ctx); err != nil {
				return err
			}
		}
		c.conn.SetDeadline(deadline)
		if err := c.w.WriteFrame(msg); err != nil {
			c.drop()
			return err
		}
		return nil
	}
	reused := c.conn != nil
	if err := send(); err != nil {
		if !reused {
			return nil, err
		}
		// The peer may have closed an idle connection: try a fresh one.
		reused = false
		if err := send(); err != nil {
			return nil, err
		}
	}
	conn := c.conn
	stop := context.AfterFunc(ctx, func() { conn.SetDeadline(time.Now()) })
	defer stop()
	for {
		p, err := c.r.ReadFrame()
		if err != nil {
			var fe *FrameError
			if errors.As(err, &fe) {
				continue
			}
			c.drop()
			var ne net.Error
			if ctx.Err() != nil {
				return nil, ctx.Err()
			}
			if errors.As(err, &ne) && ne.Timeout() {
				return nil, ErrAckTimeout
			}
			if reused {
				// A reused connection the peer had closed (the write
				// went into a dead socket): send once more on a new one.
				reused = false
				if err := send(); err != nil {
					return nil, err
				}
				conn = c.conn
				continue
			}
			return nil, err
		}
		if positive, ok := IsCommitAck(p); ok {
			out := bytes.Clone(p)
			if !positive {
				return out, &AckError{Code: "NAK"}
			}
			return out, nil
		}
		if err := c.ack.Parse(p); err != nil {
			continue
		}
		a, ok := c.ack.Ack()
		if !ok || !bytes.Equal(a.ControlID, ctrl) {
			continue // not ours: a late ACK of an earlier message
		}
		out := bytes.Clone(p)
		if a.Result().Accepted() {
			return out, nil
		}
		return out, &AckError{Code: string(a.Code), Text: string(a.AppendText(nil))}
	}
}
