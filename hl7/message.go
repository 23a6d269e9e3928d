package hl7

import "bytes"

// DefaultMaxSegments is the segment limit of a Message whose MaxSegments is 0.
const DefaultMaxSegments = 1 << 16

// DefaultMaxFields is the field limit of a Message whose MaxFields is 0.
const DefaultMaxFields = 1 << 20

// Terminators records which segment terminators a message used.
type Terminators uint8

const (
	TermCR   Terminators = 1 << iota // "\r", the standard
	TermLF                           // "\n"
	TermCRLF                         // "\r\n"
)

// String returns "CR", "LF", "CRLF" or a "+"-joined mix; "" if none was seen.
func (t Terminators) String() string {
	s := ""
	for _, x := range [...]struct {
		t    Terminators
		name string
	}{{TermCR, "CR"}, {TermLF, "LF"}, {TermCRLF, "CRLF"}} {
		if t&x.t != 0 {
			if s != "" {
				s += "+"
			}
			s += x.name
		}
	}
	return s
}

type span struct {
	start, end int
	f0, f1     int32  // the segment's field separators are seps[f0:f1]
	name       uint32 // the name's three bytes, as segKey packs them
	hdr        bool   // MSH, BHS or FHS
}

// A Message is one parsed HL7 v2 message: the caller's bytes, the delimiters
// and the offsets of the segments. The zero value is ready to use; reuse it
// with Parse to avoid allocating.
//
// Every view it returns ([Segment], [Value], byte slices) points into the
// bytes given to Parse and is valid until the next Parse or until the caller
// changes those bytes.
type Message struct {
	// MaxSegments caps the number of segments indexed, and of lines
	// (blank ones included), 0 meaning DefaultMaxSegments; more gives
	// ErrTooManySegments.
	MaxSegments int

	// MaxFields caps the number of fields in the whole message (0 means
	// DefaultMaxFields); more gives ErrTooManyFields.
	MaxFields int

	raw  []byte
	d    Delimiters
	pd   delims // d packed
	segs []span
	seps []uint32 // offsets in raw of every separator and terminator: see parse.go
	term Terminators

	tblocks [batchBlocks]termBlock // the kernel's output, kept here so Parse does not zero it on the stack
}

// Parse indexes data as one message. data must start with an MSH segment
// (blank lines before it are skipped). Segments may end in CR, LF or CRLF;
// empty lines between segments are skipped. Segment names must be three
// upper-case letters or digits, except that a line after a lone LF that does
// not start with a segment name continues the previous segment (an LF inside
// a value, as in messages wrapped for display).
//
// On error the Message is empty.
func (m *Message) Parse(data []byte) error {
	err := m.parse(data)
	if err != nil {
		m.raw, m.segs, m.seps, m.term, m.d, m.pd = nil, m.segs[:0], m.seps[:0], 0, Delimiters{}, 0
	}
	return err
}

// appendSeps appends the offset of every sep in seg to dst: a plain loop,
// for the few short segments (FHS, BHS) indexed outside Message.Parse.
func appendSeps(dst []uint32, seg []byte, sep byte) []uint32 {
	for i, c := range seg {
		if c == sep {
			dst = append(dst, uint32(i))
		}
	}
	return dst
}

// segScanner splits bytes into segments at CR, LF or CRLF, skipping empty
// lines. It runs in linear time whatever the mix of terminators.
type segScanner struct {
	data           []byte
	pos            int
	nextCR, nextLF int // cached positions of the next CR and LF at or after pos
	term           Terminators
	prevLF         bool // the segment just returned follows a lone LF
}

func (sc *segScanner) init(data []byte, pos int) {
	*sc = segScanner{data: data, pos: pos, nextCR: -1, nextLF: -1}
}

func indexFrom(b []byte, from int, c byte) int {
	i := bytes.IndexByte(b[from:], c)
	if i < 0 {
		return len(b)
	}
	return from + i
}

// next returns the bounds of the next non-empty segment.
func (sc *segScanner) next() (start, end int, ok bool) {
	data := sc.data
	for sc.pos < len(data) {
		pos := sc.pos
		if sc.nextCR < pos {
			sc.nextCR = indexFrom(data, pos, '\r')
		}
		if sc.nextLF < pos {
			sc.nextLF = indexFrom(data, pos, '\n')
		}
		e := min(sc.nextCR, sc.nextLF)
		switch {
		case e == len(data):
			sc.pos = e
		case data[e] == '\n':
			sc.term |= TermLF
			sc.pos = e + 1
		case e+1 < len(data) && data[e+1] == '\n':
			sc.term |= TermCRLF
			sc.pos = e + 2
		default:
			sc.term |= TermCR
			sc.pos = e + 1
		}
		if e > pos {
			sc.prevLF = pos > 0 && data[pos-1] == '\n' && (pos < 2 || data[pos-2] != '\r')
			return pos, e, true
		}
	}
	return 0, 0, false
}

// validSegment checks the name: three of [A-Z0-9], then the field separator
// or the end of the segment.
func validSegment(seg []byte, sep byte) bool {
	if len(seg) < 3 || (len(seg) > 3 && seg[3] != sep) {
		return false
	}
	for _, c := range seg[:3] {
		if !(c >= 'A' && c <= 'Z' || c >= '0' && c <= '9') {
			return false
		}
	}
	return true
}

// Bytes returns the bytes given to Parse.
func (m *Message) Bytes() []byte { return m.raw }

// Delimiters returns the delimiters read from MSH-1 and MSH-2.
func (m *Message) Delimiters() Delimiters { return m.d }

// Terminators reports the segment terminators seen.
func (m *Message) Terminators() Terminators { return m.term }

// NumSegments returns the number of segments.
func (m *Message) NumSegments() int { return len(m.segs) }

// SegmentAt returns segment i, counting from 0 (MSH); out of range gives an
// empty Segment.
func (m *Message) SegmentAt(i int) Segment {
	if uint(i) >= uint(len(m.segs)) {
		return Segment{d: m.pd}
	}
	return m.segment(m.segs[i])
}

func (m *Message) segment(s span) Segment {
	kind := segPlain
	if s.hdr {
		kind = segHeader
	}
	return Segment{msg: m.raw[:s.end:s.end], start: uint32(s.start), d: m.pd, seps: m.seps[s.f0:s.f1:s.f1], kind: kind}
}

// Offset returns the byte offset of segment i in the parsed bytes, or -1.
func (m *Message) Offset(i int) int {
	if uint(i) >= uint(len(m.segs)) {
		return -1
	}
	return m.segs[i].start
}

// SegmentByName returns the n-th (1-based) segment called name.
func (m *Message) SegmentByName(name string, n int) (Segment, bool) {
	if len(name) == 3 {
		return m.segment3([3]byte{name[0], name[1], name[2]}, n)
	}
	if n < 1 {
		n = 1
	}
	for _, s := range m.segs {
		seg := m.raw[s.start:s.end:s.end]
		if len(seg) >= len(name) && string(seg[:len(name)]) == name && (len(seg) == len(name) || seg[len(name)] == m.d.Field) {
			n--
			if n == 0 {
				return m.segment(s), true
			}
		}
	}
	return Segment{d: m.pd}, false
}

// segment3 is SegmentByName for a three-letter name.
func (m *Message) segment3(name [3]byte, n int) (Segment, bool) {
	if i := m.find(name, n); i >= 0 {
		return m.segment(m.segs[i]), true
	}
	return Segment{d: m.pd}, false
}

// find returns the index of the n-th (1-based; below 1 means 1) segment
// called name, or -1.
func (m *Message) find(name [3]byte, n int) int {
	n = max(n, 1)
	key := segKey(name[0], name[1], name[2])
	for i := range m.segs {
		if m.segs[i].name == key {
			if n--; n == 0 {
				return i
			}
		}
	}
	return -1
}

// MSH returns the message header segment.
func (m *Message) MSH() Segment { return m.SegmentAt(0) }

// Type returns MSH-9, the message type (e.g. ADT^A01^ADT_A01).
func (m *Message) Type() Value { return m.MSH().Field(9) }

// ControlID returns MSH-10, the message control ID.
func (m *Message) ControlID() Value { return m.MSH().Field(10) }

// Version returns MSH-12, the version ID (e.g. 2.5.1).
func (m *Message) Version() Value { return m.MSH().Field(12) }

// Charset returns MSH-18, the character set(s); empty means ASCII.
func (m *Message) Charset() Value { return m.MSH().Field(18) }

// Get returns the value at path, e.g. "PID-5-1" or "OBX(2)-5". A path
// naming a missing segment or field gives an empty Value and no error; only
// a malformed path is an error.
func (m *Message) Get(path string) (Value, error) {
	p, err := ParsePath(path)
	if err != nil {
		return Value{}, err
	}
	return m.Value(p), nil
}

// Value returns the value at p.
func (m *Message) Value(p Path) Value {
	if i := m.find(p.Segment, p.SegmentRep); i >= 0 {
		return m.valueAt(&m.segs[i], &p)
	}
	return Value{d: m.pd}
}

// valueAt returns the value at p in the segment sp.
func (m *Message) valueAt(sp *span, p *Path) Value {
	f := p.Field
	seps := m.seps[sp.f0:sp.f1]
	if uint(f-1) >= uint(len(seps)-1) || sp.hdr && f <= 2 {
		v := m.segment(*sp).Field(f)
		if p.Rep > 0 {
			v = v.Rep(p.Rep)
		}
		if p.Comp > 0 {
			v = v.Comp(p.Comp)
		}
		if p.Sub > 0 {
			v = v.Sub(p.Sub)
		}
		return v
	}
	raw := m.raw[seps[f-1]+1 : seps[f]]
	d, level := m.pd, levelField
	// Narrow down level by level, as Rep, Comp and Sub do, without
	// building the intermediate Values.
	switch {
	case p.Comp > 0 && p.Rep <= 1 && len(raw) <= 64:
		// A component of the first repetition of a short field: one scan.
		raw, level = firstRepComp(raw, d.Repetition(), d.Component(), p.Comp), levelComp
		if p.Sub > 0 {
			raw, level = nth(raw, d.Subcomponent(), p.Sub), levelSub
		}
	case p.Rep > 0 || p.Comp > 0 || p.Sub > 0:
		raw, level = nth(raw, d.Repetition(), max(p.Rep, 1)), levelRep
		if p.Comp > 0 || p.Sub > 0 {
			raw, level = nth(raw, d.Component(), max(p.Comp, 1)), levelComp
			if p.Sub > 0 {
				raw, level = nth(raw, d.Subcomponent(), p.Sub), levelSub
			}
		}
	}
	return Value{raw: raw, d: withLevel(d, level)}
}

// firstRepComp is nth(nth(b, rep, 1), comp, c) in one pass over b.
func firstRepComp(b []byte, rep, comp byte, c int) []byte {
	start := 0
	for k := 0; k < len(b); k++ {
		switch b[k] {
		case comp:
			if comp == 0 {
				continue // no component separator: NUL is data
			}
			if c == 1 {
				return b[start:k:k]
			}
			c--
			start = k + 1
		case rep:
			if rep == 0 {
				continue
			}
			if c == 1 {
				return b[start:k:k]
			}
			return nil
		}
	}
	if c == 1 {
		return b[start:]
	}
	return nil
}
