package poct1a

import "bytes"

var (
	bomUTF8    = []byte("\xef\xbb\xbf")
	piEnd      = []byte("?>")
	commentEnd = []byte("-->")
	declEnd    = []byte(">")
)

// Sniff reports whether data, the first payload bytes of one direction of a
// stream, begin a POCT1-A document: a root element `<XXX.Rnn` (three
// capital letters, ".R" and two digits, with an optional namespace prefix),
// after an optional byte order mark, XML declaration, processing
// instructions, comments and DOCTYPE declaration (eight at most).
//
// A UTF-16 document (a UTF-16 byte order mark, or a NUL in the first two
// bytes) is recognised too, on its ASCII characters, so that a [Decoder]
// then reports it with [ErrEncoding] instead of the stream going
// unidentified.
//
// Sniff looks at the start of data only (at most 256 characters of a
// UTF-16 document), never keeps data and never allocates.
func Sniff(data []byte) bool {
	var ascii [256]byte
	if len(data) >= 2 && (data[0] == 0 || data[1] == 0 || data[0] == 0xFF && data[1] == 0xFE || data[0] == 0xFE && data[1] == 0xFF) {
		// Keep the low byte of each UTF-16 code unit that is ASCII.
		lo := 0 // index of the low byte: 0 little endian, 1 big endian
		if data[0] == 0 || data[0] == 0xFE {
			lo = 1
		}
		n := 0
		for i := 0; i+1 < len(data) && n < len(ascii); i += 2 {
			if c, hi := data[i+lo], data[i+1-lo]; hi == 0 && c != 0 {
				ascii[n] = c
				n++
			}
		}
		data = ascii[:n]
	}
	b := bytes.TrimPrefix(data, bomUTF8)
	for range 8 {
		b = bytes.TrimLeft(b, " \t\r\n")
		var end []byte
		switch {
		case len(b) >= 2 && b[0] == '<' && b[1] == '?':
			end = piEnd
		case len(b) >= 4 && string(b[:4]) == "<!--":
			end = commentEnd
		case len(b) >= 2 && b[0] == '<' && b[1] == '!':
			end = declEnd
		}
		if end == nil {
			break
		}
		i := bytes.Index(b, end)
		if i < 0 {
			return false
		}
		b = b[i+len(end):]
	}
	if len(b) == 0 || b[0] != '<' {
		return false
	}
	b = b[1:]
	// A prefix: letters, digits, '_' and '-' up to ':', within 32 bytes.
	if i := bytes.IndexByte(b[:min(len(b), 33)], ':'); i > 0 {
		for _, c := range b[:i] {
			if !(c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' || c == '_' || c == '-') {
				return false
			}
		}
		b = b[i+1:]
	}
	// ABC.R01 or ABC.R02 ...
	if len(b) < 8 || b[3] != '.' || b[4] != 'R' {
		return false
	}
	for _, c := range b[:3] {
		if c < 'A' || c > 'Z' {
			return false
		}
	}
	return b[5] >= '0' && b[5] <= '9' && b[6] >= '0' && b[6] <= '9' && (b[7] == '>' || b[7] == ' ' || b[7] == '/' || b[7] == '\t' || b[7] == '\r' || b[7] == '\n')
}
