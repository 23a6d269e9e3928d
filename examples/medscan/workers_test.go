package main

import (
	"fmt"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"testing"

	"github.com/medtap/medtap/internal/testutil"
)

// peakRE matches the peak counters, which with -workers > 1 are the sum
// of each engine's peak.
var peakRE = regexp.MustCompile(`("?peak_[a-z_]+"?[: ]+)\d+`)

func withoutPeaks(s string) string { return peakRE.ReplaceAllString(s, "${1}N") }

// With -workers 2 and 4, medscan prints what it prints with one engine:
// the same tables, and the same JSON lines, per flow in the same order.
func TestWorkersSameOutput(t *testing.T) {
	root := testutil.RepoRoot(t)
	inputs := [][]string{
		nil, // the embedded sample
		{filepath.Join(root, "fingerprint/testdata/eval/hospital.pcap")},
		{filepath.Join(root, "dicom/ul/testdata/store.pcap"), filepath.Join(root, "netproto/dhcp/testdata/dhcp.pcap")},
	}
	if c := testutil.CorpusRoot(); c != "" {
		if more, _ := filepath.Glob(filepath.Join(c, "pcap", "*.pcap")); len(more) > 0 {
			inputs = append(inputs, more)
		}
	}
	for _, in := range inputs {
		for _, mode := range [][]string{{}, {"-json"}, {"-segmentation", "table"}} {
			args := append(append([]string{"-phi", "keep"}, mode...), in...)
			name := strings.Join(append(slices.Clone(mode), fmt.Sprint(len(in), " inputs")), " ")
			t.Run(name, func(t *testing.T) {
				status, want, errs := runMedscan(t, nil, args...)
				if status != 0 {
					t.Fatalf("status %d: %s", status, errs)
				}
				for _, n := range []string{"2", "4"} {
					status, got, errs := runMedscan(t, nil, append([]string{"-workers", n}, args...)...)
					if status != 0 {
						t.Fatalf("-workers %s: status %d: %s", n, status, errs)
					}
					if slices.Contains(mode, "-json") {
						sameLines(t, withoutPeaks(got), withoutPeaks(want))
					} else if withoutPeaks(got) != withoutPeaks(want) {
						t.Errorf("-workers %s: output differs:\n%s\none engine:\n%s", n, got, want)
					}
				}
			})
		}
	}
}

// sameLines checks that got and want hold the same lines, and the same
// event lines in the same order for each pair of endpoints.
func sameLines(t *testing.T, got, want string) {
	t.Helper()
	g, w := strings.Split(got, "\n"), strings.Split(want, "\n")
	if !slices.Equal(slices.Sorted(slices.Values(g)), slices.Sorted(slices.Values(w))) {
		t.Fatalf("lines differ:\n%s\none engine:\n%s", got, want)
	}
	endRE := regexp.MustCompile(`"src":"([^"]*)","dst":"([^"]*)"`)
	perPair := func(lines []string) map[string][]string {
		m := map[string][]string{}
		for _, l := range lines {
			if !strings.HasPrefix(l, `{"type":"event"`) {
				continue
			}
			e := endRE.FindStringSubmatch(l)
			if e == nil {
				t.Fatalf("event without src and dst: %s", l)
			}
			a, b := e[1], e[2]
			if b < a {
				a, b = b, a
			}
			m[a+" "+b] = append(m[a+" "+b], l)
		}
		return m
	}
	gp, wp := perPair(g), perPair(w)
	for k, w := range wp {
		if !slices.Equal(gp[k], w) {
			t.Errorf("%s: events in another order", k)
		}
	}
}

func TestWorkersUsage(t *testing.T) {
	if status, _, _ := runMedscan(t, nil, "-workers", "0"); status != 2 {
		t.Errorf("-workers 0: status %d, want 2", status)
	}
}
