package flow

import "iter"

// Stats counts what an [Engine] saw, dropped and evicted. A packet that is
// not tracked in a flow is counted in one of the drop counters, or in
// Fragments while its datagram is being rebuilt.
type Stats struct {
	Packets uint64 // packets handed to the engine
	Bytes   uint64 // captured bytes of those packets

	// Packets that were not tracked, by reason.
	UnsupportedLink uint64 // link type the decoder does not know
	NotIP           uint64 // ARP, STP and other non-IP frames no Link protocol took
	LinkFrames      uint64 // non-IP frames handed to a Link protocol (LLDP, ...)
	Truncated       uint64 // headers cut short by the capture length
	BadHeader       uint64 // IP or transport headers that cannot be right
	OtherIP         uint64 // ICMP, SCTP and other IP protocols
	Fragments       uint64 // IPv4/IPv6 fragments seen
	FragmentsLost   uint64 // fragments not reassembled (reassembly off, over budget, or timed out)
	Reassembled     uint64 // datagrams rebuilt from fragments
	LatePackets     uint64 // packets for a flow that had already ended

	Flows         uint64 // flows created
	FlowsEnded    uint64 // flows ended by FIN, RST, idle timeout or end of input
	FlowsEvicted  uint64 // flows ended early to make room: the table was full, or buffers were over budget (MemoryEvictions)
	ActiveFlows   uint64 // flows in the table now
	PeakFlows     uint64 // largest number of flows in the table at once
	BufferedBytes uint64 // out-of-order TCP bytes held now
	PeakBuffered  uint64 // largest number of out-of-order bytes held at once

	// Protocol decoder buffers (messages split across packets), counted
	// with BufferedBytes against Config.MaxBufferedBytes.
	DecoderBytes     uint64 // held now
	PeakDecoderBytes uint64 // largest held at once
	MemoryEvictions  uint64 // flows ended to stay within MaxBufferedBytes (also in FlowsEvicted)

	// TCP reassembly.
	Retransmitted  uint64 // payload bytes seen again and dropped
	OverlapBytes   uint64 // bytes that overlapped earlier data (first wins)
	OutOfOrder     uint64 // segments that arrived ahead of a hole
	BufferDrops    uint64 // out-of-order segments that did not fit the flow's or the engine's buffer (a hole was skipped, as a gap, to make room)
	Gaps           uint64 // holes skipped and reported to decoders
	GapBytes       uint64 // bytes in those holes, where known
	MidStreamFlows uint64 // TCP flows whose handshake was not seen

	Identified   uint64 // flows whose application protocol was identified
	Events       uint64 // events emitted
	DecodeErrors uint64 // decoder errors, all protocols

	// ProtocolErrors counts decode errors per protocol name.
	ProtocolErrors map[string]uint64
}

func (s *Stats) countProtocolError(name string) {
	if s.ProtocolErrors == nil {
		s.ProtocolErrors = make(map[string]uint64)
	}
	s.ProtocolErrors[name]++
}

// All yields every counter of s with its snake_case name ("packets",
// "flows_evicted", "decode_errors", ...), in the order of the fields;
// ProtocolErrors, a map, is not among them. A counter added to Stats is
// added here, so writers that list counters stay complete.
func (s *Stats) All() iter.Seq2[string, uint64] {
	counters := [...]struct {
		name string
		v    uint64
	}{
		{"packets", s.Packets},
		{"bytes", s.Bytes},
		{"unsupported_link", s.UnsupportedLink},
		{"not_ip", s.NotIP},
		{"link_frames", s.LinkFrames},
		{"truncated", s.Truncated},
		{"bad_header", s.BadHeader},
		{"other_ip", s.OtherIP},
		{"fragments", s.Fragments},
		{"fragments_lost", s.FragmentsLost},
		{"reassembled", s.Reassembled},
		{"late_packets", s.LatePackets},
		{"flows", s.Flows},
		{"flows_ended", s.FlowsEnded},
		{"flows_evicted", s.FlowsEvicted},
		{"active_flows", s.ActiveFlows},
		{"peak_flows", s.PeakFlows},
		{"buffered_bytes", s.BufferedBytes},
		{"peak_buffered", s.PeakBuffered},
		{"decoder_bytes", s.DecoderBytes},
		{"peak_decoder_bytes", s.PeakDecoderBytes},
		{"memory_evictions", s.MemoryEvictions},
		{"retransmitted", s.Retransmitted},
		{"overlap_bytes", s.OverlapBytes},
		{"out_of_order", s.OutOfOrder},
		{"buffer_drops", s.BufferDrops},
		{"gaps", s.Gaps},
		{"gap_bytes", s.GapBytes},
		{"mid_stream_flows", s.MidStreamFlows},
		{"identified", s.Identified},
		{"events", s.Events},
		{"decode_errors", s.DecodeErrors},
	}
	return func(yield func(string, uint64) bool) {
		for _, c := range counters {
			if !yield(c.name, c.v) {
				return
			}
		}
	}
}

// Add adds o's counters to s's: the counters of several engines (the
// workers of one sensor) as one. Peaks add up too, an upper bound of the
// peak of all.
func (s *Stats) Add(o *Stats) {
	a, b := s, o
	a.Packets += b.Packets
	a.Bytes += b.Bytes
	a.UnsupportedLink += b.UnsupportedLink
	a.NotIP += b.NotIP
	a.LinkFrames += b.LinkFrames
	a.Truncated += b.Truncated
	a.BadHeader += b.BadHeader
	a.OtherIP += b.OtherIP
	a.Fragments += b.Fragments
	a.FragmentsLost += b.FragmentsLost
	a.Reassembled += b.Reassembled
	a.LatePackets += b.LatePackets
	a.Flows += b.Flows
	a.FlowsEnded += b.FlowsEnded
	a.FlowsEvicted += b.FlowsEvicted
	a.ActiveFlows += b.ActiveFlows
	a.PeakFlows += b.PeakFlows
	a.BufferedBytes += b.BufferedBytes
	a.PeakBuffered += b.PeakBuffered
	a.DecoderBytes += b.DecoderBytes
	a.PeakDecoderBytes += b.PeakDecoderBytes
	a.MemoryEvictions += b.MemoryEvictions
	a.Retransmitted += b.Retransmitted
	a.OverlapBytes += b.OverlapBytes
	a.OutOfOrder += b.OutOfOrder
	a.BufferDrops += b.BufferDrops
	a.Gaps += b.Gaps
	a.GapBytes += b.GapBytes
	a.MidStreamFlows += b.MidStreamFlows
	a.Identified += b.Identified
	a.Events += b.Events
	a.DecodeErrors += b.DecodeErrors
	for k, v := range b.ProtocolErrors {
		if a.ProtocolErrors == nil {
			a.ProtocolErrors = map[string]uint64{}
		}
		a.ProtocolErrors[k] += v
	}
}
