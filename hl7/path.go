package hl7

import "strconv"

// A Path names a value in a message: a segment (and its occurrence), a field
// (and its repetition), a component and a sub-component. Every index is
// 1-based; 0 means "not given": the first occurrence of the segment, the
// whole field (all repetitions) or the first repetition when a component is
// given, the whole component.
//
// Path is a small comparable value, usable as a map key.
type Path struct {
	Segment    [3]byte
	SegmentRep int
	Field      int
	Rep        int
	Comp       int
	Sub        int
}

// ParsePath parses a path such as "PID-5", "PID-3(2)-1", "OBX(2)-5-1-2" or
// with dots, "PID.5.1". A field index is required. It does not allocate on
// success.
func ParsePath(s string) (Path, error) {
	var p Path
	if len(s) < 3 {
		return p, ErrPath
	}
	for i := 0; i < 3; i++ {
		c := s[i]
		if !(c >= 'A' && c <= 'Z' || c >= '0' && c <= '9') {
			return p, ErrPath
		}
		p.Segment[i] = c
	}
	s = s[3:]
	var ok bool
	if p.SegmentRep, s, ok = paren(s); !ok {
		return p, ErrPath
	}
	nums := [...]*int{&p.Field, &p.Comp, &p.Sub}
	for k := 0; k < len(nums) && s != ""; k++ {
		if s[0] != '-' && s[0] != '.' {
			return p, ErrPath
		}
		n, rest, ok := number(s[1:])
		if !ok {
			return p, ErrPath
		}
		*nums[k] = n
		s = rest
		if k == 0 {
			if p.Rep, s, ok = paren(s); !ok {
				return p, ErrPath
			}
		}
	}
	if s != "" || p.Field == 0 {
		return p, ErrPath
	}
	return p, nil
}

// MustParsePath is ParsePath that panics on error, for constant paths.
func MustParsePath(s string) Path {
	p, err := ParsePath(s)
	if err != nil {
		panic(`hl7: MustParsePath("` + s + `"): ` + err.Error())
	}
	return p
}

// paren reads an optional "(n)" with n ≥ 1.
func paren(s string) (int, string, bool) {
	if s == "" || s[0] != '(' {
		return 0, s, true
	}
	n, rest, ok := number(s[1:])
	if !ok || rest == "" || rest[0] != ')' {
		return 0, s, false
	}
	return n, rest[1:], true
}

// number reads a decimal integer from 1 to 1,000,000.
func number(s string) (int, string, bool) {
	n, i := 0, 0
	for i < len(s) && s[i] >= '0' && s[i] <= '9' {
		n = n*10 + int(s[i]-'0')
		if n > 1_000_000 {
			return 0, s, false
		}
		i++
	}
	if i == 0 || n == 0 {
		return 0, s, false
	}
	return n, s[i:], true
}

// String returns the path in the "SEG(n)-F(r)-C-S" form, omitting what is
// not given.
func (p Path) String() string { return string(p.AppendTo(nil)) }

// AppendTo appends the path's text form to dst.
func (p Path) AppendTo(dst []byte) []byte {
	dst = append(dst, p.Segment[:]...)
	if p.SegmentRep > 0 {
		dst = append(dst, '(')
		dst = strconv.AppendInt(dst, int64(p.SegmentRep), 10)
		dst = append(dst, ')')
	}
	dst = append(dst, '-')
	dst = strconv.AppendInt(dst, int64(p.Field), 10)
	if p.Rep > 0 {
		dst = append(dst, '(')
		dst = strconv.AppendInt(dst, int64(p.Rep), 10)
		dst = append(dst, ')')
	}
	if p.Comp > 0 {
		dst = append(dst, '-')
		dst = strconv.AppendInt(dst, int64(p.Comp), 10)
		if p.Sub > 0 {
			dst = append(dst, '-')
			dst = strconv.AppendInt(dst, int64(p.Sub), 10)
		}
	}
	return dst
}
