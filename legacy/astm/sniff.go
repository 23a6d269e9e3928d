package astm

// Sniff reports whether data, the first payload bytes of one direction of a
// stream, begin ASTM: a lone ENQ (the request to send that opens every E1381
// transfer), ENQ or STX followed by a frame that starts with a record
// (frame number 0–7, then a header with its delimiters, or a record type
// letter and '|'), or an unframed header record such as `H|\^&|`.
//
// Sniff looks at the first few bytes only, never keeps data and never
// allocates.
func Sniff(data []byte) bool {
	if len(data) == 0 {
		return false
	}
	switch data[0] {
	case ENQ:
		if len(data) == 1 {
			return true
		}
		return data[1] == STX && sniffFrame(data[1:])
	case STX:
		return sniffFrame(data)
	case 'H':
		return sniffHeader(data)
	}
	return false
}

// sniffFrame checks STX, a frame number and the start of a record.
func sniffFrame(b []byte) bool {
	if len(b) < 4 || b[1] < '0' || b[1] > '7' {
		return false
	}
	if b[2] == 'H' {
		return sniffHeader(b[2:])
	}
	return b[2] >= 'A' && b[2] <= 'Z' && b[3] == '|'
}

// sniffHeader checks for "H" and four distinct delimiters followed by the
// field delimiter, as in `H|\^&|`.
func sniffHeader(b []byte) bool {
	if len(b) < 6 {
		return false
	}
	_, ok := parseDelimiters(b[:5])
	return ok && b[5] == b[1]
}
