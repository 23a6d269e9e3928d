package dnsevent_test

import (
	"encoding/json"
	"net/netip"
	"testing"

	"github.com/medtap/medtap/flow"
	"github.com/medtap/medtap/flow/llmnrflow"
	"github.com/medtap/medtap/flow/mdnsflow"
	"github.com/medtap/medtap/internal/flowtest"
	"github.com/medtap/medtap/internal/pkttest"
)

// FuzzDatagram sends arbitrary datagrams to the mDNS and LLMNR ports and
// checks that every event's JSON is valid, that errors point inside the
// datagram, and that identities are not empty.
func FuzzDatagram(f *testing.F) {
	for _, c := range captures {
		for _, m := range captureMessages(f, c.proto, c.file) {
			f.Add(m, c.proto == llmnrflow.Name)
		}
	}
	f.Add([]byte{0, 0, 0x84, 0, 0, 0, 0xFF, 0xFF, 0, 0, 0, 0, 0xC0, 12}, false)
	f.Fuzz(func(t *testing.T, data []byte, llmnr bool) {
		proto, port := mdnsflow.Name, uint16(mdnsflow.Port)
		if llmnr {
			proto, port = llmnrflow.Name, llmnrflow.Port
		}
		e := flowtest.NewEngine(t, flow.Config{Protocols: []string{proto}}, flow.SinkFunc(func(ev *flow.Event) {
			if ev.Protocol != proto {
				return
			}
			js := ev.Detail.AppendJSON(nil)
			if !json.Valid([]byte(`{"x":0` + string(js) + `}`)) {
				t.Fatalf("invalid JSON: %s", js)
			}
			if d, ok := ev.Detail.(*flow.DecodeErrorDetail); ok && (d.Offset < 0 || d.Offset > int64(len(data))) {
				t.Fatalf("error offset %d outside %d bytes", d.Offset, len(data))
			}
			if id, ok := ev.Detail.(flow.Identifier); ok {
				id.Identify(ev.Kind, nil, func(i flow.Identity) {
					if len(i.Name) == 0 {
						t.Fatal("empty identity")
					}
				})
			}
		}))
		dst := netip.AddrPortFrom(pkttest.Srv.Addr(), port)
		if err := e.Packet(pkttest.T0, flow.LinkRaw, pkttest.RawUDP(pkttest.Cli, dst, data)); err != nil {
			t.Fatal(err)
		}
	})
}
