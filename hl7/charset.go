package hl7

import (
	"bytes"
	"unicode/utf8"

	"golang.org/x/text/encoding"
	"golang.org/x/text/encoding/charmap"
	"golang.org/x/text/encoding/japanese"
	"golang.org/x/text/encoding/korean"
	"golang.org/x/text/encoding/simplifiedchinese"
	"golang.org/x/text/encoding/traditionalchinese"
	"golang.org/x/text/encoding/unicode"
	"golang.org/x/text/encoding/unicode/utf32"
)

// Charset returns the encoding named by an HL7 character set code (table
// 0211, as found in MSH-18): "ASCII" or empty, "8859/1" … "8859/9",
// "8859/15", "ISO IR6", "ISO IR100", "ISO IR14", "ISO IR87", "ISO IR159",
// "GB 18030-2000", "KS X 1001", "BIG-5", "UNICODE", "UNICODE UTF-8",
// "UNICODE UTF-16", "UNICODE UTF-32". The second result is false for an
// unknown name (including CNS 11643-1992, which x/text lacks).
// A nil Encoding means the bytes are already ASCII or UTF-8.
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
// msg.Charset().Rep(1).Bytes()), to dst as UTF-8. Escape sequences are not
// decoded: unescape first. ASCII, UTF-8 and the ISO 8859 sets allocate
// nothing beyond dst; the multi-byte Asian sets go through x/text and
// allocate. An unknown charset gives ErrUnknownCharset and dst unchanged.
func AppendUTF8(dst, v, charset []byte) ([]byte, error) {
	enc, ok := Charset(charset)
	if !ok {
		return dst, ErrUnknownCharset
	}
	if enc == nil {
		return append(dst, v...), nil
	}
	if cm, ok := enc.(*charmap.Charmap); ok {
		for _, c := range v {
			if c < utf8.RuneSelf {
				dst = append(dst, c)
				continue
			}
			dst = utf8.AppendRune(dst, cm.DecodeByte(c))
		}
		return dst, nil
	}
	out, err := enc.NewDecoder().Bytes(v)
	if err != nil {
		return dst, err
	}
	return append(dst, out...), nil
}
