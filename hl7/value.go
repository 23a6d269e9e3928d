package hl7

import "bytes"

// A Segment is a view of one segment, without its terminator. It is valid as
// long as the bytes it was parsed from.
type Segment struct {
	msg   []byte // the message up to the segment's end, or just the segment when not indexed
	d     delims
	seps  []uint32 // when indexed: offsets in msg of the separators, see parse.go
	start uint32   // the segment is msg[start:]
	kind  uint8    // segNotIndexed, segPlain or segHeader
}

const (
	segNotIndexed uint8 = iota
	segPlain            // indexed by Message.Parse
	segHeader           // indexed, and MSH, BHS or FHS
)

// Bytes returns the segment's bytes.
func (s Segment) Bytes() []byte { return s.msg[s.start:] }

// Name returns the segment name (the bytes before the first field
// separator).
func (s Segment) Name() []byte {
	raw := s.Bytes()
	if i := bytes.IndexByte(raw, s.d.Field()); i >= 0 {
		return raw[:i]
	}
	return raw
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
		return Value{raw: s.msg[s.seps[i-1]+1 : s.seps[i]], d: s.d}
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
	raw := s.Bytes()
	if isHeaderName(raw) && len(raw) > 3 && raw[3] == s.d.Field() {
		switch i {
		case 1:
			return Value{raw: raw[3:4:4], d: withLevel(s.d, levelSub)}
		case 2:
			end := 4 + indexOrLen(raw[4:], s.d.Field())
			return Value{raw: raw[4:end:end], d: withLevel(s.d, levelSub)}
		}
		i--
	}
	return Value{raw: nth(raw, s.d.Field(), i+1), d: s.d}
}

func (s *Segment) indexedField(i int) Value {
	seps, raw := s.seps, s.msg // seps ends with the segment's end
	if i >= len(seps) {
		return Value{d: s.d}
	}
	if s.kind == segHeader && i <= 2 {
		// seps starts with the offset before the segment, so that from
		// MSH-2 on field i is raw[seps[i-1]+1:seps[i]] as in other
		// segments; MSH-1 is the field separator itself, three bytes on.
		start, end := seps[i-1]+1+3*uint32(2-i), seps[i]+uint32(2-i)
		return Value{raw: raw[start:end:end], d: withLevel(s.d, levelSub)}
	}
	start, end := seps[i-1]+1, seps[i]
	return Value{raw: raw[start:end:end], d: s.d}
}

// NumFields returns the number of fields after the name (MSH-1 counts as
// one in header segments).
func (s Segment) NumFields() int {
	if s.kind != segNotIndexed {
		return len(s.seps) - 1
	}
	return s.numFields()
}

func (s Segment) numFields() int {
	raw := s.Bytes()
	n := bytes.Count(raw, []byte{s.d.Field()})
	if isHeaderName(raw) && len(raw) > 3 && raw[3] == s.d.Field() {
		n++
	}
	return n
}

// Fields returns a cursor over the fields (MSH-1 and MSH-2 first in
// header segments). Declare the cursor before the loop, as below: a cursor
// declared in a three-clause for statement is copied at every iteration.
//
//	c := seg.Fields()
//	for c.Next() {
//		i, f := c.Index(), c.Value()
//	}
func (s Segment) Fields() FieldCursor {
	if s.kind == segHeader {
		return FieldCursor{raw: s.msg, seps: s.seps, d: s.d | hdrCursor}
	}
	return FieldCursor{raw: s.msg, seps: s.seps, d: s.d}
}

// hdrCursor marks the delimiters of a header segment's FieldCursor, whose
// first two fields (MSH-1 and MSH-2) are leaves.
const hdrCursor delims = 1 << 48

// A FieldCursor steps through the fields of a segment in constant time per
// field, without allocating. Its values are valid as long as the bytes they
// were parsed from.
type FieldCursor struct {
	raw  []byte
	seps []uint32 // as in Segment: field i is raw[seps[i-1]+1:seps[i]]
	i    int      // 1-based index of the current field
	d    delims   // with hdrCursor in a header segment
}

// Next advances to the next field and reports whether there is one.
func (c *FieldCursor) Next() bool {
	c.i++
	return c.i < len(c.seps)
}

// Index returns the 1-based index of the current field.
func (c *FieldCursor) Index() int { return c.i }

// Value returns the current field.
func (c *FieldCursor) Value() Value {
	i, d := c.i, c.d
	start, end := c.seps[i-1]+1, c.seps[i]
	if d&hdrCursor != 0 && i <= 2 {
		// MSH-1 and MSH-2, leaves; see Segment.indexedField.
		start += 3 * uint32(2-i)
		end += uint32(2 - i)
		d |= delims(levelSub) << 56
	}
	return Value{raw: c.raw[start:end], d: d &^ hdrCursor}
}

// Bytes returns the current field's raw bytes: c.Value().Bytes().
func (c *FieldCursor) Bytes() []byte { return c.Value().raw }

// A Cursor steps through the repetitions, components or sub-components of
// a value, without allocating. Its values
// are valid as long as the bytes they were parsed from.
type Cursor struct {
	rest  []byte
	cur   []byte
	i     int
	d     delims
	sep   byte
	level uint8
	done  bool
}

// Next advances to the next piece and reports whether there is one. A value
// always has at least one piece, possibly empty.
func (c *Cursor) Next() bool {
	if c.done {
		return false
	}
	c.i++
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

// Value returns the current piece.
func (c *Cursor) Value() Value {
	return Value{raw: c.cur, d: withLevel(c.d, c.level)}
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
	raw []byte
	d   delims // the level sits in the top byte: 32 bytes keep a Value in registers
}

func (v Value) level() uint8 { return uint8(v.d >> 56) }

func withLevel(d delims, level uint8) delims { return d&^(0xff<<56) | delims(level)<<56 }

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
	if v.level() >= level {
		if i == 1 {
			return v
		}
		return Value{d: withLevel(v.d, level)}
	}
	if level > levelRep && v.level() < level-1 {
		v = v.down(level-1, v.sepFor(level-1), 1)
	}
	return Value{raw: nth(v.raw, sep, i), d: withLevel(v.d, level)}
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
	if v.level() >= level {
		return 1
	}
	if level > levelRep && v.level() < level-1 {
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
	if v.level() >= level {
		return Cursor{rest: v.raw, d: v.d, level: v.level()}
	}
	if level > levelRep && v.level() < level-1 {
		v = v.down(level-1, v.sepFor(level-1), 1)
	}
	return Cursor{rest: v.raw, sep: v.sepFor(level), d: withLevel(v.d, level)}
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
	if len(b) <= 64 {
		// Short values (nearly all of them): one plain loop.
		start := 0
		for k := 0; k < len(b); k++ {
			if b[k] != sep {
				continue
			}
			if i == 1 {
				return b[start:k:k]
			}
			i--
			start = k + 1
		}
		if i == 1 {
			return b[start:]
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
