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

// SniffReply reports whether data, the first payload bytes a server sends
// on a TCP connection, are a DICOM acceptor's answer: whatever Sniff
// accepts, or an A-ASSOCIATE-RJ or A-ABORT whose fixed 10 bytes are exactly
// as PS3.8 9.3.4 and 9.3.8 define them (length 4, reserved bytes zero,
// result, source and reason values in range). On their own those PDUs are
// too short to tell from chance; as the first bytes of a server answering a
// client that sent something else (a port scanner's probe), they show that
// the port speaks DICOM.
func SniffReply(data []byte) bool {
	if Sniff(data) {
		return true
	}
	if len(data) != HeaderLen+4 {
		return false
	}
	t, reserved, n := pduHeader(data)
	if reserved != 0 || n != 4 || data[HeaderLen] != 0 {
		return false
	}
	source, reason := data[HeaderLen+2], data[HeaderLen+3]
	switch t {
	case TypeAssociateRJ:
		result := data[HeaderLen+1]
		return (result == 1 || result == 2) && source >= 1 && source <= 3 && reason <= 7
	case TypeAbort:
		return data[HeaderLen+1] == 0 && (source == 0 || source == 2) && reason <= 6
	}
	return false
}
