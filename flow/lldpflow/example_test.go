package lldpflow_test

import (
	"fmt"
	"time"

	"github.com/medtap/medtap/flow"
	"github.com/medtap/medtap/flow/lldpflow"
)

// An LLDP frame reaches the "lldp" protocol by its EtherType; the event
// carries the sender's MAC, and the management address places the
// identities it yields.
func Example() {
	e, err := flow.NewEngine(flow.Config{Protocols: []string{lldpflow.Name}}, flow.SinkFunc(func(ev *flow.Event) {
		a := ev.Detail.(*lldpflow.Advertisement)
		fmt.Println(ev.Protocol, ev.Kind, ev.SrcMAC, "mgmt", a.MgmtAddr())
		a.Identify(ev.Kind, nil, func(id flow.Identity) { fmt.Printf("  %s: %s\n", id.Kind, id.Name) })
	}))
	if err != nil {
		fmt.Println(err)
		return
	}
	frame := append([]byte{0x01, 0x80, 0xc2, 0x00, 0x00, 0x0e, 0x00, 0x1b, 0x21, 0xaa, 0xbb, 0xcc, 0x88, 0xcc}, pumpLLDPDU...)
	e.Packet(time.Now(), flow.LinkEthernet, frame)
	// Output:
	// lldp advertisement 00:1b:21:aa:bb:cc mgmt 10.216.0.11
	//   host: pump-07
	//   os: OS 24
	//   vendor: Contoso IP-300
}
