package segment

import (
	"net/netip"
	"testing"
)

// addFlows adds flows[i%len(flows)] for i in [0, n): the loop the Add
// benchmarks and allocation tests share.
func addFlows(c *Collector, flows []Flow, n int) {
	for i := range n {
		c.Add(&flows[i%len(flows)])
	}
}

// repeatFlows are 4096 distinct tuples, all held once added: the steady
// state of a network whose devices keep talking to the same peers.
func repeatFlows() []Flow {
	flows := make([]Flow, 4096)
	for i := range flows {
		flows[i] = Flow{Client: addrN(i), Server: addrN(1<<20 + i%16), Transport: TCP, Port: 104, Protocol: "dicom",
			Count: 1, Bytes: 4096, First: t0, Last: t0}
	}
	return flows
}

// churnFlows are 8192 distinct tuples for a Collector capped at 4096: every
// Add evicts one.
func churnFlows() []Flow {
	flows := make([]Flow, 8192)
	for i := range flows {
		flows[i] = Flow{Client: addrN(i), Server: netip.MustParseAddr("fd00::1"), Transport: UDP, Port: uint16(i),
			Count: 1, Bytes: 100, First: t0, Last: t0}
	}
	return flows
}

func BenchmarkAdd(b *testing.B) {
	b.Run("held", func(b *testing.B) {
		var c Collector
		flows := repeatFlows()
		addFlows(&c, flows, len(flows))
		b.ReportAllocs()
		b.ResetTimer()
		addFlows(&c, flows, b.N)
	})
	b.Run("evicting", func(b *testing.B) {
		c := Collector{MaxTuples: 4096}
		flows := churnFlows()
		addFlows(&c, flows, len(flows))
		b.ReportAllocs()
		b.ResetTimer()
		addFlows(&c, flows, b.N)
	})
}

// bigHospital is a hospital of about 1200 devices and 20000 tuples.
func bigHospital() (*Collector, []Device) {
	var devs []Device
	n := 0
	add := func(class Class, count int) []netip.Addr {
		var as []netip.Addr
		for range count {
			a := addrN(n)
			n++
			devs = append(devs, Device{Addr: a, Class: class, Name: string(class)})
			as = append(as, a)
		}
		return as
	}
	mods, pacs, wss := add(ClassModality, 100), add(ClassPACS, 2), add(ClassWorkstation, 20)
	mons, gws := add(ClassMonitor, 300), add(ClassMonitorGateway, 4)
	pumps, pgws := add(ClassPump, 300), add(ClassPumpGateway, 2)
	anas, lis := add(ClassLabAnalyser, 50), add(ClassLIS, 1)
	pcs, srvs := add(ClassITWorkstation, 400), add(ClassITServer, 10)
	var c Collector
	flow := func(cl, s netip.Addr, t Transport, port uint16, proto string) {
		c.Add(&Flow{Client: cl, Server: s, Transport: t, Port: port, Protocol: proto, Count: 3, Bytes: 30000, First: t0, Last: t0})
	}
	for _, m := range mods {
		for _, p := range pacs {
			flow(m, p, TCP, 104, "dicom")
		}
		flow(m, srvs[0], UDP, 53, "")
	}
	for _, w := range wss {
		for _, p := range pacs {
			flow(w, p, TCP, 104, "dicom")
			flow(p, w, TCP, 11112, "dicom")
		}
	}
	for i, m := range mons {
		flow(gws[i%4], m, UDP, 24105, "intellivue")
		flow(m, netip.MustParseAddr("255.255.255.255"), UDP, 24005, "intellivue")
	}
	for i, p := range pumps {
		flow(p, pgws[i%2], TCP, 443, "tls")
		if i%50 == 0 {
			flow(p, wss[0], TCP, 445, "smb")
		}
	}
	for _, a := range anas {
		flow(a, lis[0], TCP, 4001, "astm")
	}
	for i, p := range pcs {
		for j, s := range srvs {
			flow(p, s, TCP, 445, "smb")
			flow(p, s, UDP, 53, "")
			flow(p, addrN(1<<23+i*16+j), TCP, 443, "tls") // the internet? no: 10/8, unknown
			flow(p, netip.AddrFrom4([4]byte{203, 0, 113, byte(j)}), TCP, 443, "tls")
		}
	}
	return &c, devs
}

func BenchmarkAdvice(b *testing.B) {
	c, devs := bigHospital()
	b.ReportAllocs()
	for b.Loop() {
		c.Advice(devs)
	}
	b.ReportMetric(float64(c.Len()), "tuples")
}

func BenchmarkRender(b *testing.B) {
	c, devs := bigHospital()
	a := c.Advice(devs)
	var buf []byte
	for _, r := range []struct {
		name string
		fn   func([]byte) []byte
	}{
		{"json", a.AppendJSON},
		{"text", a.AppendText},
		{"nftables", func(b []byte) []byte { return a.AppendNftables(b, NftConfig{}) }},
	} {
		b.Run(r.name, func(b *testing.B) {
			b.ReportAllocs()
			for b.Loop() {
				buf = r.fn(buf[:0])
			}
			b.SetBytes(int64(len(buf)))
		})
	}
}
