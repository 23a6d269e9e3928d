package dhcp

// Sniff reports whether data, a UDP datagram's payload, is a DHCPv4
// message: a BOOTP header with the op code of a request or reply and a
// hardware address length of at most 16, followed by the DHCP magic
// cookie, whatever the ports. DHCPv6 has no such signature; it is found by
// its ports, 546 and 547.
//
// Sniff looks at a few bytes only, never keeps data and never allocates.
func Sniff(data []byte) bool {
	return len(data) >= optionsOff && (data[0] == byte(OpRequest) || data[0] == byte(OpReply)) &&
		data[2] <= 16 && [4]byte(data[headerLen:optionsOff]) == magic
}
