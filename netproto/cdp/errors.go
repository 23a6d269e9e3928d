package cdp

import (
	"errors"
	"strconv"
)

// Errors, wrapped in an [*Error] with the offset of the TLV.
var (
	// ErrTruncated: the header or a TLV runs past the end of the packet.
	ErrTruncated = errors.New("cdp: truncated")
	// ErrLength: a TLV's length is shorter than its header or does not
	// suit its type.
	ErrLength = errors.New("cdp: TLV length invalid for its type")
	// ErrVersion: the version is neither 1 nor 2.
	ErrVersion = errors.New("cdp: unknown version")
)

// Error is a malformed CDP packet: the sentinel and where it was found.
type Error struct {
	Offset int64 // in bytes from the start of the CDP header
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
