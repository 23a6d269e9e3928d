package fingerprint_test

import (
	"testing"

	"github.com/medtap/medtap/fingerprint"
)

// TestParseDeviceJSON: every device of the committed captures writes, reads
// back and writes the same line.
func TestParseDeviceJSON(t *testing.T) {
	n := 0
	for _, file := range []string{"examples/medscan/testdata/sample.pcapng", "netproto/smb/testdata/smb.pcap",
		"fingerprint/testdata/eval/hospital.pcap", "netproto/snmp/testdata/snmp.pcap",
		"netproto/dhcp/testdata/dhcp.pcap", "netproto/tcpsig/testdata/handshakes.pcap"} {
		for _, d := range sampleSnapshot(t, file).Devices {
			line := d.AppendJSON(nil)
			back, err := fingerprint.ParseDeviceJSON(line)
			if err != nil {
				t.Fatalf("%s: %v", line, err)
			}
			if again := back.AppendJSON(nil); string(again) != string(line) {
				t.Errorf("round trip:\n%s\n%s", line, again)
			}
			n++
		}
	}
	if n < 20 {
		t.Errorf("only %d devices", n)
	}
	for _, bad := range []string{``, `{"type":"event"}`, `{"type":"device","ip":"x"}`, `{"type":"device","ip":"10.0.0.1","mac":"zz"}`} {
		if _, err := fingerprint.ParseDeviceJSON([]byte(bad)); err == nil {
			t.Errorf("%q: no error", bad)
		}
	}
}
