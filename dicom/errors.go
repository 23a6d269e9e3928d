package dicom

import (
	"errors"
	"strconv"
)

// Errors reported by the parser, wrapped in an [*Error] that carries the
// byte offset.
var (
	ErrTruncated       = errors.New("dicom: truncated element")
	ErrLength          = errors.New("dicom: value length exceeds the enclosing data")
	ErrDepth           = errors.New("dicom: sequences nested too deep")
	ErrUndefinedLength = errors.New("dicom: undefined length on a non-sequence element")
	ErrDelimiter       = errors.New("dicom: unexpected item or delimitation tag")
	ErrItemExpected    = errors.New("dicom: item tag expected in sequence")
	ErrUnterminated    = errors.New("dicom: sequence or item not terminated")
	ErrInflatedSize    = errors.New("dicom: inflated dataset exceeds the configured limit")
	ErrDeflate         = errors.New("dicom: corrupt deflated dataset")
	ErrNoValue         = errors.New("dicom: header has no value view")
	ErrValue           = errors.New("dicom: value does not fit its VR")
	ErrBufferTooLarge  = errors.New("dicom: element exceeds the reader's buffer limit")
	ErrTagSyntax       = errors.New("dicom: not a tag or dictionary keyword")
)

// Internal signals between the Parser and the Reader.
var (
	errMore    = errors.New("dicom: more input needed")
	errInflate = errors.New("dicom: deflated dataset follows")
)

// Error describes a malformed input: the byte offset where the problem was
// found, the tag being read when known, and the underlying sentinel error.
type Error struct {
	Offset int64 // byte offset in the input, as in [Header.Offset]
	Tag    Tag   // tag of the element being read, or 0
	Err    error // one of the ErrXxx sentinels
}

func (e *Error) Error() string {
	b := make([]byte, 0, 80)
	b = append(b, e.Err.Error()...)
	b = append(b, " at offset "...)
	b = strconv.AppendInt(b, e.Offset, 10)
	if e.Tag != 0 {
		b = append(b, " in "...)
		b = e.Tag.AppendTo(b)
	}
	return string(b)
}

// Unwrap returns the sentinel error.
func (e *Error) Unwrap() error { return e.Err }

// ByteOffset returns e.Offset, as every error type of medtap's protocol
// packages does, so that callers read offsets alike.
func (e *Error) ByteOffset() int64 { return e.Offset }
