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
	c.Devices[0].Class = "pacs"
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
	f.Add([]byte(`{"version":2,"devices":[{"Addr":"10.0.0.6","Addrs":["10.0.0.5","10.0.0.6"],"MAC":"02:00:0a:00:00:05"},{"Addr":"10.0.0.5"},{"Addr":"10.9.0.1","Router":"02:00:00:00:00:fe"}]}`))
	f.Add([]byte(`{"version":1,"devices":[{"Addr":"10.0.0.1","MAC":"02:00:00:00:00:fe"},{"Addr":"10.0.0.2","MAC":"02:00:00:00:00:fe"},{"Addr":"10.0.0.3","MAC":"02:00:00:00:00:fe"},{"Addr":"10.0.0.4","MAC":"02:00:00:00:00:fe"}]}`))
	f.Fuzz(func(t *testing.T, b []byte) {
		s, err := fingerprint.ReadSnapshot(bytes.NewReader(b), 1<<16, 64)
		if err != nil {
			return
		}
		if len(s.Devices) > 64 {
			t.Fatalf("%d devices", len(s.Devices))
		}
		m := fingerprint.Merge(s, s)
		if len(m.Devices) > len(s.Devices) {
			t.Fatalf("merged with itself: %d devices, from %d", len(m.Devices), len(s.Devices))
		}
		Diff(s, m)
	})
}

// macSnapshot is an inventory of a device with three addresses (IPv4,
// link-local and global IPv6 of one MAC), five devices behind a router and
// a server, saved.
func macSnapshot() fingerprint.Snapshot {
	inv := fingerprint.NewInventory(fingerprint.Config{})
	t0 := time.Date(2026, 12, 4, 0, 0, 0, 0, time.UTC)
	ev := func(i int, cli, srv string, cliMAC, srvMAC byte) {
		ts := t0.Add(time.Duration(i) * time.Second)
		inv.Event(&flow.Event{Time: ts, Protocol: flow.ProtocolFlow, Kind: flow.KindEnd, Src: netip.MustParseAddrPort(cli), Dst: netip.MustParseAddrPort(srv),
			SrcMAC: flow.MAC{2, 0, 0, 0, 0, cliMAC}, DstMAC: flow.MAC{2, 0, 0, 0, 0, srvMAC},
			Detail: &flow.FlowInfo{Transport: flow.TCP, Protocol: "dicom", Start: ts, Bytes: [2]uint64{100, 10}}})
	}
	ev(0, "10.0.0.5:40000", "10.0.0.1:104", 5, 1)
	ev(1, "[fe80::5]:40000", "[fe80::1]:104", 5, 1)
	ev(2, "[2001:db8::5]:40000", "10.0.0.1:104", 5, 1)
	for i := range 5 {
		ev(3+i, fmt.Sprintf("10.9.0.%d:40000", i+1), "10.0.0.1:104", 0xfe, 1)
	}
	return inv.Snapshot(t0.Add(time.Hour))
}

func TestSnapshotMACKeyed(t *testing.T) {
	s := macSnapshot()
	if len(s.Devices) != 7 {
		t.Fatalf("%d devices, want 7: %+v", len(s.Devices), s.Devices)
	}
	var b bytes.Buffer
	if _, err := s.WriteTo(&b); err != nil {
		t.Fatal(err)
	}
	got, err := fingerprint.ReadSnapshot(bytes.NewReader(b.Bytes()), 0, 0)
	if err != nil {
		t.Fatal(err)
	}
	if !reflect.DeepEqual(got, s) {
		t.Errorf("read back differs:\n%+v\nwant\n%+v", got, s)
	}
	if c := Diff(s, got); len(c) != 0 {
		t.Errorf("a snapshot differs from itself: %+v", c)
	}
	self := fingerprint.Merge(s, got)
	if len(self.Devices) != len(s.Devices) {
		t.Errorf("merged with itself: %d devices, want %d", len(self.Devices), len(s.Devices))
	}
	for i, d := range self.Devices {
		if o := s.Devices[i]; d.MAC != o.MAC || d.Router != o.Router || !reflect.DeepEqual(d.Addrs, o.Addrs) || d.FlowsOut != 2*o.FlowsOut {
			t.Errorf("merged with itself: %+v, from %+v", d, o)
		}
	}
}

func TestSnapshotMergeByMAC(t *testing.T) {
	ip := netip.MustParseAddr
	t0 := time.Date(2026, 12, 4, 0, 0, 0, 0, time.UTC)
	dev := func(mac byte, last int, addrs ...string) fingerprint.Device {
		d := fingerprint.Device{First: t0, Last: t0.Add(time.Duration(last) * time.Second), FlowsOut: 1}
		if mac != 0 {
			d.MAC = flow.MAC{2, 0, 0, 0, 0, mac}
		}
		for _, a := range addrs {
			d.Addrs = append(d.Addrs, ip(a))
		}
		d.Addr = d.Addrs[len(d.Addrs)-1]
		if len(d.Addrs) == 1 {
			d.Addrs = nil
		}
		return d
	}
	router := func(d fingerprint.Device) fingerprint.Device { d.Router = flow.MAC{2, 0, 0, 0, 0, 0xfe}; return d }
	for _, tt := range []struct {
		name string
		a, b []fingerprint.Device
		want []string // each device: MAC's last byte, addresses, flows out
	}{
		{"one MAC, two addresses", []fingerprint.Device{dev(5, 1, "10.0.0.5")}, []fingerprint.Device{dev(5, 2, "10.0.0.6")}, []string{"05 10.0.0.6 [10.0.0.5 10.0.0.6] 2"}},
		{"an address without a MAC joins the MAC's", []fingerprint.Device{dev(5, 1, "10.0.0.5")}, []fingerprint.Device{dev(0, 2, "10.0.0.5")}, []string{"05 10.0.0.5 [] 2"}},
		{"two MACs on one address stay two", []fingerprint.Device{dev(5, 1, "10.0.0.5")}, []fingerprint.Device{dev(8, 2, "10.0.0.5")}, []string{"05 10.0.0.5 [] 1", "08 10.0.0.5 [] 1"}},
		{"a MAC's addresses join their devices", []fingerprint.Device{dev(0, 1, "10.0.0.5"), dev(0, 1, "10.0.0.6")}, []fingerprint.Device{dev(5, 0, "10.0.0.5", "10.0.0.6")},
			[]string{"05 10.0.0.6 [10.0.0.5 10.0.0.6] 3"}},
		{"behind a router, then seen with its MAC", []fingerprint.Device{router(dev(0, 1, "10.9.0.1")), router(dev(0, 1, "10.9.0.2"))}, []fingerprint.Device{dev(9, 2, "10.9.0.1")},
			[]string{"09 10.9.0.1 [] 2", "fe 10.9.0.2 [] 1"}},
	} {
		t.Run(tt.name, func(t *testing.T) {
			m := fingerprint.Merge(fingerprint.Snapshot{Devices: tt.a}, fingerprint.Snapshot{Devices: tt.b})
			var got []string
			for _, d := range m.Devices {
				mac := d.MAC
				if mac.IsZero() {
					mac = d.Router
				}
				got = append(got, fmt.Sprintf("%s %v %v %d", mac.String()[15:], d.Addr, d.Addrs, d.FlowsOut))
			}
			slices.Sort(got)
			if !slices.Equal(got, tt.want) {
				t.Errorf("merged %q, want %q", got, tt.want)
			}
			// Diff pairs devices the same way: nothing in b is new
			// where it merged.
			if n := len(tt.a) + len(tt.b) - len(m.Devices); n > 0 {
				news := 0
				for _, c := range Diff(fingerprint.Snapshot{Devices: tt.a}, m) {
					if c.Kind == "new" {
						news++
					}
				}
				if news != 0 {
					t.Errorf("%d new in the diff: %+v", news, Diff(fingerprint.Snapshot{Devices: tt.a}, m))
				}
			}
		})
	}
}

// TestReadSnapshotVersion1 reads a snapshot of the format that had one
// device per address: the MAC of four addresses is a router's, the MAC of
// two one device.
func TestReadSnapshotVersion1(t *testing.T) {
	in := `{"version":1,"taken":"2026-12-04T00:00:00Z","devices":[
 {"Addr":"10.0.0.5","MAC":"02:00:00:00:00:05","Last":"2026-12-04T00:00:01Z","FlowsOut":1},
 {"Addr":"fe80::5","MAC":"02:00:00:00:00:05","Last":"2026-12-04T00:00:02Z","FlowsOut":1},
 {"Addr":"10.0.0.7","MAC":"00:00:00:00:00:00","FlowsOut":1},
 {"Addr":"10.9.0.1","MAC":"02:00:00:00:00:fe","FlowsOut":1},
 {"Addr":"10.9.0.2","MAC":"02:00:00:00:00:fe","FlowsOut":1},
 {"Addr":"10.9.0.3","MAC":"02:00:00:00:00:fe","FlowsOut":1},
 {"Addr":"10.9.0.4","MAC":"02:00:00:00:00:fe","FlowsOut":1}]}`
	s, err := fingerprint.ReadSnapshot(strings.NewReader(in), 0, 0)
	if err != nil {
		t.Fatal(err)
	}
	if s.Version != fingerprint.SnapshotVersion || len(s.Devices) != 6 || !s.Taken.Equal(time.Date(2026, 12, 4, 0, 0, 0, 0, time.UTC)) {
		t.Fatalf("%+v", s)
	}
	for _, d := range s.Devices {
		switch a := d.Addr.String(); {
		case a == "fe80::5":
			if d.MAC.String() != "02:00:00:00:00:05" || len(d.Addrs) != 2 || d.FlowsOut != 2 {
				t.Errorf("%+v", d)
			}
		case strings.HasPrefix(a, "10.9.0."):
			if !d.MAC.IsZero() || d.Router.String() != "02:00:00:00:00:fe" {
				t.Errorf("behind the router: %+v", d)
			}
		case a == "10.0.0.7":
		default:
			t.Errorf("device %v", a)
		}
	}
}
