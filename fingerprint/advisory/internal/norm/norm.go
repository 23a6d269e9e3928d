// Package norm turns vendor and product names into the keys the advisory
// table is matched by. The generator and the matcher share it, so a name
// normalises alike in the table and in a query. Nothing here allocates when
// dst has room.
package norm

import (
	"strings"
	"unicode/utf8"
)

// Words appends to dst the words of s: lowercase ASCII letters and digits,
// separated by single spaces. Latin letters with diacritics fold to their
// base letters (ä→a, ß→ss, æ→ae), apostrophes vanish ("N'Vision" → "nvision"),
// everything else separates words. Parenthesised text is kept when
// keepParens is true and dropped otherwise. dst never grows past its
// capacity: what does not fit is cut at a word boundary.
func Words(dst []byte, s string, keepParens bool) []byte {
	start := len(dst)
	space := false // a separator is pending
	depth := 0
	for i := 0; i < len(s); {
		c := s[i]
		fold := ""
		if c < utf8.RuneSelf {
			i++
			switch {
			case c == '(' && !keepParens:
				depth++
				space = true
				continue
			case c == ')' && !keepParens:
				depth = max(depth-1, 0)
				space = true
				continue
			case c == '\'':
				continue
			case c >= 'A' && c <= 'Z':
				c += 'a' - 'A'
			case c >= 'a' && c <= 'z', c >= '0' && c <= '9':
			default:
				space = true
				continue
			}
			fold = asciiLetters[c : c+1]
		} else {
			r, n := utf8.DecodeRuneInString(s[i:])
			i += n
			if r == '\u2019' { // right single quotation mark, used as apostrophe
				continue
			}
			if fold = foldRune(r); fold == "" {
				space = true
				continue
			}
		}
		if depth > 0 {
			continue
		}
		need := len(fold)
		if space && len(dst) > start {
			need++
		}
		if len(dst)+need > cap(dst) {
			if space || len(dst) == start {
				return dst // full at a word boundary
			}
			return cut(dst, start)
		}
		if space && len(dst) > start {
			dst = append(dst, ' ')
		}
		space = false
		dst = append(dst, fold...)
	}
	return dst
}

// asciiLetters[c:c+1] is the one-byte string of c.
const asciiLetters = "\x00\x01\x02\x03\x04\x05\x06\x07\x08\x09\x0a\x0b\x0c\x0d\x0e\x0f" +
	"\x10\x11\x12\x13\x14\x15\x16\x17\x18\x19\x1a\x1b\x1c\x1d\x1e\x1f" +
	" !\"#$%&'()*+,-./0123456789:;<=>?@ABCDEFGHIJKLMNOPQRSTUVWXYZ[\\]^_`abcdefghijklmnopqrstuvwxyz{|}~\x7f"

// cut drops a partial last word of a full dst.
func cut(dst []byte, start int) []byte {
	for i := len(dst) - 1; i >= start; i-- {
		if dst[i] == ' ' {
			return dst[:i]
		}
	}
	return dst
}

// foldRune maps a Latin-1 Supplement or Latin Extended-A letter to its
// ASCII base letters, "" for anything else.
func foldRune(r rune) string {
	if r >= 0xC0 && r < 0x180 {
		return latinFold[r-0xC0]
	}
	return ""
}

// latinFold holds U+00C0..U+017F (the letters' canonical decompositions
// without their marks; Æ, Ø, Þ, ß, Đ, Ł, Œ and a few more by hand).
var latinFold = [192]string{
	"a", "a", "a", "a", "a", "a", "ae", "c", "e", "e", "e", "e", "i", "i", "i", "i", // 00C0
	"d", "n", "o", "o", "o", "o", "o", "", "o", "u", "u", "u", "u", "y", "th", "ss", // 00D0
	"a", "a", "a", "a", "a", "a", "ae", "c", "e", "e", "e", "e", "i", "i", "i", "i", // 00E0
	"d", "n", "o", "o", "o", "o", "o", "", "o", "u", "u", "u", "u", "y", "th", "y", // 00F0
	"a", "a", "a", "a", "a", "a", "c", "c", "c", "c", "c", "c", "c", "c", "d", "d", // 0100
	"d", "d", "e", "e", "e", "e", "e", "e", "e", "e", "e", "e", "g", "g", "g", "g", // 0110
	"g", "g", "g", "g", "h", "h", "h", "h", "i", "i", "i", "i", "i", "i", "i", "i", // 0120
	"i", "i", "ij", "ij", "j", "j", "k", "k", "k", "l", "l", "l", "l", "l", "l", "l", // 0130
	"l", "l", "l", "n", "n", "n", "n", "n", "n", "n", "n", "n", "o", "o", "o", "o", // 0140
	"o", "o", "oe", "oe", "r", "r", "r", "r", "r", "r", "s", "s", "s", "s", "s", "s", // 0150
	"s", "s", "t", "t", "t", "t", "t", "t", "u", "u", "u", "u", "u", "u", "u", "u", // 0160
	"u", "u", "u", "u", "w", "w", "y", "y", "y", "z", "z", "z", "z", "z", "z", "s", // 0170
}

// legalForms are trailing words of a company name that say only its legal
// form; they are dropped from vendor keys.
var legalForms = [...]string{
	"ab", "ag", "bv", "co", "corp", "corporation", "gmbh", "inc", "incorporated",
	"kg", "kk", "limited", "llc", "ltd", "nv", "oy", "oyj", "plc", "pty", "sa",
	"sas", "se", "spa", "srl",
}

// VendorWords appends the words of a vendor name (parenthesised text
// dropped, trailing legal forms such as "Inc.", "Co, Ltd.", "AG", "N.V."
// dropped, never the first word).
func VendorWords(dst []byte, s string) []byte {
	start := len(dst)
	dst = Words(dst, s, false)
	for {
		w := dst[start:]
		i := strings.LastIndexByte(string(w), ' ')
		if i < 0 {
			return dst
		}
		if isLegalForm(w[i+1:]) {
			dst = dst[:start+i]
			continue
		}
		// "N.V.", "S.A.": two one-letter words
		j := strings.LastIndexByte(string(w[:i]), ' ')
		if j >= 0 && i == len(w)-2 && j == i-2 && isLegalForm([]byte{w[i-1], w[i+1]}) {
			dst = dst[:start+j]
			continue
		}
		return dst
	}
}

func isLegalForm(w []byte) bool {
	for _, f := range legalForms {
		if string(w) == f {
			return true
		}
	}
	return false
}

// Join appends words without their spaces: the key of a vendor name.
func Join(dst, words []byte) []byte {
	for _, c := range words {
		if c != ' ' && len(dst) < cap(dst) {
			dst = append(dst, c)
		}
	}
	return dst
}

// PrefixMatch reports whether one of the word strings a and b (as [Words]
// writes them) is a prefix of the other that ends at a word boundary of the
// longer: at the end of a word, or between a letter and a digit. Spaces do
// not count, so "MX 40" equals "mx40", and "optima ct" is a prefix of
// "optima ct540" but "mx40" is not one of "mx400". Empty strings match
// nothing.
func PrefixMatch[A, B ~string | ~[]byte](a A, b B) bool {
	if len(a) == 0 || len(b) == 0 {
		return false
	}
	// Equal bytes are equal words and spaces alike: skip them quickly.
	i := 0
	for i < len(a) && i < len(b) && a[i] == b[i] {
		i++
	}
	j := i
	for {
		for i < len(a) && a[i] == ' ' {
			i++
		}
		for j < len(b) && b[j] == ' ' {
			j++
		}
		switch {
		case i == len(a) && j == len(b):
			return true
		case i == len(a):
			return boundary(b, j)
		case j == len(b):
			return boundary(a, i)
		}
		if a[i] != b[j] {
			return false
		}
		i++
		j++
	}
}

// boundary reports whether a word string (positioned after any spaces at
// k) may be cut before k: a space precedes k, or k changes between letters
// and digits.
func boundary[S ~string | ~[]byte](s S, k int) bool {
	if k == 0 || s[k-1] == ' ' {
		return true
	}
	return isDigit(s[k-1]) != isDigit(s[k])
}

func isDigit(c byte) bool { return c >= '0' && c <= '9' }
