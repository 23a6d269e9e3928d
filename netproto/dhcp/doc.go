// Package dhcp decodes DHCPv4 (RFC 2131, 2132) and DHCPv6 (RFC 8415)
// messages as a passive observer sees them, for the signals that tell what
// a device is: its hardware address, host name, vendor class, the order of
// the options it asks for (the DHCP fingerprint that Fingerbank and similar
// databases match), its client identifier or DUID, and the address and
// lease a server gives it.
//
// Every UDP datagram carries one message. [Sniff] says whether a datagram
// is DHCPv4 by its magic cookie, whatever the ports; DHCPv6 is found by
// its ports (546, 547). [Message.Parse] reads a DHCPv4 message: the BOOTP
// header, then the options of the options field and, with option overload
// (52), of the file and sname fields, with options sent in several pieces
// joined (RFC 3396). Accessors decode what identifies a client:
//
//	var m dhcp.Message
//	if err := m.Parse(payload); err != nil { ... }
//	mac, _ := m.ClientMAC()
//	host := m.HostName()            // option 12
//	fp := m.AppendParamList(nil)    // option 55 as "1,3,6,15"
//	lease, ok := m.LeaseTime()      // option 51, in an OFFER or ACK with m.YIAddr
//
// [Message6.Parse] reads a DHCPv6 message or a relay message, whose
// relayed message is parsed by another Message6; its accessors return the
// client's DUID, the option request list, the vendor class, the client
// FQDN and the identity associations with their addresses.
//
// Iterators over options, identity associations, addresses and vendor
// class items follow the bufio.Scanner style:
//
//	it := m.Options()
//	for it.Next() {
//		o := it.Option()
//		...
//	}
//	if err := it.Err(); err != nil { ... }
//
// Values are views into the message, valid while it is. Parsing allocates
// nothing in steady state; every length is checked against what remains
// before it is used, and a malformed message gives an [*Error] with the
// byte offset of the problem, wrapping a sentinel such as
// [ErrOptionLength].
//
// Wire codes are named types ([MessageType], [OptionCode], [MessageType6],
// [OptionCode6], [DUIDType]) whose String method returns the IANA name in
// lower case ("discover", "host-name", "information-request").
//
// Not covered: building messages, the contents of options beyond those
// the accessors decode (Option and the iterators give their values),
// authentication.
package dhcp
