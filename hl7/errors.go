package hl7

import (
	"errors"
	"strconv"
)

// Errors returned by this package, usually wrapped in a [*ParseError] that
// carries the byte offset.
var (
	ErrNoMSH            = errors.New("hl7: message does not start with an MSH segment")
	ErrDelimiters       = errors.New("hl7: invalid delimiters in MSH-1/MSH-2")
	ErrTooManySegments  = errors.New("hl7: too many segments")
	ErrTooManyFields    = errors.New("hl7: too many fields")
	ErrSegmentName      = errors.New("hl7: invalid segment name")
	ErrPath             = errors.New("hl7: invalid path")
	ErrOutsideMessage   = errors.New("hl7: segment outside a message (no MSH before it)")
	ErrNestedBatch      = errors.New("hl7: BHS inside an open batch (missing BTS)")
	ErrNestedFile       = errors.New("hl7: FHS inside an open file (missing FTS)")
	ErrAfterFileTrailer = errors.New("hl7: segment after the FTS file trailer")
	ErrBatchCount       = errors.New("hl7: BTS-1 message count does not match the batch")
	ErrFileCount        = errors.New("hl7: FTS-1 batch count does not match the file")
	ErrUnknownCharset   = errors.New("hl7: unknown character set")
	ErrEmpty            = errors.New("hl7: empty input")
	ErrMissingField     = errors.New("hl7: required field is empty")
	ErrVersion          = errors.New("hl7: unknown version in MSH-12 (want 2.1 to 2.8.x)")
	ErrNoMSA            = errors.New("hl7: acknowledgement without an MSA segment")

	// ErrCharsetEscape reports a character set switch (an ISO 2022
	// escape sequence, or HL7's \Cxxyy\ or \Mxxyyzz\) naming a set this
	// package does not know.
	ErrCharsetEscape = errors.New("hl7: unknown character set in escape sequence")
)

// A ParseError reports where in the input an error was found.
type ParseError struct {
	Offset  int64  // byte offset from the start of the input
	Segment string // segment name involved, if any
	Err     error  // one of the ErrXxx sentinels
}

func (e *ParseError) Error() string {
	s := e.Err.Error() + " at offset " + strconv.FormatInt(e.Offset, 10)
	if e.Segment != "" {
		s += " (segment " + strconv.Quote(e.Segment) + ")"
	}
	return s
}

func (e *ParseError) Unwrap() error { return e.Err }

// ByteOffset returns e.Offset, for callers that take the offset of errors
// from several packages through interface{ ByteOffset() int64 }.
func (e *ParseError) ByteOffset() int64 { return e.Offset }

func perr(off int, seg []byte, err error) error {
	if len(seg) > 8 {
		seg = seg[:8]
	}
	return &ParseError{Offset: int64(off), Segment: string(seg), Err: err}
}
