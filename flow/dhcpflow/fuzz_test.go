package dhcpflow

import (
	"encoding/json"
	"net/netip"
	"testing"

	"github.com/medtap/medtap/flow"
	"github.com/medtap/medtap/internal/flowtest"
	"github.com/medtap/medtap/internal/pkttest"
)

// FuzzDecoder sends arbitrary payloads as DHCPv4 (port 67) and DHCPv6
// (port 547) datagrams through the engine: no panic, one event per
// datagram (an error's offset inside it) with valid JSON, and identities
// that are never empty.
func FuzzDecoder(f *testing.F) {
	for _, p := range steadyPackets() {
		if p[0]>>4 == 6 {
			f.Add(p[48:], true)
		} else {
			f.Add(p[28:], false)
		}
	}
	f.Add(relay6(12, 1, relay6(12, 0, solicit)), true)
	f.Fuzz(func(t *testing.T, payload []byte, v6 bool) {
		if len(payload) > 1400 {
			return
		}
		events := 0
		e := flowtest.NewEngine(t, flow.Config{Protocols: []string{Name}}, flow.SinkFunc(func(ev *flow.Event) {
			if ev.Protocol != Name {
				return
			}
			events++
			js := ev.Detail.AppendJSON([]byte(`{"x":0`))
			if !json.Valid(append(js, '}')) {
				t.Fatalf("invalid JSON %s", js)
			}
			if d, ok := ev.Detail.(*flow.DecodeErrorDetail); ok && (d.Offset < 0 || d.Offset > int64(len(payload))) {
				t.Fatalf("error offset %d outside the %d bytes: %v", d.Offset, len(payload), d.Err)
			}
			if id, ok := ev.Detail.(flow.Identifier); ok {
				id.Identify(ev.Kind, nil, func(i flow.Identity) {
					if len(i.Name) == 0 {
						t.Fatal("empty identity")
					}
				})
			}
		}))
		var pkt []byte
		if v6 {
			pkt = rawUDP6(cli6, allDHCP6, payload)
		} else {
			pkt = pkttest.RawUDP(netip.MustParseAddrPort("10.211.0.50:68"), srv, payload)
		}
		if err := e.Packet(pkttest.T0, flow.LinkRaw, pkt); err != nil {
			t.Fatal(err)
		}
		if len(payload) > 0 && (events < 1 || events > 2) {
			t.Fatalf("%d events for one datagram", events)
		}
	})
}
