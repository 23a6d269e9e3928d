package fingerprint

import (
	"net/netip"
	"runtime"
	"testing"
	"time"

	"github.com/medtap/medtap/flow"
)

// TestInventoryMemoryBounded sends flows from 10⁶ distinct source
// addresses (each naming itself and reaching one of a few servers) through
// an inventory capped at 4,096 devices: the device count stays at the cap,
// the heap it holds stops growing once the cap is reached, and stays under
// a per-device ceiling.
func TestInventoryMemoryBounded(t *testing.T) {
	n := 1_000_000
	if testing.Short() {
		n = 100_000
	}
	const maxDevices = 4096
	inv := NewInventory(Config{MaxDevices: maxDevices})
	info := &flow.FlowInfo{Transport: flow.TCP, Protocol: "dicom", Bytes: [2]uint64{100, 10}}
	e := &flow.Event{Protocol: flow.ProtocolFlow, Kind: flow.KindEnd, Detail: info}
	id := &named{name: "station"}
	ne := &flow.Event{Protocol: "test", Kind: "client", Detail: id}
	heap := func() uint64 {
		runtime.GC()
		var m runtime.MemStats
		runtime.ReadMemStats(&m)
		return m.HeapAlloc
	}
	base := heap()
	var atCap uint64
	for i := range n {
		src := netip.AddrPortFrom(netip.AddrFrom4([4]byte{10, byte(i >> 16), byte(i >> 8), byte(i)}), 40000)
		if i>>16 >= 250 {
			src = netip.AddrPortFrom(netip.AddrFrom4([4]byte{11, byte(i >> 16), byte(i >> 8), byte(i)}), 40000)
		}
		dst := netip.AddrPortFrom(netip.AddrFrom4([4]byte{192, 168, 0, byte(1 + i%8)}), 104)
		ts := t0.Add(time.Duration(i) * time.Millisecond)
		e.Time, e.Src, e.Dst, info.Start = ts, src, dst, ts
		inv.Event(e)
		ne.Time, ne.Src, ne.Dst = ts, src, dst
		inv.Event(ne)
		if i == 10*maxDevices {
			atCap = heap()
		}
	}
	end := heap()
	runtime.KeepAlive(inv)
	if inv.Len() != maxDevices {
		t.Errorf("%d devices, want %d", inv.Len(), maxDevices)
	}
	if st := inv.Stats(); st.DevicesEvicted != uint64(n+8-maxDevices) {
		t.Errorf("evicted %d, want %d", st.DevicesEvicted, n+8-maxDevices)
	}
	held, capHeld := int64(end)-int64(base), int64(atCap)-int64(base)
	perDevice := held / maxDevices
	t.Logf("%d sources: heap %d KiB at the cap, %d KiB at the end (%d bytes per device)", n, capHeld>>10, held>>10, perDevice)
	if perDevice > 16<<10 {
		t.Errorf("%d bytes per device, want at most 16 KiB", perDevice)
	}
	if end > atCap+atCap/4+1<<20 {
		t.Errorf("heap grew from %d KiB at the cap to %d KiB after %d sources", capHeld>>10, held>>10, n)
	}
}

// BenchmarkInventoryEvent measures the inventory alone in steady state:
// 256 clients known already, each ending a flow to one of 8 servers and
// naming itself, events built once and replayed.
func BenchmarkInventoryEvent(b *testing.B) { benchInventory(b, false) }

// BenchmarkInventoryEventMAC is BenchmarkInventoryEvent with each client
// and server seen with its own MAC, as on Ethernet.
func BenchmarkInventoryEventMAC(b *testing.B) { benchInventory(b, true) }

// inventoryEvents returns an inventory that knows 256 clients and the
// events that replay them.
func inventoryEvents(withMAC bool) (*Inventory, []*flow.Event) {
	inv := NewInventory(Config{})
	var evs []*flow.Event
	for i := range 256 {
		src := netip.AddrPortFrom(netip.AddrFrom4([4]byte{10, 0, 1, byte(i)}), 40000)
		dst := netip.AddrPortFrom(netip.AddrFrom4([4]byte{10, 0, 0, byte(1 + i%8)}), 104)
		var sm, dm flow.MAC
		if withMAC {
			sm, dm = flow.MAC{2, 0, 10, 0, 1, byte(i)}, flow.MAC{2, 0, 10, 0, 0, byte(1 + i%8)}
		}
		info := &flow.FlowInfo{Transport: flow.TCP, Protocol: "dicom", Start: t0, Bytes: [2]uint64{100, 10}}
		evs = append(evs,
			&flow.Event{Time: t0, Protocol: flow.ProtocolFlow, Kind: flow.KindEnd, Src: src, Dst: dst, SrcMAC: sm, DstMAC: dm, Detail: info},
			&flow.Event{Time: t0, Protocol: "test", Kind: "client", Src: src, Dst: dst, SrcMAC: sm, DstMAC: dm, Detail: &named{name: "station"}})
	}
	for _, e := range evs {
		inv.Event(e)
	}
	return inv, evs
}

func benchInventory(b *testing.B, withMAC bool) {
	inv, evs := inventoryEvents(withMAC)
	b.ReportAllocs()
	b.ResetTimer()
	for i := range b.N {
		inv.Event(evs[i%len(evs)])
	}
}

// TestInventoryEventAllocs: in steady state an event costs no allocation,
// with MACs or without.
func TestInventoryEventAllocs(t *testing.T) {
	if raceEnabled {
		t.Skip("the race detector allocates")
	}
	for _, withMAC := range []bool{false, true} {
		inv, evs := inventoryEvents(withMAC)
		i := 0
		if n := testing.AllocsPerRun(1000, func() { inv.Event(evs[i%len(evs)]); i++ }); n != 0 {
			t.Errorf("MACs %v: %v allocations an event", withMAC, n)
		}
		if inv.Len() != 264 {
			t.Errorf("MACs %v: %d devices, want 264", withMAC, inv.Len())
		}
	}
}
