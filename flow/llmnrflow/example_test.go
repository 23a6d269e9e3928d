package llmnrflow_test

import (
	"fmt"
	"net/netip"
	"time"

	"github.com/medtap/medtap/flow"
	"github.com/medtap/medtap/flow/llmnrflow"
	"github.com/medtap/medtap/internal/pkttest"
)

// A Windows host answering the LLMNR query for its name.
var response = []byte{
	0x8c, 0x2e, 0x80, 0x00, 0x00, 0x01, 0x00, 0x01, 0x00, 0x00, 0x00, 0x00,
	0x08, 'w', 'a', 'r', 'd', '3', '-', 'p', 'c', 0x00, 0x00, 0x01, 0x00, 0x01, // ward3-pc A IN
	0xc0, 0x0c, 0x00, 0x01, 0x00, 0x01, 0x00, 0x00, 0x00, 0x1e, 0x00, 0x04, 0x0a, 0xd7, 0x00, 0x09, // ward3-pc A 10.215.0.9
}

func Example() {
	e, err := flow.NewEngine(flow.Config{Protocols: []string{llmnrflow.Name}}, flow.SinkFunc(func(ev *flow.Event) {
		if ev.Protocol != llmnrflow.Name {
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
	src := netip.MustParseAddrPort("10.215.0.9:5355")
	dst := netip.MustParseAddrPort("10.215.0.7:51000")
	e.Packet(time.Date(2026, 1, 2, 3, 4, 5, 0, time.UTC), flow.LinkRaw, pkttest.RawUDP(src, dst, response))
	// Output:
	// {"type":"event","ts":"2026-01-02T03:04:05.000000000Z","proto":"llmnr","kind":"response","src":"10.215.0.9:5355","dst":"10.215.0.7:51000","id":35886,"questions":[{"name":"ward3-pc","type":"A"}],"answers":[{"name":"ward3-pc","type":"A","ttl":30,"addr":"10.215.0.9"}],"hosts":["ward3-pc"],"addresses":["10.215.0.9"]}
	// host: ward3-pc
}
