package nbns

import "testing"

// BenchmarkParsing parses the nmbd capture's messages and a node status
// response, every name decoded.
func BenchmarkParsing(b *testing.B) {
	msgs := captureMessages(b)
	size := 0
	for _, m := range msgs {
		size += len(m)
	}
	var p Parser
	buf := make([]byte, 0, 256)
	b.SetBytes(int64(size))
	b.ReportAllocs()
	for b.Loop() {
		for _, m := range msgs {
			parseAll(&p, m, buf)
		}
	}
}

// BenchmarkNodeStatus parses one node status response with its name table.
func BenchmarkNodeStatus(b *testing.B) {
	msg := nodeStatus()
	var p Parser
	buf := make([]byte, 0, 256)
	b.SetBytes(int64(len(msg)))
	b.ReportAllocs()
	for b.Loop() {
		parseAll(&p, msg, buf)
	}
}
