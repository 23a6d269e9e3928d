package advisory

import (
	"slices"
	"testing"

	"github.com/medtap/medtap/fingerprint/advisory/internal/vers"
)

func FuzzMatch(f *testing.F) {
	for _, q := range benchQueries {
		f.Add(q.vendor, q.product, q.version)
	}
	f.Add("Hillrom", "Welch Allyn Q-Stress", "6.3.1")
	f.Add("B. Braun Melsungen AG", "SpaceCom", "L70")
	f.Add("Innokas Yhtymä Oy", "VC150", "1.7.14")
	f.Add("Baxter", "Sigma Spectrum", "8.1")
	f.Add("ge", "optima", "x")
	f.Fuzz(func(t *testing.T, vendor, product, version string) {
		r := Match(vendor, product, version)
		all := Match(vendor, product, "")
		for i, a := range r {
			switch {
			case version == "" && a.Status != VersionUnknown,
				version != "" && a.Status != Affected && a.Status != VersionNotComparable:
				t.Fatalf("%q %q %q: %s is %v", vendor, product, version, a.ID, a.Status)
			case a.Status == Affected && vers.Check(a.Versions, version) != vers.In:
				t.Fatalf("%q %q %q: %s affected though %q does not hold it", vendor, product, version, a.ID, a.Versions)
			case i > 0 && r[i-1].ID > a.ID:
				t.Fatalf("%q %q %q: not in order", vendor, product, version)
			case !slices.ContainsFunc(all, func(b Advisory) bool { return b.ID == a.ID }):
				t.Fatalf("%q %q %q: %s is not among the advisories of the product", vendor, product, version, a.ID)
			}
		}
		if app := AppendMatch(nil, vendor, product, version); len(app) != len(r) {
			t.Fatalf("AppendMatch found %d, Match %d", len(app), len(r))
		}
	})
}
