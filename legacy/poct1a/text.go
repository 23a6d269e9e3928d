package poct1a

import (
	"bytes"
	"unicode/utf8"
)

// AppendText appends the XML text s to dst with the five predefined
// entities (&amp; &lt; &gt; &quot; &apos;) and numeric character references
// (&#65; &#x41;) decoded, and returns the result. A reference that is
// malformed, unknown, or names a character XML does not allow is copied as
// sent and decoding goes on; the first one is reported as an [*Error]
// wrapping [ErrEntity] whose Offset is its index in s. AppendText allocates
// only when dst is too small or to report an error; [AppendUnescape] never
// allocates for the error.
func AppendText(dst, s []byte) ([]byte, error) {
	dst, bad := appendText(dst, s)
	if bad >= 0 {
		return dst, &Error{Offset: int64(bad), Err: ErrEntity}
	}
	return dst, nil
}

// AppendUnescape is [AppendText] without the error: malformed references
// are kept as sent.
func AppendUnescape(dst, s []byte) []byte {
	dst, _ = appendText(dst, s)
	return dst
}

// appendText is AppendText returning the offset of the first malformed
// reference, or -1.
func appendText(dst, s []byte) ([]byte, int) {
	bad := -1
	for off := 0; ; {
		i := bytes.IndexByte(s[off:], '&')
		if i < 0 {
			return append(dst, s[off:]...), bad
		}
		dst = append(dst, s[off:off+i]...)
		off += i
		// A reference is at most "&#x10FFFF;" or "&quot;" plus leading zeros;
		// 32 bytes bound the search for its ';'.
		j := bytes.IndexByte(s[off:min(len(s), off+32)], ';')
		ok := j > 1
		if ok {
			var r rune
			switch ent := s[off+1 : off+j]; string(ent) {
			case "amp":
				r = '&'
			case "lt":
				r = '<'
			case "gt":
				r = '>'
			case "quot":
				r = '"'
			case "apos":
				r = '\''
			default:
				r, ok = charRef(ent)
			}
			if ok {
				dst = utf8.AppendRune(dst, r)
				off += j + 1
				continue
			}
		}
		if bad < 0 {
			bad = off
		}
		dst = append(dst, '&')
		off++
	}
}

func charRef(e []byte) (rune, bool) {
	if len(e) < 2 || e[0] != '#' {
		return 0, false
	}
	base, digits := 10, e[1:]
	if digits[0] == 'x' || digits[0] == 'X' {
		base, digits = 16, digits[1:]
	}
	if len(digits) == 0 {
		return 0, false
	}
	var r rune
	for _, c := range digits {
		var v rune
		switch {
		case c >= '0' && c <= '9':
			v = rune(c - '0')
		case base == 16 && c >= 'a' && c <= 'f':
			v = rune(c-'a') + 10
		case base == 16 && c >= 'A' && c <= 'F':
			v = rune(c-'A') + 10
		default:
			return 0, false
		}
		r = r*rune(base) + v
		if r > 0x10FFFF {
			return 0, false
		}
	}
	return r, isXMLChar(r)
}

// isXMLChar reports whether XML 1.0 allows r in a document (the Char
// production).
func isXMLChar(r rune) bool {
	switch {
	case r == 0x9 || r == 0xA || r == 0xD:
		return true
	case r < 0x20:
		return false
	case r >= 0xD800 && r < 0xE000, r == 0xFFFE, r == 0xFFFF:
		return false
	}
	return r <= 0x10FFFF
}
