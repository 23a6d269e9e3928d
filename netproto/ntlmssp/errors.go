package ntlmssp

import (
	"errors"
	"strconv"
)

// Sentinel errors. Errors returned by this package wrap one of them in an
// [*Error] that carries the byte offset.
var (
	// ErrSignature reports bytes that do not begin with "NTLMSSP\x00".
	ErrSignature = errors.New("ntlmssp: not an NTLMSSP message")
	// ErrType reports a message type other than NEGOTIATE, CHALLENGE and
	// AUTHENTICATE.
	ErrType = errors.New("ntlmssp: unknown message type")
	// ErrTruncated reports a message shorter than its fixed fields.
	ErrTruncated = errors.New("ntlmssp: message truncated")
	// ErrField reports a field whose offset and length point outside the
	// message.
	ErrField = errors.New("ntlmssp: field outside the message")
	// ErrAVPair reports an AV pair whose length runs past the target
	// information, or target information without its MsvAvEOL.
	ErrAVPair = errors.New("ntlmssp: malformed AV pair")
	// ErrDER reports a malformed or unexpected DER element in an SPNEGO
	// blob ([Unwrap]).
	ErrDER = errors.New("ntlmssp: malformed SPNEGO token")
	// ErrNoNTLMSSP reports an SPNEGO blob that carries no NTLMSSP message:
	// another mechanism's token (Kerberos), or none at all (the mechanism
	// hints of an SMB NEGOTIATE response, a final accept-completed reply).
	ErrNoNTLMSSP = errors.New("ntlmssp: no NTLMSSP token in the blob")
)

// Error is the error type of this package: a sentinel and the byte offset
// where the problem was found, from the start of the message (or of the blob
// given to [Unwrap]).
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

func errAt(off int, err error) error { return &Error{Offset: int64(off), Err: err} }
