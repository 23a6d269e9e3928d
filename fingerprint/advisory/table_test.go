package advisory

import (
	"cmp"
	"regexp"
	"slices"
	"strings"
	"testing"

	"github.com/medtap/medtap/fingerprint/advisory/internal/norm"
	"github.com/medtap/medtap/fingerprint/advisory/internal/vers"
)

// The generated table is consistent with itself and with the code that
// normalises queries.
func TestTable(t *testing.T) {
	if !slices.IsSortedFunc(advisories[:], func(a, b advisoryRow) int { return cmp.Compare(a.id, b.id) }) {
		t.Error("advisories not sorted by id")
	}
	if !slices.IsSortedFunc(vendors[:], func(a, b vendorRow) int { return cmp.Compare(a.key, b.key) }) {
		t.Error("vendors not sorted by key")
	}
	keysOf := make([][]string, len(groups))
	next := uint16(0)
	for _, v := range vendors {
		if v.lo != next || v.hi <= v.lo || int(v.hi) > len(vendorGroups) {
			t.Fatalf("vendor %q: groups [%d, %d), want from %d", v.key, v.lo, v.hi, next)
		}
		next = v.hi
		gs := vendorGroups[v.lo:v.hi]
		if !slices.IsSorted(gs) {
			t.Errorf("vendor %q: groups not in order", v.key)
		}
		for _, g := range gs {
			keysOf[g] = append(keysOf[g], v.key)
		}
	}
	if int(next) != len(vendorGroups) {
		t.Errorf("vendorGroups has %d entries, vendors use %d", len(vendorGroups), next)
	}
	var p, c uint16
	for i, g := range groups {
		if g.p0 != p || g.p1 <= g.p0 || g.c0 != c || g.c1 < g.c0 || int(g.adv) >= len(advisories) {
			t.Fatalf("group %d: %+v", i, g)
		}
		if i > 0 && g.adv < groups[i-1].adv {
			t.Errorf("group %d out of advisory order", i)
		}
		p, c = g.p1, g.c1
		if len(keysOf[i]) == 0 {
			t.Errorf("group %d (%s) has no vendor key", i, advisories[g.adv].id)
		}
		for _, pr := range products[g.p0:g.p1] {
			w := norm.Words(make([]byte, 0, norm.MaxKey), pr.name, true)
			if k := string(norm.StripVendor(w, keysOf[i]...)); k != pr.key {
				t.Errorf("%s %q: key %q, normalises to %q", advisories[g.adv].id, pr.name, pr.key, k)
			}
			if f := vers.Classify(pr.versions); f != pr.form {
				t.Errorf("%s %q: form %v, versions %q classify as %v", advisories[g.adv].id, pr.name, pr.form, pr.versions, f)
			}
		}
		for _, cv := range cves[g.c0:g.c1] {
			if !strings.HasPrefix(cv.ID, "CVE-") || cv.Score < 0 || cv.Score > 10 {
				t.Errorf("%s: CVE %+v", advisories[g.adv].id, cv)
			}
		}
	}
	if int(p) != len(products) || int(c) != len(cves) {
		t.Errorf("groups cover %d products and %d CVEs of %d and %d", p, c, len(products), len(cves))
	}
	for i := range advisories {
		if !slices.ContainsFunc(groups[:], func(g groupRow) bool { return int(g.adv) == i }) {
			t.Errorf("%s has no group", advisories[i].id)
		}
	}
	// Every alias leads to a vendor of the table.
	for alias, canon := range norm.Aliases {
		if findVendor(canon) < 0 {
			t.Errorf("alias %q → %q: no such vendor in the table", alias, canon)
		}
	}
	if !regexp.MustCompile(`^CISA ICS Medical Advisories \(CSAF 2\.0\), github\.com/cisagov/CSAF at [0-9a-f]{7,40}: [0-9]+ advisories to ICSMA-`).MatchString(Source) {
		t.Errorf("Source %q does not name the snapshot", Source)
	}
}
