package dhcp

import (
	"errors"
	"strconv"
)

// Sentinel errors. Errors returned by this package wrap one of them in an
// [*Error] that carries the byte offset.
var (
	// ErrShort reports a message shorter than its fixed header: 240 bytes
	// (the BOOTP header and the magic cookie) for DHCPv4, 4 for DHCPv6,
	// 34 for a DHCPv6 relay message.
	ErrShort = errors.New("dhcp: message too short")
	// ErrTooLong reports a message longer than a UDP datagram can be.
	ErrTooLong = errors.New("dhcp: message longer than a UDP datagram")
	// ErrHeader reports a DHCPv4 header that cannot be right: an op code
	// other than BOOTREQUEST or BOOTREPLY, or a hardware address length
	// over 16.
	ErrHeader = errors.New("dhcp: malformed header")
	// ErrCookie reports a DHCPv4 message without the magic cookie
	// 99.130.83.99 after its header.
	ErrCookie = errors.New("dhcp: no magic cookie")
	// ErrOptionLength reports an option whose length runs past the end of
	// its area (the options field, file or sname; a DHCPv6 message or
	// the option that encloses it).
	ErrOptionLength = errors.New("dhcp: option length exceeds its area")
	// ErrOptionValue reports an option whose value has the wrong size or
	// content for its code (a message type that is not one byte, an
	// address that is not four, an overload value other than 1 to 3, a
	// list of 16-bit codes of odd length, ...).
	ErrOptionValue = errors.New("dhcp: malformed option value")
	// ErrName reports a domain name in DNS wire format whose labels are
	// longer than 63 bytes, run past the option, total more than 255
	// bytes or are followed by data.
	ErrName = errors.New("dhcp: malformed domain name")
)

// Error is the error type of this package: a sentinel, the byte offset from
// the start of the message where the problem was found and, for an option,
// its code.
//
// Each error returned is a new *Error, one small allocation; messages
// without errors parse without allocating.
type Error struct {
	Offset int64
	Option int // the option's code, or -1 when the error is not about one
	Err    error
}

func (e *Error) Error() string {
	s := e.Err.Error()
	if e.Option >= 0 {
		s += ": option " + strconv.Itoa(e.Option)
	}
	return s + " at offset " + strconv.FormatInt(e.Offset, 10)
}

// Unwrap returns the sentinel.
func (e *Error) Unwrap() error { return e.Err }

// ByteOffset returns Offset: where the problem was found, in bytes from the
// start of the message.
func (e *Error) ByteOffset() int64 { return e.Offset }

func errAt(off int, err error) error { return &Error{Offset: int64(off), Option: -1, Err: err} }

func optErr(off, code int, err error) error {
	return &Error{Offset: int64(off), Option: code, Err: err}
}
