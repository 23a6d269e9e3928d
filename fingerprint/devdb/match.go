package devdb

import (
	"math"
	"regexp"
	"slices"
	"strings"

	"github.com/medtap/medtap/fingerprint/devdb/oui"
)

// A Match is one entry whose tests matched some evidence.
type Match struct {
	Entry *Entry
	// Score is the sum of the weights of the entry's tests that matched.
	Score int
	// Confidence is 1 − e^(−Score/50): 0.63 for 50 points, 0.86 for 100,
	// 0.95 for 150. See the package documentation.
	Confidence float64
	tests      uint64 // bit i: Entry.Tests[i] matched
	order      int32  // the entry's position in the database
}

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
		if !ix.f[FieldMAC].empty {
			var hex [12]byte
			const digits = "0123456789abcdef"
			for i, b := range ev.MAC {
				hex[2*i], hex[2*i+1] = digits[b>>4], digits[b&15]
			}
			m.folded(&ix.f[FieldMAC], "", hex[:], hex[:], true)
		}
		if !ix.f[FieldOUI].empty {
			if org, ok := oui.Lookup(ev.MAC); ok {
				m.value(FieldOUI, org)
			}
		}
	}
	for f := FieldImplementationUID; f < numFields; f++ {
		if ix.f[f].empty {
			continue
		}
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
	for i := range out {
		out[i].Confidence = Confidence(out[i].Score)
	}
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
}

// trim removes the spaces and NULs DICOM pads values with.
func trim(v string) string {
	return strings.Trim(v, " \x00")
}

func foldInto(dst []byte, s string) {
	for i := range dst {
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
	var head, tail [MaxValueLen]byte
	n := min(len(v), MaxValueLen)
	foldInto(head[:n], v[:n])
	t := head[:n]
	if len(v) > MaxValueLen {
		foldInto(tail[:], v[len(v)-MaxValueLen:])
		t = tail[:]
	}
	m.folded(fi, v, head[:n], t, len(v) == n)
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
	for _, l := range fi.plens {
		if l > len(head) {
			break
		}
		for _, r := range fi.prefix[string(head[:l])] {
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
	empty  bool
	exact  map[string][]ref // folded value
	prefix map[string][]ref // folded prefix
	plens  []int            // the distinct prefix lengths, ascending
	suffix map[string][]ref
	slens  []int
	scan   []ref            // regular expressions run on every value
	p0f    map[string][]ref // p0f signatures by option layout
}

type index struct {
	f [numFields]fieldIndex
}

func fold(s string) string {
	b := make([]byte, len(s))
	foldInto(b, s)
	return string(b)
}

func buildIndex(entries []*Entry) *index {
	ix := new(index)
	put := func(mp *map[string][]ref, lens *[]int, key string, r ref) {
		if *mp == nil {
			*mp = map[string][]ref{}
		}
		(*mp)[key] = append((*mp)[key], r)
		if lens != nil && !slices.Contains(*lens, len(key)) {
			*lens = append(*lens, len(key))
		}
	}
	for ei, e := range entries {
		for ti := range e.Tests {
			t := &e.Tests[ti]
			fi := &ix.f[t.Field]
			r := ref{entry: int32(ei), test: uint8(ti)}
			switch t.Op {
			case OpExact:
				put(&fi.exact, nil, fold(t.Value), r)
			case OpPrefix:
				put(&fi.prefix, &fi.plens, fold(t.Value), r)
			case OpSuffix:
				put(&fi.suffix, &fi.slens, fold(t.Value), r)
			case OpRegexp:
				if lit := anchoredLiteral(t.re); lit != "" {
					r.check = true
					put(&fi.prefix, &fi.plens, fold(lit), r)
				} else {
					fi.scan = append(fi.scan, r)
				}
			case OpP0F:
				put(&fi.p0f, nil, t.sig.olayout, r)
			}
		}
	}
	for f := range ix.f {
		fi := &ix.f[f]
		slices.Sort(fi.plens)
		slices.Sort(fi.slens)
		fi.empty = fi.exact == nil && fi.prefix == nil && fi.suffix == nil && fi.scan == nil && fi.p0f == nil
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
