package smb

// Sniff reports whether data, the first payload bytes of one direction of
// a TCP stream, begin SMB: a session message (the 4-byte header of direct
// hosting on 445 or of the NetBIOS session service on 139) holding an SMB1,
// SMB2, encrypted or compressed SMB 3 message, or a NetBIOS session request
// with its encoded called name.
//
// Sniff looks at the first eight bytes only, never keeps data and never
// allocates.
func Sniff(data []byte) bool {
	if len(data) < 8 {
		return false
	}
	switch NetBIOSType(data[0]) {
	case NetBIOSMessage:
		return frameStart(data)
	case NetBIOSRequest:
		// The flags byte, a length that holds two encoded names, the
		// name's length byte 32 and encoded letters 'A'-'P'.
		n := int(data[1])<<16 | int(data[2])<<8 | int(data[3])
		return data[1]&^1 == 0 && n >= 68 && n <= maxNetBIOS && data[4] == 32 &&
			data[5]-'A' < 16 && data[6]-'A' < 16 && data[7]-'A' < 16
	}
	return false
}
