package ul

// sniffMaxAssociate bounds the length of an A-ASSOCIATE-RQ or -AC that
// Sniff accepts. It is above DefaultMaxAssociateLength so that a connection
// whose request exceeds the decoder's limit is still recognised (and the
// decoder reports the PDU as too long).
const sniffMaxAssociate = 1 << 20

// Sniff reports whether data, the first payload bytes of one direction of a
// TCP connection, begin DICOM upper layer traffic:
//
//   - an A-ASSOCIATE-RQ or (for a capture that starts after the request)
//     an A-ASSOCIATE-AC: PDU type, reserved zero byte, a length of 68 bytes
//     to 1 MiB and protocol version 1 (10 bytes needed);
//   - or, for a capture that starts inside an association, a P-DATA-TF of
//     at most DefaultMaxPDULength whose first PDV item fits the PDU, with an
//     odd presentation context ID and a message control header of two bits
//     (12 bytes needed).
//
// Other PDUs (release, abort, reject) are too short to tell from chance. Sniff
// never keeps data and does not allocate.
func Sniff(data []byte) bool {
	if len(data) < HeaderLen+4 {
		return false
	}
	t, reserved, n := pduHeader(data)
	if reserved != 0 {
		return false
	}
	switch t {
	case TypeAssociateRQ, TypeAssociateAC:
		return n >= associateFixedLen && n <= sniffMaxAssociate && be16(data[HeaderLen:]) == 1
	case TypePDataTF:
		return len(data) >= HeaderLen+pdvHeaderLen && plausiblePData(data, DefaultMaxPDULength)
	}
	return false
}
