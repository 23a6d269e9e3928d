package dhcp

import "testing"

// fuzzSeeds4Static returns messages that exercise option overload and
// options sent in pieces.
func fuzzSeeds4Static() [][]byte {
	return [][]byte{
		msg4(1, opt(OptMessageType, 1), optS(OptHostName, "infusion-"), opt(OptParamList, 1, 3), optS(OptHostName, "pump-7")),
		withAreas(msg4(1, opt(OptMessageType, 3), opt(OptOverload, 3), opt(OptParamList, 1, 3)),
			append(opt(OptParamList, 6, 15), 255), append(optS(OptVendorClass, "MSFT 5.0"), 255)),
	}
}

var sink int

// walk4 parses each message and reads what identifies its client, as the
// flow adapter does.
func walk4(m *Message, msgs [][]byte) {
	var buf [64]byte
	for _, b := range msgs {
		if m.Parse(b) != nil {
			continue
		}
		mac, _ := m.ClientMAC()
		lease, _ := m.LeaseTime()
		f, _ := m.FQDN()
		sink += int(mac[5]) + len(m.HostName()) + len(m.VendorClass()) + len(m.AppendParamList(buf[:0])) +
			len(m.ClientID()) + int(lease) + len(f.AppendText(buf[:0])) + m.RequestedIP().BitLen() + m.ServerID().BitLen()
	}
}

// walk6 is walk4 for DHCPv6.
func walk6(m *Message6, msgs [][]byte) {
	var buf [64]byte
	for _, b := range msgs {
		if m.Parse(b) != nil {
			continue
		}
		mac, _ := m.ClientID().MAC()
		vc, _ := m.VendorClass()
		items := vc.Items()
		for items.Next() {
			sink += len(items.Item())
		}
		f, _ := m.FQDN()
		ias := m.IANAs()
		for ias.Next() {
			as := ias.IA().Addrs()
			for as.Next() {
				sink += int(as.Addr().Valid)
			}
		}
		sink += int(mac[5]) + len(m.AppendORO(buf[:0])) + len(f.AppendText(buf[:0])) + len(m.ServerID())
	}
}

func size(msgs [][]byte) (n int64) {
	for _, m := range msgs {
		n += int64(len(m))
	}
	return n
}

// benchMessages runs walk over msgs, reporting bytes and messages.
func benchMessages(b *testing.B, msgs [][]byte, walk func()) {
	b.SetBytes(size(msgs))
	b.ReportAllocs()
	for b.Loop() {
		walk()
	}
	b.ReportMetric(float64(b.Elapsed().Nanoseconds())/float64(b.N*len(msgs)), "ns/msg")
}

// BenchmarkParse parses the DHCPv4 messages of the capture and reads
// every accessor.
func BenchmarkParse(b *testing.B) {
	v4, _ := captureMessages(b)
	var m Message
	benchMessages(b, v4, func() { walk4(&m, v4) })
}

// BenchmarkParse6 is BenchmarkParse for the DHCPv6 messages.
func BenchmarkParse6(b *testing.B) {
	_, v6 := captureMessages(b)
	var m Message6
	benchMessages(b, v6, func() { walk6(&m, v6) })
}

// BenchmarkSniff runs Sniff on a DHCPv4 message and on a message that is
// not one.
func BenchmarkSniff(b *testing.B) {
	yes, no := msg4(1, opt(OptMessageType, 1)), make([]byte, 300)
	for b.Loop() {
		if Sniff(yes) && !Sniff(no) {
			sink++
		}
	}
}
