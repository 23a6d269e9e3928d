package detect_test

import (
	"bytes"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/medtap/medtap/capture"
	"github.com/medtap/medtap/detect"
	"github.com/medtap/medtap/flow"
	_ "github.com/medtap/medtap/flow/all"
)

// sbCaptures lists the committed captures and those of the shared corpus
// (when present).
func sbCaptures(t *testing.T) []string {
	var files []string
	for _, pat := range []string{
		"../examples/medscan/testdata/sample.pcapng",
		"../dicom/ul/testdata/*.pcap",
		"testdata/scan/*.pcap",
		"/work/shared/corpus/pcap/*.pcap",
	} {
		m, _ := filepath.Glob(pat)
		files = append(files, m...)
	}
	if len(files) == 0 {
		t.Skip("no captures")
	}
	return files
}

// sbRun runs a capture through a flow engine into e.
func sbRun(t *testing.T, e *detect.Engine, name string) {
	t.Helper()
	fe, err := flow.NewEngine(flow.Config{}, e)
	if err != nil {
		t.Fatal(err)
	}
	if err := capture.RunFile(fe, name); err != nil {
		t.Fatal(err)
	}
	e.Flush()
}

func sbIsBaselineRule(id string) bool {
	return strings.HasPrefix(id, "baseline.") || id == "hl7.new-sender" || id == "dicom.new-ae"
}

// TestCapturesLearnThenDetect learns on each capture, saves the baseline,
// loads it into a new engine and detects on the same capture: no baseline
// rule may fire. net.scan fires only on the scan capture.
func TestCapturesLearnThenDetect(t *testing.T) {
	for _, name := range sbCaptures(t) {
		t.Run(filepath.Base(name), func(t *testing.T) {
			learn, lc := newEngine(t, detect.Config{}, sbDetectors("scan", "baseline")...)
			learn.Learn(true)
			sbRun(t, learn, name)
			var buf bytes.Buffer
			if _, err := learn.WriteBaseline(&buf); err != nil {
				t.Fatal(err)
			}
			det, dc := newEngine(t, detect.Config{}, sbDetectors("scan", "baseline")...)
			if err := det.ReadBaseline(&buf, 0); err != nil {
				t.Fatal(err)
			}
			sbRun(t, det, name)
			for _, a := range dc.alerts {
				if sbIsBaselineRule(a.ID) {
					t.Errorf("%s %s %v -> %v: %s", a.ID, a.Severity, a.Src, a.Dst, a.Summary)
				}
			}
			var scans []string
			for _, a := range slices.Concat(lc.alerts, dc.alerts) {
				if a.ID == "net.scan" {
					scans = append(scans, fmt.Sprintf("%s %v -> %v: %s", a.Severity, a.Src.Addr(), a.Dst, a.Summary))
				}
			}
			for _, s := range scans {
				t.Log(s)
			}
			wantScans := 0
			if filepath.Base(name) == "scan.pcap" {
				wantScans = 4 // a port scan and a host sweep, in each run
			}
			if len(scans) != wantScans {
				t.Errorf("%d net.scan alerts, want %d", len(scans), wantScans)
			}
		})
	}
}

// TestCaptureScan: the nmap runs of scan.pcap raise a port scan of the
// PACS (medium, the PACS its destination), then, when the sweep of port
// 104 across the subnet follows within the window, a scan of many ports
// across many hosts (high); the workstation's 25 associations and the
// PACS's echoes of five modalities raise nothing.
func TestCaptureScan(t *testing.T) {
	name := "testdata/scan/scan.pcap"
	if _, err := os.Stat(name); err != nil {
		t.Skip(err)
	}
	e, c := newEngine(t, detect.Config{}, sbDetectors("scan")...)
	sbRun(t, e, name)
	var got []string
	for _, a := range c.alerts {
		got = append(got, fmt.Sprintf("%s %s %v %v", a.ID, a.Severity, a.Src, a.Dst))
		t.Logf("%s: %v", a.Summary, a.Evidence)
	}
	want := []string{
		"net.scan medium 10.229.0.66:0 10.229.0.10:0",
		"net.scan high 10.229.0.66:0 invalid AddrPort",
	}
	if strings.Join(got, "\n") != strings.Join(want, "\n") {
		t.Errorf("alerts\n%s\nwant\n%s", strings.Join(got, "\n"), strings.Join(want, "\n"))
	}
}

// TestCapturesLearnOneDetectAnother learns on the storescu -> storescp
// capture of dicom/ul and detects on the Orthanc one (the same host,
// 127.0.0.1): Orthanc's port and the AE title pairs of its associations
// are new.
func TestCapturesLearnOneDetectAnother(t *testing.T) {
	learnOn, detectOn := "../dicom/ul/testdata/store.pcap", "../dicom/ul/testdata/orthanc.pcap"
	for _, n := range []string{learnOn, detectOn} {
		if _, err := os.Stat(n); err != nil {
			t.Skip(err)
		}
	}
	e, c := newEngine(t, detect.Config{}, sbDetectors("scan", "baseline")...)
	e.Learn(true)
	sbRun(t, e, learnOn)
	e.Learn(false)
	sbRun(t, e, detectOn)
	counts := map[string]int{}
	for _, a := range c.alerts {
		counts[a.ID] += a.Count
		t.Logf("%s x%d: %s %v", a.ID, a.Count, a.Summary, a.Evidence)
	}
	// One new port; the accepted pairs FINDSCU, MOVESCU and GETSCU to
	// ORTHANC and ORTHANC to STORESCP (the C-MOVE's sub-association), the
	// engine folding those after the first (one address pair) into a
	// count.
	want := map[string]int{"baseline.new-service": 1, "dicom.new-ae": 4}
	if fmt.Sprint(counts) != fmt.Sprint(want) {
		t.Errorf("raised %v, want %v", counts, want)
	}
}
