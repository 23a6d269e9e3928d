package devdb

import (
	"maps"
	"math"
	"regexp"
	"slices"
	"strconv"
	"strings"

	"github.com/medtap/medtap/fingerprint/devdb/oui"
)

// A Match is one entry whose tests matched some evidence.
type Match struct {
	Entry *Entry
	// Score is the sum of the weights of the entry's tests that matched.
	Score int
	tests uint64 // bit i: Entry.Tests[i] matched
	order int32  // the entry's position in the database
}

// Confidence returns [Confidence] of the match's score: 0.63 for 50
// points, 0.86 for 100, 0.95 for 150.
func (m *Match) Confidence() float64 { return Confidence(m.Score) }

// Matched reports whether the entry's i-th test matched.
func (m *Match) Matched(i int) bool { return i >= 0 && i < 64 && m.tests&(1<<uint(i)) != 0 }

// AppendRules appends the IDs of the entry's tests that matched, in the
// entry's order. It allocates nothing when dst has room.
func (m *Match) AppendRules(dst []string) []string {
	for i := range m.Entry.Tests {
		if m.tests&(1<<uint(i)) != 0 {
			dst = append(dst, m.Entry.Tests[i].ID)
		}
	}
	return dst
}

// ConfidenceScale is the score at which confidence reaches 1 − 1/e.
const ConfidenceScale = 50

// Confidence returns the confidence of a score: 1 − e^(−score/ConfidenceScale).
func Confidence(score int) float64 {
	if score <= 0 {
		return 0
	}
	return 1 - math.Exp(-float64(score)/ConfidenceScale)
}

// Match appends to dst the entries whose tests match ev, best first (highest
// score; equal scores in database order), and returns the extended slice.
// It allocates nothing when dst has room for the matches (16 is plenty for
// one device on the default database), and it is safe for concurrent use.
func (db *Database) Match(ev *Evidence, dst []Match) []Match {
	if db.idx == nil {
		return dst
	}
	m := matcher{db: db, dst: dst, start: len(dst)}
	ix := db.idx
	if ev.HasMAC {
		if len(ix.mac) > 0 {
			m.mac(ev.MAC)
		}
		if !ix.f[FieldOUI].empty {
			if org, ok := oui.Lookup(ev.MAC); ok {
				m.value(FieldOUI, org)
			}
		}
	}
	for _, f := range ix.active {
		switch f {
		case FieldAETitle:
			for _, v := range ev.AETitles {
				m.value(f, v)
			}
		case FieldSOPClassSent:
			for _, v := range ev.SOPClassesSent {
				m.value(f, v)
			}
		case FieldSOPClassServed:
			for _, v := range ev.SOPClassesServed {
				m.value(f, v)
			}
		default:
			m.value(f, ev.value(f))
		}
	}
	out := m.dst[m.start:]
	// Insertion sort: a device matches few entries, and sort.Slice would
	// allocate.
	for i := 1; i < len(out); i++ {
		for j := i; j > 0 && better(&out[j], &out[j-1]); j-- {
			out[j], out[j-1] = out[j-1], out[j]
		}
	}
	return m.dst
}

func better(a, b *Match) bool {
	if a.Score != b.Score {
		return a.Score > b.Score
	}
	return a.order < b.order
}

type matcher struct {
	db    *Database
	dst   []Match
	start int
	buf   [MaxValueLen]byte // a value folded
}

// mac runs the mac tests: each length of prefix (in hexadecimal digits)
// has a sorted array of prefixes to search.
func (m *matcher) mac(mac [6]byte) {
	v := uint64(mac[0])<<40 | uint64(mac[1])<<32 | uint64(mac[2])<<24 | uint64(mac[3])<<16 | uint64(mac[4])<<8 | uint64(mac[5])
	for i := range m.db.idx.mac {
		t := &m.db.idx.mac[i]
		if j, ok := slices.BinarySearch(t.keys, v>>(4*(12-t.digits))); ok {
			for _, r := range t.refs[j] {
				m.add(r)
			}
		}
	}
}

// trim removes the spaces and NULs DICOM pads values with.
func trim(v string) string {
	i, j := 0, len(v)
	for i < j && (v[i] == ' ' || v[i] == 0) {
		i++
	}
	for j > i && (v[j-1] == ' ' || v[j-1] == 0) {
		j--
	}
	return v[i:j]
}

func foldInto(dst []byte, s string) {
	s = s[:len(dst)]
	for i := 0; i < len(s); i++ {
		c := s[i]
		if c >= 'A' && c <= 'Z' {
			c += 'a' - 'A'
		}
		dst[i] = c
	}
}

// value matches one value of field f.
func (m *matcher) value(f Field, v string) {
	v = trim(v)
	if v == "" {
		return
	}
	fi := &m.db.idx.f[f]
	if len(v) > MaxValueLen {
		m.long(fi, v)
	} else {
		head := m.buf[:len(v)]
		foldInto(head, v)
		m.folded(fi, v, head, head, true)
	}
	for _, r := range fi.scan {
		m.hit(r, v)
	}
	if fi.p0f != nil {
		var raw p0fRaw
		if raw.parse(v) {
			for _, r := range fi.p0f[raw.olayout] {
				if m.db.entries[r.entry].Tests[r.test].sig.match(&raw) {
					m.add(r)
				}
			}
		}
	}
}

// long runs the tests of fi on a value longer than the longest exact,
// prefix or suffix value can be.
func (m *matcher) long(fi *fieldIndex, v string) {
	var tail [MaxValueLen]byte
	foldInto(m.buf[:], v)
	foldInto(tail[:], v[len(v)-MaxValueLen:])
	m.folded(fi, v, m.buf[:], tail[:], false)
}

// folded runs the exact, prefix and suffix tests of fi on value v whose
// first bytes, folded, are head and whose last, folded, are tail; whole
// says head holds all of v. The regular expressions indexed by their
// literal prefix run on v once the prefix matched.
func (m *matcher) folded(fi *fieldIndex, v string, head, tail []byte, whole bool) {
	if whole && fi.exact != nil {
		for _, r := range fi.exact[string(head)] {
			m.add(r)
		}
	}
	for k := fi.prefixes.longest(head); k >= 0; k = fi.prefixes.parent[k] {
		for _, r := range fi.prefixes.refs[k] {
			if r.check {
				m.hit(r, v)
			} else {
				m.add(r)
			}
		}
	}
	for _, l := range fi.slens {
		if l > len(tail) {
			break
		}
		for _, r := range fi.suffix[string(tail[len(tail)-l:])] {
			m.add(r)
		}
	}
}

func (m *matcher) hit(r ref, v string) {
	if m.db.entries[r.entry].Tests[r.test].re.MatchString(v) {
		m.add(r)
	}
}

func (m *matcher) add(r ref) {
	bit := uint64(1) << r.test
	for i := m.start; i < len(m.dst); i++ {
		if x := &m.dst[i]; x.order == r.entry {
			if x.tests&bit == 0 {
				x.tests |= bit
				x.Score += m.db.entries[r.entry].Tests[r.test].Weight
			}
			return
		}
	}
	e := m.db.entries[r.entry]
	m.dst = append(m.dst, Match{Entry: e, Score: e.Tests[r.test].Weight, tests: bit, order: r.entry})
}

// ref points at one test.
type ref struct {
	entry int32
	test  uint8
	check bool // a regular expression indexed by its literal prefix: run it too
}

type fieldIndex struct {
	empty    bool
	exact    map[string][]ref // folded value
	prefixes prefixSet
	suffix   map[string][]ref
	slens    []int
	scan     []ref            // regular expressions run on every value
	p0f      map[string][]ref // p0f signatures by option layout
}

type index struct {
	f      [numFields]fieldIndex
	active []Field     // the fields after oui that have tests
	mac    []macPrefix // the mac tests by length, shortest first
}

// macPrefix holds the mac tests of one length.
type macPrefix struct {
	digits int      // hexadecimal digits
	keys   []uint64 // the prefixes, sorted
	refs   [][]ref
}

func fold(s string) string {
	b := make([]byte, len(s))
	foldInto(b, s)
	return string(b)
}

func buildIndex(entries []*Entry) *index {
	ix := new(index)
	prefix := make([]map[string][]ref, numFields)
	put := func(mp *map[string][]ref, lens *[]int, key string, r ref) {
		if *mp == nil {
			*mp = map[string][]ref{}
		}
		(*mp)[key] = append((*mp)[key], r)
		if lens != nil && !slices.Contains(*lens, len(key)) {
			*lens = append(*lens, len(key))
		}
	}
	macs := map[int]map[uint64][]ref{}
	for ei, e := range entries {
		for ti := range e.Tests {
			t := &e.Tests[ti]
			fi := &ix.f[t.Field]
			r := ref{entry: int32(ei), test: uint8(ti)}
			if t.Field == FieldMAC {
				k, _ := strconv.ParseUint(t.Value, 16, 64) // checked at load
				if macs[len(t.Value)] == nil {
					macs[len(t.Value)] = map[uint64][]ref{}
				}
				macs[len(t.Value)][k] = append(macs[len(t.Value)][k], r)
				continue
			}
			switch t.Op {
			case OpExact:
				put(&fi.exact, nil, fold(t.Value), r)
			case OpPrefix:
				put(&prefix[t.Field], nil, fold(t.Value), r)
			case OpSuffix:
				put(&fi.suffix, &fi.slens, fold(t.Value), r)
			case OpRegexp:
				if lit := anchoredLiteral(t.re); lit != "" {
					r.check = true
					put(&prefix[t.Field], nil, fold(lit), r)
				} else {
					fi.scan = append(fi.scan, r)
				}
			case OpP0F:
				put(&fi.p0f, nil, t.sig.olayout, r)
			}
		}
	}
	for _, d := range slices.Sorted(maps.Keys(macs)) {
		mp := macPrefix{digits: d, keys: slices.Sorted(maps.Keys(macs[d]))}
		for _, k := range mp.keys {
			mp.refs = append(mp.refs, macs[d][k])
		}
		ix.mac = append(ix.mac, mp)
	}
	for f := range ix.f {
		fi := &ix.f[f]
		fi.prefixes = newPrefixSet(prefix[f])
		slices.Sort(fi.slens)
		fi.empty = fi.exact == nil && len(fi.prefixes.keys) == 0 && fi.suffix == nil && fi.scan == nil && fi.p0f == nil
		if !fi.empty && Field(f) > FieldOUI {
			ix.active = append(ix.active, Field(f))
		}
	}
	return ix
}

// anchoredLiteral returns the literal text every match of re begins the
// value with: the literal prefix of a regular expression anchored at the
// start and not case-folded, truncated to MaxValueLen; or "".
func anchoredLiteral(re *regexp.Regexp) string {
	s := re.String()
	if !strings.HasPrefix(s, "^") || strings.HasPrefix(s, "^(?i)") {
		return ""
	}
	lit, _ := regexp.MustCompile(s[1:]).LiteralPrefix()
	if strings.ContainsAny(lit, "|") {
		return ""
	}
	return lit[:min(len(lit), MaxValueLen)]
}

// A prefixSet finds every key that is a prefix of a value: the keys are
// sorted, and each knows the longest other key that is a prefix of it (its
// parent), so the keys that prefix a value form a chain from the longest.
type prefixSet struct {
	keys   []string // folded, sorted
	parent []int32  // index of the longest key that prefixes keys[i], or -1
	refs   [][]ref
}

func newPrefixSet(m map[string][]ref) prefixSet {
	var s prefixSet
	for k := range m {
		s.keys = append(s.keys, k)
	}
	slices.Sort(s.keys)
	s.parent = make([]int32, len(s.keys))
	s.refs = make([][]ref, len(s.keys))
	var stack []int32 // the chain of keys that prefix the current one
	for i, k := range s.keys {
		s.refs[i] = m[k]
		for len(stack) > 0 && !strings.HasPrefix(k, s.keys[stack[len(stack)-1]]) {
			stack = stack[:len(stack)-1]
		}
		s.parent[i] = -1
		if len(stack) > 0 {
			s.parent[i] = stack[len(stack)-1]
		}
		stack = append(stack, int32(i))
	}
	return s
}

// longest returns the index of the longest key that is a prefix of v, or
// -1. The largest key not above v is either that key or extends it; in the
// latter case the key is among its ancestors.
func (s *prefixSet) longest(v []byte) int32 {
	lo, hi := 0, len(s.keys)
	for lo < hi {
		m := int(uint(lo+hi) >> 1)
		if s.keys[m] <= string(v) {
			lo = m + 1
		} else {
			hi = m
		}
	}
	k := int32(lo - 1)
	for k >= 0 && !hasPrefix(v, s.keys[k]) {
		k = s.parent[k]
	}
	return k
}

func hasPrefix(v []byte, key string) bool {
	return len(v) >= len(key) && string(v[:len(key)]) == key
}
