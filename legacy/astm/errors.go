package astm

import (
	"errors"
	"strconv"
)

// Sentinel errors. Errors returned by this package wrap one of them in an
// [*Error] that carries the byte offset.
var (
	// ErrNeedMore is returned by [Decoder.Next] when the input given to
	// [Decoder.Feed] has been consumed.
	ErrNeedMore = errors.New("astm: need more input")
	// ErrNotRecord reports a line that does not start with a record type
	// letter followed by the field delimiter.
	ErrNotRecord = errors.New("astm: not an ASTM record")
	// ErrDelimiters reports a header whose delimiter definition is unusable
	// (missing, repeated, alphanumeric or a control character).
	ErrDelimiters = errors.New("astm: bad delimiter definition")
	// ErrRecordType reports a summary asked of a record of another type.
	ErrRecordType = errors.New("astm: wrong record type")
	// ErrEscape reports an unterminated escape sequence
	// ([Delimiters.AppendUnescape]).
	ErrEscape = errors.New("astm: bad escape sequence")
	// ErrChecksum reports a frame whose checksum does not match its content.
	ErrChecksum = errors.New("astm: frame checksum mismatch")
	// ErrFrame reports a malformed frame: a bad frame number, a missing
	// ETB/ETX, non-hex checksum digits or a frame interrupted by a control
	// character.
	ErrFrame = errors.New("astm: malformed frame")
	// ErrFrameNumber reports a frame number out of sequence.
	ErrFrameNumber = errors.New("astm: frame number out of sequence")
	// ErrFrameTooLong reports a frame longer than the configured maximum.
	ErrFrameTooLong = errors.New("astm: frame too long")
	// ErrRecordTooLong reports a record longer than the configured maximum.
	ErrRecordTooLong = errors.New("astm: record too long")
	// ErrJunk reports bytes outside any frame that are not control characters.
	ErrJunk = errors.New("astm: unexpected bytes between frames")
	// ErrIncomplete reports a record cut short by EOT, ENQ or the end of
	// the stream (see [Decoder.Flush]).
	ErrIncomplete = errors.New("astm: incomplete record")
)

// Error is the error type of this package: a sentinel and the byte offset
// where the problem was found, from the start of the parser's input or the
// decoder's stream (for [Delimiters.AppendUnescape], of the value given to
// it).
//
// Each error returned is a new *Error, one small allocation: an error that
// carries its own offset needs memory of its own (Go boxes any value of more
// than one word, or one that is not a pointer, when it becomes an error), and
// an Error reused by a Parser or Decoder would change under a caller that
// kept it. Errors are bounded by the input: a run of junk is one error.
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
// start of the input or stream.
func (e *Error) ByteOffset() int64 { return e.Offset }
