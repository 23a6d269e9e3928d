// Package tlshello reads the clear-text start of TLS connections (SSL 3.0,
// TLS 1.0 to 1.3): ClientHello and ServerHello messages, which tell who a
// client wants to reach (SNI), which versions, cipher suites, groups,
// signature algorithms and application protocols (ALPN) it offers, and
// what the server chose. It decrypts nothing and does not parse
// certificates.
//
// [ParseClientHello] and [ParseServerHello] parse a hello body into a
// struct of views into the caller's bytes; lists are [Uint16List],
// [ProtocolList] and [Extensions], raw as on the wire, with iterators that
// yield their values in wire order:
//
//	h, err := tlshello.ParseClientHello(body)
//	host := h.ServerName
//	it := h.CipherSuites.Iter()
//	for it.Next() {
//		if !tlshello.IsGREASE(it.Value()) { ... }
//	}
//
// A [Decoder] is fed one direction of a TCP stream in chunks of any size; it
// gathers handshake records, reassembles handshake messages and yields
// [Item] values (the hellos parsed, other messages by type and length) until
// the direction turns encrypted. [Sniff] recognises the start of a TLS
// handshake.
//
// Parsing, iterating and decoding allocate nothing, except the decoder's
// buffer for hellos split across records or chunks (grown once, at most
// MaxHandshake bytes) and the errors returned.
package tlshello
