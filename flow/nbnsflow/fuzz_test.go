package nbnsflow

import (
	"testing"

	"github.com/medtap/medtap/flow/internal/udptest"
)

// FuzzDatagram sends arbitrary datagrams to the NBNS port and checks that
// every event's JSON is valid, that errors point inside the datagram, and
// that identities are computer names (15 bytes, each written in at most 4).
func FuzzDatagram(f *testing.F) {
	msgs, _ := udptest.Datagrams(f, Name, capture, Port, message)
	for _, m := range append(msgs, windowsNodeStatus()) {
		f.Add(m)
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		udptest.Check(t, Name, Port, data, 15*4)
	})
}
