package hl7

import "bytes"

// Leaves returns a cursor over every leaf of the segment (each
// sub-component of each component of each repetition of each field, empty
// ones included) in one pass over its bytes, which is much faster than
// nesting Fields, Reps, Comps and Subs:
//
//	c := seg.Leaves()
//	for c.Next() {
//		f, r, comp, sub := c.Position()
//		v := c.Value()
//	}
//
// In MSH, BHS and FHS, MSH-1 and MSH-2 come first as single leaves.
func (s Segment) Leaves() LeafCursor {
	raw := s.Bytes()
	c := LeafCursor{raw: raw, d: s.d}
	c.pos = bytes.IndexByte(raw, s.d.Field())
	if c.pos < 0 {
		c.done = true // a segment without fields
		return c
	}
	if c.pos == 3 && isHeaderName(raw) {
		c.hdr = 2
	}
	return c
}

// A LeafCursor steps through the leaves of a segment, without allocating;
// see [Segment.Leaves]. Its values are valid as long as the bytes they were
// parsed from.
type LeafCursor struct {
	raw                   []byte
	start, end, pos       int // current leaf raw[start:end]; pos: the delimiter before the next leaf
	field, rep, comp, sub int
	d                     delims
	hdr                   uint8
	done                  bool
	far                   [4]int // cached next positions of the four delimiters, for long values
}

// Next advances to the next leaf and reports whether there is one.
func (c *LeafCursor) Next() bool {
	if c.done {
		return false
	}
	raw := c.raw
	if c.hdr > 0 {
		if c.hdr == 2 {
			c.field, c.rep, c.comp, c.sub = 1, 1, 1, 1
			c.start, c.end = 3, 4
		} else {
			c.field = 2
			end := 4
			for end < len(raw) && raw[end] != c.d.Field() {
				end++
			}
			c.start, c.end, c.pos = 4, end, end
			if end == len(raw) {
				c.done = true
			}
		}
		c.hdr--
		return true
	}
	// The delimiter at pos says where the next leaf sits.
	switch raw[c.pos] {
	case c.d.Field():
		c.field, c.rep, c.comp, c.sub = c.field+1, 1, 1, 1
	case c.d.Repetition():
		c.rep, c.comp, c.sub = c.rep+1, 1, 1
	case c.d.Component():
		c.comp, c.sub = c.comp+1, 1
	default:
		c.sub++
	}
	f, r, cp, s := c.d.Field(), c.d.Repetition(), c.d.Component(), c.d.Subcomponent()
	// An unused delimiter (0) must not split at NUL bytes.
	if r == 0 {
		r = f
	}
	if cp == 0 {
		cp = f
	}
	if s == 0 {
		s = f
	}
	i := c.pos + 1
	// Leaves are short: a plain loop, then, inside a long value such as a
	// base64 payload, IndexByte per delimiter with the results cached.
	for n := min(len(raw), i+32); i < n; i++ {
		if b := raw[i]; b == f || b == cp || b == r || b == s {
			goto found
		}
	}
	if i < len(raw) {
		i = c.farDelim(i, f, r, cp, s)
	}
found:
	c.start, c.end, c.pos = c.pos+1, i, i
	if i == len(raw) {
		c.done = true
	}
	return true
}

// farDelim returns the position of the first delimiter at or after i, or
// len(raw). Each delimiter's next position is searched again only once i
// has passed it, so a segment costs at most one scan per delimiter.
func (c *LeafCursor) farDelim(i int, ds ...byte) int {
	end := len(c.raw)
	for k, d := range ds {
		if c.far[k] < i {
			c.far[k] = len(c.raw)
			if j := bytes.IndexByte(c.raw[i:], d); j >= 0 {
				c.far[k] = i + j
			}
		}
		end = min(end, c.far[k])
	}
	return end
}

// Value returns the current leaf.
func (c *LeafCursor) Value() Value {
	return Value{raw: c.raw[c.start:c.end:c.end], d: withLevel(c.d, levelSub)}
}

// Position returns the 1-based field, repetition, component and
// sub-component numbers of the current leaf.
func (c *LeafCursor) Position() (field, rep, comp, sub int) {
	return c.field, c.rep, c.comp, c.sub
}
