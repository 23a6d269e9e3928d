package hl7

import (
	"bytes"
	"iter"
)

// A Segment is a view of one segment, without its terminator. It is valid as
// long as the bytes it was parsed from.
type Segment struct {
	raw []byte
	d   Delimiters
}

// Bytes returns the segment's bytes.
func (s Segment) Bytes() []byte { return s.raw }

// Name returns the segment name (the bytes before the first field
// separator).
func (s Segment) Name() []byte {
	if i := bytes.IndexByte(s.raw, s.d.Field); i >= 0 {
		return s.raw[:i]
	}
	return s.raw
}

// Is reports whether the segment is called name.
func (s Segment) Is(name string) bool { return string(s.Name()) == name }

// Delimiters returns the delimiters the segment is split with.
func (s Segment) Delimiters() Delimiters { return s.d }

// Field returns field i (1-based). In MSH, FHS and BHS, field 1 is the field
// separator itself and field 2 the encoding characters, both as leaves that
// are not split further. Out of range gives an empty Value.
func (s Segment) Field(i int) Value {
	if i < 1 {
		return Value{d: s.d}
	}
	if isHeaderName(s.raw) && len(s.raw) > 3 {
		switch i {
		case 1:
			return Value{raw: s.raw[3:4:4], d: s.d, level: levelSub}
		case 2:
			end := 4 + indexOrLen(s.raw[4:], s.d.Field)
			return Value{raw: s.raw[4:end:end], d: s.d, level: levelSub}
		}
		i--
	}
	return Value{raw: nth(s.raw, s.d.Field, i+1), d: s.d}
}

// NumFields returns the number of fields after the name (MSH-1 counts as
// one in header segments).
func (s Segment) NumFields() int {
	n := bytes.Count(s.raw, []byte{s.d.Field})
	if isHeaderName(s.raw) && len(s.raw) > 3 {
		n++
	}
	return n
}

// Fields iterates over the fields with their 1-based index.
func (s Segment) Fields() iter.Seq2[int, Value] {
	return func(yield func(int, Value) bool) {
		raw := s.raw
		i := bytes.IndexByte(raw, s.d.Field)
		if i < 0 {
			return
		}
		n := 1
		if isHeaderName(raw) {
			if !yield(1, s.Field(1)) {
				return
			}
			enc := s.Field(2)
			if !yield(2, enc) {
				return
			}
			n = 3
			i = 4 + len(enc.raw)
			if i >= len(raw) {
				return
			}
		}
		raw = raw[i+1:]
		for {
			j := bytes.IndexByte(raw, s.d.Field)
			if j < 0 {
				yield(n, Value{raw: raw, d: s.d})
				return
			}
			if !yield(n, Value{raw: raw[:j:j], d: s.d}) {
				return
			}
			raw = raw[j+1:]
			n++
		}
	}
}

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
	d     Delimiters
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
func (v Value) Delimiters() Delimiters { return v.d }

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
		return v.d.Repetition
	case levelComp:
		return v.d.Component
	default:
		return v.d.Subcomponent
	}
}

// Rep returns repetition i (1-based) of a field.
func (v Value) Rep(i int) Value { return v.down(levelRep, v.d.Repetition, i) }

// Comp returns component i (1-based).
func (v Value) Comp(i int) Value { return v.down(levelComp, v.d.Component, i) }

// Sub returns sub-component i (1-based).
func (v Value) Sub(i int) Value { return v.down(levelSub, v.d.Subcomponent, i) }

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

func (v Value) iterate(level uint8) iter.Seq2[int, Value] {
	return func(yield func(int, Value) bool) {
		if v.level >= level {
			yield(1, v)
			return
		}
		if level > levelRep && v.level < level-1 {
			v = v.down(level-1, v.sepFor(level-1), 1)
		}
		sep := v.sepFor(level)
		raw := v.raw
		for n := 1; ; n++ {
			j := -1
			if sep != 0 {
				j = bytes.IndexByte(raw, sep)
			}
			if j < 0 {
				yield(n, Value{raw: raw, d: v.d, level: level})
				return
			}
			if !yield(n, Value{raw: raw[:j:j], d: v.d, level: level}) {
				return
			}
			raw = raw[j+1:]
		}
	}
}

// Reps iterates over the repetitions with their 1-based index.
func (v Value) Reps() iter.Seq2[int, Value] { return v.iterate(levelRep) }

// Comps iterates over the components with their 1-based index.
func (v Value) Comps() iter.Seq2[int, Value] { return v.iterate(levelComp) }

// Subs iterates over the sub-components with their 1-based index.
func (v Value) Subs() iter.Seq2[int, Value] { return v.iterate(levelSub) }

// AppendUnescaped appends the value with its escape sequences decoded; see
// [AppendUnescaped].
func (v Value) AppendUnescaped(dst []byte) []byte { return AppendUnescaped(dst, v.raw, v.d) }

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
