package fingerprint

import (
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/netip"
	"slices"
	"time"

	"github.com/medtap/medtap/flow"
)

// SnapshotVersion is the version of the snapshot format this package
// writes. It reads version 1 too, whose devices are one address each, with
// the MAC first seen with it (see [ReadSnapshot]).
const SnapshotVersion = 2

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
//
// A version 1 snapshot is read as this version: a MAC that version gave
// 4 addresses or more is a router's (the addresses become devices behind
// it) and the addresses of any other MAC one device, as [Merge] makes them.
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
	if s.Version != 1 && s.Version != SnapshotVersion {
		return Snapshot{}, fmt.Errorf("%w: version %d, this program reads 1 to %d", ErrSnapshot, s.Version, SnapshotVersion)
	}
	if len(s.Devices) > maxDevices {
		return Snapshot{}, fmt.Errorf("%w: %d devices, more than %d", ErrSnapshot, len(s.Devices), maxDevices)
	}
	for i := range s.Devices {
		d := &s.Devices[i]
		if !d.Addr.IsValid() {
			return Snapshot{}, fmt.Errorf("%w: device %d has no address", ErrSnapshot, i)
		}
		if len(d.Addrs) > maxSnapshotAddrs {
			return Snapshot{}, fmt.Errorf("%w: device %d has %d addresses, more than %d", ErrSnapshot, i, len(d.Addrs), maxSnapshotAddrs)
		}
		for _, a := range d.Addrs {
			if !a.IsValid() {
				return Snapshot{}, fmt.Errorf("%w: device %d has an invalid address", ErrSnapshot, i)
			}
		}
	}
	if s.Version == 1 {
		s = upgrade(s)
	}
	return s, nil
}

// maxSnapshotAddrs caps the addresses of one device ReadSnapshot accepts.
const maxSnapshotAddrs = 1024

// upgrade turns a version 1 snapshot's devices, one an address, into
// devices keyed by MAC.
func upgrade(s Snapshot) Snapshot {
	n := map[flow.MAC]int{}
	for _, d := range s.Devices {
		if !d.MAC.IsZero() {
			n[d.MAC]++
		}
	}
	var c Config
	c.defaults()
	for i := range s.Devices {
		if d := &s.Devices[i]; !d.MAC.IsZero() && n[d.MAC] >= c.RouterAddrs {
			d.Router, d.MAC = d.MAC, flow.MAC{}
		}
	}
	out := Merge(s, Snapshot{})
	out.Taken = s.Taken
	return out
}

// Merge returns the union of the snapshots: one device per MAC where a
// device has one, else per address (a device with no MAC is one with a
// device that has its address and a MAC, or none); two devices with
// different MACs stay two even where they share an address, which moved
// from one to the other. A merged device is seen from the first first-seen
// to the last last-seen, with every address either had (the current one
// that of the last seen), the union of its names, services, protocols and
// roles, the sum of its flows and bytes, the most peers either saw, and
// the identification (vendor, class, ...) of the device whose answer was
// the more confident (the later one on a tie). Exposure is kept from that
// one too. Devices are sorted by address; neither input is modified.
func Merge(a, b Snapshot) Snapshot {
	out := Snapshot{Version: SnapshotVersion, Taken: a.Taken}
	if b.Taken.After(out.Taken) {
		out.Taken = b.Taken
	}
	var m merger
	for _, src := range [2][]Device{a.Devices, b.Devices} {
		for _, d := range src {
			m.add(d)
		}
	}
	for _, d := range m.devs {
		if d != nil {
			out.Devices = append(out.Devices, *d)
		}
	}
	slices.SortFunc(out.Devices, compareDevices)
	return out
}

// A merger joins devices by MAC, else by address.
type merger struct {
	devs   []*Device // nil: merged into another
	byMAC  map[flow.MAC]int
	byAddr map[netip.Addr]int
}

func (m *merger) add(d Device) {
	if m.byMAC == nil {
		m.byMAC, m.byAddr = map[flow.MAC]int{}, map[netip.Addr]int{}
	}
	into := -1
	if i, ok := m.byMAC[d.MAC]; ok && !d.MAC.IsZero() {
		into = i
	}
	// A device without a MAC is one with any device of its addresses;
	// one with a MAC is one with the MAC-less devices of its addresses.
	for _, a := range addrsOf(&d) {
		i, ok := m.byAddr[a]
		if !ok || i == into || m.devs[i] == nil {
			continue
		}
		o := m.devs[i]
		if !d.MAC.IsZero() && !o.MAC.IsZero() {
			continue // the address moved between two devices
		}
		if into < 0 {
			if d.MAC.IsZero() || o.MAC.IsZero() {
				into = i
			}
			continue
		}
		if !m.devs[into].MAC.IsZero() && !o.MAC.IsZero() {
			continue
		}
		// d ties two devices together: one of them has no MAC.
		m.merge(into, *o)
		m.devs[i] = nil
	}
	if into < 0 {
		c := cloneDevice(d)
		m.devs = append(m.devs, &c)
		m.index(len(m.devs)-1, &d)
		return
	}
	m.merge(into, d)
}

// merge merges d into device i and indexes it there.
func (m *merger) merge(i int, d Device) {
	mergeDevice(m.devs[i], d)
	m.index(i, &d)
}

func (m *merger) index(i int, d *Device) {
	if mac := m.devs[i].MAC; !mac.IsZero() {
		m.byMAC[mac] = i
	}
	for _, a := range addrsOf(d) {
		if j, ok := m.byAddr[a]; !ok || m.devs[j] == nil || m.devs[j].MAC.IsZero() && !m.devs[i].MAC.IsZero() {
			m.byAddr[a] = i
		}
	}
}

// addrsOf returns a device's addresses: Addrs, or Addr alone.
func addrsOf(d *Device) []netip.Addr {
	if len(d.Addrs) > 0 {
		return d.Addrs
	}
	return []netip.Addr{d.Addr}
}

func cloneDevice(d Device) Device {
	d.Addrs = slices.Clone(d.Addrs)
	d.Protocols, d.Services, d.Names, d.Roles = slices.Clone(d.Protocols), slices.Clone(d.Services), slices.Clone(d.Names), slices.Clone(d.Roles)
	d.Evidence, d.Exposure = slices.Clone(d.Evidence), slices.Clone(d.Exposure)
	return d
}

func mergeDevice(m *Device, d Device) {
	if d.First.Before(m.First) || m.First.IsZero() {
		m.First = d.First
	}
	all := addrsOf(m)
	for _, a := range addrsOf(&d) {
		if !slices.Contains(all, a) {
			all = append(all, a)
		}
	}
	if !d.Last.Before(m.Last) {
		m.Addr = d.Addr
	}
	if d.Last.After(m.Last) {
		m.Last = d.Last
	}
	m.Addrs = nil
	if len(all) > 1 {
		m.Addrs = slices.Clone(all)
	}
	if m.MAC.IsZero() {
		m.MAC = d.MAC
	}
	if !m.MAC.IsZero() {
		m.Router = flow.MAC{}
	} else if m.Router.IsZero() {
		m.Router = d.Router
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
	MAC    flow.MAC   `json:"mac,omitzero"`     // the device's MAC, when it is known by one
	Fields []string   `json:"fields,omitempty"` // for "changed": the fields that differ
}

// Diff lists the devices of new that old lacks, those of old that new
// lacks, and those whose identity changed: vendor, product, OS, class, MAC,
// addresses, names, services or roles. Devices are paired as [Merge] pairs
// them: by MAC where both have one, else by address. Sorted by address.
func Diff(old, new Snapshot) []Change {
	byMAC := make(map[flow.MAC]int, len(old.Devices))
	byAddr := make(map[netip.Addr][]int, len(old.Devices))
	for i := range old.Devices {
		o := &old.Devices[i]
		if !o.MAC.IsZero() {
			byMAC[o.MAC] = i
		}
		for _, a := range addrsOf(o) {
			byAddr[a] = append(byAddr[a], i)
		}
	}
	paired := make([]bool, len(old.Devices))
	pair := func(d *Device) *Device {
		if i, ok := byMAC[d.MAC]; ok && !d.MAC.IsZero() && !paired[i] {
			paired[i] = true
			return &old.Devices[i]
		}
		for _, a := range addrsOf(d) {
			for _, i := range byAddr[a] {
				if o := &old.Devices[i]; !paired[i] && (o.MAC.IsZero() || d.MAC.IsZero()) {
					paired[i] = true
					return o
				}
			}
		}
		return nil
	}
	var out []Change
	for i := range new.Devices {
		d := &new.Devices[i]
		o := pair(d)
		if o == nil {
			out = append(out, Change{Kind: "new", Addr: d.Addr, MAC: d.MAC})
			continue
		}
		var f []string
		for _, c := range []struct {
			name string
			same bool
		}{
			{"vendor", o.Vendor == d.Vendor}, {"product", o.Product == d.Product}, {"os", o.OS == d.OS},
			{"class", o.Class == d.Class}, {"mac", o.MAC == d.MAC}, {"addresses", sameAddrs(addrsOf(o), addrsOf(d))},
			{"names", slices.Equal(o.Names, d.Names)}, {"services", slices.Equal(o.Services, d.Services)},
			{"roles", slices.Equal(o.Roles, d.Roles)},
		} {
			if !c.same {
				f = append(f, c.name)
			}
		}
		if len(f) > 0 {
			out = append(out, Change{Kind: "changed", Addr: d.Addr, MAC: d.MAC, Fields: f})
		}
	}
	for i := range old.Devices {
		if !paired[i] {
			out = append(out, Change{Kind: "vanished", Addr: old.Devices[i].Addr, MAC: old.Devices[i].MAC})
		}
	}
	slices.SortStableFunc(out, func(x, y Change) int { return x.Addr.Compare(y.Addr) })
	return out
}

// sameAddrs reports whether two lists hold the same addresses.
func sameAddrs(a, b []netip.Addr) bool {
	if len(a) != len(b) {
		return false
	}
	for _, x := range a {
		if !slices.Contains(b, x) {
			return false
		}
	}
	return true
}
