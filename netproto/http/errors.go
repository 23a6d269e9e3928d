package http

import (
	"errors"
	"strconv"
)

// Sentinel errors. Errors returned by this package wrap one of them in an
// [*Error] that carries the byte offset.
var (
	// ErrNeedMore is returned by [Decoder.Next] when the input given to
	// [Decoder.Feed] has been consumed.
	ErrNeedMore = errors.New("http: need more input")
	// ErrStartLine reports a first line that is neither a request line
	// nor a status line.
	ErrStartLine = errors.New("http: malformed request or status line")
	// ErrHeader reports a header line without a colon or with an invalid
	// name.
	ErrHeader = errors.New("http: malformed header line")
	// ErrHeadTooLong reports a head longer than [Decoder.MaxHead].
	ErrHeadTooLong = errors.New("http: head too long")
	// ErrTooManyHeaders reports more header lines than
	// [Decoder.MaxHeaders].
	ErrTooManyHeaders = errors.New("http: too many headers")
	// ErrContentLength reports an invalid or conflicting Content-Length.
	ErrContentLength = errors.New("http: invalid Content-Length")
	// ErrTransferEncoding reports a request whose transfer coding does not
	// end with chunked, so its length cannot be known.
	ErrTransferEncoding = errors.New("http: unknown transfer coding in a request")
	// ErrChunk reports a malformed chunk size line or chunk end, or a
	// trailer section longer than [Decoder.MaxHead].
	ErrChunk = errors.New("http: malformed chunk")
	// ErrIncomplete reports a head cut short by the end of the stream
	// (see [Decoder.Flush]).
	ErrIncomplete = errors.New("http: incomplete head")
)

// Error is the error type of this package: a sentinel and the byte offset
// in the stream of the message or line where the problem was found. Each
// error returned is a new *Error; after one, the decoder skips input up to
// the next line that starts a message.
type Error struct {
	Offset int64
	Err    error
}

func (e *Error) Error() string {
	return e.Err.Error() + " at offset " + strconv.FormatInt(e.Offset, 10)
}

// Unwrap returns the sentinel.
func (e *Error) Unwrap() error { return e.Err }

// ByteOffset returns Offset: where the problem was found, in bytes from the
// start of the stream.
func (e *Error) ByteOffset() int64 { return e.Offset }
