package dnsevent_test

import (
	"encoding/json"
	"flag"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/medtap/medtap/flow"
	"github.com/medtap/medtap/flow/llmnrflow"
	"github.com/medtap/medtap/flow/mdnsflow"
	"github.com/medtap/medtap/internal/flowtest"
)

var update = flag.Bool("update", false, "rewrite the golden files")

// captures are the real-peer captures of the two adapters.
var captures = []struct {
	proto, file string
	events      int
}{
	{mdnsflow.Name, "../../../netproto/dnsmsg/testdata/mdns.pcap", 79},
	{llmnrflow.Name, "../../../netproto/dnsmsg/testdata/llmnr.pcap", 11},
}

// render runs file through an engine with the one protocol and renders
// each of its events: kind, addresses, the JSON members, the identities.
func render(t *testing.T, proto, file string) []string {
	t.Helper()
	var lines []string
	e := flowtest.NewEngine(t, flow.Config{Protocols: []string{proto}}, flow.SinkFunc(func(ev *flow.Event) {
		if ev.Protocol != proto {
			return
		}
		js := ev.Detail.AppendJSON(nil)
		if obj := `{"x":0` + string(js) + `}`; !json.Valid([]byte(obj)) {
			t.Errorf("invalid JSON: %s", obj)
		}
		b := []byte(string(ev.Kind) + " " + ev.Src.String() + " > " + ev.Dst.String() + " {" + string(js) + "}")
		if id, ok := ev.Detail.(flow.Identifier); ok {
			id.Identify(ev.Kind, nil, func(i flow.Identity) {
				b = append(b, " "+i.Kind+"="+string(i.Name)...)
			})
		}
		lines = append(lines, string(b))
	}))
	flowtest.RunFile(t, e, file)
	return lines
}

// TestCapturesGolden checks the events of the avahi and llmnrd captures,
// their JSON and their identities, against testdata/<proto>.golden.
func TestCapturesGolden(t *testing.T) {
	for _, c := range captures {
		t.Run(c.proto, func(t *testing.T) {
			lines := render(t, c.proto, c.file)
			if len(lines) != c.events {
				t.Errorf("%d events, want one per packet (%d)", len(lines), c.events)
			}
			got := strings.Join(lines, "\n") + "\n"
			path := filepath.Join("testdata", c.proto+".golden")
			if *update {
				if err := os.WriteFile(path, []byte(got), 0o644); err != nil {
					t.Fatal(err)
				}
			}
			want, err := os.ReadFile(path)
			if err != nil {
				t.Fatal(err)
			}
			wl := strings.Split(strings.TrimSuffix(string(want), "\n"), "\n")
			for i, l := range lines {
				if i >= len(wl) || wl[i] != l {
					t.Fatalf("event %d differs:\n got %s\nwant %s", i+1, l, wl[min(i, len(wl)-1)])
				}
			}
			if len(wl) != len(lines) {
				t.Fatalf("%d events, golden %d", len(lines), len(wl))
			}
		})
	}
}

// captureMessages returns copies of the DNS messages of a capture, as the
// events of proto carry them.
func captureMessages(t testing.TB, proto, file string) [][]byte {
	var msgs [][]byte
	e := flowtest.NewEngine(t, flow.Config{Protocols: []string{proto}}, flow.SinkFunc(func(ev *flow.Event) {
		switch d := ev.Detail.(type) {
		case *mdnsflow.Message:
			msgs = append(msgs, append([]byte(nil), d.Msg...))
		case *llmnrflow.Message:
			msgs = append(msgs, append([]byte(nil), d.Msg...))
		}
	}))
	flowtest.RunFile(t, e, file)
	return msgs
}
