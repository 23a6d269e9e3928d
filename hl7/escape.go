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
//     \Mxxyyzz\ are dropped (use [AppendText] to honour the switches);
//   - anything else (an unknown or malformed sequence, or a trailing escape
//     character without its closing one) is kept literally.
//
// It allocates only when dst lacks room.
func AppendUnescaped(dst, v []byte, d Delimiters) []byte {
	for {
		lit, e, rest, ok := nextEscape(v, d)
		dst = append(dst, lit...)
		if !ok {
			return dst
		}
		switch e.kind {
		case escChar:
			dst = append(dst, e.c)
		case escHex:
			for h := e.arg; len(h) >= 2; h = h[2:] {
				dst = append(dst, unhex(h[0])<<4|unhex(h[1]))
			}
		case escBreak:
			dst = append(dst, '\n')
		}
		v = rest
	}
}

// An escKind says what a recognised escape sequence stands for.
type escKind uint8

const (
	escChar    escKind = iota // a delimiter: c
	escHex                    // \Xhh…\: bytes, arg holds the hex digits
	escBreak                  // \.br\ or \.sp…\: a line break
	escFormat                 // \H\ \N\ and the formatting commands: no text
	escCharset                // \Cxxyy\ or \Mxxyy[zz]\: arg holds the hex digits
)

type escSeq struct {
	kind escKind
	c    byte
	arg  []byte
}

// nextEscape splits v at its first recognised escape sequence: lit is the
// text before it, e the sequence and rest what follows. ok is false, and lit
// all of v, if there is none. An escape character that starts no recognised
// sequence (a lone trailing one included) is part of the literal text, and
// the search goes on from the next byte, so that "\\F\" still finds \F\.
func nextEscape(v []byte, d Delimiters) (lit []byte, e escSeq, rest []byte, ok bool) {
	if d.Escape == 0 {
		return v, e, nil, false
	}
	for from := 0; ; {
		i := bytes.IndexByte(v[from:], d.Escape)
		if i < 0 {
			return v, e, nil, false
		}
		i += from
		j := bytes.IndexByte(v[i+1:], d.Escape)
		if j < 0 {
			return v, e, nil, false
		}
		if e, ok = parseEscape(v[i+1:i+1+j], d); ok {
			return v[:i], e, v[i+2+j:], true
		}
		from = i + 1
	}
}

// parseEscape recognises the escape sequence seq (between the escape
// characters).
func parseEscape(seq []byte, d Delimiters) (escSeq, bool) {
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
			return escSeq{kind: escFormat}, true
		}
		return escSeq{kind: escChar, c: c}, c != 0
	}
	if len(seq) == 0 {
		return escSeq{}, false
	}
	switch seq[0] {
	case 'X', 'x':
		h := seq[1:]
		return escSeq{kind: escHex, arg: h}, len(h) > 0 && len(h)%2 == 0 && allHex(h)
	case 'C', 'M':
		h := seq[1:]
		return escSeq{kind: escCharset, arg: h}, allHex(h) && (len(h) == 4 || seq[0] == 'M' && len(h) == 6)
	case '.':
		cmd := seq[1:]
		switch {
		case string(cmd) == "br":
			return escSeq{kind: escBreak}, true
		case len(cmd) >= 2 && string(cmd[:2]) == "sp" && numeric(cmd[2:]):
			return escSeq{kind: escBreak}, true
		case string(cmd) == "fi", string(cmd) == "nf", string(cmd) == "ce":
			return escSeq{kind: escFormat}, true
		case len(cmd) >= 2 && (string(cmd[:2]) == "in" || string(cmd[:2]) == "ti" || string(cmd[:2]) == "sk") && signedNumeric(cmd[2:]):
			return escSeq{kind: escFormat}, true
		}
	}
	return escSeq{}, false
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
