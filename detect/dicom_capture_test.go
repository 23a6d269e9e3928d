package detect_test

import (
	"fmt"
	"sort"
	"strings"
	"testing"

	"github.com/medtap/medtap/detect"
	"github.com/medtap/medtap/flow"
	_ "github.com/medtap/medtap/flow/all"
	"github.com/medtap/medtap/internal/flowtest"
)

// runCapture runs a capture through every adapter and the detectors ds
// (nil: the default set) and returns the alerts after Flush.
func runCapture(t *testing.T, name string, cfg detect.Config, ds ...detect.Detector) []detect.Alert {
	t.Helper()
	de, c := newEngine(t, cfg, ds...)
	fe := flowtest.NewEngine(t, flow.Config{}, de)
	flowtest.RunFile(t, fe, name)
	fe.Flush()
	de.Flush()
	return c.alerts
}

// alertText renders alerts as sorted "id severity src->dst xcount" lines.
func alertText(as []detect.Alert, prefix ...string) string {
	var lines []string
	for _, a := range as {
		keep := len(prefix) == 0
		for _, p := range prefix {
			keep = keep || strings.HasPrefix(a.ID, p)
		}
		if !keep {
			continue
		}
		lines = append(lines, fmt.Sprintf("%s %s %s->%s x%d", a.ID, a.Severity, a.Src.Addr(), a.Dst, a.Count))
	}
	sort.Strings(lines)
	return strings.Join(lines, "\n")
}

func TestDICOMCapturesDump(t *testing.T) {
	for _, f := range []string{"../dicom/ul/testdata/nmap.pcap", "../dicom/ul/testdata/orthanc.pcap", "../dicom/ul/testdata/store.pcap",
		"../dicom/ul/testdata/abort.pcap", "../dicom/ul/testdata/identity.pcap", "../examples/medscan/testdata/sample.pcapng",
		"../flow/dicomflow/testdata/login.pcap", "../netproto/http/testdata/http.pcap"} {
		as := runCapture(t, f, detect.Config{})
		t.Logf("== %s\n%s", f, alertText(as))
		for _, a := range as {
			t.Logf("   %s: %s %v", a.ID, a.Summary, a.Evidence)
		}
	}
}
