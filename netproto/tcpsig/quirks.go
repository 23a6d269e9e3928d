package tcpsig

import "math/bits"

// Quirks is a set of oddities of a packet's IP and TCP headers, one bit
// each. Its text form lists their p0f names, comma-separated, in the order
// of the constants.
type Quirks uint32

// The quirks, in the order p0f writes them.
const (
	QuirkDF         Quirks = 1 << iota // "df": IPv4 don't-fragment set
	QuirkNonZeroID                     // "id+": DF set but the IPv4 ID is not zero
	QuirkZeroID                        // "id-": DF clear but the IPv4 ID is zero
	QuirkECN                           // "ecn": ECN in the IP header, or ECE, CWR or NS in the TCP header
	QuirkMustBeZero                    // "0+": the reserved IPv4 flag is set
	QuirkFlow                          // "flow": the IPv6 flow label is not zero
	QuirkZeroSeq                       // "seq-": the sequence number is zero
	// QuirkNonZeroACK, "ack+", is meant for a packet without ACK (or RST)
	// whose acknowledgement number is not zero. p0f 3.09b tests the
	// number read in host byte order against 1, so on little-endian
	// machines (Debian's amd64 package among them) it is set only when
	// bit 24 of the acknowledgement number is: the first byte on the wire
	// is odd. This package does the same, so that signatures equal those
	// p0f prints.
	QuirkNonZeroACK
	QuirkZeroACK       // "ack-": ACK set but the acknowledgement number is zero
	QuirkNonZeroURG    // "uptr+": URG clear but the urgent pointer is not zero
	QuirkURG           // "urgf+": URG set
	QuirkPush          // "pushf+": PSH set
	QuirkOptZeroTS1    // "ts1-": a timestamp option's own timestamp is zero
	QuirkOptNonZeroTS2 // "ts2+": a SYN's echoed timestamp is not zero
	QuirkOptEOLNonZero // "opt+": a byte after end-of-options is not zero
	QuirkOptExcessWS   // "exws": a window scale over 14
	QuirkOptBad        // "bad": the options are malformed: cut short, a wrong length, or more than MaxOptions
)

const numQuirks = 17

var quirkNames = [numQuirks]string{
	"df", "id+", "id-", "ecn", "0+", "flow", "seq-", "ack+", "ack-",
	"uptr+", "urgf+", "pushf+", "ts1-", "ts2+", "opt+", "exws", "bad",
}

// AppendTo appends the names of the quirks in q, comma-separated, in p0f's
// order; bits that name no quirk are written as "Quirks(0x...)" at the end.
func (q Quirks) AppendTo(dst []byte) []byte {
	first := true
	for r := q & (1<<numQuirks - 1); r != 0; r &= r - 1 {
		if !first {
			dst = append(dst, ',')
		}
		first = false
		dst = append(dst, quirkNames[bits.TrailingZeros32(uint32(r))]...)
	}
	if rest := q &^ (1<<numQuirks - 1); rest != 0 {
		if !first {
			dst = append(dst, ',')
		}
		dst = append(dst, "Quirks(0x"...)
		dst = appendHex(dst, uint64(rest))
		dst = append(dst, ')')
	}
	return dst
}

// String returns the quirks as [Quirks.AppendTo] writes them ("" for none).
func (q Quirks) String() string {
	var buf [128]byte
	return string(q.AppendTo(buf[:0]))
}

// Option is a TCP option kind.
type Option uint8

// The option kinds p0f names.
const (
	OptEOL  Option = 0 // "eol": end of options
	OptNOP  Option = 1 // "nop"
	OptMSS  Option = 2 // "mss": maximum segment size
	OptWS   Option = 3 // "ws": window scale
	OptSOK  Option = 4 // "sok": selective acknowledgement permitted
	OptSACK Option = 5 // "sack": selective acknowledgement
	OptTS   Option = 8 // "ts": timestamps
)

// AppendTo appends the option's p0f name, or "?N" for a kind it does not
// name. (In a signature, end-of-options is followed by "+N", its padding.)
func (o Option) AppendTo(dst []byte) []byte {
	if int(o) < len(optionNames) && optionNames[o] != "" {
		return append(dst, optionNames[o]...)
	}
	dst = append(dst, '?')
	return appendUint(dst, uint64(o))
}

var optionNames = [...]string{
	OptEOL: "eol", OptNOP: "nop", OptMSS: "mss", OptWS: "ws", OptSOK: "sok", OptSACK: "sack", OptTS: "ts",
}

// String returns the option's p0f name, or "?N".
func (o Option) String() string {
	var buf [4]byte
	return string(o.AppendTo(buf[:0]))
}
