package flow

import (
	"time"

	"github.com/medtap/medtap/legacy/astm"
)

// ASTM E1381/E1394 between laboratory analysers and the LIS, often bridged
// from a serial port to TCP. There is no assigned port: the content decides,
// and the default data ports of common serial-to-Ethernet servers (Moxa
// NPort 4001, Lantronix 10001) are a fallback.
func init() {
	Register(Protocol{
		Name:      "astm",
		Transport: TCP,
		Ports:     []uint16{4001, 10001},
		Match:     matchASTM,
		New:       func() Decoder { return new(astmDecoder) },
	})
}

// matchASTM recognises the first bytes of an ASTM direction: a lone ENQ (the
// request to send that opens every E1381 transfer), ENQ or STX followed by a
// frame that starts with a record, or an unframed header record.
func matchASTM(dir Dir, data []byte) bool {
	if len(data) == 0 {
		return false
	}
	switch data[0] {
	case astm.ENQ:
		if len(data) == 1 {
			return true
		}
		return data[1] == astm.STX && matchASTMFrame(data[1:])
	case astm.STX:
		return matchASTMFrame(data)
	case 'H':
		return matchASTMHeader(data)
	}
	return false
}

// matchASTMFrame checks STX, a frame number and the start of a record.
func matchASTMFrame(b []byte) bool {
	if len(b) < 4 || b[1] < '0' || b[1] > '7' {
		return false
	}
	if b[2] == 'H' {
		return matchASTMHeader(b[2:])
	}
	return b[2] >= 'A' && b[2] <= 'Z' && b[3] == '|'
}

// matchASTMHeader checks for "H" and four distinct delimiters followed by the
// field delimiter, as in `H|\^&|`.
func matchASTMHeader(b []byte) bool {
	if len(b) < 6 {
		return false
	}
	_, err := astm.ParseRecord(b[:5], astm.DefaultDelimiters)
	return err == nil && b[5] == b[1]
}

// ASTMSession is the Detail of "session" events: the header record that
// opens an ASTM message, naming the sender (usually the analyser's model,
// serial number and software version, in a vendor-specific order). Its
// views are valid only during the event.
type ASTMSession struct {
	Header astm.Header
}

// AppendJSON implements [Detail].
func (s *ASTMSession) AppendJSON(dst []byte) []byte {
	h := &s.Header
	dst = AppendBytes(dst, "sender_name", h.SenderName())
	dst = appendNonEmpty(dst, "sender", h.Sender)
	dst = appendNonEmpty(dst, "receiver", h.Receiver)
	dst = appendNonEmpty(dst, "processing_id", h.ProcessingID)
	dst = appendNonEmpty(dst, "version", h.Version)
	dst = appendNonEmpty(dst, "time", h.Time)
	return dst
}

// ASTMRecord is the Detail of "record" events, one per patient (P), order
// (O), result (R), request (Q), comment (C), manufacturer (M), scientific (S)
// or terminator (L) record. Record is the whole record; the other fields
// summarise it according to its type. Patient names and birth dates are left
// out of the JSON. Views are valid only during the event.
type ASTMRecord struct {
	Record astm.Record
	Seq    int
	// Patient: the practice assigned, laboratory assigned and third IDs.
	PatientID, LabPatientID, PatientID3 []byte
	// Order: specimen, requested tests, priority, action code, report type.
	Specimen, Tests, Priority, Action, ReportType []byte
	// Result: test ID and its most specific code, value, units, flags,
	// status, completion (or start) time, instrument. A scientific record
	// fills Value and Units too.
	TestID, TestCode, Value, Units, Flags, Status, Time, Instrument []byte
	// Query: starting range ID and request status.
	Range, RequestStatus []byte
	// Comment: its text, source (P practice, L information system, I
	// instrument) and type (G generic, T test name, P positive, N negative,
	// I instrument flag), and the record it annotates: the last record
	// other than a comment in this direction's transfer (Annotates is 0 when
	// there is none; AnnotatesSeq is -1 for a header or a record without a
	// sequence number).
	Text, Source, CommentType []byte
	Annotates                 astm.RecordType
	AnnotatesSeq              int
	// Manufacturer: the vendor's record kind, the first component of M.3
	// ("HISTOGRAM", "MATRIX", ...).
	ManufacturerType []byte
	// Scientific: the analyte (S.12); the result and its units are in Value
	// and Units.
	Analyte []byte
	// Terminator: the termination code (L.3) and its meaning (see
	// [astm.Terminator.Meaning]; "" for an unknown code).
	Termination        []byte
	TerminationMeaning string
}

// AppendJSON implements [Detail].
func (r *ASTMRecord) AppendJSON(dst []byte) []byte {
	dst = AppendString(dst, "record", r.Record.Type.String())
	dst = AppendInt(dst, "seq", int64(r.Seq))
	switch r.Record.Type {
	case astm.TypePatient:
		dst = appendNonEmpty(dst, "patient_id", r.PatientID)
		dst = appendNonEmpty(dst, "lab_patient_id", r.LabPatientID)
		dst = appendNonEmpty(dst, "patient_id3", r.PatientID3)
	case astm.TypeOrder:
		dst = appendNonEmpty(dst, "specimen", r.Specimen)
		dst = appendNonEmpty(dst, "tests", r.Tests)
		dst = appendNonEmpty(dst, "priority", r.Priority)
		dst = appendNonEmpty(dst, "action", r.Action)
		dst = appendNonEmpty(dst, "report_type", r.ReportType)
	case astm.TypeResult:
		dst = appendNonEmpty(dst, "test", r.TestCode)
		dst = appendNonEmpty(dst, "test_id", r.TestID)
		dst = AppendBytes(dst, "value", r.Value)
		dst = appendNonEmpty(dst, "units", r.Units)
		dst = appendNonEmpty(dst, "flags", r.Flags)
		dst = appendNonEmpty(dst, "status", r.Status)
		dst = appendNonEmpty(dst, "time", r.Time)
		dst = appendNonEmpty(dst, "instrument", r.Instrument)
	case astm.TypeQuery:
		dst = appendNonEmpty(dst, "range", r.Range)
		dst = appendNonEmpty(dst, "tests", r.Tests)
		dst = appendNonEmpty(dst, "status", r.RequestStatus)
	case astm.TypeComment:
		dst = AppendBytes(dst, "text", r.Text)
		dst = appendNonEmpty(dst, "source", r.Source)
		dst = appendNonEmpty(dst, "comment_type", r.CommentType)
		if r.Annotates != 0 {
			dst = AppendString(dst, "annotates", r.Annotates.String())
			if r.AnnotatesSeq >= 0 {
				dst = AppendInt(dst, "annotates_seq", int64(r.AnnotatesSeq))
			}
		}
	case astm.TypeManufacturer:
		dst = appendNonEmpty(dst, "manufacturer_type", r.ManufacturerType)
	case astm.TypeScientific:
		dst = appendNonEmpty(dst, "analyte", r.Analyte)
		dst = appendNonEmpty(dst, "value", r.Value)
		dst = appendNonEmpty(dst, "units", r.Units)
	case astm.TypeTerminator:
		dst = appendNonEmpty(dst, "termination", r.Termination)
		if r.TerminationMeaning != "" {
			dst = AppendString(dst, "termination_meaning", r.TerminationMeaning)
		}
	}
	return dst
}

// ASTMChecksumError is the Detail of "checksum-error" events: a frame whose
// checksum does not match its content, which the receiver should refuse.
type ASTMChecksumError struct {
	Offset   int64 // of the frame's STX in the direction's stream
	Frame    int   // frame number
	Checksum byte  // carried by the frame
	Computed byte  // computed over the frame
}

// AppendJSON implements [Detail].
func (e *ASTMChecksumError) AppendJSON(dst []byte) []byte {
	dst = AppendInt(dst, "offset", e.Offset)
	dst = AppendInt(dst, "frame", int64(e.Frame))
	dst = AppendInt(dst, "checksum", int64(e.Checksum))
	return AppendInt(dst, "computed", int64(e.Computed))
}

func appendNonEmpty(dst []byte, key string, v []byte) []byte {
	if len(v) == 0 {
		return dst
	}
	return AppendBytes(dst, key, v)
}

// astmDecoder runs one astm.Decoder per direction and turns its items into
// events. The Details are reused from event to event.
// ASTMLink is the Detail of "contention" and "timeout" events: what a
// passive observer can see of E1381's link states. Contention is an ENQ
// answered by an ENQ; a timeout is a reply to an ENQ or frame that came
// later than the sender's 15 s timer, or a frame that came later than the
// receiver's 30 s timer after the previous reply.
type ASTMLink struct {
	Awaiting string // "reply" (the sender waited) or "frame" (the receiver waited)
	WaitedMS int64
}

// AppendJSON implements [Detail].
func (l *ASTMLink) AppendJSON(dst []byte) []byte {
	if l.Awaiting == "" {
		return dst
	}
	dst = AppendString(dst, "awaiting", l.Awaiting)
	return AppendInt(dst, "waited_ms", l.WaitedMS)
}

// E1381 timers.
const (
	astmSenderTimeout   = 15 * time.Second // waiting for a reply to ENQ or a frame
	astmReceiverTimeout = 30 * time.Second // waiting for the next frame
)

type astmDecoder struct {
	dec  [2]astm.Decoder
	sess ASTMSession
	rec  ASTMRecord
	cks  ASTMChecksumError
	link ASTMLink

	// The last record other than a comment per direction, which the next
	// comment annotates; cleared at ENQ, EOT, L and gaps.
	lastType [2]astm.RecordType
	lastSeq  [2]int

	// Link state per direction of the sender.
	enqPending [2]bool      // sent ENQ, no reply yet
	waitReply  [2]time.Time // sent ENQ or a frame at this time, no reply yet
	lastReply  [2]time.Time // the other side last acknowledged this one at this time
}

func (a *astmDecoder) Data(c *Context, dir Dir, data []byte) {
	d := &a.dec[dir&1]
	d.Feed(data)
	for {
		it, err := d.Next()
		if err == astm.ErrNeedMore {
			return
		}
		if err != nil {
			a.error(c, dir, it, err)
		}
		switch it.Kind {
		case astm.KindRecord:
			a.record(c, dir, it.Record)
		case astm.KindENQ, astm.KindEOT:
			a.lastType[dir&1] = 0
			a.linkState(c, dir, it.Kind)
		case astm.KindACK, astm.KindNAK, astm.KindFrame:
			a.linkState(c, dir, it.Kind)
		}
	}
}

// linkState follows the E1381 exchange across both directions and reports
// contention and timeouts.
func (a *astmDecoder) linkState(c *Context, dir Dir, k astm.Kind) {
	d, o := dir&1, (dir&1)^1
	now := c.Time()
	switch k {
	case astm.KindENQ:
		if a.enqPending[o] {
			// Both sides want to send; E1381 gives the line to the instrument.
			a.enqPending[o], a.waitReply[o] = false, time.Time{}
			c.Emit(dir, "contention", &a.link)
			return
		}
		a.enqPending[d] = true
		a.waitReply[d] = now
		a.lastReply[d] = time.Time{}
	case astm.KindFrame:
		if t := a.lastReply[d]; !t.IsZero() && now.Sub(t) > astmReceiverTimeout {
			a.timeout(c, dir, "frame", now.Sub(t))
		}
		a.waitReply[d] = now
	case astm.KindACK, astm.KindNAK, astm.KindEOT:
		// A reply from d to o, unless d itself is ending its transfer.
		if k == astm.KindEOT && a.waitReply[o].IsZero() {
			a.waitReply[d], a.lastReply[d], a.enqPending[d] = time.Time{}, time.Time{}, false
			return
		}
		if t := a.waitReply[o]; !t.IsZero() && now.Sub(t) > astmSenderTimeout {
			a.timeout(c, dir, "reply", now.Sub(t))
		}
		a.enqPending[o] = false
		a.waitReply[o] = time.Time{}
		a.lastReply[o] = now
		if k == astm.KindEOT {
			a.lastReply[o] = time.Time{}
		}
	}
}

func (a *astmDecoder) timeout(c *Context, dir Dir, awaiting string, waited time.Duration) {
	a.link = ASTMLink{Awaiting: awaiting, WaitedMS: waited.Milliseconds()}
	c.Emit(dir, "timeout", &a.link)
	a.link = ASTMLink{}
}

func (a *astmDecoder) error(c *Context, dir Dir, it astm.Item, err error) {
	var off int64 = -1
	if e, ok := err.(*astm.Error); ok {
		off = e.Offset
		if e.Err == astm.ErrChecksum && it.Kind == astm.KindFrame {
			a.cks = ASTMChecksumError{Offset: it.Offset, Frame: it.Frame.Number, Checksum: it.Frame.Checksum, Computed: it.Frame.Sum}
			c.Emit(dir, "checksum-error", &a.cks)
			a.cks = ASTMChecksumError{}
			return
		}
	}
	c.DecodeError(dir, off, err)
}

func (a *astmDecoder) record(c *Context, dir Dir, r astm.Record) {
	d := dir & 1
	switch r.Type {
	case astm.TypeHeader:
		h, err := r.Header()
		if err != nil {
			return
		}
		a.lastType[d], a.lastSeq[d] = astm.TypeHeader, -1
		a.sess.Header = h
		c.Emit(dir, "session", &a.sess)
		a.sess = ASTMSession{}
		return
	case astm.TypePatient:
		p, _ := r.Patient()
		a.rec = ASTMRecord{Seq: p.Seq, PatientID: p.PracticeID, LabPatientID: p.LabID, PatientID3: p.PatientID3}
	case astm.TypeOrder:
		o, _ := r.Order()
		a.rec = ASTMRecord{Seq: o.Seq, Specimen: o.SpecimenID, Tests: o.TestID, Priority: o.Priority,
			Action: o.ActionCode, ReportType: o.ReportType}
	case astm.TypeResult:
		res, _ := r.Result()
		t := res.CompletedAt
		if len(t) == 0 {
			t = res.StartedAt
		}
		a.rec = ASTMRecord{Seq: res.Seq, TestID: res.TestID, TestCode: res.TestCode(), Value: res.Value,
			Units: res.Units, Flags: res.Flags, Status: res.Status, Time: t, Instrument: res.Instrument}
	case astm.TypeQuery:
		q, _ := r.Query()
		a.rec = ASTMRecord{Seq: q.Seq, Range: q.StartRange, Tests: q.TestID, RequestStatus: q.Status}
	case astm.TypeComment:
		cm, _ := r.Comment()
		a.rec = ASTMRecord{Seq: cm.Seq, Text: cm.Text, Source: cm.Source, CommentType: cm.Type,
			Annotates: a.lastType[d], AnnotatesSeq: a.lastSeq[d]}
	case astm.TypeManufacturer:
		m, _ := r.Manufacturer()
		a.rec = ASTMRecord{Seq: m.Seq, ManufacturerType: m.KindName()}
	case astm.TypeScientific:
		s, _ := r.Scientific()
		a.rec = ASTMRecord{Seq: s.Seq, Analyte: s.Analyte, Value: s.Result, Units: s.ResultUnits}
	case astm.TypeTerminator:
		l, _ := r.Terminator()
		a.rec = ASTMRecord{Seq: l.Seq, Termination: l.Code, TerminationMeaning: l.Meaning()}
	default:
		return
	}
	switch r.Type {
	case astm.TypeComment:
	case astm.TypeTerminator:
		a.lastType[d] = 0
	default:
		a.lastType[d], a.lastSeq[d] = r.Type, a.rec.Seq
	}
	a.rec.Record = r
	c.Emit(dir, "record", &a.rec)
	a.rec = ASTMRecord{}
}

func (a *astmDecoder) Gap(c *Context, dir Dir, n int) {
	a.dec[dir&1].Gap(n)
	a.lastType[dir&1] = 0
}

func (a *astmDecoder) Close(c *Context) {}

// Buffered implements the engine's memory accounting.
func (d *astmDecoder) Buffered() int { return d.dec[0].Buffered() + d.dec[1].Buffered() }
