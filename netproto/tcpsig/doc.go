// Package tcpsig computes the TCP signature of a SYN or SYN+ACK packet the
// way p0f version 3 does, and writes it in p0f's raw_sig syntax:
//
//	4:64+0:0:1460:mss*44,7:mss,sok,ts,nop,ws:df,id+:0
//
// The eight fields, separated by colons, are:
//
//   - ver: the IP version, 4 or 6.
//   - ittl: the observed TTL (hop limit) and p0f's guess of the distance
//     in hops to the sender: the TTL rounded up to 32, 64, 128 or 255,
//     minus the TTL. A guess over 35 hops is written "?" ("93+?").
//   - olen: the length of the IPv4 options (always 0 for IPv6).
//   - mss: the value of the MSS option, 0 when there is none; "*" for a
//     SYN+ACK whose MSS is 1331, the value p0f's own probes send.
//   - wsize,scale: the window, written "mss*N" or "mtu*N" when it is a
//     multiple of the MSS or of a likely MTU (see [WindowUnit]), and the
//     window scale option's shift count (0 when absent).
//   - olayout: the TCP options in order: eol+N (end of options followed by
//     N bytes of padding), nop, mss, ws, sok, sack, ts, or ?N for option
//     kind N.
//   - quirks: the oddities of the headers, see [Quirks].
//   - pclass: 0 when the packet carries no payload, + when it does.
//
// [FromHeaders] reads the IP and TCP headers as the wire has them; the
// [Signature] it returns is a small comparable value of fixed size with
// every field, whose [Signature.AppendTo] writes the text without
// allocating. Hostile headers are read as p0f reads them: an option cut
// short or with an impossible length ends the option list and sets the
// quirk "bad"; nothing reads past the header, and every loop is bounded by
// the header's length and [MaxOptions].
//
// Where p0f's result depends on its flow tracking (the MSS of the SYN that a
// SYN+ACK answers, which it also tries as a divisor of the window) the
// caller passes that value in; which packets p0f fingerprints at all (the
// first SYN of a connection and its first SYN+ACK, see [IsSYN] and
// [IsSYNACK]) is the caller's choice too. The quirk "ack+" reproduces the
// test of the Debian (little-endian) p0f binary, see [QuirkNonZeroACK].
package tcpsig
