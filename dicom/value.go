package dicom

import (
	"bytes"
	"encoding/binary"
	"math"
	"strconv"
	"time"
)

// Value is a view of one element's value with what is needed to decode it:
// its VR and byte order. Bytes points into the parser's input and is valid as
// long as that input (see [Parser.Value]). The zero-allocation accessors
// return views or append into caller slices.
type Value struct {
	Bytes     []byte
	VR        VR
	BigEndian bool
}

// singleValued reports whether a string VR holds one value in which a
// backslash is an ordinary character.
func singleValued(vr VR) bool { return vr == LT || vr == ST || vr == UT || vr == UR }

// leadingSignificant reports whether leading spaces are part of the value.
func leadingSignificant(vr VR) bool { return vr == LT || vr == ST || vr == UT || vr == UR || vr == UC }

// trim removes the padding of one string value of vr: trailing spaces and
// NULs, and leading spaces where they are not significant.
func trim(b []byte, vr VR) []byte {
	for len(b) > 0 && (b[len(b)-1] == ' ' || b[len(b)-1] == 0) {
		b = b[:len(b)-1]
	}
	if !leadingSignificant(vr) {
		for len(b) > 0 && b[0] == ' ' {
			b = b[1:]
		}
	}
	return b
}

// Text returns the value as stored, with the padding of the whole value
// removed (trailing spaces and NULs; leading spaces too except for LT, ST,
// UT, UR and UC). Multiple values stay joined by backslashes. The result is a
// view of v.Bytes.
func (v Value) Text() []byte { return trim(v.Bytes, v.VR) }

// NumValues returns the number of values (the value multiplicity) stored:
// backslash-separated values for string VRs, fixed-size items for binary
// VRs, 0 for an empty value.
func (v Value) NumValues() int {
	if len(v.Bytes) == 0 {
		return 0
	}
	if v.VR.IsString() {
		if singleValued(v.VR) {
			return 1
		}
		return bytes.Count(v.Bytes, []byte{'\\'}) + 1
	}
	if n := v.VR.size(); n > 0 {
		return len(v.Bytes) / n
	}
	return 1
}

// size returns the size in bytes of one value of a binary VR, or 0.
func (vr VR) size() int {
	switch vr {
	case US, SS, OW:
		return 2
	case UL, SL, FL, AT, OF, OL:
		return 4
	case FD, SV, UV, OD, OV:
		return 8
	}
	return 0
}

// AppendStrings appends to dst a view of each value of a string VR, padding
// removed, and returns the extended slice. LT, ST, UT and UR have one value.
func (v Value) AppendStrings(dst [][]byte) [][]byte {
	b := v.Bytes
	if len(b) == 0 {
		return dst
	}
	if singleValued(v.VR) {
		return append(dst, trim(b, v.VR))
	}
	for {
		i := bytes.IndexByte(b, '\\')
		if i < 0 {
			return append(dst, trim(b, v.VR))
		}
		dst = append(dst, trim(b[:i], v.VR))
		b = b[i+1:]
	}
}

func (v Value) u16(b []byte) uint16 {
	if v.BigEndian {
		return binary.BigEndian.Uint16(b)
	}
	return binary.LittleEndian.Uint16(b)
}

func (v Value) u32(b []byte) uint32 {
	if v.BigEndian {
		return binary.BigEndian.Uint32(b)
	}
	return binary.LittleEndian.Uint32(b)
}

func (v Value) u64(b []byte) uint64 {
	if v.BigEndian {
		return binary.BigEndian.Uint64(b)
	}
	return binary.LittleEndian.Uint64(b)
}

// AppendInts appends the values as integers: US, SS, UL, SL, SV, UV (UV
// values above MaxInt64 are reported as [ErrValue]), OW, OL, AT (as
// group<<16|element) and the decimal strings IS and DS (DS values must be
// integral). A trailing partial value is [ErrValue].
func (v Value) AppendInts(dst []int64) ([]int64, error) {
	b := v.Bytes
	switch v.VR {
	case IS, DS:
		var err error
		for s := range v.stringValues() {
			n, e := strconv.ParseInt(string(s), 10, 64) // no allocation: the conversion does not escape
			if e != nil {
				f, e2 := strconv.ParseFloat(string(s), 64)
				if e2 != nil || f != math.Trunc(f) {
					err = ErrValue
					continue
				}
				n = int64(f)
			}
			dst = append(dst, n)
		}
		return dst, err
	}
	size := v.VR.size()
	if size == 0 || v.VR == FL || v.VR == FD || v.VR == OF || v.VR == OD {
		return dst, ErrValue
	}
	for ; len(b) >= size; b = b[size:] {
		switch v.VR {
		case US, OW:
			dst = append(dst, int64(v.u16(b)))
		case SS:
			dst = append(dst, int64(int16(v.u16(b))))
		case UL, OL:
			dst = append(dst, int64(v.u32(b)))
		case SL:
			dst = append(dst, int64(int32(v.u32(b))))
		case AT:
			dst = append(dst, int64(v.u16(b))<<16|int64(v.u16(b[2:])))
		case SV:
			dst = append(dst, int64(v.u64(b)))
		case UV, OV:
			u := v.u64(b)
			if u > math.MaxInt64 {
				return dst, ErrValue
			}
			dst = append(dst, int64(u))
		}
	}
	if len(b) != 0 {
		return dst, ErrValue
	}
	return dst, nil
}

// AppendFloats appends the values as float64: FL, FD, OF, OD, the decimal
// strings DS and IS, and every integer VR of [Value.AppendInts].
func (v Value) AppendFloats(dst []float64) ([]float64, error) {
	b := v.Bytes
	switch v.VR {
	case DS, IS:
		var err error
		for s := range v.stringValues() {
			f, e := strconv.ParseFloat(string(s), 64)
			if e != nil {
				err = ErrValue
				continue
			}
			dst = append(dst, f)
		}
		return dst, err
	case FL, OF:
		for ; len(b) >= 4; b = b[4:] {
			dst = append(dst, float64(math.Float32frombits(v.u32(b))))
		}
	case FD, OD:
		for ; len(b) >= 8; b = b[8:] {
			dst = append(dst, math.Float64frombits(v.u64(b)))
		}
	default:
		size := v.VR.size()
		if size == 0 {
			return dst, ErrValue
		}
		for ; len(b) >= size; b = b[size:] {
			var i [1]int64
			is, err := Value{Bytes: b[:size], VR: v.VR, BigEndian: v.BigEndian}.AppendInts(i[:0])
			if err != nil {
				return dst, err
			}
			dst = append(dst, float64(is[0]))
		}
	}
	if len(b) != 0 {
		return dst, ErrValue
	}
	return dst, nil
}

// AppendTags appends the values of an AT element.
func (v Value) AppendTags(dst []Tag) ([]Tag, error) {
	if v.VR != AT || len(v.Bytes)%4 != 0 {
		return dst, ErrValue
	}
	for b := v.Bytes; len(b) >= 4; b = b[4:] {
		dst = append(dst, NewTag(v.u16(b), v.u16(b[2:])))
	}
	return dst, nil
}

// stringValues iterates over the trimmed backslash-separated values.
func (v Value) stringValues() func(yield func([]byte) bool) {
	return func(yield func([]byte) bool) {
		b := v.Bytes
		if len(trim(b, v.VR)) == 0 {
			return
		}
		for {
			i := bytes.IndexByte(b, '\\')
			if i < 0 {
				yield(trim(b, v.VR))
				return
			}
			if !yield(trim(b[:i], v.VR)) {
				return
			}
			b = b[i+1:]
		}
	}
}

// PersonName is a view of one PN value: up to three component groups
// (alphabetic, ideographic, phonetic) separated by '=', each of up to five
// components (family, given, middle, prefix, suffix) separated by '^'.
type PersonName struct {
	Groups [3][5][]byte
}

// ParsePersonName splits one PN value (padding already removed, see
// [Value.AppendStrings]). Components are views of b.
func ParsePersonName(b []byte) PersonName {
	var pn PersonName
	for g := 0; g < 3; g++ {
		grp := b
		if i := bytes.IndexByte(b, '='); i >= 0 {
			grp, b = b[:i], b[i+1:]
		} else {
			b = nil
		}
		for c := 0; c < 5; c++ {
			comp := grp
			if i := bytes.IndexByte(grp, '^'); i >= 0 && c < 4 {
				comp, grp = grp[:i], grp[i+1:]
			} else {
				grp = nil
			}
			pn.Groups[g][c] = comp
		}
		if b == nil {
			break
		}
	}
	return pn
}

// Family returns the family name of the alphabetic group.
func (pn *PersonName) Family() []byte { return pn.Groups[0][0] }

// Given returns the given name of the alphabetic group.
func (pn *PersonName) Given() []byte { return pn.Groups[0][1] }

// ParseDate parses a DA value "YYYYMMDD" (or the ACR-NEMA form
// "YYYY.MM.DD") as midnight UTC.
func ParseDate(b []byte) (time.Time, error) {
	b = trim(b, DA)
	if len(b) == 10 && b[4] == '.' && b[7] == '.' {
		var c [8]byte
		copy(c[:4], b[:4])
		copy(c[4:6], b[5:7])
		copy(c[6:], b[8:])
		b = c[:]
		return parseDate(b)
	}
	return parseDate(b)
}

func parseDate(b []byte) (time.Time, error) {
	if len(b) != 8 {
		return time.Time{}, ErrValue
	}
	y, ok1 := digits(b[:4])
	m, ok2 := digits(b[4:6])
	d, ok3 := digits(b[6:8])
	if !ok1 || !ok2 || !ok3 || m < 1 || m > 12 || d < 1 || d > 31 {
		return time.Time{}, ErrValue
	}
	return time.Date(y, time.Month(m), d, 0, 0, 0, 0, time.UTC), nil
}

func digits(b []byte) (int, bool) {
	n := 0
	for _, c := range b {
		if c < '0' || c > '9' {
			return 0, false
		}
		n = n*10 + int(c-'0')
	}
	return n, len(b) > 0
}

// ParseTime parses a TM value "HH[MM[SS[.F{1,6}]]]" (or the ACR-NEMA form
// "HH:MM:SS") and returns the time of day as a duration since midnight.
func ParseTime(b []byte) (time.Duration, error) {
	b = trim(b, TM)
	var hms [3]int
	for i := 0; i < 3 && len(b) > 0; i++ {
		if i > 0 && b[0] == ':' {
			b = b[1:]
		}
		if len(b) < 2 {
			return 0, ErrValue
		}
		n, ok := digits(b[:2])
		if !ok {
			return 0, ErrValue
		}
		hms[i] = n
		b = b[2:]
	}
	if hms[0] > 23 || hms[1] > 59 || hms[2] > 60 {
		return 0, ErrValue
	}
	d := time.Duration(hms[0])*time.Hour + time.Duration(hms[1])*time.Minute + time.Duration(hms[2])*time.Second
	if len(b) > 0 {
		if b[0] != '.' || len(b) < 2 || len(b) > 7 {
			return 0, ErrValue
		}
		f, ok := digits(b[1:])
		if !ok {
			return 0, ErrValue
		}
		for i := len(b) - 1; i < 6; i++ {
			f *= 10
		}
		d += time.Duration(f) * time.Microsecond
	}
	return d, nil
}

// ParseDateTime parses a DT value "YYYY[MM[DD[HH[MM[SS[.F{1,6}]]]]]][&ZZXX]".
// Missing parts take their lowest value; without an offset the time is UTC.
func ParseDateTime(b []byte) (time.Time, error) {
	b = trim(b, DT)
	loc := time.UTC
	if i := bytes.IndexAny(b, "+-"); i >= 4 {
		z := b[i:]
		if len(z) != 5 {
			return time.Time{}, ErrValue
		}
		hh, ok1 := digits(z[1:3])
		mm, ok2 := digits(z[3:5])
		if !ok1 || !ok2 {
			return time.Time{}, ErrValue
		}
		off := hh*3600 + mm*60
		if z[0] == '-' {
			off = -off
		}
		loc = time.FixedZone("", off) // allocates; offsets are rare
		b = b[:i]
	}
	var parts [6]int
	parts[1], parts[2] = 1, 1
	widths := [6]int{4, 2, 2, 2, 2, 2}
	for i := 0; i < 6 && len(b) > 0 && b[0] != '.'; i++ {
		if len(b) < widths[i] {
			return time.Time{}, ErrValue
		}
		n, ok := digits(b[:widths[i]])
		if !ok {
			return time.Time{}, ErrValue
		}
		parts[i] = n
		b = b[widths[i]:]
	}
	ns := 0
	if len(b) > 0 {
		if b[0] != '.' || len(b) < 2 || len(b) > 7 {
			return time.Time{}, ErrValue
		}
		f, ok := digits(b[1:])
		if !ok {
			return time.Time{}, ErrValue
		}
		for i := len(b) - 1; i < 6; i++ {
			f *= 10
		}
		ns = f * 1000
	}
	if parts[1] < 1 || parts[1] > 12 || parts[2] < 1 || parts[2] > 31 || parts[3] > 23 || parts[4] > 59 || parts[5] > 60 {
		return time.Time{}, ErrValue
	}
	return time.Date(parts[0], time.Month(parts[1]), parts[2], parts[3], parts[4], parts[5], ns, loc), nil
}
