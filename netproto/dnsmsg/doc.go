// Package dnsmsg parses DNS messages in the RFC 1035 wire format, as
// Multicast DNS (RFC 6762), DNS-Based Service Discovery (RFC 6763) and
// LLMNR (RFC 4795) carry them on a local link: the header, then every
// question and every answer, authority and additional record, with their
// names (compression pointers included) and the data of the record types
// that say who a device is (A, AAAA, PTR, SRV, TXT, HINFO, NSEC).
//
// A [Parser] is a cursor over the caller's bytes:
//
//	var p dnsmsg.Parser
//	h, err := p.Start(msg)
//	for p.Next() {
//		if p.Section() == dnsmsg.SectionQuestion {
//			q := p.Question()
//			buf = q.Name.AppendTo(buf[:0])
//			continue
//		}
//		r := p.Resource()
//		if a, err := r.A(); err == nil { ... }
//	}
//	err = p.Err()
//
// Names are views: a [Name] points into the message and is decoded into a
// caller's buffer on demand ([Name.AppendTo]) or walked label by label
// ([Name.Labels]), so parsing a message allocates nothing, whatever its
// size. Every length is checked against the bytes that remain; a name is
// at most 255 bytes; a compression pointer must point back before the
// labels that led to it (so pointers cannot loop) and a name may follow
// at most [Parser.MaxPointers] of them. Errors wrap a sentinel ([ErrTruncated],
// [ErrPointer], ...) in an [*Error] that carries the byte offset in the
// message.
//
// The top bit of a question's class is mDNS's unicast-response ("QU") bit
// and that of a record's class its cache-flush bit; the parser splits them
// off into [Question.UnicastResponse] and [Resource.CacheFlush] for every
// message, since classes that large are not used otherwise. LLMNR's header
// bits are read with [Flags.Conflict] and [Flags.Tentative].
package dnsmsg
