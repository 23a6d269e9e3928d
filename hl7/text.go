package hl7

import "unicode/utf8"

// AppendText appends the text of v, a value in the character set charset
// (the first repetition of MSH-18, e.g. msg.Charset().Rep(1).Bytes(); empty
// means ASCII), to dst as UTF-8, unescaping and decoding in one pass. The
// escapes are those of [AppendUnescaped], plus HL7's character set switches,
// which it honours instead of dropping:
//
//   - \Cxxyy\ and \Mxxyy\ or \Mxxyyzz\ stand for the ISO 2022 escape
//     sequence ESC xx yy [zz]: \C2842\ (ESC ( B) designates ASCII into G0,
//     \C2D41\ (ESC - A) ISO 8859-1 into G1, \M2442\ (ESC $ B) JIS X 0208
//     into G0, \M242844\ JIS X 0212, \M242943\ KS X 1001 into G1, \M242841\
//     GB 2312 into G0, \C2949\ JIS X 0201 katakana into G1, \M242947\ ...
//     \M242B4D\ the CNS 11643 planes, and so on: every 94-, 96- and 94×94-
//     character set designation (ISO-IR 6, 13, 14, 42, 58, 87, 100, 101, 109,
//     110, 126, 127, 138, 144, 148, 149, 157, 159, 166, 171, 172, 179,
//     183-187, 199, 203, 226) into any of G0-G3. JIS X 0201 Roman
//     (\C284A\) reads as ASCII, as x/text's ISO-2022-JP decoder reads it.
//   - G0 is read from bytes 0x21-0x7E and G1 from 0xA0-0xFF (or from
//     0x21-0x7E after SO until SI); G2 and G3 give one character after
//     ESC N / 0x8E and ESC O / 0x8F. A multi-byte set takes its bytes
//     after unescaping, so \F\ or \E\ inside a JIS X 0208 character are that
//     character's bytes. Line ends (CR, LF, \.br\) return G0 to the start.
//   - Real ESC bytes in the text are the same switches (MSH-20 "ISO
//     2022-1994"), in every character set but UTF-8 ("UNICODE UTF-8"), so
//     [AppendUTF8] of ISO-2022-JP text ("ISO IR87") gives what AppendText
//     gives for it with the escapes written as \Cxxyy\ and \Mxxyy\.
//
// Text in ASCII (or with no MSH-18) that holds bytes from 0x80 up is read
// as UTF-8, as [Charset] suggests. Bytes that do not decode become U+FFFD,
// so the result is valid UTF-8. A
// designation of a set this package does not know makes each character of
// that set U+FFFD, as does a \C or \M escape that is no designation (that
// escape itself becoming one U+FFFD); the whole text is still appended, and
// the error is ErrCharsetEscape. An unknown charset gives ErrUnknownCharset
// and dst unchanged. UTF-16 and UTF-32 are not ASCII-compatible: their text
// is decoded without unescaping.
//
// Text in ASCII, UTF-8 and the ISO 8859 parts allocates nothing beyond dst,
// nor does text in JIS X 0208/0212, KS X 1001, GB 2312 or CNS 11643 once
// their tables are built on first use. GB 18030, BIG-5, KS X 1001 (as UHC)
// and ISO IR14 (as Shift_JIS) text beyond ASCII allocates a decoder per call.
func AppendText(dst, v []byte, d Delimiters, charset []byte) ([]byte, error) {
	var t textDecoder
	if !t.init(charset) {
		return dst, ErrUnknownCharset
	}
	if t.wide != 0 {
		return appendWide(dst, v, &t)
	}
	for {
		lit, e, rest, ok := nextEscape(v, d)
		dst = t.write(dst, lit)
		if !ok {
			break
		}
		switch e.kind {
		case escChar:
			dst = t.write(dst, []byte{e.c})
		case escHex:
			var buf [32]byte
			for h := e.arg; len(h) >= 2; {
				n := 0
				for ; n < len(buf) && len(h) >= 2; n++ {
					buf[n] = unhex(h[0])<<4 | unhex(h[1])
					h = h[2:]
				}
				dst = t.write(dst, buf[:n])
			}
		case escBreak:
			dst = t.write(dst, []byte{'\n'})
		case escCharset:
			dst = t.designate(dst, e.arg)
		}
		v = rest
	}
	return t.flush(dst), t.err
}

// AppendText appends the value's text as UTF-8, with its escape sequences
// (character set switches included) decoded; see [AppendText].
func (v Value) AppendText(dst, charset []byte) ([]byte, error) {
	return AppendText(dst, v.Bytes(), v.Delimiters(), charset)
}

// appendWide decodes v with t's UTF-16 or UTF-32 decoder. A last code unit
// cut short is U+FFFD (x/text's UTF-32 decoder reports it as an error).
func appendWide(dst, v []byte, t *textDecoder) ([]byte, error) {
	cut := len(v) - len(v)%int(t.wide)
	out, err := t.enc.NewDecoder().Bytes(v[:cut])
	if err != nil {
		return dst, err
	}
	dst = append(dst, out...)
	if cut < len(v) {
		dst = utf8.AppendRune(dst, utf8.RuneError)
	}
	return dst, nil
}
