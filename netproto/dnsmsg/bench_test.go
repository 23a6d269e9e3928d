package dnsmsg

import (
	"path/filepath"
	"testing"
)

// captureMessages returns the datagrams of the committed captures.
func captureMessages(tb testing.TB) [][]byte {
	var msgs [][]byte
	for _, name := range []string{"mdns.pcap", "llmnr.pcap"} {
		msgs = append(msgs, pcapUDP(tb, filepath.Join("testdata", name))...)
	}
	return msgs
}

// BenchmarkParsing parses the whole mDNS capture's messages, every name
// decoded and every record's data read.
func BenchmarkParsing(b *testing.B) {
	msgs := captureMessages(b)
	size := 0
	for _, m := range msgs {
		size += len(m)
	}
	var p Parser
	buf := make([]byte, 0, 1024)
	b.SetBytes(int64(size))
	b.ReportAllocs()
	for b.Loop() {
		for _, m := range msgs {
			parseAll(&p, m, buf)
		}
	}
}

// BenchmarkAnnouncement parses one DNS-SD announcement with every record
// type the adapters read.
func BenchmarkAnnouncement(b *testing.B) {
	msg := announcement()
	var p Parser
	buf := make([]byte, 0, 1024)
	b.SetBytes(int64(len(msg)))
	b.ReportAllocs()
	for b.Loop() {
		parseAll(&p, msg, buf)
	}
}

// BenchmarkSkim walks the entries of the capture without decoding
// anything: the cost of the name and length checks alone.
func BenchmarkSkim(b *testing.B) {
	msgs := captureMessages(b)
	size := 0
	for _, m := range msgs {
		size += len(m)
	}
	var p Parser
	b.SetBytes(int64(size))
	b.ReportAllocs()
	for b.Loop() {
		for _, m := range msgs {
			p.Start(m)
			for p.Next() {
			}
		}
	}
}
