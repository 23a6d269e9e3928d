package nbns_test

import (
	"fmt"
	"net"

	"github.com/medtap/medtap/netproto/dnsmsg"
	"github.com/medtap/medtap/netproto/nbns"
)

// A node status response, as Windows sends it: the name table and the MAC.
var nodeStatus = []byte{
	0x01, 0x02, 0x84, 0x00, 0x00, 0x00, 0x00, 0x01, 0x00, 0x00, 0x00, 0x00,
	// "*" padded with NULs, suffix 0x00, first-level encoded
	0x20, 'C', 'K', 'A', 'A', 'A', 'A', 'A', 'A', 'A', 'A', 'A', 'A', 'A', 'A', 'A', 'A',
	'A', 'A', 'A', 'A', 'A', 'A', 'A', 'A', 'A', 'A', 'A', 'A', 'A', 'A', 'A', 'A', 0x00,
	0x00, 0x21, 0x00, 0x01, 0x00, 0x00, 0x00, 0x00, 0x00, 0x3b, // NBSTAT IN, TTL 0, 59 bytes
	0x02, // two names
	'W', 'A', 'R', 'D', '3', '-', 'P', 'C', ' ', ' ', ' ', ' ', ' ', ' ', ' ', 0x00, 0x64, 0x00,
	'H', 'O', 'S', 'P', 'I', 'T', 'A', 'L', ' ', ' ', ' ', ' ', ' ', ' ', ' ', 0x00, 0xe4, 0x00,
	0x00, 0x1a, 0x4b, 0x12, 0x34, 0x56, // unit ID
	0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, // the rest of the statistics
}

func ExampleParser() {
	var p nbns.Parser
	h, err := p.Start(nodeStatus)
	if err != nil {
		fmt.Println(err)
		return
	}
	fmt.Println(h.Flags.Opcode(), "response:", h.Flags.Response())
	for p.Next() {
		if p.Section() == dnsmsg.SectionQuestion {
			continue
		}
		r := p.Resource()
		s, err := r.NodeStatus()
		if err != nil {
			fmt.Println(err)
			continue
		}
		for t := s.Names(); t.Next(); {
			e := t.Entry()
			fmt.Printf("%s %s group=%v\n", e.Name, e.Name.Suffix().Meaning(e.Flags.Group()), e.Flags.Group())
		}
		if mac, ok := s.UnitID(); ok {
			fmt.Println("mac", net.HardwareAddr(mac[:]))
		}
	}
	// Output:
	// query response: true
	// WARD3-PC<00> workstation group=false
	// HOSPITAL<00> domain group=true
	// mac 00:1a:4b:12:34:56
}
