package astm

import "bytes"

// Delimiters are the four separators a header record defines in its second
// field, in this order: field, repeat, component, escape.
type Delimiters struct {
	Field, Repeat, Component, Escape byte
}

// DefaultDelimiters are the recommended delimiters `|\^&`, used until a
// header record says otherwise.
var DefaultDelimiters = Delimiters{Field: '|', Repeat: '\\', Component: '^', Escape: '&'}

// String returns the four delimiters as they appear in a header: `|\^&`.
func (d Delimiters) String() string {
	return string([]byte{d.Field, d.Repeat, d.Component, d.Escape})
}

// validDelimiter reports whether c may serve as a delimiter: printable
// punctuation (E1394 excludes letters, digits, space and control characters).
func validDelimiter(c byte) bool {
	switch {
	case c <= ' ' || c >= 0x7f:
		return false
	case c >= '0' && c <= '9', c >= 'A' && c <= 'Z', c >= 'a' && c <= 'z':
		return false
	}
	return true
}

// parseDelimiters reads the delimiters from a header record: the byte after
// 'H' is the field delimiter, the next three are repeat, component and escape.
func parseDelimiters(h []byte) (Delimiters, bool) {
	if len(h) < 5 || h[0] != 'H' {
		return Delimiters{}, false
	}
	d := Delimiters{Field: h[1], Repeat: h[2], Component: h[3], Escape: h[4]}
	if !validDelimiter(d.Field) || !validDelimiter(d.Repeat) || !validDelimiter(d.Component) || !validDelimiter(d.Escape) {
		return Delimiters{}, false
	}
	if d.Field == d.Repeat || d.Field == d.Component || d.Field == d.Escape ||
		d.Repeat == d.Component || d.Repeat == d.Escape || d.Component == d.Escape {
		return Delimiters{}, false
	}
	return d, true
}

// nth returns the n-th (1-based) part of b split by sep, or nil if b has
// fewer parts.
func nth(b []byte, sep byte, n int) []byte {
	if n < 1 {
		return nil
	}
	for ; n > 1; n-- {
		i := bytes.IndexByte(b, sep)
		if i < 0 {
			return nil
		}
		b = b[i+1:]
	}
	if i := bytes.IndexByte(b, sep); i >= 0 {
		return b[:i:i]
	}
	return b[:len(b):len(b)]
}

// appendSplit appends the parts of b split by sep to dst.
func appendSplit(dst [][]byte, b []byte, sep byte) [][]byte {
	for {
		i := bytes.IndexByte(b, sep)
		if i < 0 {
			return append(dst, b[:len(b):len(b)])
		}
		dst = append(dst, b[:i:i])
		b = b[i+1:]
	}
}

// NthRepeat returns the n-th (1-based) repeat of field, a view into field, or
// nil if there are fewer.
func (d Delimiters) NthRepeat(field []byte, n int) []byte { return nth(field, d.Repeat, n) }

// NthComponent returns the n-th (1-based) component of field (or of one of its
// repeats), a view, or nil if there are fewer.
func (d Delimiters) NthComponent(field []byte, n int) []byte { return nth(field, d.Component, n) }

// AppendRepeats appends the repeats of field to dst; they are views into field.
func (d Delimiters) AppendRepeats(dst [][]byte, field []byte) [][]byte {
	return appendSplit(dst, field, d.Repeat)
}

// AppendComponents appends the components of field to dst; they are views.
func (d Delimiters) AppendComponents(dst [][]byte, field []byte) [][]byte {
	return appendSplit(dst, field, d.Component)
}

// FirstComponent returns the first non-empty component of field after
// trimming spaces, starting at component from (1-based), or nil.
func (d Delimiters) FirstComponent(field []byte, from int) []byte {
	for i := 1; ; i++ {
		j := bytes.IndexByte(field, d.Component)
		c := field
		if j >= 0 {
			c = field[:j]
		}
		if i >= from {
			if c = bytes.TrimSpace(c); len(c) > 0 {
				return c[:len(c):len(c)]
			}
		}
		if j < 0 {
			return nil
		}
		field = field[j+1:]
	}
}

// AppendUnescape appends src to dst with its escape sequences decoded
// (E1394 section 6.6, with & standing for the escape delimiter):
//
//	&F&  field delimiter       &S&  component delimiter
//	&R&  repeat delimiter      &E&  escape delimiter
//	&Xhhhh&  bytes given as pairs of hex digits
//
// Other sequences (&H&, &N&, &Z...& local ones) are kept as they are. An
// escape delimiter without a closing one is copied and reported as an
// [*Error] wrapping [ErrEscape] whose Offset is its index in src; dst still
// holds the whole text.
func (d Delimiters) AppendUnescape(dst, src []byte) ([]byte, error) {
	n := len(src)
	for {
		i := bytes.IndexByte(src, d.Escape)
		if i < 0 {
			return append(dst, src...), nil
		}
		dst = append(dst, src[:i]...)
		src = src[i:]
		j := bytes.IndexByte(src[1:], d.Escape)
		if j < 0 {
			return append(dst, src...), &Error{Offset: int64(n - len(src)), Err: ErrEscape}
		}
		seq := src[1 : 1+j]
		switch {
		case len(seq) == 1 && seq[0] == 'F':
			dst = append(dst, d.Field)
		case len(seq) == 1 && seq[0] == 'S':
			dst = append(dst, d.Component)
		case len(seq) == 1 && seq[0] == 'R':
			dst = append(dst, d.Repeat)
		case len(seq) == 1 && seq[0] == 'E':
			dst = append(dst, d.Escape)
		case len(seq) >= 3 && len(seq)%2 == 1 && seq[0] == 'X' && isHex(seq[1:]):
			for k := 1; k+1 < len(seq); k += 2 {
				dst = append(dst, unhex(seq[k])<<4|unhex(seq[k+1]))
			}
		default:
			dst = append(dst, src[:j+2]...)
		}
		src = src[j+2:]
	}
}

func isHex(b []byte) bool {
	for _, c := range b {
		if unhex(c) == 0xff {
			return false
		}
	}
	return true
}

func unhex(c byte) byte {
	switch {
	case c >= '0' && c <= '9':
		return c - '0'
	case c >= 'A' && c <= 'F':
		return c - 'A' + 10
	case c >= 'a' && c <= 'f':
		return c - 'a' + 10
	}
	return 0xff
}
