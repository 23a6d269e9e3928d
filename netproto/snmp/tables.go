package snmp

import (
	_ "embed"
	"strconv"
	"strings"
)

//go:embed communities.txt
var communitiesTxt string

//go:embed enterprises.txt
var enterprisesTxt string

var (
	communities = map[string]bool{}
	enterprises = map[uint32]string{}
)

func init() {
	eachLine(communitiesTxt, func(key, _ string) { communities[key] = true })
	eachLine(enterprisesTxt, func(key, name string) {
		n, err := strconv.ParseUint(key, 10, 32)
		if err != nil {
			panic("snmp: enterprises.txt: " + err.Error())
		}
		enterprises[uint32(n)] = name
	})
}

// eachLine calls f with the two tab-separated fields of every line of a
// table that is neither empty nor a comment.
func eachLine(table string, f func(key, rest string)) {
	for line := range strings.Lines(table) {
		line = strings.TrimRight(line, "\r\n")
		if line == "" || line[0] == '#' {
			continue
		}
		key, rest, ok := strings.Cut(line, "\t")
		if !ok {
			panic("snmp: table line without a tab: " + strconv.Quote(line))
		}
		f(key, rest)
	}
}

// DefaultCommunity reports whether community is a well-known default
// community string (public, private, and vendors' published defaults: the
// list, with the source of each entry, is communities.txt in this
// package), or empty (CVE-1999-0517: a community that is "the default
// (e.g. public), null, or missing"). It does not allocate.
func DefaultCommunity(community []byte) bool {
	return len(community) == 0 || communities[string(community)]
}

// EnterpriseName returns the name IANA registered for a private enterprise
// number, for the network and medical vendors in enterprises.txt in this
// package, or "".
func EnterpriseName(n uint32) string { return enterprises[n] }

var enterprisesPrefix = MustParseOID("1.3.6.1.4.1")

// Enterprise returns N when o lies under 1.3.6.1.4.1.N (a sysObjectID, an
// SNMPv1 trap's enterprise).
func (o OID) Enterprise() (uint32, bool) {
	if !o.HasPrefix(enterprisesPrefix) || len(o.b) == enterprisesPrefix.Len() {
		return 0, false
	}
	v, _, ok := subID(o.b, enterprisesPrefix.Len())
	return v, ok
}
