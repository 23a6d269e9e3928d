package ul

import (
	"errors"
	"strconv"
)

// Errors reported by the decoders and parsers, wrapped in an [*Error] that
// carries the byte offset.
var (
	ErrNeedMore       = errors.New("ul: need more data")
	ErrPDUType        = errors.New("ul: unknown PDU type")
	ErrPDULength      = errors.New("ul: PDU length exceeds the limit")
	ErrNegotiated     = errors.New("ul: P-DATA-TF PDU longer than the negotiated maximum")
	ErrPDVLength      = errors.New("ul: PDV item length does not fit its PDU")
	ErrTruncated      = errors.New("ul: truncated PDU or item")
	ErrItemLength     = errors.New("ul: item length exceeds the enclosing data")
	ErrPDUBody        = errors.New("ul: malformed PDU body")
	ErrCommandTooLong = errors.New("ul: DIMSE command set exceeds the limit")
	ErrCommand        = errors.New("ul: malformed DIMSE command set")
	ErrFragment       = errors.New("ul: PDV fragments out of order")
)

// Error describes malformed input: the byte offset where the problem was
// found and the underlying sentinel error. Offset counts from the start of
// the direction's stream for errors of [Decoder] and [Association], and
// from the start of the PDU header for [Associate.Parse], [ParseReject] and
// [ParseAbort]; -1 when unknown. In a malformed command set that came in
// several PDVs, the offset is that of its first byte plus the offset in the
// reassembled command set.
type Error struct {
	Offset int64
	Err    error
}

// ByteOffset returns e.Offset, so that callers find the offset of any
// medtap error through interface{ ByteOffset() int64 }.
func (e *Error) ByteOffset() int64 { return e.Offset }

func (e *Error) Error() string {
	b := make([]byte, 0, 64)
	b = append(b, e.Err.Error()...)
	b = append(b, " at offset "...)
	b = strconv.AppendInt(b, e.Offset, 10)
	return string(b)
}

// Unwrap returns the sentinel error.
func (e *Error) Unwrap() error { return e.Err }
