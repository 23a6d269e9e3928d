// Package astmflow is the flow adapter for ASTM E1381/E1394 between
// laboratory analysers and the LIS, often bridged from a serial port to
// TCP: importing it registers protocol "astm" with package flow. There is
// no assigned port: the content decides, and the default data ports of
// common serial-to-Ethernet servers (Moxa NPort 4001, Lantronix 10001) are
// a fallback.
package astmflow

import (
	"time"

	"github.com/medtap/medtap/flow"

	"github.com/medtap/medtap/legacy/astm"
)

// Name is the protocol's name in events and [flow.Config.Protocols].
const Name = "astm"

// The kinds of event the adapter emits, with their Detail.
const (
	KindSession       flow.Kind = "session"        // a header record opening a message: [*Session]
	KindRecord        flow.Kind = "record"         // every other record: [*Record]
	KindChecksumError flow.Kind = "checksum-error" // a frame the receiver should refuse: [*ChecksumError]
	KindContention    flow.Kind = "contention"     // an ENQ answered by an ENQ: [*Link]
	KindTimeout       flow.Kind = "timeout"        // a reply or frame later than E1381's timers: [*Link]
	// Framing errors are reported as [flow.KindError].
)

func init() {
	flow.Register(flow.Protocol{
		Name:      Name,
		Transport: flow.TCP,
		Ports:     []uint16{4001, 10001},
		Match:     astm.Sniff,
		New:       func() flow.Decoder { return new(decoder) },
	})
}

// Session is the Detail of "session" events: the header record that
// opens an ASTM message, naming the sender (usually the analyser's model,
// serial number and software version, in a vendor-specific order). Its
// views are valid only during the event.
type Session struct {
	Header astm.Header
}

// AppendJSON implements [flow.Detail].
func (s *Session) AppendJSON(dst []byte) []byte {
	h := &s.Header
	dst = flow.AppendBytes(dst, "sender_name", h.SenderName())
	dst = flow.AppendNonEmpty(dst, "sender", h.Sender)
	dst = flow.AppendNonEmpty(dst, "receiver", h.Receiver)
	dst = flow.AppendNonEmpty(dst, "processing_id", h.ProcessingID)
	dst = flow.AppendNonEmpty(dst, "version", h.Version)
	dst = flow.AppendNonEmpty(dst, "time", h.Time)
	return dst
}

// Identify implements [flow.Identifier]: the sender name of the header.
func (s *Session) Identify(k flow.Kind, buf []byte, yield func(flow.Identity)) {
	yield(flow.Identity{Source: true, Kind: "astm", Name: s.Header.SenderName()})
}

// Record is the Detail of "record" events, one per patient (P), order
// (O), result (R), request (Q), comment (C), manufacturer (M), scientific (S)
// or terminator (L) record. Record is the whole record; the other fields
// summarise it according to its type. Patient names and birth dates are left
// out of the JSON; patient and specimen IDs follow the engine's PHI policy
// ([flow.Config.PHI]: hashed by default). Views are valid only during the
// event.
type Record struct {
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
	phi                *flow.PHI // the engine's, for patient and specimen IDs
}

// AppendJSON implements [flow.Detail].
func (r *Record) AppendJSON(dst []byte) []byte {
	dst = flow.AppendString(dst, "record", r.Record.Type.String())
	dst = flow.AppendInt(dst, "seq", int64(r.Seq))
	switch r.Record.Type {
	case astm.TypePatient:
		dst = r.phi.AppendNonEmpty(dst, "patient_id", r.PatientID)
		dst = r.phi.AppendNonEmpty(dst, "lab_patient_id", r.LabPatientID)
		dst = r.phi.AppendNonEmpty(dst, "patient_id3", r.PatientID3)
	case astm.TypeOrder:
		dst = r.phi.AppendNonEmpty(dst, "specimen", r.Specimen)
		dst = flow.AppendNonEmpty(dst, "tests", r.Tests)
		dst = flow.AppendNonEmpty(dst, "priority", r.Priority)
		dst = flow.AppendNonEmpty(dst, "action", r.Action)
		dst = flow.AppendNonEmpty(dst, "report_type", r.ReportType)
	case astm.TypeResult:
		dst = flow.AppendNonEmpty(dst, "test", r.TestCode)
		dst = flow.AppendNonEmpty(dst, "test_id", r.TestID)
		dst = flow.AppendBytes(dst, "value", r.Value)
		dst = flow.AppendNonEmpty(dst, "units", r.Units)
		dst = flow.AppendNonEmpty(dst, "flags", r.Flags)
		dst = flow.AppendNonEmpty(dst, "status", r.Status)
		dst = flow.AppendNonEmpty(dst, "time", r.Time)
		dst = flow.AppendNonEmpty(dst, "instrument", r.Instrument)
	case astm.TypeQuery:
		dst = flow.AppendNonEmpty(dst, "range", r.Range)
		dst = flow.AppendNonEmpty(dst, "tests", r.Tests)
		dst = flow.AppendNonEmpty(dst, "status", r.RequestStatus)
	case astm.TypeComment:
		dst = flow.AppendBytes(dst, "text", r.Text)
		dst = flow.AppendNonEmpty(dst, "source", r.Source)
		dst = flow.AppendNonEmpty(dst, "comment_type", r.CommentType)
		if r.Annotates != 0 {
			dst = flow.AppendString(dst, "annotates", r.Annotates.String())
			if r.AnnotatesSeq >= 0 {
				dst = flow.AppendInt(dst, "annotates_seq", int64(r.AnnotatesSeq))
			}
		}
	case astm.TypeManufacturer:
		dst = flow.AppendNonEmpty(dst, "manufacturer_type", r.ManufacturerType)
	case astm.TypeScientific:
		dst = flow.AppendNonEmpty(dst, "analyte", r.Analyte)
		dst = flow.AppendNonEmpty(dst, "value", r.Value)
		dst = flow.AppendNonEmpty(dst, "units", r.Units)
	case astm.TypeTerminator:
		dst = flow.AppendNonEmpty(dst, "termination", r.Termination)
		if r.TerminationMeaning != "" {
			dst = flow.AppendString(dst, "termination_meaning", r.TerminationMeaning)
		}
	}
	return dst
}

// ChecksumError is the Detail of "checksum-error" events: a frame whose
// checksum does not match its content, which the receiver should refuse.
type ChecksumError struct {
	Offset   int64 // of the frame's STX in the direction's stream
	Frame    int   // frame number
	Checksum byte  // carried by the frame
	Computed byte  // computed over the frame
}

// AppendJSON implements [flow.Detail].
func (e *ChecksumError) AppendJSON(dst []byte) []byte {
	dst = flow.AppendInt(dst, "offset", e.Offset)
	dst = flow.AppendInt(dst, "frame", int64(e.Frame))
	dst = flow.AppendInt(dst, "checksum", int64(e.Checksum))
	return flow.AppendInt(dst, "computed", int64(e.Computed))
}

// Link is the Detail of "contention" and "timeout" events: what a
// passive observer can see of E1381's link states. Contention is an ENQ
// answered by an ENQ; a timeout is a reply to an ENQ or frame that came
// later than the sender's 15 s timer, or a frame that came later than the
// receiver's 30 s timer after the previous reply.
type Link struct {
	Awaiting string // "reply" (the sender waited) or "frame" (the receiver waited)
	WaitedMS int64
}

// AppendJSON implements [flow.Detail].
func (l *Link) AppendJSON(dst []byte) []byte {
	if l.Awaiting == "" {
		return dst
	}
	dst = flow.AppendString(dst, "awaiting", l.Awaiting)
	return flow.AppendInt(dst, "waited_ms", l.WaitedMS)
}

// decoder runs one astm.Decoder per direction and turns its items into
// events. The Details are reused from event to event.
type decoder struct {
	dec  [2]astm.Decoder
	ann  [2]astm.Annotator // what the next comment of each direction annotates
	link astm.Link         // E1381 link states across both directions
	sess Session
	rec  Record
	cks  ChecksumError
	lnk  Link
}

func (a *decoder) Data(c *flow.Context, dir flow.Dir, data []byte) {
	d := &a.dec[dir&1]
	d.MaxRecord = c.MaxMessageBytes() // 0: astm's default
	d.Feed(data)
	for {
		it, err := d.Next()
		if err == astm.ErrNeedMore {
			return
		}
		if err != nil {
			a.error(c, dir, it, err)
		}
		typ, seq := a.ann[dir&1].Observe(it)
		switch ev := a.link.Observe(int(dir&1), it.Kind, c.Time()); ev.Kind {
		case astm.LinkContention:
			c.Emit(dir, KindContention, &a.lnk)
		case astm.LinkTimeout:
			a.timeout(c, dir, ev.Awaiting.String(), ev.Waited)
		}
		if it.Kind == astm.KindRecord {
			a.record(c, dir, it.Record, typ, seq)
		}
	}
}

func (a *decoder) timeout(c *flow.Context, dir flow.Dir, awaiting string, waited time.Duration) {
	a.lnk = Link{Awaiting: awaiting, WaitedMS: waited.Milliseconds()}
	c.Emit(dir, KindTimeout, &a.lnk)
	a.lnk = Link{}
}

func (a *decoder) error(c *flow.Context, dir flow.Dir, it astm.Item, err error) {
	if e, ok := err.(*astm.Error); ok {
		if e.Err == astm.ErrChecksum && it.Kind == astm.KindFrame {
			a.cks = ChecksumError{Offset: it.Offset, Frame: it.Frame.Number, Checksum: it.Frame.Checksum, Computed: it.Frame.Sum}
			c.Emit(dir, KindChecksumError, &a.cks)
			a.cks = ChecksumError{}
			return
		}
	}
	c.DecodeError(dir, err)
}

func (a *decoder) record(c *flow.Context, dir flow.Dir, r astm.Record, annotates astm.RecordType, annotatesSeq int) {
	switch r.Type {
	case astm.TypeHeader:
		h, err := r.Header()
		if err != nil {
			return
		}
		a.sess.Header = h
		c.Emit(dir, KindSession, &a.sess)
		a.sess = Session{}
		return
	case astm.TypePatient:
		p, _ := r.Patient()
		a.rec = Record{Seq: p.Seq, PatientID: p.PracticeID, LabPatientID: p.LabID, PatientID3: p.PatientID3}
	case astm.TypeOrder:
		o, _ := r.Order()
		a.rec = Record{Seq: o.Seq, Specimen: o.SpecimenID, Tests: o.TestID, Priority: o.Priority,
			Action: o.ActionCode, ReportType: o.ReportType}
	case astm.TypeResult:
		res, _ := r.Result()
		t := res.CompletedAt
		if len(t) == 0 {
			t = res.StartedAt
		}
		a.rec = Record{Seq: res.Seq, TestID: res.TestID, TestCode: res.TestCode(), Value: res.Value,
			Units: res.Units, Flags: res.Flags, Status: res.Status, Time: t, Instrument: res.Instrument}
	case astm.TypeQuery:
		q, _ := r.Query()
		a.rec = Record{Seq: q.Seq, Range: q.StartRange, Tests: q.TestID, RequestStatus: q.Status}
	case astm.TypeComment:
		cm, _ := r.Comment()
		a.rec = Record{Seq: cm.Seq, Text: cm.Text, Source: cm.Source, CommentType: cm.Type,
			Annotates: annotates, AnnotatesSeq: annotatesSeq}
	case astm.TypeManufacturer:
		m, _ := r.Manufacturer()
		a.rec = Record{Seq: m.Seq, ManufacturerType: m.KindName()}
	case astm.TypeScientific:
		s, _ := r.Scientific()
		a.rec = Record{Seq: s.Seq, Analyte: s.Analyte, Value: s.Result, Units: s.ResultUnits}
	case astm.TypeTerminator:
		l, _ := r.Terminator()
		a.rec = Record{Seq: l.Seq, Termination: l.Code, TerminationMeaning: l.Meaning()}
	default:
		return
	}
	a.rec.Record = r
	a.rec.phi = c.PHI()
	c.Emit(dir, KindRecord, &a.rec)
	a.rec = Record{}
}

func (a *decoder) Gap(c *flow.Context, dir flow.Dir, n int) {
	a.dec[dir&1].Gap(n)
	a.ann[dir&1].Reset()
}

func (a *decoder) Close(c *flow.Context) {}

// Buffered implements [flow.BufferedDecoder].
func (d *decoder) Buffered() int { return d.dec[0].Buffered() + d.dec[1].Buffered() }
