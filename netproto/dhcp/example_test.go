package dhcp_test

import (
	"fmt"

	"github.com/medtap/medtap/netproto/dhcp"
)

// discover is a DHCPDISCOVER from an infusion pump: BOOTP header, magic
// cookie, then options 53 (discover), 12 (host name), 55 (parameter
// request list) and 60 (vendor class).
func discover() []byte {
	b := make([]byte, 240)
	b[0], b[1], b[2] = 1, 1, 6                   // BOOTREQUEST, Ethernet, 6-byte address
	copy(b[4:], []byte{0x65, 0x58, 0x16, 0x43})  // xid
	copy(b[28:], []byte{2, 0x11, 0, 0, 0, 0xc1}) // chaddr
	copy(b[236:], []byte{99, 130, 83, 99})       // magic cookie
	b = append(b, 53, 1, 1)                      // DHCPDISCOVER
	b = append(b, 12, 11)                        // host name
	b = append(b, "c1-infusion"...)
	b = append(b, 55, 4, 1, 3, 6, 12) // subnet mask, router, DNS, host name
	b = append(b, 60, 8)              // vendor class
	b = append(b, "MSFT 5.0"...)
	return append(b, 255) // end
}

func ExampleMessage_Parse() {
	payload := discover() // a UDP datagram's payload, port 67
	if !dhcp.Sniff(payload) {
		return
	}
	var m dhcp.Message
	if err := m.Parse(payload); err != nil {
		fmt.Println(err)
		return
	}
	mac, _ := m.ClientMAC()
	fmt.Printf("%s from %x, xid %#x\n", m.Type, mac, m.XID)
	fmt.Printf("host name %s, vendor class %q\n", m.HostName(), m.VendorClass())
	fmt.Printf("fingerprint %s\n", m.AppendParamList(nil))
	// Output:
	// discover from 0211000000c1, xid 0x65581643
	// host name c1-infusion, vendor class "MSFT 5.0"
	// fingerprint 1,3,6,12
}

func ExampleMessage6_Parse() {
	solicit := []byte{
		1, 0x20, 0xc3, 0x0a, // SOLICIT, transaction ID
		0, 1, 0, 10, 0, 3, 0, 1, 2, 0x11, 0, 0, 0, 0xc1, // client ID: DUID-LL
		0, 6, 0, 4, 0, 23, 0, 24, // option request: DNS servers, domain list
		0, 39, 0, 6, 1, 4, 'p', 'u', 'm', 'p', // client FQDN: "pump"
		0, 3, 0, 12, 0, 0, 0, 0xc1, 0, 0, 0x0e, 0x10, 0, 0, 0x15, 0x18, // IA_NA
	}
	var m dhcp.Message6
	if err := m.Parse(solicit); err != nil {
		fmt.Println(err)
		return
	}
	mac, _ := m.ClientID().MAC()
	fq, _ := m.FQDN()
	fmt.Printf("%s %#06x from %s %x (%x)\n", m.Type, m.XID, m.ClientID().Type(), []byte(m.ClientID()), mac)
	fmt.Printf("asks for %s, calls itself %s\n", m.AppendORO(nil), fq.AppendText(nil))
	ias := m.IANAs()
	for ias.Next() {
		fmt.Printf("IA_NA %d, T1 %d s\n", ias.IA().IAID, ias.IA().T1)
	}
	// Output:
	// solicit 0x20c30a from DUID-LL 000300010211000000c1 (0211000000c1)
	// asks for 23,24, calls itself pump
	// IA_NA 193, T1 3600 s
}
