package lldp

import (
	"errors"
	"strconv"
)

// Errors, wrapped in an [*Error] with the offset of the TLV.
var (
	// ErrTruncated: a TLV runs past the end of the LLDPDU.
	ErrTruncated = errors.New("lldp: truncated TLV")
	// ErrLength: a TLV is too short or too long for its type.
	ErrLength = errors.New("lldp: TLV length invalid for its type")
	// ErrMandatory: the LLDPDU does not begin with the chassis id, port id
	// and time-to-live TLVs in that order, or repeats one of them.
	ErrMandatory = errors.New("lldp: chassis id, port id and TTL must come first, once each")
)

// Error is a malformed LLDPDU: the sentinel and where it was found.
type Error struct {
	Offset int64 // of the TLV header, in bytes from the start of the LLDPDU
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
