package main

import (
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/medtap/medtap/fingerprint"
	"github.com/medtap/medtap/flow"
)

func TestParseRotation(t *testing.T) {
	for _, tc := range []struct {
		in   string
		want rotation
		err  bool
	}{
		{"", rotation{}, false},
		{"1h", rotation{every: time.Hour}, false},
		{"100MB", rotation{size: 100 << 20}, false},
		{"1g", rotation{size: 1 << 30}, false},
		{"64KB", rotation{size: 64 << 10}, false},
		{"10ms", rotation{}, true},
		{"1KB", rotation{}, true},
		{"-5MB", rotation{}, true},
		{"often", rotation{}, true},
	} {
		got, err := parseRotation(tc.in)
		if (err != nil) != tc.err || got != tc.want {
			t.Errorf("%q: %+v, %v", tc.in, got, err)
		}
	}
}

// TestRotateBySize: -o with -rotate by size splits the JSON Lines between
// lines into files whose concatenation is the whole output.
func TestRotateBySize(t *testing.T) {
	dir := t.TempDir()
	name := filepath.Join(dir, "medscan.jsonl")
	if status, _, errs := runMedscan(t, nil, "-json", "-phi", "keep", "-o", name, "-rotate", "8KB"); status != 0 {
		t.Fatalf("status %d: %s", status, errs)
	}
	_, want, _ := runMedscan(t, nil, "-json", "-phi", "keep")
	files, _ := filepath.Glob(name + ".*")
	if len(files) < 3 {
		t.Fatalf("%d rotated files", len(files))
	}
	slices.Sort(files)
	var all strings.Builder
	for _, f := range append(files, name) {
		data, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		if len(data) > 0 && data[len(data)-1] != '\n' {
			t.Errorf("%s does not end with a whole line", f)
		}
		all.Write(data)
	}
	// The summary and device lines are the same; events too, in order.
	if all.String() != want {
		t.Errorf("rotated files differ from the output (%d and %d bytes)", all.Len(), len(want))
	}
	if status, _, _ := runMedscan(t, nil, "-rotate", "1h"); status != 2 {
		t.Error("-rotate without -o accepted")
	}
}

func TestRotateByTime(t *testing.T) {
	name := filepath.Join(t.TempDir(), "out.jsonl")
	r, err := openRotating(name, rotation{every: time.Hour})
	if err != nil {
		t.Fatal(err)
	}
	now := time.Date(2026, 12, 6, 10, 0, 0, 0, time.UTC)
	r.now = func() time.Time { return now }
	r.opened = now
	r.Write([]byte("a\n"))
	if r.due(0) {
		t.Fatal("due at once")
	}
	now = now.Add(time.Hour)
	if !r.due(0) {
		t.Fatal("not due after an hour")
	}
	if err := r.rotate(); err != nil {
		t.Fatal(err)
	}
	r.Write([]byte("b\n"))
	r.Close()
	old, err := os.ReadFile(name + ".20261206T110000Z")
	if err != nil || string(old) != "a\n" {
		t.Errorf("rotated file: %q %v", old, err)
	}
	if cur, _ := os.ReadFile(name); string(cur) != "b\n" {
		t.Errorf("current file %q", cur)
	}
}

func TestStatusLine(t *testing.T) {
	var buf strings.Builder
	eng, inv := newStatusParts(t)
	s := &statusLine{w: &buf, every: time.Nanosecond, eng: eng, inv: inv, drops: func() uint64 { return 7 }}
	for range 3 * 1024 {
		s.packet()
	}
	if n := strings.Count(buf.String(), "\n"); n != 2 || !strings.Contains(buf.String(), "7 dropped by the kernel") {
		t.Errorf("status lines %q", buf.String())
	}
	var none *statusLine
	none.packet() // off: a nil line does nothing
}

func newStatusParts(t *testing.T) (pipeline, *fingerprint.Inventory) {
	inv := fingerprint.NewInventory(fingerprint.Config{})
	eng, err := flow.NewEngine(flow.Config{}, inv)
	if err != nil {
		t.Fatal(err)
	}
	return enginePipeline{eng}, inv
}

// The status line of the fanout workers, whose engines are busy, counts
// from the events.
func TestStatusLineFanout(t *testing.T) {
	var buf strings.Builder
	_, inv := newStatusParts(t)
	s := &statusLine{w: &buf, every: time.Nanosecond, inv: inv,
		packets: func() uint64 { return 4096 }, flows: func() (uint64, uint64) { return 10, 3 }}
	for range 2 * 1024 {
		s.packet()
	}
	if !strings.Contains(buf.String(), "4096 packets, 10 flows (3 active), 0 devices") {
		t.Errorf("status %q", buf.String())
	}
}
