package detect_test

import (
	"bufio"
	"bytes"
	"cmp"
	"fmt"
	"net/netip"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/medtap/medtap/capture"
	"github.com/medtap/medtap/detect"
	"github.com/medtap/medtap/fingerprint"
	"github.com/medtap/medtap/flow"
	_ "github.com/medtap/medtap/flow/all"
)

// The labelled evaluation captures of testdata/eval (see its README):
// captures.tsv gives each capture's role (learn, normal, attack) and
// labels.tsv the alerts a correct detector set raises on the attack
// captures.
const evalDir = "testdata/eval"

// recallFloor is the least recall per rule the evaluation accepts, and
// precisionFloor the least precision (alerts above low that match a
// label, over all alerts above low of the rule on the attack and normal
// captures). detect/README.md shows the measured table.
var recallFloor = map[string]float64{}

const (
	defaultRecallFloor = 1.0 // every labelled attack is detected
	precisionFloor     = 0.5
)

type evalLabel struct {
	capture, id string
	src, dst    netip.Addr // dst invalid: any
	note        string
	found       bool
}

func readTSV(t *testing.T, name string) [][]string {
	t.Helper()
	data, err := os.ReadFile(filepath.Join(evalDir, name))
	if err != nil {
		t.Skipf("evaluation captures not present: %v", err)
	}
	var rows [][]string
	sc := bufio.NewScanner(bytes.NewReader(data))
	for sc.Scan() {
		line := sc.Text()
		if line == "" || strings.HasPrefix(line, "#") {
			continue
		}
		f := strings.Split(line, "\t")
		if f[0] == "capture" { // a header
			continue
		}
		rows = append(rows, f)
	}
	return rows
}

// runCapture runs a capture through the flow engine, an inventory and a
// detect engine built by mk, and returns the alerts.
func runEvalCapture(t *testing.T, name string, mk func(inv *fingerprint.Inventory, sink detect.AlertSink) *detect.Engine) []detect.Alert {
	t.Helper()
	var c collect
	inv := fingerprint.NewInventory(fingerprint.Config{})
	det := mk(inv, &c)
	eng, err := flow.NewEngine(flow.Config{}, flow.SinkFunc(func(e *flow.Event) { inv.Event(e); det.Event(e) }))
	if err != nil {
		t.Fatal(err)
	}
	if err := capture.RunFile(eng, filepath.Join(evalDir, name)); err != nil {
		t.Fatal(err)
	}
	det.Flush()
	return c.alerts
}

func matches(a *detect.Alert, l *evalLabel) bool {
	if a.ID != l.id {
		return false
	}
	s, d := a.Src.Addr().Unmap(), a.Dst.Addr().Unmap()
	if !l.dst.IsValid() {
		return s == l.src || d == l.src
	}
	return s == l.src && d == l.dst || s == l.dst && d == l.src
}

// TestEvaluation measures precision and recall per rule on the labelled
// captures: baselines learn from the "learn" captures, then every other
// capture is run on its own with that baseline loaded.
func TestEvaluation(t *testing.T) {
	caps := readTSV(t, "captures.tsv")
	var labels []*evalLabel
	for _, f := range readTSV(t, "labels.tsv") {
		if len(f) < 4 {
			t.Fatalf("labels.tsv: short line %q", f)
		}
		l := &evalLabel{capture: f[0], id: f[1], src: netip.MustParseAddr(f[2])}
		if f[3] != "-" {
			l.dst = netip.MustParseAddr(f[3])
		}
		if len(f) > 4 {
			l.note = f[4]
		}
		labels = append(labels, l)
	}

	// Learn.
	var baseline bytes.Buffer
	{
		inv := fingerprint.NewInventory(fingerprint.Config{})
		det, err := detect.NewEngine(detect.Config{Devices: inv}, nil, nil)
		if err != nil {
			t.Fatal(err)
		}
		det.Learn(true)
		eng, _ := flow.NewEngine(flow.Config{}, flow.SinkFunc(func(e *flow.Event) { inv.Event(e); det.Event(e) }))
		n := 0
		for _, c := range caps {
			if c[1] == "learn" {
				if err := capture.RunFile(eng, filepath.Join(evalDir, c[0])); err != nil {
					t.Fatal(err)
				}
				n++
			}
		}
		if n == 0 {
			t.Fatal("no learn capture")
		}
		det.Flush()
		if _, err := det.WriteBaseline(&baseline); err != nil {
			t.Fatal(err)
		}
	}

	type score struct{ tp, fp, labels, found, low int }
	scores := map[string]*score{}
	get := func(id string) *score {
		if scores[id] == nil {
			scores[id] = &score{}
		}
		return scores[id]
	}
	for _, l := range labels {
		get(l.id).labels++
	}
	for _, c := range caps {
		name, role := c[0], c[1]
		if role == "learn" {
			continue
		}
		alerts := runEvalCapture(t, name, func(inv *fingerprint.Inventory, sink detect.AlertSink) *detect.Engine {
			det, err := detect.NewEngine(detect.Config{Devices: inv}, sink, nil)
			if err != nil {
				t.Fatal(err)
			}
			if err := det.ReadBaseline(bytes.NewReader(baseline.Bytes()), 0); err != nil {
				t.Fatal(err)
			}
			return det
		})
		for i := range alerts {
			a := &alerts[i]
			hit := false
			for _, l := range labels {
				if l.capture == name && matches(a, l) {
					hit = true
					if !l.found {
						l.found = true
						get(l.id).found++
					}
				}
			}
			if a.Severity <= detect.Low {
				get(a.ID).low++
				continue // info and low alerts are not scored for precision
			}
			if hit {
				get(a.ID).tp++
			} else {
				get(a.ID).fp++
				if role == "normal" {
					t.Errorf("%s (normal): %s %s %s -> %s: %s", name, a.Severity, a.ID, a.Src, a.Dst, a.Summary)
				} else {
					t.Logf("%s: unlabelled %s %s %s -> %s: %s", name, a.Severity, a.ID, a.Src, a.Dst, a.Summary)
				}
			}
		}
	}
	for _, l := range labels {
		if !l.found {
			t.Errorf("%s: missed %s %s -> %v (%s)", l.capture, l.id, l.src, l.dst, l.note)
		}
	}

	var tab strings.Builder
	fmt.Fprintf(&tab, "| rule | labelled | detected | recall | alerts above low | matching a label | precision | low or info alerts |\n|---|---|---|---|---|---|---|---|\n")
	ids := make([]string, 0, len(scores))
	for id := range scores {
		ids = append(ids, id)
	}
	slices.SortFunc(ids, cmp.Compare)
	for _, id := range ids {
		s := scores[id]
		recall, precision := "-", "-"
		if s.labels > 0 {
			r := float64(s.found) / float64(s.labels)
			recall = fmt.Sprintf("%.2f", r)
			if r < cmp.Or(recallFloor[id], defaultRecallFloor) {
				t.Errorf("%s: recall %.2f below its floor", id, r)
			}
		}
		if n := s.tp + s.fp; n > 0 {
			p := float64(s.tp) / float64(n)
			precision = fmt.Sprintf("%.2f", p)
			if p < precisionFloor {
				t.Errorf("%s: precision %.2f below %.2f", id, p, precisionFloor)
			}
		}
		fmt.Fprintf(&tab, "| `%s` | %d | %d | %s | %d | %d | %s | %d |\n", id, s.labels, s.found, recall, s.tp+s.fp, s.tp, precision, s.low)
	}
	t.Logf("evaluation:\n%s", tab.String())
}
