package segment

import (
	"strings"
	"testing"
	"time"
)

// The addresses the fuzzer picks from: IPv4 and IPv6, private, public,
// mapped, zoned, multicast, broadcast.
var fuzzAddrs = []string{
	"10.0.0.1", "10.0.0.2", "10.0.0.3", "10.0.0.4", "192.168.1.1", "172.16.0.9",
	"8.8.8.8", "::ffff:10.0.0.1", "fd00::1", "fe80::1%eth0", "2001:db8::1", "224.0.0.251",
	"255.255.255.255", "100.64.0.1", "0.0.0.0", "::",
}

var fuzzClasses = []Class{ClassModality, ClassModality, ClassPACS, ClassPACS, ClassWorkstation, ClassPump,
	"", ClassModality, ClassITServer, ClassMonitor, ClassMonitorGateway, "", ClassUnknown, ClassEHR, "x y\"z", ClassLIS}

var fuzzProtos = []string{"", "dicom", "hl7", "astm", "smb", "http", "p\"\n", strings.Repeat("z", MaxProtocolName+1)}

var fuzzDevices = func() []Device {
	var ds []Device
	for i, a := range fuzzAddrs {
		ds = append(ds, Device{Addr: ip(a), Class: fuzzClasses[i], Name: "d\x00" + a})
	}
	return ds
}()

// FuzzAdd feeds flows made from the input to a small Collector and checks
// its table after every Add, then the advice and its renderings.
func FuzzAdd(f *testing.F) {
	f.Add([]byte{3, 0, 2, 0, 0, 104, 1, 1, 0, 1, 2, 0, 0, 104, 1, 1, 0, 6, 2, 1, 0, 53, 0, 1, 0})
	f.Add([]byte{0, 0, 1, 0, 0, 1, 0, 0, 0, 0, 1, 0, 0, 1, 0, 0, 0, 0, 1, 0, 0, 2, 0, 0, 0})
	f.Add([]byte{15, 9, 11, 3, 1, 4, 7, 200, 9, 12, 13, 0, 0, 67, 0, 0, 1})
	f.Fuzz(func(t *testing.T, data []byte) {
		if len(data) == 0 {
			return
		}
		c := Collector{MaxTuples: 1 + int(data[0]%16), MaxProtocols: 1 + int(data[0]>>4)}
		data = data[1:]
		for ; len(data) >= 8; data = data[8:] {
			fl := Flow{
				Client: ip(fuzzAddrs[data[0]%16]), Server: ip(fuzzAddrs[data[1]%16]),
				Transport: []Transport{TCP, UDP, 132, 0}[data[2]%4], Port: uint16(data[3])<<8 | uint16(data[4]),
				Protocol: fuzzProtos[data[5]%8], Count: uint64(data[6]), Bytes: uint64(data[7]) << 56,
				First: t0.Add(time.Duration(data[7]) * time.Second),
			}
			if data[2]&0x80 != 0 {
				fl.Count = 1<<64 - 1 - uint64(data[6])
			}
			c.Add(&fl)
			checkTable(t, &c)
			if c.Len() > 0 && c.lookup(normAddr(fl.Client), normAddr(fl.Server), fl.Transport, fl.Port, c.protoIDs[fl.Protocol]) == nil {
				t.Fatalf("the flow just added is not held: %+v", fl)
			}
		}
		a := c.Advice(fuzzDevices)
		checkAdvice(t, &c, a) // JSON included
		a.AppendText(nil)
		a.AppendNftables(nil, NftConfig{Drop: true})
	})
}

// checkTable checks a Collector's invariants: within its cap, every entry
// found through the index and on one list, the index holding nothing else,
// and every flow held or counted as evicted.
func checkTable(t testing.TB, c *Collector) {
	t.Helper()
	if c.Len() > c.maxTuples {
		t.Fatalf("%d tuples over the cap %d", c.Len(), c.maxTuples)
	}
	used := 0
	for _, v := range c.index.slots {
		if v != 0 {
			used++
		}
	}
	if used != len(c.entries) || 2*len(c.entries) > len(c.index.slots) {
		t.Fatalf("%d slots used of %d, %d entries", used, len(c.index.slots), len(c.entries))
	}
	var held uint64
	for i := range c.entries {
		e := &c.entries[i]
		if _, j := c.index.find(c.entries, &e.key, e.hash); j != int32(i) {
			t.Fatalf("entry %d found at %d", i, j)
		}
		held = addSat(held, e.flows)
	}
	n := 0
	for _, l := range []list{c.probation, c.kept} {
		prev := int32(-1)
		for i := l.head; i >= 0; i = c.entries[i].next {
			if c.entries[i].prev != prev {
				t.Fatalf("entry %d: prev %d, want %d", i, c.entries[i].prev, prev)
			}
			prev = i
			n++
		}
		if l.tail != prev {
			t.Fatalf("list tail %d, want %d", l.tail, prev)
		}
	}
	if n != len(c.entries) {
		t.Fatalf("%d entries on the lists, %d held", n, len(c.entries))
	}
	if s := c.Stats(); s.Flows != 1<<64-1 && addSat(held, s.EvictedFlows) != s.Flows {
		t.Fatalf("%d flows held + %d evicted != %d added", held, s.EvictedFlows, s.Flows)
	}
}
