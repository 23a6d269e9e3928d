package smbflow

import (
	"flag"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/medtap/medtap/flow"
	"github.com/medtap/medtap/internal/flowtest"
)

var update = flag.Bool("update", false, "rewrite the golden files")

const capture = "../../netproto/smb/testdata/smb.pcap"

// TestCapture runs the smbclient/smbd capture (see
// netproto/smb/testdata/record.sh) through the engine and compares the
// events with testdata/smb.golden.
func TestCapture(t *testing.T) {
	sink := &flowtest.JSONSink{Protocol: Name}
	e := flowtest.NewEngine(t, flow.Config{Protocols: []string{Name}}, sink)
	flowtest.RunFile(t, e, capture)
	text := strings.Join(sink.Lines, "\n") + "\n"
	golden := filepath.Join("testdata", "smb.golden")
	if *update {
		if err := os.MkdirAll("testdata", 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(golden, []byte(text), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	want, err := os.ReadFile(golden)
	if err != nil {
		t.Fatal(err)
	}
	if text != string(want) {
		t.Errorf("events differ from %s (go test -update to rewrite):\n%s", golden, text)
	}
}
