//go:build !race

package dnsevent_test

import (
	"testing"

	"github.com/medtap/medtap/flow/internal/udptest"
)

// TestSteadyAllocs sends every message of each capture again and again on
// one flow, rendering each event's JSON and identities into reused
// buffers: once the flow, the decoder and the buffers are warm, a
// datagram costs no allocation.
func TestSteadyAllocs(t *testing.T) {
	for _, c := range captures {
		t.Run(c.proto, func(t *testing.T) {
			_, pkts := udptest.Datagrams(t, c.proto, c.file, c.port, message)
			allocs, events, ids := udptest.SteadyAllocs(t, c.proto, pkts)
			if allocs != 0 {
				t.Errorf("%d datagrams allocate %v times, want 0", len(pkts), allocs)
			}
			if events != 11*len(pkts) || ids == 0 {
				t.Errorf("%d events for %d datagrams, %d identities", events, 11*len(pkts), ids)
			}
		})
	}
}
