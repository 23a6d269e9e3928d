package nbnsflow

import (
	"encoding/json"
	"testing"

	"github.com/medtap/medtap/flow"
	"github.com/medtap/medtap/internal/flowtest"
	"github.com/medtap/medtap/internal/pkttest"
)

// FuzzDatagram sends arbitrary datagrams to the NBNS port and checks that
// every event's JSON is valid, that errors point inside the datagram, and
// that identities are names of at most 15 bytes' worth.
func FuzzDatagram(f *testing.F) {
	var msgs [][]byte
	e := flowtest.NewEngine(f, flow.Config{Protocols: []string{Name}}, flow.SinkFunc(func(ev *flow.Event) {
		if d, ok := ev.Detail.(*Message); ok {
			msgs = append(msgs, append([]byte(nil), d.Msg...))
		}
	}))
	flowtest.RunFile(f, e, capture)
	for _, m := range append(msgs, windowsNodeStatus()) {
		f.Add(m)
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		e := flowtest.NewEngine(t, flow.Config{Protocols: []string{Name}}, flow.SinkFunc(func(ev *flow.Event) {
			if ev.Protocol != Name {
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
					if len(i.Name) == 0 || len(i.Name) > 15*4 {
						t.Fatalf("identity %q", i.Name)
					}
				})
			}
		}))
		if err := e.Packet(pkttest.T0, flow.LinkRaw, pkttest.RawUDP(client, server, data)); err != nil {
			t.Fatal(err)
		}
	})
}
