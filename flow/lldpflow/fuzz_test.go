package lldpflow_test

import (
	"encoding/json"
	"testing"

	"github.com/medtap/medtap/flow"
	"github.com/medtap/medtap/flow/lldpflow"
	"github.com/medtap/medtap/internal/pcaptest"
	"github.com/medtap/medtap/internal/pkttest"
)

// FuzzFrame hands arbitrary LLDP and CDP payloads to the engine and checks
// that every event renders as valid JSON, that identities can be read, and
// that each frame gives exactly one event.
func FuzzFrame(f *testing.F) {
	f.Add(pumpLLDPDU, false)
	f.Add(cdpPacket, true)
	for _, p := range pcaptest.EtherPayloads(f, lldpPcap, lldpflow.EtherTypeLLDP) {
		f.Add(p, false)
	}
	for _, p := range pcaptest.EtherPayloads(f, cdpPcap, lldpflow.SNAPCDP) {
		f.Add(p, true)
	}
	f.Fuzz(func(t *testing.T, payload []byte, isCDP bool) {
		events := 0
		e := pkttestEngine(t, flow.SinkFunc(func(ev *flow.Event) {
			events++
			if b := flow.AppendEventJSON(nil, ev); !json.Valid(b) {
				t.Fatalf("invalid JSON: %s", b)
			}
			if id, ok := ev.Detail.(flow.Identifier); ok {
				id.Identify(ev.Kind, nil, func(flow.Identity) {})
			}
		}))
		frame := ethFrame(lldpGroup, pumpMAC, lldpflow.EtherTypeLLDP, payload)
		if isCDP {
			s := snap(lldpflow.SNAPCDP, payload)
			if len(s) > 1500 {
				return
			}
			frame = ethFrame(cdpGroup, pumpMAC, uint16(len(s)), s)
		}
		e.Packet(pkttest.T0, flow.LinkEthernet, frame)
		if events != 1 {
			t.Fatalf("%d events for one frame", events)
		}
	})
}
