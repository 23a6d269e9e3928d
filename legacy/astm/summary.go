package astm

import (
	"encoding/binary"
	"math/bits"
)

// The typed summaries below hold views into the record's Data, valid as long
// as the record is. Field numbers in comments are those of E1394 / LIS2-A2.

// Header summarises an H record.
type Header struct {
	Delims       Delimiters
	MessageID    []byte // H.3 message control ID
	Password     []byte // H.4 access password
	Sender       []byte // H.5 sender name or ID, with its components (vendors put model, serial and software version there)
	Receiver     []byte // H.10 receiver ID
	ProcessingID []byte // H.12 P production, T training, D debugging, Q quality control
	Version      []byte // H.13 version of the specification ("LIS2-A2", "E1394-97", ...)
	Time         []byte // H.14 date and time of the message, YYYYMMDDHHMMSS
}

// SenderName returns the first non-empty component of the sender field,
// spaces trimmed: usually the analyser's name or model.
func (h Header) SenderName() []byte { return h.Delims.FirstComponent(h.Sender, 1) }

// Patient summarises a P record. Names and birth dates are protected health
// information: handle them with care.
type Patient struct {
	Seq        int
	PracticeID []byte // P.3 practice assigned patient ID
	LabID      []byte // P.4 laboratory assigned patient ID
	PatientID3 []byte // P.5 patient ID No. 3
	Name       []byte // P.6 last^first^middle^suffix^title
	Birthdate  []byte // P.8
	Sex        []byte // P.9 M, F or U
}

// Order summarises an O record.
type Order struct {
	Seq                  int
	SpecimenID           []byte // O.3
	InstrumentSpecimenID []byte // O.4
	TestID               []byte // O.5 universal test ID, possibly repeated
	Priority             []byte // O.6 S stat, A ASAP, R routine, ...
	RequestedAt          []byte // O.7
	CollectedAt          []byte // O.8
	ActionCode           []byte // O.12 C cancel, A add, N new, Q QC, ...
	SpecimenType         []byte // O.16 specimen descriptor
	ReportType           []byte // O.26 O order, F final, P preliminary, Q response to query, ...
}

// Result summarises an R record.
type Result struct {
	Delims      Delimiters
	Seq         int
	TestID      []byte // R.3 universal test ID ^^^local code...
	Value       []byte // R.4 data or measurement value
	Units       []byte // R.5
	Range       []byte // R.6 reference ranges
	Flags       []byte // R.7 abnormal flags: L, H, LL, HH, <, >, N, A, U, D, B, W
	Status      []byte // R.9 result status: C correction, P preliminary, F final, X cannot be done, ...
	Operator    []byte // R.11
	StartedAt   []byte // R.12
	CompletedAt []byte // R.13
	Instrument  []byte // R.14
}

// TestCode returns the most specific code in the first repeat of the
// universal test ID: the first non-empty component from the fourth on (the
// manufacturer's local code), else the first non-empty component.
func (r Result) TestCode() []byte { return testCode(r.Delims, r.TestID) }

func testCode(d Delimiters, id []byte) []byte {
	var first []byte
	comp, start := 1, 0
	for i := 0; i <= len(id); i++ {
		end := i == len(id) || id[i] == d.Repeat
		if !end && id[i] != d.Component {
			continue
		}
		// id[start:i] is component comp, trimmed of spaces below.
		a, b := start, i
		for a < b && id[a] == ' ' {
			a++
		}
		for b > a && id[b-1] == ' ' {
			b--
		}
		if a < b {
			if comp >= 4 {
				return id[a:b:b]
			}
			if first == nil {
				first = id[a:b:b]
			}
		}
		if end {
			break
		}
		comp++
		start = i + 1
	}
	return first
}

// Comment summarises a C record.
type Comment struct {
	Seq    int
	Source []byte // C.3 P practice, L information system, I instrument
	Text   []byte // C.4
	Type   []byte // C.5 G generic, T test name, P positive, N negative, I instrument flag
}

// Query summarises a Q record (a request for information, usually an
// analyser asking the LIS for the orders of a specimen).
type Query struct {
	Delims     Delimiters
	Seq        int
	StartRange []byte // Q.3 starting range ID: patient^specimen^...
	EndRange   []byte // Q.4
	TestID     []byte // Q.5 universal test ID, ALL for all tests
	Status     []byte // Q.13 request information status code
}

// Terminator summarises an L record.
type Terminator struct {
	Seq  int
	Code []byte // L.3 termination code; see [Terminator.Meaning]
}

// Meaning returns what the termination code says, as a lower-case token for
// logs and JSON, or "" for an empty or unknown code:
//
//	N  normal                       Q  error-in-last-request
//	T  sender-aborted               I  no-information-available
//	R  receiver-requested-abort     F  last-request-processed
//	E  unknown-system-error
//
// Spaces around the code are ignored.
func (t Terminator) Meaning() string {
	c := t.Code
	for len(c) > 0 && c[0] == ' ' {
		c = c[1:]
	}
	for len(c) > 0 && c[len(c)-1] == ' ' {
		c = c[:len(c)-1]
	}
	if len(c) != 1 {
		return ""
	}
	switch c[0] {
	case 'N':
		return "normal"
	case 'T':
		return "sender-aborted"
	case 'R':
		return "receiver-requested-abort"
	case 'E':
		return "unknown-system-error"
	case 'Q':
		return "error-in-last-request"
	case 'I':
		return "no-information-available"
	case 'F':
		return "last-request-processed"
	}
	return ""
}

// Manufacturer summarises an M record. E1394 fixes only its first two
// fields; the rest are defined by the manufacturer, and M.3 usually names the
// kind of vendor record that follows (a histogram, a scattergram, an
// instrument status, ...). Field gives any other field.
type Manufacturer struct {
	Delims Delimiters
	Seq    int
	Kind   []byte // M.3 manufacturer's record type, with its components
	Data   []byte // the whole record, for [Manufacturer.Field]
}

// KindName returns the first non-empty component of Kind, spaces trimmed,
// such as "HISTOGRAM", or nil.
func (m Manufacturer) KindName() []byte { return m.Delims.FirstComponent(m.Kind, 1) }

// Field returns field n of the record, 1-based as in the standard (field 3
// is Kind), as a view, or nil when the record has fewer fields.
func (m Manufacturer) Field(n int) []byte { return nth(m.Data, m.Delims.Field, n) }

// Scientific summarises an S record (E1394 section 14): a result with the
// method, instrument, reagents and quality control behind it, for
// epidemiological and method-comparison use. Birth date, sex and race are
// protected health information: handle them with care.
type Scientific struct {
	Delims             Delimiters
	Seq                int
	Method             []byte // S.3 analytical method
	Instrumentation    []byte // S.4
	Reagents           []byte // S.5
	UnitsOfMeasure     []byte // S.6 units system of the record
	QualityControl     []byte // S.7
	SpecimenDescriptor []byte // S.8 specimen type^source
	Container          []byte // S.10 (S.9 is reserved)
	SpecimenID         []byte // S.11
	Analyte            []byte // S.12
	Result             []byte // S.13
	ResultUnits        []byte // S.14
	CollectedAt        []byte // S.15 collection date and time
	ResultAt           []byte // S.16 result date and time
	Preprocessing      []byte // S.17 analytical preprocessing steps
	Diagnosis          []byte // S.18 patient diagnosis
	Birthdate          []byte // S.19 patient birth date
	Sex                []byte // S.20 patient sex: M, F or U
	Race               []byte // S.21 patient race or ethnic origin
}

// splitter finds the field separators of a record once so that the
// summaries can cut the fields they need.
type splitter struct {
	data []byte
	n    int       // separators found
	pos  [27]int32 // their indexes
}

// split records the first max separators of data (max <= len(s.pos)),
// eight bytes at a time: m has the high bit set in each byte equal to sep.
func (s *splitter) split(data []byte, sep byte, max int) {
	s.data = data
	n := 0
	pos := s.pos[:max]
	pat := uint64(sep) * 0x0101010101010101
	const lo7 = 0x7f7f7f7f7f7f7f7f
	i := 0
	for ; i+8 <= len(data); i += 8 {
		x := binary.LittleEndian.Uint64(data[i:]) ^ pat
		m := ^((x&lo7 + lo7) | x | lo7)
		for m != 0 {
			if n == len(pos) {
				s.n = n
				return
			}
			pos[n] = int32(i + bits.TrailingZeros64(m)>>3)
			n++
			m &= m - 1
		}
	}
	for ; i < len(data); i++ {
		if data[i] == sep {
			if n == len(pos) {
				break
			}
			pos[n] = int32(i)
			n++
		}
	}
	s.n = n
}

// field returns field k (0-based: field k+1 in the standard's numbering), or
// nil when the record has no such field. k must be below the max given to
// split.
func (s *splitter) field(k int) []byte {
	if k > s.n {
		return nil
	}
	start := 0
	if k > 0 {
		start = int(s.pos[k-1]) + 1
	}
	end := len(s.data)
	if k < s.n {
		end = int(s.pos[k])
	}
	return s.data[start:end:end]
}

// Header returns the summary of an H record.
func (r Record) Header() (Header, error) {
	if r.Type != TypeHeader {
		return Header{}, &Error{Offset: r.Offset, Err: ErrRecordType}
	}
	var f splitter
	f.split(r.Data, r.Delims.Field, 14)
	return Header{
		Delims: r.Delims, MessageID: f.field(2), Password: f.field(3), Sender: f.field(4),
		Receiver: f.field(9), ProcessingID: f.field(11), Version: f.field(12), Time: f.field(13),
	}, nil
}

// Patient returns the summary of a P record.
func (r Record) Patient() (Patient, error) {
	if r.Type != TypePatient {
		return Patient{}, &Error{Offset: r.Offset, Err: ErrRecordType}
	}
	var f splitter
	f.split(r.Data, r.Delims.Field, 9)
	return Patient{
		Seq: atoi(f.field(1)), PracticeID: f.field(2), LabID: f.field(3), PatientID3: f.field(4),
		Name: f.field(5), Birthdate: f.field(7), Sex: f.field(8),
	}, nil
}

// Order returns the summary of an O record.
func (r Record) Order() (Order, error) {
	if r.Type != TypeOrder {
		return Order{}, &Error{Offset: r.Offset, Err: ErrRecordType}
	}
	var f splitter
	f.split(r.Data, r.Delims.Field, 26)
	return Order{
		Seq: atoi(f.field(1)), SpecimenID: f.field(2), InstrumentSpecimenID: f.field(3), TestID: f.field(4),
		Priority: f.field(5), RequestedAt: f.field(6), CollectedAt: f.field(7), ActionCode: f.field(11),
		SpecimenType: f.field(15), ReportType: f.field(25),
	}, nil
}

// Result returns the summary of an R record.
func (r Record) Result() (res Result, err error) {
	// Small enough to inline, so that the caller's variable is filled in
	// place rather than copied from a returned struct.
	err = res.fill(&r)
	return res, err
}

func (res *Result) fill(r *Record) error {
	if r.Type != TypeResult {
		return &Error{Offset: r.Offset, Err: ErrRecordType}
	}
	var f splitter
	f.split(r.Data, r.Delims.Field, 14)
	*res = Result{
		Delims: r.Delims, Seq: atoi(f.field(1)), TestID: f.field(2), Value: f.field(3), Units: f.field(4),
		Range: f.field(5), Flags: f.field(6), Status: f.field(8), Operator: f.field(10),
		StartedAt: f.field(11), CompletedAt: f.field(12), Instrument: f.field(13),
	}
	return nil
}

// Comment returns the summary of a C record.
func (r Record) Comment() (Comment, error) {
	if r.Type != TypeComment {
		return Comment{}, &Error{Offset: r.Offset, Err: ErrRecordType}
	}
	var f splitter
	f.split(r.Data, r.Delims.Field, 5)
	return Comment{Seq: atoi(f.field(1)), Source: f.field(2), Text: f.field(3), Type: f.field(4)}, nil
}

// Query returns the summary of a Q record.
func (r Record) Query() (Query, error) {
	if r.Type != TypeQuery {
		return Query{}, &Error{Offset: r.Offset, Err: ErrRecordType}
	}
	var f splitter
	f.split(r.Data, r.Delims.Field, 13)
	return Query{
		Delims: r.Delims, Seq: atoi(f.field(1)), StartRange: f.field(2), EndRange: f.field(3),
		TestID: f.field(4), Status: f.field(12),
	}, nil
}

// Terminator returns the summary of an L record.
func (r Record) Terminator() (Terminator, error) {
	if r.Type != TypeTerminator {
		return Terminator{}, &Error{Offset: r.Offset, Err: ErrRecordType}
	}
	var f splitter
	f.split(r.Data, r.Delims.Field, 3)
	return Terminator{Seq: atoi(f.field(1)), Code: f.field(2)}, nil
}

// Manufacturer returns the summary of an M record.
func (r Record) Manufacturer() (Manufacturer, error) {
	if r.Type != TypeManufacturer {
		return Manufacturer{}, &Error{Offset: r.Offset, Err: ErrRecordType}
	}
	var f splitter
	f.split(r.Data, r.Delims.Field, 3)
	return Manufacturer{Delims: r.Delims, Seq: atoi(f.field(1)), Kind: f.field(2), Data: r.Data}, nil
}

// Scientific returns the summary of an S record.
func (r Record) Scientific() (Scientific, error) {
	if r.Type != TypeScientific {
		return Scientific{}, &Error{Offset: r.Offset, Err: ErrRecordType}
	}
	var f splitter
	f.split(r.Data, r.Delims.Field, 21)
	return Scientific{
		Delims: r.Delims, Seq: atoi(f.field(1)), Method: f.field(2), Instrumentation: f.field(3),
		Reagents: f.field(4), UnitsOfMeasure: f.field(5), QualityControl: f.field(6),
		SpecimenDescriptor: f.field(7), Container: f.field(9), SpecimenID: f.field(10),
		Analyte: f.field(11), Result: f.field(12), ResultUnits: f.field(13), CollectedAt: f.field(14),
		ResultAt: f.field(15), Preprocessing: f.field(16), Diagnosis: f.field(17), Birthdate: f.field(18),
		Sex: f.field(19), Race: f.field(20),
	}, nil
}
