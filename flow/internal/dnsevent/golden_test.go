package dnsevent_test

import (
	"flag"
	"path/filepath"
	"testing"

	"github.com/medtap/medtap/flow"
	"github.com/medtap/medtap/flow/internal/udptest"
	"github.com/medtap/medtap/flow/llmnrflow"
	"github.com/medtap/medtap/flow/mdnsflow"
)

var update = flag.Bool("update", false, "rewrite the golden files")

// captures are the real-peer captures of the two adapters.
var captures = []struct {
	proto, file string
	port        uint16
	events      int
}{
	{mdnsflow.Name, "../../../netproto/dnsmsg/testdata/mdns.pcap", mdnsflow.Port, 79},
	{llmnrflow.Name, "../../../netproto/dnsmsg/testdata/llmnr.pcap", llmnrflow.Port, 11},
}

// message returns the DNS message an event of either adapter carries.
func message(d flow.Detail) []byte {
	switch d := d.(type) {
	case *mdnsflow.Message:
		return d.Msg
	case *llmnrflow.Message:
		return d.Msg
	}
	return nil
}

// TestCapturesGolden checks the events of the avahi and llmnrd captures,
// their JSON and their identities, against testdata/<proto>.golden.
func TestCapturesGolden(t *testing.T) {
	for _, c := range captures {
		t.Run(c.proto, func(t *testing.T) {
			evs := udptest.Render(t, c.proto, c.file)
			if len(evs) != c.events {
				t.Errorf("%d events, want one per packet (%d)", len(evs), c.events)
			}
			udptest.Golden(t, filepath.Join("testdata", c.proto+".golden"), evs, *update)
		})
	}
}
