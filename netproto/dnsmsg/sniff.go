package dnsmsg

import "encoding/binary"

// Sniff reports whether data, one datagram, looks like a DNS message: a
// header with a standard opcode, no more entries than the bytes could
// hold, at least one entry, and a first entry that parses. DNS, mDNS and
// LLMNR share this format, so the content alone cannot tell them apart;
// their ports do.
//
// Sniff never keeps data and never allocates.
func Sniff(data []byte) bool {
	if len(data) < HeaderLen {
		return false
	}
	switch Flags(binary.BigEndian.Uint16(data[2:])).Opcode() {
	case OpcodeQuery, OpcodeIQuery, OpcodeStatus, OpcodeNotify, OpcodeUpdate:
	default:
		return false
	}
	q := int(binary.BigEndian.Uint16(data[4:]))
	rr := int(binary.BigEndian.Uint16(data[6:])) + int(binary.BigEndian.Uint16(data[8:])) + int(binary.BigEndian.Uint16(data[10:]))
	body := len(data) - HeaderLen
	if q+rr == 0 || 5*q+11*rr > body { // a question takes 5 bytes at least, a record 11
		return false
	}
	var f fail
	if q > 0 {
		_, _, f = readQuestion(data, HeaderLen, 0)
	} else {
		_, _, f = readResource(data, HeaderLen, 0)
	}
	return f.err == nil
}
