package dnsmsg

import (
	"errors"
	"strconv"
)

// Sentinel errors. Errors returned by this package wrap one of them in an
// [*Error] that carries the byte offset.
var (
	// ErrTruncated reports a message that ends inside its header, a
	// question, a record or a name, or before the entries its header
	// counts.
	ErrTruncated = errors.New("dnsmsg: truncated message")
	// ErrLabel reports a label of the reserved kinds 0x40 and 0x80.
	ErrLabel = errors.New("dnsmsg: bad label")
	// ErrNameTooLong reports a name of more than 255 bytes.
	ErrNameTooLong = errors.New("dnsmsg: name too long")
	// ErrPointer reports a compression pointer that points into the
	// header, or not back before the labels that led to it (a loop or a
	// forward reference), or one pointer more than Parser.MaxPointers.
	ErrPointer = errors.New("dnsmsg: bad compression pointer")
	// ErrRecordType reports record data asked of a record of another
	// type (the A address of a PTR record).
	ErrRecordType = errors.New("dnsmsg: wrong record type")
	// ErrRData reports record data that does not fit its type: an A
	// record that is not 4 bytes, a name or string that overruns the data,
	// bytes left over, an NSEC type bitmap out of order.
	ErrRData = errors.New("dnsmsg: malformed record data")
)

// Error is the error type of this package: a sentinel and the byte offset
// in the message where the problem was found.
//
// Each error returned is a new *Error, one small allocation, made only when
// the input is malformed.
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
// start of the message.
func (e *Error) ByteOffset() int64 { return e.Offset }

// fail is an error found by the internal walkers, which do not allocate:
// the sentinel and its offset. wrap makes it an *Error.
type fail struct {
	err error
	off int
}

func (f fail) wrap() error {
	if f.err == nil {
		return nil
	}
	return &Error{Offset: int64(f.off), Err: f.err}
}
