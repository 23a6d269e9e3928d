package tlshello

// Sniff reports whether data, the first payload bytes of one direction of a
// TCP stream, begin a TLS handshake: a handshake record of version 3.0 to
// 3.4 whose first message is a ClientHello, or a ServerHello (for a capture
// that starts after the client's first segment). It needs the first six
// bytes.
func Sniff(data []byte) bool {
	return len(data) >= 6 && data[0] == byte(ContentHandshake) && data[1] == 3 && data[2] <= 4 &&
		(data[5] == byte(TypeClientHello) || data[5] == byte(TypeServerHello))
}
