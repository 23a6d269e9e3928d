package hl7_test

import (
	"fmt"
	"github.com/medtap/medtap/internal/testutil"
	"strconv"
	"strings"
	"testing"

	"github.com/medtap/medtap/hl7"
)

// corpusDir returns ../shared/corpus/<sub> beside the repository, or
// skips the test when it is absent.
func corpusDir(tb testing.TB, sub string) string {
	tb.Helper()
	return testutil.Corpus(tb, sub)
}

// dump writes a message as one line per leaf value, with its path.
func dump(sb *strings.Builder, m *hl7.Message) {
	fmt.Fprintf(sb, "type=%s control_id=%s version=%s segments=%d terminators=%s\n",
		m.Type(), m.ControlID(), m.Version(), m.NumSegments(), m.Terminators())
	occ := map[string]int{}
	var buf []byte
	for i := range m.NumSegments() {
		seg := m.SegmentAt(i)
		name := string(seg.Name())
		occ[name]++
		for fc := seg.Fields(); fc.Next(); {
			fi, f := fc.Index(), fc.Value()
			nreps := f.NumReps()
			for rc := f.Reps(); rc.Next(); {
				ri, r := rc.Index(), rc.Value()
				for cc := r.Comps(); cc.Next(); {
					ci, c := cc.Index(), cc.Value()
					for sc := c.Subs(); sc.Next(); {
						si, s := sc.Index(), sc.Value()
						if s.IsEmpty() {
							continue
						}
						p := name
						if occ[name] > 1 {
							p += "(" + strconv.Itoa(occ[name]) + ")"
						}
						p += "-" + strconv.Itoa(fi)
						if nreps > 1 {
							p += "(" + strconv.Itoa(ri) + ")"
						}
						if c.NumSubs() > 1 || r.NumComps() > 1 {
							p += "-" + strconv.Itoa(ci)
						}
						if c.NumSubs() > 1 {
							p += "-" + strconv.Itoa(si)
						}
						buf = s.AppendUnescaped(buf[:0])
						fmt.Fprintf(sb, "  %s = %q\n", p, buf)
					}
				}
			}
		}
	}
}
