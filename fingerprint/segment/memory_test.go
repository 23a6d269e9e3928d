package segment

import (
	"net/netip"
	"runtime"
	"testing"
)

// addrN is the n-th address of 10.0.0.0/8 (n < 2^24).
func addrN(n int) netip.Addr {
	return netip.AddrFrom4([4]byte{10, byte(n >> 16), byte(n >> 8), byte(n)})
}

func heapInUse() uint64 {
	runtime.GC()
	var m runtime.MemStats
	runtime.ReadMemStats(&m)
	return m.HeapAlloc
}

// TestMillionFlowsBounded adds 10^6 distinct flows under the default cap:
// the tuples held stay at the cap, every other one is counted as evicted,
// and the memory held stays within the documented 104 bytes a tuple.
func TestMillionFlowsBounded(t *testing.T) {
	const n = 1_000_000
	before := heapInUse()
	var c Collector
	f := Flow{Server: ip("10.255.0.1"), Transport: TCP, Port: 104, Protocol: "dicom", Bytes: 1000}
	for i := range n {
		f.Client = addrN(i)
		c.Add(&f)
		if c.Len() > DefaultMaxTuples {
			t.Fatalf("%d tuples after %d flows", c.Len(), i+1)
		}
	}
	held := heapInUse() - before
	s := c.Stats()
	if s.Tuples != DefaultMaxTuples || s.Evicted != n-DefaultMaxTuples || s.EvictedFlows != n-DefaultMaxTuples || s.Flows != n {
		t.Errorf("stats %+v", s)
	}
	perTuple := held / DefaultMaxTuples
	t.Logf("%d tuples hold %d bytes, %d a tuple", DefaultMaxTuples, held, perTuple)
	if perTuple > 104 {
		t.Errorf("%d bytes a tuple, want at most 104", perTuple)
	}
	// The newest flows are the ones held.
	if c.lookup(addrN(n-1), f.Server, TCP, 104, 1) == nil {
		t.Error("the last flow is not held")
	}
	runtime.KeepAlive(&c)
}

// TestScanEvictsItself checks the eviction order: a scan of 10^6
// unidentified single flows does not push out the traffic already kept.
func TestScanEvictsItself(t *testing.T) {
	c := Collector{MaxTuples: 1000}
	for i := range 900 { // the hospital's traffic: identified
		c.Add(&Flow{Client: addrN(i), Server: ip("10.255.0.1"), Transport: TCP, Port: 104, Protocol: "dicom"})
	}
	for i := range 50 { // unidentified, but seen twice
		for range 2 {
			c.Add(&Flow{Client: addrN(i), Server: ip("10.255.0.2"), Transport: UDP, Port: 53})
		}
	}
	scan := Flow{Client: ip("10.254.0.9"), Transport: TCP}
	for i := range 1_000_000 {
		scan.Server, scan.Port = addrN(i>>10), uint16(i)
		c.Add(&scan)
	}
	if c.Len() != 1000 {
		t.Fatalf("%d tuples", c.Len())
	}
	kept := 0
	for i := range c.entries {
		if c.entries[i].kept {
			kept++
		}
	}
	if kept != 950 {
		t.Errorf("%d kept tuples, want 950", kept)
	}
	checkTable(t, &c)
	// Reset keeps the memory and starts again.
	c.MaxTuples = 10
	c.Reset()
	for i := range 100 {
		c.Add(&Flow{Client: addrN(i), Server: ip("10.255.0.1"), Transport: TCP, Port: 104})
		checkTable(t, &c)
	}
	if s := c.Stats(); s.Tuples != 10 || s.Evicted != 90 || s.Flows != 100 {
		t.Errorf("after Reset: %+v", s)
	}
	// With only kept tuples left, the least recently added one goes.
	d := Collector{MaxTuples: 2}
	for i := range 3 {
		d.Add(&Flow{Client: addrN(i), Server: ip("10.255.0.1"), Transport: TCP, Port: 104, Protocol: "dicom"})
	}
	if d.lookup(addrN(0), ip("10.255.0.1"), TCP, 104, 1) != nil || d.Len() != 2 {
		t.Error("the oldest kept tuple was not evicted")
	}
}
