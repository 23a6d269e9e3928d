package tcpsig

import (
	"errors"
	"strconv"
)

// Sentinel errors. [FromHeaders] wraps them in an [*Error] that carries the
// byte offset.
var (
	// ErrTruncated reports a header shorter than its minimum size or than
	// the length it declares.
	ErrTruncated = errors.New("tcpsig: truncated header")
	// ErrHeaderLength reports an IPv4 header length or a TCP data offset
	// below the minimum of 20 bytes.
	ErrHeaderLength = errors.New("tcpsig: header length too small")
	// ErrVersion reports an IP header that is neither IPv4 nor IPv6.
	ErrVersion = errors.New("tcpsig: not an IPv4 or IPv6 header")
)

// Error is the error type of this package: a sentinel and the byte offset
// where the problem was found, counted from the first byte of the IP header
// as if the TCP header followed it (as it does on the wire, for IPv4 and for
// IPv6 without extension headers).
type Error struct {
	Offset int64
	Err    error
}

func (e *Error) Error() string {
	return e.Err.Error() + " at offset " + strconv.FormatInt(e.Offset, 10)
}

// Unwrap returns the sentinel.
func (e *Error) Unwrap() error { return e.Err }

// ByteOffset returns Offset.
func (e *Error) ByteOffset() int64 { return e.Offset }
