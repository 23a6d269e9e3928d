package dnsevent_test

import (
	"testing"

	"github.com/medtap/medtap/flow/internal/udptest"
)

// BenchmarkEvents sends the messages of each capture through an engine
// on one flow, each event's JSON rendered and its identities asked.
func BenchmarkEvents(b *testing.B) {
	for _, c := range captures {
		b.Run(c.proto, func(b *testing.B) {
			msgs, pkts := udptest.Datagrams(b, c.proto, c.file, c.port, message)
			size := 0
			for _, m := range msgs {
				size += len(m)
			}
			udptest.Bench(b, c.proto, pkts, size)
		})
	}
}
