package snmpflow_test

import (
	"encoding/json"
	"testing"

	"github.com/medtap/medtap/flow"
	"github.com/medtap/medtap/flow/snmpflow"
	"github.com/medtap/medtap/internal/pcaptest"
	"github.com/medtap/medtap/internal/pkttest"
)

// FuzzDatagram hands arbitrary datagrams to port 161 and checks that every
// event renders as valid JSON and that identities can be read.
func FuzzDatagram(f *testing.F) {
	f.Add(response("public"))
	for _, d := range pcaptest.UDPPayloads(f, snmpPcap) {
		f.Add(d)
	}
	f.Fuzz(func(t *testing.T, d []byte) {
		if len(d) > 60000 {
			return
		}
		e, err := flow.NewEngine(flow.Config{Protocols: []string{snmpflow.Name}}, flow.SinkFunc(func(ev *flow.Event) {
			if b := flow.AppendEventJSON(nil, ev); !json.Valid(b) {
				t.Fatalf("invalid JSON: %s", b)
			}
			if id, ok := ev.Detail.(flow.Identifier); ok {
				id.Identify(ev.Kind, nil, func(flow.Identity) {})
			}
		}))
		if err != nil {
			t.Fatal(err)
		}
		e.Packet(pkttest.T0, flow.LinkRaw, pkttest.RawUDP(mgr, agent, d))
		e.Packet(pkttest.T0, flow.LinkRaw, pkttest.RawUDP(agent, mgr, d))
		e.Flush()
	})
}
