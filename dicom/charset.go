package dicom

import (
	"bytes"
	"unicode/utf8"

	"golang.org/x/text/encoding"
	"golang.org/x/text/encoding/charmap"
	"golang.org/x/text/encoding/japanese"
	"golang.org/x/text/encoding/korean"
	"golang.org/x/text/encoding/simplifiedchinese"
)

// The code element (G0 or G1) sets a decoder can switch between.
type codeSet uint8

const (
	setASCII    codeSet = iota // ISO-IR 6 (G0)
	setSingle                  // an ISO 8859 part or TIS-620 (G1), see charmap
	setKatakana                // JIS X 0201 katakana (ISO-IR 13, G1)
	setJIS0208                 // JIS X 0208 (ISO-IR 87, G0, two bytes)
	setJIS0212                 // JIS X 0212 (ISO-IR 159, G0, two bytes)
	setKSX1001                 // KS X 1001 (ISO-IR 149, G1, two bytes)
	setGB2312                  // GB 2312 (ISO-IR 58, G1, two bytes)
	setUTF8                    // ISO_IR 192
	setGB18030                 // GB18030
	setGBK                     // GBK
)

type charsetTerm struct {
	g0, g1 codeSet
	cm     *charmap.Charmap
}

// termOf maps a Specific Character Set defined term (PS3.3 C.12.1.1.2) to
// its code sets.
func termOf(t []byte) (charsetTerm, bool) {
	switch string(t) {
	case "", "ISO_IR 6", "ISO 2022 IR 6":
		return charsetTerm{g0: setASCII}, true
	case "ISO_IR 100", "ISO 2022 IR 100":
		return charsetTerm{g1: setSingle, cm: charmap.ISO8859_1}, true
	case "ISO_IR 101", "ISO 2022 IR 101":
		return charsetTerm{g1: setSingle, cm: charmap.ISO8859_2}, true
	case "ISO_IR 109", "ISO 2022 IR 109":
		return charsetTerm{g1: setSingle, cm: charmap.ISO8859_3}, true
	case "ISO_IR 110", "ISO 2022 IR 110":
		return charsetTerm{g1: setSingle, cm: charmap.ISO8859_4}, true
	case "ISO_IR 144", "ISO 2022 IR 144":
		return charsetTerm{g1: setSingle, cm: charmap.ISO8859_5}, true
	case "ISO_IR 127", "ISO 2022 IR 127":
		return charsetTerm{g1: setSingle, cm: charmap.ISO8859_6}, true
	case "ISO_IR 126", "ISO 2022 IR 126":
		return charsetTerm{g1: setSingle, cm: charmap.ISO8859_7}, true
	case "ISO_IR 138", "ISO 2022 IR 138":
		return charsetTerm{g1: setSingle, cm: charmap.ISO8859_8}, true
	case "ISO_IR 148", "ISO 2022 IR 148":
		return charsetTerm{g1: setSingle, cm: charmap.ISO8859_9}, true
	case "ISO_IR 203", "ISO 2022 IR 203":
		return charsetTerm{g1: setSingle, cm: charmap.ISO8859_15}, true
	case "ISO_IR 166", "ISO 2022 IR 166":
		return charsetTerm{g1: setSingle, cm: charmap.Windows874}, true
	case "ISO_IR 13", "ISO 2022 IR 13":
		return charsetTerm{g1: setKatakana}, true
	case "ISO 2022 IR 87":
		return charsetTerm{g0: setJIS0208}, true
	case "ISO 2022 IR 159":
		return charsetTerm{g0: setJIS0212}, true
	case "ISO 2022 IR 149":
		return charsetTerm{g1: setKSX1001}, true
	case "ISO 2022 IR 58":
		return charsetTerm{g1: setGB2312}, true
	case "ISO_IR 192":
		return charsetTerm{g0: setUTF8}, true
	case "GB18030":
		return charsetTerm{g0: setGB18030}, true
	case "GBK":
		return charsetTerm{g0: setGBK}, true
	}
	return charsetTerm{}, false
}

// AppendUTF8 appends to dst the text b, encoded in the character set named
// by charset (the raw value of Specific Character Set (0008,0005), as
// returned by [Parser.CharacterSet]; empty means the default repertoire),
// converted to UTF-8. ISO 2022 escape sequences switch between the code sets
// of PS3.5 section 6.1. Bytes that do not decode become U+FFFD; an unknown
// defined term decodes as ISO-IR 6 and reports [ErrValue] with the text.
//
// Single-byte character sets and UTF-8 decode without allocating beyond dst;
// the multi-byte sets (JIS X 0208/0212, KS X 1001, GB 2312, GB18030, GBK)
// go through golang.org/x/text decoders, which allocate.
func AppendUTF8(dst, b, charset []byte) ([]byte, error) {
	var err error
	first := charset
	if i := bytes.IndexByte(charset, '\\'); i >= 0 {
		first = charset[:i]
	}
	init, ok := termOf(trim(first, CS))
	if !ok {
		err = ErrValue
	}
	switch init.g0 {
	case setUTF8:
		for len(b) > 0 {
			r, n := utf8.DecodeRune(b)
			dst = utf8.AppendRune(dst, r)
			b = b[n:]
		}
		return dst, err
	case setGB18030:
		return appendDecoded(dst, simplifiedchinese.GB18030, b), err
	case setGBK:
		return appendDecoded(dst, simplifiedchinese.GBK, b), err
	}
	st := init
	for i := 0; i < len(b); {
		c := b[i]
		switch {
		case c == 0x1B:
			n, next, ok := escape(b[i:], st)
			if !ok {
				dst = utf8.AppendRune(dst, utf8.RuneError)
				i++
				continue
			}
			st = next
			i += n
		case c == '\r' || c == '\n' || c == '\f' || c == '\t':
			dst = append(dst, c)
			st.g0 = init.g0
			i++
		case c < 0x80:
			if (st.g0 == setJIS0208 || st.g0 == setJIS0212) && c > 0x20 && c < 0x7F && i+1 < len(b) {
				var e [3]byte
				src := e[:0]
				if st.g0 == setJIS0212 {
					src = append(src, 0x8F)
				}
				src = append(src, c|0x80, b[i+1]|0x80)
				dst = appendDecoded(dst, japanese.EUCJP, src)
				i += 2
				continue
			}
			dst = append(dst, c)
			i++
		default:
			switch st.g1 {
			case setSingle:
				dst = utf8.AppendRune(dst, st.cm.DecodeByte(c))
				i++
			case setKatakana:
				if c >= 0xA1 && c <= 0xDF {
					dst = utf8.AppendRune(dst, 0xFF61+rune(c-0xA1))
				} else {
					dst = utf8.AppendRune(dst, utf8.RuneError)
				}
				i++
			case setKSX1001, setGB2312:
				if i+1 >= len(b) {
					dst = utf8.AppendRune(dst, utf8.RuneError)
					i++
					continue
				}
				var enc encoding.Encoding = korean.EUCKR
				if st.g1 == setGB2312 {
					enc = simplifiedchinese.GBK
				}
				dst = appendDecoded(dst, enc, b[i:i+2])
				i += 2
			default:
				dst = utf8.AppendRune(dst, utf8.RuneError)
				i++
			}
		}
	}
	return dst, err
}

// escape decodes the ISO 2022 escape sequence at the start of b and returns
// its length and the new state.
func escape(b []byte, st charsetTerm) (int, charsetTerm, bool) {
	seqs := [...]struct {
		esc  string
		g0   bool
		term string
	}{
		{"\x1b(B", true, "ISO 2022 IR 6"},
		{"\x1b(J", true, "ISO 2022 IR 6"}, // JIS X 0201 romaji: ASCII but for two symbols
		{"\x1b$B", true, "ISO 2022 IR 87"},
		{"\x1b$@", true, "ISO 2022 IR 87"},
		{"\x1b$(D", true, "ISO 2022 IR 159"},
		{"\x1b-A", false, "ISO 2022 IR 100"},
		{"\x1b-B", false, "ISO 2022 IR 101"},
		{"\x1b-C", false, "ISO 2022 IR 109"},
		{"\x1b-D", false, "ISO 2022 IR 110"},
		{"\x1b-L", false, "ISO 2022 IR 144"},
		{"\x1b-G", false, "ISO 2022 IR 127"},
		{"\x1b-F", false, "ISO 2022 IR 126"},
		{"\x1b-H", false, "ISO 2022 IR 138"},
		{"\x1b-M", false, "ISO 2022 IR 148"},
		{"\x1b-b", false, "ISO 2022 IR 203"},
		{"\x1b-T", false, "ISO 2022 IR 166"},
		{"\x1b)I", false, "ISO 2022 IR 13"},
		{"\x1b$)C", false, "ISO 2022 IR 149"},
		{"\x1b$)A", false, "ISO 2022 IR 58"},
	}
	for _, s := range seqs {
		if len(b) >= len(s.esc) && string(b[:len(s.esc)]) == s.esc {
			t, _ := termOf([]byte(s.term))
			if s.g0 {
				st.g0 = t.g0
			} else {
				st.g1, st.cm = t.g1, t.cm
			}
			return len(s.esc), st, true
		}
	}
	return 0, st, false
}

func appendDecoded(dst []byte, enc encoding.Encoding, src []byte) []byte {
	out, err := enc.NewDecoder().Bytes(src)
	if err != nil {
		return utf8.AppendRune(dst, utf8.RuneError)
	}
	return append(dst, out...)
}
