package tlshello

import (
	"errors"
	"strconv"
)

// Sentinel errors. Errors returned by this package wrap one of them in an
// [*Error] that carries the byte offset.
var (
	// ErrNeedMore is returned by [Decoder.Next] when the input given to
	// [Decoder.Feed] has been consumed.
	ErrNeedMore = errors.New("tlshello: need more input")
	// ErrNotHandshake reports bytes that are not a TLS record of version
	// 3.x and content type 20 to 23 where a record header should start. The
	// decoder ignores the rest of the direction.
	ErrNotHandshake = errors.New("tlshello: not a handshake record")
	// ErrMalformed reports a ClientHello or ServerHello whose fields or
	// decoded extensions do not fit their lengths or the rules of their RFCs.
	ErrMalformed = errors.New("tlshello: malformed hello")
	// ErrCertificate reports a certificate, or a Certificate handshake
	// message, whose DER or lengths do not fit together.
	ErrCertificate = errors.New("tlshello: malformed certificate")
	// ErrTooLarge reports a record longer than 2^14+2048 bytes (the
	// decoder ignores the rest of the direction), a hello longer than
	// [Decoder.MaxHandshake] or a first certificate longer than
	// [Decoder.MaxCertificate] (the decoder skips the message and goes on).
	ErrTooLarge = errors.New("tlshello: record or handshake message too large")
	// ErrTruncated reports a handshake message or record cut short by the
	// end of the stream ([Decoder.Flush]), by lost bytes ([Decoder.Gap]) or
	// by a ChangeCipherSpec or application-data record.
	ErrTruncated = errors.New("tlshello: truncated handshake message")
)

// Error is the error type of this package: a sentinel and the byte offset
// where the problem was found, from the start of the body given to
// [ParseClientHello] or [ParseServerHello], or from the start of the stream
// given to a [Decoder].
type Error struct {
	Offset int64
	Err    error
}

func (e *Error) Error() string {
	return e.Err.Error() + " at offset " + strconv.FormatInt(e.Offset, 10)
}

// Unwrap returns the sentinel.
func (e *Error) Unwrap() error { return e.Err }

// ByteOffset returns e.Offset.
func (e *Error) ByteOffset() int64 { return e.Offset }
