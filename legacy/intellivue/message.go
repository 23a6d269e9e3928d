package intellivue

import (
	"encoding/binary"
	"errors"
	"strconv"
)

// Ports used by the protocol.
const (
	ConnectIndicationPort = 24005 // UDP, broadcast by the monitor
	DataExportPort        = 24105 // UDP, association and data export
)

// Sentinel errors, wrapped in an [*Error] carrying the offset.
var (
	ErrTruncated = errors.New("intellivue: truncated message")
	ErrLength    = errors.New("intellivue: length field exceeds the message")
	ErrUnknown   = errors.New("intellivue: not an IntelliVue data export message")
	// ErrNotPoll and ErrNoAttributes are returned, unwrapped, by accessors
	// called on a message they do not apply to.
	ErrNotPoll      = errors.New("intellivue: not a poll message")
	ErrNoAttributes = errors.New("intellivue: not a connect indication or MDS create event")
	// ErrNoUserInfo is returned unwrapped for a message that is not an
	// association request or response, and wrapped with the offset when
	// one carries no MDSE user information.
	ErrNoUserInfo = errors.New("intellivue: no MDSE user information")
)

// Error is the error type of this package: a sentinel and the byte offset in
// the datagram where the problem was found.
type Error struct {
	Offset int64 // bytes from the start of the datagram
	Err    error
}

func (e *Error) Error() string {
	return e.Err.Error() + " at offset " + strconv.FormatInt(e.Offset, 10)
}

// Unwrap returns the sentinel.
func (e *Error) Unwrap() error { return e.Err }

// ByteOffset returns e.Offset.
func (e *Error) ByteOffset() int64 { return e.Offset }

func errAt(off int, err error) error { return &Error{Offset: int64(off), Err: err} }

// Kind is the kind of a message.
type Kind uint8

// Message kinds.
const (
	KindConnectIndication Kind = iota + 1 // event report broadcast on port 24005
	KindAssocRequest                      // session CN SPDU (0x0D)
	KindAssocResponse                     // session AC SPDU (0x0E)
	KindRefuse                            // session RF SPDU (0x0C)
	KindReleaseRequest                    // session FN SPDU (0x09)
	KindReleaseResponse                   // session DN SPDU (0x0A)
	KindAbort                             // session AB SPDU (0x19)
	KindDataExport                        // SPpdu 0xE100 with a remote operation
)

var kindNames = [...]string{"", "connect-indication", "associate-rq", "associate-ac", "associate-rj",
	"release-rq", "release-rp", "abort", "data-export"}

// String returns the kind's name as events report it: "connect-indication",
// "associate-rq", "associate-ac", "associate-rj", "release-rq",
// "release-rp", "abort" or "data-export"; "Kind(9)" for another value.
func (k Kind) String() string {
	if k > 0 && int(k) < len(kindNames) {
		return kindNames[k]
	}
	return "Kind(" + strconv.Itoa(int(k)) + ")"
}

// A Message is one decoded datagram. Views are valid as long as the datagram.
type Message struct {
	Kind Kind
	// Session SPDU of association control messages, and the user data
	// that follows the SPDU header.
	SPDU     SPDU
	UserData []byte
	userOff  int // offset of UserData in the datagram

	// Data export: the presentation context and the remote operation.
	Context     uint16
	RO          ROType // ROInvoke, ROResult, ROError, ROLinkedResult
	InvokeID    uint16
	Command     Command     // for ROInvoke, ROResult, ROLinkedResult
	LinkedState LinkedState // for ROLinkedResult: LinkedFirst, LinkedMore, LinkedLast
	LinkedCount uint8
	ErrorValue  ErrorValue // for ROError

	// The command's managed object, and the event or action type with its
	// body (event info, action argument or action result).
	ObjClass              ObjectClass
	ObjContext, ObjHandle uint16
	EventType             EventType  // event reports
	ActionType            ActionType // actions
	EventTime             uint32     // relative time of an event report
	Body                  []byte
	bodyOff               int // offset of Body in the datagram
}

// bodyReader returns a reader over Body whose offsets are those of the
// datagram.
func (m *Message) bodyReader() reader {
	if m.bodyOff < 0 || len(m.Body) == 0 {
		return reader{b: m.Body}
	}
	return reader{b: m.Body[:len(m.Body):len(m.Body)], base: m.bodyOff}
}

type reader struct {
	b     []byte
	off   int
	base  int // added to offsets in errors
	err   error
	quiet bool // errors are errQuiet, which costs no allocation (for Sniff)
}

// errQuiet is the error of a quiet reader: Sniff needs to know only that
// there is one.
var errQuiet = errors.New("intellivue: malformed message")

func (r *reader) u8() uint8 {
	if r.err != nil || r.off+1 > len(r.b) {
		r.fail(ErrTruncated)
		return 0
	}
	v := r.b[r.off]
	r.off++
	return v
}

func (r *reader) u16() uint16 {
	if r.err != nil || r.off+2 > len(r.b) {
		r.fail(ErrTruncated)
		return 0
	}
	v := binary.BigEndian.Uint16(r.b[r.off:])
	r.off += 2
	return v
}

func (r *reader) u32() uint32 {
	if r.err != nil || r.off+4 > len(r.b) {
		r.fail(ErrTruncated)
		return 0
	}
	v := binary.BigEndian.Uint32(r.b[r.off:])
	r.off += 4
	return v
}

// bytes returns the next n bytes, checking n against what remains.
func (r *reader) bytes(n int) []byte {
	if r.err != nil {
		return nil
	}
	if n < 0 || n > len(r.b)-r.off {
		r.fail(ErrLength)
		return nil
	}
	v := r.b[r.off : r.off+n : r.off+n]
	r.off += n
	return v
}

func (r *reader) fail(err error) {
	if r.err == nil {
		r.err = r.errAt(r.base+r.off, err)
	}
}

// errAt returns err at offset off, or errQuiet for a quiet reader.
func (r *reader) errAt(off int, err error) error {
	if r.quiet {
		return errQuiet
	}
	return errAt(off, err)
}

// Parse decodes the headers of one datagram.
func Parse(b []byte) (Message, error) {
	var m Message
	if len(b) < 2 {
		return m, errAt(0, ErrTruncated)
	}
	switch {
	case b[0] == 0xE1 && b[1] == 0x00:
		return parseDataExport(reader{b: b})
	case len(b) >= 6 && b[0] == 0 && b[1] == 0 && b[4] == 0 && b[5] == byte(ROInvoke):
		// A 32-bit nomenclature version, then an event report.
		return parseConnectIndication(reader{b: b})
	}
	switch SPDU(b[0]) {
	case SPDUConnect, SPDUAccept, SPDURefuse, SPDUFinish, SPDUDisconnect, SPDUAbort:
		return parseSession(b)
	}
	return m, errAt(0, ErrUnknown)
}

// parseSession reads an association control message: the SPDU identifier
// and its length indicator (one byte, or 0xFF and two bytes).
func parseSession(b []byte) (Message, error) {
	r := reader{b: b}
	m := Message{SPDU: SPDU(r.u8())}
	switch m.SPDU {
	case SPDUConnect:
		m.Kind = KindAssocRequest
	case SPDUAccept:
		m.Kind = KindAssocResponse
	case SPDURefuse:
		m.Kind = KindRefuse
	case SPDUFinish:
		m.Kind = KindReleaseRequest
	case SPDUDisconnect:
		m.Kind = KindReleaseResponse
	case SPDUAbort:
		m.Kind = KindAbort
	}
	n := int(r.u8())
	if n == 0xFF {
		n = int(r.u16())
	}
	m.userOff = r.off
	m.UserData = r.bytes(n)
	return m, r.err
}

// parseDataExport reads SPpdu, ROapdus and the remote operation.
func parseDataExport(r reader) (Message, error) {
	r.u16() // session_id 0xE100
	m := Message{Kind: KindDataExport, Context: r.u16()}
	parseRO(&r, &m)
	return m, r.err
}

// parseConnectIndication reads the nomenclature version and an event report
// that must be a connect indication.
func parseConnectIndication(r reader) (Message, error) {
	r.u32() // nomenclature version
	m := Message{Kind: KindConnectIndication}
	parseRO(&r, &m)
	if r.err == nil && (m.RO != ROInvoke || m.EventType != NotiConnectIndication) {
		return m, r.errAt(0, ErrUnknown)
	}
	return m, r.err
}

// sub returns a reader over the next n bytes (offsets stay those of the
// datagram) and skips them in r.
func (r *reader) sub(n int) reader {
	if r.err != nil {
		return reader{err: r.err}
	}
	if n < 0 || n > len(r.b)-r.off {
		r.fail(ErrLength)
		return reader{err: r.err}
	}
	s := reader{b: r.b[:r.off+n], off: r.off, base: r.base, quiet: r.quiet}
	r.off += n
	return s
}

// rest returns the unread bytes.
func (r *reader) rest() []byte {
	if r.err != nil {
		return nil
	}
	return r.b[r.off:len(r.b):len(r.b)]
}

// parseRO reads ROapdus and the operation inside, limiting every length to
// what the enclosing one declares.
func parseRO(r *reader, m *Message) {
	m.RO = ROType(r.u16())
	ro := r.sub(int(r.u16()))
	defer func() {
		if r.err == nil {
			r.err = ro.err
		}
	}()
	switch m.RO {
	case ROError:
		m.InvokeID = ro.u16()
		m.ErrorValue = ErrorValue(ro.u16())
		m.bodyOff = ro.off + 2
		m.Body = ro.bytes(int(ro.u16()))
		return
	case ROLinkedResult:
		m.LinkedState = LinkedState(ro.u8())
		m.LinkedCount = ro.u8()
	case ROInvoke, ROResult:
	default:
		m.bodyOff = ro.off
		m.Body = ro.rest()
		return
	}
	m.InvokeID = ro.u16()
	m.Command = Command(ro.u16())
	cmd := ro.sub(int(ro.u16()))
	m.ObjClass = ObjectClass(cmd.u16())
	m.ObjContext = cmd.u16()
	m.ObjHandle = cmd.u16()
	switch {
	case m.Command == CmdEventReport || m.Command == CmdConfirmedEventReport:
		m.EventTime = cmd.u32() // event_time (invoke) or current_time (result)
		m.EventType = EventType(cmd.u16())
		n := int(cmd.u16())
		if m.RO == ROInvoke {
			m.bodyOff = cmd.off
			m.Body = cmd.bytes(n)
		}
	case m.Command == CmdConfirmedAction:
		if m.RO == ROInvoke {
			cmd.u32() // scope
		}
		m.ActionType = ActionType(cmd.u16())
		n := int(cmd.u16())
		m.bodyOff = cmd.off
		m.Body = cmd.bytes(n)
	default: // GET, SET: the rest of the command
		m.bodyOff = cmd.off
		m.Body = cmd.rest()
	}
	if ro.err == nil {
		ro.err = cmd.err
	}
}
