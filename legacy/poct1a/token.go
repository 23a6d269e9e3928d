package poct1a

import (
	"bytes"
	"errors"
	"strconv"
	"unicode/utf8"
)

// Sentinel errors, wrapped in an [*Error] with the stream offset.
var (
	ErrNeedMore   = errors.New("poct1a: need more input")
	ErrTagTooLong = errors.New("poct1a: tag too long")
	ErrMalformed  = errors.New("poct1a: malformed tag")
	ErrUnbalanced = errors.New("poct1a: end tag does not match")
	ErrTooDeep    = errors.New("poct1a: elements nested too deeply")
	ErrTooLarge   = errors.New("poct1a: message too large")
	ErrEncoding   = errors.New("poct1a: not UTF-8 (UTF-16 and other encodings are not supported)")
	ErrEntity     = errors.New("poct1a: malformed entity or character reference")
)

// Error carries a sentinel and the stream offset where it was found.
type Error struct {
	Offset int64
	Err    error
}

func (e *Error) Error() string {
	return e.Err.Error() + " at offset " + strconv.FormatInt(e.Offset, 10)
}

// Unwrap returns the sentinel.
func (e *Error) Unwrap() error { return e.Err }

// TokenKind is the kind of an XML token.
type TokenKind uint8

// Token kinds. Comments and DOCTYPE declarations are skipped; text and CDATA
// sections are skipped too, except inside the elements whose character data
// the decoder keeps (notes, events, reagents).
const (
	StartTag TokenKind = iota + 1 // <name attrs>
	EndTag                        // </name>
	EmptyTag                      // <name attrs/>
	ProcInst                      // not returned: processing instructions are skipped like comments
)

// A Token is one tag. Name and the raw attributes are views valid until the
// next call to the tokenizer.
type Token struct {
	Kind   TokenKind
	Name   []byte
	Attrs  []byte // everything between the name and > or />
	Offset int64  // of the <
}

// Attr returns the value of attribute name (without quotes, entities not
// decoded), or nil.
func (t Token) Attr(name string) []byte {
	a := t.Attrs
	for len(a) > 0 {
		i := 0
		for i < len(a) && isSpace(a[i]) {
			i++
		}
		a = a[i:]
		j := 0
		for j < len(a) && a[j] != '=' && !isSpace(a[j]) {
			j++
		}
		key := a[:j]
		a = a[j:]
		for len(a) > 0 && isSpace(a[0]) {
			a = a[1:]
		}
		if len(a) == 0 || a[0] != '=' {
			if len(key) == 0 {
				return nil
			}
			continue
		}
		a = a[1:]
		for len(a) > 0 && isSpace(a[0]) {
			a = a[1:]
		}
		if len(a) == 0 {
			return nil
		}
		q := a[0]
		if q != '"' && q != '\'' {
			return nil
		}
		end := bytes.IndexByte(a[1:], q)
		if end < 0 {
			return nil
		}
		val := a[1 : 1+end]
		a = a[end+2:]
		if string(key) == name {
			return val[:len(val):len(val)]
		}
	}
	return nil
}

// Local returns the element name without its namespace prefix ("p:OBS" ->
// "OBS"). The decoder matches elements by local name, so prefixes and
// xmlns declarations make no difference.
func (t Token) Local() []byte { return localName(t.Name) }

func localName(name []byte) []byte {
	if i := bytes.LastIndexByte(name, ':'); i >= 0 {
		return name[i+1:]
	}
	return name
}

func isSpace(c byte) bool { return c == ' ' || c == '\t' || c == '\r' || c == '\n' }

const (
	tkText    = iota // outside tags
	tkTag            // inside <...>, buffering
	tkQuote          // inside a quoted attribute value
	tkComment        // inside <!-- ... -->
	tkCDATA          // inside <![CDATA[ ... ]]>
	tkPI             // inside <? ... ?>
)

// tokenizer splits a byte stream into tags with a bounded buffer.
type tokenizer struct {
	in       []byte
	off      int64 // stream offset of in[0]
	state    int
	quote    byte
	buf      []byte // the tag being read, from its <
	tagOff   int64
	max      int
	tail     [2]byte // last two bytes seen in a comment or CDATA section
	skipping bool    // skipping the rest of an oversized tag
	rejected bool    // the stream is not UTF-8: everything is discarded

	// Character data capture, switched on by the decoder. Text is kept as
	// sent; CDATA content is escaped as it is copied so that the whole stays
	// one XML text that AppendText decodes.
	capture   bool
	brackets  int // ']' held back in a captured CDATA section
	textN     int
	textTrunc bool
	text      [MaxText]byte
}

// MaxText is the number of bytes of character data kept per note, event or
// reagent; the rest is dropped and the item marked Truncated.
const MaxText = 512

func (t *tokenizer) captureByte(c byte) {
	if t.textN == len(t.text) {
		t.textTrunc = true
		return
	}
	t.text[t.textN] = c
	t.textN++
}

func (t *tokenizer) captureText(p []byte) {
	n := copy(t.text[t.textN:], p)
	t.textN += n
	if n < len(p) {
		t.textTrunc = true
	}
}

// captureCDATA copies one byte of CDATA content, escaped.
func (t *tokenizer) captureCDATA(c byte) {
	switch c {
	case '<':
		t.captureText([]byte("&lt;"))
	case '>':
		t.captureText([]byte("&gt;"))
	case '&':
		t.captureText([]byte("&amp;"))
	default:
		t.captureByte(c)
	}
}

// startCapture empties the text buffer and starts keeping character data.
func (t *tokenizer) startCapture() {
	t.capture, t.textN, t.textTrunc = true, 0, false
}

// captured returns the character data kept since startCapture, without
// leading and trailing white space, and stops capturing.
func (t *tokenizer) captured() ([]byte, bool) {
	t.capture = false
	b := t.text[:t.textN]
	for len(b) > 0 && isSpace(b[0]) {
		b = b[1:]
	}
	for len(b) > 0 && isSpace(b[len(b)-1]) {
		b = b[:len(b)-1]
	}
	return b[:len(b):len(b)], t.textTrunc
}

func (t *tokenizer) consume(n int) {
	t.in = t.in[n:]
	t.off += int64(n)
}

// next returns the next tag, or ErrNeedMore. Errors are not sticky.
func (t *tokenizer) next() (Token, error) {
	if t.rejected {
		t.consume(len(t.in))
		return Token{}, ErrNeedMore
	}
	// UTF-16 (with or without a byte order mark) and UCS-4 put a NUL, 0xFE
	// or 0xFF in the first two bytes, which UTF-8 XML never does.
	for i := 0; t.off+int64(i) < 2 && i < len(t.in); i++ {
		if c := t.in[i]; c == 0 || c == 0xFE || c == 0xFF {
			t.rejected = true
			t.consume(len(t.in))
			return Token{}, &Error{Offset: 0, Err: ErrEncoding}
		}
	}
	for len(t.in) > 0 {
		switch t.state {
		case tkText:
			i := bytes.IndexByte(t.in, '<')
			n := i
			if i < 0 {
				n = len(t.in)
			}
			if t.capture {
				t.captureText(t.in[:n])
			}
			t.consume(n)
			if i < 0 {
				continue
			}
			t.tagOff = t.off
			t.buf = append(t.buf[:0], '<')
			t.consume(1)
			t.state = tkTag
		case tkTag, tkQuote:
			// Comments and CDATA sections are recognised byte by byte from
			// their first characters, so that they are never buffered.
			if t.state == tkTag && !t.skipping && len(t.buf) < len(cdataOpen) {
				c := t.in[0]
				if isDeclPrefix(t.buf, c) {
					t.buf = append(t.buf, c)
					t.consume(1)
					switch string(t.buf) {
					case commentOpen:
						t.state, t.tail = tkComment, [2]byte{}
					case cdataOpen:
						t.state, t.tail, t.brackets = tkCDATA, [2]byte{}, 0
					case piOpen:
						t.state, t.tail = tkPI, [2]byte{}
					}
					continue
				}
			}
			// Copy up to the end of the tag, minding quoted values.
			i := 0
			done := false
			for ; i < len(t.in); i++ {
				c := t.in[i]
				if t.state == tkQuote {
					if c == t.quote {
						t.state = tkTag
					}
					continue
				}
				if c == '"' || c == '\'' {
					t.state, t.quote = tkQuote, c
				} else if c == '>' {
					done = true
					i++
					break
				}
			}
			if t.skipping {
				t.consume(i)
				if done {
					t.skipping = false
					t.state = tkText
				}
				continue
			}
			if len(t.buf)+i > t.max {
				// Skip the rest of the tag, still minding quotes.
				t.consume(i)
				t.buf = t.buf[:0]
				if done {
					t.state = tkText
				} else {
					t.skipping = true
				}
				return Token{}, &Error{Offset: t.tagOff, Err: ErrTagTooLong}
			}
			t.buf = append(t.buf, t.in[:i]...)
			t.consume(i)
			if !done {
				continue
			}
			t.state = tkText
			tok, ok := t.parseTag()
			if !ok {
				return Token{}, &Error{Offset: t.tagOff, Err: ErrMalformed}
			}
			if tok.Kind == 0 {
				continue // DOCTYPE and other declarations
			}
			return tok, nil
		case tkComment, tkCDATA, tkPI:
			// Comments end with -->, CDATA sections with ]]>, processing
			// instructions with ?>.
			end := byte('-')
			switch t.state {
			case tkCDATA:
				end = ']'
			case tkPI:
				end = '?'
			}
			pi := t.state == tkPI
			cdata := t.state == tkCDATA && t.capture
			i := 0
			for ; i < len(t.in); i++ {
				c := t.in[i]
				if c == '>' && t.tail[1] == end && (pi || t.tail[0] == end) {
					i++
					t.state = tkText
					break
				}
				t.tail[0], t.tail[1] = t.tail[1], c
				if cdata {
					// Hold back up to two ']' that may close the section.
					if c == ']' {
						if t.brackets == 2 {
							t.captureByte(']')
						} else {
							t.brackets++
						}
						continue
					}
					for ; t.brackets > 0; t.brackets-- {
						t.captureByte(']')
					}
					t.captureCDATA(c)
				}
			}
			t.consume(i)
		}
	}
	return Token{}, ErrNeedMore
}

const (
	commentOpen = "<!--"
	cdataOpen   = "<![CDATA["
	piOpen      = "<?"
)

// isDeclPrefix reports whether buf followed by c is still a strict prefix of
// (or equal to) the opening of a comment or CDATA section.
func isDeclPrefix(buf []byte, c byte) bool {
	n := len(buf)
	if n == 1 && c != '!' && c != '?' {
		return false // an element's tag: the common case
	}
	for _, open := range [3]string{commentOpen, cdataOpen, piOpen} {
		if n < len(open) && string(buf) == open[:n] && open[n] == c {
			return true
		}
	}
	return false
}

// parseTag reads the tag in t.buf.
func (t *tokenizer) parseTag() (Token, bool) {
	b := t.buf[1 : len(t.buf)-1] // without < and >
	tok := Token{Offset: t.tagOff}
	switch {
	case len(b) == 0:
		return tok, false
	case b[0] == '!':
		return tok, true // declaration: skipped
	case b[0] == '/':
		tok.Kind = EndTag
		b = b[1:]
	case b[len(b)-1] == '/':
		tok.Kind = EmptyTag
		b = b[:len(b)-1]
	default:
		tok.Kind = StartTag
	}
	i := 0
	for i < len(b) && !isSpace(b[i]) {
		i++
	}
	if i == 0 {
		return Token{}, false
	}
	tok.Name = b[:i:i]
	tok.Attrs = b[i:len(b):len(b)]
	return tok, true
}

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

// ByteOffset returns e.Offset.
func (e *Error) ByteOffset() int64 { return e.Offset }
