package dhcp

// FQDNFlags are the flags of a client FQDN option (RFC 4702 2.1 for
// DHCPv4, RFC 4704 4.1 for DHCPv6, which has no E flag).
type FQDNFlags uint8

// The FQDN flags.
const (
	FQDNServer   FQDNFlags = 1 << 0 // S: the server should update the A (AAAA) record
	FQDNOverride FQDNFlags = 1 << 1 // O: the server overrode the client's S
	FQDNEncoded  FQDNFlags = 1 << 2 // E: the name is in DNS wire format (DHCPv4)
	FQDNNoUpdate FQDNFlags = 1 << 3 // N: no server should update DNS
)

// String returns the flags set, as "S|E", or "0".
func (f FQDNFlags) String() string {
	const names = "SOEN"
	if f == 0 {
		return "0"
	}
	var b [4*2 + 4]byte
	n := 0
	for i := range 8 {
		if f&(1<<i) == 0 {
			continue
		}
		if n > 0 {
			b[n] = '|'
			n++
		}
		if i < 4 {
			b[n] = names[i]
		} else {
			b[n] = '0' + byte(i) // reserved bits by number
		}
		n++
	}
	return string(b[:n])
}

// FQDN is a client FQDN option: DHCPv4 option 81 or DHCPv6 option 39.
type FQDN struct {
	Flags FQDNFlags
	// RCode1 and RCode2 are the deprecated result codes of DHCPv4's
	// option (the server sends 255 in both); zero in DHCPv6.
	RCode1, RCode2 uint8
	// Name is the domain name as on the wire, a view into the message:
	// ASCII, or DNS wire format (labels, each preceded by its length, a
	// zero byte ending a fully qualified name) when [FQDN.Wire].
	Name []byte
	wire bool
}

// Wire reports whether Name is in DNS wire format: always in DHCPv6,
// when the E flag is set in DHCPv4.
func (f FQDN) Wire() bool { return f.wire }

// AppendText appends the name as text: the labels of a wire-format name
// joined by dots, without a final dot (a fully qualified name and a
// partial one that a server completes read the same), or the ASCII name
// as sent. Label bytes are copied as they are.
func (f FQDN) AppendText(dst []byte) []byte {
	if !f.wire {
		return append(dst, f.Name...)
	}
	return appendName(dst, f.Name)
}

// appendName appends a name in DNS wire format as dotted text. It stops
// at the root label or at the first malformed label.
func appendName(dst, b []byte) []byte {
	for i := 0; i < len(b); {
		n := int(b[i])
		if n == 0 || n > 63 || i+1+n > len(b) {
			break
		}
		if i > 0 {
			dst = append(dst, '.')
		}
		dst = append(dst, b[i+1:i+1+n]...)
		i += 1 + n
	}
	return dst
}

// checkName checks a name in DNS wire format without compression (RFC
// 1035 3.1; DHCP forbids compression), fully qualified (ending with the
// root label) or partial (ending with the data). It returns -1 when the
// name is well formed, or the offset in b of the first bad byte.
func checkName(b []byte) int {
	for i := 0; i < len(b); {
		n := int(b[i])
		switch {
		case n == 0:
			if i+1 != len(b) {
				return i + 1 // data after the root label
			}
			return -1
		case n > 63, i+1+n > len(b), i+1+n > 255:
			return i
		}
		i += 1 + n
	}
	return -1
}
