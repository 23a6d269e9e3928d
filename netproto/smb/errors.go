package smb

import (
	"errors"
	"strconv"
)

// Sentinel errors. Errors returned by this package wrap one of them in an
// [*Error] that carries the byte offset.
var (
	// ErrNeedMore is returned by [Decoder.Next] when the input given to
	// [Decoder.Feed] has been consumed.
	ErrNeedMore = errors.New("smb: need more input")
	// ErrFrame reports a transport frame header that is neither a session
	// message nor a well-formed NetBIOS session service packet.
	ErrFrame = errors.New("smb: bad transport frame")
	// ErrNotSMB reports a session message that does not begin with an SMB
	// protocol ID (0xFF, 0xFE, 0xFD or 0xFC followed by "SMB").
	ErrNotSMB = errors.New("smb: frame holds no SMB message")
	// ErrHeader reports an SMB header that is cut short or inconsistent
	// (an SMB2 StructureSize other than 64, a NextCommand outside the frame).
	ErrHeader = errors.New("smb: malformed SMB header")
	// ErrTruncated reports a frame cut short by the end of the stream (see
	// [Decoder.Flush]).
	ErrTruncated = errors.New("smb: stream ends inside a frame")
	// ErrCommand reports a body parser called on a message of another
	// command, direction or protocol version.
	ErrCommand = errors.New("smb: message is not of that command")
	// ErrBody reports a command body that is cut short, has the wrong
	// structure size or word count, or points outside the message.
	ErrBody = errors.New("smb: malformed command body")
)

// Error is the error type of this package: a sentinel and the byte offset
// where the problem was found, from the start of the decoder's stream (or,
// for a message given to [ParseMessage], from its first byte).
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

func errAt(off int64, err error) error { return &Error{Offset: off, Err: err} }
