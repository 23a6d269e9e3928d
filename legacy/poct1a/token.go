package poct1a

import "bytes"

// tokenKind is the kind of an XML token.
type tokenKind uint8

// Token kinds. Comments, processing instructions and DOCTYPE declarations
// are skipped; text and CDATA sections are skipped too, except inside the
// elements whose character data the decoder keeps (notes, events,
// reagents).
const (
	tagStart tokenKind = iota + 1 // <name attrs>
	tagEnd                        // </name>
	tagEmpty                      // <name attrs/>
)

// A token is one tag. name and the raw attributes are views valid until the
// next call to the tokenizer.
type token struct {
	kind   tokenKind
	name   []byte
	attrs  []byte // everything between the name and > or />
	offset int64  // of the <
}

// attr returns the value of attribute name (without quotes, entities not
// decoded), or nil.
func (t token) attr(name string) []byte {
	a := t.attrs
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

// local returns the element name without its namespace prefix ("p:OBS" ->
// "OBS"). The decoder matches elements by local name, so prefixes and
// xmlns declarations make no difference.
func (t token) local() []byte { return localName(t.name) }

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
	lost     bool    // bytes were lost: the start of the stream is not checked for its encoding

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
func (t *tokenizer) next() (token, error) {
	if t.rejected {
		t.consume(len(t.in))
		return token{}, ErrNeedMore
	}
	// UTF-16 (with or without a byte order mark) and UCS-4 put a NUL, 0xFE
	// or 0xFF in the first two bytes, which UTF-8 XML never does.
	for i := 0; !t.lost && t.off+int64(i) < 2 && i < len(t.in); i++ {
		if c := t.in[i]; c == 0 || c == 0xFE || c == 0xFF {
			t.rejected = true
			t.consume(len(t.in))
			return token{}, &Error{Offset: 0, Err: ErrEncoding}
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
				return token{}, &Error{Offset: t.tagOff, Err: ErrTagTooLong}
			}
			t.buf = append(t.buf, t.in[:i]...)
			t.consume(i)
			if !done {
				continue
			}
			t.state = tkText
			tok, ok := t.parseTag()
			if !ok {
				return token{}, &Error{Offset: t.tagOff, Err: ErrMalformed}
			}
			if tok.kind == 0 {
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
	return token{}, ErrNeedMore
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
func (t *tokenizer) parseTag() (token, bool) {
	b := t.buf[1 : len(t.buf)-1] // without < and >
	tok := token{offset: t.tagOff}
	switch {
	case len(b) == 0:
		return tok, false
	case b[0] == '!':
		return tok, true // declaration: skipped
	case b[0] == '/':
		tok.kind = tagEnd
		b = b[1:]
	case b[len(b)-1] == '/':
		tok.kind = tagEmpty
		b = b[:len(b)-1]
	default:
		tok.kind = tagStart
	}
	i := 0
	for i < len(b) && !isSpace(b[i]) {
		i++
	}
	if i == 0 {
		return token{}, false
	}
	tok.name = b[:i:i]
	tok.attrs = b[i:len(b):len(b)]
	return tok, true
}
