package all_test

import (
	"bytes"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/medtap/medtap/capture"
	"github.com/medtap/medtap/flow"
	_ "github.com/medtap/medtap/flow/all"
	"github.com/medtap/medtap/flow/dicomflow"
	"github.com/medtap/medtap/flow/hl7flow"
	"github.com/medtap/medtap/internal/testutil"
)

// captures lists the sample capture, every capture committed in the
// repository and those of the shared corpus.
func captures(t *testing.T) []string {
	root := testutil.RepoRoot(t)
	var files []string
	filepath.WalkDir(root, func(p string, d os.DirEntry, err error) error {
		if err == nil && !d.IsDir() && (strings.HasSuffix(p, ".pcap") || strings.HasSuffix(p, ".pcapng")) {
			files = append(files, p)
		}
		return nil
	})
	if dir := testutil.CorpusRoot(); dir != "" {
		m, _ := filepath.Glob(filepath.Join(dir, "pcap", "*.pcap*"))
		files = append(files, m...)
	}
	return files
}

// run returns the JSON Lines of every event of file under policy, and the
// patient values the HL7 messages (PID-3, PID-5, PID-7) and DICOM objects
// (Patient ID) carried, which no event field shows.
func run(t *testing.T, file string, policy flow.PHIPolicy) (lines []string, patients map[string]bool) {
	patients = map[string]bool{}
	add := func(v []byte) {
		if v = bytes.TrimSpace(v); len(v) >= 3 {
			patients[string(v)] = true
		}
	}
	e, err := flow.NewEngine(flow.Config{PHI: policy}, flow.SinkFunc(func(ev *flow.Event) {
		lines = append(lines, string(flow.AppendEventJSON(nil, ev)))
		switch d := ev.Detail.(type) {
		case *hl7flow.Message:
			for _, p := range []string{"PID-3-1", "PID-5-1", "PID-5-2", "PID-7"} {
				if v, err := d.Message.Get(p); err == nil {
					add(v.Bytes())
				}
			}
		case *dicomflow.DIMSE:
			add(d.Message.Object.PatientID)
		}
	}))
	if err != nil {
		t.Fatal(err)
	}
	if err := capture.RunFile(e, file); err != nil {
		t.Logf("%s: %v", file, err)
	}
	return lines, patients
}

// TestNoPatientDataByDefault feeds every capture through the default PHI
// policy and finds no patient value in any event: neither the values that
// the keep policy shows in PHI fields (DICOM query keys, ASTM patient
// records, POCT1-A patient IDs), nor the patient IDs and names the HL7 and
// DICOM messages carry.
func TestNoPatientDataByDefault(t *testing.T) {
	files := captures(t)
	if len(files) < 5 {
		t.Fatalf("only %d captures found", len(files))
	}
	checked := 0
	for _, f := range files {
		keep, patients := run(t, f, flow.PHIKeep)
		def, _ := run(t, f, flow.PHIHash)
		if len(keep) != len(def) {
			t.Fatalf("%s: %d events kept, %d hashed", f, len(keep), len(def))
		}
		// The values the keep policy shows where the default one differs
		// are the PHI fields'.
		for i := range keep {
			if keep[i] == def[i] {
				continue
			}
			for _, v := range phiValues(keep[i], def[i]) {
				patients[v] = true
			}
		}
		out := strings.Join(def, "\n")
		for v := range patients {
			checked++
			// A name is looked for anywhere; a number (an ID, a birth
			// date) as a whole JSON value, as dates of other things may
			// contain it.
			if strings.Contains(out, `"`+v+`"`) || strings.Contains(out, ":"+v+",") || (len(v) >= 5 && hasLetter(v) && strings.Contains(out, v)) {
				t.Errorf("%s: patient value %q in the default output", filepath.Base(f), v)
			}
		}
	}
	if checked < 10 {
		t.Errorf("only %d patient values checked: the captures hold more", checked)
	}
	t.Logf("%d captures, %d patient values absent from the default output", len(files), checked)
}

// phiValues returns the string values of keep that differ from hashed.
func phiValues(keep, hashed string) []string {
	var out []string
	k, h := strings.Split(keep, `"`), strings.Split(hashed, `"`)
	if len(k) != len(h) {
		return nil
	}
	for i := range k {
		if k[i] != h[i] && strings.HasPrefix(h[i], "h:") && len(k[i]) >= 3 {
			out = append(out, k[i])
		}
	}
	return out
}

func hasLetter(s string) bool {
	return strings.ContainsFunc(s, func(r rune) bool { return r >= 'A' && r <= 'Z' || r >= 'a' && r <= 'z' })
}
