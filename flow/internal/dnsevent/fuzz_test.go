package dnsevent_test

import (
	"testing"

	"github.com/medtap/medtap/flow/internal/udptest"
	"github.com/medtap/medtap/flow/llmnrflow"
	"github.com/medtap/medtap/flow/mdnsflow"
	"github.com/medtap/medtap/netproto/dnsmsg"
)

// FuzzDatagram sends arbitrary datagrams to the mDNS or the LLMNR port and
// checks that every event's JSON is valid, that errors point inside the
// datagram, and that identities are names.
func FuzzDatagram(f *testing.F) {
	for _, c := range captures {
		msgs, _ := udptest.Datagrams(f, c.proto, c.file, c.port, message)
		for _, m := range msgs {
			f.Add(m, c.proto == llmnrflow.Name)
		}
	}
	f.Add([]byte{0, 0, 0x84, 0, 0, 0, 0xFF, 0xFF, 0, 0, 0, 0, 0xC0, 12}, false)
	f.Fuzz(func(t *testing.T, data []byte, llmnr bool) {
		if llmnr {
			udptest.Check(t, llmnrflow.Name, llmnrflow.Port, data, 4*dnsmsg.MaxNameLen)
		} else {
			udptest.Check(t, mdnsflow.Name, mdnsflow.Port, data, 4*dnsmsg.MaxNameLen)
		}
	})
}
