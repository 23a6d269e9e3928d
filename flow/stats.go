package flow

// Stats counts what an [Engine] saw, dropped and evicted. A packet that is
// not tracked in a flow is counted in one of the drop counters, or in
// Fragments while its datagram is being rebuilt.
type Stats struct {
	Packets uint64 // packets handed to the engine
	Bytes   uint64 // captured bytes of those packets

	// Packets that were not tracked, by reason.
	UnsupportedLink uint64 // link type the decoder does not know
	NotIP           uint64 // ARP, LLDP, STP and other non-IP frames
	Truncated       uint64 // headers cut short by the capture length
	BadHeader       uint64 // IP or transport headers that cannot be right
	OtherIP         uint64 // ICMP, SCTP and other IP protocols
	Fragments       uint64 // IPv4/IPv6 fragments seen
	FragmentsLost   uint64 // fragments not reassembled (reassembly off, over budget, or timed out)
	Reassembled     uint64 // datagrams rebuilt from fragments
	LatePackets     uint64 // packets for a flow that had already ended

	Flows         uint64 // flows created
	FlowsEnded    uint64 // flows ended by FIN, RST, idle timeout or end of input
	FlowsEvicted  uint64 // flows ended early because the table was full
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
	BufferDrops    uint64 // out-of-order segments dropped: flow or engine buffer full
	Gaps           uint64 // holes skipped and reported to decoders
	GapBytes       uint64 // bytes in those holes, where known
	MidStreamFlows uint64 // TCP flows whose handshake was not seen

	Identified   uint64 // flows whose application protocol was identified
	Events       uint64 // events emitted
	DecodeErrors uint64 // decoder errors, all protocols

	// ProtoErrors counts decode errors per protocol name.
	ProtoErrors map[string]uint64
}

func (s *Stats) countProtoError(name string) {
	if s.ProtoErrors == nil {
		s.ProtoErrors = make(map[string]uint64)
	}
	s.ProtoErrors[name]++
}
