package dhcp

import (
	"flag"
	"os"
	"strings"
	"testing"
)

var update = flag.Bool("update", false, "rewrite the golden files")

// TestCapture parses every message of testdata/dhcp.pcap, recorded from
// dnsmasq and dhclient by testdata/record.sh, and compares what the
// accessors return with testdata/dhcp.golden.
func TestCapture(t *testing.T) {
	var lines []string
	var m Message
	var m6 Message6
	for _, d := range readPcap(t, "testdata/dhcp.pcap") {
		if d.dst.Port() == 546 || d.dst.Port() == 547 {
			if err := m6.Parse(d.payload); err != nil {
				t.Fatalf("%s > %s: %v", d.src, d.dst, err)
			}
			lines = append(lines, "v6 "+describe6(&m6))
			continue
		}
		if !Sniff(d.payload) {
			t.Errorf("%s > %s: Sniff = false", d.src, d.dst)
		}
		if err := m.Parse(d.payload); err != nil {
			t.Fatalf("%s > %s: %v", d.src, d.dst, err)
		}
		lines = append(lines, "v4 "+describe(&m))
	}
	got := strings.Join(lines, "\n") + "\n"
	const golden = "testdata/dhcp.golden"
	if *update {
		if err := os.WriteFile(golden, []byte(got), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	want, err := os.ReadFile(golden)
	if err != nil {
		t.Fatal(err)
	}
	if got != string(want) {
		t.Errorf("messages differ from %s (go test -update rewrites it):\n%s", golden, got)
	}
}
