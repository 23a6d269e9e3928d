package snmp

import (
	"errors"
	"strconv"
)

// Errors, wrapped in an [*Error] with the offset of the element.
var (
	// ErrTruncated: an element runs past the end of its container.
	ErrTruncated = errors.New("snmp: truncated element")
	// ErrLength: a length that BER or SNMP does not allow (indefinite,
	// more than four length octets, or wrong for the type).
	ErrLength = errors.New("snmp: invalid length")
	// ErrTag: an element of a type other than the one SNMP puts there, or
	// a high tag number, which SNMP never uses.
	ErrTag = errors.New("snmp: unexpected tag")
	// ErrDepth: constructed elements nested deeper than the limit.
	ErrDepth = errors.New("snmp: elements nested too deeply")
	// ErrOID: a malformed object identifier: empty, a sub-identifier
	// longer than 32 bits or not minimally encoded, cut short, or more
	// sub-identifiers than the limit.
	ErrOID = errors.New("snmp: invalid object identifier")
	// ErrInteger: an integer too long for its type, or empty.
	ErrInteger = errors.New("snmp: invalid integer")
	// ErrVersion: a version other than 0 (SNMPv1), 1 (SNMPv2c) and 3.
	ErrVersion = errors.New("snmp: unknown version")
	// ErrTrailing: bytes after the message, or after the last element
	// of a sequence whose members are all known.
	ErrTrailing = errors.New("snmp: trailing bytes")
)

// Error is malformed input: the sentinel and where it was found.
type Error struct {
	Offset int64 // of the element's identifier octet, from the start of the input
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
