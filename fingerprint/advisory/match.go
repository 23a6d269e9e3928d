package advisory

import (
	"github.com/medtap/medtap/fingerprint/advisory/internal/norm"
	"github.com/medtap/medtap/fingerprint/advisory/internal/vers"
)

// The rows of the generated table (table_gen.go).
type (
	advisoryRow struct{ id, title, published, updated string }

	// groupRow is the products of one advisory that share a vendor branch and
	// a list of CVEs: products[p0:p1], cves[c0:c1].
	groupRow struct {
		adv            uint16
		vendor         string
		p0, p1, c0, c1 uint16
	}

	// productRow is one product entry: its name, its key (the name's words
	// without a leading vendor name), its affected versions and how much of
	// them compares.
	productRow struct {
		name, key, versions string
		form                vers.Form
	}

	// vendorRow lists the groups of a vendor key: vendorGroups[lo:hi].
	vendorRow struct {
		key    string
		lo, hi uint16
	}
)

// query is a device's vendor (an index into vendors) and product key
// (buf[:n]).
type query struct {
	vendor int
	n      int
	buf    [norm.MaxKey]byte
}

// start finds the vendor and builds the product key; false when either is
// empty or the vendor has no advisories.
func (q *query) start(vendor, product string) bool {
	var w [norm.MaxKey]byte
	words := norm.VendorWords(w[:0], vendor)
	q.vendor = -1
	// The whole name, then ever shorter leading runs of words.
	for end := len(words); end > 0; {
		var k [norm.MaxKey]byte
		key := norm.Join(k[:0], words[:end])
		if c, ok := norm.Canonical(key); ok {
			q.vendor = findVendor(c)
		} else {
			q.vendor = findVendor(string(key))
		}
		if q.vendor >= 0 {
			break
		}
		for end--; end > 0 && words[end] != ' '; end-- {
		}
	}
	if q.vendor < 0 {
		return false
	}
	p := norm.Words(q.buf[:0], product, true)
	p = norm.StripVendor(p, vendors[q.vendor].key)
	q.n = copy(q.buf[:], p)
	return q.n > 0
}

// matches reports whether the query's product key and key are prefixes
// of one another; most keys differ at their first byte (keys never begin
// with a space).
func (q *query) matches(key string) bool {
	return key[0] == q.buf[0] && norm.PrefixMatch(q.buf[:q.n], key)
}

// findVendor returns the index of key in vendors, or -1.
func findVendor(key string) int {
	lo, hi := 0, len(vendors)
	for lo < hi {
		m := int(uint(lo+hi) >> 1)
		if vendors[m].key < key {
			lo = m + 1
		} else {
			hi = m
		}
	}
	if lo < len(vendors) && vendors[lo].key == key {
		return lo
	}
	return -1
}

// status is how version relates to a product's affected versions; 0 when it
// lies outside them.
func status(p *productRow, version string) Status {
	if version == "" {
		return VersionUnknown
	}
	switch vers.Check(p.versions, version) {
	case vers.In:
		return Affected
	case vers.Unknown:
		return VersionNotComparable
	}
	return 0
}

// rank orders statuses for the one result of a group: a compared version
// beats an uncomparable one.
func rank(s Status) int {
	switch s {
	case Affected:
		return 3
	case VersionNotComparable:
		return 2
	case VersionUnknown:
		return 1
	}
	return 0
}
