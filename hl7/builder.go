package hl7

// A Builder appends an HL7 message to a caller's buffer, escaping the text
// it is given. The zero Builder writes nothing useful; call Reset first.
//
//	var b hl7.Builder
//	b.Reset(buf[:0], hl7.DefaultDelimiters)
//	b.Segment("MSH") // writes MSH|^~\&; the next Field is MSH-3
//	b.Field("APP")
//	...
//	msg := b.Bytes()
//
// Segments end in CR. A Builder allocates only when the buffer lacks room.
type Builder struct {
	buf   []byte
	d     Delimiters
	inSeg bool
}

// Reset starts a new message at the end of dst with delimiters d.
func (b *Builder) Reset(dst []byte, d Delimiters) {
	b.buf, b.d, b.inSeg = dst, d, false
}

// Segment ends the current segment and starts one called name. For MSH, BHS
// and FHS it also writes MSH-1 and MSH-2 from the delimiters.
func (b *Builder) Segment(name string) {
	if b.inSeg {
		b.buf = append(b.buf, '\r')
	}
	b.inSeg = true
	b.buf = append(b.buf, name...)
	if name == "MSH" || name == "BHS" || name == "FHS" {
		d := b.d
		b.buf = append(b.buf, d.Field, d.Component, d.Repetition, d.Escape, d.Subcomponent)
		if d.Truncation != 0 {
			b.buf = append(b.buf, d.Truncation)
		}
	}
}

// Field appends a field separator and v, escaped.
func (b *Builder) Field(v string) { b.sepEscaped(b.d.Field, v) }

// Rep appends a repetition separator and v, escaped.
func (b *Builder) Rep(v string) { b.sepEscaped(b.d.Repetition, v) }

// Comp appends a component separator and v, escaped.
func (b *Builder) Comp(v string) { b.sepEscaped(b.d.Component, v) }

// Sub appends a sub-component separator and v, escaped.
func (b *Builder) Sub(v string) { b.sepEscaped(b.d.Subcomponent, v) }

// FieldRaw appends a field separator and v as is (already escaped, possibly
// with its own components).
func (b *Builder) FieldRaw(v []byte) {
	b.buf = append(b.buf, b.d.Field)
	b.buf = append(b.buf, v...)
}

// CompRaw appends a component separator and v as is.
func (b *Builder) CompRaw(v []byte) {
	b.buf = append(b.buf, b.d.Component)
	b.buf = append(b.buf, v...)
}

// Raw appends v as is, without a separator.
func (b *Builder) Raw(v []byte) { b.buf = append(b.buf, v...) }

// Text appends v escaped, without a separator.
func (b *Builder) Text(v string) { b.buf = appendEscaped(b.buf, v, b.d) }

func (b *Builder) sepEscaped(sep byte, v string) {
	b.buf = append(b.buf, sep)
	b.buf = appendEscaped(b.buf, v, b.d)
}

// Bytes ends the last segment and returns the buffer (dst given to Reset
// with the message appended). The Builder must be Reset before reuse.
func (b *Builder) Bytes() []byte {
	if b.inSeg {
		b.buf = append(b.buf, '\r')
		b.inSeg = false
	}
	return b.buf
}
