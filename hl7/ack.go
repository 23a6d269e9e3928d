package hl7

import (
	"math/rand/v2"
	"strconv"
	"sync/atomic"
	"time"
)

// An AckCode is an acknowledgement code, the value of MSA-1: original mode
// (AA, AE, AR) or enhanced mode commit acknowledgements (CA, CE, CR). The
// zero AckCode is no known code.
type AckCode uint8

// Acknowledgement codes.
const (
	AA AckCode = 1 + iota // application accept
	AE                    // application error
	AR                    // application reject
	CA                    // commit accept
	CE                    // commit error
	CR                    // commit reject
)

var ackCodeNames = [...]string{AA: "AA", AE: "AE", AR: "AR", CA: "CA", CE: "CE", CR: "CR"}

// String returns the code as it is written in MSA-1 ("AA"), or
// "AckCode(n)" for a value that is no known code.
func (c AckCode) String() string {
	if c.valid() {
		return ackCodeNames[c]
	}
	return "AckCode(" + strconv.Itoa(int(c)) + ")"
}

func (c AckCode) valid() bool { return c >= AA && c <= CR }

// Accepted reports whether c is AA or CA.
func (c AckCode) Accepted() bool { return c == AA || c == CA }

// Errored reports whether c is AE or CE: the receiver failed to process
// the message, which may be sent again.
func (c AckCode) Errored() bool { return c == AE || c == CE }

// Rejected reports whether c is AR or CR: the receiver refuses the
// message, which should not be sent again as it is.
func (c AckCode) Rejected() bool { return c == AR || c == CR }

// Commit reports whether c is an enhanced mode commit acknowledgement (CA,
// CE or CR).
func (c AckCode) Commit() bool { return c == CA || c == CE || c == CR }

// parseAckCode returns the code written as b, or 0. It is exact: "aa" or
// "AA " are no codes.
func parseAckCode(b []byte) AckCode {
	if len(b) == 2 {
		for c := AA; c <= CR; c++ {
			if string(b) == ackCodeNames[c] {
				return c
			}
		}
	}
	return 0
}

// An Ack is the acknowledgement a message carries in its MSA segment. Its
// views are raw (escaped) and valid as long as the Message's.
type Ack struct {
	Code      []byte // MSA-1, the acknowledgement code as sent; see Result
	ControlID []byte // MSA-2, the control ID (MSH-10) of the message acknowledged
	Text      []byte // MSA-3, the text message, if any

	m *Message
}

// IsAck reports whether m is an acknowledgement message: MSH-9-1 is ACK
// (or MCF, the 2.1 acknowledgement type).
func (m *Message) IsAck() bool {
	code := m.Type().Comp(1)
	return code.Equal("ACK") || code.Equal("MCF")
}

// Ack returns the fields of m's first MSA segment and reports whether m has
// one. Acknowledgement messages ([Message.IsAck]) must carry one, but
// application responses (ORR, RSP and others) may as well; without an MSA
// segment the Ack is empty. Ack allocates nothing.
func (m *Message) Ack() (Ack, bool) {
	msa, ok := m.SegmentByName("MSA", 1)
	if !ok {
		return Ack{}, false
	}
	return Ack{Code: msa.Field(1).Bytes(), ControlID: msa.Field(2).Bytes(), Text: msa.Field(3).Bytes(), m: m}, true
}

// Result returns the acknowledgement code, or 0 if MSA-1 holds no known
// code (which a sender should treat as not accepted).
func (a Ack) Result() AckCode { return parseAckCode(a.Code) }

// AppendText appends the reason given by a negative acknowledgement to
// dst, unescaped: MSA-3 or, when that gives nothing, ERR-8 (the user
// message of the first ERR segment, HL7 2.5 onwards).
func (a Ack) AppendText(dst []byte) []byte {
	if a.m == nil {
		return dst
	}
	n := len(dst)
	if msa, ok := a.m.SegmentByName("MSA", 1); ok {
		dst = msa.Field(3).AppendUnescaped(dst)
	}
	if len(dst) == n {
		if err, ok := a.m.SegmentByName("ERR", 1); ok {
			dst = err.Field(8).AppendUnescaped(dst)
		}
	}
	return dst
}

// AppendACK appends an acknowledgement of msg to dst: an MSH answering msg,
// MSA with code (a code that is no known one is written as AE), msg's
// control ID (MSH-10) and text, and, for an error code with text, an ERR
// segment (HL7 2.5 layout with ERR-3 code 207 and ERR-8 text; before 2.5,
// ERR-1). Segments end in CR. The ACK's MSH swaps the sending and receiving
// application and facility, stamps the current time, uses message type
// ACK^<trigger> (^ACK from 2.4), copies MSH-11 and MSH-12, and gives the
// ACK a control ID of its own as MSH-10 (see [AppendControlID]): only MSA-2
// names the message acknowledged. An unparsed (zero) msg gives an ACK with
// empty fields.
func AppendACK(dst []byte, msg *Message, code AckCode, text string) []byte {
	return AppendACKAt(dst, msg, code, text, time.Now(), "")
}

// AppendACKAt is AppendACK with a given timestamp for MSH-7 and control ID
// for MSH-10, for reproducible output; an empty controlID is generated from
// t by [AppendControlID].
func AppendACKAt(dst []byte, msg *Message, code AckCode, text string, t time.Time, controlID string) []byte {
	if !code.valid() {
		code = AE
	}
	d := msg.Delimiters()
	if d.Field == 0 {
		d = DefaultDelimiters
	}
	msh := msg.MSH()
	var b Builder
	b.Reset(dst, d)
	b.Segment("MSH")
	b.FieldRaw(msh.Field(5).Bytes())
	b.FieldRaw(msh.Field(6).Bytes())
	b.FieldRaw(msh.Field(3).Bytes())
	b.FieldRaw(msh.Field(4).Bytes())
	b.buf = append(b.buf, d.Field)
	b.buf = t.AppendFormat(b.buf, "20060102150405")
	b.Field("")
	b.Field("ACK")
	version := msh.Field(12).Comp(1).Bytes()
	if trigger := msh.Field(9).Comp(2).Bytes(); len(trigger) > 0 {
		b.CompRaw(trigger)
		if versionAtLeast(version, 4) {
			b.Comp("ACK")
		}
	}
	if controlID != "" {
		b.Field(controlID)
	} else {
		b.buf = append(b.buf, d.Field)
		b.buf = AppendControlID(b.buf, t)
	}
	b.FieldRaw(msh.Field(11).Bytes())
	b.FieldRaw(msh.Field(12).Bytes())
	b.Segment("MSA")
	b.Field(ackCodeNames[code])
	b.FieldRaw(msh.Field(10).Bytes())
	if text != "" {
		b.Field(text)
	}
	if text != "" && !code.Accepted() {
		b.Segment("ERR")
		if versionAtLeast(version, 5) || len(version) == 0 {
			b.Field("")
			b.Field("")
			b.Field("207")
			b.Comp("Application internal error")
			b.Comp("HL70357")
			b.Field("E")
			b.Field("")
			b.Field("")
			b.Field("")
			b.Field(text)
		} else {
			b.Field("")
			b.Comp("")
			b.Comp("")
			b.Comp("207")
			b.Sub("Application internal error")
			b.Sub("HL70357")
		}
	}
	return b.Bytes()
}

// controlSeq numbers the control IDs AppendControlID makes, from a random
// start so that two processes started together do not give the same IDs.
var controlSeq atomic.Uint64

func init() { controlSeq.Store(rand.Uint64N(1_000_000)) }

// AppendControlID appends a new message control ID (for MSH-10) to dst:
// the time t to the second (YYYYMMDDHHMMSS) and a six-digit sequence
// number, 20 characters in all, the length HL7 2.5 allows. The sequence
// number goes up by one on each call, from a random start, so the IDs of one
// process are unique unless it makes more than a million in one second.
func AppendControlID(dst []byte, t time.Time) []byte {
	dst = t.AppendFormat(dst, "20060102150405")
	n := controlSeq.Add(1) % 1_000_000
	for d := uint64(100_000); d > 0; d /= 10 {
		dst = append(dst, byte('0'+n/d%10))
	}
	return dst
}

// versionAtLeast reports whether an HL7 version string "2.x[.y]" has minor
// version ≥ minor.
func versionAtLeast(v []byte, minor int) bool {
	if len(v) < 3 || v[0] != '2' || v[1] != '.' {
		return false
	}
	n := 0
	for _, c := range v[2:] {
		if c < '0' || c > '9' {
			break
		}
		n = n*10 + int(c-'0')
		if n > 1000 {
			break
		}
	}
	return n >= minor
}
