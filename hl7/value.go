package hl7

import "bytes"

// A Segment is a view of one segment, without its terminator. It is valid as
// long as the bytes it was parsed from.
type Segment struct {
	raw  []byte
	d    delims
	seps []uint32 // field separator offsets then len(raw), when indexed by Message.Parse
	kind uint8    // segNotIndexed, segPlain or segHeader: one byte keeps Segment in registers
}

const (
	segNotIndexed uint8 = iota
	segPlain            // indexed by Message.Parse
	segHeader           // indexed, and MSH, BHS or FHS
)

// Bytes returns the segment's bytes.
func (s Segment) Bytes() []byte { return s.raw }

// Name returns the segment name (the bytes before the first field
// separator).
func (s Segment) Name() []byte {
	if i := bytes.IndexByte(s.raw, s.d.Field()); i >= 0 {
		return s.raw[:i]
	}
	return s.raw
}

// Is reports whether the segment is called name.
func (s Segment) Is(name string) bool { return string(s.Name()) == name }

// Delimiters returns the delimiters the segment is split with.
func (s Segment) Delimiters() Delimiters { return s.d.unpack() }

// Field returns field i (1-based). In MSH, FHS and BHS, field 1 is the field
// separator itself and field 2 the encoding characters, both as leaves that
// are not split further. Out of range gives an empty Value.
func (s Segment) Field(i int) Value {
	// Fast path, small enough to inline: a field of an indexed segment that
	// is not MSH-1 or MSH-2.
	if s.kind == segPlain && uint(i-1) < uint(len(s.seps)-1) {
		return Value{raw: s.raw[s.seps[i-1]+1 : s.seps[i]], d: s.d}
	}
	return s.field(i)
}

func (s *Segment) field(i int) Value {
	if i < 1 {
		return Value{d: s.d}
	}
	if s.kind != segNotIndexed {
		return s.indexedField(i)
	}
	if isHeaderName(s.raw) && len(s.raw) > 3 && s.raw[3] == s.d.Field() {
		switch i {
		case 1:
			return Value{raw: s.raw[3:4:4], d: s.d, level: levelSub}
		case 2:
			end := 4 + indexOrLen(s.raw[4:], s.d.Field())
			return Value{raw: s.raw[4:end:end], d: s.d, level: levelSub}
		}
		i--
	}
	return Value{raw: nth(s.raw, s.d.Field(), i+1), d: s.d}
}

func (s *Segment) indexedField(i int) Value {
	seps, raw := s.seps, s.raw // seps ends with len(raw)
	if s.kind == segHeader {
		switch i {
		case 1:
			return Value{raw: raw[3:4:4], d: s.d, level: levelSub}
		case 2:
			end := seps[1]
			return Value{raw: raw[4:end:end], d: s.d, level: levelSub}
		}
		i--
	}
	if i >= len(seps) {
		return Value{d: s.d}
	}
	start, end := seps[i-1]+1, seps[i]
	return Value{raw: raw[start:end:end], d: s.d}
}

// NumFields returns the number of fields after the name (MSH-1 counts as
// one in header segments).
func (s Segment) NumFields() int {
	if s.kind == segPlain {
		return len(s.seps) - 1
	}
	return s.numFields()
}

func (s Segment) numFields() int {
	if s.kind == segHeader { // MSH-1: MSH-1 is not after a separator
		return len(s.seps)
	}
	n := bytes.Count(s.raw, []byte{s.d.Field()})
	if isHeaderName(s.raw) && len(s.raw) > 3 && s.raw[3] == s.d.Field() {
		n++
	}
	return n
}

// Fields returns a cursor over the fields (MSH-1 and MSH-2 first in
// header segments):
//
//	for c := seg.Fields(); c.Next(); {
//		i, f := c.Index(), c.Value()
//	}
func (s Segment) Fields() Cursor {
	if s.kind == segPlain {
		return Cursor{rest: s.raw, seps: s.seps, d: s.d}
	}
	return s.scanFields()
}

func (s *Segment) scanFields() Cursor {
	i := bytes.IndexByte(s.raw, s.d.Field())
	if i < 0 {
		return Cursor{done: true}
	}
	c := Cursor{rest: s.raw[i+1:], sep: s.d.Field(), d: s.d, level: levelField}
	if isHeaderName(s.raw) && i == 3 {
		c.hdr = 2
		c.rest = s.raw
	}
	return c
}

// A Cursor steps through the fields of a segment or the repetitions,
// components or sub-components of a value, without allocating. Its values
// are valid as long as the bytes they were parsed from.
type Cursor struct {
	rest  []byte
	cur   []byte
	seps  []uint32 // for a segment indexed by Message.Parse: its field ends
	i     int
	d     delims
	sep   byte
	level uint8
	hdr   uint8 // header fields (MSH-1, MSH-2) still to yield
	leaf  bool  // the current piece is MSH-1 or MSH-2
	done  bool
}

// Next advances to the next piece and reports whether there is one. A value
// always has at least one piece, possibly empty.
func (c *Cursor) Next() bool {
	// Fast path, small enough to inline: fields of an indexed segment.
	if c.seps != nil && c.i+1 < len(c.seps) {
		c.i++
		return true // Value slices the field
	}
	return c.next()
}

func (c *Cursor) next() bool {
	if c.seps != nil { // indexed fields: the end
		c.seps, c.done = nil, true
		return false
	}
	if c.done {
		return false
	}
	c.i++
	if c.hdr > 0 {
		return c.header()
	}
	c.leaf = false
	rest := c.rest
	if c.sep == 0 {
		c.cur = rest
		c.done = true
		return true
	}
	// Pieces are short: a plain loop beats a call to IndexByte.
	if len(rest) <= 16 {
		for j := 0; j < len(rest); j++ {
			if rest[j] == c.sep {
				c.cur = rest[:j:j]
				c.rest = rest[j+1:]
				return true
			}
		}
		c.cur = rest
		c.done = true
		return true
	}
	j := bytes.IndexByte(rest, c.sep)
	if j < 0 {
		c.cur = rest
		c.done = true
		return true
	}
	c.cur = rest[:j:j]
	c.rest = rest[j+1:]
	return true
}

func (c *Cursor) header() bool {
	seg := c.rest
	c.leaf = true
	if c.hdr == 2 {
		c.cur = seg[3:4:4]
	} else {
		end := 4 + indexOrLen(seg[4:], c.d.Field())
		c.cur = seg[4:end:end]
		if end == len(seg) {
			c.done = true
		} else {
			c.rest = seg[end+1:]
		}
	}
	c.hdr--
	return true
}

// Value returns the current piece.
func (c *Cursor) Value() Value {
	if c.seps != nil {
		return Value{raw: c.rest[c.seps[c.i-1]+1 : c.seps[c.i]], d: c.d}
	}
	if c.leaf {
		return Value{raw: c.cur, d: c.d, level: levelSub}
	}
	return Value{raw: c.cur, d: c.d, level: c.level}
}

// Index returns the 1-based index of the current piece.
func (c *Cursor) Index() int { return c.i }

const (
	levelField uint8 = iota // may hold repetitions
	levelRep                // may hold components
	levelComp               // may hold sub-components
	levelSub                // a leaf
)

// A Value is a view of a field, repetition, component or sub-component, in
// its raw (escaped) form. It is valid as long as the bytes it was parsed
// from. The zero Value is empty.
//
// Rep, Comp and Sub take 1-based indices and go down as many levels as
// needed: Comp on a field looks in its first repetition, Sub on a field in
// its first component. Index 1 of a level a value is already below returns
// the value itself; other indices give an empty Value.
type Value struct {
	raw   []byte
	d     delims
	level uint8
}

// Bytes returns the raw bytes, escape sequences included.
func (v Value) Bytes() []byte { return v.raw }

// String returns a copy of the raw bytes.
func (v Value) String() string { return string(v.raw) }

// IsEmpty reports whether the value has no bytes.
func (v Value) IsEmpty() bool { return len(v.raw) == 0 }

// IsNull reports whether the value is the explicit HL7 null `""`.
func (v Value) IsNull() bool { return len(v.raw) == 2 && v.raw[0] == '"' && v.raw[1] == '"' }

// Equal reports whether the raw bytes equal s.
func (v Value) Equal(s string) bool { return string(v.raw) == s }

// Delimiters returns the delimiters the value is split with.
func (v Value) Delimiters() Delimiters { return v.d.unpack() }

func (v Value) down(level uint8, sep byte, i int) Value {
	if v.level >= level {
		if i == 1 {
			return v
		}
		return Value{d: v.d, level: level}
	}
	if level > levelRep && v.level < level-1 {
		v = v.down(level-1, v.sepFor(level-1), 1)
	}
	return Value{raw: nth(v.raw, sep, i), d: v.d, level: level}
}

func (v Value) sepFor(level uint8) byte {
	switch level {
	case levelRep:
		return v.d.Repetition()
	case levelComp:
		return v.d.Component()
	default:
		return v.d.Subcomponent()
	}
}

// Rep returns repetition i (1-based) of a field.
func (v Value) Rep(i int) Value { return v.down(levelRep, v.d.Repetition(), i) }

// Comp returns component i (1-based).
func (v Value) Comp(i int) Value { return v.down(levelComp, v.d.Component(), i) }

// Sub returns sub-component i (1-based).
func (v Value) Sub(i int) Value { return v.down(levelSub, v.d.Subcomponent(), i) }

func (v Value) count(level uint8) int {
	if v.level >= level {
		return 1
	}
	if level > levelRep && v.level < level-1 {
		v = v.down(level-1, v.sepFor(level-1), 1)
	}
	sep := v.sepFor(level)
	if sep == 0 {
		return 1
	}
	return bytes.Count(v.raw, []byte{sep}) + 1
}

// NumReps returns the number of repetitions (1 for an empty field).
func (v Value) NumReps() int { return v.count(levelRep) }

// NumComps returns the number of components (of the first repetition).
func (v Value) NumComps() int { return v.count(levelComp) }

// NumSubs returns the number of sub-components (of the first component).
func (v Value) NumSubs() int { return v.count(levelSub) }

func (v Value) cursor(level uint8) Cursor {
	if v.level >= level {
		return Cursor{rest: v.raw, d: v.d, level: v.level}
	}
	if level > levelRep && v.level < level-1 {
		v = v.down(level-1, v.sepFor(level-1), 1)
	}
	return Cursor{rest: v.raw, sep: v.sepFor(level), d: v.d, level: level}
}

// Reps returns a cursor over the repetitions.
func (v Value) Reps() Cursor { return v.cursor(levelRep) }

// Comps returns a cursor over the components (of the first repetition).
func (v Value) Comps() Cursor { return v.cursor(levelComp) }

// Subs returns a cursor over the sub-components (of the first component).
func (v Value) Subs() Cursor { return v.cursor(levelSub) }

// AppendUnescaped appends the value with its escape sequences decoded; see
// [AppendUnescaped].
func (v Value) AppendUnescaped(dst []byte) []byte { return AppendUnescaped(dst, v.raw, v.d.unpack()) }

func indexOrLen(b []byte, c byte) int {
	if i := bytes.IndexByte(b, c); i >= 0 {
		return i
	}
	return len(b)
}

// nth returns the i-th (1-based) piece of b split at sep, or nil.
func nth(b []byte, sep byte, i int) []byte {
	if i < 1 {
		return nil
	}
	if sep == 0 {
		if i == 1 {
			return b
		}
		return nil
	}
	for ; i > 1; i-- {
		j := bytes.IndexByte(b, sep)
		if j < 0 {
			return nil
		}
		b = b[j+1:]
	}
	if j := bytes.IndexByte(b, sep); j >= 0 {
		return b[:j:j]
	}
	return b
}
