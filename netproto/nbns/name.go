package nbns

import (
	"strconv"

	"github.com/medtap/medtap/netproto/dnsmsg"
)

// Name is a NetBIOS name: the sixteen decoded bytes of the first label
// (fifteen characters padded with spaces, or a '*' padded with NULs for
// the wildcard of node status requests, then the suffix) and the scope,
// the labels after it (usually none).
type Name struct {
	Raw   [16]byte
	Scope dnsmsg.Name // a view into the message; the root when there is no scope
}

// decodeName decodes the first-level encoding of n's first label and
// returns the name, or false when the label is not 32 letters 'A'-'P'.
func decodeName(n dnsmsg.Name) (Name, bool) {
	var out Name
	l := n.Labels()
	if !l.Next() {
		return out, false
	}
	enc := l.Label()
	if len(enc) != 32 {
		return out, false
	}
	for i := range out.Raw {
		hi, lo := enc[2*i]-'A', enc[2*i+1]-'A'
		if hi > 15 || lo > 15 {
			return out, false
		}
		out.Raw[i] = hi<<4 | lo
	}
	if l.Next() {
		out.Scope = l.Rest()
	}
	return out, true
}

// Suffix returns the 16th byte: what the name is for.
func (n Name) Suffix() Suffix { return Suffix(n.Raw[15]) }

// IsWildcard reports whether n is "*", the name of node status requests
// that ask a node by address.
func (n Name) IsWildcard() bool { return n.Raw[0] == '*' }

// AppendBase appends the first fifteen bytes without the spaces that pad
// them, each byte that is not printable ASCII written as <xx> in hex, as
// Wireshark prints NetBIOS names: "MTNM-NB1", "<01><02>__MSBROWSE__<02>".
func (n Name) AppendBase(dst []byte) []byte {
	end := 15
	for end > 0 && n.Raw[end-1] == ' ' {
		end--
	}
	for _, c := range n.Raw[:end] {
		if c < 0x20 || c > 0x7E {
			dst = appendHexByte(dst, c)
		} else {
			dst = append(dst, c)
		}
	}
	return dst
}

// AppendTo appends the name as Wireshark prints it: the base, the suffix
// in hex between angle brackets, and the scope after a dot when there is
// one: "MTNM-NB1<20>", "MTNMWG<1d>".
func (n Name) AppendTo(dst []byte) []byte {
	dst = appendHexByte(n.AppendBase(dst), n.Raw[15])
	if !n.Scope.IsZero() {
		if l := n.Scope.Labels(); l.Next() {
			dst = n.Scope.AppendTo(append(dst, '.'))
		}
	}
	return dst
}

func appendHexByte(dst []byte, c byte) []byte {
	const digits = "0123456789abcdef"
	return append(dst, '<', digits[c>>4], digits[c&0xF], '>')
}

// String returns the name as AppendTo writes it. It allocates; AppendTo
// does not.
func (n Name) String() string { return string(n.AppendTo(nil)) }

// Suffix is the 16th byte of a NetBIOS name, which says what service the
// name stands for. The meanings are those of Microsoft's list of NetBIOS
// suffixes (Microsoft Knowledge Base article 163409), in short lower-case
// words.
type Suffix uint8

// Suffixes that say what a name is.
const (
	SuffixWorkstation         Suffix = 0x00 // a computer name, or as a group the workgroup or domain
	SuffixMessenger           Suffix = 0x03 // the Messenger service: a computer or a logged-on user's name
	SuffixServer              Suffix = 0x20 // the file server service
	SuffixDomainMasterBrowser Suffix = 0x1B // the domain master browser (the PDC)
	SuffixDomainControllers   Suffix = 0x1C // a group: the domain controllers
	SuffixMasterBrowser       Suffix = 0x1D // the local master browser of a workgroup
	SuffixBrowserElection     Suffix = 0x1E // a group: the browser election service
)

var suffixNames = map[Suffix]string{
	0x00: "workstation", 0x01: "messenger", 0x03: "messenger", 0x06: "ras-server", 0x1B: "domain-master-browser",
	0x1C: "domain-controllers", 0x1D: "master-browser", 0x1E: "browser-election", 0x1F: "netdde", 0x20: "server",
	0x21: "ras-client", 0x22: "exchange-interchange", 0x23: "exchange-store", 0x24: "exchange-directory",
	0x30: "modem-sharing-server", 0x31: "modem-sharing-client", 0x43: "sms-remote-control",
	0x44: "sms-admin-remote-control", 0x45: "sms-remote-chat", 0x46: "sms-remote-transfer",
	0x4C: "dec-pathworks", 0x52: "dec-pathworks", 0x6A: "exchange-imc", 0x87: "exchange-mta",
	0xBE: "netmon-agent", 0xBF: "netmon-application",
}

// String returns what a unique name with this suffix is ("workstation",
// "server", "master-browser"), or "Suffix(0x42)" for a suffix not in the
// list. See Meaning for group names.
func (s Suffix) String() string {
	if m, ok := suffixNames[s]; ok {
		return m
	}
	return "Suffix(0x" + strconv.FormatUint(uint64(s), 16) + ")"
}

// Meaning returns what a name with this suffix is, as a group name when
// group is set: the group names 0x00 ("domain", a workgroup or domain
// name) and 0x01 ("master-browser", the __MSBROWSE__ name that master
// browsers join) mean something else than the unique names. It returns ""
// for a suffix not in the list.
func (s Suffix) Meaning(group bool) string {
	if group {
		switch s {
		case 0x00:
			return "domain"
		case 0x01:
			return "master-browser"
		case 0x20:
			return "internet-group"
		}
	}
	return suffixNames[s]
}

// Domain reports whether the suffix names a workgroup or domain service
// rather than a computer: 0x1B, 0x1C, 0x1D and 0x1E.
func (s Suffix) Domain() bool { return s >= 0x1B && s <= 0x1E }
