// Package flow turns captured packets into protocol events.
//
// An [Engine] decodes link, network and transport headers (Ethernet,
// 802.1Q/QinQ, Linux cooked v1/v2, raw IP, BSD loopback, IPv4, IPv6, TCP,
// UDP) in place, tracks bidirectional flows in a table with a hard cap,
// reassembles each TCP direction in order within a byte budget, identifies
// the application protocol by content first and port second, and feeds the
// stream to that protocol's [Decoder]. Decoders emit [Event]s to the caller's
// [Sink]; the engine itself emits events of protocol "flow" when a flow
// starts and ends ([KindStart], [KindEnd]).
//
// Packets come from any [Source] through [Engine.Run] (package capture reads
// pcap and pcapng files, compressed or not) or from any caller through
// [Engine.Packet], so a sensor can feed the engine from its own capture ring.
//
// # Protocols
//
// This package knows no application protocol. Each one is an adapter
// package that registers itself with [Register] when imported, the way
// image/png registers with package image:
//
//	import _ "github.com/medtap/medtap/flow/dicomflow" // DICOM only
//	import _ "github.com/medtap/medtap/flow/all"       // every protocol
//
// An adapter owns its Detail types and declares the [Kind]s it emits as
// constants beside them, so `go doc` of an adapter lists every event it
// produces. The protocol packages themselves (dicom/ul, mllp, legacy/...)
// never import flow: a vendor can use them alone. An adapter written outside
// medtap has what the built-in ones have: limits through the [Context],
// memory accounting through [BufferedDecoder], offsets of errors through
// [ErrorOffset], and the JSON helpers below.
//
// # JSON
//
// [AppendEventJSON] writes an event in the envelope every medtap writer uses
// (JSON Lines with "type", "ts", "proto", "kind", "src" and "dst"), then the
// Detail's own members. Details implement AppendJSON with the Append
// functions of this package: those that take a key ([AppendString],
// [AppendBytes], [AppendNonEmpty], [AppendInt], [AppendBool], [AppendRaw],
// [AppendKey]) write one object member preceded by a comma, `,"key":value`;
// [AppendQuoted] and [AppendQuotedBytes] write a bare string. None
// allocates when the destination has room.
//
// # Allocation and concurrency
//
// Decoding a packet and looking up its flow allocate nothing in steady
// state. New flows take a recycled [Flow] from a free list; buffered
// out-of-order TCP bytes come from a bounded pool.
//
// Nothing in this package starts goroutines. An Engine is not safe for
// concurrent use; shard flows by [Key.Hash] across engines for parallelism,
// or use package [github.com/medtap/medtap/flow/shard], which runs several
// engines on goroutines the caller starts and merges their events in order.
package flow
