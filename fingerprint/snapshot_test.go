package fingerprint_test

import (
	"bytes"
	"errors"
	"fmt"
	"net/netip"
	"path/filepath"
	"reflect"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/medtap/medtap/capture"
	"github.com/medtap/medtap/fingerprint"
	"github.com/medtap/medtap/flow"
	"github.com/medtap/medtap/internal/testutil"
)

func sampleSnapshot(t *testing.T, file string) fingerprint.Snapshot {
	t.Helper()
	inv := fingerprint.NewInventory(fingerprint.Config{})
	e, err := flow.NewEngine(flow.Config{}, inv)
	if err != nil {
		t.Fatal(err)
	}
	if err := capture.RunFile(e, filepath.Join(testutil.RepoRoot(t), file)); err != nil {
		t.Fatal(err)
	}
	return inv.Snapshot(time.Date(2026, 12, 4, 0, 0, 0, 0, time.UTC))
}

func TestSnapshotRoundTrip(t *testing.T) {
	s := sampleSnapshot(t, "examples/medscan/testdata/sample.pcapng")
	var b bytes.Buffer
	if _, err := s.WriteTo(&b); err != nil {
		t.Fatal(err)
	}
	got, err := fingerprint.ReadSnapshot(bytes.NewReader(b.Bytes()), 0, 0)
	if err != nil {
		t.Fatal(err)
	}
	if !reflect.DeepEqual(got, s) {
		t.Errorf("read back differs:\n%+v\nwant\n%+v", got.Devices[0], s.Devices[0])
	}
	if len(Diff(s, got)) != 0 {
		t.Error("a snapshot differs from itself")
	}
}

// Diff is fingerprint.Diff, short.
var Diff = fingerprint.Diff

func TestSnapshotMergeDiff(t *testing.T) {
	a := sampleSnapshot(t, "examples/medscan/testdata/sample.pcapng")
	b := sampleSnapshot(t, "netproto/smb/testdata/smb.pcap")
	m := fingerprint.Merge(a, b)
	if len(m.Devices) != len(a.Devices)+len(b.Devices) {
		t.Fatalf("merged %d devices, want %d (no address in common)", len(m.Devices), len(a.Devices)+len(b.Devices))
	}
	// Merging a snapshot with itself sums the traffic and keeps the rest.
	self := fingerprint.Merge(a, a)
	for i, d := range self.Devices {
		o := a.Devices[i]
		if d.Addr != o.Addr || d.FlowsIn != 2*o.FlowsIn || d.BytesSent != 2*o.BytesSent || d.Class != o.Class || !reflect.DeepEqual(d.Names, o.Names) {
			t.Fatalf("self merge of %v: %+v", o.Addr, d)
		}
	}
	changes := Diff(a, m)
	if len(changes) != len(b.Devices) || changes[0].Kind != "new" {
		t.Errorf("diff after the merge: %+v", changes)
	}
	// A device that vanished, one that is new, one whose class changed.
	c := fingerprint.Merge(a, fingerprint.Snapshot{})
	c.Devices = c.Devices[1:]
	c.Devices[0].Class = "workstation"
	c.Devices = append(c.Devices, fingerprint.Device{Addr: netip.MustParseAddr("10.99.9.9")})
	var got []string
	for _, c := range Diff(a, c) {
		got = append(got, fmt.Sprint(c.Kind, " ", c.Addr, " ", c.Fields))
	}
	for _, want := range []string{"vanished " + a.Devices[0].Addr.String() + " []", "changed " + a.Devices[1].Addr.String() + " [class]", "new 10.99.9.9 []"} {
		if !slices.Contains(got, want) {
			t.Errorf("diff %q lacks %q", got, want)
		}
	}
}

func TestReadSnapshotErrors(t *testing.T) {
	for _, tt := range []struct{ name, in string }{
		{"not JSON", "hello"},
		{"version", `{"version":3,"devices":[]}`},
		{"version 0", `{"devices":[]}`},
		{"bad address", `{"version":2,"devices":[{"Addr":"10.0.0.1","Addrs":["10.0.0.1",""]}]}`},
		{"no address", `{"version":1,"devices":[{"FlowsIn":1}]}`},
		{"too many", `{"version":1,"devices":[{"Addr":"10.0.0.1"},{"Addr":"10.0.0.2"},{"Addr":"10.0.0.3"}]}`},
		{"too large", `{"version":1,"devices":[` + strings.Repeat(`{"Addr":"10.0.0.1"},`, 100) + `{"Addr":"10.0.0.1"}]}`},
	} {
		_, err := fingerprint.ReadSnapshot(strings.NewReader(tt.in), 1000, 2)
		if !errors.Is(err, fingerprint.ErrSnapshot) {
			t.Errorf("%s: %v, want ErrSnapshot", tt.name, err)
		}
	}
}

func FuzzReadSnapshot(f *testing.F) {
	f.Add([]byte(`{"version":1,"taken":"2026-12-04T00:00:00Z","devices":[{"Addr":"10.0.0.1","MAC":"02:00:0a:00:00:01","Names":["ae:X"]}]}`))
	f.Add([]byte(`{"version":1,"devices":null}`))
	f.Fuzz(func(t *testing.T, b []byte) {
		s, err := fingerprint.ReadSnapshot(bytes.NewReader(b), 1<<16, 64)
		if err != nil {
			return
		}
		if len(s.Devices) > 64 {
			t.Fatalf("%d devices", len(s.Devices))
		}
		m := fingerprint.Merge(s, s)
		Diff(s, m)
	})
}
