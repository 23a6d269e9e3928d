package nbnsflow

import (
	"testing"

	"github.com/medtap/medtap/flow"
	"github.com/medtap/medtap/flow/internal/udptest"
)

// message returns the NBNS message an event carries.
func message(d flow.Detail) []byte {
	if m, ok := d.(*Message); ok {
		return m.Msg
	}
	return nil
}

// BenchmarkEvents sends the messages of the nmbd capture through an engine
// on one flow, each event's JSON rendered and its identities asked.
func BenchmarkEvents(b *testing.B) {
	msgs, pkts := udptest.Datagrams(b, Name, capture, Port, message)
	size := 0
	for _, m := range msgs {
		size += len(m)
	}
	udptest.Bench(b, Name, pkts, size)
}
