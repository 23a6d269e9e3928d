// Package advisory tells which of CISA's ICS Medical Advisories apply to a
// device, from its vendor, product and version.
//
// The table is generated (go generate) from the advisories' CSAF 2.0
// documents and embedded in the binary; [Source] names the snapshot. For
// each advisory it holds the id, title and publication dates, and for each
// product of its product tree the vendor, the product name, the affected
// versions as the advisory writes them and the CVEs that affect the product,
// with their CVSS base scores and vectors.
//
// [Match] looks a device up:
//
//   - Vendor names match case- and punctuation-insensitively, without
//     diacritics, parenthesised text or trailing legal forms ("Inc.", "AG",
//     "Co, Ltd."), and through a small alias table of names for one vendor
//     ("GE" and "General Electric" are GE Healthcare, "Koninklijke Philips"
//     and the misspelt "Phillips" are Philips, "Siemens Healthineers" is
//     Siemens, "Hillrom" and "Welch Allyn" are Baxter; see README.md). When
//     the whole name is unknown, its longest leading run of words that names
//     a vendor is used ("Philips Medical Systems Nederland B.V." is Philips).
//   - Product names are reduced to lowercase words of letters and digits
//     (parenthesised text kept), and a leading vendor name is dropped from
//     both sides ("GE Aespire" is "Aespire"). A device's product matches an
//     advisory's product when one of the two is a prefix of the other that
//     ends at a word boundary, spaces aside: "IntelliVue MX40" matches
//     "IntelliVue MX40 Patient Worn Monitor (WLAN only)" and "Alaris" matches
//     every Alaris product, but "MX40" does not match "MX400".
//   - Versions are compared with the affected ranges of the matching
//     products: "vers:" ranges, "<", "<=", ">", ">=", intervals
//     (">= 5.01 | <= 6.3.1"), lists ("9.13 | 9.19"), wildcards ("12.2.x.x")
//     and "2.3.6 and below", over semver-like and dotted versions with letters
//     ("B.06.18", "2.4A", "BT06"). A range the advisory writes as prose
//     (dates, model lists, conditions) cannot be compared; nor can a version
//     of another form.
//
// Every result carries a [Status]: [Affected] when the version lies in a
// range, [VersionUnknown] when no version was given (every advisory of the
// product is then listed), [VersionNotComparable] when a version was given
// but could not be compared. Advisories whose ranges exclude the version are
// not listed.
//
// Matching allocates nothing but the result: [AppendMatch] appends to the
// caller's slice and allocates nothing when it has room.
package advisory

//go:generate go run ./internal/gen -src ../../../shared/advisories -o table_gen.go

import "strconv"

// Status says how a device's version relates to an advisory.
type Status uint8

const (
	// Affected: the version lies in the product's affected versions.
	Affected Status = iota + 1
	// VersionUnknown: no version was given; the advisory names the product.
	VersionUnknown
	// VersionNotComparable: a version was given, but the advisory's
	// affected versions (or the version) are of a form that cannot be
	// compared; the advisory names the product.
	VersionNotComparable
)

func (s Status) String() string {
	switch s {
	case Affected:
		return "affected"
	case VersionUnknown:
		return "version unknown"
	case VersionNotComparable:
		return "version not comparable"
	}
	return "Status(" + strconv.Itoa(int(s)) + ")"
}

// CVE is one vulnerability of an advisory, scored for the product it was
// matched on.
type CVE struct {
	ID     string  // "CVE-2024-5176"
	Score  float32 // CVSS base score (v3; v2 where the advisory has no v3); 0 when none
	Vector string  // CVSS vector string; "" when none
}

// Advisory is one advisory that applies to a device.
type Advisory struct {
	ID        string // "ICSMA-24-151-01"; updated advisories keep their letter ("ICSMA-17-009-01A")
	Title     string // "Baxter Welch Allyn Configuration Tool"
	Published string // initial release, YYYY-MM-DD
	Updated   string // current release, YYYY-MM-DD

	Vendor   string // the vendor as the advisory names it
	Product  string // the product that matched, as the advisory names it (the first with the best status)
	Versions string // its affected versions as the advisory writes them
	Status   Status

	// CVEs affecting Product, ordered by year and number. The slice is
	// shared with the table: do not modify it.
	CVEs []CVE
}

// Match returns the advisories that apply to a device of the given vendor,
// product and version (see the package documentation for the rules),
// ordered by advisory id, or nil. An empty vendor or product matches
// nothing; an empty version lists every advisory of the product as
// [VersionUnknown].
//
// An advisory is listed once, unless the products of it that match have
// different lists of CVEs; then once per list.
func Match(vendor, product, version string) []Advisory {
	var buf [8]Advisory
	r, n := appendMatch(buf[:0], vendor, product, version, true)
	if n == 0 {
		return nil
	}
	out := make([]Advisory, len(r), n)
	copy(out, r)
	if n > len(r) { // more than buf holds: fill the exact result again
		out, _ = appendMatch(out[:0], vendor, product, version, false)
	}
	return out
}

// AppendMatch appends what [Match] returns to dst.
func AppendMatch(dst []Advisory, vendor, product, version string) []Advisory {
	dst, _ = appendMatch(dst, vendor, product, version, false)
	return dst
}

// appendMatch appends the results to dst and counts them. When bounded, it
// appends only as many as dst has room for.
func appendMatch(dst []Advisory, vendor, product, version string, bounded bool) ([]Advisory, int) {
	var q query
	if !q.start(vendor, product) {
		return dst, 0
	}
	n := 0
	for _, gi := range vendorGroups[vendors[q.vendor].lo:vendors[q.vendor].hi] {
		g := &groups[gi]
		best, bestStatus := -1, Status(0)
		for pi := int(g.p0); pi < int(g.p1); pi++ {
			if !q.matches(products[pi].key) {
				continue
			}
			if s := status(&products[pi], version); rank(s) > rank(bestStatus) {
				best, bestStatus = pi, s
			}
		}
		if best < 0 {
			continue
		}
		n++
		if bounded && len(dst) == cap(dst) {
			continue
		}
		a, p := &advisories[g.adv], &products[best]
		dst = append(dst, Advisory{
			ID:        a.id,
			Title:     a.title,
			Published: a.published,
			Updated:   a.updated,
			Vendor:    g.vendor,
			Product:   p.name,
			Versions:  p.versions,
			Status:    bestStatus,
			CVEs:      cves[g.c0:g.c1:g.c1],
		})
	}
	return dst, n
}
