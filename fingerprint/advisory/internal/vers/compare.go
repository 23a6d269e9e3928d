package vers

// Compare orders two version words (see [Valid]): -1, 0 or +1, and ok false
// when they are not comparable. The rules, in order:
//
//   - A run of letters glued to the first digit ("U61", "BT06", "SV20.1",
//     "VM5.0") names a product line: versions of different lines are not
//     comparable. A lone "v" or "V" before a digit is no line ("v1.2" is 1.2).
//   - The rest splits into segments: runs of digits and runs of letters, cut
//     also at '.', '-', '_' and '+'. Segments compare in turn: numbers by value
//     (leading zeros ignored, any length), letters case-insensitively
//     ("B.06.18" < "C.00.04", "2.4A" < "2.4B"). A number against letters is
//     not comparable.
//   - A wildcard segment ("x", "X" or "*" standing alone, as in "12.2.x.x" or
//     "< 3.x") equals whatever is at its place and after it.
//   - When one version runs out, missing numbers count as 0 ("1.0" = "1.0.0"),
//     a letter segment after '-' is a pre-release ("1.0-rc1" < "1.0") and any
//     other letter segment makes the longer version greater ("2.4" < "2.4A").
func Compare(a, b string) (c int, ok bool) {
	if !Valid(a) || !Valid(b) {
		return 0, false
	}
	la, ra := line(a)
	lb, rb := line(b)
	if !equalFold(la, lb) {
		return 0, false
	}
	ia, ib := segments{s: ra}, segments{s: rb}
	for {
		sa, oka := ia.next()
		sb, okb := ib.next()
		switch {
		case !oka && !okb:
			return 0, true
		case !oka:
			return -tail(sb, &ib), true
		case !okb:
			return tail(sa, &ia), true
		}
		if sa.kind == segWild || sb.kind == segWild {
			return 0, true
		}
		if sa.kind != sb.kind {
			return 0, false
		}
		var c int
		if sa.kind == segNum {
			c = compareNum(sa.s, sb.s)
		} else {
			c = compareFold(sa.s, sb.s)
		}
		if c != 0 {
			return c, true
		}
	}
}

// tail orders a version that goes on with s (and it) against one that has
// ended: +1 when the longer is greater, -1 when smaller.
func tail(s segment, it *segments) int {
	for {
		switch s.kind {
		case segWild:
			return 0
		case segAlpha:
			if s.dash {
				return -1
			}
			return 1
		case segNum:
			if compareNum(s.s, "0") != 0 {
				return 1
			}
		}
		var ok bool
		if s, ok = it.next(); !ok {
			return 0
		}
	}
}

// line splits the product-line prefix from a version word.
func line(s string) (prefix, rest string) {
	i := 0
	for i < len(s) && isLetter(s[i]) {
		i++
	}
	if i == 0 || i == len(s) || !isDigit(s[i]) {
		return "", s
	}
	if i == 1 && (s[0] == 'v' || s[0] == 'V') {
		return "", s[1:]
	}
	return s[:i], s[i:]
}

type segKind uint8

const (
	segNum segKind = iota
	segAlpha
	segWild
)

type segment struct {
	s    string
	kind segKind
	dash bool // preceded by '-'
}

type segments struct {
	s string
	i int
}

func (it *segments) next() (segment, bool) {
	s, i := it.s, it.i
	dash := false
	for i < len(s) && isSep(s[i]) {
		dash = s[i] == '-'
		i++
	}
	if i == len(s) {
		it.i = i
		return segment{}, false
	}
	j := i + 1
	var kind segKind
	switch {
	case s[i] == '*':
		kind = segWild
	case isDigit(s[i]):
		for j < len(s) && isDigit(s[j]) {
			j++
		}
	default:
		kind = segAlpha
		for j < len(s) && isLetter(s[j]) {
			j++
		}
		if j == i+1 && (s[i] == 'x' || s[i] == 'X') && (i == 0 || isSep(s[i-1])) && (j == len(s) || isSep(s[j])) {
			kind = segWild
		}
	}
	it.i = j
	return segment{s: s[i:j], kind: kind, dash: dash}, true
}

func compareNum(a, b string) int {
	for len(a) > 1 && a[0] == '0' {
		a = a[1:]
	}
	for len(b) > 1 && b[0] == '0' {
		b = b[1:]
	}
	switch {
	case len(a) < len(b):
		return -1
	case len(a) > len(b):
		return 1
	case a < b:
		return -1
	case a > b:
		return 1
	}
	return 0
}

func compareFold(a, b string) int {
	for i := 0; i < len(a) && i < len(b); i++ {
		ca, cb := lower(a[i]), lower(b[i])
		if ca != cb {
			if ca < cb {
				return -1
			}
			return 1
		}
	}
	switch {
	case len(a) < len(b):
		return -1
	case len(a) > len(b):
		return 1
	}
	return 0
}

func equalFold(a, b string) bool { return len(a) == len(b) && compareFold(a, b) == 0 }

func lower(c byte) byte {
	if c >= 'A' && c <= 'Z' {
		return c + 'a' - 'A'
	}
	return c
}

func isDigit(c byte) bool  { return c >= '0' && c <= '9' }
func isLetter(c byte) bool { return c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' }
