package hl7

// Sniff reports whether data begins an HL7 v2 message, batch or file: after
// any CR and LF, the segment name MSH, BHS or FHS followed by a field
// separator (a printable ASCII character that is not a letter or digit).
// It looks at no more than that, never keeps data and never allocates;
// [Message.Parse] and [Batch] do the checking.
func Sniff(data []byte) bool {
	for len(data) > 0 && (data[0] == '\r' || data[0] == '\n') {
		data = data[1:]
	}
	if len(data) < 4 {
		return false
	}
	switch string(data[:3]) {
	case "MSH", "BHS", "FHS":
	default:
		return false
	}
	c := data[3]
	return c > ' ' && c < 0x7f && !(c >= '0' && c <= '9' || c >= 'A' && c <= 'Z' || c >= 'a' && c <= 'z')
}
