package hl7

// Delimiters are the separators and escape character of a message, read from
// MSH-1 and MSH-2 (or FHS/BHS). A zero byte means "not used".
type Delimiters struct {
	Field        byte // MSH-1, usually '|'
	Component    byte // usually '^'
	Repetition   byte // usually '~'
	Escape       byte // usually '\\'
	Subcomponent byte // usually '&'
	Truncation   byte // HL7 2.7+, usually '#'; 0 when absent
}

// DefaultDelimiters are |^~\& without a truncation character.
var DefaultDelimiters = Delimiters{Field: '|', Component: '^', Repetition: '~', Escape: '\\', Subcomponent: '&'}

// isHeaderName reports whether a segment name uses MSH-style encoding
// characters in its first two fields.
func isHeaderName(b []byte) bool {
	if len(b) < 3 {
		return false
	}
	switch string(b[:3]) {
	case "MSH", "BHS", "FHS":
		return true
	}
	return false
}

// parseDelimiters reads the delimiters of a header segment (MSH, BHS or FHS)
// that starts at seg[0]. It returns the delimiters and the offset within seg
// where MSH-2 ends (the next field separator or the end of the segment).
func parseDelimiters(seg []byte) (Delimiters, int, bool) {
	if len(seg) >= 9 && string(seg[3:9]) == "|^~\\&|" {
		return DefaultDelimiters, 8, true // nearly every message
	}
	var d Delimiters
	if len(seg) < 4 {
		return d, 0, false
	}
	d.Field = seg[3]
	if !validDelim(d.Field) {
		return d, 0, false
	}
	end := 4
	for end < len(seg) && seg[end] != d.Field && seg[end] != '\r' && seg[end] != '\n' {
		end++
	}
	enc := seg[4:end]
	if len(enc) < 1 || len(enc) > 5 {
		return d, 0, false
	}
	dst := [...]*byte{&d.Component, &d.Repetition, &d.Escape, &d.Subcomponent, &d.Truncation}
	for i, c := range enc {
		if !validDelim(c) || c == d.Field {
			return d, 0, false
		}
		for _, prev := range enc[:i] {
			if prev == c {
				return d, 0, false
			}
		}
		*dst[i] = c
	}
	return d, end, true
}

// validDelim rejects characters that cannot be delimiters: terminators,
// letters and digits.
func validDelim(c byte) bool {
	switch {
	case c == '\r' || c == '\n' || c == 0:
		return false
	case c >= '0' && c <= '9', c >= 'A' && c <= 'Z', c >= 'a' && c <= 'z':
		return false
	}
	return true
}

// delims is Delimiters packed into one word, so that Segment and Value
// travel in registers.
type delims uint64

func pack(d Delimiters) delims {
	return delims(d.Field) | delims(d.Component)<<8 | delims(d.Repetition)<<16 |
		delims(d.Escape)<<24 | delims(d.Subcomponent)<<32 | delims(d.Truncation)<<40
}

func (p delims) unpack() Delimiters {
	return Delimiters{Field: p.Field(), Component: p.Component(), Repetition: p.Repetition(),
		Escape: p.Escape(), Subcomponent: p.Subcomponent(), Truncation: p.Truncation()}
}

func (p delims) Field() byte        { return byte(p) }
func (p delims) Component() byte    { return byte(p >> 8) }
func (p delims) Repetition() byte   { return byte(p >> 16) }
func (p delims) Escape() byte       { return byte(p >> 24) }
func (p delims) Subcomponent() byte { return byte(p >> 32) }
func (p delims) Truncation() byte   { return byte(p >> 40) }
