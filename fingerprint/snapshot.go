package fingerprint

import (
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/netip"
	"slices"
	"time"
)

// SnapshotVersion is the version of the snapshot format this package
// writes and reads.
const SnapshotVersion = 1

// DefaultMaxSnapshotBytes caps what ReadSnapshot reads by default.
const DefaultMaxSnapshotBytes = 256 << 20

// A Snapshot is an inventory saved: its devices at one time. Snapshots of
// several captures or sensors merge into one inventory ([Merge]), and two
// snapshots tell what changed ([Diff]).
type Snapshot struct {
	Version int       `json:"version"`
	Taken   time.Time `json:"taken"`
	Devices []Device  `json:"devices"`
}

// Snapshot returns the inventory's devices now.
func (inv *Inventory) Snapshot(taken time.Time) Snapshot {
	return Snapshot{Version: SnapshotVersion, Taken: taken, Devices: inv.Devices()}
}

// WriteTo writes s as JSON.
func (s *Snapshot) WriteTo(w io.Writer) (int64, error) {
	b, err := json.MarshalIndent(s, "", " ")
	if err != nil {
		return 0, err
	}
	n, err := w.Write(append(b, '\n'))
	return int64(n), err
}

// ErrSnapshot is wrapped by the errors of [ReadSnapshot].
var ErrSnapshot = errors.New("fingerprint: bad snapshot")

// ReadSnapshot reads a snapshot written by [Snapshot.WriteTo], reading at
// most maxBytes (0: DefaultMaxSnapshotBytes) and keeping at most
// maxDevices devices (0: Config's default, 65536).
func ReadSnapshot(r io.Reader, maxBytes int64, maxDevices int) (Snapshot, error) {
	if maxBytes <= 0 {
		maxBytes = DefaultMaxSnapshotBytes
	}
	if maxDevices <= 0 {
		var c Config
		c.defaults()
		maxDevices = c.MaxDevices
	}
	lr := &io.LimitedReader{R: r, N: maxBytes + 1}
	var s Snapshot
	dec := json.NewDecoder(lr)
	if err := dec.Decode(&s); err != nil {
		if lr.N <= 0 {
			return Snapshot{}, fmt.Errorf("%w: larger than %d bytes", ErrSnapshot, maxBytes)
		}
		return Snapshot{}, fmt.Errorf("%w: %v (at byte %d)", ErrSnapshot, err, dec.InputOffset())
	}
	if s.Version != SnapshotVersion {
		return Snapshot{}, fmt.Errorf("%w: version %d, this program reads %d", ErrSnapshot, s.Version, SnapshotVersion)
	}
	if len(s.Devices) > maxDevices {
		return Snapshot{}, fmt.Errorf("%w: %d devices, more than %d", ErrSnapshot, len(s.Devices), maxDevices)
	}
	for i := range s.Devices {
		if !s.Devices[i].Addr.IsValid() {
			return Snapshot{}, fmt.Errorf("%w: device %d has no address", ErrSnapshot, i)
		}
	}
	return s, nil
}

// Merge returns the union of the snapshots: one device per address, seen
// from the first first-seen to the last last-seen, with the union of its
// names, services, protocols and roles, the sum of its flows and bytes, the
// most peers either saw, and the identification (vendor, class, ...) of
// the snapshot whose answer was the more confident (the later one on a
// tie). Exposure is kept from that snapshot too. Devices are sorted by
// address; neither input is modified.
func Merge(a, b Snapshot) Snapshot {
	out := Snapshot{Version: SnapshotVersion, Taken: a.Taken}
	if b.Taken.After(out.Taken) {
		out.Taken = b.Taken
	}
	byAddr := make(map[netip.Addr]int, len(a.Devices)+len(b.Devices))
	for _, src := range [2][]Device{a.Devices, b.Devices} {
		for _, d := range src {
			i, ok := byAddr[d.Addr]
			if !ok {
				byAddr[d.Addr] = len(out.Devices)
				out.Devices = append(out.Devices, cloneDevice(d))
				continue
			}
			mergeDevice(&out.Devices[i], d)
		}
	}
	slices.SortFunc(out.Devices, func(x, y Device) int { return x.Addr.Compare(y.Addr) })
	return out
}

func cloneDevice(d Device) Device {
	d.Protocols, d.Services, d.Names, d.Roles = slices.Clone(d.Protocols), slices.Clone(d.Services), slices.Clone(d.Names), slices.Clone(d.Roles)
	d.Evidence, d.Exposure = slices.Clone(d.Evidence), slices.Clone(d.Exposure)
	return d
}

func mergeDevice(m *Device, d Device) {
	if d.First.Before(m.First) || m.First.IsZero() {
		m.First = d.First
	}
	if d.Last.After(m.Last) {
		m.Last = d.Last
	}
	if m.MAC.IsZero() {
		m.MAC = d.MAC
	}
	m.Protocols = union(m.Protocols, d.Protocols)
	m.Services = union(m.Services, d.Services)
	m.Names = union(m.Names, d.Names)
	m.Roles = union(m.Roles, d.Roles)
	m.Peers = max(m.Peers, d.Peers)
	m.FlowsIn += d.FlowsIn
	m.FlowsOut += d.FlowsOut
	m.BytesSent += d.BytesSent
	m.BytesReceived += d.BytesReceived
	if d.Confidence >= m.Confidence && (d.Class != "" || d.Vendor != "" || m.Class == "" && m.Vendor == "") {
		m.Vendor, m.Product, m.OS, m.Confidence = d.Vendor, d.Product, d.OS, d.Confidence
		m.Class, m.Criticality = d.Class, d.Criticality
		m.Evidence, m.Exposure = slices.Clone(d.Evidence), slices.Clone(d.Exposure)
	}
}

// union returns the sorted union of two sorted lists.
func union(a, b []string) []string {
	out := append(slices.Clone(a), b...)
	slices.Sort(out)
	return slices.Compact(out)
}

// A Change is a difference between two snapshots.
type Change struct {
	Kind   string     `json:"kind"` // "new", "changed" or "vanished"
	Addr   netip.Addr `json:"ip"`
	Fields []string   `json:"fields,omitempty"` // for "changed": the fields that differ
}

// Diff lists the devices of new that old lacks, those of old that new
// lacks, and those whose identity changed: vendor, product, OS, class, MAC,
// names, services or roles. Sorted by address.
func Diff(old, new Snapshot) []Change {
	before := make(map[netip.Addr]*Device, len(old.Devices))
	for i := range old.Devices {
		before[old.Devices[i].Addr] = &old.Devices[i]
	}
	var out []Change
	seen := map[netip.Addr]bool{}
	for i := range new.Devices {
		d := &new.Devices[i]
		seen[d.Addr] = true
		o := before[d.Addr]
		if o == nil {
			out = append(out, Change{Kind: "new", Addr: d.Addr})
			continue
		}
		var f []string
		for _, c := range []struct {
			name string
			same bool
		}{
			{"vendor", o.Vendor == d.Vendor}, {"product", o.Product == d.Product}, {"os", o.OS == d.OS},
			{"class", o.Class == d.Class}, {"mac", o.MAC == d.MAC}, {"names", slices.Equal(o.Names, d.Names)},
			{"services", slices.Equal(o.Services, d.Services)}, {"roles", slices.Equal(o.Roles, d.Roles)},
		} {
			if !c.same {
				f = append(f, c.name)
			}
		}
		if len(f) > 0 {
			out = append(out, Change{Kind: "changed", Addr: d.Addr, Fields: f})
		}
	}
	for i := range old.Devices {
		if a := old.Devices[i].Addr; !seen[a] {
			out = append(out, Change{Kind: "vanished", Addr: a})
		}
	}
	slices.SortFunc(out, func(x, y Change) int { return x.Addr.Compare(y.Addr) })
	return out
}
