// Package mllp implements the Minimal Lower Layer Protocol that carries HL7
// v2 messages over TCP: each message travels in a frame
//
//	<SB> payload <EB><CR>    (0x0B … 0x1C 0x0D)
//
// For active use there are a [Reader] and a [Writer] over an io.Reader and
// io.Writer, a [Server] that hands each message to a handler and writes the
// ACK it returns, and a [Client] that sends and waits for the ACK. MLLP
// release 2 commit acknowledgements (<SB><ACK><EB><CR> and <SB><NAK><EB><CR>)
// are recognised by [IsCommitAck]; HL7 acknowledgement messages are read
// with [hl7.Message.Ack].
//
// For passive use (captures that start mid-stream, lose packets or hold
// junk) a [StreamDecoder] takes the bytes of one TCP direction in chunks of
// any size ([StreamDecoder.Feed]), returns frames from [StreamDecoder.Next]
// until [ErrNeedMore], resynchronises on the next start block and reports
// damaged frames as [*FrameError]s with their stream offset. [Sniff] tells
// whether the first bytes of a stream carry MLLP.
//
// Limits: every reader and decoder has a MaxFrameSize field, 0 meaning
// [DefaultMaxFrameSize] (16 MiB); no buffer grows past it. A [Server] also
// caps its connections in all and per source address, the time a frame
// may take, and the memory the frames being received hold together
// ([Server.Stats] counts what these refused).
//
// Allocation: reading and decoding frames allocate nothing once the buffer
// has grown to the largest frame seen (the StreamDecoder reports errors
// without allocating too); Sniff never allocates.
package mllp

import (
	"errors"
	"strconv"
)

// Framing bytes.
const (
	SB = 0x0B // start block
	EB = 0x1C // end block
	CR = 0x0D // carriage return after the end block

	CommitACK = 0x06 // MLLP release 2 commit acknowledgement payload
	CommitNAK = 0x15 // MLLP release 2 negative commit acknowledgement payload
)

// DefaultMaxFrameSize is the largest payload accepted unless configured.
const DefaultMaxFrameSize = 16 << 20

// Errors returned by this package, wrapped in a [*FrameError] when they
// concern a place in the stream.
var (
	ErrFrameTooLarge = errors.New("mllp: frame larger than the maximum size")
	ErrIncomplete    = errors.New("mllp: frame cut short (stream ended, bytes lost or new start block)")
	ErrJunk          = errors.New("mllp: bytes outside a frame")
	ErrClosed        = errors.New("mllp: closed")
	ErrAckTimeout    = errors.New("mllp: timed out waiting for the acknowledgement")
	ErrAckMismatch   = errors.New("mllp: acknowledgement does not match the message control ID")
	ErrNAK           = errors.New("mllp: message not accepted by the receiver")

	// ErrNeedMore is returned by StreamDecoder.Next when the bytes fed
	// so far hold no further frame or error.
	ErrNeedMore = errors.New("mllp: need more data")
)

// A FrameError reports a framing error and where in the stream it was
// found: Offset counts bytes from the start of the stream (the frame's
// start block for ErrIncomplete and ErrFrameTooLarge). Err is ErrJunk,
// ErrIncomplete or ErrFrameTooLarge.
type FrameError struct {
	Offset int64
	Err    error
}

func (e *FrameError) Error() string {
	return e.Err.Error() + " at offset " + strconv.FormatInt(e.Offset, 10)
}

func (e *FrameError) Unwrap() error { return e.Err }

// ByteOffset returns e.Offset, for callers that take the offset of errors
// from several packages through interface{ ByteOffset() int64 }.
func (e *FrameError) ByteOffset() int64 { return e.Offset }

// AppendFrame appends payload framed as <SB>payload<EB><CR> to dst.
func AppendFrame(dst, payload []byte) []byte {
	dst = append(dst, SB)
	dst = append(dst, payload...)
	return append(dst, EB, CR)
}

// IsCommitAck reports whether a frame payload is an MLLP release 2 commit
// acknowledgement, and whether it is positive (ACK) or negative (NAK).
func IsCommitAck(payload []byte) (positive, ok bool) {
	if len(payload) != 1 {
		return false, false
	}
	switch payload[0] {
	case CommitACK:
		return true, true
	case CommitNAK:
		return false, true
	}
	return false, false
}
