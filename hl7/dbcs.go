package hl7

import (
	"sync"
	"unicode/utf8"

	"golang.org/x/text/encoding"
	"golang.org/x/text/encoding/japanese"
	"golang.org/x/text/encoding/korean"
	"golang.org/x/text/encoding/simplifiedchinese"
)

// A dbcsTable is a 94×94 ISO 2022 character set (JIS X 0208, JIS X 0212,
// KS X 1001, GB 2312) read from golang.org/x/text's decoder for its EUC form
// on first use, so that decoding one character is a table look-up that
// neither allocates nor keeps a decoder.
type dbcsTable struct {
	once   sync.Once
	enc    encoding.Encoding
	prefix byte // the EUC single shift in front of each cell, or 0
	tab    [94 * 94]uint16
}

// The 94×94 sets, indexed by gset.arg.
const (
	dbcsJIS0208 = iota
	dbcsJIS0212
	dbcsKSX1001
	dbcsGB2312
)

var dbcsTables = [...]*dbcsTable{
	dbcsJIS0208: {enc: japanese.EUCJP},
	dbcsJIS0212: {enc: japanese.EUCJP, prefix: 0x8F},
	dbcsKSX1001: {enc: korean.EUCKR},
	dbcsGB2312:  {enc: simplifiedchinese.GBK},
}

func (t *dbcsTable) build() {
	dec := t.enc.NewDecoder()
	var src [3]byte
	var out [8]byte
	for i := range t.tab {
		in := src[:0]
		if t.prefix != 0 {
			in = append(in, t.prefix)
		}
		in = append(in, byte(i/94)+0xA1, byte(i%94)+0xA1)
		dec.Reset()
		nDst, nSrc, err := dec.Transform(out[:], in, true)
		if err != nil || nSrc != len(in) {
			continue
		}
		r, size := utf8.DecodeRune(out[:nDst])
		// One BMP character outside the private use area, or nothing: the
		// EUC forms decode a few user-defined cells to private use
		// characters that are no part of the standard sets.
		if size != nDst || r == utf8.RuneError || r > 0xFFFF || r >= 0xE000 && r <= 0xF8FF {
			continue
		}
		t.tab[i] = uint16(r)
	}
}

// dbcsLookup returns the character at row b1 and column b2 (0x21-0x7E) of
// the 94×94 set id, or U+FFFD.
func dbcsLookup(id uint8, b1, b2 byte) rune {
	if int(id) >= len(dbcsTables) || b1 < 0x21 || b1 > 0x7E || b2 < 0x21 || b2 > 0x7E {
		return utf8.RuneError
	}
	t := dbcsTables[id]
	t.once.Do(t.build)
	if r := t.tab[int(b1-0x21)*94+int(b2-0x21)]; r != 0 {
		return rune(r)
	}
	return utf8.RuneError
}
