package nbns

import "encoding/binary"

// Sniff reports whether data, one datagram, begins a NetBIOS name service
// message: a header with one of the name service opcodes, at least one
// entry, and a first name whose first label is 32 letters from 'A' to 'P'
// (the first-level encoding of a NetBIOS name).
//
// Sniff never keeps data and never allocates.
func Sniff(data []byte) bool {
	if len(data) < 12+34 {
		return false
	}
	switch Flags(binary.BigEndian.Uint16(data[2:])).Opcode() {
	case OpQuery, OpRegistration, OpRelease, OpWACK, OpRefresh, OpRefreshAlt, OpMultihomedRegistration:
	default:
		return false
	}
	if binary.BigEndian.Uint16(data[4:])|binary.BigEndian.Uint16(data[6:])|
		binary.BigEndian.Uint16(data[8:])|binary.BigEndian.Uint16(data[10:]) == 0 {
		return false
	}
	if data[12] != 32 {
		return false
	}
	for _, c := range data[13 : 13+32] {
		if c < 'A' || c > 'P' {
			return false
		}
	}
	return true
}
