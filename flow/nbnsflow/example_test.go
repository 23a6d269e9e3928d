package nbnsflow_test

import (
	"fmt"
	"net/netip"
	"time"

	"github.com/medtap/medtap/flow"
	"github.com/medtap/medtap/flow/nbnsflow"
	"github.com/medtap/medtap/internal/pkttest"
)

// A Windows workstation (an H-node) registering its computer name on the
// link when it starts.
var registration = []byte{
	0x2a, 0x01, 0x29, 0x10, 0x00, 0x01, 0x00, 0x00, 0x00, 0x00, 0x00, 0x01,
	// WARD3-PC<00>, first-level encoded, type NB, class IN
	0x20, 'F', 'H', 'E', 'B', 'F', 'C', 'E', 'E', 'D', 'D', 'C', 'N', 'F', 'A', 'E', 'D',
	'C', 'A', 'C', 'A', 'C', 'A', 'C', 'A', 'C', 'A', 'C', 'A', 'C', 'A', 'A', 'A', 0x00,
	0x00, 0x20, 0x00, 0x01,
	// the same name (a pointer to it), NB, TTL 300000 s, unique, H-node, 10.215.0.9
	0xc0, 0x0c, 0x00, 0x20, 0x00, 0x01, 0x00, 0x04, 0x93, 0xe0, 0x00, 0x06, 0x60, 0x00, 0x0a, 0xd7, 0x00, 0x09,
}

func Example() {
	e, err := flow.NewEngine(flow.Config{Protocols: []string{nbnsflow.Name}}, flow.SinkFunc(func(ev *flow.Event) {
		if ev.Protocol != nbnsflow.Name {
			return
		}
		fmt.Println(string(flow.AppendEventJSON(nil, ev)))
		if id, ok := ev.Detail.(flow.Identifier); ok {
			id.Identify(ev.Kind, nil, func(i flow.Identity) { fmt.Printf("%s: %s\n", i.Kind, i.Name) })
		}
	}))
	if err != nil {
		fmt.Println(err)
		return
	}
	src := netip.MustParseAddrPort("10.215.0.9:137")
	dst := netip.MustParseAddrPort("10.215.0.255:137")
	e.Packet(time.Date(2026, 1, 2, 3, 4, 5, 0, time.UTC), flow.LinkRaw, pkttest.RawUDP(src, dst, registration))
	// Output:
	// {"type":"event","ts":"2026-01-02T03:04:05.000000000Z","proto":"nbns","kind":"registration","src":"10.215.0.9:137","dst":"10.215.0.255:137","id":10753,"broadcast":true,"name":"WARD3-PC<00>","suffix":"workstation","question_type":"NB","ttl":300000,"group":false,"node_type":"H","addresses":["10.215.0.9"]}
	// host: WARD3-PC
}
