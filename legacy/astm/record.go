package astm

import (
	"bytes"
	"io"
)

// RecordType is the letter that starts a record.
type RecordType byte

// The record types of E1394.
const (
	TypeHeader       RecordType = 'H' // message header
	TypePatient      RecordType = 'P' // patient information
	TypeOrder        RecordType = 'O' // test order
	TypeResult       RecordType = 'R' // result
	TypeComment      RecordType = 'C' // comment
	TypeQuery        RecordType = 'Q' // request information
	TypeManufacturer RecordType = 'M' // manufacturer information
	TypeScientific   RecordType = 'S' // scientific
	TypeTerminator   RecordType = 'L' // message terminator
)

// Known reports whether t is one of the nine record types of E1394.
func (t RecordType) Known() bool {
	switch t {
	case TypeHeader, TypePatient, TypeOrder, TypeResult, TypeComment, TypeQuery, TypeManufacturer, TypeScientific, TypeTerminator:
		return true
	}
	return false
}

// String returns the record type's name, such as "result", or the letter.
func (t RecordType) String() string {
	switch t {
	case TypeHeader:
		return "header"
	case TypePatient:
		return "patient"
	case TypeOrder:
		return "order"
	case TypeResult:
		return "result"
	case TypeComment:
		return "comment"
	case TypeQuery:
		return "query"
	case TypeManufacturer:
		return "manufacturer"
	case TypeScientific:
		return "scientific"
	case TypeTerminator:
		return "terminator"
	}
	return string(rune(t))
}

// A Record is one E1394 record: a view of its text without the CR that ends
// it, and the delimiters in force. Data is valid as long as the buffer it was
// parsed from (for a [Decoder], until the next call to Next or Feed).
type Record struct {
	Type   RecordType
	Data   []byte
	Delims Delimiters
	Offset int64 // of the record's first byte
}

// Field returns field n of the record, 1-based as in the standard (field 1
// is the record type, field 2 of a header the delimiter definition), as a
// view, or nil when the record has fewer fields.
func (r Record) Field(n int) []byte { return nth(r.Data, r.Delims.Field, n) }

// AppendFields appends every field of the record to dst; field n is
// dst[len(dst)+n-1]. The fields are views into Data.
func (r Record) AppendFields(dst [][]byte) [][]byte {
	return appendSplit(dst, r.Data, r.Delims.Field)
}

// Seq returns the sequence number in field 2 (of records other than H), or
// -1 when it is missing or not a number.
func (r Record) Seq() int { return atoi(r.Field(2)) }

// atoi parses a small decimal number, ignoring surrounding spaces; -1 when b
// is not one.
func atoi(b []byte) int {
	// One pass: spaces, digits, spaces (ASCII white space only: a sequence
	// number is never anything else).
	i := 0
	for i < len(b) && isSpace(b[i]) {
		i++
	}
	n, start := 0, i
	for i < len(b) && b[i]-'0' <= 9 {
		n = n*10 + int(b[i]-'0')
		i++
	}
	if i == start || i-start > 9 {
		return -1
	}
	for i < len(b) && isSpace(b[i]) {
		i++
	}
	if i != len(b) {
		return -1
	}
	return n
}

func isSpace(c byte) bool { return c == ' ' || c-'\t' <= '\r'-'\t' }

// checkRecord validates line as a record under *d, updating *d when line is
// a header. It returns the record type or an error sentinel.
func checkRecord(line []byte, d *Delimiters) (RecordType, error) {
	if len(line) == 0 {
		return 0, ErrNotRecord
	}
	t := RecordType(line[0])
	if t < 'A' || t > 'Z' {
		return 0, ErrNotRecord
	}
	if t == TypeHeader {
		nd, ok := parseDelimiters(line)
		if !ok {
			return 0, ErrDelimiters
		}
		*d = nd
		return t, nil
	}
	if len(line) > 1 && line[1] != d.Field {
		return 0, ErrNotRecord
	}
	return t, nil
}

// ParseRecord checks that line (without its terminator) is a record and
// returns it as a view. A header record's delimiters are taken from it;
// other records use d.
func ParseRecord(line []byte, d Delimiters) (Record, error) {
	t, err := checkRecord(line, &d)
	if err != nil {
		return Record{}, &Error{Offset: 0, Err: err}
	}
	return Record{Type: t, Data: line, Delims: d}, nil
}

// A Parser is a cursor over records without link framing: lines ended by CR,
// LF or CR LF. The zero value is ready for [Parser.Start]; a Parser may be
// reused and never allocates except to return an error.
type Parser struct {
	buf    []byte
	off    int
	cr, lf int // absolute index of the next CR and LF at or after off, or len(buf)
	delims Delimiters
}

// Start resets the parser to read records from buf with the default
// delimiters. buf must not change while records from it are in use.
func (p *Parser) Start(buf []byte) {
	*p = Parser{buf: buf, delims: DefaultDelimiters, cr: -1, lf: -1}
}

// lineEnd returns the index of the first CR or LF at or after p.off, or
// len(p.buf). It remembers both so that a buffer using only one of them is
// not rescanned for the other at every line.
func (p *Parser) lineEnd() int {
	if p.cr < p.off {
		p.cr = indexFrom(p.buf, p.off, '\r')
	}
	if p.lf < p.off {
		p.lf = indexFrom(p.buf, p.off, '\n')
	}
	return min(p.cr, p.lf)
}

func indexFrom(b []byte, off int, c byte) int {
	if i := bytes.IndexByte(b[off:], c); i >= 0 {
		return off + i
	}
	return len(b)
}

// Delimiters returns the delimiters in force: those of the last header
// record, or [DefaultDelimiters].
func (p *Parser) Delimiters() Delimiters { return p.delims }

// Next returns the next record, a view into the buffer given to Start, or
// io.EOF at the end. Empty lines are skipped. A line that is not a record is
// skipped and reported as an [*Error] wrapping [ErrNotRecord] (or
// [ErrDelimiters] for a header with unusable delimiters); call Next again to
// go on.
func (p *Parser) Next() (Record, error) {
	for {
		if p.off >= len(p.buf) {
			return Record{}, io.EOF
		}
		rest := p.buf[p.off:]
		start := p.off
		end := p.lineEnd() - p.off
		var line []byte
		if end >= len(rest) {
			line = rest
			p.off = len(p.buf)
		} else {
			line = rest[:end:end]
			p.off += end + 1
			if rest[end] == '\r' && end+1 < len(rest) && rest[end+1] == '\n' {
				p.off++
			}
		}
		if len(line) == 0 {
			continue
		}
		t, err := checkRecord(line, &p.delims)
		if err != nil {
			return Record{}, &Error{Offset: int64(start), Err: err}
		}
		return Record{Type: t, Data: line, Delims: p.delims, Offset: int64(start)}, nil
	}
}
