package mdnsflow_test

import (
	"fmt"
	"net/netip"
	"time"

	"github.com/medtap/medtap/flow"
	"github.com/medtap/medtap/flow/mdnsflow"
	"github.com/medtap/medtap/internal/pkttest"
)

// An MR console announcing its DICOM service to the link: the service
// type points to the instance, whose SRV names the host and port, and the
// host's address follows.
var announcement = []byte{
	0x00, 0x00, 0x84, 0x00, 0x00, 0x00, 0x00, 0x03, 0x00, 0x00, 0x00, 0x00,
	// _dicom._tcp.local PTR "MR Console._dicom._tcp.local"
	0x06, '_', 'd', 'i', 'c', 'o', 'm', 0x04, '_', 't', 'c', 'p', 0x05, 'l', 'o', 'c', 'a', 'l', 0x00,
	0x00, 0x0c, 0x00, 0x01, 0x00, 0x00, 0x11, 0x94, 0x00, 0x0d,
	0x0a, 'M', 'R', ' ', 'C', 'o', 'n', 's', 'o', 'l', 'e', 0xc0, 0x0c,
	// MR Console._dicom._tcp.local SRV 0 0 11112 mr1.local
	0xc0, 0x29, 0x00, 0x21, 0x80, 0x01, 0x00, 0x00, 0x00, 0x78, 0x00, 0x0c,
	0x00, 0x00, 0x00, 0x00, 0x2b, 0x68, 0x03, 'm', 'r', '1', 0xc0, 0x18,
	// mr1.local A 10.215.0.12
	0xc0, 0x48, 0x00, 0x01, 0x80, 0x01, 0x00, 0x00, 0x00, 0x78, 0x00, 0x04, 0x0a, 0xd7, 0x00, 0x0c,
}

func Example() {
	e, err := flow.NewEngine(flow.Config{Protocols: []string{mdnsflow.Name}}, flow.SinkFunc(func(ev *flow.Event) {
		if ev.Protocol != mdnsflow.Name {
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
	src := netip.MustParseAddrPort("10.215.0.12:5353")
	dst := netip.MustParseAddrPort("224.0.0.251:5353")
	e.Packet(time.Date(2026, 1, 2, 3, 4, 5, 0, time.UTC), flow.LinkRaw, pkttest.RawUDP(src, dst, announcement))
	// Output:
	// {"type":"event","ts":"2026-01-02T03:04:05.000000000Z","proto":"mdns","kind":"announcement","src":"10.215.0.12:5353","dst":"224.0.0.251:5353","id":0,"answers":[{"name":"_dicom._tcp.local","type":"PTR","ttl":4500,"target":"MR Console._dicom._tcp.local"},{"name":"MR Console._dicom._tcp.local","type":"SRV","ttl":120,"cache_flush":true,"target":"mr1.local","port":11112,"priority":0,"weight":0},{"name":"mr1.local","type":"A","ttl":120,"cache_flush":true,"addr":"10.215.0.12"}],"hosts":["mr1.local"],"addresses":["10.215.0.12"],"services":["_dicom._tcp.local"],"instances":["MR Console._dicom._tcp.local"]}
	// host: mr1.local
}
