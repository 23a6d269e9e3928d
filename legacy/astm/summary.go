package astm

import "bytes"

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

// TestCode returns the most specific code in the universal test ID: the first
// non-empty component from the fourth on (the manufacturer's local code),
// else the first non-empty component.
func (r Result) TestCode() []byte { return testCode(r.Delims, r.TestID) }

func testCode(d Delimiters, id []byte) []byte {
	if c := d.FirstComponent(id, 4); c != nil {
		return c
	}
	return d.FirstComponent(id, 1)
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
	Code []byte // L.3 N normal, T sender aborted, R receiver aborted, E error, Q error in last request, I no information, F last request processed
}

// fields splits the first len(dst) fields of data by sep into dst and returns
// how many there were (at most len(dst)); the last one may hold the rest.
func fields(dst [][]byte, data []byte, sep byte) int {
	n := 0
	for n < len(dst) {
		i := bytes.IndexByte(data, sep)
		if i < 0 {
			dst[n] = data[:len(data):len(data)]
			return n + 1
		}
		dst[n] = data[:i:i]
		data = data[i+1:]
		n++
	}
	return n
}

// Header returns the summary of an H record.
func (r Record) Header() (Header, error) {
	if r.Type != TypeHeader {
		return Header{}, &Error{Offset: r.Offset, Err: ErrRecordType}
	}
	var f [15][]byte
	fields(f[:], r.Data, r.Delims.Field)
	return Header{
		Delims: r.Delims, MessageID: f[2], Password: f[3], Sender: f[4],
		Receiver: f[9], ProcessingID: f[11], Version: f[12], Time: f[13],
	}, nil
}

// Patient returns the summary of a P record.
func (r Record) Patient() (Patient, error) {
	if r.Type != TypePatient {
		return Patient{}, &Error{Offset: r.Offset, Err: ErrRecordType}
	}
	var f [10][]byte
	fields(f[:], r.Data, r.Delims.Field)
	return Patient{
		Seq: atoi(f[1]), PracticeID: f[2], LabID: f[3], PatientID3: f[4],
		Name: f[5], Birthdate: f[7], Sex: f[8],
	}, nil
}

// Order returns the summary of an O record.
func (r Record) Order() (Order, error) {
	if r.Type != TypeOrder {
		return Order{}, &Error{Offset: r.Offset, Err: ErrRecordType}
	}
	var f [27][]byte
	fields(f[:], r.Data, r.Delims.Field)
	return Order{
		Seq: atoi(f[1]), SpecimenID: f[2], InstrumentSpecimenID: f[3], TestID: f[4],
		Priority: f[5], RequestedAt: f[6], CollectedAt: f[7], ActionCode: f[11],
		SpecimenType: f[15], ReportType: f[25],
	}, nil
}

// Result returns the summary of an R record.
func (r Record) Result() (Result, error) {
	if r.Type != TypeResult {
		return Result{}, &Error{Offset: r.Offset, Err: ErrRecordType}
	}
	var f [15][]byte
	fields(f[:], r.Data, r.Delims.Field)
	return Result{
		Delims: r.Delims, Seq: atoi(f[1]), TestID: f[2], Value: f[3], Units: f[4],
		Range: f[5], Flags: f[6], Status: f[8], Operator: f[10],
		StartedAt: f[11], CompletedAt: f[12], Instrument: f[13],
	}, nil
}

// Comment returns the summary of a C record.
func (r Record) Comment() (Comment, error) {
	if r.Type != TypeComment {
		return Comment{}, &Error{Offset: r.Offset, Err: ErrRecordType}
	}
	var f [6][]byte
	fields(f[:], r.Data, r.Delims.Field)
	return Comment{Seq: atoi(f[1]), Source: f[2], Text: f[3], Type: f[4]}, nil
}

// Query returns the summary of a Q record.
func (r Record) Query() (Query, error) {
	if r.Type != TypeQuery {
		return Query{}, &Error{Offset: r.Offset, Err: ErrRecordType}
	}
	var f [14][]byte
	fields(f[:], r.Data, r.Delims.Field)
	return Query{
		Delims: r.Delims, Seq: atoi(f[1]), StartRange: f[2], EndRange: f[3],
		TestID: f[4], Status: f[12],
	}, nil
}

// Terminator returns the summary of an L record.
func (r Record) Terminator() (Terminator, error) {
	if r.Type != TypeTerminator {
		return Terminator{}, &Error{Offset: r.Offset, Err: ErrRecordType}
	}
	var f [4][]byte
	fields(f[:], r.Data, r.Delims.Field)
	return Terminator{Seq: atoi(f[1]), Code: f[2]}, nil
}
