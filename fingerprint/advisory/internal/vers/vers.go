// Package vers compares a device's version with the affected-version text of
// a CSAF advisory: purl-style vers URIs ("vers:all/*", "vers:generic/<=4.2")
// and the free forms CISA writes in product_version and product_version_range
// branches ("<= 2.3.6", ">= 5.01 | <= 6.3.1", "9.13 | 9.19", "12.2.x.x",
// "2.3.6 and below"). Nothing here allocates.
//
// A range text is a list of constraints separated by "|". A constraint is an
// operator (<, <=, >, >=, =, and != in vers URIs; none means =) and one
// version word. A lower bound followed by an upper bound is one interval
// (">= 1.0.0 | <= 1.1.1" is 1.0.0 through 1.1.1, as in the vers
// specification); every other constraint stands alone, and the range holds a
// version when any of its parts does. A part that is not of this form (dates,
// words, parenthesised conditions, model lists) is kept as text: it makes the
// answer [Unknown] unless another part holds the version.
//
// Versions compare segment by segment (see [Compare]).
package vers

import (
	"strconv"
	"strings"
)

// Result is what [Check] says of a version and a range.
type Result uint8

const (
	Out     Result = iota // the version is outside the range
	In                    // the version is inside the range
	Unknown               // the range or the version cannot be compared
)

func (r Result) String() string {
	switch r {
	case Out:
		return "out"
	case In:
		return "in"
	case Unknown:
		return "unknown"
	}
	return "Result(" + strconv.Itoa(int(r)) + ")"
}

// Form says how much of a range text [Check] understands.
type Form uint8

const (
	Text    Form = iota // nothing: every version is Unknown
	Partial             // some parts are text
	Parsed              // every part
)

func (f Form) String() string {
	switch f {
	case Text:
		return "text"
	case Partial:
		return "partial"
	case Parsed:
		return "parsed"
	}
	return "Form(" + strconv.Itoa(int(f)) + ")"
}

type op uint8

const (
	opText op = iota // not a constraint
	opAll            // every version
	opEQ
	opNE
	opLT
	opLE
	opGT
	opGE
)

func (o op) lower() bool { return o == opGT || o == opGE }
func (o op) upper() bool { return o == opLT || o == opLE }

type constraint struct {
	op  op
	ver string
}

// parts walks the constraints of a range text.
type parts struct {
	rest string
	vers bool // a vers URI: bare constraints, != allowed
	done bool
}

func newParts(r string) parts {
	r = strings.TrimSpace(r)
	if body, ok := strings.CutPrefix(r, "vers:"); ok {
		// vers:<scheme>/<constraints>; without a "/" it is one text part.
		_, cons, _ := strings.Cut(body, "/")
		return parts{rest: cons, vers: true}
	}
	if strings.IndexByte(r, '(') >= 0 || strings.IndexByte(r, ')') >= 0 {
		// Parenthesised conditions ("v6.x (with Wireless Battery Modules
		// v9 | v11 ...)") would split into wrong parts: the whole text is
		// one text part.
		return parts{}
	}
	return parts{rest: r}
}

// next returns the next constraint; ok is false at the end. An empty part
// (an empty text, "a||b", a trailing "|") is a text part.
func (p *parts) next() (c constraint, ok bool) {
	if p.done {
		return constraint{}, false
	}
	part := p.rest
	if i := strings.IndexByte(part, '|'); i >= 0 {
		part, p.rest = part[:i], part[i+1:]
	} else {
		p.done = true
	}
	return parseConstraint(strings.TrimSpace(part), p.vers), true
}

// parseConstraint reads one part of a range text.
func parseConstraint(s string, vers bool) constraint {
	if s == "*" {
		return constraint{op: opAll}
	}
	o := opEQ
	switch {
	case strings.HasPrefix(s, "<="):
		o, s = opLE, s[2:]
	case strings.HasPrefix(s, ">="):
		o, s = opGE, s[2:]
	case strings.HasPrefix(s, "!="):
		if !vers {
			return constraint{op: opText}
		}
		o, s = opNE, s[2:]
	case strings.HasPrefix(s, "<"):
		o, s = opLT, s[1:]
	case strings.HasPrefix(s, ">"):
		o, s = opGT, s[1:]
	case strings.HasPrefix(s, "="):
		s = s[1:]
	default:
		if !vers {
			// CISA's "2.3.6 and below" and its kin.
			if strings.Contains(s, " and ") {
				if v, ok := cutWords(s, " and below", " and prior", " and earlier", " and lower", " and older"); ok {
					o, s = opLE, v
				} else if v, ok := cutWords(s, " and later", " and above", " and newer", " and higher"); ok {
					o, s = opGE, v
				}
			}
			if o == opEQ && !hasDigit(s) {
				return constraint{op: opText} // a word, not a version
			}
		}
	}
	s = strings.TrimSpace(s)
	if !Valid(s) {
		return constraint{op: opText}
	}
	return constraint{op: o, ver: s}
}

// cutWords cuts one of the suffixes (ASCII case-insensitive, inner spaces
// collapsed) from s.
func cutWords(s string, suffixes ...string) (string, bool) {
	s = strings.TrimSpace(s)
	for _, suf := range suffixes {
		// Collapse "2.3.6 and  below": compare word by word from the end.
		if v, ok := cutSuffixWords(s, suf); ok {
			return v, true
		}
	}
	return "", false
}

func cutSuffixWords(s, suf string) (string, bool) {
	// suf is " and <word>"; s must end with <word>, preceded by spaces,
	// "and", spaces, and a version word.
	word := suf[len(" and "):]
	if len(s) < len(word) || !strings.EqualFold(s[len(s)-len(word):], word) {
		return "", false
	}
	s = strings.TrimRight(s[:len(s)-len(word)], " ")
	if len(s) < 4 || !strings.EqualFold(s[len(s)-3:], "and") || s[len(s)-4] != ' ' {
		return "", false
	}
	return strings.TrimRight(s[:len(s)-3], " "), true
}

func hasDigit(s string) bool {
	for i := 0; i < len(s); i++ {
		if s[i] >= '0' && s[i] <= '9' {
			return true
		}
	}
	return false
}

// Valid reports whether s is one version word: ASCII letters and digits
// separated by single '.', '-', '_' or '+', beginning with a letter or digit,
// 64 bytes at most. "x" (or "X" or "*") standing alone as a segment is a
// wildcard ("12.2.x.x").
func Valid(s string) bool {
	if len(s) == 0 || len(s) > 64 {
		return false
	}
	prevSep := true
	for i := 0; i < len(s); i++ {
		c := s[i]
		switch {
		case isAlnum(c):
			prevSep = false
		case c == '*':
			// only as a whole segment
			if !prevSep || (i+1 < len(s) && !isSep(s[i+1])) {
				return false
			}
			prevSep = false
		case isSep(c):
			if prevSep {
				return false
			}
			prevSep = true
		default:
			return false
		}
	}
	return !prevSep
}

func isSep(c byte) bool { return c == '.' || c == '-' || c == '_' || c == '+' }

func isAlnum(c byte) bool {
	return c >= '0' && c <= '9' || c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z'
}

// Classify says how much of the range text r is understood.
func Classify(r string) Form {
	p := newParts(r)
	var text, parsed int
	for {
		c, ok := p.next()
		if !ok {
			break
		}
		if c.op == opText {
			text++
		} else {
			parsed++
		}
	}
	switch {
	case parsed == 0:
		return Text
	case text > 0:
		return Partial
	}
	return Parsed
}

// Check reports whether version v lies in the range text r. An empty or
// invalid v (see [Valid]) gives Unknown unless r holds every version.
func Check(r, v string) Result {
	v = strings.TrimSpace(v)
	vok := Valid(v)
	p := newParts(r)
	var (
		in, unknown, excluded bool
		pending               constraint // a lower bound waiting for its upper bound
	)
	flush := func() {
		if pending.op != opText {
			merge(&in, &unknown, holds(pending, v, vok))
			pending = constraint{}
		}
	}
	for {
		c, ok := p.next()
		if !ok {
			break
		}
		switch {
		case c.op == opText:
			flush()
			unknown = true
		case c.op == opAll:
			flush()
			in = true
		case c.op.lower():
			flush()
			pending = c
		case c.op.upper() && pending.op != opText:
			lo := holds(pending, v, vok)
			hi := holds(c, v, vok)
			pending = constraint{}
			switch {
			case lo == Out || hi == Out:
			case lo == In && hi == In:
				in = true
			default:
				unknown = true
			}
		case c.op == opNE:
			flush()
			switch holds(constraint{op: opEQ, ver: c.ver}, v, vok) {
			case In:
				excluded = true
			case Unknown:
				unknown = true
			}
		default:
			flush()
			merge(&in, &unknown, holds(c, v, vok))
		}
	}
	flush()
	switch {
	case excluded:
		return Out
	case in:
		return In
	case unknown:
		return Unknown
	}
	return Out
}

func merge(in, unknown *bool, r Result) {
	switch r {
	case In:
		*in = true
	case Unknown:
		*unknown = true
	}
}

// holds checks one constraint.
func holds(c constraint, v string, vok bool) Result {
	if c.op == opAll {
		return In
	}
	if !vok {
		return Unknown
	}
	cmp, ok := Compare(v, c.ver)
	if !ok {
		return Unknown
	}
	var r bool
	switch c.op {
	case opEQ:
		if cmp == 0 {
			return In
		}
		// A bare version without a dot (8, 2131, 2490C, BT03, MMT-1710) is
		// often a model number or a whole major line in these advisories:
		// a different version is not known to be outside it.
		if !strings.Contains(c.ver, ".") {
			return Unknown
		}
		return Out
	case opLT:
		r = cmp < 0
	case opLE:
		r = cmp <= 0
	case opGT:
		r = cmp > 0
	case opGE:
		r = cmp >= 0
	}
	if r {
		return In
	}
	return Out
}
