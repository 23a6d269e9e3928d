package hl7

import "bytes"

// AppendUnescaped appends v to dst with HL7 escape sequences decoded, using
// the escape character and separators in d:
//
//   - \F\ \S\ \T\ \R\ \E\ become the field, component, sub-component,
//     repetition and escape characters, \P\ the truncation character (2.7+);
//   - \Xhh…\ becomes the bytes of any even number of hex digits;
//   - \.br\ and \.sp\ become "\n";
//   - the other formatting sequences (\H\, \N\, \.in…\, \.ti…\, \.sk…\,
//     \.ce\, \.fi\, \.nf\) and the character set switches \Cxxyy\ and
//     \Mxxyyzz\ are dropped;
//   - anything else (an unknown or malformed sequence, or a trailing escape
//     character without its closing one) is kept literally.
//
// It allocates only when dst lacks room.
func AppendUnescaped(dst, v []byte, d Delimiters) []byte {
	esc := d.Escape
	if esc == 0 {
		return append(dst, v...)
	}
	for {
		i := bytes.IndexByte(v, esc)
		if i < 0 {
			return append(dst, v...)
		}
		dst = append(dst, v[:i]...)
		v = v[i:]
		j := bytes.IndexByte(v[1:], esc)
		if j < 0 {
			return append(dst, v...) // lone trailing escape: literal
		}
		seq := v[1 : 1+j]
		n, ok := appendEscape(dst, seq, d)
		if ok {
			dst = n
			v = v[j+2:]
			continue
		}
		// Not a sequence we know: keep the escape character and rescan from
		// the next byte, so that "\\F\" still decodes its second half.
		dst = append(dst, esc)
		v = v[1:]
	}
}

func appendEscape(dst, seq []byte, d Delimiters) ([]byte, bool) {
	if len(seq) == 1 {
		var c byte
		switch seq[0] {
		case 'F':
			c = d.Field
		case 'S':
			c = d.Component
		case 'T':
			c = d.Subcomponent
		case 'R':
			c = d.Repetition
		case 'E':
			c = d.Escape
		case 'P':
			c = d.Truncation
		case 'H', 'N':
			return dst, true
		}
		if c == 0 {
			return dst, false
		}
		return append(dst, c), true
	}
	if len(seq) == 0 {
		return dst, false
	}
	switch seq[0] {
	case 'X', 'x':
		h := seq[1:]
		if len(h) == 0 || len(h)%2 != 0 {
			return dst, false
		}
		for i := 0; i < len(h); i += 2 {
			if unhex(h[i]) > 15 || unhex(h[i+1]) > 15 {
				return dst, false
			}
		}
		for i := 0; i < len(h); i += 2 {
			dst = append(dst, unhex(h[i])<<4|unhex(h[i+1]))
		}
		return dst, true
	case 'C', 'M':
		if !allHex(seq[1:]) || (seq[0] == 'C' && len(seq) != 5) || (seq[0] == 'M' && len(seq) != 5 && len(seq) != 7) {
			return dst, false
		}
		return dst, true
	case '.':
		cmd := seq[1:]
		switch {
		case string(cmd) == "br":
			return append(dst, '\n'), true
		case len(cmd) >= 2 && string(cmd[:2]) == "sp" && numeric(cmd[2:]):
			return append(dst, '\n'), true
		case string(cmd) == "fi", string(cmd) == "nf", string(cmd) == "ce":
			return dst, true
		case len(cmd) >= 2 && (string(cmd[:2]) == "in" || string(cmd[:2]) == "ti" || string(cmd[:2]) == "sk") && signedNumeric(cmd[2:]):
			return dst, true
		}
	}
	return dst, false
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
	return 255
}

func allHex(b []byte) bool {
	for _, c := range b {
		if unhex(c) > 15 {
			return false
		}
	}
	return true
}

func numeric(b []byte) bool {
	for _, c := range b {
		if c < '0' || c > '9' {
			return false
		}
	}
	return true
}

func signedNumeric(b []byte) bool {
	if len(b) > 0 && (b[0] == '+' || b[0] == '-') {
		b = b[1:]
	}
	return numeric(b)
}

// AppendEscaped appends s to dst with every delimiter of d, the escape
// character, CR and LF replaced by escape sequences (\F\ \S\ \T\ \R\ \E\ \P\,
// \X0D\ and \X0A\), so that AppendUnescaped gives s back. It allocates only
// when dst lacks room.
func AppendEscaped(dst, s []byte, d Delimiters) []byte { return appendEscaped(dst, s, d) }

func appendEscaped[T string | []byte](dst []byte, s T, d Delimiters) []byte {
	if d.Escape == 0 {
		return append(dst, s...)
	}
	start := 0
	for i := 0; i < len(s); i++ {
		c := s[i]
		var code string
		switch {
		case c == 0:
			continue
		case c == d.Escape:
			code = "E"
		case c == d.Field:
			code = "F"
		case c == d.Component:
			code = "S"
		case c == d.Subcomponent:
			code = "T"
		case c == d.Repetition:
			code = "R"
		case c == d.Truncation:
			code = "P"
		case c == '\r':
			code = "X0D"
		case c == '\n':
			code = "X0A"
		default:
			continue
		}
		dst = append(dst, s[start:i]...)
		dst = append(dst, d.Escape)
		dst = append(dst, code...)
		dst = append(dst, d.Escape)
		start = i + 1
	}
	return append(dst, s[start:]...)
}
