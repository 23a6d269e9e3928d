// Package tlshello reads the clear-text start of TLS connections (SSL 3.0,
// TLS 1.0 to 1.3): ClientHello and ServerHello messages, which tell who a
// client wants to reach (SNI), which versions, cipher suites, groups,
// signature algorithms and application protocols (ALPN) it offers, and
// what the server chose; their JA3, JA3S and JA4 fingerprints; and, in
// TLS 1.2 and before, the certificate each side sends, read by an X.509
// parser of its own (names, validity, fingerprints). It decrypts nothing.
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
// The fingerprints append to a caller's buffer:
//
//	buf = h.AppendJA3(buf[:0])    // "2a8c1b..." (MD5), AppendJA3Full for the string
//	buf = h.AppendJA4(buf[:0])    // "t13d1516h2_8daaf6152771_e5627efa2ab1"
//	buf = sh.AppendJA3S(buf[:0])  // a ServerHello's
//
// [ParseCertificate] reads a DER certificate into a [Certificate] of views:
// Subject and Issuer ([Name], with CommonName and an iterator), NotBefore,
// NotAfter, SelfSigned, SHA256.
//
// A [Decoder] is fed one direction of a TCP stream in chunks of any size; it
// gathers handshake records, reassembles handshake messages and yields
// [Item] values (the hellos and the first certificate of Certificate
// messages parsed, other messages by type and length) until the direction
// turns encrypted. [Sniff] recognises the start of a TLS handshake.
//
// Parsing, fingerprinting, iterating and decoding allocate nothing, except
// the decoder's buffer for hellos and certificates split across records or
// chunks (grown once, at most MaxHandshake or MaxCertificate bytes), the
// errors returned, and CheckSelfSignature.
package tlshello
