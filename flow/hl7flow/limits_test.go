package hl7flow

import (
	"net/netip"
	"strings"
	"testing"

	"github.com/medtap/medtap/flow"
	"github.com/medtap/medtap/internal/flowtest"
	"github.com/medtap/medtap/internal/pkttest"
)

// TestMaxMessageBytes checks that [flow.Config.MaxMessageBytes] reaches the
// protocol decoders: a message larger than the cap, split across packets,
// is reported as an error instead of being buffered.
func TestMaxMessageBytes(t *testing.T) {
	msg := "\x0bMSH|^~\\&|ADT|HOSP|LAB|HOSP|20260101120000||ADT^A01|MSG1|P|2.5\rPID|1||123||DOE^JANE\rNTE|1||" +
		strings.Repeat("x", 4000) + "\r\x1c\r"
	run := func(limit int) (messages, errs int) {
		e := flowtest.NewEngine(t, flow.Config{MaxMessageBytes: limit, Protocols: []string{"hl7"}}, flow.SinkFunc(func(ev *flow.Event) {
			switch ev.Kind {
			case KindMessage:
				messages++
			case flow.KindError:
				errs++
			}
		}))
		c := netip.MustParseAddrPort("10.0.0.1:40000")
		s := netip.MustParseAddrPort("10.0.0.2:2575")
		e.Packet(pkttest.T0, flow.LinkRaw, pkttest.RawTCP(c, s, 0, flow.FlagSYN, nil))
		for off := 0; off < len(msg); off += 1000 {
			end := min(off+1000, len(msg))
			e.Packet(pkttest.T0, flow.LinkRaw, pkttest.RawTCP(c, s, 1+uint32(off), flow.FlagACK, []byte(msg[off:end])))
		}
		e.Flush()
		return
	}
	if m, errs := run(0); m != 1 || errs != 0 {
		t.Fatalf("default limit: %d messages, %d errors", m, errs)
	}
	if m, errs := run(2048); m != 0 || errs == 0 {
		t.Fatalf("2 KiB limit: %d messages, %d errors", m, errs)
	}

}
