package fuzz

import (
	"encoding/binary"
	"net/netip"
	"testing"
	"time"

	"github.com/medtap/medtap/flow"
	_ "github.com/medtap/medtap/flow/all"
	"github.com/medtap/medtap/internal/synth"
)

// ports the pipeline fuzzer's flows use: DICOM, HL7/MLLP, ASTM, other.
var fuzzPorts = []uint16{104, 2575, 5000, 11112, 6661, 24105, 8080, 443}

// replay turns data into packets for the whole pipeline. Each record is:
// one control byte (bits 0-2: server port index, bit 3: direction, bit 4:
// UDP, bit 5: FIN, bit 6: RST, bit 7: SYN), a 16-bit payload length, a
// 16-bit sequence offset, then the payload.
func replay(data []byte, e *flow.Engine) {
	cli := netip.MustParseAddrPort("10.0.0.1:40000")
	seq := [2]uint32{1000, 9000}
	ts := time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)
	for len(data) >= 5 {
		ctl := data[0]
		n := int(binary.BigEndian.Uint16(data[1:3]))
		off := binary.BigEndian.Uint16(data[3:5])
		data = data[5:]
		n = min(n, len(data))
		payload := data[:n]
		data = data[n:]
		srv := netip.AddrPortFrom(netip.MustParseAddr("10.0.0.2"), fuzzPorts[ctl&7])
		dir := int(ctl >> 3 & 1)
		src, dst := cli, srv
		if dir == 1 {
			src, dst = srv, cli
		}
		ts = ts.Add(time.Millisecond)
		if ctl&0x10 != 0 {
			e.Packet(ts, flow.LinkRaw, rawPacket(17, src, dst, 0, 0, payload))
			continue
		}
		flags := uint8(0x10)
		if ctl&0x20 != 0 {
			flags |= 0x01
		}
		if ctl&0x40 != 0 {
			flags |= 0x04
		}
		if ctl&0x80 != 0 {
			flags = 0x02
		}
		s := seq[dir] + uint32(off) - 0x8000
		e.Packet(ts, flow.LinkRaw, rawPacket(6, src, dst, s, flags, payload))
		if off == 0x8000 {
			seq[dir] += uint32(len(payload))
		}
	}
}

func rawPacket(proto byte, src, dst netip.AddrPort, seq uint32, flags uint8, payload []byte) []byte {
	hl := 20
	if proto == 17 {
		hl = 8
	}
	b := make([]byte, 20+hl+len(payload))
	b[0] = 0x45
	binary.BigEndian.PutUint16(b[2:], uint16(min(len(b), 65535)))
	b[8], b[9] = 64, proto
	s4, d4 := src.Addr().As4(), dst.Addr().As4()
	copy(b[12:], s4[:])
	copy(b[16:], d4[:])
	binary.BigEndian.PutUint16(b[20:], src.Port())
	binary.BigEndian.PutUint16(b[22:], dst.Port())
	if proto == 6 {
		binary.BigEndian.PutUint32(b[24:], seq)
		b[32], b[33] = 5<<4, flags
	} else {
		binary.BigEndian.PutUint16(b[24:], uint16(min(8+len(payload), 65535)))
	}
	copy(b[20+hl:], payload)
	return b
}

// record encodes one replay record in order (sequence offset 0x8000).
func record(ctl byte, payload []byte) []byte {
	b := []byte{ctl, byte(len(payload) >> 8), byte(len(payload)), 0x80, 0}
	return append(b, payload...)
}

func FuzzPipeline(f *testing.F) {
	// A C-STORE association in both directions, to DICOM port index 0.
	var seed []byte
	seed = append(seed, record(0, synth.AssociateRQ("MODALITY", "PACS", synth.CTImageStorage, synth.ImplicitVRLittleEndian))...)
	seed = append(seed, record(8, synth.AssociateAC("MODALITY", "PACS", synth.ImplicitVRLittleEndian))...)
	seed = append(seed, record(0, synth.PData(1, true, synth.StoreRQ(1, synth.CTImageStorage, "1.2.3.4")))...)
	for _, p := range synth.PDataFragments(1, synth.CTDataset(1, 300), 128) {
		seed = append(seed, record(0, p)...)
	}
	seed = append(seed, record(8, synth.PData(1, true, synth.StoreRSP(1, synth.CTImageStorage, "1.2.3.4", 0)))...)
	f.Add(seed)
	// HL7 over MLLP, to port index 1, split mid-message, with its ACK.
	msg := "\x0bMSH|^~\\&|ADT|HOSP|LAB|HOSP|20260101120000||ADT^A01|MSG0001|P|2.5\rPID|1||123^^^HOSP^MR||DOE^JANE\r\x1c\r"
	f.Add(append(append(record(1, []byte(msg[:40])), record(1, []byte(msg[40:]))...),
		record(9, []byte("\x0bMSH|^~\\&|LAB|HOSP|ADT|HOSP|20260101120001||ACK|A1|P|2.5\rMSA|AA|MSG0001\r\x1c\r"))...))
	// ASTM E1381 to port index 2.
	f.Add(append(append(record(2, []byte{0x05}), record(10, []byte{0x06})...),
		record(2, []byte("\x021H|\\^&|||cobas^1|||||||P|1\r\x0363\r\n"))...))
	f.Fuzz(func(t *testing.T, data []byte) {
		var events [2]int
		for run := range 2 {
			e, err := flow.NewEngine(flow.Config{MaxFlows: 8, MaxBufferedBytes: 1 << 16, MaxFlowBufferedBytes: 1 << 14},
				flow.SinkFunc(func(ev *flow.Event) {
					events[run]++
					if ev.Detail != nil {
						ev.Detail.AppendJSON(nil)
					}
				}))
			if err != nil {
				t.Fatal(err)
			}
			replay(data, e)
			e.Flush()
			if st := e.Stats(); st.BufferedBytes != 0 || st.ActiveFlows != 0 {
				t.Fatalf("after Flush: %+v", st)
			}
		}
		if events[0] != events[1] {
			t.Fatalf("same input gave %d then %d events", events[0], events[1])
		}
	})
}
