package hl7flow

import (
	"fmt"
	"net/netip"
	"strings"
	"testing"

	"github.com/medtap/medtap/flow"
	"github.com/medtap/medtap/internal/flowtest"
	"github.com/medtap/medtap/internal/pkttest"
)

// TestDecoderMemoryBudget opens many HL7 flows that each leave a large
// frame unfinished: the decoders' buffers count against MaxBufferedBytes,
// and the oldest flows are ended to stay within it.
func TestDecoderMemoryBudget(t *testing.T) {
	const budget = 1 << 20
	e := flowtest.NewEngine(t, flow.Config{MaxBufferedBytes: budget, Protocols: []string{"hl7"}}, nil)
	s := netip.MustParseAddrPort("10.0.0.2:2575")
	chunk := []byte("\x0bMSH|^~\\&|A|B|C|D|20260101||ADT^A01|1|P|2.5\rNTE|1||" + strings.Repeat("x", 60000))
	for i := range 100 {
		c := netip.MustParseAddrPort(fmt.Sprintf("10.0.1.%d:40000", i))
		e.Packet(pkttest.T0, flow.LinkRaw, pkttest.RawTCP(c, s, 0, flow.FlagSYN, nil))
		// The frame never ends: the decoder buffers it.
		e.Packet(pkttest.T0, flow.LinkRaw, pkttest.RawTCP(c, s, 1, flow.FlagACK, chunk))
		st := e.Stats()
		if st.DecoderBytes+st.BufferedBytes > budget {
			t.Fatalf("flow %d: decoders hold %d bytes, budget %d", i, st.DecoderBytes, budget)
		}
	}
	st := e.Stats()
	// While one packet is processed its flow may take the engine over the
	// budget by that flow's buffer, until older flows are ended.
	if st.MemoryEvictions == 0 || st.PeakDecoderBytes == 0 || st.PeakDecoderBytes > budget+256<<10 {
		t.Fatalf("stats: evictions %d peak %d", st.MemoryEvictions, st.PeakDecoderBytes)
	}
	e.Flush()
	if st := e.Stats(); st.DecoderBytes != 0 {
		t.Fatalf("after Flush decoders hold %d bytes", st.DecoderBytes)
	}
}
