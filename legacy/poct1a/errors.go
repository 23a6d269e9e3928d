package poct1a

import (
	"errors"
	"strconv"
)

// Sentinel errors. Errors returned by this package wrap one of them in an
// [*Error] that carries the byte offset.
var (
	// ErrNeedMore is returned by [Decoder.Next] when the input given to
	// [Decoder.Feed] has been consumed.
	ErrNeedMore = errors.New("poct1a: need more input")
	// ErrTagTooLong reports a tag longer than the decoder's limit
	// ([Decoder.MaxTag], and never more than [Decoder.MaxMessage]); it is
	// skipped.
	ErrTagTooLong = errors.New("poct1a: tag too long")
	// ErrMalformed reports a tag without a name (such as "<>" or "< a>").
	ErrMalformed = errors.New("poct1a: malformed tag")
	// ErrUnbalanced reports an end tag that does not close the message's
	// root element, or an end tag outside any message.
	ErrUnbalanced = errors.New("poct1a: end tag does not match")
	// ErrTooDeep reports elements nested deeper than [Decoder.MaxDepth]; the
	// message is dropped.
	ErrTooDeep = errors.New("poct1a: elements nested too deeply")
	// ErrTooLarge reports a message longer than [Decoder.MaxMessage]; the
	// rest of it is skipped.
	ErrTooLarge = errors.New("poct1a: message too large")
	// ErrIncomplete reports a message or a tag cut short by the end of the
	// stream (see [Decoder.Flush]).
	ErrIncomplete = errors.New("poct1a: message cut short")
	// ErrEncoding reports a stream that is not UTF-8 (it starts like UTF-16
	// or UCS-4); the decoder discards the rest of it.
	ErrEncoding = errors.New("poct1a: not UTF-8 (UTF-16 and other encodings are not supported)")
	// ErrEntity reports a malformed entity or character reference found by
	// [AppendText].
	ErrEntity = errors.New("poct1a: malformed entity or character reference")
)

// Error is the error type of this package: a sentinel and the byte offset
// (from the start of the decoder's stream, or of the text given to
// [AppendText]) where the problem was found.
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
// start of the stream or text.
func (e *Error) ByteOffset() int64 { return e.Offset }
