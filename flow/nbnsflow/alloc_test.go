//go:build !race

package nbnsflow

import (
	"testing"

	"github.com/medtap/medtap/flow/internal/udptest"
	"github.com/medtap/medtap/internal/pkttest"
)

// TestSteadyAllocs sends every message of the nmbd capture, and a Windows
// node status response, again and again on one flow, rendering each
// event's JSON and identities into reused buffers: once warm, a datagram
// costs no allocation.
func TestSteadyAllocs(t *testing.T) {
	_, pkts := udptest.Datagrams(t, Name, capture, Port, message)
	pkts = append(pkts, pkttest.RawUDP(pkttest.Cli, server, windowsNodeStatus()))
	allocs, events, ids := udptest.SteadyAllocs(t, Name, pkts)
	if allocs != 0 {
		t.Errorf("%d datagrams allocate %v times, want 0", len(pkts), allocs)
	}
	if events != 11*len(pkts) || ids == 0 {
		t.Errorf("%d events for %d datagrams, %d identities", events, 11*len(pkts), ids)
	}
}
