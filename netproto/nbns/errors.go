package nbns

import (
	"errors"
	"strconv"

	"github.com/medtap/medtap/netproto/dnsmsg"
)

// Sentinel errors. Errors returned by this package wrap one of them in an
// [*Error] that carries the byte offset.
var (
	// ErrTruncated reports a message that ends inside its header, a
	// question, a record or a name, or before the entries its header
	// counts.
	ErrTruncated = errors.New("nbns: truncated message")
	// ErrName reports a name that is not a NetBIOS name: a first label
	// that is not 32 letters from 'A' to 'P', or a malformed DNS name (a
	// reserved label, a bad compression pointer, more than 255 bytes).
	ErrName = errors.New("nbns: bad name")
	// ErrRecordType reports record data asked of a record of another type.
	ErrRecordType = errors.New("nbns: wrong record type")
	// ErrRData reports record data that does not fit its type: NB data
	// that is not a multiple of 6 bytes, a node status name table longer
	// than the data, a WACK that is not 2 bytes.
	ErrRData = errors.New("nbns: malformed record data")
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

// fromDNS translates an error of package dnsmsg.
func fromDNS(err error) error {
	var de *dnsmsg.Error
	if !errors.As(err, &de) {
		return err
	}
	s := ErrName
	switch de.Err {
	case dnsmsg.ErrTruncated:
		s = ErrTruncated
	case dnsmsg.ErrRData:
		s = ErrRData
	}
	return &Error{Offset: de.Offset, Err: s}
}
