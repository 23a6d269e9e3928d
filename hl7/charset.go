package hl7

import (
	"bytes"

	"golang.org/x/text/encoding"
	"golang.org/x/text/encoding/charmap"
	"golang.org/x/text/encoding/japanese"
	"golang.org/x/text/encoding/korean"
	"golang.org/x/text/encoding/simplifiedchinese"
	"golang.org/x/text/encoding/traditionalchinese"
	"golang.org/x/text/encoding/unicode"
	"golang.org/x/text/encoding/unicode/utf32"

	"github.com/medtap/medtap/hl7/internal/cns11643"
)

// Charset returns the encoding named by an HL7 character set code (table
// 0211, as found in MSH-18): "ASCII" or empty, "8859/1" … "8859/9",
// "8859/15", "ISO IR6", "ISO IR100", "ISO IR14", "ISO IR87", "ISO IR159",
// "GB 18030-2000", "KS X 1001", "CNS 11643-1992", "BIG-5", "UNICODE",
// "UNICODE UTF-8", "UNICODE UTF-16", "UNICODE UTF-32". The second result is
// false for an unknown name. A nil Encoding means the bytes are already
// ASCII or UTF-8.
//
// CNS 11643-1992 is EUC-TW (ASCII, plane 1 in two bytes, planes 1-7 and 15
// in four bytes after 0x8E), decoded and encoded by this package with a
// table generated from glibc's charmap, as x/text lacks it. The ISO 2022
// sets ISO IR87 and ISO IR159 are x/text's ISO-2022-JP; [AppendUTF8] and
// [AppendText] decode them, and the switches of every other set, with their
// own ISO 2022 decoder, which agrees with it on ISO-2022-JP text.
func Charset(name []byte) (encoding.Encoding, bool) {
	name = bytes.TrimSpace(name)
	switch string(name) {
	case "", "ASCII", "ISO IR6", "UNICODE", "UNICODE UTF-8":
		return nil, true
	case "8859/1", "ISO IR100":
		return charmap.ISO8859_1, true
	case "8859/2":
		return charmap.ISO8859_2, true
	case "8859/3":
		return charmap.ISO8859_3, true
	case "8859/4":
		return charmap.ISO8859_4, true
	case "8859/5":
		return charmap.ISO8859_5, true
	case "8859/6":
		return charmap.ISO8859_6, true
	case "8859/7":
		return charmap.ISO8859_7, true
	case "8859/8":
		return charmap.ISO8859_8, true
	case "8859/9":
		return charmap.ISO8859_9, true
	case "8859/15":
		return charmap.ISO8859_15, true
	case "ISO IR14":
		return japanese.ShiftJIS, true // JIS X 0201: the single-byte half of Shift_JIS
	case "ISO IR87", "ISO IR159":
		return japanese.ISO2022JP, true
	case "GB 18030-2000", "GB 18030":
		return simplifiedchinese.GB18030, true
	case "KS X 1001":
		return korean.EUCKR, true
	case "CNS 11643-1992":
		return cns11643.EUCTW, true
	case "BIG-5":
		return traditionalchinese.Big5, true
	case "UNICODE UTF-16":
		return unicode.UTF16(unicode.BigEndian, unicode.UseBOM), true
	case "UNICODE UTF-32":
		return utf32.UTF32(utf32.BigEndian, utf32.UseBOM), true
	}
	return nil, false
}

// AppendUTF8 appends text v, encoded in the HL7 character set charset (e.g.
// msg.Charset().Rep(1).Bytes()), to dst as UTF-8. HL7 escape sequences are
// not decoded: unescape first, or use [AppendText], which does both in one
// pass and honours \Cxxyy\ and \Mxxyyzz\. ISO 2022 escape sequences (ESC
// bytes) switch character sets as AppendText describes, in every character
// set but UTF-8. Bytes that do not decode become U+FFFD, so the result is
// valid UTF-8 (UTF-8 and ASCII included); a switch to a set this package
// does not know gives ErrCharsetEscape after the whole text. ASCII, UTF-8,
// the ISO 8859 parts and, once their tables are built, the ISO 2022 Asian
// sets and CNS 11643 allocate nothing beyond dst; GB 18030, BIG-5, KS X 1001
// (UHC), ISO IR14 (Shift_JIS), UTF-16 and UTF-32 go through x/text and
// allocate. An unknown charset gives ErrUnknownCharset and dst unchanged.
func AppendUTF8(dst, v, charset []byte) ([]byte, error) {
	var t textDecoder
	if !t.init(charset) {
		return dst, ErrUnknownCharset
	}
	if t.wide != 0 {
		return appendWide(dst, v, &t)
	}
	return t.flush(t.write(dst, v)), t.err
}
