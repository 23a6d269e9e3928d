// Package cns11643 decodes and encodes CNS 11643-1992 (the Taiwanese
// national character set) in its EUC-TW form, the encoding HL7 table 0211
// calls "CNS 11643-1992", and looks up single characters of its planes for
// ISO 2022 decoders.
//
// EUC-TW is ASCII in single bytes, plane 1 as two bytes 0xA1-0xFE, and
// planes 1-16 as four bytes 0x8E, 0xA0+plane, 0xA1-0xFE, 0xA1-0xFE. The table
// (tables.go) is generated from glibc's EUC-TW charmap (see README.md) and
// maps planes 1-7 and 15, as glibc's iconv does.
//
// Invalid and unmapped sequences decode to U+FFFD, one for a bad byte and
// one for a well-formed two- or four-byte sequence without a mapping; a
// sequence cut short by the end of the input is one U+FFFD. The table is
// expanded on first use (about 150 KB, once per process); after that nothing
// allocates.
package cns11643

//go:generate go run ./gen

import (
	"sort"
	"sync"
	"unicode/utf8"

	"golang.org/x/text/encoding"
	"golang.org/x/text/transform"
)

const cellsPerPlane = 94 * 94

// table is rows expanded for constant-time look-up: lo holds the low 16 bits
// of each cell's rune, sip has a bit set for the cells in U+20000-U+2FFFF.
var table struct {
	once sync.Once
	lo   [len(planeNumbers) * cellsPerPlane]uint16
	sip  [(len(planeNumbers)*cellsPerPlane + 63) / 64]uint64
}

// planeIndex maps a plane number (1-16) to its index in planeNumbers, or -1.
var planeIndex = func() (t [17]int8) {
	for i := range t {
		t[i] = -1
	}
	for i, p := range planeNumbers {
		t[p] = int8(i)
	}
	return t
}()

func expand() {
	for pi := range rows {
		for r, s := range rows[pi] {
			c := 0
			for _, ch := range s {
				if c == 94 {
					break
				}
				i := pi*cellsPerPlane + r*94 + c
				c++
				if ch == 0 || ch == utf8.RuneError {
					continue
				}
				table.lo[i] = uint16(ch)
				if ch > 0xFFFF {
					table.sip[i/64] |= 1 << (i % 64)
				}
			}
		}
	}
}

// Lookup returns the character at row b1 and column b2 (each 0x21-0x7E; the
// high bit is ignored) of a CNS 11643 plane, or 0 if the cell is unmapped or
// out of range.
func Lookup(plane int, b1, b2 byte) rune {
	b1, b2 = b1&0x7F, b2&0x7F
	if plane < 1 || plane >= len(planeIndex) || b1 < 0x21 || b1 > 0x7E || b2 < 0x21 || b2 > 0x7E {
		return 0
	}
	pi := planeIndex[plane]
	if pi < 0 {
		return 0
	}
	table.once.Do(expand)
	i := int(pi)*cellsPerPlane + int(b1-0x21)*94 + int(b2-0x21)
	r := rune(table.lo[i])
	if table.sip[i/64]&(1<<(i%64)) != 0 {
		r += 0x20000
	}
	return r
}

func inGR(c byte) bool { return c >= 0xA1 && c <= 0xFE }

// Decode decodes the EUC-TW character at the start of b and returns it with
// its length in bytes. Invalid or unmapped input gives U+FFFD: of length 1
// for a byte that cannot start or continue a character, 2 or 4 for a
// well-formed sequence without a mapping, and len(b) for a valid beginning
// cut short at the end of the input (atEOF). If b holds such a beginning and
// atEOF is false, Decode returns size 0: more input is needed. An empty b
// gives (0, 0).
func Decode(b []byte, atEOF bool) (r rune, size int) {
	if len(b) == 0 {
		return 0, 0
	}
	c := b[0]
	switch {
	case c < 0x80:
		return rune(c), 1
	case inGR(c):
		if len(b) < 2 {
			return short(b, atEOF)
		}
		if !inGR(b[1]) {
			return utf8.RuneError, 1
		}
		if r = Lookup(1, c, b[1]); r == 0 {
			return utf8.RuneError, 2
		}
		return r, 2
	case c == 0x8E:
		// Check what is there before asking for more.
		for i := 1; i < 4 && i < len(b); i++ {
			if i == 1 && (b[1] < 0xA1 || b[1] > 0xB0) || i > 1 && !inGR(b[i]) {
				return utf8.RuneError, 1
			}
		}
		if len(b) < 4 {
			return short(b, atEOF)
		}
		if r = Lookup(int(b[1]-0xA0), b[2], b[3]); r == 0 {
			return utf8.RuneError, 4
		}
		return r, 4
	}
	return utf8.RuneError, 1
}

func short(b []byte, atEOF bool) (rune, int) {
	if atEOF {
		return utf8.RuneError, len(b)
	}
	return 0, 0
}

// reverse maps runes to cells for the encoder: sorted rune<<17 | cell index
// (plane index × 8836 + row × 94 + column), the lowest cell first for a rune
// mapped twice, so plane 1 wins as in glibc.
var reverse struct {
	once sync.Once
	keys []uint64
}

func buildReverse() {
	table.once.Do(expand)
	keys := make([]uint64, 0, 56000)
	for i := range table.lo {
		r := uint64(table.lo[i])
		if table.sip[i/64]&(1<<(i%64)) != 0 {
			r += 0x20000
		}
		if r != 0 {
			keys = append(keys, r<<17|uint64(i))
		}
	}
	sort.Slice(keys, func(a, b int) bool { return keys[a] < keys[b] })
	reverse.keys = keys
}

// Append appends the EUC-TW encoding of r to dst. It reports false, leaving
// dst unchanged, if CNS 11643 (as mapped here) lacks r.
func Append(dst []byte, r rune) ([]byte, bool) {
	if r < 0x80 {
		if r < 0 {
			return dst, false
		}
		return append(dst, byte(r)), true
	}
	if r > 0x2FFFF {
		return dst, false
	}
	reverse.once.Do(buildReverse)
	k := uint64(r) << 17
	i := sort.Search(len(reverse.keys), func(i int) bool { return reverse.keys[i] >= k })
	if i == len(reverse.keys) || reverse.keys[i]>>17 != uint64(r) {
		return dst, false
	}
	cell := int(reverse.keys[i] & (1<<17 - 1))
	pi, c := cell/cellsPerPlane, cell%cellsPerPlane
	b1, b2 := byte(c/94)+0xA1, byte(c%94)+0xA1
	if planeNumbers[pi] == 1 {
		return append(dst, b1, b2), true
	}
	return append(dst, 0x8E, 0xA0+planeNumbers[pi], b1, b2), true
}

// EUCTW is CNS 11643-1992 in its EUC-TW form as a golang.org/x/text
// encoding. Its decoder replaces bad input with U+FFFD as [Decode] does; its
// encoder reports runes CNS 11643 lacks with an error that
// [encoding.ReplaceUnsupported] turns into '\x1a'.
var EUCTW encoding.Encoding = eucTW{}

type eucTW struct{}

func (eucTW) NewDecoder() *encoding.Decoder { return &encoding.Decoder{Transformer: decoder{}} }
func (eucTW) NewEncoder() *encoding.Encoder { return &encoding.Encoder{Transformer: encoder{}} }
func (eucTW) String() string                { return "EUC-TW" }

type decoder struct{ transform.NopResetter }

func (decoder) Transform(dst, src []byte, atEOF bool) (nDst, nSrc int, err error) {
	for nSrc < len(src) {
		r, size := Decode(src[nSrc:], atEOF)
		if size == 0 {
			return nDst, nSrc, transform.ErrShortSrc
		}
		if nDst+utf8.RuneLen(r) > len(dst) {
			return nDst, nSrc, transform.ErrShortDst
		}
		nDst += utf8.EncodeRune(dst[nDst:], r)
		nSrc += size
	}
	return nDst, nSrc, nil
}

// errUnsupported is x/text's repertoire error: a rune the encoding lacks.
// Replacement lets encoding.ReplaceUnsupported substitute it.
type errUnsupported struct{}

func (errUnsupported) Error() string     { return "cns11643: rune not in CNS 11643" }
func (errUnsupported) Replacement() byte { return encoding.ASCIISub }

type encoder struct{ transform.NopResetter }

func (encoder) Transform(dst, src []byte, atEOF bool) (nDst, nSrc int, err error) {
	var buf [4]byte
	for nSrc < len(src) {
		r, size := rune(src[nSrc]), 1
		if r >= utf8.RuneSelf {
			r, size = utf8.DecodeRune(src[nSrc:])
			if size == 1 && !atEOF && !utf8.FullRune(src[nSrc:]) {
				return nDst, nSrc, transform.ErrShortSrc
			}
		}
		b, ok := Append(buf[:0], r)
		if !ok {
			return nDst, nSrc, errUnsupported{}
		}
		if nDst+len(b) > len(dst) {
			return nDst, nSrc, transform.ErrShortDst
		}
		nDst += copy(dst[nDst:], b)
		nSrc += size
	}
	return nDst, nSrc, nil
}
