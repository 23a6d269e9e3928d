// Package flow turns captured packets into protocol events.
//
// An [Engine] decodes link, network and transport headers (Ethernet,
// 802.1Q/QinQ, Linux cooked v1/v2, raw IP, BSD loopback, IPv4, IPv6, TCP,
// UDP) in place, tracks bidirectional flows in a table with a hard cap,
// reassembles each TCP direction in order within a byte budget, identifies
// the application protocol by content first and port second, and feeds the
// stream to that protocol's [Decoder]. Decoders emit [Event]s to the caller's
// [Sink]; the engine itself emits "flow" events when a flow starts and ends.
//
// Packets come from a [Reader] (pcap or pcapng, optionally gzip or zstd
// compressed) or from any caller through [Engine.Packet], so a sensor can feed
// it from its own capture ring.
//
// Protocol packages (dicom/ul, mllp, legacy/...) never import flow; flow holds
// one small adapter file per protocol that calls [Register] in init.
//
// Allocation: decoding a packet and looking up its flow allocate nothing in
// steady state. New flows take a recycled [Flow] from a free list; buffered
// out-of-order TCP bytes come from a bounded pool.
//
// Nothing in this package starts goroutines. An Engine is not safe for
// concurrent use; shard flows by [Key.Hash] across engines for parallelism.
package flow
