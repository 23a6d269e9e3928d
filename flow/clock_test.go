package flow_test

import (
	"path/filepath"
	"slices"
	"testing"

	"github.com/medtap/medtap/capture"
	"github.com/medtap/medtap/flow"
	_ "github.com/medtap/medtap/flow/snmpflow"
	"github.com/medtap/medtap/internal/testutil"
)

// A capture recorded before the one run ahead of it through the same
// engine (medscan later.pcap earlier.pcap) gives the events it gives
// alone: idle timeouts compare the packet times of one capture.
func TestEarlierCaptureAfterLater(t *testing.T) {
	later := filepath.Join(testutil.RepoRoot(t), "netproto/ftp/testdata/ftp.pcap")     // recorded 18:35
	earlier := filepath.Join(testutil.RepoRoot(t), "netproto/snmp/testdata/snmp.pcap") // recorded 18:27, UDP flows
	var lines []string
	sink := flow.SinkFunc(func(e *flow.Event) { lines = append(lines, string(flow.AppendEventJSON(nil, e))) })
	eng, err := flow.NewEngine(flow.Config{}, sink)
	if err != nil {
		t.Fatal(err)
	}
	if err := capture.RunFile(eng, earlier); err != nil {
		t.Fatal(err)
	}
	alone := slices.Clone(lines)
	lines = lines[:0]
	if err := capture.RunFile(eng, later); err != nil {
		t.Fatal(err)
	}
	lines = lines[:0]
	if err := capture.RunFile(eng, earlier); err != nil {
		t.Fatal(err)
	}
	if !slices.Equal(lines, alone) {
		t.Errorf("after a later capture: %d events, alone %d", len(lines), len(alone))
	}
}
