package cdp_test

import (
	"fmt"

	"github.com/medtap/medtap/netproto/cdp"
)

func ExampleParse() {
	// A CDPv2 packet (what follows the LLC/SNAP header): device id, one
	// IPv4 address, port id, capabilities, platform.
	pkt := []byte{
		0x02, 0xb4, 0x00, 0x00,
		0x00, 0x01, 0x00, 0x07, 's', 'w', '1',
		0x00, 0x02, 0x00, 0x11, 0x00, 0x00, 0x00, 0x01, 0x01, 0x01, 0xcc, 0x00, 0x04, 10, 216, 0, 12,
		0x00, 0x03, 0x00, 0x0b, 'G', 'i', '1', '/', '0', '/', '1',
		0x00, 0x04, 0x00, 0x08, 0x00, 0x00, 0x00, 0x29,
		0x00, 0x06, 0x00, 0x0d, 'W', 'S', '-', 'C', '2', '9', '6', '0', 'X',
	}
	var p cdp.Packet
	if err := cdp.Parse(pkt, &p); err != nil {
		fmt.Println(err)
		return
	}
	fmt.Printf("v%d %s %s at %v: %s (%s)\n", p.Version, p.DeviceID, p.PortID, p.IP(), p.Platform, p.Capabilities)
	// Output:
	// v2 sw1 Gi1/0/1 at 10.216.0.12: WS-C2960X (router,switch,igmp)
}
