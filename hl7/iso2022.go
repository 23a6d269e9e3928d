package hl7

import (
	"bytes"
	"encoding/binary"
	"unicode/utf8"

	"golang.org/x/text/encoding"
	"golang.org/x/text/encoding/charmap"
	"golang.org/x/text/transform"

	"github.com/medtap/medtap/hl7/internal/cns11643"
)

// This file decodes text in an HL7 character set to UTF-8 as an ISO 2022
// code (ISO/IEC 2022, ECMA-35): four designated sets G0-G3, G0 invoked into
// GL (0x21-0x7E; G1 after SO until SI), G1 into GR (0xA0-0xFF), G2 and G3
// reached by single shifts (ESC N, ESC O, or 0x8E, 0x8F). Escape sequences
// designate sets; HL7's \Cxxyy\ and \Mxxyy[zz]\ escapes are the same
// designations written in hex (see AppendText). Multi-byte encodings that
// are not ISO 2022 codes (UTF-8, Shift_JIS, UHC, GB 18030, Big5, EUC-TW's
// four-byte form) sit in G1 as a whole: a byte from 0x80 up starts one of
// their characters, decoded by their own decoder.

const (
	esc = 0x1B
	so  = 0x0E // locking shift one: G1 into GL
	si  = 0x0F // locking shift zero: G0 into GL
	ss2 = 0x8E // single shift two: the next character from G2
	ss3 = 0x8F // single shift three: the next character from G3
)

type setKind uint8

const (
	setNone     setKind = iota // nothing designated: each byte is U+FFFD
	setASCII                   // ISO-IR 6; also ISO-IR 14 (JIS X 0201 Roman), read as ASCII
	setKatakana                // ISO-IR 13, JIS X 0201 katakana
	setLatin                   // a 96-character set through cm (ISO 8859 parts, TIS-620)
	setDBCS                    // a 94×94 set of dbcsTables[arg]
	setCNS                     // CNS 11643 plane arg
	setUnknown                 // designated by an escape sequence we do not know
	setBase                    // G1 only: the base encoding's own multi-byte decoder
)

// A gset is a designated character set.
type gset struct {
	kind  setKind
	width uint8 // bytes a character
	is96  bool  // 96 characters a row (0x20-0x7F), not 94 (0x21-0x7E)
	arg   uint8
	cm    *charmap.Charmap
}

var ascii = gset{kind: setASCII, width: 1}

type baseKind uint8

const (
	baseNone  baseKind = iota
	baseUTF8           // lenient: what "ASCII" text holds beyond ASCII is taken as UTF-8
	baseEUCTW          // CNS 11643-1992
	baseXText          // an x/text decoder: Shift_JIS, EUC-KR (UHC), GB 18030, Big5
)

// A textDecoder turns bytes in an HL7 character set into UTF-8. It keeps
// the bytes of a character cut by the end of a chunk until the next one, so
// text may come in pieces (between escape sequences). The zero value is not
// ready: call init.
type textDecoder struct {
	g      [4]gset
	g0     gset  // G0 at the start of the text and of each line
	gl     uint8 // the set invoked into GL: 0, or 1 after SO
	ss     uint8 // 2 or 3 after a single shift, until the next character
	rawESC bool  // ESC bytes in the text are escape sequences
	wide   uint8 // 2 for UTF-16, 4 for UTF-32: not ASCII-compatible, decoded by enc alone
	base   baseKind
	np     uint8
	pend   [4]byte
	enc    encoding.Encoding // for baseXText and wide
	x      *xtextUnit
	err    error // ErrCharsetEscape after an unknown designation
}

// init sets the decoder up for the HL7 character set name (MSH-18, table
// 0211). It reports false for an unknown name.
func (d *textDecoder) init(name []byte) bool {
	name = bytes.TrimSpace(name)
	*d = textDecoder{rawESC: true}
	d.g[0], d.g0 = ascii, ascii
	switch string(name) {
	case "", "ASCII", "ISO IR6":
		d.g[1], d.base = gset{kind: setBase}, baseUTF8
		return true
	case "UNICODE", "UNICODE UTF-8":
		d.g[1], d.base, d.rawESC = gset{kind: setBase}, baseUTF8, false
		return true
	case "ISO IR87", "ISO IR159":
		return true // ISO-2022-JP: 7 bits, JIS sets designated into G0
	case "UNICODE UTF-16":
		d.enc, _ = Charset(name)
		d.wide = 2
		return true
	case "UNICODE UTF-32":
		d.enc, _ = Charset(name)
		d.wide = 4
		return true
	}
	enc, ok := Charset(name)
	if !ok {
		return false
	}
	switch enc := enc.(type) {
	case *charmap.Charmap:
		d.g[1] = gset{kind: setLatin, width: 1, is96: true, cm: enc}
	default:
		d.g[1], d.base, d.enc = gset{kind: setBase}, baseXText, enc
		if enc == cns11643.EUCTW {
			d.base = baseEUCTW
		}
	}
	return true
}

// write decodes b, which continues the text, and appends it to dst.
func (d *textDecoder) write(dst, b []byte) []byte {
	for d.np > 0 && len(b) > 0 {
		d.pend[d.np] = b[0]
		d.np++
		b = b[1:]
		dst = d.drain(dst, false)
	}
	for len(b) > 0 {
		c := b[0]
		if d.ss == 0 {
			// Fast paths: runs of printable ASCII, and single-byte sets in GR.
			if c >= 0x20 && c < 0x7F && d.g[d.gl].kind == setASCII {
				i := printable(b)
				dst = append(dst, b[:i]...)
				b = b[i:]
				continue
			}
			if c >= 0xA0 && d.g[1].kind == setLatin {
				dst = utf8.AppendRune(dst, d.g[1].cm.DecodeByte(c))
				b = b[1:]
				continue
			}
		}
		out, n := d.unit(dst, b, false)
		if n == 0 {
			if len(b) < len(d.pend) {
				d.np = uint8(copy(d.pend[:], b))
				return dst
			}
			out, n = d.unit(dst, b, true)
		}
		dst, b = out, b[n:]
	}
	return dst
}

// printable returns the length of the run of bytes 0x20-0x7E that starts
// b, eight at a time while it can (the tests of "Bit Twiddling Hacks" for a
// byte less than 0x20 and one more than 0x7E).
func printable(b []byte) int {
	i := 0
	for ; i+8 <= len(b); i += 8 {
		w := binary.LittleEndian.Uint64(b[i:])
		below := (w - 0x2020202020202020) &^ w // high bit set by a byte < 0x20
		above := (w + 0x0101010101010101) | w  // high bit set by a byte > 0x7E
		if (below|above)&0x8080808080808080 != 0 {
			break
		}
	}
	for i < len(b) && b[i] >= 0x20 && b[i] < 0x7F {
		i++
	}
	return i
}

// drain decodes what the pending bytes hold. With final, the text ends
// there: a character cut short becomes U+FFFD.
func (d *textDecoder) drain(dst []byte, final bool) []byte {
	for d.np > 0 {
		out, n := d.unit(dst, d.pend[:d.np], final || int(d.np) == len(d.pend))
		if n == 0 {
			return dst
		}
		dst = out
		d.np = uint8(copy(d.pend[:], d.pend[n:d.np]))
	}
	return dst
}

// flush ends the text.
func (d *textDecoder) flush(dst []byte) []byte { return d.drain(dst, true) }

// unit decodes the character, control or escape sequence at the start of b
// (not empty) and returns dst with its text appended and its length. It
// returns 0 if b holds only the beginning of one and final is false; with
// final it always consumes at least one byte.
func (d *textDecoder) unit(dst, b []byte, final bool) ([]byte, int) {
	c := b[0]
	switch {
	case c == esc && d.rawESC:
		n, slot, s, kind := parseEscape2022(b)
		switch kind {
		case escMore:
			if !final {
				return dst, 0
			}
		case escDesignate:
			d.designateSet(slot, s)
			return dst, n
		case escShift:
			d.ss = slot
			return dst, n
		}
		return utf8.AppendRune(dst, utf8.RuneError), 1
	case (c == so || c == si) && d.g[1].kind != setBase && d.g[1].kind != setNone:
		d.gl = 0
		if c == so {
			d.gl = 1
		}
		return dst, 1
	case c < 0x20 || c == 0x7F:
		if c == '\n' || c == '\r' {
			d.g[0], d.gl = d.g0, 0
		}
		d.ss = 0
		return append(dst, c), 1
	case c == ' ':
		return append(dst, c), 1
	case c < 0x80:
		s := d.g[d.gl]
		if d.ss != 0 {
			s = d.g[d.ss]
		}
		return d.graphic(dst, b, s, 0, final)
	case (c == ss2 || c == ss3) && d.g[c-ss2+2].kind != setNone:
		d.ss = c - ss2 + 2
		return dst, 1
	case c >= 0xA0 && d.ss != 0:
		return d.graphic(dst, b, d.g[d.ss], 0x80, final)
	case d.g[1].kind == setBase:
		return d.baseUnit(dst, b, final)
	case c >= 0xA0:
		return d.graphic(dst, b, d.g[1], 0x80, final)
	}
	return utf8.AppendRune(dst, utf8.RuneError), 1
}

// graphic decodes a character of set s whose bytes have the high bit hi.
func (d *textDecoder) graphic(dst, b []byte, s gset, hi byte, final bool) ([]byte, int) {
	w := int(s.width)
	if w == 0 {
		w = 1
	}
	lo, top := byte(0x21), byte(0x7E)
	if s.is96 {
		lo, top = 0x20, 0x7F
	}
	for i := 0; i < w; i++ {
		if i == len(b) {
			if !final {
				return dst, 0 // a single shift stays for the whole character
			}
			d.ss = 0
			return utf8.AppendRune(dst, utf8.RuneError), len(b)
		}
		if c := b[i]; c&0x80 != hi || c&0x7F < lo || c&0x7F > top {
			d.ss = 0
			return utf8.AppendRune(dst, utf8.RuneError), 1
		}
	}
	d.ss = 0
	b1, b2 := b[0]&0x7F, b[w-1]&0x7F
	r := utf8.RuneError
	switch s.kind {
	case setASCII:
		r = rune(b1)
	case setKatakana:
		if b1 <= 0x5F {
			r = 0xFF61 + rune(b1-0x21)
		}
	case setLatin:
		r = s.cm.DecodeByte(b1 | 0x80)
	case setDBCS:
		r = dbcsLookup(s.arg, b1, b2)
	case setCNS:
		if r = cns11643.Lookup(int(s.arg), b1, b2); r == 0 {
			r = utf8.RuneError
		}
	}
	return utf8.AppendRune(dst, r), w
}

func (d *textDecoder) baseUnit(dst, b []byte, final bool) ([]byte, int) {
	d.ss = 0
	switch d.base {
	case baseUTF8:
		if !final && !utf8.FullRune(b) {
			return dst, 0
		}
		r, n := utf8.DecodeRune(b)
		return utf8.AppendRune(dst, r), n
	case baseEUCTW:
		r, n := cns11643.Decode(b, final)
		if n == 0 {
			return dst, 0
		}
		return utf8.AppendRune(dst, r), n
	case baseXText:
		return d.xtext(dst, b, final)
	}
	return utf8.AppendRune(dst, utf8.RuneError), 1
}

// An xtextUnit runs an x/text decoder one character at a time. It lives on
// the heap so that nothing of the caller's stack reaches the decoder, an
// interface the compiler cannot see through.
type xtextUnit struct {
	t   transform.Transformer
	in  [4]byte
	out [utf8.UTFMax]byte
}

// xtext decodes one character with the base encoding's x/text decoder,
// given room for one rune only: the smallest output buffer it fills holds
// exactly the first character (decoders consume several at once once they
// see enough input).
func (d *textDecoder) xtext(dst, b []byte, final bool) ([]byte, int) {
	if d.x == nil {
		d.x = &xtextUnit{t: d.enc.NewDecoder()}
	}
	x := d.x
	m := copy(x.in[:], b)
	for size := 1; size <= utf8.UTFMax; size++ {
		x.t.Reset()
		nDst, nSrc, err := x.t.Transform(x.out[:size], x.in[:m], final && m == len(b))
		if nSrc > 0 {
			return append(dst, x.out[:nDst]...), nSrc
		}
		if err == transform.ErrShortSrc && !final && len(b) < len(x.in) {
			return dst, 0
		}
		if err != transform.ErrShortDst {
			break
		}
	}
	return utf8.AppendRune(dst, utf8.RuneError), 1
}

func (d *textDecoder) designateSet(slot uint8, s gset) {
	d.g[slot] = s
	if s.kind == setUnknown {
		d.err = ErrCharsetEscape
	}
}

// designate applies the HL7 escape \Cxxyy\ or \Mxxyy[zz]\ whose hex digits
// are h (4 or 6, checked by the caller): ESC followed by those bytes must
// be one designation. Otherwise it appends U+FFFD and records
// ErrCharsetEscape.
func (d *textDecoder) designate(dst, h []byte) []byte {
	dst = d.drain(dst, true)
	d.ss = 0
	var seq [4]byte
	seq[0] = esc
	n := 1
	for i := 0; i+1 < len(h) && n < len(seq); i += 2 {
		seq[n] = unhex(h[i])<<4 | unhex(h[i+1])
		n++
	}
	m, slot, s, kind := parseEscape2022(seq[:n])
	if kind != escDesignate || m != n || len(h) > 6 {
		d.err = ErrCharsetEscape
		return utf8.AppendRune(dst, utf8.RuneError)
	}
	d.designateSet(slot, s)
	return dst
}

type escResult uint8

const (
	escInvalid   escResult = iota
	escMore                // a valid beginning: more bytes needed
	escDesignate           // a designation of set s into G(slot)
	escShift               // a single shift to G(slot)
)

// parseEscape2022 parses the ISO 2022 escape sequence at the start of b
// (b[0] == ESC): designations of 94- and 96-character sets (ESC ( ) * + - . /
// F), of 94×94 sets (ESC $ F for F in @ A B, ESC $ ( ) * + F, ESC $ - . / F)
// and the single shifts ESC N and ESC O.
func parseEscape2022(b []byte) (n int, slot uint8, s gset, kind escResult) {
	if len(b) < 2 {
		return 0, 0, s, escMore
	}
	switch b[1] {
	case 'N', 'O':
		return 2, b[1] - 'N' + 2, s, escShift
	case '$':
		if len(b) < 3 {
			return 0, 0, s, escMore
		}
		if f := b[2]; f == '@' || f == 'A' || f == 'B' {
			return 3, 0, set94x94(f), escDesignate
		}
		return designation(b, 2, true)
	}
	return designation(b, 1, false)
}

// designation parses the intermediate byte b[i] of a designation, which
// names the set's size and its slot (( ) * + for 94 characters into G0-G3,
// - . / for 96 into G1-G3), and the final byte after it, which names the set.
func designation(b []byte, i int, multi bool) (n int, slot uint8, s gset, kind escResult) {
	c := b[i]
	if c < '(' || c > '/' || c == ',' {
		return 0, 0, s, escInvalid
	}
	if len(b) < i+2 {
		return 0, 0, s, escMore
	}
	f := b[i+1]
	if f < 0x30 || f > 0x7E {
		return 0, 0, s, escInvalid
	}
	is96 := c >= '-'
	slot = c - '('
	if is96 {
		slot = c - ','
	}
	switch {
	case multi && is96:
		s = gset{kind: setUnknown, width: 2, is96: true}
	case multi:
		s = set94x94(f)
	case is96:
		s = set96(f)
	default:
		s = set94(f)
	}
	return i + 2, slot, s, escDesignate
}

func set94(f byte) gset {
	switch f {
	case 'B', 'J': // ASCII; JIS X 0201 Roman, read as ASCII as x/text's ISO-2022-JP does
		return ascii
	case 'I':
		return gset{kind: setKatakana, width: 1}
	}
	return gset{kind: setUnknown, width: 1}
}

// latin96 maps the final byte of a 96-character set's designation (ESC - F)
// to its ISO-IR registration's charmap.
var latin96 = [...]struct {
	f  byte
	cm *charmap.Charmap
}{
	{'A', charmap.ISO8859_1},  // ISO-IR 100
	{'B', charmap.ISO8859_2},  // ISO-IR 101
	{'C', charmap.ISO8859_3},  // ISO-IR 109
	{'D', charmap.ISO8859_4},  // ISO-IR 110
	{'L', charmap.ISO8859_5},  // ISO-IR 144, Cyrillic
	{'G', charmap.ISO8859_6},  // ISO-IR 127, Arabic
	{'F', charmap.ISO8859_7},  // ISO-IR 126, Greek
	{'H', charmap.ISO8859_8},  // ISO-IR 138, Hebrew
	{'M', charmap.ISO8859_9},  // ISO-IR 148
	{'V', charmap.ISO8859_10}, // ISO-IR 157
	{'T', charmap.Windows874}, // ISO-IR 166, TIS-620 (its GR half)
	{'Y', charmap.ISO8859_13}, // ISO-IR 179
	{'_', charmap.ISO8859_14}, // ISO-IR 199
	{'b', charmap.ISO8859_15}, // ISO-IR 203
	{'f', charmap.ISO8859_16}, // ISO-IR 226
}

func set96(f byte) gset {
	for _, l := range latin96 {
		if l.f == f {
			return gset{kind: setLatin, width: 1, is96: true, cm: l.cm}
		}
	}
	return gset{kind: setUnknown, width: 1, is96: true}
}

func set94x94(f byte) gset {
	switch {
	case f == '@' || f == 'B': // ISO-IR 42 (JIS C 6226-1978) and 87 (JIS X 0208)
		return gset{kind: setDBCS, width: 2, arg: dbcsJIS0208}
	case f == 'A': // ISO-IR 58
		return gset{kind: setDBCS, width: 2, arg: dbcsGB2312}
	case f == 'C': // ISO-IR 149
		return gset{kind: setDBCS, width: 2, arg: dbcsKSX1001}
	case f == 'D': // ISO-IR 159
		return gset{kind: setDBCS, width: 2, arg: dbcsJIS0212}
	case f >= 'G' && f <= 'M': // ISO-IR 171, 172, 183-187: CNS 11643 planes 1-7
		return gset{kind: setCNS, width: 2, arg: f - 'G' + 1}
	}
	return gset{kind: setUnknown, width: 2}
}
