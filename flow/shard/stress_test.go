package shard

import (
	"context"
	"fmt"
	"path/filepath"
	"testing"

	"github.com/medtap/medtap/flow"
	"github.com/medtap/medtap/internal/testutil"
)

// Small queues, in both full-queue modes, with several workers, over and
// over: every run ends (no lost wake-up), and without Drop gives the
// single engine's events.
func TestSmallQueues(t *testing.T) {
	root := testutil.RepoRoot(t)
	var pkts []packet
	for _, name := range []string{"examples/medscan/testdata/sample.pcapng", "netproto/dhcp/testdata/dhcp.pcap", "fingerprint/testdata/eval/hospital.pcap"} {
		pkts = append(pkts, readCapture(t, filepath.Join(root, name))...)
	}
	maxLen := 0
	for _, p := range pkts {
		maxLen = max(maxLen, len(p.data))
	}
	want := single(t, pkts)
	rounds := 10
	if testing.Short() {
		rounds = 2
	}
	for round := range rounds {
		for _, drop := range []bool{false, true} {
			cfg := Config{Workers: 2 + round%3, QueuePackets: 1 << (round % 4), QueueBytes: 2*maxLen + round*1000, Drop: drop}
			t.Run(fmt.Sprintf("%d-%v", round, drop), func(t *testing.T) {
				if !drop {
					got, _ := sharded(t, pkts, cfg)
					sameEvents(t, got, want)
					return
				}
				var n int
				cfg.Engine = flow.Config{ReassembleFragments: true}
				cfg.Sink = flow.SinkFunc(func(*flow.Event) { n++ })
				r, err := New(cfg)
				if err != nil {
					t.Fatal(err)
				}
				r.Start(context.Background())
				for _, p := range pkts {
					r.Packet(p.ts, p.link, p.data)
				}
				r.Close(context.Background())
				st := r.Stats()
				if st.Packets+st.Dropped != uint64(len(pkts)) || n == 0 {
					t.Errorf("%d processed + %d dropped of %d, %d events", st.Packets, st.Dropped, len(pkts), n)
				}
			})
		}
	}
}
